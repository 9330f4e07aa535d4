"""The API's one place for what part of an innovation a caller sees: a permission on each field
that only its own organisation and a FULL share see (``SeesDetail``). The object carries the
viewer's scope, decided by the read side's SQL (``projections/visibility.py``) for rows and by
``lifecycle/visibility.py`` for aggregates; which objects exist at all is decided there too (a
hidden innovation is never built). A summary viewer gets null for every detail field.
"""

from __future__ import annotations

from typing import Any, Protocol

import strawberry
from strawberry.permission import BasePermission, PermissionExtension

from lifecycle.visibility import Scope


class Scoped(Protocol):
    @property
    def scope(self) -> Scope: ...


class SeesDetail(BasePermission):
    """The caller's organisation owns the innovation, or it is shared with it in full."""

    message = "shared with your organisation as a summary"

    def has_permission(self, source: Scoped, info: strawberry.Info, **kwargs: Any) -> bool:
        return source.scope.detail


def detail(**kwargs: Any) -> Any:
    """A field of an innovation's detail: null for a caller that sees only its summary."""
    return strawberry.field(
        extensions=[PermissionExtension([SeesDetail()], use_directives=False,
                                        fail_silently=True)], **kwargs)
