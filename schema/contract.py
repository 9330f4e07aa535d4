"""``schema.graphql``: the published contract, generated from the code.

``python -m schema.contract`` rewrites it; a test fails while it is stale, so that every change
to the API is deliberate and visible in review.
"""

from __future__ import annotations

from pathlib import Path

from lifecycle.service.settings import Mode, Settings
from schema.root import build

CONTRACT = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    """The schema in SDL (the same in both modes: hardening limits queries, not types)."""
    return build(Settings(mode=Mode.DEVELOPMENT)).as_str() + "\n"


if __name__ == "__main__":
    CONTRACT.write_text(sdl())
    print(f"wrote {CONTRACT}")
