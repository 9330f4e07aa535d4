"""Organisations: registration, sites and their own governance thresholds."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import InvalidState
from lifecycle.governance.authority import Risk, Thresholds

ADMIN = CommandContext(Actor("admin-1", uuid4(), frozenset({Role.ADMIN})))
STRICT = Thresholds(team_max_cost=Decimal("500"), directorate_max_cost=Decimal("5000"),
                    executive_max_cost=Decimal("50000"), executive_max_risk=Risk.VERY_HIGH)


def register(sites: tuple[str, ...] = ("Royal Glamorgan", "Prince Charles"),
             thresholds: Thresholds | None = None) -> Organisation:
    return Organisation.register(ADMIN, uuid4(), name="Cwm Taf Morgannwg", kind="HEALTH_BOARD",
                                 sites=sites, thresholds=thresholds or Thresholds())


def registered(sites: tuple[str, ...] = ("Royal Glamorgan", "Prince Charles")) -> Organisation:
    organisation = register(sites)
    organisation.collect_events()
    return organisation


def test_register_records_the_organisation_its_sites_and_thresholds() -> None:
    ident = uuid4()

    organisation = Organisation.register(
        ADMIN, ident, name="Cardiff University", kind="UNIVERSITY", sites=("Heath Park",),
        thresholds=STRICT)

    events = organisation.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Organisation.OrganisationRegistered)
    assert event.originator_id == ident
    assert (event.name, event.kind, event.sites) == ("Cardiff University", "UNIVERSITY",
                                                     ["Heath Park"])
    assert event.thresholds == STRICT.to_record()
    assert event.actor == "admin-1"
    assert organisation.thresholds == STRICT
    assert (organisation.id, organisation.name, organisation.kind, organisation.sites) == (
        ident, "Cardiff University", "UNIVERSITY", ["Heath Park"])


def test_register_without_thresholds_given_keeps_the_defaults() -> None:
    assert registered().thresholds == Thresholds()


def test_register_drops_repeated_sites() -> None:
    organisation = register(sites=("A", "B", "A"))

    event = organisation.collect_events()[0]
    assert isinstance(event, Organisation.OrganisationRegistered)
    assert event.sites == ["A", "B"]
    assert organisation.sites == ["A", "B"]


def test_register_treats_sites_differing_only_in_case_as_one() -> None:
    organisation = register(sites=("Prince Charles", "prince charles"))

    assert organisation.sites == ["Prince Charles"]


def test_add_site_records_the_new_site() -> None:
    organisation = registered()

    organisation.add_site(ADMIN, site="Ysbyty Cwm Cynon")

    events = organisation.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Organisation.SiteAdded)
    assert event.site == "Ysbyty Cwm Cynon"
    assert organisation.sites == ["Royal Glamorgan", "Prince Charles", "Ysbyty Cwm Cynon"]


@pytest.mark.parametrize("site", ["Prince Charles", "prince charles", "PRINCE CHARLES"])
def test_adding_a_site_it_already_has_is_refused(site: str) -> None:
    organisation = registered()
    version = organisation.version

    with pytest.raises(InvalidState, match="Cwm Taf Morgannwg already has a site called"):
        organisation.add_site(ADMIN, site=site)

    assert organisation.pending_events == []
    assert organisation.version == version
    assert organisation.sites == ["Royal Glamorgan", "Prince Charles"]


def test_change_thresholds_records_the_new_limits_and_why() -> None:
    organisation = registered()

    organisation.change_thresholds(ADMIN, thresholds=STRICT, reason="board resolution 24/17")

    events = organisation.collect_events()
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Organisation.ThresholdsChanged)
    assert event.thresholds == STRICT.to_record()
    assert event.reason == "board resolution 24/17"
    assert organisation.thresholds == STRICT


def test_has_site_knows_its_sites_exactly_and_accepts_no_site() -> None:
    organisation = registered()

    assert organisation.has_site(None)
    assert organisation.has_site("Royal Glamorgan")
    assert not organisation.has_site("Morriston")
