"""Advisory locks keep one worker of each kind active per database: two kinds sharing a key
would leave one standing by forever behind the other (the chaining worker did, behind the
webhook deliverer)."""

from __future__ import annotations

import ast
from pathlib import Path

from lifecycle.store import locks

ROOT = Path(__file__).resolve().parents[3]


def test_every_advisory_lock_has_a_key_of_its_own() -> None:
    assert len(set(locks.ALL.values())) == len(locks.ALL)


def test_no_module_takes_an_advisory_lock_by_a_number_of_its_own() -> None:
    numbered = []
    for package in ("lifecycle", "projections", "schema"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "locks.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                        and isinstance(node.value.value, int) and any(
                            isinstance(t, ast.Name) and "LOCK" in t.id for t in node.targets):
                    numbered.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not numbered
