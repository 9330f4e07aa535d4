"""Who may issue which command (docs/domain.md, "Who uses it"), checked by the application so that
every entry point, the API, the CLI and the seed alike, is held to it.

An innovation that the caller's organisation neither owns nor has had shared with it does not
exist for the caller: refusals say ``NotFound`` rather than confirm that it exists.
"""

from __future__ import annotations

from uuid import UUID

from lifecycle.actor import Actor, Authority, Role
from lifecycle.errors import Forbidden, NotFound
from lifecycle.innovation import Innovation

CONTRIBUTORS = frozenset({Role.STAFF, Role.INNOVATION_LEAD, Role.GOVERNANCE_TEAM,
                          Role.GOVERNANCE_DIRECTORATE, Role.GOVERNANCE_EXECUTIVE,
                          Role.GOVERNANCE_BOARD, Role.ADMIN})
LEADS = frozenset({Role.INNOVATION_LEAD, Role.ADMIN})
GOVERNORS = frozenset({Role.GOVERNANCE_TEAM, Role.GOVERNANCE_DIRECTORATE,
                       Role.GOVERNANCE_EXECUTIVE, Role.GOVERNANCE_BOARD})
PARTNER_SIDE = frozenset({Role.PARTNER, Role.INNOVATION_LEAD, Role.ADMIN})


def refuse_auditors(actor: Actor) -> None:
    if actor.roles and actor.roles <= {Role.AUDITOR}:
        raise Forbidden("auditors read the record; they do not write to it")


def require_role(actor: Actor, allowed: frozenset[Role], doing: str) -> None:
    refuse_auditors(actor)
    if not actor.roles & allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"to {doing} you need one of these roles: {names}")


def require_member(actor: Actor, organisation_id: UUID, doing: str) -> None:
    if actor.organisation != organisation_id:
        raise Forbidden(f"only members of the organisation may {doing}")


def visible(actor: Actor, innovation: Innovation) -> None:
    """Refuse, as not found, an innovation the caller's organisation may not see."""
    if actor.organisation != innovation.organisation_id and \
            actor.organisation not in innovation.shared_with:
        raise NotFound("innovation", innovation.id)


def owner_action(actor: Actor, innovation: Innovation, allowed: frozenset[Role],
                 doing: str) -> None:
    """An action that only the owning organisation's people with one of ``allowed`` may take."""
    visible(actor, innovation)
    require_role(actor, allowed, doing)
    require_member(actor, innovation.organisation_id, doing)


def contributor_action(actor: Actor, innovation: Innovation, doing: str) -> None:
    """Endorsing and commenting: the owner's staff, or a partner it was fully shared with."""
    visible(actor, innovation)
    refuse_auditors(actor)
    if actor.organisation == innovation.organisation_id:
        require_role(actor, CONTRIBUTORS, doing)
    else:
        require_role(actor, PARTNER_SIDE | CONTRIBUTORS, doing)
        if innovation.shared_with.get(actor.organisation) != "FULL":
            raise Forbidden(f"to {doing} the innovation must be fully shared with you")


def reviser(actor: Actor, innovation: Innovation) -> None:
    visible(actor, innovation)
    refuse_auditors(actor)
    require_member(actor, innovation.organisation_id, "revise an idea")
    if actor.subject != innovation.submitter and not actor.roles & LEADS:
        raise Forbidden("only the submitter or an innovation lead may revise an idea")


def local_adopter(actor: Actor, innovation: Innovation, adopter: UUID, doing: str) -> None:
    """Spread: the owner's leads record any adoption; a partner records only its own."""
    visible(actor, innovation)
    if actor.organisation == innovation.organisation_id:
        require_role(actor, LEADS, doing)
        return
    require_role(actor, PARTNER_SIDE, doing)
    if adopter != actor.organisation:
        raise Forbidden(f"a partner may {doing} only for its own organisation")


def decider(actor: Actor, innovation: Innovation, authority: Authority) -> None:
    owner_action(actor, innovation, GOVERNORS, "decide adoption")
    held = actor.highest_authority
    if held is None or held < authority:
        raise Forbidden(
            f"you hold {held.value if held else 'no'} authority; "
            f"a decision at {authority.value} level needs that authority"
        )
