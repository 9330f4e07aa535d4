"""The erasure log: every person erased, in a file outside the database, so that restoring the
database from a backup cannot bring an erased person's key (and so their name) back.

The file is JSON Lines, appended to and never rewritten: ``{"subject": ..., "erased_at": ...}``
a line, each flushed to disk (``fsync``) before the erasure is stored in the database, so that
every erasure the database holds is in the file too. ``reapply`` runs when the service starts and
at ``lifecycle migrate``: it erases again anyone the file names whose key the database has (a
restore brought it back), recording the ``PersonErased`` event the restored log lacks, and adds
to the file any erasure the database holds that it lacks (a file restored from an older copy).

Where the file lives (``LIFECYCLE_ERASURE_LOG``) must not be restored with the database: a
different volume or bucket, with its own retention.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from lifecycle.actor import PLATFORM, Actor, CommandContext, Role
from lifecycle.directory import people
from lifecycle.directory.commands import ErasePerson
from lifecycle.directory.erasure import erasure_id
from lifecycle.errors import AlreadyErased

if TYPE_CHECKING:
    from lifecycle.application import LifecycleApplication

log = logging.getLogger(__name__)

KEEPER = Actor("lifecycle-erasure-log", PLATFORM, frozenset({Role.PLATFORM_ADMIN}))
"""Who erases again, at start, the people a restore brought back: the platform itself, acting on
the erasures its administrators asked for."""


class ErasureLogDamaged(RuntimeError):
    """A line of the erasure log (other than a torn last one) cannot be read: the service will not
    start, because it could no longer promise that everyone erased stays erased."""


class ErasureLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, subject: str) -> None:
        """Append ``subject`` and wait until it is on disk. Raises ``OSError`` when it cannot be
        written (the erasure is then refused: nothing is stored)."""
        line = json.dumps({"subject": subject,
                           "erased_at": datetime.now(UTC).isoformat()}) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        with self._locked("a") as file:
            file.write(line)
            file.flush()
            os.fsync(file.fileno())
        if created:  # the new file's directory entry must survive a crash as well
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def subjects(self) -> set[str]:
        """Everyone the log names. A last line without its newline (a write cut short, never
        acknowledged) is ignored; any other unreadable line raises ``ErasureLogDamaged``."""
        if not self.path.exists():
            return set()
        with self._locked("r") as file:
            text = file.read()
        lines = text.split("\n")
        found: set[str] = set()
        for number, line in enumerate(lines[:-1], start=1):
            if not line.strip():
                continue
            try:
                subject = json.loads(line)["subject"]
            except (ValueError, KeyError, TypeError):
                raise ErasureLogDamaged(f"{self.path}: line {number} is not an erasure") from None
            if not isinstance(subject, str):
                raise ErasureLogDamaged(f"{self.path}: line {number} is not an erasure")
            found.add(subject)
        return found

    @contextmanager
    def _locked(self, mode: str) -> Iterator[IO[str]]:
        # Several processes (the service's workers, the CLI) may append at once.
        with self.path.open(mode, encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX if mode == "a" else fcntl.LOCK_SH)
            try:
                yield file
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Reapplied:
    erased_again: list[str]  # people a restore had brought back, erased again
    remembered: list[str]  # erasures the database held that the file lacked, now in it


def reapply(app: LifecycleApplication, erasures: ErasureLog) -> Reapplied:
    """Make the database and the erasure log agree (see the module's description). Raises
    ``ErasureLogDamaged``; database errors as any command's."""
    in_file = erasures.subjects()
    with app.store.datastore.transaction(commit=False) as curs:
        curs.execute("SELECT subject FROM lifecycle_people WHERE erased_at IS NOT NULL")
        remembered = sorted({row["subject"] for row in curs.fetchall()} - in_file)
        listed = sorted(in_file | set(remembered))
        # Of those the file names, the ones this database has not wholly forgotten.
        curs.execute(_UNFORGOTTEN, (listed, [erasure_id(s) for s in listed]))
        unforgotten = [(row["subject"], row["recorded"]) for row in curs.fetchall()]
    for subject in remembered:
        erasures.record(subject)
    for subject, recorded in unforgotten:
        if recorded:
            with app.store.datastore.transaction(commit=True) as curs:
                people.forget(curs, subject)
        else:  # the restored log lacks the erasure: record it, forgetting in one transaction
            with contextlib.suppress(AlreadyErased):  # another process starting did, meanwhile
                app.execute(ErasePerson(subject), CommandContext(KEEPER))
    erased_again = [subject for subject, _ in unforgotten]
    if erased_again:
        log.warning("erased again after a restore: %d people", len(erased_again))
    return Reapplied(erased_again, remembered)


_UNFORGOTTEN = """
SELECT p.subject, EXISTS (SELECT 1 FROM lifecycle_events e
                          WHERE e.originator_id = f.erasure AND e.originator_version = 1)
                  AS recorded
FROM unnest(%s::text[], %s::uuid[]) AS f (subject, erasure)
JOIN lifecycle_people p ON p.subject = f.subject
WHERE p.erased_at IS NULL OR p.display_name_sealed IS NOT NULL OR p.email_sealed IS NOT NULL
   OR EXISTS (SELECT 1 FROM lifecycle_person_keys k WHERE k.subject = p.subject)
   OR NOT EXISTS (SELECT 1 FROM lifecycle_events e
                  WHERE e.originator_id = f.erasure AND e.originator_version = 1)
ORDER BY p.subject
"""
