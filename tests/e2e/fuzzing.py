"""What the fuzzing of the GraphQL HTTP surface shares: hypothesis's settings for it, the error
codes an answer may carry, the world it runs in (``fuzz_world``, which each fuzz module registers
as its module-scoped ``world`` fixture), what every answer must look like (``sound``), and
posting a document."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, settings

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    PrototypeOutcome,
)
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer


def fuzz(examples: int) -> settings:
    # no shrinking: composite strategies over a live schema shrink slowly. Derandomized, so a
    # run (CI's) is reproducible: the strategies draw only from their choices, so any seed is
    # stable, and exploring others is a matter of setting FUZZ_RANDOM=1; print_blob names the
    # failing example so a failure found by one seed can be replayed.
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    derandomize=not os.environ.get("FUZZ_RANDOM"),
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# The codes a response may carry: the domain's typed errors (also raised by queries as ``Refused``),
# the server's own GraphQL errors, and the HTTP refusals of schema/app.py.
DOMAIN_CODES = {"VALIDATION", "NOT_FOUND", "WRONG_STAGE", "INVALID_STATE",
                "INSUFFICIENT_AUTHORITY", "FORBIDDEN", "VERSION_CONFLICT",
                "IDEMPOTENCY_KEY_REUSED"}
# The refusals of a document before it runs (schema/documents.py, schema/limits.py).
DOCUMENT_CODES = {"DOCUMENT_TOO_LARGE", "TOO_MANY_TOKENS", "GRAPHQL_PARSE_FAILED",
                  "TOO_MANY_FIELDS", "QUERY_TOO_DEEP", "TOO_MANY_ALIASES",
                  "GRAPHQL_VALIDATION_FAILED", "VALIDATION_ABORTED", "OPERATION_NAME_REQUIRED",
                  "QUERY_TOO_COSTLY", "BAD_USER_INPUT"}
KNOWN_CODES = DOMAIN_CODES | DOCUMENT_CODES | {
    "UNAUTHENTICATED", "NOT_YET_CONSISTENT", "BAD_REQUEST", "PAYLOAD_TOO_LARGE", "NOT_FOUND",
    "METHOD_NOT_ALLOWED", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_HASH_MISMATCH",
    "PERSISTED_QUERY_NOT_IN_LIST", "POSITION_NOT_IN_LOG", "READ_MODEL_STOPPED",
    "VARIABLES_TOO_LARGE"}
TYPED_ERRORS = {"ValidationError", "NotFoundError", "WrongStageError", "InvalidStateError",
                "InsufficientAuthorityError", "ForbiddenError", "VersionConflictError",
                "IdempotencyKeyReusedError"}
MASKED = "Internal error; it has been logged."
LEAKS = ("Traceback", "SELECT", "INSERT", "psycopg", "asyncpg")
START = date(2025, 1, 6)

INTROSPECTION = """
query { __schema { queryType { name } types {
  kind name
  fields(includeDeprecated: true) { name args { name type { ...Ref } } type { ...Ref } }
  inputFields { name type { ...Ref } }
  enumValues(includeDeprecated: true) { name }
  possibleTypes { name } } } }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name } } } } }
"""


# -- the world the fuzzing runs in -----------------------------------------------------------------


@dataclass(repr=False)
class World:
    staff: Actor
    lead: Actor
    governor: Actor
    auditor: Actor
    root: Actor
    innovation: str
    measure: str
    organisation: str
    types: dict[str, dict[str, Any]]

    def ids(self) -> list[str]:
        return [self.innovation, self.measure, self.organisation]

    def __repr__(self) -> str:
        # hypothesis names a strategy by its arguments when a draw fails; the introspected
        # schema would make that name hundreds of kB, and hypothesis's "overly large repr"
        # warning (an error under this project's filterwarnings) then hid the draw's own error
        return f"World(organisation={self.organisation}, {len(self.types)} types)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # hypothesis's pretty printer would spell a dataclass out field by field
        printer.text(repr(self))


def fuzz_world(live: LiveServer, app: LifecycleApplication) -> World:
    """The world the fuzzing runs in: an innovation evaluated and measured, its organisation's
    people, and the live schema's types: each fuzz module registers this as its module-scoped
    ``world`` fixture."""
    org = new_organisation(app, "Powys Teaching Health Board", ("Bronllys", "Llandrindod"))
    staff, lead = member(org, Role.STAFF), member(org, Role.INNOVATION_LEAD)
    governor = member(org, Role.GOVERNANCE_TEAM, Role.GOVERNANCE_DIRECTORATE,
                      Role.GOVERNANCE_EXECUTIVE, Role.GOVERNANCE_BOARD)
    ctx = CommandContext(lead)
    idea = app.execute(c.SubmitIdea(title="Fuzzed idea", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id
    app.execute(c.AcceptIdea(idea, reason="r"), ctx)
    proto = app.execute(c.StartPrototype(idea, "PDSA", "h", "p", START), ctx).created_id
    app.execute(c.CompletePrototype(idea, proto, PrototypeOutcome.SUCCEEDED, "r", "l", START),
                ctx)
    app.execute(c.RecordEvaluation(idea, EvaluationMethod.SERVICE_EVALUATION,
                                   ((Criterion.SAFETY, 4),), "e", "adopt",
                                   estimated_cost=Decimal(100), risk=Risk.LOW,
                                   evaluated_on=START), ctx)
    measure = app.execute(c.DefineMeasure(idea, name="Falls", unit="falls",
                                          better=BetterDirection.LOWER, chart=ChartType.XMR),
                          ctx).aggregate_id
    body = httpx.post(f"{live.url}/graphql", json={"query": INTROSPECTION}, timeout=30).json()
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}
    return World(staff, lead, governor, member(org, Role.AUDITOR), ADMIN, str(idea),
                 str(measure), str(org.organisation), types)


# -- what every answer must look like -------------------------------------------------------------


def sound(response: httpx.Response, statuses: frozenset[int] = frozenset({200, 400, 413})
          ) -> dict[str, Any]:
    """The answer is JSON in GraphQL's shape, with no leak and only known error codes."""
    for leak in LEAKS:
        assert leak not in response.text, response.text[:2000]
    assert response.status_code in statuses, (response.status_code, response.text[:2000])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) <= {"data", "errors", "extensions"}, body
    for error in body.get("errors") or []:
        assert isinstance(error["message"], str), error
        assert error["message"] != MASKED, body
        code = (error.get("extensions") or {}).get("code")
        if code is not None:
            assert code in KNOWN_CODES, error
        # an error met while resolving a field is deliberate, and so carries a code
        assert "path" not in error or code is not None, error
    if response.status_code != 200:
        assert body.get("errors"), body
        assert body.get("data") is None, body
    else:
        assert "data" in body or body.get("errors"), body
    result: dict[str, Any] = body
    return result


def post(live: LiveServer, actor: Actor | None, query: str,
         variables: dict[str, Any] | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {live.token(actor)}"} if actor else {}
    # allow_nan: a NaN or an infinity is sent as the non-standard JSON the server must refuse
    content = json.dumps({"query": query, "variables": variables}, allow_nan=True)
    return httpx.post(f"{live.url}/graphql", content=content.encode(), timeout=30,
                      headers={**headers, "Content-Type": "application/json"})
