"""The handlers of the commands that spread an innovation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lifecycle import policy, visibility
from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import NotFound, ValidationFailed
from lifecycle.innovations.handlers import addressed, lead, reasoned, sub_id
from lifecycle.innovations.innovation import Innovation
from lifecycle.spread import commands

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def share(app: LifecycleApplication, cmd: commands.ShareInnovation, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "share an innovation")
    app.load(Organisation, cmd.organisation_id)
    innovation.share(ctx, organisation_id=cmd.organisation_id, scope=cmd.scope)
    return Change(innovation, innovation.id)


def revoke_sharing(app: LifecycleApplication, cmd: commands.RevokeSharing,
                   ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "revoke sharing")
    innovation.revoke_sharing(ctx, organisation_id=cmd.organisation_id, reason=cmd.reason)
    return Change(innovation, innovation.id)


def start_adoption(app: LifecycleApplication, cmd: commands.StartAdoption,
                   ctx: CommandContext) -> Change:
    innovation = addressed(app, cmd, ctx)
    policy.local_adopter(ctx.actor, innovation, cmd.organisation_id, "start an adoption")
    adopter = app.load(Organisation, cmd.organisation_id)
    if not adopter.has_site(cmd.site):
        raise ValidationFailed("site", f"{adopter.name} has no site called {cmd.site!r}")
    adoption_id = sub_id(innovation)
    innovation.start_adoption(ctx, adoption_id=adoption_id, organisation_id=adopter.id,
                              site=cmd.site, adaptation=cmd.adaptation,
                              started_on=cmd.started_on)
    return Change(innovation, adoption_id)


def _adoption(app: LifecycleApplication, cmd: commands.SustainAdoption | commands.AbandonAdoption,
              ctx: CommandContext, doing: str) -> Innovation:
    innovation = addressed(app, cmd, ctx)
    adoption = innovation.adoptions.get(cmd.adoption_id)
    if adoption is None or not visibility.sees_adoption(
            ctx.actor.organisation, adoption["organisation_id"], innovation):
        raise NotFound("adoption", cmd.adoption_id)
    policy.own_adoption(ctx.actor, innovation, adoption["organisation_id"], doing)
    return innovation


def sustain_adoption(app: LifecycleApplication, cmd: commands.SustainAdoption,
                     ctx: CommandContext) -> Change:
    innovation = _adoption(app, cmd, ctx, "sustain an adoption")
    innovation.sustain_adoption(ctx, adoption_id=cmd.adoption_id, reason=cmd.reason,
                                sustained_on=cmd.sustained_on)
    return Change(innovation, cmd.adoption_id)


def abandon_adoption(app: LifecycleApplication, cmd: commands.AbandonAdoption,
                     ctx: CommandContext) -> Change:
    innovation = _adoption(app, cmd, ctx, "abandon an adoption")
    innovation.abandon_adoption(ctx, adoption_id=cmd.adoption_id, reason=cmd.reason,
                                abandoned_on=cmd.abandoned_on)
    return Change(innovation, cmd.adoption_id)


embed = reasoned(commands.EmbedInnovation, "embed", Innovation.embed)
