"""Funding secured, read from ``rm_funding``: totals by source and by organisation, and the
awards themselves, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import asyncpg

from projections import visibility
from projections.visibility import Viewer, argument, viewer_ids

# $1..$3: the viewer's organisation (funding counted is its own, never a partner's), innovation,
# source; any of them None means "all".
_WHERE = f"""
    WHERE {visibility.platform_or("$1", visibility.owned("f.organisation_id", "$1"))}
      AND ($2::uuid IS NULL OR f.innovation_id = $2)
      AND ($3::text IS NULL OR f.source = $3)
"""

_SUMMARY = f"""
SELECT grouping(f.source) = 0 AS by_source, grouping(f.organisation_id) = 0 AS by_organisation,
       f.source, f.organisation_id, o.name,
       sum(f.amount) AS amount, count(*) AS awards
FROM rm_funding f LEFT JOIN rm_organisations o ON o.id = f.organisation_id
{_WHERE}
GROUP BY GROUPING SETS ((f.source), (f.organisation_id, o.name), ())
ORDER BY amount DESC, f.source, f.organisation_id
"""

_AWARDS = f"""
SELECT f.funding_id, f.innovation_id, f.organisation_id, f.source, f.funder, f.programme,
       f.amount, f.starts_on, f.ends_on, f.recorded_by, f.position
FROM rm_funding f
{_WHERE}
  AND ($4::date IS NULL OR f.starts_on < $4 OR (f.starts_on = $4 AND f.funding_id > $5))
ORDER BY f.starts_on DESC, f.funding_id
LIMIT $6
"""


@dataclass(frozen=True)
class FundingTotal:
    """The funding of one source or one organisation (``key``), and how many awards made it."""

    key: str | UUID
    label: str | None  # the organisation's name; the source itself for a source
    amount: Decimal
    awards: int


@dataclass(frozen=True)
class FundingSummary:
    amount: Decimal
    awards: int
    by_source: tuple[FundingTotal, ...]  # largest first
    by_organisation: tuple[FundingTotal, ...]  # largest first; the organisation recording it


@dataclass(frozen=True)
class FundingAward:
    funding_id: UUID
    innovation_id: UUID
    organisation_id: UUID
    source: str
    funder: str
    programme: str | None
    amount: Decimal
    starts_on: date
    ends_on: date | None
    recorded_by: str
    position: int

    @property
    def cursor(self) -> tuple[date, UUID]:
        """The keyset to pass as ``after`` for the page following this award."""
        return self.starts_on, self.funding_id


async def funding_summary(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                          innovation_id: UUID | None = None,
                          source: str | None = None) -> FundingSummary:
    """Funding secured, in total, by source and by organisation, in one query."""
    rows = await conn.fetch(_SUMMARY, argument(organisation_id), innovation_id, source)
    by_source, by_organisation = [], []
    amount, awards = Decimal(0), 0
    for r in rows:
        if r["by_source"]:
            by_source.append(FundingTotal(r["source"], r["source"], r["amount"], r["awards"]))
        elif r["by_organisation"]:
            by_organisation.append(FundingTotal(r["organisation_id"], r["name"], r["amount"],
                                                r["awards"]))
        else:
            amount, awards = r["amount"] or Decimal(0), r["awards"]
    return FundingSummary(amount, awards, tuple(by_source), tuple(by_organisation))


async def funding_awards(conn: asyncpg.Connection, *, organisation_id: Viewer | None = None,
                         innovation_id: UUID | None = None, source: str | None = None,
                         after: tuple[date, UUID] | None = None,
                         first: int = 50) -> list[FundingAward]:
    """Up to ``first`` awards, newest start first (ties by id), after the ``after`` cursor
    (an award's ``cursor``). Keyset pagination: a page never repeats or skips an award when
    others are recorded between requests. Ask for one more than a page to learn if another
    page follows."""
    if first < 0:
        raise ValueError("first must not be negative")
    after_on, after_id = after if after is not None else (None, None)
    rows = await conn.fetch(_AWARDS, argument(organisation_id), innovation_id, source, after_on,
                            after_id, first)
    return [FundingAward(*r) for r in rows]


# The development read models' tables, as the workspace reads them
# (``projections/innovations/records`` pages them under the visibility rule).
PROTOTYPES = "rm_prototypes"
FUNDING = "rm_funding"


@dataclass(frozen=True)
class LearningFilter:
    """Which completed prototypes the learning library lists: every condition given holds."""

    outcomes: tuple[str, ...] = ()
    organisation_id: UUID | None = None
    innovation_class: str | None = None
    tag: str | None = None
    completed_from: date | None = None
    completed_to: date | None = None
    search: str | None = None


_LEARNING = f"""
SELECT p.* FROM rm_prototypes p JOIN rm_innovations i ON i.id = p.innovation_id
WHERE p.completed_position IS NOT NULL AND {visibility.sees_detail("i", "$1")}
  AND (cardinality($2::text[]) = 0 OR p.outcome = ANY($2::text[]))
  AND ($3::uuid IS NULL OR i.organisation_id = $3)
  AND ($4::text IS NULL OR i.innovation_class = $4)
  AND ($5::text IS NULL OR i.tags @> ARRAY[$5::text])
  AND ($6::date IS NULL OR p.completed_on >= $6)
  AND ($7::date IS NULL OR p.completed_on <= $7)
  AND ($8::text IS NULL OR p.search @@ websearch_to_tsquery('english', $8))
  AND ($9::bigint IS NULL OR p.completed_position < $9)
ORDER BY p.completed_position DESC
LIMIT $10
"""


async def learning(conn: asyncpg.Connection, viewer: Viewer, f: LearningFilter, *,
                   after: int | None, first: int) -> list[asyncpg.Record]:
    """The learning library: up to ``first`` completed prototypes (whatever their outcome: a
    failed one is learning too) of innovations whose detail ``viewer`` sees (its own, and those
    shared with it in full), the latest completed first, completed before position ``after``.
    ``f.search`` matches the prototype's title, learning, hypothesis, result and plan."""
    rows: list[asyncpg.Record] = await conn.fetch(
        _LEARNING, viewer_ids(viewer), list(f.outcomes), f.organisation_id,
        f.innovation_class, f.tag, f.completed_from, f.completed_to, f.search, after, first)
    return rows
