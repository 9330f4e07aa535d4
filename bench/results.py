"""Where a benchmark's figures go: ``bench/results/<name>.json``, and standard output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path("bench/results")


def publish(name: str, results: dict[str, Any]) -> None:
    """Write ``results`` to ``bench/results/<name>.json`` (relative to the working directory,
    the repository's root under ``make``) and print them, both as indented JSON."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
