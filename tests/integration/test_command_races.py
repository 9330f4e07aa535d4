"""Concurrent commands through the application, on the real database: a command that names no
version is carried out on a fresh load when another writer got there first, so only a client who
asked for a version hears of a conflict; idempotency keys are the caller's, whatever the command.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from lifecycle import application as application_module
from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.errors import DomainError, IdempotencyKeyReused, VersionConflict
from lifecycle.store.database import Database
from tests.conftest import make_app, member, new_organisation

T = TypeVar("T")
CONCURRENT = 100


@pytest.fixture(scope="module")
def staff(app: LifecycleApplication) -> Actor:
    return member(new_organisation(app, "Aneurin Bevan UHB", ("Grange",)), Role.STAFF)


def idea(app: LifecycleApplication, staff: Actor) -> UUID:
    return app.execute(c.SubmitIdea(title="Hot clinics", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id


def together(calls: list[Callable[[], T]], threads: int = 16) -> list[T | DomainError]:
    """Run ``calls`` at once on ``threads`` threads; each one's result or domain refusal."""
    def run(call: Callable[[], T]) -> T | DomainError:
        try:
            return call()
        except DomainError as refused:
            return refused

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(run, calls))


def comments(apps: list[LifecycleApplication], staff: Actor,
             ident: UUID) -> list[Callable[[], Outcome]]:
    """CONCURRENT comments on one idea by as many people, spread over ``apps``."""
    def comment(n: int) -> Callable[[], Outcome]:
        who = member(staff, Role.STAFF)
        return lambda: apps[n % len(apps)].execute(c.CommentOnIdea(ident, f"comment {n}"),
                                                   CommandContext(who))
    return [comment(n) for n in range(CONCURRENT)]


def all_landed(app: LifecycleApplication, ident: UUID,
               results: list[Outcome | DomainError]) -> None:
    assert [r for r in results if isinstance(r, DomainError)] == []
    assert app.repository.get(ident).version == 1 + CONCURRENT
    assert sorted(r.version for r in results if isinstance(r, Outcome)) == list(
        range(2, 2 + CONCURRENT))


def test_concurrent_comments_that_name_no_version_all_land(app: LifecycleApplication,
                                                          staff: Actor) -> None:
    ident = idea(app, staff)
    all_landed(app, ident, together(comments([app], staff, ident)))


def test_concurrent_comments_from_two_processes_all_land(app: LifecycleApplication, db: Database,
                                                        staff: Actor) -> None:
    """Two applications, as two ``serve`` workers are: their writers really race to save (each
    process's own commands on one aggregate take turns), and the losers try again."""
    other = make_app(db)
    try:
        ident = idea(app, staff)
        all_landed(app, ident, together(comments([app, other], staff, ident)))
    finally:
        other.close()


def test_concurrent_commands_that_name_the_same_version_give_one_success(
        app: LifecycleApplication, staff: Actor) -> None:
    ident = idea(app, staff)
    people = [member(staff, Role.STAFF) for _ in range(20)]
    results = together([
        lambda who=who: app.execute(c.CommentOnIdea(ident, "me first"),  # type: ignore[misc]
                                    CommandContext(who, expected_version=1))
        for who in people])
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Outcome": 1, "VersionConflict": 19}
    conflict = next(r for r in results if isinstance(r, VersionConflict))
    assert (conflict.expected, conflict.actual) == (1, 2)


