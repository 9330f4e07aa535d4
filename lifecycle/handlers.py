"""Which handler carries out each command: the one map, written out here from each capability's
handlers (``<capability>/handlers.py``). ``LifecycleApplication.execute`` looks a command up in it;
a command missing from it cannot be sent (``tests/unit/test_handlers.py`` holds every command
to having one)."""

from __future__ import annotations

from collections.abc import Mapping

from lifecycle import commands as c
from lifecycle.command import Command, Handler
from lifecycle.development import handlers as development
from lifecycle.directory import handlers as directory
from lifecycle.governance import handlers as governance
from lifecycle.ideas import handlers as ideas
from lifecycle.improvement import handlers as improvement
from lifecycle.innovations import handlers as innovations
from lifecycle.spread import handlers as spread

HANDLERS: Mapping[type[Command], Handler] = {
    # the directory
    c.RegisterOrganisation: directory.register_organisation,
    c.AddSite: directory.add_site,
    c.ChangeThresholds: directory.change_thresholds,
    c.OpenChallenge: directory.open_challenge,
    c.CloseChallenge: directory.close_challenge,
    c.ErasePerson: directory.erase_person,
    # ideas
    c.SubmitIdea: ideas.submit_idea,
    c.ReviseIdea: ideas.revise,
    c.EndorseIdea: ideas.endorse,
    c.CommentOnIdea: ideas.comment,
    c.AcceptIdea: ideas.accept,
    c.RequestInformation: ideas.request_information,
    c.MergeIdea: ideas.merge,
    c.DeclineIdea: ideas.decline,
    c.AssignOwner: ideas.assign_owner,
    c.RecordInvolvement: ideas.record_involvement,
    # development
    c.StartPrototype: development.start_prototype,
    c.CompletePrototype: development.complete_prototype,
    c.RecordEvaluation: development.record_evaluation,
    c.RecordFunding: development.record_funding,
    # governance
    c.DecideAdoption: governance.decide_adoption,
    # spread
    c.ShareInnovation: spread.share,
    c.RevokeSharing: spread.revoke_sharing,
    c.StartAdoption: spread.start_adoption,
    c.SustainAdoption: spread.sustain_adoption,
    c.AbandonAdoption: spread.abandon_adoption,
    c.EmbedInnovation: spread.embed,
    # the whole innovation
    c.ParkInnovation: innovations.park,
    c.ReopenInnovation: innovations.reopen,
    c.CloseInnovation: innovations.close,
    # improvement
    c.DefineMeasure: improvement.define_measure,
    c.RecordObservations: improvement.record_observations,
    c.CorrectObservation: improvement.correct_observation,
    c.WithdrawObservation: improvement.withdraw_observation,
    c.SetMeasureTarget: improvement.set_target,
    c.StartPhase: improvement.start_phase,
}
