"""The person registry: the only place a person's name and contact details are kept.

Events, snapshots and read models hold only a person's opaque id (``subject``). Here each person's
name and email are sealed (AES-256-GCM, ``sealing``) with a key of their own, kept in
``lifecycle_person_keys``; erasing a person (UK GDPR Article 17) deletes that key and the sealed
values, so that no copy of the sealed values (a backup, a replica) can be opened again. The log,
which must never change, keeps only an id that no longer leads to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor

from lifecycle import validation as v
from lifecycle.directory import sealing
from lifecycle.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class Person:
    subject: str
    display_name: str | None
    email: str | None
    erased_at: datetime | None


class People:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore

    def register(self, display_name: str, email: str | None = None,
                 subject: str | None = None) -> Person:
        """Record a person's name and contact details, sealed with a new key of their own;
        return them with their opaque id. Raises ``ValidationFailed`` naming ``display_name``,
        ``email`` or ``subject`` (malformed, or an id already registered)."""
        name = v.text("display_name", display_name, v.NAME_MAX)
        address = v.optional_text("email", email, v.NAME_MAX)
        if address is not None and "@" not in address:
            raise ValidationFailed("email", "is not an email address")
        ident = v.subject("subject", subject) if subject else f"person-{uuid4().hex}"
        key = sealing.new_key()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("INSERT INTO lifecycle_people (subject, display_name_sealed, "
                         "email_sealed) VALUES (%s, %s, %s) ON CONFLICT (subject) DO NOTHING "
                         "RETURNING subject",
                         (ident, sealing.seal(key, ident, "display_name", name),
                          sealing.seal(key, ident, "email", address)))
            if curs.fetchone() is None:
                raise ValidationFailed("subject", f"{ident} is already registered")
            curs.execute("INSERT INTO lifecycle_person_keys (subject, key) VALUES (%s, %s)",
                         (ident, key))
        return Person(ident, name, address, None)

    def find(self, subject: str) -> Person:
        """The person ``subject``, their name and email opened (both None once erased).
        Raises ``NotFound`` for an id never registered."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT + "WHERE p.subject = %s", (subject,))
            row = curs.fetchone()
        if row is None:
            raise NotFound("person", subject)
        return _opened(row)

    def names(self, subjects: list[str]) -> dict[str, str]:
        """Display names for the ids that still have one (erased people have none)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(_SELECT + "WHERE p.subject = ANY(%s) AND p.erased_at IS NULL",
                         (subjects,))
            people = [_opened(row) for row in curs.fetchall()]
        return {p.subject: p.display_name for p in people if p.display_name is not None}


_SELECT = ("SELECT p.subject, p.display_name_sealed, p.email_sealed, p.erased_at, k.key "
           "FROM lifecycle_people p LEFT JOIN lifecycle_person_keys k USING (subject) ")


def _opened(row: Any) -> Person:
    key, subject = row["key"], row["subject"]
    if key is None or row["erased_at"] is not None:
        return Person(subject, None, None, row["erased_at"])
    return Person(subject, sealing.open_sealed(key, subject, "display_name",
                                               row["display_name_sealed"]),
                  sealing.open_sealed(key, subject, "email", row["email_sealed"]), None)


def standing(curs: Cursor[Any], subject: str) -> datetime | None:
    """When ``subject`` was erased (None: not erased). Raises ``NotFound`` for an id never
    registered."""
    curs.execute("SELECT erased_at FROM lifecycle_people WHERE subject = %s", (subject,))
    row = curs.fetchone()
    if row is None:
        raise NotFound("person", subject)
    erased_at: datetime | None = row["erased_at"] if isinstance(row, dict) else row[0]
    return erased_at


def forget(curs: Cursor[Any], subject: str) -> None:
    """Delete ``subject``'s key and sealed name and email, and mark them erased (keeping the
    first erasure's time). Runs in the caller's transaction: with the ``PersonErased`` event
    (``LifecycleApplication.execute``), or when the erasure log is re-applied."""
    curs.execute("DELETE FROM lifecycle_person_keys WHERE subject = %s", (subject,))
    curs.execute("UPDATE lifecycle_people SET display_name_sealed = NULL, email_sealed = NULL, "
                 "erased_at = coalesce(erased_at, clock_timestamp()) WHERE subject = %s",
                 (subject,))
