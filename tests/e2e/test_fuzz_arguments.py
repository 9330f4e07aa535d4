"""Every value a query hands to PostgreSQL is checked first, by the rules mutation inputs follow.

Over real HTTP against the live server: filters, search, cursors (keyset and position), ids and
dates of every query argument, with the values that once reached SQL and came back as "Internal
error" (NUL and other control characters, timestamps at the edge of what can be represented,
positions past a bigint), and then hypothesis over each argument. The property: never an internal
error, never a 5xx; a refused value is a GraphQL error with the code ``VALIDATION``.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.vocabulary import STAFF_GROUPS
from schema import positions
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.fuzzing import fuzz, post, sound

PAGE = """query Page($filter: InnovationFilter, $order: InnovationOrder! = SUBMITTED_DESC,
                   $first: Int, $after: String, $at: String) {
  innovations(filter: $filter, orderBy: $order, first: $first, after: $after,
              consistentWith: $at) { edges { cursor node { id title } } } }"""
DECISIONS = """query D($after: String, $first: Int, $escalated: Boolean) {
  decisions(after: $after, first: $first, escalated: $escalated) { edges { cursor } } }"""
PIPELINE = """query P($site: String, $challengeId: ID, $staffGroup: String,
                      $submittedFrom: Date, $submittedTo: Date) {
  pipeline(site: $site, challengeId: $challengeId, staffGroup: $staffGroup,
           submittedFrom: $submittedFrom, submittedTo: $submittedTo) { stages { stage count } } }"""
CULTURE = """query C($submittedFrom: Date, $submittedTo: Date) {
  culture(submittedFrom: $submittedFrom, submittedTo: $submittedTo) { triaged } }"""
GOVERNANCE = """query G($decidedFrom: Date, $decidedTo: Date) {
  governance(decidedFrom: $decidedFrom, decidedTo: $decidedTo) { authority } }"""
ONE = {
    "innovation": "query O($id: ID!, $at: String) { innovation(id: $id, consistentWith: $at) "
                  "{ id } }",
    "measure": "query O($id: ID!, $at: String) { measure(id: $id, consistentWith: $at) { id } }",
    "measures": "query O($id: ID!, $at: String) { measures(innovationId: $id, "
                "consistentWith: $at) { id } }",
    "spread": "query O($id: ID!, $at: String) { spread(innovationId: $id, consistentWith: $at) "
              "{ adoptions { site } } }",
    "node": "query O($id: ID!) { node(id: $id) { id } }",
}


@pytest.fixture(scope="module")
def lead(app: LifecycleApplication, live: LiveServer) -> Actor:
    org = new_organisation(app, "Betsi Cadwaladr UHB", ("Glan Clwyd", "Ysbyty Gwynedd"))
    staff = member(org, Role.STAFF)
    for n in range(3):
        app.execute(c.SubmitIdea(title=f"Argument idea {n}", problem="p", proposal="q",
                                 site="Glan Clwyd"), CommandContext(staff))
    return member(org, Role.INNOVATION_LEAD)


def forged(value: object) -> str:
    """A cursor as the server shapes them: base64url of JSON, unpadded."""
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def position_cursor(epoch_hex: str, position: str) -> str:
    return base64.urlsafe_b64encode(f"{epoch_hex}:{position}".encode()).decode().rstrip("=")


def refused_as_validation(response: Any) -> dict[str, Any]:
    """The request was refused with a readable GraphQL error whose code is VALIDATION."""
    body = sound(response)
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    assert codes, body
    assert set(codes) == {"VALIDATION"}, body
    return body


# -- the values that once came back as "Internal error" --------------------------------------------
HOSTILE_TEXT = ["a\x00b", "\x00", "bell\x07", "line\nbreak", "cr\rhere", "tab\there",
                "bidi\u202eevil", "zero\u200bwidth", "\ufeffbom", "c1\x85control",
                "nonchar\ufdd0", "private\ue000", "sep\u2028line", "x" * 10_001]
TEXT_ARGUMENTS = [("site", "site"), ("tag", "tag"), ("owner", "owner")]


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=repr)
@pytest.mark.parametrize("name", ["site", "tag", "owner", "search"])
def test_hostile_text_in_an_innovation_filter_is_a_validation_error(
        live: LiveServer, lead: Actor, name: str, value: str) -> None:
    body = refused_as_validation(post(live, lead, PAGE, {"filter": {name: value}}))
    assert f"filter.{name}" in body["errors"][0]["message"]


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=repr)
def test_hostile_text_in_the_pipeline_site_is_a_validation_error(live: LiveServer, lead: Actor,
                                                                 value: str) -> None:
    refused_as_validation(post(live, lead, PIPELINE, {"site": value}))


@pytest.mark.parametrize("group", ["surgeons", "nursing_and_midwifery\x00", "", "NURSING"])
def test_a_staff_group_outside_the_allowed_list_is_a_validation_error(
        live: LiveServer, lead: Actor, group: str) -> None:
    body = refused_as_validation(post(live, lead, PIPELINE, {"staffGroup": group}))
    assert "nursing_and_midwifery" in body["errors"][0]["message"]


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_every_allowed_staff_group_filters_the_pipeline(live: LiveServer, lead: Actor,
                                                        group: str) -> None:
    body = sound(post(live, lead, PIPELINE, {"staffGroup": group}))
    assert "errors" not in body, body


EDGE_DATES = ["0001-01-01", "0097-06-01", "1899-12-31", "2962-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize(("document", "variables"), [
    (PAGE, lambda d: {"filter": {"submittedFrom": d}}),
    (PAGE, lambda d: {"filter": {"submittedTo": d}}),
    (PIPELINE, lambda d: {"submittedFrom": d}),
    (PIPELINE, lambda d: {"submittedTo": d}),
    (CULTURE, lambda d: {"submittedFrom": d}),
    (CULTURE, lambda d: {"submittedTo": d}),
    (GOVERNANCE, lambda d: {"decidedFrom": d}),
    (GOVERNANCE, lambda d: {"decidedTo": d}),
], ids=["filter-from", "filter-to", "pipeline-from", "pipeline-to", "culture-from", "culture-to",
        "governance-from", "governance-to"])
def test_a_date_outside_the_sane_range_is_a_validation_error(
        live: LiveServer, lead: Actor, document: str, variables: Any, day: str) -> None:
    body = refused_as_validation(post(live, lead, document, variables(day)))
    assert "1900-01-01" in body["errors"][0]["message"]


def test_a_filter_ending_before_it_starts_is_a_validation_error(live: LiveServer,
                                                                 lead: Actor) -> None:
    refused_as_validation(post(live, lead, PAGE, {"filter": {
        "submittedFrom": "2025-02-01", "submittedTo": "2025-01-01"}}))


def test_dates_inside_the_range_filter_as_before(live: LiveServer, lead: Actor) -> None:
    this_year = date.today().year
    body = sound(post(live, lead, PAGE, {"filter": {"submittedFrom": "1900-01-01",
                                                    "submittedTo": f"{this_year + 10}-12-31"}}))
    assert len(body["data"]["innovations"]["edges"]) >= 3


EDGE_TIMES = [
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))).isoformat(),
    datetime(1, 1, 1).isoformat(),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59)))
    .isoformat(),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC).isoformat(),
    "2025-01-06T10:00:00",  # no offset: not a time the server ever puts in a cursor
]


@pytest.mark.parametrize("at", EDGE_TIMES)
@pytest.mark.parametrize(("document", "order"), [
    (PAGE, "SUBMITTED_DESC"), (PAGE, "SUBMITTED_ASC"), (PAGE, "UPDATED_DESC"),
    (DECISIONS, "DECIDED_DESC"),
])
def test_a_cursor_holding_a_time_at_the_edge_of_the_calendar_is_a_validation_error(
        live: LiveServer, lead: Actor, document: str, order: str, at: str) -> None:
    cursor = forged([order, at, str(uuid4())])
    variables = {"after": cursor} | ({"order": order} if document is PAGE else {})
    body = refused_as_validation(post(live, lead, document, variables))
    assert "after" in body["errors"][0]["message"]


@pytest.mark.parametrize("title", [t for t in HOSTILE_TEXT if "\x00" in t or len(t) > 200]
                         + ["", "tab\there"], ids=repr)
def test_a_title_cursor_holding_what_no_title_may_hold_is_a_validation_error(
        live: LiveServer, lead: Actor, title: str) -> None:
    cursor = forged(["TITLE_ASC", title, str(uuid4())])
    refused_as_validation(post(live, lead, PAGE, {"order": "TITLE_ASC", "after": cursor}))


def test_cursors_the_server_gave_still_page_in_every_order(live: LiveServer,
                                                            lead: Actor) -> None:
    for order in ("SUBMITTED_DESC", "SUBMITTED_ASC", "UPDATED_DESC", "TITLE_ASC"):
        first = sound(post(live, lead, PAGE, {"order": order, "first": 1}))
        cursor = first["data"]["innovations"]["edges"][0]["cursor"]
        rest = sound(post(live, lead, PAGE, {"order": order, "first": 2, "after": cursor}))
        assert "errors" not in rest, rest
        assert len(rest["data"]["innovations"]["edges"]) == 2


@pytest.mark.parametrize("position", [str(2**63), str(10**30), "-1", "1_000", "\u0661\u0662",
                                      " 12", "12\x00", ""])
@pytest.mark.parametrize("field", sorted(set(ONE) - {"node"}))  # node takes no position
def test_a_position_cursor_beyond_a_bigint_or_not_plain_digits_is_a_validation_error(
        live: LiveServer, lead: Actor, app: LifecycleApplication, field: str,
        position: str) -> None:
    cursor = position_cursor(app.store.epoch().hex, position)
    body = refused_as_validation(post(live, lead, ONE[field], {"id": str(uuid4()),
                                                               "at": cursor}))
    assert "consistentWith" in body["errors"][0]["message"]


def test_a_position_cursor_the_server_gave_is_still_read_your_writes(
        live: LiveServer, lead: Actor, app: LifecycleApplication) -> None:
    at = positions.encode(app.store.epoch(), app.store.head())
    body = sound(post(live, lead, PAGE, {"at": at}))
    assert "errors" not in body, body


@pytest.mark.parametrize("ident", ["a\x00b", "\x00" * 40, "x" * 100_000, "\u202e" * 36])
@pytest.mark.parametrize("field", sorted(ONE))
def test_an_id_that_is_not_an_id_never_reaches_the_database(
        live: LiveServer, lead: Actor, field: str, ident: str) -> None:
    body = sound(post(live, lead, ONE[field], {"id": ident}))
    codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
    assert codes <= {"VALIDATION"}, body


# -- hypothesis over every argument ----------------------------------------------------------
REFUSED_CATEGORIES: list[Any] = ["Cc", "Cf", "Co", "Cn", "Zl", "Zp"]  # (hypothesis: literals)
ANY_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(categories=REFUSED_CATEGORIES), min_size=1, max_size=5),
    st.tuples(st.text(max_size=10), st.characters(categories=REFUSED_CATEGORIES),
              st.text(max_size=10)).map("".join),
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(list(STAFF_GROUPS)),
)
ANY_DATE = st.one_of(st.dates().map(date.isoformat), st.sampled_from(EDGE_DATES))
OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
ANY_TIME = st.one_of(
    st.datetimes(timezones=st.none() | OFFSETS).map(datetime.isoformat),
    st.sampled_from(EDGE_TIMES),
    ANY_TEXT,
)
ANY_ID = st.one_of(st.uuids().map(str), ANY_TEXT)
ORDERS = ["SUBMITTED_DESC", "SUBMITTED_ASC", "UPDATED_DESC", "TITLE_ASC", "DECIDED_DESC"]
ANY_CURSOR = st.one_of(
    st.tuples(st.sampled_from(ORDERS), ANY_TIME, ANY_ID).map(lambda t: forged(list(t))),
    ANY_TEXT,
)
# Positions the log cannot have (a position it may reach later is a wait for the projector,
# not a refusal, and is tested in test_queries).
ANY_POSITION = st.one_of(
    st.integers(min_value=2**63, max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=-1).map(str),
    st.just("0"),
    ANY_TEXT,
)
FILTER = st.fixed_dictionaries({}, optional={
    "site": ANY_TEXT, "tag": ANY_TEXT, "owner": ANY_TEXT, "search": ANY_TEXT,
    "organisationId": ANY_ID, "challengeId": ANY_ID,
    "submittedFrom": ANY_DATE, "submittedTo": ANY_DATE,
    "stages": st.lists(st.sampled_from(["SUBMITTED", "CONCEPT", "EMBEDDED"]), max_size=3),
})


def never_internal(response: Any) -> None:
    """Never a 5xx or a masked internal error (``sound``); an error met while resolving a field
    is a VALIDATION refusal (those of coercing the variables have no path)."""
    body = sound(response)
    for error in body.get("errors") or []:
        if "path" in error:
            assert error["extensions"]["code"] == "VALIDATION", error


@fuzz(150)
@given(filter=FILTER, order=st.sampled_from(ORDERS[:4]), after=st.none() | ANY_CURSOR,
       first=st.none() | st.integers(-5, 105))
def test_fuzzed_filters_and_cursors_never_give_an_internal_error(
        live: LiveServer, lead: Actor, filter: dict[str, Any], order: str, after: str | None,
        first: int | None) -> None:
    never_internal(post(live, lead, PAGE, {"filter": filter, "order": order, "after": after,
                                           "first": first}))


@fuzz(80)
@given(site=st.none() | ANY_TEXT, challenge=st.none() | ANY_ID, group=st.none() | ANY_TEXT,
       start=st.none() | ANY_DATE, end=st.none() | ANY_DATE)
def test_fuzzed_board_arguments_never_give_an_internal_error(
        live: LiveServer, lead: Actor, site: str | None, challenge: str | None,
        group: str | None, start: str | None, end: str | None) -> None:
    never_internal(post(live, lead, PIPELINE, {
        "site": site, "challengeId": challenge, "staffGroup": group, "submittedFrom": start,
        "submittedTo": end}))
    never_internal(post(live, lead, CULTURE, {"submittedFrom": start, "submittedTo": end}))
    never_internal(post(live, lead, GOVERNANCE, {"decidedFrom": start, "decidedTo": end}))


@fuzz(80)
@given(after=st.none() | ANY_CURSOR, first=st.none() | st.integers(-5, 105),
       escalated=st.none() | st.booleans())
def test_fuzzed_decision_cursors_never_give_an_internal_error(
        live: LiveServer, lead: Actor, after: str | None, first: int | None,
        escalated: bool | None) -> None:
    never_internal(post(live, lead, DECISIONS, {"after": after, "first": first,
                                                "escalated": escalated}))


@fuzz(100)
@given(field=st.sampled_from(sorted(ONE)), ident=ANY_ID, epoch=st.booleans(),
       position=st.none() | ANY_POSITION)
def test_fuzzed_ids_and_positions_never_give_an_internal_error(
        live: LiveServer, lead: Actor, app: LifecycleApplication, field: str, ident: str,
        epoch: bool, position: str | None) -> None:
    variables: dict[str, Any] = {"id": ident}
    if field != "node" and position is not None:
        variables["at"] = position_cursor(app.store.epoch().hex if epoch else uuid4().hex,
                                          position)
    never_internal(post(live, lead, ONE[field], variables))
