"""The record the authorisation matrix runs on: an owning trust, the organisations that stand
towards its innovations in each way a caller can (its own people, its auditor, a partner it
shared with in FULL, an adopter it shared with in FULL, a partner it shared with as a SUMMARY,
one whose share it revoked, one it never shared with, and that one's auditor), and builders of
fresh innovations at each point of their life, shared the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx

from lifecycle import commands as c
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InvolvementKind,
    PrototypeOutcome,
    SharingScope,
)
from tests.conftest import ADMIN, member, new_organisation
from tests.e2e.conftest import LiveServer

DAY = date(2025, 1, 6)
CLOSES = DAY.replace(year=DAY.year + 5)  # within the accepted range of dates
HIDDEN_WORD = "xylophonic"  # in the problem of every innovation built here, never a title
TITLE_WORD = "telepathic"  # in the title of the query target

# Every standing a caller can have towards an innovation of the owning trust.
OWN, AUDITOR, FULL, ADOPTER, SUMMARY = "own", "auditor", "full", "adopter", "summary"
REVOKED, NONE, NONE_AUDITOR, ANONYMOUS = "revoked", "none", "none_auditor", "anonymous"
STANDINGS = (OWN, AUDITOR, FULL, ADOPTER, SUMMARY, REVOKED, NONE, NONE_AUDITOR, ANONYMOUS)
# For whom the innovation does not exist: they must get what an id never used gets.
HIDDEN = frozenset({REVOKED, NONE, NONE_AUDITOR})


@dataclass
class World:
    app: LifecycleApplication
    live: LiveServer
    people: dict[str, Actor]  # the owning trust's people, by role name
    organisations: dict[str, Actor]  # an admin of each organisation, by standing
    callers: dict[str, Actor]  # who asks, by standing (queries; mutations pick the owner's)
    target: UUID = field(default_factory=uuid4)  # the query target, built by ``build_target``
    owner_measure: UUID = field(default_factory=uuid4)
    adopter_measure: UUID = field(default_factory=uuid4)
    challenge: UUID = field(default_factory=uuid4)
    target_tag: str = field(default_factory=lambda: f"target-{uuid4().hex[:8]}")
    at: str = ""  # the log position once the world is built, for ``consistentWith``

    def organisation(self, standing: str) -> UUID:
        return self.organisations[standing].organisation

    def caller(self, standing: str) -> Actor | None:
        return None if standing == ANONYMOUS else self.callers[standing]

    def run(self, command: c.Command, actor: Actor, **ctx: Any) -> Any:
        return self.app.execute(command, CommandContext(actor, **ctx))

    # -- fresh innovations, shared as the standings say -------------------------------------
    def share_as_standings(self, ident: UUID) -> None:
        """FULL with ``full`` and ``adopter``, SUMMARY with ``summary``, FULL then revoked
        with ``revoked``; never with ``none``."""
        lead = self.people["lead"]
        for standing, scope in ((FULL, SharingScope.FULL), (ADOPTER, SharingScope.FULL),
                                (SUMMARY, SharingScope.SUMMARY), (REVOKED, SharingScope.FULL)):
            self.run(c.ShareInnovation(ident, self.organisation(standing), scope), lead)
        self.run(c.RevokeSharing(ident, "agreement ended",
                                 organisation_id=self.organisation(REVOKED)), lead)

    def submitted(self, title: str = "Ward huddle board", tags: tuple[str, ...] = ()) -> UUID:
        ident: UUID = self.run(c.SubmitIdea(
            title=f"{title} {uuid4().hex[:6]}", problem=f"A {HIDDEN_WORD} handover problem",
            proposal="A shared board", tags=("huddle", *tags)), self.people["author"]).aggregate_id
        self.share_as_standings(ident)
        return ident

    def concept(self, **idea: Any) -> UUID:
        ident = self.submitted(**idea)
        self.run(c.AcceptIdea(ident, reason="fits"), self.people["lead"])
        return ident

    def prototyping(self, **idea: Any) -> tuple[UUID, UUID]:
        """An innovation with a prototype started, and the prototype's id."""
        ident = self.concept(**idea)
        proto: UUID = self.run(c.StartPrototype(ident, "PDSA 1", "h", "p", DAY),
                               self.people["lead"]).created_id
        return ident, proto

    def tested(self, **idea: Any) -> UUID:
        """An innovation whose prototype is complete: ready for an evaluation."""
        ident, proto = self.prototyping(**idea)
        self.run(c.CompletePrototype(ident, proto, PrototypeOutcome.SUCCEEDED, "worked",
                                     "needs a nurse", DAY), self.people["lead"])
        return ident

    def evaluated(self, **idea: Any) -> UUID:
        ident = self.tested(**idea)
        self.run(c.RecordEvaluation(ident, EvaluationMethod.SERVICE_EVALUATION,
                                    ((Criterion.SAFETY, 4),), "audit", "adopt", Decimal("4000"),
                                    Risk.LOW, DAY), self.people["lead"])
        return ident

    def adopted(self, **idea: Any) -> UUID:
        ident = self.evaluated(**idea)
        self.run(c.DecideAdoption(ident, DecisionOutcome.ADOPT, Authority.TEAM, "cheap"),
                 self.people["team_governor"])
        return ident

    def parked(self) -> UUID:
        ident = self.submitted()
        self.run(c.ParkInnovation(ident, "not now"), self.people["lead"])
        return ident

    def adoption_for(self, standing: str) -> tuple[UUID, UUID]:
        """An adopted innovation with a live adoption by the caller's organisation where it may
        have one (the owner's for the owner, its auditor and the hidden standings; a partner's
        own for ``full`` and ``adopter``; for ``summary``, one started while the share was FULL
        and narrowed since), and the adoption's id."""
        ident = self.adopted()
        lead = self.people["lead"]
        adopter, actor = self.organisation(OWN), lead
        if standing in (FULL, ADOPTER, SUMMARY):
            adopter, actor = self.organisation(standing), self.callers[standing]
            if standing == SUMMARY:
                self.run(c.ShareInnovation(ident, adopter, SharingScope.FULL), lead)
        adoption: UUID = self.run(c.StartAdoption(ident, adopter, "as piloted", DAY),
                                  actor).created_id
        if standing == SUMMARY:
            self.run(c.ShareInnovation(ident, adopter, SharingScope.SUMMARY), lead)
        return ident, adoption

    def owners_measure(self) -> UUID:
        """A measure the owner defined on a fresh adopted innovation, with one observation."""
        ident = self.adopted()
        measure: UUID = self.run(c.DefineMeasure(ident, "Falls", "falls", BetterDirection.LOWER,
                                                 ChartType.XMR), self.people["lead"]).aggregate_id
        self.run(c.RecordObservations(measure, (c.ObservationInput(DAY, value=3.0),)),
                 self.people["lead"])
        return measure

    # -- the query target ---------------------------------------------------------------------
    def build_target(self) -> None:
        """An adopted, funded innovation with a title word, adopted by its owner and by the
        ``adopter`` (each with a measure); and a challenge of the owner."""
        lead = self.people["lead"]
        ident = self.adopted(title=f"A {TITLE_WORD} huddle board", tags=(self.target_tag,))
        self.run(c.RecordFunding(ident, FundingSource.CHARITY, "Health Foundation",
                                 Decimal("12500.50"), DAY), lead)
        measures = []
        for standing in (OWN, ADOPTER):
            actor = lead if standing == OWN else self.callers[ADOPTER]
            adoption = self.run(c.StartAdoption(ident, self.organisation(standing),
                                                f"adapted by {standing}", DAY),
                                actor).created_id
            if standing == ADOPTER:  # a judgement with a reason, which only some may read
                self.run(c.SustainAdoption(ident, "kept after the audit", adoption_id=adoption,
                                           sustained_on=DAY + timedelta(days=7)), actor)
            measure = self.run(c.DefineMeasure(ident, f"Bed days at {standing}", "days",
                                               BetterDirection.LOWER, ChartType.XMR),
                               actor).aggregate_id
            self.run(c.RecordObservations(measure, (c.ObservationInput(DAY, value=4.0),)),
                     actor)
            measures.append(measure)
        self.target, (self.owner_measure, self.adopter_measure) = ident, measures
        # A record of every kind the workspace shows (prototype, evaluation and funding are
        # already recorded).
        self.run(c.CommentOnIdea(ident, "We tried this on ward 3"), self.people["staff"])
        self.run(c.EndorseIdea(ident), self.people["staff"])
        self.run(c.RecordInvolvement(ident, InvolvementKind.PATIENT_PUBLIC, "Carers' forum",
                                     "A workshop on night-time handovers", DAY), lead)
        self.run(c.AssignOwner(ident, "person-target-owner", ("person-target-nurse",)), lead)
        self.challenge = self.run(c.OpenChallenge("Fewer falls", "Falls at night",
                                                  DAY, CLOSES), lead).aggregate_id


