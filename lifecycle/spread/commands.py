"""The commands that spread an innovation: sharing and revoking, adoptions, embedding."""

from __future__ import annotations

from dataclasses import field
from uuid import UUID

from lifecycle.checks import Day, LongProse, OptionalName
from lifecycle.innovations.commands import InnovationCommand, ReasonedCommand
from lifecycle.vocabulary import (
    SharingScope,
)


class ShareInnovation(InnovationCommand):
    organisation_id: UUID
    scope: SharingScope = SharingScope.SUMMARY


class RevokeSharing(ReasonedCommand):
    organisation_id: UUID = field(kw_only=True)


class StartAdoption(InnovationCommand):
    organisation_id: UUID
    adaptation: LongProse
    started_on: Day
    site: OptionalName = None


class SustainAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    sustained_on: Day = field(kw_only=True)


class AbandonAdoption(ReasonedCommand):
    adoption_id: UUID = field(kw_only=True)
    abandoned_on: Day = field(kw_only=True)


class EmbedInnovation(ReasonedCommand):
    """Record that an adopted or spreading innovation has become embedded practice (EMBEDDED)."""
