"""The commands of the directory: register an organisation, add a site, change its governance
thresholds; open and close a challenge; erase a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar
from uuid import UUID

from lifecycle import validation as v
from lifecycle.command import Command
from lifecycle.errors import ValidationFailed
from lifecycle.governance.authority import Thresholds
from lifecycle.vocabulary import (
    OrganisationKind,
)


@dataclass(frozen=True)
class RegisterOrganisation(Command):
    name: str
    kind: OrganisationKind
    sites: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self._text("name", v.NAME_MAX)
        sites = tuple(v.text("sites", s, v.NAME_MAX) for s in self.sites)
        folded = [s.casefold() for s in sites]
        if len(set(folded)) != len(folded):
            raise ValidationFailed("sites", "each site must have a different name")
        self._set("sites", sites)
        self.thresholds.checked_money()


@dataclass(frozen=True)
class AddSite(Command):
    address: ClassVar[str | None] = "organisation_id"
    organisation_id: UUID
    site: str

    def __post_init__(self) -> None:
        self._text("site", v.NAME_MAX)


@dataclass(frozen=True)
class ChangeThresholds(Command):
    address: ClassVar[str | None] = "organisation_id"
    organisation_id: UUID
    thresholds: Thresholds
    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)
        self.thresholds.checked_money()


@dataclass(frozen=True)
class OpenChallenge(Command):
    title: str
    problem: str
    opens_on: date
    closes_on: date

    def __post_init__(self) -> None:
        self._text("title", v.TITLE_MAX)
        self._prose("problem", v.LONG_TEXT_MAX)
        self._day("opens_on")
        self._day("closes_on")
        v.date_order("opens_on", self.opens_on, "closes_on", self.closes_on)


@dataclass(frozen=True)
class CloseChallenge(Command):
    address: ClassVar[str | None] = "challenge_id"
    challenge_id: UUID
    reason: str

    def __post_init__(self) -> None:
        self._prose("reason", v.SHORT_TEXT_MAX)


@dataclass(frozen=True)
class ErasePerson(Command):
    """Forget a person (UK GDPR Article 17): their name and contact details, for good."""

    subject: str

    def __post_init__(self) -> None:
        v.subject("subject", self.subject)
