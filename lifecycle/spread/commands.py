"""The commands that spread an innovation: sharing and revoking, adoptions, embedding."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from lifecycle.checks import Day, LongProse, OptionalName
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
    adaptation: LongProse
    started_on: Day
    site: OptionalName = None


@dataclass(frozen=True)
class SustainAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    sustained_on: Day = field(kw_only=True)


@dataclass(frozen=True)
class AbandonAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    abandoned_on: Day = field(kw_only=True)


@dataclass(frozen=True)
class EmbedInnovation(ReasonedCommand):
    pass
