"""Synthetic demo data: a believable two years of innovation in three NHS organisations and their
partners, written through ``LifecycleApplication.execute`` only, so every item obeys the same
rules, roles and authority limits as real use.

Everything is derived from the seed: ``random.Random(seed)`` draws the story, every command
carries the idempotency key ``seed-<seed>-<n>`` (which also fixes the ids of what it creates),
and correlation ids are uuid5s. Running ``seed`` again with the same ``seed`` and ``today`` on
the same database is therefore idempotent: every command replays its first outcome, no event is
stored, and the summary is the same. A different ``today`` changes the dates in the commands, so
the keys would be reused for different requests; that is refused (``SeedConflict``).

The words live in ``text.py``; the plan's shapes in ``plan.py``; the steps every story shares
(running a command as a person, spreading, measuring) in ``steps.py``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid5

from lifecycle import commands as c
from lifecycle.actor import (
    GOVERNANCE_AUTHORITY,
    PLATFORM,
    Actor,
    Authority,
    Role,
)
from lifecycle.application import LifecycleApplication
from lifecycle.governance.authority import DecisionOutcome, Risk, required_authority
from lifecycle.innovations.stage import Stage
from lifecycle.seed import areas as a
from lifecycle.seed import text as t
from lifecycle.seed.plan import (
    ADOPTED_FAMILY,
    AUTHORITIES,
    NAMESPACE,
    ChallengePlan,
    OrgPlan,
    Plan,
    SeedConflict,
    SeedSummary,
    Story,
    in_sentence,
    quotas,
    sentence,
)
from lifecycle.seed.steps import Steps
from lifecycle.vocabulary import (
    FRONTLINE_STAFF_GROUPS,
    Criterion,
    EvaluationMethod,
    FundingSource,
    InnovationClass,
    InvolvementKind,
    PrototypeOutcome,
    SharingScope,
)

__all__ = ["SeedConflict", "SeedSummary", "seed"]


def seed(app: LifecycleApplication, *, seed: int = 42, innovations: int = 300,
         on_progress: Callable[[int, int], None] | None = None,
         today: date | None = None) -> SeedSummary:
    """Generate the demo data set for ``seed`` through ``app.execute`` and return what it holds.

    ``innovations`` ideas are spread over every stage (every stage appears once there are at
    least nine); ``today`` ends the year of weekly measure observations and bounds every date;
    ``on_progress(done, total)`` is called after each innovation.

    Idempotent: running it again with the same ``seed`` and ``today`` on the same database
    replays every command (each carries the key ``seed-<seed>-<n>``), stores no new event and
    returns an equal summary. The same seed with a different ``today`` raises ``SeedConflict``.
    """
    return _Seeder(app, seed, today or date.today()).run(innovations, on_progress)


class _Seeder(Steps):
    def run(self, innovations: int,
            on_progress: Callable[[int, int], None] | None) -> SeedSummary:
        self._organisations()
        stages = quotas(innovations)
        self.rng.shuffle(stages)
        for i, target in enumerate(stages):
            story = self._story(i, target)
            if target is not Stage.CLOSED:  # what a later duplicate may be merged into
                story.org.ideas.append((story.id, story.area.key, story.title))
            if on_progress is not None:
                on_progress(i + 1, innovations)
        return self._summary()

    def _organisations(self) -> None:
        admin = Actor("seed-admin", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
        for template in (*t.TRUSTS, t.UNIVERSITY, t.INDUSTRY, t.CHARITY):
            out = self._run(c.RegisterOrganisation(template.name, template.kind, template.sites,
                                                   template.thresholds),
                            admin, self.setup_correlation)
            org = OrgPlan(out.aggregate_id, template.name, template.sites, template.thresholds,
                       self._person(out.aggregate_id, Role.PARTNER))
            self.orgs.append(org)
        self.trusts = self.orgs[:len(t.TRUSTS)]
        self.university, self.industry, self.charity = self.orgs[len(t.TRUSTS):]
        for org in self.trusts:
            org.staff = [self._person(org.id, Role.STAFF) for _ in range(self.rng.randint(26, 40))]
            org.leads = [self._person(org.id, Role.INNOVATION_LEAD) for _ in range(2)]
            org.governors = {level: self._person(org.id, role)
                             for role, level in GOVERNANCE_AUTHORITY.items()}
            for title, problem, areas in self.rng.sample(t.CHALLENGES, self.rng.randint(2, 3)):
                # Some challenges are long-running calls, some new: only recent ideas fit those.
                opens = self.today - (self._days(300, 560) if self.rng.random() < 0.6
                                      else self._days(45, 120))
                closes = self.today + self._days(45, 200)
                out = self._run(c.OpenChallenge(title, problem, opens, closes), org.leads[0],
                                self.setup_correlation)
                org.challenges.append(ChallengePlan(out.aggregate_id, areas, opens, closes))

    # -- one innovation's story --------------------------------------------------------------------
    def _story(self, i: int, target: Stage) -> Story:
        rng = self.rng
        closure = rng.choice(("declined", "merged", "abandoned", "rejected")) \
            if target is Stage.CLOSED else None
        parked = rng.choice(("submitted", "concept", "prototyping", "evaluating", "deferred")) \
            if target is Stage.PARKED else None
        adopted = target in ADOPTED_FAMILY
        untested = target in (Stage.SUBMITTED, Stage.CONCEPT) or \
            closure in ("declined", "merged") or parked in ("submitted", "concept")
        pilot = rng.random() < (0.2 if adopted else 0.25) and target in (
            *ADOPTED_FAMILY, Stage.PROTOTYPING, Stage.EVALUATING)
        rounds = () if untested else (rng.randint(1, 2), 1) if pilot else (rng.randint(1, 3),)
        # Ideas still in triage are recent; closed and parked ones tend to be older.
        settled = (0, 60) if untested else (30, 330) if closure or parked else (3, 150)
        plan = self._plan(rounds, rng.randint(16, 32) if adopted else None, settled)

        org = rng.choices(self.trusts, weights=(5, 4, 3))[0]
        open_now = datetime.now(UTC).date()  # SubmitIdea checks the real date, not ``today``
        fitting = [ch for ch in org.challenges
                   if ch.opens_on <= plan.start and ch.opens_on <= open_now <= ch.closes_on]
        challenge = rng.choice(fitting) if fitting and rng.random() < 0.4 else None
        area = a.AREA_BY_KEY[rng.choice(challenge.areas)] if challenge else rng.choice(a.AREAS)
        title, change = rng.choice(area.ideas)
        ward, site = rng.choice(t.WARDS), rng.choice(org.sites)
        if rng.random() < 0.5:
            title = f"{title} ({ward.removeprefix('the ')})"
        submitter = rng.choice(org.staff)
        tags = area.tags + (("frontline-idea",) if submitter.staff_group in
                            FRONTLINE_STAFF_GROUPS else ())
        problem = rng.choice(area.problems).format(ward=ward)
        proposal = (f"We propose to {change}. We would test it first on {ward} at {site}, "
                    f"measuring {in_sentence(area.measures[0].name)} before and after.")
        klass = InnovationClass.INNOVATION if rng.random() < 0.3 else InnovationClass.IMPROVEMENT
        corr = uuid5(NAMESPACE, f"{self.seed}/innovation/{i}")
        out = self._run(c.SubmitIdea(title, problem, proposal, klass, tags, site,
                                     challenge.id if challenge else None), submitter, corr)
        story = Story(out.aggregate_id, org, area, title, problem, proposal, tags, change, site,
                       ward, rng.choice(org.leads), corr)
        self.innovation_ids.append(story.id)
        self._engage(story, submitter)

        if target is Stage.SUBMITTED or closure in ("declined", "merged") \
                or parked == "submitted":
            if rng.random() < 0.35:
                self._request_information(story, submitter, revise=rng.random() < 0.5)
            if target is Stage.SUBMITTED or (closure == "merged" and self._merge(story)):
                return story
            if parked == "submitted":
                self._lead(c.ParkInnovation, story, rng.choice(t.PARK))
            else:
                self._lead(c.DeclineIdea, story, rng.choice(t.DECLINE).format(area=area.name))
            return story
        if rng.random() < 0.2:
            self._request_information(story, submitter, revise=True)
        self._lead(c.AcceptIdea, story, rng.choice(t.ACCEPT).format(area=area.name))
        owner = submitter if rng.random() < 0.6 else story.lead
        team = rng.sample(org.staff, rng.randint(1, 4))
        self._run(c.AssignOwner(story.id, owner.subject, tuple(p.subject for p in team)),
                  story.lead, corr)
        first_prototype = plan.rounds[0][0][0][0] if plan.rounds else self.today
        if rng.random() < 0.5:
            kind = rng.choice(list(InvolvementKind))
            group, description = rng.choice(t.INVOLVEMENT[kind.value])
            on = min(plan.start + self._days(0, 21), first_prototype)
            self._run(c.RecordInvolvement(story.id, kind, group, description, on),
                      story.lead, corr)
        if target is not Stage.CONCEPT and parked != "concept" and rng.random() < 0.06:
            self._lead(c.ParkInnovation, story, rng.choice(t.PARK))
            self._lead(c.ReopenInnovation, story, t.REOPEN)
        if parked == "concept":
            self._lead(c.ParkInnovation, story, rng.choice(t.PARK))
        elif closure == "abandoned" and rng.random() < 0.25:
            self._close(story, t.CLOSE[1])
        elif target is not Stage.CONCEPT:
            if rng.random() < 0.45:
                self._fund(story, plan.start, first_prototype)
            self._develop(story, target, plan, closure, parked)
        return story

    def _develop(self, story: Story, target: Stage, plan: Plan, closure: str | None,
                 parked: str | None) -> None:
        """Prototypes, evaluations and the adoption decision, then spread for adopted ones."""
        rng = self.rng
        number = 0
        for r, (prototypes, evaluated_on) in enumerate(plan.rounds):
            last_round = r == len(plan.rounds) - 1
            for p, (start, end) in enumerate(prototypes):
                number += 1
                final = last_round and p == len(prototypes) - 1
                if closure == "abandoned":
                    outcome = rng.choice((PrototypeOutcome.FAILED, PrototypeOutcome.INCONCLUSIVE))
                elif final and target in ADOPTED_FAMILY:
                    outcome = PrototypeOutcome.SUCCEEDED
                else:
                    outcome = rng.choices(list(PrototypeOutcome), weights=(5, 3, 2))[0]
                leave_open = final and target is Stage.PROTOTYPING and rng.random() < 0.6
                self._prototype(story, number, start, end, outcome, leave_open)
            if last_round and (target is Stage.PROTOTYPING or parked == "prototyping"):
                if parked:
                    self._lead(c.ParkInnovation, story, rng.choice(t.PARK))
                return
            if closure == "abandoned":
                self._close(story, rng.choice((t.CLOSE[0], t.CLOSE[2])))
                return
            if not last_round:
                intent = DecisionOutcome.PILOT_FURTHER
            elif target in ADOPTED_FAMILY:
                intent = rng.choice((DecisionOutcome.ADOPT, DecisionOutcome.ADOPT,
                                     DecisionOutcome.ADAPT))
            elif closure == "rejected":
                intent = DecisionOutcome.REJECT
            elif parked == "deferred":
                intent = DecisionOutcome.DEFER
            else:
                intent = rng.choice(list(DecisionOutcome))
            evaluation, required = self._evaluate(story, evaluated_on, intent)
            if last_round and (target is Stage.EVALUATING or parked == "evaluating"):
                if parked:
                    self._lead(c.ParkInnovation, story, rng.choice(t.PARK))
                return
            self._decide(story, intent, evaluation, required)
        if plan.golive is None or target not in ADOPTED_FAMILY:
            return
        for template in rng.sample(story.area.measures, rng.randint(1, len(story.area.measures))):
            self._measure(story, story.lead, story.site, template, plan.golive,
                          improved=rng.random() < 0.85)
        if target is Stage.ADOPTED:
            if rng.random() < 0.4:
                self._share(story, self.university, SharingScope.SUMMARY)
            return
        if target is Stage.SPREADING or rng.random() < 0.7:
            self._spread(story, plan.golive)
        if target is Stage.EMBEDDED:
            self._lead(c.EmbedInnovation, story, rng.choice(t.EMBED))

    def _plan(self, rounds: Sequence[int], golive_week: int | None,
              settled: tuple[int, int]) -> Plan:
        """Draw the story's durations first, then place them so that the change goes live on
        an observed week (adopted ones) or the last step ends in the last few months."""
        rng = self.rng
        cursor = rng.randint(7, 35)
        relative: list[tuple[list[tuple[int, int]], int]] = []
        for n in rounds:
            prototypes = []
            for _ in range(n):
                end = cursor + rng.randint(14, 49)
                prototypes.append((cursor, end))
                cursor = end + rng.randint(2, 14)
            evaluated = cursor + rng.randint(0, 14)
            relative.append((prototypes, evaluated))
            cursor = evaluated + rng.randint(7, 28)
        golive = self.weeks[golive_week] if golive_week is not None else None
        base = (golive or self.today - self._days(*settled)) - timedelta(days=cursor)

        def on(day: int) -> date:
            return base + timedelta(days=day)

        return Plan(base, [([(on(s), on(e)) for s, e in protos], on(ev))
                            for protos, ev in relative], golive)

    # -- steps -------------------------------------------------------------------------------------
    def _lead(self, command: Callable[..., c.ReasonedCommand], story: Story, reason: str) -> None:
        self._run(command(story.id, reason), story.lead, story.correlation)

    def _engage(self, story: Story, submitter: Actor) -> None:
        rng = self.rng
        others = [p for p in story.org.staff if p != submitter]
        count = rng.choices(range(8), weights=(10, 14, 14, 12, 10, 8, 6, 4))[0]
        for endorser in rng.sample(others, count):
            self._run(c.EndorseIdea(story.id), endorser, story.correlation)
        for _ in range(rng.choices(range(4), weights=(4, 3, 2, 1))[0]):
            text = rng.choice(t.COMMENTS).format(area=story.area.name)
            self._run(c.CommentOnIdea(story.id, text),
                      rng.choice(others + story.org.leads), story.correlation)

    def _request_information(self, story: Story, submitter: Actor, *, revise: bool) -> None:
        self._lead(c.RequestInformation, story, self.rng.choice(t.REQUEST_INFORMATION))
        if revise:  # from the story, not the stored idea, which a replayed run has revised
            self._run(c.ReviseIdea(story.id, story.title, story.problem,
                                   story.proposal + t.REVISION_NOTE, story.tags),
                      submitter, story.correlation)

    def _merge(self, story: Story) -> bool:
        """Merge into a recent open idea of the organisation, a same-area one if possible."""
        candidates = sorted(reversed(story.org.ideas), key=lambda idea: idea[1] != story.area.key)
        if not candidates:
            return False
        ident, _, title = candidates[0]
        self._run(c.MergeIdea(story.id, t.MERGE.format(title=title), into_id=ident),
                  story.lead, story.correlation)
        return True

    def _close(self, story: Story, words: tuple[str, str]) -> None:
        reason, learning = (w.format(area=story.area.name) for w in words)
        self._run(c.CloseInnovation(story.id, reason, learning=learning), story.lead,
                  story.correlation)

    def _fund(self, story: Story, earliest: date, latest: date) -> None:
        rng = self.rng
        for _ in range(rng.choices((1, 2), weights=(4, 1))[0]):
            source = rng.choices(list(FundingSource), weights=(3, 3, 2, 1, 1, 4))[0]
            funder, programme, lo, hi = rng.choice(t.FUNDERS[source])
            amount = Decimal(rng.randrange(lo, hi, 250 if lo >= 5_000 else 50))
            starts = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
            self._run(c.RecordFunding(story.id, source, funder, amount, starts, programme,
                                      starts + self._days(180, 730)),
                      story.lead, story.correlation)

    def _prototype(self, story: Story, n: int, start: date, end: date,
                   outcome: PrototypeOutcome, leave_open: bool) -> None:
        rng = self.rng
        words = {"n": n, "title": story.title, "ward": story.ward, "site": story.site,
                 "change": story.change, "measure": story.measure,
                 "weeks": max(1, (end - start).days // 7)}
        out = self._run(c.StartPrototype(
            story.id, rng.choice(t.PROTOTYPE_TITLES).format(**words)[:200],
            rng.choice(t.HYPOTHESIS).format(**words), t.PLAN.format(**words), start),
            story.lead, story.correlation)
        if not leave_open:
            self._run(c.CompletePrototype(story.id, out.created_id, outcome,
                                          sentence(t.RESULT[outcome.value].format(**words)),
                                          rng.choice(t.LEARNING), end),
                      story.lead, story.correlation)

    def _evaluate(self, story: Story, on: date,
                  intent: DecisionOutcome) -> tuple[UUID, Authority]:
        rng = self.rng
        quality = {DecisionOutcome.REJECT: 1.7, DecisionOutcome.PILOT_FURTHER: 2.9,
                   DecisionOutcome.DEFER: 3.1}.get(intent, 3.7)
        criteria = rng.sample(list(Criterion), rng.randint(5, len(Criterion)))
        scores = tuple((k, min(5, max(0, round(rng.gauss(quality, 0.8))))) for k in criteria)
        tier = rng.choices(range(4), weights=(45, 33, 16, 6))[0]
        lo, hi = ((300, 9_500), (12_000, 95_000), (110_000, 900_000), (1_100_000, 2_400_000))[tier]
        risk = rng.choice(((Risk.LOW,), (Risk.LOW, Risk.MEDIUM), (Risk.MEDIUM, Risk.HIGH),
                           (Risk.HIGH, Risk.VERY_HIGH))[tier])
        cost = Decimal(rng.randrange(lo, hi, 50))
        method = rng.choice(list(EvaluationMethod))
        evidence = t.EVIDENCE.format(
            method=method.value.replace("_", " ").capitalize(), weeks=rng.randint(6, 16),
            site=story.site, measure=story.measure, staff=rng.randint(8, 60),
            patients=rng.randint(4, 20))
        out = self._run(c.RecordEvaluation(
            story.id, method, scores, evidence,
            t.RECOMMENDATION[intent.value].format(site=story.site), cost, risk, on),
            story.lead, story.correlation)
        return out.created_id, required_authority(cost, risk, story.org.thresholds)

    def _decide(self, story: Story, outcome: DecisionOutcome, evaluation: UUID,
                required: Authority) -> None:
        authority = required
        if required is not Authority.BOARD and self.rng.random() < 0.15:
            # Some decisions go to a higher level than they need: the escalation report shows
            # them, which is what the board guide asks the system to expose.
            authority = AUTHORITIES[required.rank + 1]
        conditions = self.rng.choice(t.CONDITIONS) if outcome is DecisionOutcome.ADAPT else None
        self._run(c.DecideAdoption(story.id, outcome, authority,
                                   t.RATIONALE[outcome.value].format(measure=story.measure),
                                   conditions, (evaluation,)),
                  story.org.governors[authority], story.correlation)
