"""GraphiQL works with no internet: its page and assets come from this server, and a person can
type a query into its editor in headless Chromium, run it with a bearer token, and read the
result, while every request to anywhere but this machine is blocked and recorded.

Chromium is Debian's ``chromium`` (``.ci/run`` installs it), driven through Playwright's Python
package with that executable: Playwright's own browser download is never used. Without Chromium
the browser test is skipped, except under CI (``CI`` set), where it must run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Page, Route, sync_playwright

from lifecycle.actor import Actor
from tests.e2e.conftest import LiveServer

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ASSETS = ["graphiql.min.css", "react.production.min.js", "react-dom.production.min.js",
          "graphiql.min.js", "graphql-ws.min.js"]
SUBMIT = """mutation S($input: SubmitIdeaInput!) {
  submitIdea(input: $input) { ... on IdeaSubmitted { position } } }"""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing under CI: .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it")
    return path


def editor_value(page: Page, selector: str) -> str:
    value: str = page.eval_on_selector(selector, "element => element.CodeMirror.getValue()")
    return value


def test_graphiql_page_and_assets_are_served_locally(live: LiveServer) -> None:
    response = httpx.get(f"{live.url}/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "connect-src 'self'" in policy
    assert "script-src 'self' 'sha256-" in policy
    assert "https://" not in response.text
    assert "//unpkg" not in response.text
    for asset in ASSETS:
        assert f'"/graphiql/static/{asset}"' in response.text
        served = httpx.get(f"{live.url}/graphiql/static/{asset}")
        assert served.status_code == 200, asset
        assert len(served.content) > 1000, asset


def test_a_query_typed_into_graphiql_runs_offline(live: LiveServer, staff: Actor,
                                                 tmp_path: Path) -> None:
    executable = chromium()
    token = live.token(staff)
    title = f"Offline GraphiQL {uuid4().hex[:8]}"
    submitted = httpx.post(f"{live.url}/graphql", headers={"Authorization": f"Bearer {token}"},
                           json={"query": SUBMIT, "variables": {"input": {
                               "title": title, "problem": "p", "proposal": "q"}}}).json()
    position = submitted["data"]["submitIdea"]["position"]
    query = ("{ innovations(first: 5, filter: {search: " + json.dumps(title) + "}, "
             "consistentWith: " + json.dumps(position) + ") { edges { node { title } } } }")

    requested: list[str] = []
    blocked: list[str] = []
    problems: list[str] = []

    def only_local(route: Route) -> None:
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=FLAGS)
        try:
            context.set_default_timeout(20_000)
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{live.url}/graphql")

            query_editor = ".graphiql-query-editor .CodeMirror"
            page.click(query_editor)
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            page.keyboard.type(query)
            assert editor_value(page, query_editor) == query

            headers_editor = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
            page.click(headers_editor)
            page.keyboard.insert_text(json.dumps({"Authorization": f"Bearer {token}"}))

            page.click(".graphiql-execute-button")
            response_editor = ".graphiql-response .CodeMirror"
            page.wait_for_function(
                "([selector, title]) => document.querySelector(selector)"
                ".CodeMirror.getValue().includes(title)", arg=[response_editor, title])
            assert f'"title": "{title}"' in editor_value(page, response_editor)

            kept = page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage},"
                                 " document.cookie])")
            assert token not in kept
            assert "Bearer" not in kept
        finally:
            context.close()

    assert blocked == []
    assert requested
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requested)
    assert any(url.endswith("/graphiql/static/graphiql.min.js") for url in requested)
    assert problems == []
