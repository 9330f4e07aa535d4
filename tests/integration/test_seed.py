"""The demo-data generator, on a real database.

The session shares one database, so each test uses its own seed and compares relative numbers.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from lifecycle.application import LifecycleApplication
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.seed import SeedConflict, seed

# Ideas can only answer a challenge that is open on the real date, so seed around it.
TODAY = date.today()


def test_a_small_seed_reaches_every_stage(app: LifecycleApplication) -> None:
    progress: list[tuple[int, int]] = []
    before = app.recorder.max_notification_id() or 0
    summary = seed(app, seed=1001, innovations=40, today=TODAY,
                   on_progress=lambda done, total: progress.append((done, total)))
    assert summary.innovations == 40
    assert sum(summary.by_stage.values()) == 40
    assert {s for s, n in summary.by_stage.items() if n} == {s.value for s in Stage}
    assert progress[-1] == (40, 40)
    assert [done for done, _ in progress] == list(range(1, 41))
    assert summary.organisations == 6
    assert summary.challenges >= 6
    submitted = _ideas_since(app, before)
    assert len(submitted) == 40
    assert any(i.challenge_id is not None for i in submitted)
    assert {i.innovation_class for i in submitted} == {"IMPROVEMENT", "INNOVATION"}


def test_the_same_seed_twice_stores_nothing_new(app: LifecycleApplication) -> None:
    first = seed(app, seed=1002, innovations=25, today=TODAY)
    head = app.recorder.max_notification_id()
    second = seed(app, seed=1002, innovations=25, today=TODAY)
    assert app.recorder.max_notification_id() == head
    assert second == first


def test_different_seeds_give_different_data(app: LifecycleApplication) -> None:
    titles: list[list[str]] = []
    summaries = []
    for n in (1003, 1004):
        before = app.recorder.max_notification_id() or 0
        summaries.append(seed(app, seed=n, innovations=20, today=TODAY))
        titles.append([i.title for i in _ideas_since(app, before)])
    assert titles[0] != titles[1]
    assert summaries[0] != summaries[1]


def test_adopted_innovations_have_measures_with_a_year_of_observations(
        app: LifecycleApplication) -> None:
    summary = seed(app, seed=1005, innovations=30, today=TODAY)
    adopted = sum(summary.by_stage[s] for s in ("ADOPTED", "SPREADING", "EMBEDDED"))
    assert adopted > 0
    assert summary.measures >= adopted
    assert summary.observations == summary.measures * 52


def test_reseeding_for_another_day_is_refused_not_duplicated(app: LifecycleApplication) -> None:
    seed(app, seed=1006, innovations=3, today=TODAY)
    with pytest.raises(SeedConflict, match="different 'today'"):
        seed(app, seed=1006, innovations=3, today=TODAY - timedelta(days=1))


def _ideas_since(app: LifecycleApplication, position: int) -> list[Innovation]:
    ideas = []
    for notification in app.recorder.select_notifications(position + 1, 100_000):
        if notification.topic == "lifecycle/IdeaSubmitted":
            ideas.append(app.load(Innovation, UUID(str(notification.originator_id))))
    return ideas
