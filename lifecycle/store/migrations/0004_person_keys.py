"""Each person's name and email sealed with a key of their own (``lifecycle.directory.sealing``),
the keys in a table of their own; the plaintext columns go.

Rows registered before this migration are sealed here, each with a new key; people already erased
get no key (there is nothing left to seal). Runs inside the migration's transaction: the database
is either wholly sealed or untouched.
"""

from __future__ import annotations

from typing import Any

import psycopg

from lifecycle.directory import sealing

# A deleted key stays in its table's pages until vacuum reclaims them: vacuum the keys after
# any deletion at all, not after the default fifth of the table.
_SCHEMA = """
CREATE TABLE lifecycle_person_keys (
    subject text PRIMARY KEY REFERENCES lifecycle_people (subject),
    key bytea NOT NULL CHECK (length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
) WITH (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0);
ALTER TABLE lifecycle_people ADD COLUMN display_name_sealed bytea,
                             ADD COLUMN email_sealed bytea;
"""


def apply(conn: psycopg.Connection[Any]) -> None:
    conn.execute(_SCHEMA)
    rows = conn.execute("SELECT subject, display_name, email FROM lifecycle_people "
                        "WHERE erased_at IS NULL").fetchall()
    with conn.cursor() as curs:
        for subject, name, email in rows:
            key = sealing.new_key()
            curs.execute("INSERT INTO lifecycle_person_keys (subject, key) VALUES (%s, %s)",
                         (subject, key))
            # The plaintext is cleared in the new row version as well: a dropped column's
            # values stay in the rows that still hold them.
            curs.execute("UPDATE lifecycle_people SET display_name_sealed = %s, "
                         "email_sealed = %s, display_name = NULL, email = NULL "
                         "WHERE subject = %s",
                         (sealing.seal(key, subject, "display_name", name),
                          sealing.seal(key, subject, "email", email), subject))
    conn.execute("ALTER TABLE lifecycle_people DROP COLUMN display_name, DROP COLUMN email")
