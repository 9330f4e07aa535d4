"""The API server with one of its fast paths switched off, for ``bench.api`` only: each is worth
keeping only if the page query is more than 10% slower without it (issue 10, item 7). Nothing
here is a product setting; the switch is this module's command line.

- ``document_cache``: every request's document parsed, checked and validated again (nothing
  kept by ``schema.documents.pipeline``), once per request;
- ``page_prefetch``: a page's organisations and latest verdicts not fetched with the page
  (``Related.fetch``) but by a strawberry resolver per row through the request's DataLoaders,
  the plain strawberry way.

Run: ``python -m bench.fast_paths --port 8203 --without page_prefetch`` (the environment names the
database, as for ``lifecycle serve``).
"""

from __future__ import annotations

import argparse
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types.base import get_object_definition

FAST_PATHS = ("document_cache", "page_prefetch")


def without_document_cache() -> None:
    from schema.documents.pipeline import Documents
    from schema.server.endpoint import LifecycleGraphQL

    made = Documents.__init__

    def keeping_nothing(self: Documents, settings: Any) -> None:
        made(self, settings)
        self.cache.put = lambda key, value, size: False  # type: ignore[method-assign]

    Documents.__init__ = keeping_nothing  # type: ignore[method-assign]
    # The endpoint's early look for several operations would prepare the document a second
    # time when nothing is kept; without a cache it would look after parsing instead.
    parent: Any = LifecycleGraphQL.__mro__[1]

    async def parse_http_body(self: LifecycleGraphQL, request: Any) -> Any:
        return await parent.parse_http_body(self, request)

    LifecycleGraphQL.parse_http_body = parse_http_body  # type: ignore[method-assign]


def without_page_prefetch() -> None:
    from schema.innovations import types

    async def nothing(cls: type[types.Related], conn: Any, viewer: tuple[UUID, ...],
                      rows: list[Any], wanted: set[str]) -> types.Related:
        return cls(viewer)

    types.Related.fetch = classmethod(nothing)  # type: ignore[assignment,method-assign]

    async def organisation(root: Any, info: strawberry.Info) -> Any:
        ctx: Any = info.context
        return await ctx.loaders.organisation.load(UUID(str(root.organisation_id)))

    async def latest_verdict(root: Any, info: strawberry.Info) -> Any:
        ctx: Any = info.context
        loader = ctx.loaders.latest_verdict(ctx.actor.organisation)
        return await loader.load(UUID(str(root.id)))

    definition = get_object_definition(types.Innovation, strict=True)
    fields = {f.python_name: f for f in definition.fields}
    fields["organisation"](organisation)
    fields["latest_verdict"](latest_verdict)


SWITCHES = {"document_cache": without_document_cache, "page_prefetch": without_page_prefetch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--without", choices=FAST_PATHS, action="append", default=[])
    args = parser.parse_args()
    for name in args.without:
        SWITCHES[name]()
    from lifecycle.service.console import serve

    serve(host=None, port=args.port)


if __name__ == "__main__":
    main()
