"""The ``Date`` and ``Decimal`` scalars, parsing only their plain canonical forms.

strawberry's own parse with ``date.fromisoformat`` and ``Decimal()``, which accept the compact
"20260101", "1_000", " 5" and digits of other scripts: values a client would not have meant, and
that other readers of the API would not read alike. Here input goes through the forms of
``lifecycle.validation`` (``written_date``, ``written_amount``); a value in another form is a
GraphQL input error (``BAD_USER_INPUT``) saying the form to use. Output, names and descriptions
are strawberry's, so the published schema does not change.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal

from strawberry.schema.types.base_scalars import DateDefinition, DecimalDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from lifecycle import validation as v

OVERRIDES: dict[object, ScalarDefinition] = {
    datetime.date: dataclasses.replace(
        DateDefinition, parse_value=wrap_parser(v.written_date, "Date")),
    # JSON numbers are taken as their text (5, 5.5), as strawberry does, and must then be in
    # the same form.
    decimal.Decimal: dataclasses.replace(
        DecimalDefinition, parse_value=wrap_parser(v.written_amount, "Decimal",
                                                   accept_non_string=True)),
}
