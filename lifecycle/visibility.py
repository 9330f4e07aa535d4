"""Who may see what: the one rule, in Python, for whatever is not read through SQL (commands on
the write side, payloads built from aggregates). Its SQL twin is ``projections/visibility.py``;
both say the same thing, and ``tests/unit/test_visibility.py`` and the authorisation matrix hold
them to it.

The rule (README, "Roles"; DOMAIN.md's table of users):

- An organisation sees its own innovations in **full** (every role; an auditor reads as the
  organisations it audits, below).
- An innovation shared with another organisation is seen there at the share's scope: **FULL**
  (its detail, and which organisations adopted it, where, since when, with what status) or
  **SUMMARY** (title, stage, class, tags, organisation, site, dates and counts; none of its
  problem, proposal, funding, measures or verdicts). An auditor sees what is shared with an
  organisation it audits at the share's scope, as everyone of that organisation does: what an
  organisation took up from others is part of what its auditors examine.
- Anything else, a revoked share included, does not exist for the caller: it answers exactly as
  an id that was never used.
- An adoption and its measures belong to the adopter: their detail (the adaptation, the
  measures, their verdicts) is seen by the adopter and by the innovation's owner. The owner's own
  measures and adoptions are part of its innovation's detail, so a FULL share shows them too.
  (There is no way yet for an adopter to share its own records with a third organisation.)
- Challenges are their organisation's own; the directory of organisations is public.

Visibility depends on the caller's organisation only, never on its roles: roles decide what a
caller may *do* (``lifecycle/policy.py``), once this rule has decided what exists for it. An
auditor is the one caller that reads as other organisations: as each organisation of its audit
scope (``Actor.viewers``, from its token's ``audit_orgs``), and as none other, its own included.
A viewer of several organisations sees an innovation at the widest scope any of them has.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from uuid import UUID

from lifecycle.actor import Actor
from lifecycle.aggregate import LifecycleAggregate
from lifecycle.directory.challenge import Challenge
from lifecycle.improvement.measure import Measure
from lifecycle.innovations.innovation import Innovation
from lifecycle.vocabulary import SharingScope


class Scope(StrEnum):
    """How much of an innovation a viewer sees. The values are what the SQL fragment answers."""

    OWN = "OWN"
    FULL = "FULL"
    SUMMARY = "SUMMARY"
    NONE = "NONE"

    @property
    def sees(self) -> bool:
        """The innovation exists for the viewer (at any scope)."""
        return self is not Scope.NONE

    @property
    def detail(self) -> bool:
        """The viewer sees the innovation's detail: its own, or shared in full."""
        return self in (Scope.OWN, Scope.FULL)


Viewer = UUID | Collection[UUID]
"""An organisation, or the organisations an auditor reads as (``Actor.viewers``)."""


def _organisations(viewer: Viewer) -> Collection[UUID]:
    return (viewer,) if isinstance(viewer, UUID) else viewer


def scope(viewer: Viewer, owner: UUID, shared_with: Mapping[UUID, str]) -> Scope:
    """The scope at which organisation ``viewer`` (or the widest of several) sees an
    innovation of ``owner`` shared as ``shared_with`` (organisation id -> ``SharingScope``
    value)."""
    viewers = _organisations(viewer)
    if owner in viewers:
        return Scope.OWN
    shared = {shared_with.get(v) for v in viewers}
    if SharingScope.FULL in shared:
        return Scope.FULL
    if SharingScope.SUMMARY in shared:
        return Scope.SUMMARY
    return Scope.NONE


def innovation_scope(viewer: Viewer, innovation: Innovation) -> Scope:
    """The scope at which organisation ``viewer`` sees ``innovation``."""
    return scope(viewer, innovation.organisation_id, innovation.shared_with)


def sees_adoption(viewer: Viewer, adopter: UUID, innovation: Innovation) -> bool:
    """Whether ``viewer`` sees that ``adopter`` adopted ``innovation`` (where, since when, with
    what status): with the innovation's detail, and the adopter its own whatever the share is
    now. A summary shows counts only."""
    return adopter in _organisations(viewer) or innovation_scope(viewer, innovation).detail


def sees_record(viewer: Viewer, recorder: UUID, innovation: Innovation) -> bool:
    """Whether ``viewer`` sees the detail of a record about ``innovation`` (an adoption, a
    measure) that belongs to organisation ``recorder``: the recorder and the innovation's owner
    do; a FULL share shows the owner's own records."""
    return record_seen(viewer, recorder, innovation.organisation_id, innovation.shared_with)


def record_seen(viewer: Viewer, recorder: UUID, owner: UUID,
                shared_with: Mapping[UUID, str]) -> bool:
    """``sees_record`` for an innovation of ``owner`` shared as ``shared_with`` (what a reader
    of the log folds, without the aggregate)."""
    viewers = _organisations(viewer)
    if recorder in viewers or owner in viewers:
        return True
    return recorder == owner and scope(viewer, owner, shared_with) is Scope.FULL


def sees(actor: Actor, aggregate: LifecycleAggregate,
         innovation_of: Callable[[UUID], Innovation]) -> bool:
    """Whether ``aggregate`` exists for ``actor``'s organisation (an auditor's: those it
    audits). ``innovation_of`` loads the innovation a measure is about; it is called only for
    another organisation's measure."""
    viewer = actor.viewers
    match aggregate:
        case Innovation():
            return innovation_scope(viewer, aggregate).sees
        case Measure():
            return aggregate.organisation_id in viewer or sees_record(
                viewer, aggregate.organisation_id, innovation_of(aggregate.innovation_id))
        case Challenge():
            return aggregate.organisation_id in viewer
    return True  # organisations: the directory is public
