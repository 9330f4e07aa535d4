"""The API benchmark's world: its database of at least 100,000 innovations (built once and kept),
the viewers it reads as, and the filter variables drawn from a fixed seed. Shared by ``bench.api``
(wrk against uvicorn) and ``bench.api_cpu`` (CPU per request, in-process).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import psycopg

from bench.command_line import add_numbers
from bench.projections import append_clones, seeded
from lifecycle.actor import Actor, Role
from lifecycle.innovations.stage import Stage
from lifecycle.service.settings import Settings
from lifecycle.store import database
from lifecycle.store.database import Database
from projections import visibility
from projections.engine.catalogue import all_projections
from projections.engine.rebuild import rebuild
from projections.engine.upgrade import migrate_everything
from schema.server.tokens import mint

DATA_DIR = Path(".data/bench-api")
DBNAME = "lifecycle_bench_api"
KEPT_TOPICS = {"lifecycle/OrganisationRegistered", "lifecycle/ChallengeOpened"}
STAGES = [stage.value for stage in Stage]
TAGS = ["frontline-idea", "staff-wellbeing", "retention", "deteriorating-patient", "maternity",
        "frailty", "patient-safety", "sepsis", "falls", "dementia"]
WORDS = ["sepsis", "falls", "discharge", "pressure", "medicines", "virtual", "frailty", "digital"]


# -- the database ---------------------------------------------------------------------------------
def build(db: Database, innovations: int) -> int:
    """Seed once, then clone the innovations and measures (not the organisations and challenges,
    so each organisation grows large) until there are ``innovations``; rebuild every read model."""
    template = seeded(db)
    kept = frozenset(row[0].hex.encode() for row in template
                     if row[1] == 1 and row[2] in KEPT_TOPICS)
    cloned = [row for row in template if row[0].hex.encode() not in kept]
    per_copy = sum(1 for row in cloned if row[1] == 1 and row[2] == "lifecycle/IdeaSubmitted")
    with psycopg.connect(db.dsn) as conn:
        append_clones(conn, cloned, max(0, -(-innovations // per_copy) - 1), kept)
    anyio.run(lambda: rebuild(db.url, all_projections(), batch_size=5000))
    with psycopg.connect(db.dsn) as conn:
        row = conn.execute("SELECT count(*) FROM rm_innovations").fetchone()
    return int(row[0]) if row else 0


def ready(server: Database, innovations: int, fresh: bool) -> Database:
    db = server.with_name(DBNAME)
    if not fresh:
        try:
            with psycopg.connect(db.dsn) as conn:
                row = conn.execute("SELECT count(*) FROM rm_innovations").fetchone()
            if row and row[0] >= innovations:
                migrate_everything(db)  # read models' shapes since it was built
                vacuum(db)
                return db
        except psycopg.Error:
            pass
    database.drop_database(server, db)
    database.create_database(server, DBNAME)
    migrate_everything(db)
    started = time.perf_counter()
    count = build(db, innovations)
    print(f"built {count} innovations in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    vacuum(db)
    return db


def vacuum(db: Database) -> None:
    """What autovacuum would have done by now to a database this size in service: statistics
    for the planner and visibility maps for index-only scans (a bulk load leaves neither)."""
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


# -- the load --------------------------------------------------------------------------------------
@dataclass
class Viewer:
    actor: Actor
    sites: list[str]
    token: str


def viewers(db: Database, settings: Settings) -> list[Viewer]:
    """An innovation lead in each organisation that has innovations, and a partner."""
    with psycopg.connect(db.dsn) as conn:
        rows = conn.execute(
            "SELECT o.id, o.sites, o.kind FROM rm_organisations o WHERE EXISTS (SELECT 1 FROM "
            f"rm_innovations i WHERE {visibility.sees('i', 'ARRAY[o.id]')}) "
            "ORDER BY o.name").fetchall()
    found = []
    for ident, sites, kind in rows:
        role = Role.INNOVATION_LEAD if kind in ("TRUST", "HEALTH_BOARD") else Role.PARTNER
        actor = Actor(f"bench-{ident.hex[:8]}", ident, frozenset({role}))
        found.append(Viewer(actor, list(sites), mint(
            settings, subject=actor.subject, organisation=ident, roles=[role], ttl_seconds=86400)))
    return found


def world_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the world a page benchmark reads: how many innovations it holds, and how
    many request variants are drawn from it with which random seed."""
    add_numbers(parser, innovations=100_000, variants=256, seed=7)


def variants(viewers: list[Viewer], n: int, seed: int) -> list[tuple[Viewer, dict[str, Any]]]:
    """``n`` (viewer, variables) pairs drawn from a fixed seed."""
    rng = random.Random(seed)
    drawn = []
    for _ in range(n):
        viewer = rng.choice(viewers)
        kind = rng.choice(["none", "none", "stages", "tag", "site", "class", "search", "since"])
        conditions: dict[str, Any] = {}
        if kind == "stages":
            conditions["stages"] = rng.sample(STAGES, rng.randint(1, 3))
        elif kind == "tag":
            conditions["tag"] = rng.choice(TAGS)
        elif kind == "site" and viewer.sites:
            conditions["site"] = rng.choice(viewer.sites)
        elif kind == "class":
            conditions["innovationClass"] = rng.choice(["IMPROVEMENT", "INNOVATION"])
        elif kind == "search":
            conditions["search"] = rng.choice(WORDS)
        elif kind == "since":
            conditions["submittedFrom"] = (date.today() - timedelta(days=rng.randint(0, 3))
                                           ).isoformat()
        variables = {"first": 50, "order": rng.choice(
            ["SUBMITTED_DESC", "SUBMITTED_ASC", "UPDATED_DESC", "TITLE_ASC"])}
        if conditions:
            variables["filter"] = conditions
        drawn.append((viewer, variables))
    return drawn
