"""The locks: ``requirements.lock`` holds exactly what the service needs (what `make run` and a
deployment install), ``requirements-dev.lock`` exactly what the development tools add, each with
every transitive package pinned to the version installed here.

What a package needs is read from the installed packages' metadata, following the extras that
pyproject.toml asks for, on this interpreter and platform (the one the locks are for)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(path: Path) -> dict[NormalizedName, str]:
    """The ``name==version`` lines of a lock, following ``-r`` includes."""
    found: dict[NormalizedName, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            found |= pins(path.parent / line[3:].strip())
        elif line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"{path.name}: {line!r} is not an exact pin"
            found[canonicalize_name(name)] = version
    return found


def closure(requirements: list[str]) -> set[NormalizedName]:
    """Every distribution that ``requirements`` need, transitively, with their extras."""
    names: set[NormalizedName] = set()
    visited: set[tuple[NormalizedName, frozenset[str]]] = set()
    todo = [Requirement(spec) for spec in requirements]
    while todo:
        requirement = todo.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in visited:
            continue
        visited.add(key)
        names.add(key[0])
        for spec in metadata.requires(requirement.name) or []:
            needed = Requirement(spec)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra})
                                            for extra in requirement.extras | {""}):
                todo.append(needed)
    return names


SERVICE = pins(ROOT / "requirements.lock")
EVERYTHING = pins(ROOT / "requirements-dev.lock")


def test_the_service_lock_is_exactly_what_the_service_dependencies_need() -> None:
    needed = closure(PROJECT["dependencies"])
    assert sorted(needed - SERVICE.keys()) == []  # missing from the lock
    assert sorted(SERVICE.keys() - needed) == []  # locked, but nothing needs it


def test_the_development_lock_adds_exactly_what_the_development_tools_need() -> None:
    added = closure(PROJECT["optional-dependencies"]["dev"]) - closure(PROJECT["dependencies"])
    assert EVERYTHING.keys() >= SERVICE.keys()
    assert sorted(EVERYTHING.keys() - SERVICE.keys()) == sorted(added)
    for tool in ("pytest", "mypy", "ruff", "playwright", "hypothesis"):
        assert tool not in SERVICE


def test_locks_agree_with_pyproject_pins_and_the_installed_packages() -> None:
    for spec in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]:
        requirement = Requirement(spec)
        (pin,) = requirement.specifier
        assert pin.operator == "=="
        assert EVERYTHING[canonicalize_name(requirement.name)] == pin.version, spec
    for name, version in EVERYTHING.items():
        assert metadata.version(name) == version, name
