"""The commands that spread an innovation: sharing and revoking, adoptions, embedding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from lifecycle import validation as v
from lifecycle.innovations.commands import InnovationCommand, ReasonedCommand
from lifecycle.vocabulary import (
    SharingScope,
)


@dataclass(frozen=True)
class ShareInnovation(InnovationCommand):
    organisation_id: UUID
    scope: SharingScope = SharingScope.SUMMARY


@dataclass(frozen=True)
class RevokeSharing(ReasonedCommand):
    organisation_id: UUID = field(kw_only=True)


@dataclass(frozen=True)
class StartAdoption(InnovationCommand):
    organisation_id: UUID
    adaptation: str
    started_on: date
    site: str | None = None

    def __post_init__(self) -> None:
        self._prose("adaptation", v.LONG_TEXT_MAX)
        self._optional("site", v.NAME_MAX)
        self._day("started_on")


@dataclass(frozen=True)
class SustainAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    sustained_on: date = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._day("sustained_on")


@dataclass(frozen=True)
class AbandonAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    abandoned_on: date = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._day("abandoned_on")


@dataclass(frozen=True)
class EmbedInnovation(ReasonedCommand):
    pass
