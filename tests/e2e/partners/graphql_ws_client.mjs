// The graphql-ws client that frontend teams use, run by tests/e2e/partners/test_graphql_ws.py:
// subscribe with a token in connection_init, print each event received as one JSON line, and
// exit once an event at or past `until` arrived (or print the error and exit 1).
// Usage: node graphql_ws_client.mjs <ws url> <token> <query> <variables JSON> <field> <until>
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, token, query, variables, field, until] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { token },
  retryAttempts: 0,
  lazy: true,
});
const timer = setTimeout(() => { console.error("timed out"); process.exit(2); }, 60_000);
client.subscribe(
  { query, variables: JSON.parse(variables) },
  {
    next: (result) => {
      if (result.errors) {
        console.error(JSON.stringify(result.errors));
        process.exit(1);
      }
      const event = result.data[field];
      console.log(JSON.stringify(event));
      if (event.position === until) {
        clearTimeout(timer);
        client.dispose().then(() => process.exit(0));
      }
    },
    error: (error) => { console.error(String(error?.reason ?? error)); process.exit(1); },
    complete: () => {},
  },
);
