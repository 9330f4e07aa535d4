"""A measure's rule set: the conventions its charts are judged by, defined once for the write
side (which validates and records it) and the read side (which judges by it).

The defaults are NHS "Making Data Count"'s; the rules themselves (what each finds) are the read
side's (`projections.improvement.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lifecycle.improvement.refusals import InvalidRuleSet

# Far beyond any convention (2.66 is three sigma-equivalents), and it keeps limits finite.
MAX_MULTIPLIER = 10.0


@dataclass(frozen=True)
class RuleSet:
    """The conventions a chart is judged by; every signal records the rule set that found it.

    The defaults are Making Data Count's: runs of 7, the 2.66 multiplier, no moving range
    screened out, 12 baseline points before limits are drawn, and the two-of-three rule.
    `multiplier` and `screen_moving_ranges` apply to XmR charts; p and u limits are three
    standard errors. `describe` gives a stable, serialisable form and `from_description` reads it
    back. Raises InvalidRuleSet for an empty name, a run shorter than 2 points, fewer than 2
    baseline points, or a multiplier that is not a number in (0, MAX_MULTIPLIER].
    """

    name: str = "making-data-count"
    shift_length: int = 7
    trend_length: int = 7
    multiplier: float = 2.66
    screen_moving_ranges: bool = False
    minimum_points: int = 12
    two_of_three: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidRuleSet("a rule set needs a name")
        lengths = (self.shift_length, self.trend_length, self.minimum_points)
        if any(type(n) is not int for n in lengths):
            raise InvalidRuleSet("the lengths of a rule set are whole numbers of points")
        if self.shift_length < 2 or self.trend_length < 2:
            raise InvalidRuleSet("a shift or a trend needs at least 2 points")
        if self.minimum_points < 2:
            raise InvalidRuleSet("limits need at least 2 points (one moving range)")
        if type(self.screen_moving_ranges) is not bool or type(self.two_of_three) is not bool:
            raise InvalidRuleSet("screenMovingRanges and twoOfThree are true or false")
        if isinstance(self.multiplier, bool) or not isinstance(self.multiplier, int | float) \
                or not 0 < self.multiplier <= MAX_MULTIPLIER:
            raise InvalidRuleSet(f"the multiplier must be a number above 0 and at most "
                                 f"{MAX_MULTIPLIER:g}")

    def describe(self) -> dict[str, str | int | float | bool]:
        """The rule set as JSON-ready fields (name and every length), the same for equal rule
        sets: what a signal records and an event stores."""
        return {
            "name": self.name, "shiftLength": self.shift_length,
            "trendLength": self.trend_length, "multiplier": float(self.multiplier),
            "screenMovingRanges": self.screen_moving_ranges,
            "minimumPoints": self.minimum_points, "twoOfThree": self.two_of_three,
        }

    @classmethod
    def from_description(cls, description: Mapping[str, object]) -> RuleSet:
        """The rule set `describe` gave. Raises InvalidRuleSet for missing or unknown fields,
        or values the rule set refuses."""
        if set(description) != set(_DESCRIBED):
            raise InvalidRuleSet(f"a rule set is described by exactly {sorted(_DESCRIBED)}")
        arguments: dict[str, Any] = {_DESCRIBED[k]: v for k, v in description.items()}
        return cls(**arguments)  # whose checks refuse values of the wrong type


# Each described field and the attribute it holds.
_DESCRIBED = {"name": "name", "shiftLength": "shift_length", "trendLength": "trend_length",
              "multiplier": "multiplier", "screenMovingRanges": "screen_moving_ranges",
              "minimumPoints": "minimum_points", "twoOfThree": "two_of_three"}
MAKING_DATA_COUNT = RuleSet()
# IHI run charts: shift 6, trend 5, and no zones (a run chart has no limits to be near).
IHI_RUN_CHART = RuleSet(name="ihi-run-chart", shift_length=6, trend_length=5, two_of_three=False)
