"""GraphQL types of the board's dashboards, built from the read side's query results."""

from __future__ import annotations

import strawberry

from lifecycle.innovations.stage import Stage
from projections.board import culture as c
from projections.board import pipeline as p


@strawberry.type
class StageStats:
    stage: Stage
    count: int = strawberry.field(description="Innovations in the stage now.")
    stays: int = strawberry.field(description="Entries into the stage (a stage can be "
                                  "entered more than once).")
    median_days: float | None
    p90_days: float | None


@strawberry.type
class Conversion:
    from_stage: Stage
    to_stage: Stage
    reached: int
    converted: int = strawberry.field(description="Of those that reached fromStage, how many "
                                      "reached toStage itself.")
    progressed: int = strawberry.field(description="... how many reached toStage or beyond.")
    share: float | None
    progressed_share: float | None


@strawberry.type
class Pipeline:
    stages: list[StageStats]
    conversions: list[Conversion]

    @classmethod
    def of(cls, value: p.Pipeline) -> Pipeline:
        return cls(
            stages=[StageStats(stage=s.stage, count=s.count, stays=s.stays,
                               median_days=s.median_days, p90_days=s.p90_days)
                    for s in value.stages],
            conversions=[Conversion(from_stage=v.from_stage, to_stage=v.to_stage,
                                    reached=v.reached, converted=v.converted,
                                    progressed=v.progressed, share=v.share,
                                    progressed_share=v.progressed_share)
                         for v in value.conversions])


@strawberry.type
class StaffGroupIdeas:
    staff_group: str | None
    ideas: int


@strawberry.type
class Culture:
    by_staff_group: list[StaffGroupIdeas]
    frontline_share: float | None
    triaged: int
    median_days_to_triage: float | None
    p90_days_to_triage: float | None
    awaiting_triage: int

    @classmethod
    def of(cls, value: c.Culture) -> Culture:
        return cls(by_staff_group=[StaffGroupIdeas(staff_group=g.staff_group, ideas=g.ideas)
                                   for g in value.by_staff_group],
                   frontline_share=value.frontline_share, triaged=value.triaged,
                   median_days_to_triage=value.median_days_to_triage,
                   p90_days_to_triage=value.p90_days_to_triage,
                   awaiting_triage=value.awaiting_triage)
