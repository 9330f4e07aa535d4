"""Who may issue which command (docs/domain.md, "Who uses it"), checked by the application so that
every entry point, the API, the CLI and the seed alike, is held to it.

These checks run on what already exists for the caller: ``LifecycleApplication.load`` refuses
an aggregate the caller may not see (``lifecycle/visibility.py``) as ``NotFound``, before any
of them, so a refusal here (``Forbidden``) never confirms that a hidden innovation exists.
"""

from __future__ import annotations

from uuid import UUID

from lifecycle import visibility
from lifecycle.actor import Actor, Authority, Role
from lifecycle.errors import Forbidden
from lifecycle.innovations.innovation import Innovation
from lifecycle.visibility import Scope

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


def owner_action(actor: Actor, innovation: Innovation, allowed: frozenset[Role],
                 doing: str) -> None:
    """An action that only the owning organisation's people with one of ``allowed`` may take."""
    require_role(actor, allowed, doing)
    require_member(actor, innovation.organisation_id, doing)


def contributor_action(actor: Actor, innovation: Innovation, doing: str) -> None:
    """Endorsing and commenting: the owning organisation's contributors only. A partner sees
    and subscribes to what is shared with it and records its own adoptions and measures
    (DOMAIN.md); it does not take part in the owner's discussion of an idea."""
    owner_action(actor, innovation, CONTRIBUTORS, doing)


def reviser(actor: Actor, innovation: Innovation) -> None:
    refuse_auditors(actor)
    require_member(actor, innovation.organisation_id, "revise an idea")
    if actor.subject != innovation.submitter and not actor.roles & LEADS:
        raise Forbidden("only the submitter or an innovation lead may revise an idea")


def local_adopter(actor: Actor, innovation: Innovation, adopter: UUID, doing: str) -> None:
    """Starting an adoption (or defining its measures): as ``own_adoption``, and a partner
    only of an innovation shared with it in full (the adopter needs the detail to adapt it; only
    the owner grants that, by sharing: adopting never changes what is shared)."""
    own_adoption(actor, innovation, adopter, doing)
    if actor.organisation != innovation.organisation_id and \
            visibility.innovation_scope(actor.organisation, innovation) is not Scope.FULL:
        raise Forbidden(f"to {doing} the innovation must be shared with your organisation in "
                        "full; ask its owner to share it")


def own_adoption(actor: Actor, innovation: Innovation, adopter: UUID, doing: str) -> None:
    """Spread: the owner's leads record any adoption; a partner records only its own, and
    sustains or abandons it whatever the innovation's share now (the adoption is the
    adopter's)."""
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
