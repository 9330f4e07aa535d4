"""The typed refusals of the statistics: input they cannot judge. Each is a ValueError, raised
before anything is computed, with a message naming the point or setting at fault."""

from __future__ import annotations


class Refused(ValueError):
    """The statistics cannot judge this input; nothing was computed."""


class InvalidSeries(Refused):
    """Points out of date order, or a p or u point without valid counts."""


class OutOfRange(InvalidSeries):
    """A number whose statistics would not be finite (see `lifecycle.magnitude`)."""


class InvalidRuleSet(Refused):
    """A rule set whose lengths or multiplier make no sense, or a description that is not one."""


class InvalidTarget(Refused):
    """A target that is out of range, or given for a measure with no better direction."""
