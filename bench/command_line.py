"""A benchmark's command line: its numeric options, each declared by its default."""

from __future__ import annotations

import argparse


def add_numbers(parser: argparse.ArgumentParser, **defaults: int | float) -> None:
    """Add one option a default to ``parser``: ``--write-rate`` for ``write_rate``, parsed as
    the default's type (an ``int`` option takes whole numbers only)."""
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)


def numbers(description: str | None, **defaults: int | float) -> argparse.Namespace:
    """The command line of a benchmark whose options are all numbers (``add_numbers``),
    parsed; ``description`` (the module's docstring) is what ``--help`` shows first."""
    parser = argparse.ArgumentParser(description=description)
    add_numbers(parser, **defaults)
    return parser.parse_args()
