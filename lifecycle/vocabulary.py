"""The named kinds the domain uses (docs/domain.md), as enums whose values are stored in events."""

from __future__ import annotations

from enum import StrEnum


class InnovationClass(StrEnum):
    """Improvement and innovation are measured the same way, but reported apart."""

    IMPROVEMENT = "IMPROVEMENT"
    INNOVATION = "INNOVATION"


class OrganisationKind(StrEnum):
    TRUST = "TRUST"
    HEALTH_BOARD = "HEALTH_BOARD"
    UNIVERSITY = "UNIVERSITY"
    INDUSTRY = "INDUSTRY"
    CHARITY = "CHARITY"
    GOVERNMENT = "GOVERNMENT"


class PrototypeOutcome(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    INCONCLUSIVE = "INCONCLUSIVE"


class EvaluationMethod(StrEnum):
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
    GOVERNMENT = "GOVERNMENT"
    CHARITY = "CHARITY"
    RESEARCH_COUNCIL = "RESEARCH_COUNCIL"
    SBRI = "SBRI"
    INDUSTRY = "INDUSTRY"
    INTERNAL = "INTERNAL"


class InvolvementKind(StrEnum):
    STAKEHOLDER = "STAKEHOLDER"
    PATIENT_PUBLIC = "PATIENT_PUBLIC"


class SharingScope(StrEnum):
    """How much of an innovation a partner organisation sees."""

    SUMMARY = "SUMMARY"
    FULL = "FULL"


class AdoptionStatus(StrEnum):
    STARTED = "STARTED"
    SUSTAINED = "SUSTAINED"
    ABANDONED = "ABANDONED"


class CorrectionKind(StrEnum):
    """What became of a recorded observation: corrected (new numbers) or withdrawn."""

    CORRECTED = "CORRECTED"
    WITHDRAWN = "WITHDRAWN"


class BetterDirection(StrEnum):
    HIGHER = "HIGHER"
    LOWER = "LOWER"
    NEITHER = "NEITHER"  # no side is better: signals are special cause, neither way


class ChartType(StrEnum):
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
