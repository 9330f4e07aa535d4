"""Every command, from each capability's ``commands`` module: one name space for what sends many
of them (the seed, the bench, tests)."""

from lifecycle.command import Command
from lifecycle.development.commands import (
    CompletePrototype,
    RecordEvaluation,
    RecordFunding,
    StartPrototype,
)
from lifecycle.directory.commands import (
    AddSite,
    ChangeThresholds,
    CloseChallenge,
    ErasePerson,
    OpenChallenge,
    OrganisationCommand,
    RegisterOrganisation,
)
from lifecycle.governance.commands import DecideAdoption
from lifecycle.ideas.commands import (
    AcceptIdea,
    AssignOwner,
    CommentOnIdea,
    DeclineIdea,
    EndorseIdea,
    MergeIdea,
    RecordInvolvement,
    RequestInformation,
    ReviseIdea,
    SubmitIdea,
)
from lifecycle.improvement.commands import (
    CorrectObservation,
    DefineMeasure,
    MeasureCommand,
    ObservationInput,
    RecordObservations,
    SetMeasureTarget,
    StartPhase,
    WithdrawObservation,
)
from lifecycle.innovations.commands import (
    CloseInnovation,
    InnovationCommand,
    ParkInnovation,
    ReasonedCommand,
    ReopenInnovation,
)
from lifecycle.spread.commands import (
    AbandonAdoption,
    EmbedInnovation,
    RevokeSharing,
    ShareInnovation,
    StartAdoption,
    SustainAdoption,
)

__all__ = [
    "AbandonAdoption", "AcceptIdea", "AddSite", "AssignOwner", "ChangeThresholds", "CloseChallenge",
    "CloseInnovation", "Command", "CommentOnIdea", "CompletePrototype", "CorrectObservation",
    "DecideAdoption", "DeclineIdea", "DefineMeasure", "EmbedInnovation", "EndorseIdea",
    "ErasePerson", "InnovationCommand", "MeasureCommand", "MergeIdea", "ObservationInput",
    "OpenChallenge", "OrganisationCommand", "ParkInnovation", "ReasonedCommand", "RecordEvaluation",
    "RecordFunding", "RecordInvolvement", "RecordObservations", "RegisterOrganisation",
    "ReopenInnovation", "RequestInformation", "ReviseIdea", "RevokeSharing", "SetMeasureTarget",
    "ShareInnovation", "StartAdoption", "StartPhase", "StartPrototype", "SubmitIdea",
    "SustainAdoption", "WithdrawObservation",
]
