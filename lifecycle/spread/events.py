"""The innovation's spread part: sharing it with other organisations, adoptions at their sites
(started, sustained, abandoned), and its becoming embedded practice."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from lifecycle.actor import CommandContext
from lifecycle.aggregate import topic
from lifecycle.errors import InvalidState, NotFound, ValidationFailed
from lifecycle.innovations import stage as stages
from lifecycle.innovations.part import InnovationEvent, InnovationState, ReasonedEvent
from lifecycle.vocabulary import AdoptionStatus, SharingScope


class AdoptionStatusChanged(InnovationEvent):
    """An adoption's status became the event's ``STATUS``, saying why."""

    STATUS: ClassVar[AdoptionStatus]
    adoption_id: UUID
    reason: str

    def fold(self, agg: InnovationState) -> None:
        agg.adoptions[self.adoption_id]["status"] = self.STATUS


class SpreadPart(InnovationState):
    class SharedWith(InnovationEvent):
        """The owner shared the innovation with another organisation at ``scope`` (a
        ``SharingScope``); sharing with it again at another scope replaces the first."""

        TOPIC = topic("SharedWith")
        organisation_id: UUID
        scope: str

        def fold(self, agg: InnovationState) -> None:
            agg.shared_with[self.organisation_id] = self.scope

    class SharingRevoked(InnovationEvent):
        """The owner stopped sharing the innovation with an organisation (one with no live
        adoption of it), saying why."""

        TOPIC = topic("SharingRevoked")
        organisation_id: UUID
        reason: str

        def fold(self, agg: InnovationState) -> None:
            agg.shared_with.pop(self.organisation_id, None)

    class AdoptionStarted(InnovationEvent):
        """An organisation (the owner, or one it shared the innovation with in full) started
        adopting it at one of its sites (``site`` None: no particular site), with its own
        ``adaptation``; the first adoption of an ADOPTED innovation makes it SPREADING."""

        TOPIC = topic("AdoptionStarted")
        adoption_id: UUID
        organisation_id: UUID
        site: str | None
        adaptation: str
        started_on: date

        def fold(self, agg: InnovationState) -> None:
            agg.adoptions[self.adoption_id] = {
                "organisation_id": self.organisation_id,
                "site": self.site,
                "status": AdoptionStatus.STARTED,
                "started_on": self.started_on,
            }

    class AdoptionSustained(AdoptionStatusChanged):
        """A live adoption was judged sustained on ``sustained_on`` (not before it started)."""

        TOPIC = topic("AdoptionSustained")
        STATUS = AdoptionStatus.SUSTAINED
        sustained_on: date

    class AdoptionAbandoned(AdoptionStatusChanged):
        """An adoption was abandoned on ``abandoned_on`` (not before it started); its site may
        start another."""

        TOPIC = topic("AdoptionAbandoned")
        STATUS = AdoptionStatus.ABANDONED
        abandoned_on: date

    class InnovationEmbedded(ReasonedEvent):
        """The innovation became embedded practice (EMBEDDED)."""

        TOPIC = topic("InnovationEmbedded")

    def share(self, ctx: CommandContext, *, organisation_id: UUID, scope: SharingScope) -> None:
        stages.require("share", self.stage)
        if organisation_id == self.organisation_id:
            raise ValidationFailed("organisation_id", "an organisation already sees its own work")
        if self.shared_with.get(organisation_id) == scope.value:
            raise InvalidState("already shared with that organisation at that scope")
        self._record(self.SharedWith, ctx, organisation_id=organisation_id, scope=scope.value)

    def revoke_sharing(self, ctx: CommandContext, *, organisation_id: UUID, reason: str) -> None:
        stages.require("revoke sharing", self.stage)
        if organisation_id not in self.shared_with:
            raise InvalidState("not shared with that organisation")
        if any(a["organisation_id"] == organisation_id and a["status"] is not
               AdoptionStatus.ABANDONED for a in self.adoptions.values()):
            raise InvalidState("that organisation has a live adoption; abandon it first")
        self._record(self.SharingRevoked, ctx, organisation_id=organisation_id, reason=reason)

    def start_adoption(self, ctx: CommandContext, *, adoption_id: UUID, organisation_id: UUID,
                       site: str | None, adaptation: str, started_on: date) -> None:
        stages.require("start an adoption", self.stage)
        for a in self.adoptions.values():
            if (a["organisation_id"], a["site"]) == (organisation_id, site) and \
                    a["status"] is not AdoptionStatus.ABANDONED:
                raise InvalidState("that site already has a live adoption of this innovation")
        # Another organisation adopts only what its owner shared with it in full (it needs the
        # detail to adapt it). Adopting never shares: only the owner grants access. (Adoptions
        # recorded before this rule shared in full as they started; those SharedWith events
        # stay facts.)
        if organisation_id != self.organisation_id and \
                self.shared_with.get(organisation_id) != SharingScope.FULL.value:
            raise InvalidState("an organisation adopts only an innovation shared with it in "
                               "full; its owner must share it first")
        self._record(self.AdoptionStarted, ctx, adoption_id=adoption_id,
                     organisation_id=organisation_id, site=site, adaptation=adaptation,
                     started_on=started_on)

    def _live_adoption(self, adoption_id: UUID, on: date, field: str) -> None:
        adoption = self.adoptions.get(adoption_id)
        if adoption is None:
            raise NotFound("adoption", adoption_id)
        if adoption["status"] is AdoptionStatus.ABANDONED:
            raise InvalidState(f"adoption {adoption_id} was abandoned")
        if on < adoption["started_on"]:
            raise ValidationFailed(field, "must not be before the adoption started")

    def sustain_adoption(self, ctx: CommandContext, *, adoption_id: UUID, reason: str,
                         sustained_on: date) -> None:
        stages.require("sustain an adoption", self.stage)
        self._live_adoption(adoption_id, sustained_on, "sustained_on")
        if self.adoptions[adoption_id]["status"] is AdoptionStatus.SUSTAINED:
            raise InvalidState(f"adoption {adoption_id} is already sustained")
        self._record(self.AdoptionSustained, ctx, adoption_id=adoption_id, reason=reason,
                     sustained_on=sustained_on)

    def abandon_adoption(self, ctx: CommandContext, *, adoption_id: UUID, reason: str,
                         abandoned_on: date) -> None:
        stages.require("abandon an adoption", self.stage)
        self._live_adoption(adoption_id, abandoned_on, "abandoned_on")
        self._record(self.AdoptionAbandoned, ctx, adoption_id=adoption_id, reason=reason,
                     abandoned_on=abandoned_on)

    def embed(self, ctx: CommandContext, *, reason: str) -> None:
        self._act("embed", self.InnovationEmbedded, ctx, reason=reason)
