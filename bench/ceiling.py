"""The ceiling of the API benchmark: a hand-written Starlette JSON endpoint that answers the
benchmark's page query with the same data as GraphQL, from the same read-model queries, with the
same token check, pool size and (when on) the same response cache, and no GraphQL at all.

``POST /page`` takes ``{"variables": {...}}`` (the page query's variables) and answers exactly
what ``/graphql`` answers for the page query in ``bench.api`` (the benchmark checks that).

Run: ``python -m bench.ceiling --port 8100`` (``DATABASE_URL`` names the database).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.command_line import numbers
from lifecycle.service.settings import Settings
from lifecycle.store import database
from projections.innovations import queries as q
from schema import pagination
from schema.reads import SESSION
from schema.server.cache import ResponseCache
from schema.server.tokens import AuthenticationFailed, Verifier


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _filter(given: dict[str, Any] | None) -> q.InnovationFilter:
    f = given or {}
    return q.InnovationFilter(
        stages=tuple(f.get("stages") or ()),
        organisation_id=UUID(f["organisationId"]) if f.get("organisationId") else None,
        site=f.get("site"), challenge_id=UUID(f["challengeId"]) if f.get("challengeId") else None,
        innovation_class=f.get("innovationClass"), tag=f.get("tag"), owner=f.get("owner"),
        search=(f.get("search") or "").strip()[:200] or None,
        submitted_from=date.fromisoformat(f["submittedFrom"]) if f.get("submittedFrom") else None,
        submitted_to=date.fromisoformat(f["submittedTo"]) if f.get("submittedTo") else None)


async def page(pool: asyncpg.Pool, viewer: UUID, variables: dict[str, Any]) -> dict[str, Any]:
    order = variables.get("order") or "SUBMITTED_DESC"
    size = pagination.page_size(variables.get("first"))
    after = pagination.decode(order, variables.get("after"), timestamp=order != "TITLE_ASC")
    async with pool.acquire() as conn:
        rows = await q.innovations_page(conn, viewer, _filter(variables.get("filter")),
                                        order=order, after=after, first=size)
        shown = rows[:size]
        organisations = await q.organisations_by_id(
            conn, list({r["organisation_id"] for r in shown}))
        verdicts = await q.latest_verdicts(conn, viewer, [r["id"] for r in shown])
    edges = []
    for row in shown:
        organisation = organisations.get(row["organisation_id"])
        verdict = verdicts.get(row["id"])
        edges.append({
            "cursor": pagination.encode(order, row["cursor_value"], row["id"]),
            "node": {
                "id": str(row["id"]), "title": row["title"], "stage": row["stage"],
                "stageEnteredAt": _iso(row["stage_entered_at"]), "site": row["site"],
                "owner": row["owner"], "adoptions": row["adoptions"],
                "organisation": {"id": str(organisation["id"]), "name": organisation["name"]}
                if organisation else None,
                "latestVerdict": {"verdict": verdict["verdict"], "measure": verdict["name"],
                                  "latestOn": _iso(verdict["latest_on"])} if verdict else None,
            }})
    return {"data": {"innovations": {
        "edges": edges,
        "pageInfo": {"hasNextPage": len(rows) > size,
                     "endCursor": edges[-1]["cursor"] if edges else None}}}}


def create_app(settings: Settings, url: str, cache_seconds: float) -> Starlette:
    state: dict[str, Any] = {}
    verifier = Verifier(settings)
    cache = ResponseCache(cache_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(url, min_size=1, max_size=settings.pool_size,
                                                  server_settings=SESSION)
        yield
        await state["pool"].close()

    async def endpoint(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        try:
            identity = verifier.verify(header.removeprefix("Bearer ").strip())
        except AuthenticationFailed as exc:
            return Response(orjson.dumps({"errors": [{"message": str(exc)}]}), 401,
                            media_type="application/json")
        body = await request.body()
        key = cache.key(identity, body)
        cached = await cache.lookup(key)
        if cached is None:
            try:
                variables = orjson.loads(body).get("variables") or {}
                cached = orjson.dumps(await page(state["pool"], identity.actor.organisation,
                                                 variables))
                cache.put(key, cached)
            finally:
                cache.done(key)
        return Response(cached, media_type="application/json")

    return Starlette(routes=[Route("/page", endpoint, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    args = numbers(__doc__, port=8100)
    settings = Settings()
    db = database.resolve(settings)
    uvicorn.run(create_app(settings, db.url, settings.response_cache_seconds),
                host="127.0.0.1", port=args.port, loop="uvloop", http="httptools",
                log_level="warning", server_header=False)


if __name__ == "__main__":
    main()