def build_world(app: LifecycleApplication, live: LiveServer) -> World:
    owner = new_organisation(app, "Powys Teaching Health Board", ("Brecon", "Llandrindod"))
    people = {"admin": owner, "author": member(owner, Role.STAFF),
              "staff": member(owner, Role.STAFF), "lead": member(owner, Role.INNOVATION_LEAD),
              "team_governor": member(owner, Role.GOVERNANCE_TEAM),
              "board": member(owner, Role.GOVERNANCE_BOARD), "auditor": member(owner, Role.AUDITOR),
              "platform": ADMIN}
    organisations = {OWN: owner,
                     FULL: new_organisation(app, "Aberystwyth University", ()),
                     ADOPTER: new_organisation(app, "Cardiff and Vale UHB", ("Heath",)),
                     SUMMARY: new_organisation(app, "MedTech Wales Ltd", ()),
                     REVOKED: new_organisation(app, "Former Partner Ltd", ()),
                     NONE: new_organisation(app, "Aneurin Bevan Authorisation", ("Nevill Hall",)),
                     "recipient": new_organisation(app, "Life Sciences Hub Wales", ())}
    organisations[AUDITOR] = owner
    organisations[NONE_AUDITOR] = organisations[NONE]
    callers = {OWN: people["staff"], AUDITOR: people["auditor"],
               NONE: member(organisations[NONE], Role.INNOVATION_LEAD),
               NONE_AUDITOR: member(organisations[NONE], Role.AUDITOR)}
    for standing in (FULL, ADOPTER, SUMMARY, REVOKED):
        callers[standing] = member(organisations[standing], Role.PARTNER)
    world = World(app, live, people, organisations, callers)
    world.build_target()
    return world


# One client for the module's many requests: a client per request spends most of its time
# building an SSL context it never uses.
CLIENT = httpx.Client(timeout=30)


def post(live: LiveServer, actor: Actor | None, query: str, **variables: Any) -> dict[str, Any]:
    headers = {} if actor is None else {"Authorization": f"Bearer {live.token(actor)}"}
    body: dict[str, Any] = CLIENT.post(f"{live.url}/graphql", headers=headers,
                                       json={"query": query, "variables": variables}).json()
    return body


def data_of(live: LiveServer, actor: Actor | None, query: str, **variables: Any) -> dict[str, Any]:
    body = post(live, actor, query, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def assert_unauthenticated(body: dict[str, Any]) -> None:
    """Refused outright: every error is UNAUTHENTICATED and no field answers."""
    assert body["errors"], body
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}, body
    assert body.get("data") is None or set(body["data"].values()) == {None}, body
