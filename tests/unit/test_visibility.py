"""The visibility rule in Python (``lifecycle/visibility.py``): who sees an innovation, at what
scope, and whose records (adoptions, measures) they see, for every standing a caller can have.
The same table is asked of the SQL twin in ``tests/integration/test_visibility_sql.py``."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from lifecycle import visibility
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.directory.challenge import Challenge
from lifecycle.directory.organisation import Organisation
from lifecycle.governance.authority import Thresholds
from lifecycle.improvement.measure import Measure
from lifecycle.innovations.innovation import Innovation
from lifecycle.visibility import Scope
from lifecycle.vocabulary import SharingScope

OWNER, FULL, SUMMARY, REVOKED, NONE = (uuid4() for _ in range(5))
LEAD = CommandContext(Actor("lead", OWNER, frozenset({Role.INNOVATION_LEAD})))


def shared_innovation() -> Innovation:
    """An innovation of OWNER shared in FULL, as a SUMMARY, and once with REVOKED."""
    idea = Innovation.submit(LEAD, uuid4(), organisation_id=OWNER, site=None, challenge_id=None,
                             title="t", problem="p", proposal="q", tags=(),
                             innovation_class="IMPROVEMENT", staff_group=None)
    idea.share(LEAD, organisation_id=FULL, scope=SharingScope.FULL)
    idea.share(LEAD, organisation_id=SUMMARY, scope=SharingScope.SUMMARY)
    idea.share(LEAD, organisation_id=REVOKED, scope=SharingScope.FULL)
    idea.revoke_sharing(LEAD, organisation_id=REVOKED, reason="ended")
    idea.collect_events()
    return idea


# (viewer organisation, the scope it sees the innovation at)
STANDINGS = {"own": (OWNER, Scope.OWN), "full": (FULL, Scope.FULL),
             "summary": (SUMMARY, Scope.SUMMARY), "revoked": (REVOKED, Scope.NONE),
             "none": (NONE, Scope.NONE)}


@pytest.mark.parametrize("standing", list(STANDINGS))
def test_each_standing_sees_the_innovation_at_its_scope(standing: str) -> None:
    viewer, expected = STANDINGS[standing]

    assert visibility.innovation_scope(viewer, shared_innovation()) is expected


@pytest.mark.parametrize("standing", list(STANDINGS))
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PLATFORM_ADMIN], ids=str)
def test_visibility_depends_on_the_organisation_never_on_the_role(standing: str,
                                                                  role: Role) -> None:
    """An auditor of an organisation sees what everyone of it sees: its own innovations in
    full, and what is shared with the organisation at the share's scope."""
    viewer, expected = STANDINGS[standing]
    audits = frozenset({viewer}) if role is Role.AUDITOR else frozenset()
    actor = Actor("someone", viewer, frozenset({role}), audit_scope=audits)

    assert visibility.sees(actor, shared_innovation(), _no_innovation) is expected.sees


def test_a_platform_administrator_sees_no_organisation_s_innovation() -> None:
    """It acts for the platform, which owns nothing and is shared nothing."""
    actor = Actor("root", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))

    assert visibility.sees(actor, shared_innovation(), _no_innovation) is False


def test_scopes_say_what_exists_and_what_detail_shows() -> None:
    assert [(s.sees, s.detail) for s in Scope] == [
        (True, True), (True, True), (True, False), (False, False)]


# Whose records each standing sees: (record of the owner, record of the FULL partner adopter,
# record of a third organisation that adopted).
RECORDS = {"own": (True, True, True), "full": (True, True, False),
           "summary": (False, False, False), "revoked": (False, False, False),
           "none": (False, False, False)}


@pytest.mark.parametrize("standing", list(STANDINGS))
def test_an_adoptions_and_measures_detail_belongs_to_its_adopter_and_the_owner(
        standing: str) -> None:
    """The FULL partner sees its own record and the owner's, but not another adopter's."""
    viewer, _ = STANDINGS[standing]
    innovation = shared_innovation()
    third = uuid4()

    seen = tuple(visibility.sees_record(viewer, recorder, innovation)
                 for recorder in (OWNER, FULL, third))

    assert seen == RECORDS[standing]


@pytest.mark.parametrize("standing", list(STANDINGS))
def test_who_adopted_is_seen_with_the_detail_and_by_each_adopter_of_its_own(
        standing: str) -> None:
    viewer, scope = STANDINGS[standing]
    innovation = shared_innovation()
    third = uuid4()

    seen = [visibility.sees_adoption(viewer, adopter, innovation)
            for adopter in (OWNER, FULL, third, viewer)]

    assert seen == [scope.detail] * 3 + [True]


def test_an_adopters_own_record_stays_its_own_after_the_share_is_revoked() -> None:
    innovation = shared_innovation()

    assert visibility.sees_record(REVOKED, REVOKED, innovation)
    assert not visibility.sees_record(REVOKED, OWNER, innovation)


@pytest.mark.parametrize("standing", list(STANDINGS))
def test_a_measure_exists_for_its_organisation_and_whoever_sees_its_record(
        standing: str) -> None:
    viewer, _ = STANDINGS[standing]
    innovation = shared_innovation()
    actor = Actor("someone", viewer, frozenset({Role.AUDITOR}), audit_scope=frozenset({viewer}))

    def innovation_of(ident: UUID) -> Innovation:
        assert ident == innovation.id
        return innovation

    seen = tuple(visibility.sees(actor, measure(innovation, recorder), innovation_of)
                 for recorder in (OWNER, FULL))

    assert seen == RECORDS[standing][:2]


def test_a_measure_of_the_callers_own_organisation_needs_no_look_at_the_innovation() -> None:
    actor = Actor("someone", FULL, frozenset({Role.PARTNER}))

    assert visibility.sees(actor, measure(shared_innovation(), FULL), _no_innovation)


def test_a_challenge_exists_only_for_its_organisation() -> None:
    challenge = Challenge.open(LEAD, uuid4(), organisation_id=OWNER, title="t", problem="p",
                               opens_on=date(2025, 1, 1), closes_on=date(2025, 2, 1))

    assert [visibility.sees(Actor("a", viewer, frozenset({Role.ADMIN})), challenge,
                            _no_innovation) for viewer, _ in STANDINGS.values()] == [
        True, False, False, False, False]


def test_the_directory_of_organisations_is_public() -> None:
    org = Organisation.register(CommandContext(Actor("root", NONE, frozenset({Role.ADMIN}))),
                                uuid4(), name="Trust", kind="TRUST", sites=(),
                                thresholds=Thresholds())

    assert all(visibility.sees(Actor("a", viewer, frozenset({Role.STAFF})), org, _no_innovation)
               for viewer, _ in STANDINGS.values())


def measure(innovation: Innovation, recorder: UUID) -> Measure:
    ctx = CommandContext(Actor("m", recorder, frozenset({Role.PARTNER})))
    return Measure.define(ctx, uuid4(), innovation_id=innovation.id, organisation_id=recorder,
                          site=None, name="n", unit="u", better="LOWER", chart="XMR")


def _no_innovation(ident: UUID) -> Innovation:
    raise AssertionError("the rule needed no innovation here")
