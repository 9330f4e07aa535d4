"""The person registry: the only place a person's name and contact details are kept.

Events, snapshots and read models hold only a person's opaque id (``subject``), so erasing a
person (UK GDPR Article 17) is one update here: the log, which must never change, keeps only an
id that no longer leads to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from eventsourcing.postgres import PostgresDatastore

from lifecycle import validation as v
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
        """Record a person's name and contact details; return them with their opaque id."""
        name = v.text("display_name", display_name, v.NAME_MAX)
        address = v.optional_text("email", email, v.NAME_MAX)
        if address is not None and "@" not in address:
            raise ValidationFailed("email", "is not an email address")
        ident = v.subject("subject", subject) if subject else f"person-{uuid4().hex}"
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("INSERT INTO lifecycle_people (subject, display_name, email) "
                         "VALUES (%s, %s, %s) ON CONFLICT (subject) DO NOTHING "
                         "RETURNING subject", (ident, name, address))
            if curs.fetchone() is None:
                raise ValidationFailed("subject", f"{ident} is already registered")
        return Person(ident, name, address, None)

    def find(self, subject: str) -> Person:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT subject, display_name, email, erased_at FROM lifecycle_people "
                         "WHERE subject = %s", (subject,))
            row = curs.fetchone()
        if row is None:
            raise NotFound("person", subject)
        return Person(row["subject"], row["display_name"], row["email"], row["erased_at"])

    def names(self, subjects: list[str]) -> dict[str, str]:
        """Display names for the ids that still have one (erased people have none)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT subject, display_name FROM lifecycle_people "
                         "WHERE subject = ANY(%s) AND erased_at IS NULL", (subjects,))
            return {row["subject"]: row["display_name"] for row in curs.fetchall()}

    def erase(self, subject: str) -> Person:
        """Forget a person's name and contact details; the opaque id stays, leading nowhere."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("UPDATE lifecycle_people SET display_name = NULL, email = NULL, "
                         "erased_at = coalesce(erased_at, clock_timestamp()) "
                         "WHERE subject = %s RETURNING erased_at", (subject,))
            row = curs.fetchone()
        if row is None:
            raise NotFound("person", subject)
        return Person(subject, None, None, row["erased_at"])
