"""GraphiQL served by the product itself, so that it works on a network with no internet.

Its static files (GraphiQL 2, React 17 and graphql-ws, built for the browser) come from the
``graphene-django-graphiql-static`` wheel, pinned in ``pyproject.toml``: we import none of its
Python code (it would need Django) and only serve the files it installs, under ``ASSETS``. The
page itself (``schema.graphiql.page``) is ours.

On a shared computer the page keeps nothing: GraphiQL's storage is an in-memory object that dies
with the tab (never ``localStorage`` or ``sessionStorage``), and ``shouldPersistHeaders`` is off
with its switch hidden, so a bearer token typed in the Headers tab is never saved.
"""

from __future__ import annotations

from starlette.staticfiles import StaticFiles

from schema.server.graphiql.page import page

ASSETS = "/graphiql/static"
PACKAGE = "graphene_django_graphiql_static"


def assets() -> StaticFiles:
    """The wheel's static files, as installed (checked at start: a missing wheel fails fast)."""
    return StaticFiles(packages=[(PACKAGE, f"static/{PACKAGE}")])


__all__ = ["ASSETS", "assets", "page"]
