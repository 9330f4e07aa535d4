"""Who may do what (docs/domain.md, "Who uses it"), with actors of every role.

The policy runs on what exists for the caller: whether it does (``lifecycle/visibility.py``)
is tested in ``test_visibility.py`` and, through the application, in the authorisation matrix."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from lifecycle import policy
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.errors import Forbidden
from lifecycle.innovations.innovation import Innovation
from lifecycle.vocabulary import SharingScope

OWNER = uuid4()
PARTNER_ORG = uuid4()
STRANGER_ORG = uuid4()

GOVERNANCE_ROLES = {
    Role.GOVERNANCE_TEAM: Authority.TEAM,
    Role.GOVERNANCE_DIRECTORATE: Authority.DIRECTORATE,
    Role.GOVERNANCE_EXECUTIVE: Authority.EXECUTIVE,
    Role.GOVERNANCE_BOARD: Authority.BOARD,
}


def actor(*roles: Role, organisation: UUID = OWNER, subject: str | None = None) -> Actor:
    audits = frozenset({organisation}) if Role.AUDITOR in roles else frozenset()
    return Actor(subject or f"person-{uuid4().hex[:8]}", organisation, frozenset(roles),
                 audit_scope=audits)


SUBMITTER = actor(Role.STAFF, subject="staff-submitter")


def innovation(**shared: SharingScope) -> Innovation:
    """An idea submitted by SUBMITTER at OWNER, shared with "partner" and/or "stranger"."""
    idea = Innovation.submit(
        CommandContext(SUBMITTER), uuid4(), organisation_id=OWNER, site=None, challenge_id=None,
        title="t", problem="p", proposal="q", tags=(), innovation_class="IMPROVEMENT",
        staff_group=None)
    lead = CommandContext(actor(Role.INNOVATION_LEAD))
    organisations = {"partner": PARTNER_ORG, "stranger": STRANGER_ORG}
    for name, scope in shared.items():
        idea.share(lead, organisation_id=organisations[name], scope=scope)
    idea.collect_events()
    return idea


# Every policy check that guards a write, as a call with an actor and an innovation.
WRITES: dict[str, Callable[[Actor, Innovation], None]] = {
    "require_role": lambda a, i: policy.require_role(a, policy.CONTRIBUTORS, "submit an idea"),
    "owner_action": lambda a, i: policy.owner_action(a, i, policy.LEADS, "triage an idea"),
    "contributor_action": lambda a, i: policy.contributor_action(a, i, "comment on an idea"),
    "reviser": policy.reviser,
    "local_adopter": lambda a, i: policy.local_adopter(a, i, a.organisation, "start an adoption"),
    "decider": lambda a, i: policy.decider(a, i, Authority.TEAM),
}


# -- auditors -------------------------------------------------------------------------------------
@pytest.mark.parametrize("check", list(WRITES))
def test_an_auditor_of_the_owning_organisation_is_refused_every_write(check: str) -> None:
    auditor = actor(Role.AUDITOR, subject="staff-submitter")  # even as the submitter's id

    with pytest.raises(Forbidden, match="auditors read the record; they do not write to it"):
        WRITES[check](auditor, innovation())


@pytest.mark.parametrize("check", ["contributor_action", "local_adopter"])
def test_an_auditor_of_a_partner_it_is_fully_shared_with_is_refused_writes(check: str) -> None:
    auditor = actor(Role.AUDITOR, organisation=PARTNER_ORG)

    with pytest.raises(Forbidden, match="auditors"):
        WRITES[check](auditor, innovation(partner=SharingScope.FULL))


def test_refuse_auditors_lets_other_roles_through() -> None:
    for role in Role:
        if role not in (Role.AUDITOR, Role.PLATFORM_ADMIN):  # one acts for the platform alone
            policy.refuse_auditors(actor(role))


# -- contributing: endorse and comment ------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(policy.CONTRIBUTORS), ids=str)
def test_the_owners_contributors_may_endorse_and_comment(role: Role) -> None:
    policy.contributor_action(actor(role), innovation(), "endorse an idea")


def test_a_partner_role_of_the_owner_may_not_contribute() -> None:
    with pytest.raises(Forbidden, match="to endorse an idea you need one of these roles"):
        policy.contributor_action(actor(Role.PARTNER), innovation(), "endorse an idea")


def test_an_actor_without_roles_may_not_contribute() -> None:
    with pytest.raises(Forbidden, match="you need one of these roles"):
        policy.contributor_action(actor(), innovation(), "endorse an idea")


@pytest.mark.parametrize("scope", list(SharingScope), ids=str)
@pytest.mark.parametrize("role", [Role.PARTNER, Role.STAFF, Role.INNOVATION_LEAD, Role.ADMIN],
                         ids=str)
def test_a_partner_may_not_endorse_or_comment_whatever_the_share(role: Role,
                                                                 scope: SharingScope) -> None:
    """A partner sees and subscribes to what is shared with it and records its own adoptions
    and measures (DOMAIN.md): the discussion of an idea is the owner's people's."""
    with pytest.raises(Forbidden, match="comment on an idea"):
        policy.contributor_action(actor(role, organisation=PARTNER_ORG),
                                  innovation(partner=scope), "comment on an idea")


# -- revising -------------------------------------------------------------------------------------
def test_the_submitter_may_revise_their_idea() -> None:
    policy.reviser(SUBMITTER, innovation())


@pytest.mark.parametrize("role", [Role.INNOVATION_LEAD, Role.ADMIN], ids=str)
def test_a_lead_of_the_owner_may_revise_any_idea(role: Role) -> None:
    policy.reviser(actor(role), innovation())


@pytest.mark.parametrize("role", [Role.STAFF, Role.GOVERNANCE_BOARD], ids=str)
def test_someone_else_may_not_revise_an_idea(role: Role) -> None:
    with pytest.raises(Forbidden, match="only the submitter or an innovation lead"):
        policy.reviser(actor(role), innovation())


def test_a_partner_lead_may_not_revise_a_shared_idea() -> None:
    with pytest.raises(Forbidden, match="only members of the organisation may revise an idea"):
        policy.reviser(actor(Role.INNOVATION_LEAD, organisation=PARTNER_ORG),
                       innovation(partner=SharingScope.FULL))


def test_the_submitters_id_in_another_organisation_may_not_revise() -> None:
    namesake = actor(Role.STAFF, organisation=PARTNER_ORG, subject=SUBMITTER.subject)

    with pytest.raises(Forbidden, match="only members"):
        policy.reviser(namesake, innovation(partner=SharingScope.FULL))


# -- owner actions (triage, prototypes, evaluation...) --------------------------------------------
@pytest.mark.parametrize("role", [Role.INNOVATION_LEAD, Role.ADMIN], ids=str)
def test_the_owners_leads_may_take_lead_actions(role: Role) -> None:
    policy.owner_action(actor(role), innovation(), policy.LEADS, "triage an idea")


@pytest.mark.parametrize("role", [Role.STAFF, Role.PARTNER, Role.GOVERNANCE_BOARD], ids=str)
def test_other_roles_of_the_owner_may_not_take_lead_actions(role: Role) -> None:
    with pytest.raises(Forbidden, match="to triage an idea you need one of these roles: "
                                        "admin, innovation_lead"):
        policy.owner_action(actor(role), innovation(), policy.LEADS, "triage an idea")


def test_a_partner_lead_may_not_take_lead_actions_on_a_shared_innovation() -> None:
    with pytest.raises(Forbidden, match="only members of the organisation may triage an idea"):
        policy.owner_action(actor(Role.INNOVATION_LEAD, organisation=PARTNER_ORG),
                            innovation(partner=SharingScope.FULL), policy.LEADS,
                            "triage an idea")


# -- spread: local adoptions ------------------------------------------------------------------
@pytest.mark.parametrize("adopter", [OWNER, PARTNER_ORG], ids=["own-site", "partner"])
@pytest.mark.parametrize("role", [Role.INNOVATION_LEAD, Role.ADMIN], ids=str)
def test_the_owners_leads_may_record_any_adoption(role: Role, adopter: UUID) -> None:
    policy.local_adopter(actor(role), innovation(), adopter, "start an adoption")


@pytest.mark.parametrize("role", [Role.STAFF, Role.PARTNER, Role.GOVERNANCE_BOARD], ids=str)
def test_the_owners_other_roles_may_not_record_adoptions(role: Role) -> None:
    with pytest.raises(Forbidden, match="you need one of these roles"):
        policy.local_adopter(actor(role), innovation(), OWNER, "start an adoption")


@pytest.mark.parametrize("role", sorted(policy.PARTNER_SIDE), ids=str)
def test_a_partner_may_start_an_adoption_for_its_own_organisation_when_shared_in_full(
        role: Role) -> None:
    partner = actor(role, organisation=PARTNER_ORG)

    policy.local_adopter(partner, innovation(partner=SharingScope.FULL), PARTNER_ORG,
                         "start an adoption")


@pytest.mark.parametrize("role", sorted(policy.PARTNER_SIDE), ids=str)
def test_a_partner_with_a_summary_share_may_not_adopt(role: Role) -> None:
    partner = actor(role, organisation=PARTNER_ORG)

    with pytest.raises(Forbidden, match="to start an adoption the innovation must be shared "
                                        "with your organisation in full"):
        policy.local_adopter(partner, innovation(partner=SharingScope.SUMMARY), PARTNER_ORG,
                             "start an adoption")


@pytest.mark.parametrize("scope", list(SharingScope), ids=str)
def test_a_partner_sustains_or_abandons_its_own_adoption_whatever_the_share_now(
        scope: SharingScope) -> None:
    partner = actor(Role.PARTNER, organisation=PARTNER_ORG)

    policy.own_adoption(partner, innovation(partner=scope), PARTNER_ORG, "abandon an adoption")
    with pytest.raises(Forbidden, match="a partner may abandon an adoption only for its own"):
        policy.own_adoption(partner, innovation(partner=scope), OWNER, "abandon an adoption")


@pytest.mark.parametrize("adopter", [OWNER, STRANGER_ORG], ids=["the-owner", "a-third-party"])
def test_a_partner_may_not_start_an_adoption_for_another_organisation(adopter: UUID) -> None:
    partner = actor(Role.PARTNER, organisation=PARTNER_ORG)

    with pytest.raises(Forbidden, match="a partner may start an adoption only for its own "
                                        "organisation"):
        policy.local_adopter(partner, innovation(partner=SharingScope.FULL), adopter,
                             "start an adoption")


@pytest.mark.parametrize("role", [Role.STAFF, Role.GOVERNANCE_BOARD], ids=str)
def test_a_partners_staff_may_not_record_its_adoption(role: Role) -> None:
    with pytest.raises(Forbidden, match="you need one of these roles"):
        policy.local_adopter(actor(role, organisation=PARTNER_ORG),
                             innovation(partner=SharingScope.FULL), PARTNER_ORG,
                             "start an adoption")


# -- deciding adoption --------------------------------------------------------------------------
DECIDER_CASES = [
    pytest.param(role, authority, held, id=f"{role.value}-at-{authority.value}")
    for role, held in GOVERNANCE_ROLES.items()
    for authority in Authority
]


@pytest.mark.parametrize(("role", "authority", "held"), DECIDER_CASES)
def test_a_governor_may_decide_only_up_to_the_authority_it_holds(role: Role, authority: Authority,
                                                                 held: Authority) -> None:
    governor = actor(role)
    if held.rank >= authority.rank:
        policy.decider(governor, innovation(), authority)
    else:
        with pytest.raises(Forbidden, match=f"you hold {held.value} authority; a decision at "
                                            f"{authority.value} level needs that authority"):
            policy.decider(governor, innovation(), authority)


def test_a_governor_with_several_levels_decides_at_the_highest() -> None:
    governor = actor(Role.GOVERNANCE_TEAM, Role.GOVERNANCE_EXECUTIVE)

    policy.decider(governor, innovation(), Authority.EXECUTIVE)
    with pytest.raises(Forbidden, match="you hold executive authority"):
        policy.decider(governor, innovation(), Authority.BOARD)


@pytest.mark.parametrize("role", [Role.STAFF, Role.INNOVATION_LEAD, Role.ADMIN, Role.PARTNER],
                         ids=str)
def test_a_decision_needs_a_governance_role(role: Role) -> None:
    with pytest.raises(Forbidden, match="to decide adoption you need one of these roles: "
                                        "governance_board, governance_directorate, "
                                        "governance_executive, governance_team"):
        policy.decider(actor(role), innovation(), Authority.TEAM)


def test_a_partners_board_may_not_decide_on_a_shared_innovation() -> None:
    with pytest.raises(Forbidden, match="only members of the organisation may decide adoption"):
        policy.decider(actor(Role.GOVERNANCE_BOARD, organisation=PARTNER_ORG),
                       innovation(partner=SharingScope.FULL), Authority.TEAM)


# -- plain role and membership checks ------------------------------------------------------------
def test_require_role_names_the_roles_that_would_do() -> None:
    with pytest.raises(Forbidden, match="to open a challenge you need one of these roles: "
                                        "admin, innovation_lead"):
        policy.require_role(actor(Role.STAFF), policy.LEADS, "open a challenge")


def test_require_role_accepts_any_one_of_the_roles() -> None:
    policy.require_role(actor(Role.STAFF, Role.ADMIN), policy.LEADS, "open a challenge")


def test_require_member_refuses_another_organisation() -> None:
    policy.require_member(actor(Role.ADMIN), OWNER, "add a site")
    with pytest.raises(Forbidden, match="only members of the organisation may add a site"):
        policy.require_member(actor(Role.ADMIN, organisation=PARTNER_ORG), OWNER, "add a site")


def test_events_record_the_most_senior_role_and_highest_authority() -> None:
    someone = actor(Role.STAFF, Role.GOVERNANCE_DIRECTORATE, Role.GOVERNANCE_TEAM)

    assert someone.primary_role is Role.GOVERNANCE_DIRECTORATE
    assert someone.highest_authority is Authority.DIRECTORATE
    assert actor(Role.STAFF).highest_authority is None
    assert actor().primary_role is Role.STAFF