def test_retries_of_a_command_that_names_no_version_are_bounded(
        db: Database, staff: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A race lost on every try still ends, as a VersionConflict, after ATTEMPTS tries."""
    app = make_app(db)
    try:
        ident = idea(app, staff)
        tries = []

        def always_beaten(*args: Any, **kwargs: Any) -> Any:
            tries.append(1)
            raise IntegrityError("another writer saved first")

        monkeypatch.setattr(app, "save", always_beaten)
        with pytest.raises(VersionConflict) as conflict:
            app.execute(c.CommentOnIdea(ident, "never lands"), CommandContext(staff))
        assert len(tries) == application_module.ATTEMPTS
        assert (conflict.value.expected, conflict.value.actual) == (1, 1)
    finally:
        app.close()


def test_a_command_that_names_a_version_is_tried_once(
        db: Database, staff: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(db)
    try:
        ident = idea(app, staff)
        tries = []

        def beaten(*args: Any, **kwargs: Any) -> Any:
            tries.append(1)
            raise IntegrityError("another writer saved first")

        monkeypatch.setattr(app, "save", beaten)
        with pytest.raises(VersionConflict):
            app.execute(c.CommentOnIdea(ident, "mine"), CommandContext(staff, expected_version=1))
        assert len(tries) == 1
    finally:
        app.close()


# -- idempotency keys are the caller's -------------------------------------------------------------
def test_a_key_used_for_one_mutation_is_refused_for_another(app: LifecycleApplication,
                                                            staff: Actor) -> None:
    key = "one-key-one-request"
    submitted = app.execute(c.SubmitIdea(title="Keyed", problem="p", proposal="q"),
                            CommandContext(staff, idempotency_key=key))
    for command in (c.CommentOnIdea(submitted.aggregate_id, "hello"),
                    c.EndorseIdea(submitted.aggregate_id),
                    c.SubmitIdea(title="Another idea", problem="p", proposal="q")):
        with pytest.raises(IdempotencyKeyReused):
            app.execute(command, CommandContext(staff, idempotency_key=key))
    assert app.repository.get(submitted.aggregate_id).version == 1  # nothing more stored
    again = app.execute(c.SubmitIdea(title="Keyed", problem="p", proposal="q"),
                        CommandContext(staff, idempotency_key=key))
    assert (again.replayed, again.aggregate_id) == (True, submitted.aggregate_id)


def test_two_different_requests_racing_with_one_key_store_one(app: LifecycleApplication,
                                                               staff: Actor) -> None:
    ident = idea(app, staff)
    key = "racing-key"
    ctx = CommandContext(staff, idempotency_key=key)
    results = together([lambda: app.execute(c.CommentOnIdea(ident, "a"), ctx),
                        lambda: app.execute(c.EndorseIdea(ident), ctx)] * 4, threads=8)
    stored = {r.version for r in results if isinstance(r, Outcome)}
    assert len(stored) == 1  # one request carried out; its repeats replayed it
    assert all(isinstance(r, Outcome | IdempotencyKeyReused) for r in results), results
    assert app.repository.get(ident).version == 2


def test_the_same_key_from_another_person_is_theirs(app: LifecycleApplication,
                                                    staff: Actor) -> None:
    ident = idea(app, staff)
    colleague = member(staff, Role.STAFF)
    key = "shared-by-coincidence"
    app.execute(c.CommentOnIdea(ident, "mine"), CommandContext(staff, idempotency_key=key))
    theirs = app.execute(c.EndorseIdea(ident), CommandContext(colleague, idempotency_key=key))
    assert not theirs.replayed
    assert app.repository.get(ident).version == 3


def test_a_request_keyed_before_keys_were_the_caller_s_is_replayed_not_repeated(
        app: LifecycleApplication, staff: Actor) -> None:
    """Before this version a key was kept under the caller and the command's name; a client
    retrying across the upgrade gets the original outcome, and nothing is stored twice."""
    ident = idea(app, staff)
    key = "kept-before-the-upgrade"
    ctx = CommandContext(staff, idempotency_key=key)
    first = app.execute(c.CommentOnIdea(ident, "hello"), ctx)
    legacy = hashlib.sha256(f"{staff.organisation}|{staff.subject}|CommentOnIdea|{key}"
                            .encode()).hexdigest()
    with app.store.datastore.transaction(commit=True) as curs:  # as an older version stored it
        curs.execute("UPDATE lifecycle_idempotency SET scope_key = %s WHERE scope_key = %s",
                     (legacy, application_module._scope_key(ctx, key)))
    again = app.execute(c.CommentOnIdea(ident, "hello"), ctx)
    assert (again.replayed, again.version, again.position) == (True, first.version,
                                                               first.position)
    assert app.repository.get(ident).version == 2
    with pytest.raises(IdempotencyKeyReused):
        app.execute(c.CommentOnIdea(ident, "something else"), ctx)
