"""An auditor's scope in the domain (lifecycle/actor.py, lifecycle/visibility.py): an auditor,
and only an auditor, names the organisations it audits; it reads as those organisations, at the
widest scope any of them has, and as no other."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from lifecycle import visibility
from lifecycle.actor import AUDIT_SCOPE_MAX, PLATFORM, Actor, Role
from lifecycle.errors import ValidationFailed
from lifecycle.visibility import Scope
from lifecycle.vocabulary import SharingScope

OWNER, FULL, SUMMARY, STRANGER = (uuid4() for _ in range(4))
SHARED = {FULL: SharingScope.FULL.value, SUMMARY: SharingScope.SUMMARY.value}


def auditor(*audits: UUID, organisation: UUID = STRANGER) -> Actor:
    return Actor("auditor-1", organisation, frozenset({Role.AUDITOR}),
                 audit_scope=frozenset(audits))


@pytest.mark.parametrize(("audits", "expected"), [
    ((OWNER,), Scope.OWN), ((FULL,), Scope.FULL), ((SUMMARY,), Scope.SUMMARY),
    ((STRANGER,), Scope.NONE), ((SUMMARY, FULL), Scope.FULL), ((FULL, OWNER), Scope.OWN),
    ((SUMMARY, STRANGER), Scope.SUMMARY)])
def test_an_auditor_sees_at_the_widest_scope_of_the_organisations_it_audits(
        audits: tuple[UUID, ...], expected: Scope) -> None:
    assert visibility.scope(auditor(*audits).viewers, OWNER, SHARED) is expected


def test_an_auditor_reads_as_its_scope_and_not_as_its_own_organisation() -> None:
    assert auditor(STRANGER, organisation=OWNER).viewers == (STRANGER,)
    assert visibility.scope(auditor(STRANGER, organisation=OWNER).viewers, OWNER,
                            SHARED) is Scope.NONE


def test_anyone_else_reads_as_its_own_organisation() -> None:
    staff = Actor("person-1", OWNER, frozenset({Role.STAFF}))
    assert staff.viewers == (OWNER,)


def test_a_record_of_any_organisation_audited_is_seen() -> None:
    assert visibility.record_seen(auditor(SUMMARY, FULL).viewers, FULL, OWNER, SHARED)
    assert not visibility.record_seen(auditor(SUMMARY).viewers, STRANGER, OWNER, SHARED)


@pytest.mark.parametrize(("roles", "audits", "field"), [
    ({Role.AUDITOR}, frozenset(), "audit_scope"),
    ({Role.AUDITOR}, frozenset(uuid4() for _ in range(AUDIT_SCOPE_MAX + 1)), "audit_scope"),
    ({Role.AUDITOR}, frozenset({PLATFORM}), "audit_scope"),
    ({Role.STAFF}, frozenset({OWNER}), "audit_scope"),
    ({Role.AUDITOR, Role.INNOVATION_LEAD}, frozenset({OWNER}), "roles"),
], ids=["none", "too-many", "the-platform", "not-an-auditor", "not-alone"])
def test_an_audit_scope_is_an_auditors_alone_and_names_organisations(
        roles: set[Role], audits: frozenset[UUID], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        Actor("person-1", OWNER, frozenset(roles), audit_scope=audits)
    assert refused.value.field == field
