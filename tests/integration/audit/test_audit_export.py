"""An organisation's audit export, checked by the standalone verifier (run as an outsider
would: a separate Python process given the file and the verifier key)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import verify_export as standalone
from lifecycle.audit.export import Range, export, parse_range
from lifecycle.errors import ValidationFailed
from lifecycle.store.database import Database
from tests.conftest import ROOT
from tests.integration.audit_world import KEY, Log, chained_log

TODAY = datetime.now(UTC).date()


@pytest.fixture
async def log(server: Database) -> AsyncIterator[Log]:
    async with chained_log(server) as opened:
        yield opened


async def exported(log: Log, organisation: object = None, days: int = 1) -> list[str]:
    lines: list[str] = []
    wanted = Range(organisation or log.world.lead.organisation,  # type: ignore[arg-type]
                   TODAY - timedelta(days=days), TODAY + timedelta(days=1))
    await export(log.conn, wanted, lines.append)
    return lines


def verified(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "verify_export.py"), str(path),
                           "--key", KEY.verifier()], capture_output=True, text=True,
                          timeout=60, check=False)


async def test_an_export_holds_the_organisations_events_and_verifies_standalone(
        log: Log, tmp_path: Path) -> None:
    lines = await exported(log)
    records = [json.loads(line) for line in lines]
    events = [r for r in records if r["kind"] == "event"]
    assert records[0]["kind"] == "header"
    assert {e["originator_id"] for e in events} == {str(log.world.lead.organisation),
                                                    str(log.world.innovation)}
    assert [e["topic"] for e in events if e["originator_id"] == str(log.world.innovation)][
        :2] == ["lifecycle/IdeaSubmitted", "lifecycle/IdeaAccepted"]
    assert sum(1 for r in records if r["kind"] == "checkpoint") >= 2
    assert standalone.check(lines, standalone.parse_key(KEY.verifier())) == len(events)
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = verified(path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ok"), result.stdout


async def test_a_damaged_export_names_the_first_line_that_fails(log: Log,
                                                                 tmp_path: Path) -> None:
    lines = await exported(log)
    number = next(i for i, line in enumerate(lines) if '"kind": "event"' in line) + 2
    record = json.loads(lines[number - 1])
    state = base64.b64decode(record["state"]).replace(b"A ward", b"A bed ")
    record["state"] = base64.b64encode(state).decode()
    lines[number - 1] = json.dumps(record)
    path = tmp_path / "damaged.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = verified(path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"FAILED: line {number}:"), result.stdout
    lines[0] = lines[0].replace("\\n", "\\nx", 1)  # the header's checkpoint, unsigned now
    path.write_text("\n".join(lines) + "\n")
    assert verified(path).stdout.startswith("FAILED: line 1:")


async def test_an_export_of_days_with_no_events_holds_only_checkpoints(log: Log) -> None:
    wanted = Range(log.world.lead.organisation, TODAY - timedelta(days=30),
                   TODAY - timedelta(days=20))
    lines: list[str] = []
    assert await export(log.conn, wanted, lines.append) == 0
    assert standalone.check(lines, standalone.parse_key(KEY.verifier())) == 0


@pytest.mark.parametrize(("organisation", "first", "last", "field"), [
    ("not-an-id", "2025-01-01", "2025-01-31", "organisation"),
    ("5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f", "2025-13-01", "2025-01-31", "from"),
    ("5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f", "2025-01-01", "yesterday", "to"),
    ("5b0c7f0e-5a8e-4c39-9f7e-1f1f1f1f1f1f", "2025-02-01", "2025-01-31", "to"),
])
def test_a_malformed_range_is_refused(organisation: str, first: str, last: str,
                                      field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_range(organisation, first, last)
    assert refused.value.field == field


async def test_a_repeated_or_reordered_event_is_named_by_the_verifier(log: Log,
                                                                      tmp_path: Path) -> None:
    """Each event is proved on its own, so a line copied twice (or two lines swapped) proved
    too and the verifier said ok; events come in log order, each once."""
    lines = await exported(log)
    first = next(i for i, line in enumerate(lines) if '"kind": "event"' in line)
    repeated = [*lines[:first + 1], lines[first], *lines[first + 1:]]
    path = tmp_path / "repeated.jsonl"
    path.write_text("\n".join(repeated) + "\n")
    result = verified(path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"FAILED: line {first + 2}: the event at position "), \
        result.stdout
    swapped = [*lines[:first], lines[first + 1], lines[first], *lines[first + 2:]]
    path.write_text("\n".join(swapped) + "\n")
    assert verified(path).stdout.startswith(f"FAILED: line {first + 2}: ")


async def test_a_malformed_header_or_an_unreadable_file_is_named_without_a_traceback(
        log: Log, tmp_path: Path) -> None:
    lines = await exported(log)
    header = json.loads(lines[0])
    header["checkpoint"] = None
    path = tmp_path / "header.jsonl"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    result = verified(path)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "FAILED: line 1: not a checkpoint\n", "")
    path.write_text("\n".join([*lines, lines[0]]) + "\n")
    assert verified(path).stdout == f"FAILED: line {len(lines) + 1}: a second header\n"
    missing = verified(tmp_path / "absent.jsonl")
    assert missing.returncode == 1
    assert missing.stdout.startswith("FAILED: cannot read "), missing.stdout
    assert missing.stderr == ""
