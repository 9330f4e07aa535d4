"""How large a number a measure can record: small enough that every statistic drawn from it
(centre lines, moving ranges, control limits, differences between phases) is a finite float.

Limits multiply a spread of up to twice the largest value by the multiplier, and p and u limits
divide by denominators, so numbers near the largest float give infinite limits, which JSON and
GraphQL cannot carry. Within these bounds every statistic stays far below the largest float:
a value of at most 1e15 gives limits of at most 2.1e16 (multiplier at most 10), and a
rate of at most 1e30 with a standard error of at most 1e23. The write side refuses an
observation `out_of_range` calls out; the statistics refuse the same, so the two agree.
"""

from __future__ import annotations

from lifecycle.vocabulary import ChartType

LARGEST = 1e15  # the largest magnitude of a value, numerator, denominator or target
SMALLEST_DENOMINATOR = 1e-15  # the smallest denominator (a count or an exposure)


def out_of_range(chart: ChartType, value: float | None, numerator: float | None,
                 denominator: float | None) -> str | None:
    """Why an observation's numbers are too large (or, for a denominator, too small) for its
    statistics to stay finite, or None when they are not.

    XmR looks at `value`; p and u at `numerator` and `denominator` (their value is derived). A
    missing number is not this function's to refuse (None passes); NaN and infinities never
    pass. The reason is a sentence naming the bound, to show to whoever recorded the number.
    """
    if chart is ChartType.XMR:
        if value is not None and not -LARGEST <= value <= LARGEST:
            return f"a value must be a number between -{LARGEST:g} and {LARGEST:g}"
        return None
    if numerator is not None and not -LARGEST <= numerator <= LARGEST:
        return f"a numerator must be a number between -{LARGEST:g} and {LARGEST:g}"
    if denominator is not None and not SMALLEST_DENOMINATOR <= denominator <= LARGEST:
        return (f"a denominator must be a number between {SMALLEST_DENOMINATOR:g} and "
                f"{LARGEST:g}")
    return None


def target_out_of_range(target: float) -> str | None:
    """Why a target is too large to report, or None when it is not (NaN never passes)."""
    if not -LARGEST <= target <= LARGEST:
        return f"a target must be a number between -{LARGEST:g} and {LARGEST:g}"
    return None
