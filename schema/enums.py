"""The domain's enums as GraphQL enums: registered once, here, before any type or argument uses
them (strawberry would otherwise define an enum of its own on first use, and then a duplicate)."""

from __future__ import annotations

import strawberry

from lifecycle.actor import Authority
from lifecycle.governance.authority import DecisionOutcome, Risk
from lifecycle.innovations.stage import Stage
from lifecycle.vocabulary import (
    AdoptionStatus,
    BetterDirection,
    ChartType,
    CorrectionKind,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InnovationClass,
    InvolvementKind,
    OrganisationKind,
    PrototypeOutcome,
    SharingScope,
)
from projections.improvement.rules import Rule
from projections.improvement.signals import Classification, Direction

strawberry.enum(Stage, name="Stage", description="Where an innovation is in its lifecycle.")
strawberry.enum(InnovationClass, name="InnovationClass",
                description="Incremental improvement or system-level innovation.")
strawberry.enum(Authority, name="Authority", description="Governance levels, lowest first.")
strawberry.enum(Risk, name="Risk", description="The risk of a proposal, lowest first.")
strawberry.enum(DecisionOutcome, name="DecisionOutcome")
strawberry.enum(SharingScope, name="SharingScope",
                description="How much of an innovation a partner organisation sees.")
strawberry.enum(OrganisationKind, name="OrganisationKind",
                description="What sort of organisation it is.")
strawberry.enum(BetterDirection, name="BetterDirection",
                description="Which way the measure improves.")
strawberry.enum(ChartType, name="ChartType",
                description="The control chart: XMR for values, P for proportions, U for rates.")
strawberry.enum(InvolvementKind, name="InvolvementKind",
                description="Stakeholder, or patient and public involvement.")
strawberry.enum(PrototypeOutcome, name="PrototypeOutcome")
strawberry.enum(EvaluationMethod, name="EvaluationMethod")
strawberry.enum(Criterion, name="Criterion", description="The Innovation Impact Assessment "
                "Framework's criteria, each scored 0 to 5.")
strawberry.enum(FundingSource, name="FundingSource")
strawberry.enum(AdoptionStatus, name="AdoptionStatus",
                description="Where a local adoption is: started, sustained or abandoned.")
strawberry.enum(CorrectionKind, name="CorrectionKind",
                description="What became of a recorded observation.")
strawberry.enum(Classification, name="Classification", description=(
    "A point's class on a control chart (Making Data Count's variation icon when it is the "
    "latest point)."))
strawberry.enum(Direction, name="SignalDirection", description=(
    "Which way a special cause points: IMPROVEMENT, CONCERN, or NEITHER for a measure with no "
    "better direction."))
strawberry.enum(Rule, name="Rule", description="The special-cause rules (docs/statistics.md).")
