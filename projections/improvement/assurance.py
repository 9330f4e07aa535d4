"""Assurance (Making Data Count): will the process, as it varies now, meet its target?

The target is compared with the limits of the latest point, the range the process's points
fall in while it stays as it is: a target beyond the limit on the failing side is met by every
such point, one beyond the limit on the passing side by none, and one between the limits by
some. Reaching the target exactly meets it, as a point on a limit is within it
(docs/statistics.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lifecycle.improvement.refusals import InvalidTarget
from lifecycle.magnitude import target_out_of_range
from lifecycle.vocabulary import BetterDirection


class AssuranceVerdict(StrEnum):
    CONSISTENTLY_MEETS = "CONSISTENTLY_MEETS"
    CONSISTENTLY_FAILS = "CONSISTENTLY_FAILS"
    VARIES = "VARIES"  # it will meet the target some weeks and not others
    NO_TARGET = "NO_TARGET"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


@dataclass(frozen=True)
class Assurance:
    """The verdict, the target, and the limits it was compared with (the latest point's; None
    with no target or no limits)."""

    verdict: AssuranceVerdict
    target: float | None
    lower: float | None
    upper: float | None


def check_target(target: float | None, better: BetterDirection) -> None:
    """Raises InvalidTarget for a target that is not a number within `lifecycle.magnitude`'s
    bound, or a target for a measure with no better direction (which side of it passes?)."""
    if target is None:
        return
    if isinstance(target, bool) or not isinstance(target, int | float):
        raise InvalidTarget("a target must be a number")
    if problem := target_out_of_range(target):
        raise InvalidTarget(problem)
    if better is BetterDirection.NEITHER:
        raise InvalidTarget("a measure with no better direction cannot have a target")


def assurance_of(target: float | None, better: BetterDirection, lower: float | None,
                 upper: float | None) -> Assurance:
    """Compare a target (checked by `check_target`) with the latest point's limits."""
    if target is None:
        return Assurance(AssuranceVerdict.NO_TARGET, None, None, None)
    if lower is None or upper is None:
        return Assurance(AssuranceVerdict.INSUFFICIENT_DATA, float(target), None, None)
    if better is BetterDirection.HIGHER:
        meets, fails = target <= lower, target > upper
    else:
        meets, fails = target >= upper, target < lower
    verdict = (AssuranceVerdict.CONSISTENTLY_MEETS if meets else
               AssuranceVerdict.CONSISTENTLY_FAILS if fails else AssuranceVerdict.VARIES)
    return Assurance(verdict, float(target), lower, upper)
