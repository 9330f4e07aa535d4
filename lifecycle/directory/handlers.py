"""The handlers of the directory's commands."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from lifecycle import policy
from lifecycle.actor import CommandContext, Role
from lifecycle.command import Change
from lifecycle.directory import commands, people
from lifecycle.directory.challenge import Challenge
from lifecycle.directory.erasure import PersonErasure, erasure_id
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import AlreadyErased

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication


def register_organisation(app: LifecycleApplication, cmd: commands.RegisterOrganisation,
                          ctx: CommandContext) -> Change:
    # The platform's administrator, not an organisation's: registering one is platform-wide.
    policy.require_role(ctx.actor, frozenset({Role.PLATFORM_ADMIN}), "register an organisation")
    org = Organisation.register(ctx, app.new_id(cmd, ctx), name=cmd.name, kind=cmd.kind.value,
                                sites=cmd.sites, thresholds=cmd.thresholds)
    return Change(org, org.id)


def _own_organisation(app: LifecycleApplication, ident: UUID, ctx: CommandContext,
                      doing: str) -> Organisation:
    org = app.load(Organisation, ident, ctx)
    policy.require_role(ctx.actor, frozenset({Role.ADMIN}), doing)
    policy.require_member(ctx.actor, org.id, doing)
    return org


def add_site(app: LifecycleApplication, cmd: commands.AddSite, ctx: CommandContext) -> Change:
    org = _own_organisation(app, cmd.organisation_id, ctx, "add a site")
    org.add_site(ctx, site=cmd.site)
    return Change(org, org.id)


def change_thresholds(app: LifecycleApplication, cmd: commands.ChangeThresholds,
                      ctx: CommandContext) -> Change:
    org = _own_organisation(app, cmd.organisation_id, ctx, "change governance thresholds")
    org.change_thresholds(ctx, thresholds=cmd.thresholds, reason=cmd.reason)
    return Change(org, org.id)


def open_challenge(app: LifecycleApplication, cmd: commands.OpenChallenge,
                   ctx: CommandContext) -> Change:
    policy.require_role(ctx.actor, policy.LEADS, "open a challenge")
    challenge = Challenge.open(ctx, app.new_id(cmd, ctx), organisation_id=ctx.actor.organisation,
                               title=cmd.title, problem=cmd.problem, opens_on=cmd.opens_on,
                               closes_on=cmd.closes_on)
    return Change(challenge, challenge.id)


def close_challenge(app: LifecycleApplication, cmd: commands.CloseChallenge,
                    ctx: CommandContext) -> Change:
    challenge = app.load(Challenge, cmd.challenge_id, ctx)
    policy.require_role(ctx.actor, policy.LEADS, "close a challenge")
    challenge.close(ctx, reason=cmd.reason)
    return Change(challenge, challenge.id)


def erase_person(app: LifecycleApplication, cmd: commands.ErasePerson,
                 ctx: CommandContext) -> Change:
    """Forget ``cmd.subject``: written to the erasure log first (on disk before anything is
    stored), then the ``PersonErased`` event and the deletion of their key and sealed details in
    one transaction (``Change.alongside``). Only a platform administrator may (the README's
    erasure policy). Raises ``Forbidden``; ``NotFound`` for an id never registered;
    ``AlreadyErased`` when the log already records their erasure."""
    policy.require_role(ctx.actor, frozenset({Role.PLATFORM_ADMIN}), "erase a person")
    with app.store.datastore.transaction(commit=False) as curs:
        people.standing(curs, cmd.subject)
    if erasure_id(cmd.subject) in app.repository:
        raise AlreadyErased(cmd.subject)
    app.erasures().record(cmd.subject)
    erasure = PersonErasure.erase(ctx, subject=cmd.subject)
    return Change(erasure, erasure.id,
                  alongside=lambda curs: people.forget(curs, cmd.subject))
