"""Spread, read from ``rm_adoptions``: which sites and organisations took up what, when, and
whether they kept it, and each innovation's diffusion over time.

Whether an adoption improved things at its site comes from the improvement read model: the
verdicts of the measures that organisation defined there (``site_verdicts``).

What a viewer sees of it (``projections/visibility.py``): an adoption belongs to the adopter, so
its adaptation and its measures' verdicts are seen by the adopter and by the innovation's owner
(and a FULL share sees the owner's own); a FULL share sees which organisations adopted, where,
since when and with what status; a SUMMARY share sees counts only (the diffusion curve). A NULL
viewer is the platform's own analyses, which see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg

from projections import visibility
from projections.visibility import Viewer, argument, viewer_ids

# Every share and revocation (``projections/innovations/records`` pages it; the owner sees every
# row, a partner those about itself).
SHARE_HISTORY = "rm_share_history"

# $4: the viewer. A row is seen where its innovation's detail is (a FULL share: who adopted,
# where, since when, with what status), and by its adopter whatever the share is now; the
# adaptation and the reason it ended only by those who see the adopter's own record.
_ROW_SEEN = visibility.platform_or("$4", visibility.sees_adoption("a.organisation_id", "i", "$4"))
_RECORD_SEEN = visibility.platform_or("$4", visibility.sees_record("a.organisation_id", "i", "$4"))
_ADOPTIONS = f"""
SELECT a.adoption_id, a.innovation_id, a.organisation_id, o.name AS organisation_name, a.site,
       a.status, CASE WHEN {_RECORD_SEEN} THEN a.adaptation END AS adaptation,
       a.started_on, a.sustained_on, a.abandoned_on,
       CASE WHEN {_RECORD_SEEN} THEN a.ended_reason END AS ended_reason, a.started_at, a.position
FROM rm_adoptions a LEFT JOIN rm_organisations o ON o.id = a.organisation_id
LEFT JOIN rm_innovations i ON i.id = a.innovation_id
WHERE ($1::uuid IS NULL OR a.innovation_id = $1)
  AND ($2::uuid IS NULL OR a.organisation_id = $2)
  AND ($3::text IS NULL OR a.status = $3)
  AND {_ROW_SEEN}
ORDER BY a.started_on, a.adoption_id
"""

# Every day something changed: started, sustained or abandoned; the state as of that day. Only
# counts, so whoever the innovation exists for ($2) sees them.
_INNOVATION_SEEN = visibility.platform_or("$2", "EXISTS (SELECT 1 FROM rm_innovations i "
                                          f"WHERE i.id = $1 AND {visibility.sees('i', '$2')})")
_DIFFUSION = f"""
WITH a AS (SELECT * FROM rm_adoptions WHERE innovation_id = $1 AND {_INNOVATION_SEEN}),
days AS (
    SELECT started_on AS day FROM a
    UNION SELECT sustained_on FROM a WHERE sustained_on IS NOT NULL
    UNION SELECT abandoned_on FROM a WHERE abandoned_on IS NOT NULL)
SELECT d.day,
       count(*) FILTER (WHERE a.started_on <= d.day) AS adoptions,
       count(DISTINCT (a.organisation_id, coalesce(a.site, '')))
           FILTER (WHERE a.started_on <= d.day) AS sites,
       count(DISTINCT a.organisation_id) FILTER (WHERE a.started_on <= d.day) AS organisations,
       count(*) FILTER (WHERE a.sustained_on <= d.day
                        AND (a.abandoned_on IS NULL OR a.abandoned_on > d.day)) AS sustained,
       count(*) FILTER (WHERE a.abandoned_on <= d.day) AS abandoned
FROM days d CROSS JOIN a
GROUP BY d.day ORDER BY d.day
"""


@dataclass(frozen=True)
class AdoptionRow:
    """One local adoption of an innovation, with its own adaptation and status
    (STARTED, SUSTAINED or ABANDONED). ``site`` None: adopted organisation-wide. ``adaptation``
    and ``ended_reason`` None: the adopter's own, not seen by this viewer."""

    adoption_id: UUID
    innovation_id: UUID
    organisation_id: UUID
    organisation_name: str | None
    site: str | None
    status: str
    adaptation: str | None
    started_on: date
    sustained_on: date | None
    abandoned_on: date | None
    ended_reason: str | None
    started_at: datetime
    position: int


@dataclass(frozen=True)
class DiffusionPoint:
    """The spread of one innovation as of ``on``: adoptions started so far, the distinct sites
    (an organisation-wide adoption is one site) and organisations that adopted it, and how many
    were sustained and abandoned by then (a sustained adoption later abandoned counts as
    abandoned from that day)."""

    on: date
    adoptions: int
    sites: int
    organisations: int
    sustained: int
    abandoned: int

    @property
    def live(self) -> int:
        return self.adoptions - self.abandoned


async def adoptions(conn: asyncpg.Connection, *, viewer: Viewer | None,
                    innovation_id: UUID | None = None, organisation_id: UUID | None = None,
                    status: str | None = None) -> list[AdoptionRow]:
    """The adoptions ``viewer`` sees (None: every one), earliest start first;
    ``organisation_id`` is the adopting organisation."""
    rows = await conn.fetch(_ADOPTIONS, innovation_id, organisation_id, status,
                            argument(viewer))
    return [AdoptionRow(*r) for r in rows]


