"""Who acts, and with what standing.

People are opaque ids here (``subject``); names and contact details live only in the person
registry so that erasure touches one place.

Two kinds of administrator: an organisation's ``admin`` administers that organisation only (its
sites and decision thresholds); the ``platform_admin`` administers the platform itself (registers
organisations; later, erases people) and acts for no organisation: its actor's organisation is
``PLATFORM``, which is never registered, so it owns nothing and nothing is shared with it.

An ``auditor`` reads and writes nothing of its own: it sees what the organisations it audits
see (its ``audit_scope``, from its token's ``audit_orgs`` claim), those and no others, whatever
organisation it belongs to. The role is held alone, so that a token never mixes an auditor's
reading with another role's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from lifecycle import validation as v
from lifecycle.errors import ValidationFailed

PLATFORM = uuid5(NAMESPACE_URL, "urn:lifecycle:platform")
"""What a platform administrator acts for: the platform, not an organisation."""


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    STAFF = "staff"
    INNOVATION_LEAD = "innovation_lead"
    GOVERNANCE_TEAM = "governance_team"
    GOVERNANCE_DIRECTORATE = "governance_directorate"
    GOVERNANCE_EXECUTIVE = "governance_executive"
    GOVERNANCE_BOARD = "governance_board"
    AUDITOR = "auditor"
    PARTNER = "partner"
    ADMIN = "admin"


class Authority(StrEnum):
    """Governance levels, lowest first."""

    TEAM = "team"
    DIRECTORATE = "directorate"
    EXECUTIVE = "executive"
    BOARD = "board"

    @property
    def rank(self) -> int:
        return _AUTHORITY_ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Authority):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Authority):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Authority):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Authority):
            return NotImplemented
        return self.rank >= other.rank


AUDIT_SCOPE_MAX = 100
"""Organisations one auditor may audit: a bound on what a token carries (input limits)."""

_AUTHORITY_ORDER = [Authority.TEAM, Authority.DIRECTORATE, Authority.EXECUTIVE, Authority.BOARD]

GOVERNANCE_AUTHORITY: dict[Role, Authority] = {
    Role.GOVERNANCE_TEAM: Authority.TEAM,
    Role.GOVERNANCE_DIRECTORATE: Authority.DIRECTORATE,
    Role.GOVERNANCE_EXECUTIVE: Authority.EXECUTIVE,
    Role.GOVERNANCE_BOARD: Authority.BOARD,
}


@dataclass(frozen=True)
class Actor:
    """The person (opaque id) acting, the organisation they act for, and their roles; an
    auditor's ``audit_scope`` is the organisations whose record it reads (module docstring)."""

    subject: str
    organisation: UUID
    roles: frozenset[Role]
    staff_group: str | None = None
    audit_scope: frozenset[UUID] = frozenset()

    def __post_init__(self) -> None:
        """Whoever builds an actor (a token, the CLI, the seed) is held to the input rules:
        the subject is an id (``validation.subject``), the staff group one of the allowed, and
        the platform administrator acts for the platform alone, and an auditor (alone too) has
        an ``audit_scope`` of 1 to ``AUDIT_SCOPE_MAX`` organisations, which no other role has.
        Raises ``ValidationFailed`` naming ``subject``, ``staff_group``, ``organisation``,
        ``roles`` or ``audit_scope``."""
        v.subject("subject", self.subject)
        v.staff_group("staff_group", self.staff_group)
        if not isinstance(self.organisation, UUID):
            raise ValidationFailed("organisation", "must be an organisation's id")
        if Role.PLATFORM_ADMIN in self.roles:
            if self.roles != {Role.PLATFORM_ADMIN}:
                raise ValidationFailed("roles", "platform_admin is held alone: a platform "
                                                "administrator acts for no organisation")
            if self.organisation != PLATFORM:
                raise ValidationFailed("organisation", f"a platform administrator acts for the "
                                                       f"platform ({PLATFORM})")
        elif self.organisation == PLATFORM:
            raise ValidationFailed("organisation", "the platform is not an organisation: only "
                                                   "platform_admin acts for it")
        self._check_audit_scope()

    def _check_audit_scope(self) -> None:
        if Role.AUDITOR not in self.roles:
            if self.audit_scope:
                raise ValidationFailed("audit_scope", "only an auditor has organisations to "
                                                      "audit")
            return
        if self.roles != {Role.AUDITOR}:
            raise ValidationFailed("roles", "auditor is held alone: an auditor reads the "
                                            "record of the organisations it audits and writes "
                                            "nothing")
        if not self.audit_scope:
            raise ValidationFailed("audit_scope", "an auditor must name the organisations it "
                                                  "audits (at least one)")
        if len(self.audit_scope) > AUDIT_SCOPE_MAX:
            raise ValidationFailed("audit_scope", f"at most {AUDIT_SCOPE_MAX} organisations")
        if not all(isinstance(o, UUID) and o != PLATFORM for o in self.audit_scope):
            raise ValidationFailed("audit_scope", "must be organisations' ids")

    @property
    def viewers(self) -> tuple[UUID, ...]:
        """The organisations whose view of the record this actor reads (``lifecycle/
        visibility.py``): an auditor's audit scope, anyone else's own organisation. Sorted, so
        that equal actors read as equal viewers."""
        if self.audit_scope:
            return tuple(sorted(self.audit_scope))
        return (self.organisation,)

    @property
    def administers_platform(self) -> bool:
        return self.roles == {Role.PLATFORM_ADMIN}

    @property
    def primary_role(self) -> Role:
        """The role recorded on events: the most senior the actor holds."""
        for role in _ROLE_SENIORITY:
            if role in self.roles:
                return role
        return Role.STAFF

    @property
    def highest_authority(self) -> Authority | None:
        levels = [GOVERNANCE_AUTHORITY[r] for r in self.roles if r in GOVERNANCE_AUTHORITY]
        return max(levels, key=lambda a: a.rank) if levels else None


_ROLE_SENIORITY = [
    Role.PLATFORM_ADMIN,
    Role.ADMIN,
    Role.GOVERNANCE_BOARD,
    Role.GOVERNANCE_EXECUTIVE,
    Role.GOVERNANCE_DIRECTORATE,
    Role.GOVERNANCE_TEAM,
    Role.INNOVATION_LEAD,
    Role.AUDITOR,
    Role.PARTNER,
    Role.STAFF,
]


@dataclass(frozen=True)
class CommandContext:
    """What travels with every command into its events: who, why, which request."""

    actor: Actor
    correlation_id: UUID = field(default_factory=uuid4)
    idempotency_key: str | None = None
    expected_version: int | None = None
