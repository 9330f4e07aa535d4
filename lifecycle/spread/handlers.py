"""The handlers of the commands that spread an innovation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lifecycle import policy, visibility
from lifecycle.actor import CommandContext
from lifecycle.command import Change
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import NotFound, ValidationFailed
from lifecycle.innovations.handlers import addressed, arguments, lead, led, sub_id
from lifecycle.innovations.innovation import Innovation
from lifecycle.spread import commands

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def share(app: LifecycleApplication, cmd: commands.ShareInnovation, ctx: CommandContext) -> Change:
    innovation = lead(app, cmd, ctx, "share an innovation")
    app.load(Organisation, cmd.organisation_id)
    innovation.share(ctx, organisation_id=cmd.organisation_id, scope=cmd.scope)
    return Change(innovation, innovation.id)


revoke_sharing = led(commands.RevokeSharing, "revoke sharing", Innovation.revoke_sharing)


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


AdoptionCommand = commands.SustainAdoption | commands.AbandonAdoption


def _adoption_move(command: type[AdoptionCommand], doing: str, move: Callable[..., None]
                   ) -> Callable[[LifecycleApplication, AdoptionCommand, CommandContext], Change]:
    """The handler of ``command``, a move on one adoption that only the adopting organisation
    makes (``policy.own_adoption``, naming ``doing``; an adoption the caller may not see is not
    found): ``move`` (an ``Innovation`` method) with the command's fields as its keyword
    arguments (``arguments``). What it changed is the adoption."""
    names = arguments(command, move)

    def handle(app: LifecycleApplication, cmd: AdoptionCommand, ctx: CommandContext) -> Change:
        innovation = addressed(app, cmd, ctx)
        adoption = innovation.adoptions.get(cmd.adoption_id)
        if adoption is None or not visibility.sees_adoption(
                ctx.actor.organisation, adoption["organisation_id"], innovation):
            raise NotFound("adoption", cmd.adoption_id)
        policy.own_adoption(ctx.actor, innovation, adoption["organisation_id"], doing)
        move(innovation, ctx, **{name: getattr(cmd, name) for name in names})
        return Change(innovation, cmd.adoption_id)

    handle.__annotations__ = {**handle.__annotations__, "cmd": command}
    return handle


sustain_adoption = _adoption_move(commands.SustainAdoption, "sustain an adoption",
                                  Innovation.sustain_adoption)
abandon_adoption = _adoption_move(commands.AbandonAdoption, "abandon an adoption",
                                  Innovation.abandon_adoption)
embed = led(commands.EmbedInnovation, "embed", Innovation.embed)
