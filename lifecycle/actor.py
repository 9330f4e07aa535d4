"""Who acts, and with what standing.

People are opaque ids here (``subject``); names and contact details live only in the person
registry so that erasure touches one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID, uuid4


class Role(StrEnum):
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


_AUTHORITY_ORDER = [Authority.TEAM, Authority.DIRECTORATE, Authority.EXECUTIVE, Authority.BOARD]

GOVERNANCE_AUTHORITY: dict[Role, Authority] = {
    Role.GOVERNANCE_TEAM: Authority.TEAM,
    Role.GOVERNANCE_DIRECTORATE: Authority.DIRECTORATE,
    Role.GOVERNANCE_EXECUTIVE: Authority.EXECUTIVE,
    Role.GOVERNANCE_BOARD: Authority.BOARD,
}


@dataclass(frozen=True)
class Actor:
    """The person (opaque id) acting, the organisation they act for, and their roles."""

    subject: str
    organisation: UUID
    roles: frozenset[Role]
    staff_group: str | None = None

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
