"""Who sees each event at its position: the log folded in order through the one visibility rule
(``lifecycle.visibility.scope``). Random command sequences (the stage machine's test moves) are
folded event by event, and at every event the fold agrees with the aggregate as it stood then:
owner, shares and stage; so does the fold of only the ``SIGHTED`` event types, which is how a
replay rebuilds the state at a position."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle.errors import DomainError
from lifecycle.innovations.innovation import Innovation
from lifecycle.visibility import Scope, innovation_scope
from projections.engine.log import Recorded
from projections.partners.audience import SIGHTED, Audience
from tests.unit.innovations.test_stage_machine import MOVES, ORG, PARTNER, submitted

NOW = datetime.now(UTC)


def _seen_by(innovation: Innovation) -> dict[UUID, Scope]:
    viewers = {innovation.organisation_id, *innovation.shared_with}
    return {v: s for v in viewers if (s := innovation_scope(v, innovation)).sees}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(MOVES) - 1), st.integers(0, 5)), max_size=50))
def test_the_fold_agrees_with_the_aggregate_at_every_event(moves: list[tuple[int, int]]) -> None:
    innovation = submitted()
    states: list[tuple[Any, dict[UUID, Scope]]] = [(innovation.stage, _seen_by(innovation))]
    for move, n in moves:
        version = innovation.version
        try:
            MOVES[move](innovation, n)
        except DomainError:
            continue
        if innovation.version != version:
            states.append((innovation.stage, _seen_by(innovation)))
    events = list(innovation.collect_events())
    whole, sighted = Audience(), Audience()
    for position, (event, (stage, seen_by)) in enumerate(zip(events, states, strict=True), 1):
        happening = whole.fold(Recorded(position, NOW, event))
        assert happening is not None
        assert (happening.stage, dict(happening.seen_by)) == (stage, seen_by)
        if getattr(type(event), "TOPIC", None) in SIGHTED:
            sighted.fold(Recorded(position, NOW, event))
        mine = whole.innovations[innovation.id]
        theirs = sighted.innovations[innovation.id]
        assert (theirs.owner, theirs.shared_with, theirs.stage) == (
            mine.owner, mine.shared_with, mine.stage)
    assert whole.scope_of(ORG, innovation.id) is Scope.OWN
    assert whole.scope_of(PARTNER, innovation.id) is innovation_scope(PARTNER, innovation)


def test_every_event_that_moves_a_stage_is_sighted() -> None:
    """A replay rebuilds stages from the ``SIGHTED`` types alone: every event class the stage
    machine matches (``transitions.stage_after``'s cases and its table ``MOVES_TO``) must be
    one of them."""
    import ast
    import inspect

    from lifecycle.innovations import transitions

    tree = ast.parse(inspect.getsource(transitions.stage_after))
    named = {f"{node.cls.value.id}.{node.cls.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.MatchClass) and isinstance(node.cls, ast.Attribute)
             and isinstance(node.cls.value, ast.Name)}
    parts = vars(transitions)
    topics = {getattr(parts[name.split(".")[0]], name.split(".")[1]).TOPIC for name in named}
    topics |= {kind.TOPIC for kind in transitions.MOVES_TO}  # type: ignore[attr-defined]
    assert len(topics) >= 10
    assert topics <= set(SIGHTED)
