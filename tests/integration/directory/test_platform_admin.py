"""The platform administrator, apart from an organisation's: who may register organisations, and
what an actor of each may be, through the application on the real database."""

from __future__ import annotations

from uuid import uuid4

import pytest

from lifecycle import commands as c
from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import Forbidden, ValidationFailed
from lifecycle.vocabulary import OrganisationKind
from tests.conftest import ADMIN, new_organisation

REGISTER = c.RegisterOrganisation(name="Hywel Dda UHB", kind=OrganisationKind.HEALTH_BOARD)


def test_only_the_platform_administrator_registers_organisations(
        app: LifecycleApplication) -> None:
    org_admin = new_organisation(app, "Cardiff and Vale UHB", ())
    for actor in (org_admin, Actor("lead-1", org_admin.organisation,
                                   frozenset({Role.INNOVATION_LEAD}))):
        with pytest.raises(Forbidden, match="platform_admin"):
            app.execute(REGISTER, CommandContext(actor))
    registered = app.execute(REGISTER, CommandContext(ADMIN))
    first = next(iter(app.events.get(registered.aggregate_id)))
    assert isinstance(first, Organisation.OrganisationRegistered)
    assert (first.actor_role, first.actor_organisation) == ("platform_admin", PLATFORM)


def test_an_organisations_admin_administers_only_its_own(app: LifecycleApplication) -> None:
    mine = new_organisation(app, "Swansea Bay UHB", ("Morriston",))
    theirs = new_organisation(app, "Powys THB", ("Bronllys",))
    app.execute(c.AddSite(mine.organisation, "Singleton"), CommandContext(mine))
    with pytest.raises(Forbidden):
        app.execute(c.AddSite(theirs.organisation, "Llandrindod"), CommandContext(mine))
    with pytest.raises(Forbidden):  # nor may the platform's administrator act inside one
        app.execute(c.AddSite(theirs.organisation, "Llandrindod"), CommandContext(ADMIN))


@pytest.mark.parametrize(("build", "field"), [
    (lambda: Actor("root", uuid4(), frozenset({Role.PLATFORM_ADMIN})), "organisation"),
    (lambda: Actor("root", PLATFORM, frozenset({Role.PLATFORM_ADMIN, Role.ADMIN})), "roles"),
    (lambda: Actor("admin-1", PLATFORM, frozenset({Role.ADMIN})), "organisation"),
    (lambda: Actor("x" * 256, uuid4(), frozenset({Role.STAFF})), "subject"),
    (lambda: Actor("person\u200b1", uuid4(), frozenset({Role.STAFF})), "subject"),
    (lambda: Actor("person-1", uuid4(), frozenset({Role.STAFF}), "surgeons"), "staff_group"),
], ids=["platform-admin-of-an-organisation", "platform-admin-with-another-role",
        "organisation-role-for-the-platform", "long-subject", "zero-width-subject",
        "unknown-staff-group"])
def test_an_actor_is_held_to_the_input_rules_whoever_builds_it(build: object,
                                                                field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        build()  # type: ignore[operator]
    assert refused.value.field == field
