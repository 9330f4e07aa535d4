"""The commands of the directory: register an organisation, add a site, change its governance
thresholds; open and close a challenge; erase a person."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar
from uuid import UUID

from lifecycle import validation as v
from lifecycle.checks import Day, LongProse, Name, ShortProse, Subject, Title
from lifecycle.command import Command
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import Thresholds
from lifecycle.vocabulary import (
    OrganisationKind,
)


class RegisterOrganisation(Command):
    name: Name
    kind: OrganisationKind
    sites: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        super().__post_init__()
        sites = tuple(v.text("sites", s, v.NAME_MAX) for s in self.sites)
        folded = [s.casefold() for s in sites]
        if len(set(folded)) != len(folded):
            raise ValidationFailed("sites", "each site must have a different name")
        self._set("sites", sites)
        self.thresholds.checked_money()


class OrganisationCommand(Command):
    """A command addressed to one existing organisation."""

    address: ClassVar[str | None] = "organisation_id"
    organisation_id: UUID


class AddSite(OrganisationCommand):
    site: Name


class ChangeThresholds(OrganisationCommand):
    thresholds: Thresholds
    reason: ShortProse

    def __post_init__(self) -> None:
        super().__post_init__()
        self.thresholds.checked_money()


class OpenChallenge(Command):
    title: Title
    problem: LongProse
    opens_on: Day
    closes_on: Day

    def __post_init__(self) -> None:
        super().__post_init__()
        v.date_order("opens_on", self.opens_on, "closes_on", self.closes_on)


class CloseChallenge(Command):
    address: ClassVar[str | None] = "challenge_id"
    challenge_id: UUID
    reason: ShortProse


class ErasePerson(Command):
    """Forget a person (UK GDPR Article 17): their name and contact details, for good."""

    subject: Subject