async def diffusion(conn: asyncpg.Connection, innovation_id: UUID, *,
                    viewer: Viewer | None) -> list[DiffusionPoint]:
    """The diffusion curve of one innovation: a point on each day an adoption of it started,
    was sustained or was abandoned, cumulative, earliest first (empty if never adopted, or if
    the innovation does not exist for ``viewer``)."""
    rows = await conn.fetch(_DIFFUSION, innovation_id, argument(viewer))
    return [DiffusionPoint(*r) for r in rows]


_SITE_VERDICTS = f"""
SELECT a.adoption_id, a.organisation_id, a.site, a.status, m.measure_id, m.name, m.verdict,
       m.unit, m.target, m.effects, m.assurance
FROM rm_adoptions a
JOIN rm_measures m ON m.innovation_id = a.innovation_id
    AND m.organisation_id = a.organisation_id AND m.site IS NOT DISTINCT FROM a.site
LEFT JOIN rm_innovations i ON i.id = a.innovation_id
WHERE a.innovation_id = $1
  AND {visibility.platform_or("$2", visibility.sees_record("m.organisation_id", "i", "$2"))}
ORDER BY a.started_on, a.adoption_id, m.name, m.measure_id
"""


@dataclass(frozen=True)
class SiteVerdict:
    """Did an adoption improve things where it was adopted? Its own measures there say: the
    current variation (``verdict``), the effect of every change (``effects``, the stored JSON
    of ``rm_measures.effects``) and the assurance of its target (``assurance``, JSON or
    None), with the measure's ``unit`` and ``target``."""

    adoption_id: UUID
    organisation_id: UUID
    site: str | None
    status: str
    measure_id: UUID
    measure: str
    verdict: str
    unit: str
    target: float | None
    effects: str
    assurance: str | None


async def site_verdicts(conn: asyncpg.Connection, innovation_id: UUID, *,
                        viewer: Viewer | None) -> list[SiteVerdict]:
    """Per adopting site (organisation and site), the verdict of each of its own measures of
    the innovation: measured locally, as each adoption is local. Only the measures ``viewer``
    sees (None: every one)."""
    rows = await conn.fetch(_SITE_VERDICTS, innovation_id, argument(viewer))
    return [SiteVerdict(r["adoption_id"], r["organisation_id"], r["site"], r["status"],
                        r["measure_id"], r["name"], r["verdict"], r["unit"], r["target"],
                        r["effects"], r["assurance"]) for r in rows]


# Each change of an adoption's status, seen where the adoption is (``_ROW_SEEN``); who judged
# it and why only by those who see the adopter's own record (``_RECORD_SEEN``), as its
# adaptation.
_HISTORY_RECORD_SEEN = visibility.platform_or(
    "$2", visibility.sees_record("a.organisation_id", "i", "$2"))
_HISTORY = f"""
SELECT a.adoption_id, a.status, a."on",
       CASE WHEN {_HISTORY_RECORD_SEEN} THEN a.reason END AS reason,
       CASE WHEN {_HISTORY_RECORD_SEEN} THEN a.decided_by END AS decided_by, a.at
FROM rm_adoption_history a LEFT JOIN rm_innovations i ON i.id = a.innovation_id
WHERE a.innovation_id = $1
  AND {visibility.platform_or("$2", visibility.sees_adoption("a.organisation_id", "i", "$2"))}
ORDER BY a.adoption_id, a.position
"""


@dataclass(frozen=True)
class AdoptionChange:
    """A change of an adoption's status (STARTED, SUSTAINED or ABANDONED) on ``on``, recorded
    at ``at``; ``reason`` (a sustaining's or abandoning's; None for a start) and
    ``decided_by`` (an opaque person id) are None where the viewer does not see the adopter's
    own record."""

    status: str
    on: date
    reason: str | None
    decided_by: str | None
    at: datetime


async def adoption_history(conn: asyncpg.Connection, innovation_id: UUID, *,
                           viewer: Viewer | None) -> dict[UUID, list[AdoptionChange]]:
    """Each adoption of the innovation that ``viewer`` sees (None: every one), with its changes
    of status in the order they were recorded."""
    found: dict[UUID, list[AdoptionChange]] = {}
    for r in await conn.fetch(_HISTORY, innovation_id, argument(viewer)):
        found.setdefault(r["adoption_id"], []).append(
            AdoptionChange(r["status"], r["on"], r["reason"], r["decided_by"], r["at"]))
    return found


@dataclass(frozen=True)
class Spread:
    """An innovation's spread as one viewer sees it (``history``: each adoption's changes of
    status, by adoption id)."""

    adoptions: list[AdoptionRow]
    diffusion: list[DiffusionPoint]
    site_verdicts: list[SiteVerdict]
    history: dict[UUID, list[AdoptionChange]]


async def spread(conn: asyncpg.Connection, viewer: Viewer,
                 innovation_id: UUID) -> Spread | None:
    """The spread of an innovation as ``viewer`` sees it; None where the innovation does not
    exist for ``viewer`` (as for an id never used)."""
    seen = await conn.fetchval(f"SELECT true FROM rm_innovations i WHERE i.id = $1 "
                               f"AND {visibility.sees('i', '$2')}", innovation_id,
                               viewer_ids(viewer))
    if not seen:
        return None
    return Spread(await adoptions(conn, viewer=viewer, innovation_id=innovation_id),
                  await diffusion(conn, innovation_id, viewer=viewer),
                  await site_verdicts(conn, innovation_id, viewer=viewer),
                  await adoption_history(conn, innovation_id, viewer=viewer))
