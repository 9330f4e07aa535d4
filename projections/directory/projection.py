"""Organisations (with their sites and governance thresholds, and each change of those with who
and why), innovation challenges, and the people erased."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
import orjson

from lifecycle.directory.challenge import Challenge
from lifecycle.directory.erasure import PersonErasure
from lifecycle.directory.organisation import Organisation
from lifecycle.innovations.innovation import Innovation
from projections.engine import bulk as _bulk
from projections.engine.log import Recorded
from projections.engine.projection import Projection, Tables
from projections.engine.rows import fold_rows
from projections.engine.shape import declared

ORGANISATION_COLUMNS = ("id", "name", "kind", "sites", "thresholds", "registered_at", "position",
                        "version")
ERASED_COLUMNS = ("subject", "erased_at", "position")
THRESHOLD_COLUMNS = ("organisation_id", "position", "thresholds", "reason", "decided_by",
                     "decided_at")
CHALLENGE_COLUMNS = ("id", "organisation_id", "title", "problem", "opens_on", "closes_on",
                     "closed", "closed_reason", "ideas", "position", "version")


def _organisation(rows: dict[Any, dict[str, Any]], r: Recorded) -> None:
    e = r.event
    match e:
        case Organisation.OrganisationRegistered():
            rows[e.originator_id] = {"id": e.originator_id, "name": e.name, "kind": e.kind,
                                     "sites": list(e.sites),
                                     "thresholds": orjson.dumps(e.thresholds).decode(),
                                     "registered_at": e.timestamp, "position": r.position,
                                     "version": e.originator_version}
        case Organisation.SiteAdded():
            row = rows[e.originator_id]
            row.update(sites=[*row["sites"], e.site], position=r.position,
                       version=e.originator_version)
        case Organisation.ThresholdsChanged():
            rows[e.originator_id].update(thresholds=orjson.dumps(e.thresholds).decode(),
                                         position=r.position, version=e.originator_version)


def _challenge(rows: dict[Any, dict[str, Any]], r: Recorded) -> None:
    e = r.event
    match e:
        case Challenge.ChallengeOpened():
            rows[e.originator_id] = {
                "id": e.originator_id, "organisation_id": e.organisation_id, "title": e.title,
                "problem": e.problem, "opens_on": e.opens_on, "closes_on": e.closes_on,
                "closed": False, "closed_reason": None, "ideas": 0, "position": r.position,
                "version": e.originator_version}
        case Challenge.ChallengeClosed():
            rows[e.originator_id].update(closed=True, closed_reason=e.reason,
                                         position=r.position, version=e.originator_version)
        case Innovation.IdeaSubmitted() if e.challenge_id is not None:
            rows[e.challenge_id]["ideas"] += 1


def _erased(rows: dict[Any, dict[str, Any]], r: Recorded) -> None:
    e = r.event
    if isinstance(e, PersonErasure.PersonErased):
        rows[e.subject] = {"subject": e.subject, "erased_at": e.timestamp, "position": r.position}


def _challenge_keys(r: Recorded) -> Iterable[Any]:
    e = r.event
    if isinstance(e, Challenge.Event):
        return (e.originator_id,)
    if isinstance(e, Innovation.IdeaSubmitted) and e.challenge_id is not None:
        return (e.challenge_id,)
    return ()


class Directory(Projection):
    name = "directory"
    tables = ("rm_organisations", "rm_challenges", "rm_erased_people", "rm_threshold_changes")
    ddl = declared(__package__)
    version = 2  # 2: rm_erased_people, rm_threshold_changes

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Recorded],
                    t: Tables) -> None:
        await fold_rows(conn, t["rm_organisations"], "id", ORGANISATION_COLUMNS, batch,
                        (Organisation.Event,), lambda r: (r.originator_id,), _organisation)
        await fold_rows(conn, t["rm_challenges"], "id", CHALLENGE_COLUMNS, batch,
                        (Challenge.Event, Innovation.IdeaSubmitted), _challenge_keys, _challenge)
        await fold_rows(conn, t["rm_erased_people"], "subject", ERASED_COLUMNS, batch,
                        (PersonErasure.PersonErased,), lambda r: (r.event.subject,), _erased)
        await _bulk.insert(conn, t["rm_threshold_changes"], THRESHOLD_COLUMNS, [
            (e.originator_id, r.position, orjson.dumps(e.thresholds).decode(), e.reason,
             e.actor, e.timestamp)
            for r in batch if isinstance(e := r.event, Organisation.ThresholdsChanged)])
