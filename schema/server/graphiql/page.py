"""The GraphiQL page: our HTML and start-up script around the wheel's GraphiQL build.

The script is inline and allowed by its hash in the page's Content-Security-Policy, which
also lets the page load and connect only to this server: a stray request to a CDN is blocked
by the browser even where there is internet.
"""

from __future__ import annotations

import base64
import hashlib
import html

from starlette.responses import HTMLResponse

WELCOME = """\
# GraphiQL for the innovation ledger, served by this
# server: it works with no internet.
#
# To call the API as someone, put a bearer token in
# the Headers tab below:
#   {"Authorization": "Bearer <token>"}
# (in development, `lifecycle token --help` makes one).
#
# Nothing here is saved in the browser: headers (and so
# tokens), queries and history stay in this tab's memory
# and are gone when it closes or reloads.
#
# Run a query with Ctrl-Enter.

{ __typename }
"""

SCRIPT = """
(function () {
  "use strict";
  function memoryStorage() {
    var items = new Map();
    return {
      getItem: function (key) { return items.has(key) ? items.get(key) : null; },
      setItem: function (key, value) { items.set(key, String(value)); },
      removeItem: function (key) { items.delete(key); },
      clear: function () { items.clear(); },
      key: function (index) { return Array.from(items.keys())[index] || null; },
      get length() { return items.size; }
    };
  }
  var endpoint = window.location.origin + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    wsClient: graphqlWs.createClient({url: endpoint.replace(/^http/, "ws"), lazy: true})
  });
  var welcome = document.getElementById("graphiql").dataset.welcome;
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: memoryStorage(),
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      defaultQuery: welcome
    }),
    document.getElementById("graphiql"));
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
POLICY = "; ".join([
    "default-src 'none'",
    f"script-src 'self' 'sha256-{_SCRIPT_HASH}'",
    "style-src 'self' 'unsafe-inline'",  # React and CodeMirror set style attributes
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="robots" content="noindex">
  <title>Innovation ledger · GraphiQL</title>
  <link rel="stylesheet" href="{assets}/graphiql.min.css">
  <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
  <div id="graphiql" data-welcome="{welcome}">Loading GraphiQL…</div>
  <script src="{assets}/react.production.min.js"></script>
  <script src="{assets}/react-dom.production.min.js"></script>
  <script src="{assets}/graphiql.min.js"></script>
  <script src="{assets}/graphql-ws.min.js"></script>
  <script>{script}</script>
</body>
</html>
"""


def page(assets: str) -> HTMLResponse:
    """The page, loading GraphiQL from ``assets`` (a path on this server)."""
    body = TEMPLATE.format(assets=html.escape(assets), welcome=html.escape(WELCOME),
                           script=SCRIPT)
    return HTMLResponse(body, headers={
        "Content-Security-Policy": POLICY,
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    })
