"""The write side decides without the read side: a capability's commands, events and aggregates
import nothing from `projections` or `schema`, so a read model's change cannot change what is
accepted. Definitions both sides need (a measure's rule set) live on the write side. The command
line (cli.py and the console modules its commands live in) and the audit tools compose both
sides and are the named exceptions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPOSITION = ("lifecycle/cli.py", "lifecycle/__main__.py", "lifecycle/audit/")


def test_the_write_side_imports_nothing_from_the_read_side_or_the_schema() -> None:
    crossing = []
    for path in sorted((ROOT / "lifecycle").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(COMPOSITION) or path.name == "console.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            crossing += [f"{name} {m}" for m in modules
                         if m.split(".")[0] in ("projections", "schema")]
    assert not crossing
