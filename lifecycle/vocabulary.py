"""The named kinds the domain uses (docs/domain.md), as enums whose values are stored in events."""

from __future__ import annotations

from enum import StrEnum


class InnovationClass(StrEnum):
    """Improvement and innovation are measured the same way, but reported apart."""

    IMPROVEMENT = "IMPROVEMENT"
    INNOVATION = "INNOVATION"


class OrganisationKind(StrEnum):
    """What sort of body an organisation is: an NHS trust, a health board (NHS Wales and
    Scotland), a university, a company (INDUSTRY), a charity or a government body."""

    TRUST = "TRUST"
    HEALTH_BOARD = "HEALTH_BOARD"
    UNIVERSITY = "UNIVERSITY"
    INDUSTRY = "INDUSTRY"
    CHARITY = "CHARITY"
    GOVERNMENT = "GOVERNMENT"


class PrototypeOutcome(StrEnum):
    """How a prototype (one PDSA cycle) ended: its hypothesis held (SUCCEEDED), did not
    (FAILED), or the study could not tell (INCONCLUSIVE). A failed prototype's learning is kept
    like any other."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    INCONCLUSIVE = "INCONCLUSIVE"


class EvaluationMethod(StrEnum):
    """How an innovation was evaluated: developmental evaluation (alongside its development,
    feeding back as it changes), outcome mapping (the changes in the behaviour of the people and
    groups it works with) or service evaluation (a service judged against what it set out to
    do)."""

    DEVELOPMENTAL_EVALUATION = "DEVELOPMENTAL_EVALUATION"
    OUTCOME_MAPPING = "OUTCOME_MAPPING"
    SERVICE_EVALUATION = "SERVICE_EVALUATION"


class Criterion(StrEnum):
    """The Innovation Impact Assessment Framework's criteria, each scored 0-5."""

    PATIENT_OUTCOMES = "PATIENT_OUTCOMES"
    SAFETY = "SAFETY"
    STAFF_EXPERIENCE = "STAFF_EXPERIENCE"
    EFFICIENCY_AND_VALUE = "EFFICIENCY_AND_VALUE"
    EQUITY_AND_INCLUSION = "EQUITY_AND_INCLUSION"
    ENVIRONMENTAL_SUSTAINABILITY = "ENVIRONMENTAL_SUSTAINABILITY"
    SCALABILITY = "SCALABILITY"
    RISK = "RISK"


class FundingSource(StrEnum):
    """Where funding came from: government, a charity, a research council, the Small Business
    Research Initiative (SBRI), industry, or the organisation's own budget (INTERNAL)."""

    GOVERNMENT = "GOVERNMENT"
    CHARITY = "CHARITY"
    RESEARCH_COUNCIL = "RESEARCH_COUNCIL"
    SBRI = "SBRI"
    INDUSTRY = "INDUSTRY"
    INTERNAL = "INTERNAL"


class InvolvementKind(StrEnum):
    """Whom an innovation involved: stakeholders (staff, partners and others the change
    affects), or patients and the public (patient and public involvement, which NHS bodies are
    expected to show in shaping services)."""

    STAKEHOLDER = "STAKEHOLDER"
    PATIENT_PUBLIC = "PATIENT_PUBLIC"


class SharingScope(StrEnum):
    """How much of an innovation a partner organisation sees: a summary (title, stage, tags,
    dates and counts, none of its detail), or the whole of it, which it needs to adopt it
    (``lifecycle/visibility.py`` has the rule)."""

    SUMMARY = "SUMMARY"
    FULL = "FULL"


class AdoptionStatus(StrEnum):
    """Where a local adoption is: started, sustained, or abandoned (its site may then start
    another)."""

    STARTED = "STARTED"
    SUSTAINED = "SUSTAINED"
    ABANDONED = "ABANDONED"


class CorrectionKind(StrEnum):
    """What became of a recorded observation: corrected (new numbers) or withdrawn."""

    CORRECTED = "CORRECTED"
    WITHDRAWN = "WITHDRAWN"


class BetterDirection(StrEnum):
    """Which way a measure improves: higher, lower, or neither (no side is better: signals are
    special cause, neither improvement nor concern; such a measure has no target)."""

    HIGHER = "HIGHER"
    LOWER = "LOWER"
    NEITHER = "NEITHER"


class ChartType(StrEnum):
    """The control chart a measure is judged on: XmR (individuals and moving ranges) for
    continuous values, p for proportions (a numerator out of a denominator), u for rates (events
    per unit counted)."""

    XMR = "XMR"
    P = "P"
    U = "U"


STAFF_GROUPS = (
    "nursing_and_midwifery",
    "medical_and_dental",
    "allied_health_professionals",
    "healthcare_scientists",
    "additional_clinical_services",
    "estates_and_ancillary",
    "administrative_and_clerical",
    "students",
)
FRONTLINE_STAFF_GROUPS = frozenset(STAFF_GROUPS[:5])
