"""The steps of the demo data that every story shares (see ``lifecycle.seed``)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from uuid import UUID, uuid5

from lifecycle import commands as c
from lifecycle.actor import (
    Actor,
    CommandContext,
    Role,
)
from lifecycle.application import LifecycleApplication, Outcome
from lifecycle.directory.challenge import Challenge
from lifecycle.directory.organisation import Organisation
from lifecycle.errors import IdempotencyKeyReused
from lifecycle.improvement.measure import Measure
from lifecycle.innovations.innovation import Innovation
from lifecycle.innovations.stage import Stage
from lifecycle.seed import areas as a
from lifecycle.seed import text as t
from lifecycle.seed.plan import (
    BATCH,
    NAMESPACE,
    WEEKS,
    OrgPlan,
    SeedConflict,
    SeedSummary,
    Story,
)
from lifecycle.vocabulary import (
    BetterDirection,
    ChartType,
    SharingScope,
)


class Steps:
    """The seeder's state and the steps every story shares: running a command as a person, drawing
    people and days, and an innovation's spread and measurement."""

    university: OrgPlan
    industry: OrgPlan
    charity: OrgPlan

    def __init__(self, app: LifecycleApplication, seed: int, today: date) -> None:
        self.app, self.seed, self.today = app, seed, today
        self.rng = random.Random(seed)
        self.commands = 0
        self.people = 0
        self.weeks = [today - timedelta(weeks=WEEKS - 1 - w) for w in range(WEEKS)]
        self.orgs: list[OrgPlan] = []
        self.trusts: list[OrgPlan] = []
        self.innovation_ids: list[UUID] = []
        self.measure_ids: list[UUID] = []
        self.setup_correlation = uuid5(NAMESPACE, f"{seed}/setup")

    # -- plumbing ----------------------------------------------------------------------------------
    def _run(self, command: c.Command, actor: Actor, correlation: UUID) -> Outcome:
        self.commands += 1
        key = f"seed-{self.seed}-{self.commands}"
        try:
            return self.app.execute(command, CommandContext(actor, correlation, key))
        except IdempotencyKeyReused as err:
            raise SeedConflict(
                f"seed {self.seed} was already generated in this database for a different "
                f"'today' (command {key} differs); pass the same today or use another seed"
            ) from err

    def _person(self, org: UUID, *roles: Role) -> Actor:
        self.people += 1
        group = self.rng.choices(list(t.STAFF_GROUP_WEIGHTS),
                                 weights=list(t.STAFF_GROUP_WEIGHTS.values()))[0]
        return Actor(f"person-{self.people}", org, frozenset(roles), staff_group=group)

    def _days(self, lo: int, hi: int) -> timedelta:
        return timedelta(days=self.rng.randint(lo, hi))

    # -- organisations, people, challenges ---------------------------------------------------------

    def _share(self, story: Story, org: OrgPlan, scope: SharingScope) -> None:
        if org.id in story.shared:
            return
        self._run(c.ShareInnovation(story.id, org.id, scope), story.lead, story.correlation)
        story.shared[org.id] = scope

    def _spread(self, story: Story, golive: date) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            scope = rng.choice(list(SharingScope))
            self._share(story, self.university, scope)
        if rng.random() < 0.25:
            self._share(story, self.industry, SharingScope.SUMMARY)
            if rng.random() < 0.3:
                self._run(c.RevokeSharing(story.id, t.REVOKE, organisation_id=self.industry.id),
                          story.lead, story.correlation)
                story.shared.pop(self.industry.id)
        places = [(org, site) for org in self.trusts for site in org.sites
                  if (org, site) != (story.org, story.site)]
        places += [(self.charity, self.charity.sites[0])]
        for org, site in rng.sample(places, rng.randint(1, 4)):
            self._adopt(story, org, site, golive)

    def _adopt(self, story: Story, org: OrgPlan, site: str, golive: date) -> None:
        """One local adoption, recorded by the adopting organisation itself, with its fate and
        (often) its own measure, since an idea that works in one place may not elsewhere."""
        rng = self.rng
        actor = story.lead
        if org is not story.org:  # an adopter needs the full detail, which its owner shares
            self._share(story, org, SharingScope.FULL)
            actor = org.partner
        started = min(golive + self._days(14, 120), self.today - timedelta(days=14))
        out = self._run(c.StartAdoption(story.id, org.id, rng.choice(t.ADAPTATION), started, site),
                        actor, story.correlation)
        live = (self.today - started).days
        fate = rng.random()
        if live >= 70 and fate < 0.55:
            self._run(c.SustainAdoption(story.id, rng.choice(t.SUSTAIN), adoption_id=out.created_id,
                                        sustained_on=started + self._days(56, min(live, 180))),
                      actor, story.correlation)
        elif fate > 0.8:
            self._run(c.AbandonAdoption(story.id, rng.choice(t.ABANDON),
                                        adoption_id=out.created_id,
                                        abandoned_on=started + self._days(14, live)),
                      actor, story.correlation)
        # A charity's community hub has no clinical measure of its own.
        if org is not self.charity and rng.random() < (0.4 if org is story.org else 0.6):
            template = rng.choice(story.area.measures)
            self._measure(story, actor, site, template, started,
                          improved=rng.random() < (0.3 if fate > 0.8 else 0.75))

    # -- measures ----------------------------------------------------------------------------------
    def _measure(self, story: Story, actor: Actor, site: str, template: a.MeasureTemplate,
                 change_on: date, *, improved: bool) -> None:
        out = self._run(c.DefineMeasure(story.id, template.name, template.unit, template.better,
                                        template.chart, site), actor, story.correlation)
        self.measure_ids.append(out.aggregate_id)
        points = self._series(template, change_on, improved)
        for k in range(0, len(points), BATCH):
            self._run(c.RecordObservations(out.aggregate_id, tuple(points[k:k + BATCH])), actor,
                      story.correlation)
        self._run(c.StartPhase(out.aggregate_id, change_on,
                               t.PHASE_DESCRIPTION.format(change=story.change)[:2000],
                               t.PHASE_REASON.format(who=story.lead.subject)),
                  actor, story.correlation)

    def _series(self, m: a.MeasureTemplate, change_on: date,
                improved: bool) -> list[c.ObservationInput]:
        """Weekly points around a site's own level, moving towards better after the change
        (ramping up over a month, as changes bed in), or barely moving when it did not work."""
        rng = self.rng
        sign = -1.0 if m.better is BetterDirection.LOWER else 1.0
        effect = m.shift * (rng.uniform(0.6, 1.3) if improved else rng.uniform(-0.2, 0.2))
        level = m.baseline * rng.uniform(0.9, 1.1)
        points = []
        for day in self.weeks:
            ramp = 0.0 if day < change_on else min(1.0, ((day - change_on).days + 7) / 28)
            mean = level + sign * effect * ramp
            if m.chart is ChartType.XMR:
                value = round(max(0.0, rng.gauss(mean, m.scale)), 2)
                points.append(c.ObservationInput(day, value=value))
            elif m.chart is ChartType.P:
                n = max(10, round(rng.gauss(m.scale, m.scale * 0.12)))
                p = min(0.99, max(0.005, mean))
                k = round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))
                points.append(c.ObservationInput(day, numerator=min(n, max(0, k)), denominator=n))
            else:
                units = round(max(0.2, rng.gauss(m.scale, m.scale * 0.08)), 2)
                points.append(c.ObservationInput(day, numerator=self._poisson(max(0.01, mean)
                                                                               * units),
                                                 denominator=units))
        return points

    def _poisson(self, lam: float) -> int:
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit, k, product = math.exp(-lam), 0, self.rng.random()
        while product > limit:
            k += 1
            product *= self.rng.random()
        return k

    # -- summary -----------------------------------------------------------------------------------
    def _summary(self) -> SeedSummary:
        """Counts read back from the stored aggregates, so a replayed run reports the same."""
        load = self.app.load
        innovations = [load(Innovation, ident) for ident in self.innovation_ids]
        measures = [load(Measure, ident) for ident in self.measure_ids]
        others: list[Organisation | Challenge] = [load(Organisation, o.id) for o in self.orgs]
        others += [load(Challenge, ch.id) for o in self.trusts for ch in o.challenges]
        by_stage = dict.fromkeys((s.value for s in Stage), 0)
        for innovation in innovations:
            by_stage[innovation.stage.value] += 1
        events = sum(a.version for a in (*innovations, *measures, *others))
        return SeedSummary(
            seed=self.seed, organisations=len(self.orgs),
            challenges=sum(len(o.challenges) for o in self.trusts),
            innovations=len(innovations), commands=self.commands, events=events,
            measures=len(measures), observations=sum(len(m.observations) for m in measures),
            by_stage=by_stage)
