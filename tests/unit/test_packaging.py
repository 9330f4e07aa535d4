"""What an installed (not editable) package carries: every migration and every read model's
``tables.sql`` must be package data, or ``lifecycle migrate`` in the container image would not
find it."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_migration_and_read_model_declaration_is_declared_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = config["tool"]["setuptools"]["package-data"]
    missing = []
    for sql in sorted([*ROOT.glob("*/**/migrations/*.sql"), *ROOT.glob("*/*/tables.sql")]):
        package, *inside = sql.relative_to(ROOT).parts
        if not any(fnmatch("/".join(inside), pattern) for pattern in declared.get(package, [])):
            missing.append(str(sql.relative_to(ROOT)))
    assert not missing, f"not in pyproject.toml's package-data: {missing}"
