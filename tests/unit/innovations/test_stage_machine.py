"""One stage machine: ``transitions.stage_after`` is the only code that moves an innovation's
stage, and folding an innovation's events through it gives the stage the aggregate is at."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

import lifecycle
from lifecycle.actor import Actor, Authority, CommandContext, Role
from lifecycle.errors import DomainError
from lifecycle.governance.authority import DecisionOutcome, Risk, Thresholds
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.innovations.transitions import stage_after
from lifecycle.vocabulary import SharingScope

ORG = uuid4()
PARTNER = uuid4()
DAY = date(2024, 3, 1)
LEAD = CommandContext(Actor("lead-1", ORG, frozenset({Role.INNOVATION_LEAD})))
BOARD = CommandContext(Actor("gov-board", ORG, frozenset({Role.GOVERNANCE_BOARD})))
MOVED_ONLY_IN = Path(lifecycle.__file__).parent / "innovations" / "innovation.py"


def test_only_the_aggregates_event_application_sets_an_innovations_stage() -> None:
    """No event's ``fold``, command method or handler sets the stage itself: it moves only
    through ``Innovation.Event.apply``, by ``stage_after`` (the read side uses the same)."""
    root = Path(lifecycle.__file__).parent
    found = []
    for path in [*root.glob("*/events.py"), *root.glob("*/handlers.py"),
                 *root.glob("innovations/*.py")]:
        if path == MOVED_ONLY_IN:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and \
                            part.attr in {"stage", "stage_before_park"}:
                        found.append(f"{path.relative_to(root)}:{target.lineno}")
    assert not found


def submitted() -> Innovation:
    return Innovation.submit(
        LEAD, uuid4(), organisation_id=ORG, site=None, challenge_id=None, title="t",
        problem="p", proposal="q", tags=(), innovation_class="IMPROVEMENT", staff_group=None)


def _complete(i: Innovation, n: int) -> None:
    running = [p for p, v in i.prototypes.items() if not v["done"]]
    if running:
        i.complete_prototype(LEAD, prototype_id=running[n % len(running)], outcome="SUCCEEDED",
                             result="r", learning="l", completed_on=DAY)


def _decide(i: Innovation, n: int) -> None:
    outcome = list(DecisionOutcome)[n % len(DecisionOutcome)]
    i.decide_adoption(BOARD, decision_id=uuid4(), outcome=outcome, authority=Authority.BOARD,
                      rationale="r", conditions="c", evidence=(), thresholds=Thresholds())


def _adopt(i: Innovation, n: int) -> None:
    i.start_adoption(LEAD, adoption_id=uuid4(), organisation_id=ORG, site=f"site {n}",
                     adaptation="a", started_on=DAY)


def _adoption(i: Innovation, n: int) -> UUID | None:
    ids = list(i.adoptions)
    return ids[n % len(ids)] if ids else None


def _sustain(i: Innovation, n: int) -> None:
    if (adoption := _adoption(i, n)) is not None:
        i.sustain_adoption(LEAD, adoption_id=adoption, reason="r", sustained_on=DAY)


def _abandon(i: Innovation, n: int) -> None:
    if (adoption := _adoption(i, n)) is not None:
        i.abandon_adoption(LEAD, adoption_id=adoption, reason="r", abandoned_on=DAY)


def _rarely(move: Callable[[Innovation], None]) -> Callable[[Innovation, int], None]:
    """A move that ends the story, made one time in six so that stories go further."""
    def made(i: Innovation, n: int) -> None:
        if n == 0:
            move(i)
    return made


MOVES: list[Callable[[Innovation, int], None]] = [
    lambda i, n: i.accept(LEAD, reason="r"),
    lambda i, n: i.request_information(LEAD, reason="r"),
    _rarely(lambda i: i.decline(LEAD, reason="r")),
    _rarely(lambda i: i.merge_into(LEAD, target=submitted(), reason="r")),
    lambda i, n: i.revise(LEAD, title=f"t{n}", problem="p", proposal="q", tags=()),
    lambda i, n: i.comment(LEAD, comment_id=uuid4(), text="c"),
    lambda i, n: i.assign_owner(LEAD, owner="lead-1", team=()),
    lambda i, n: i.start_prototype(LEAD, prototype_id=uuid4(), title="p", hypothesis="h",
                                   plan="p", started_on=DAY),
    _complete,
    lambda i, n: i.record_evaluation(
        LEAD, evaluation_id=uuid4(), method="SERVICE_EVALUATION", scores={"SAFETY": 3},
        evidence="e", recommendation="r", estimated_cost=Decimal(n * 1000),
        risk=list(Risk)[n % len(Risk)], evaluated_on=DAY),
    lambda i, n: i.record_funding(LEAD, funding_id=uuid4(), source="CHARITY", funder="f",
                                  programme=None, amount=Decimal(100), starts_on=DAY,
                                  ends_on=None),
    _decide,
    lambda i, n: i.share(LEAD, organisation_id=PARTNER, scope=list(SharingScope)[n % 2]),
    lambda i, n: i.revoke_sharing(LEAD, organisation_id=PARTNER, reason="r"),
    _adopt,
    _sustain,
    _abandon,
    lambda i, n: i.embed(LEAD, reason="r"),
    _rarely(lambda i: i.park(LEAD, reason="r")),
    lambda i, n: i.reopen(LEAD, reason="r"),
    _rarely(lambda i: i.close(LEAD, reason="r", learning="l")),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(MOVES) - 1), st.integers(0, 5)), max_size=60))
def test_folding_the_events_through_stage_after_agrees_with_the_aggregate(
        moves: list[tuple[int, int]]) -> None:
    innovation = submitted()
    seen: list[tuple[Stage, Stage | None]] = [(innovation.stage, innovation.stage_before_park)]
    for move, n in moves:
        version = innovation.version
        try:
            MOVES[move](innovation, n)
        except DomainError:
            continue  # refused: nothing recorded
        if innovation.version != version:
            seen.append((innovation.stage, innovation.stage_before_park))
    stage, parked_from = None, None
    folded = []
    for event in innovation.collect_events():
        stage, parked_from = stage_after(event, stage, parked_from)
        folded.append((stage, parked_from))
    assert folded == seen
    assert {s for s, _ in seen} <= set(Stage)
