"""Input limits and the text policy, checked before any value reaches an aggregate or SQL.

One place for every rule about what a client may send: mutation inputs (through the commands),
query arguments and filters (through ``schema``), and the claims of a bearer token
(``schema.tokens``) all call these functions, so a value refused in one place is refused in all.
The limits are part of the API contract and are documented in the README ("Input limits").

The text policy is decided by Unicode general category (``unicodedata``, the Unicode version of
the running Python), not by a list of characters:

- refused everywhere: control characters (Cc), format characters (Cf: bidirectional overrides and
  isolates, zero-width spaces and joiners, the byte order mark, soft hyphen...), surrogates (Cs),
  private use (Co), unassigned code points and noncharacters (Cn), and the line and paragraph
  separators (Zl, Zp);
- except that multi-line text (descriptions, reasons, comments) keeps newline and tab, and a
  carriage return there is normalised: CRLF and a lone CR become a newline (what browsers send
  from a text area is then stored like what they show);
- single-line text (titles, names, sites, tags, units, ids given as text, filters, search) has
  no newline, tab or carriage return at all;
- every text is normalised to NFC (Unicode's canonical composition), so a letter typed as a base
  and a combining accent (as macOS and some keyboards send it) is stored, searched and
  de-duplicated as the precomposed letter; NFC leaves ASCII unchanged;
- text that shows nothing is blank: only spaces, combining marks with no letter to sit on, and
  the characters Unicode makes invisible by default or that render blank (``INVISIBLE``: the
  Hangul fillers, the Braille blank, variation selectors...) is empty text;
- no character carries more than ``MARKS_MAX`` combining marks stacked on it ("zalgo" text
  that draws over the lines around it); after NFC no language's ordinary writing needs more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from lifecycle.errors import ValidationFailed
from lifecycle.vocabulary import STAFF_GROUPS

TITLE_MAX = 200
NAME_MAX = 200
SHORT_TEXT_MAX = 2_000
LONG_TEXT_MAX = 10_000
TAG_MAX = 40
TAGS_MAX = 20
SEARCH_MAX = 200
# OpenID Connect Core 1.0, section 2: a subject identifier "MUST NOT exceed 255 ASCII characters".
SUBJECT_MAX = 255
MONEY_MAX = Decimal("1000000000")
IDEMPOTENCY_KEY_MAX = 200

# Dates: nothing the service records happened before 1900 (a sane floor for the oldest
# involvement or funding a trust could back-date), and nothing is planned further ahead than the
# end of the year ten years from now (long research programmes and funding run five to ten years).
EARLIEST_DATE = date(1900, 1, 1)
YEARS_AHEAD = 10

_REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "a format character (such as a bidirectional override, zero-width character or "
          "byte order mark)",
    "Cs": "a surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned code point or noncharacter",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
# Characters that show nothing though their category lets them through: Unicode's
# Default_Ignorable_Code_Point characters outside Cf (the combining grapheme joiner, the Hangul
# fillers, the Khmer inherent vowels, the Mongolian variation selectors, the variation selectors
# and their supplement) and the Braille pattern blank. Text made of these, marks and spaces only
# is blank.
INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0)))
MARK_CATEGORIES = frozenset({"Mn", "Me", "Mc"})
MARKS_MAX = 4
"""Combining marks one character may carry, after NFC."""
MULTILINE_KEPT = frozenset("\n\t")
"""What multi-line text keeps of the characters the policy refuses."""
# What may surround any text, to be stripped: spaces, and the line breaks and tabs of a value
# pasted with its line ending.
_PADDING_KEPT = frozenset("\n\t\r")


def refusal(value: str, *, kept: frozenset[str] = frozenset()) -> str | None:
    """Why ``value`` breaks the text policy (naming the first offending character), or None;
    ``kept`` are refused characters allowed here (``MULTILINE_KEPT`` in multi-line text).

    Work is linear in ``len(value)``; each distinct character is looked up once."""
    for char in dict.fromkeys(value):
        if char in kept:
            continue
        category = unicodedata.category(char)
        reason = _REFUSED_CATEGORIES.get(category)
        if reason is not None:
            return f"must not contain U+{ord(char):04X}, {reason} (Unicode category {category})"
    return None


def _shows_nothing(value: str) -> bool:
    """Whether ``value`` is only spaces, combining marks and ``INVISIBLE`` characters."""
    return all(char.isspace() or char in INVISIBLE
               or unicodedata.category(char) in MARK_CATEGORIES for char in value)


def _stacked_marks(value: str) -> int:
    """The longest run of combining marks (the most any one character carries)."""
    longest = run = 0
    for char in value:
        run = run + 1 if unicodedata.category(char) in MARK_CATEGORIES else 0
        longest = max(longest, run)
    return longest


def text(field: str, value: str, limit: int, *, required: bool = True,
         multiline: bool = False) -> str:
    """``value`` in NFC with surrounding whitespace stripped (and, in ``multiline`` text, CRLF
    and CR as newlines), at most ``limit`` characters; raises ``ValidationFailed(field)`` for a
    non-string, empty text or text that shows nothing (when ``required``; else it is ""),
    over-long text, a character the text policy refuses (in single-line text, a newline, tab
    or carriage return inside the text), or more than ``MARKS_MAX`` marks on one character."""
    if not isinstance(value, str):
        raise ValidationFailed(field, "must be text")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    stripped = value.strip()
    # The stripped ends are checked too, as the set of their characters (so long padding costs
    # one pass): whitespace the policy refuses (a file separator, U+2028) is not quietly dropped.
    padding = "".join({*value[:len(value) - len(value.lstrip())],
                       *value[len(value.rstrip()):]}) if len(stripped) != len(value) else ""
    if required and not stripped:
        raise ValidationFailed(field, "must not be empty")
    if len(stripped) > limit:
        raise ValidationFailed(field, f"must be at most {limit} characters (got {len(stripped)})")
    reason = refusal(stripped, kept=MULTILINE_KEPT if multiline else frozenset()) \
        or refusal(padding, kept=_PADDING_KEPT)
    if reason is not None:
        raise ValidationFailed(field, reason)
    if stripped and _shows_nothing(stripped):
        if required:
            raise ValidationFailed(field, "must not be blank (it shows only invisible "
                                          "characters or combining marks)")
        return ""
    if _stacked_marks(stripped) > MARKS_MAX:
        raise ValidationFailed(field, f"must not stack more than {MARKS_MAX} combining marks "
                                      f"on one character")
    return stripped


def optional_text(field: str, value: str | None, limit: int, *,
                  multiline: bool = False) -> str | None:
    """``text`` for a value that may be left out: None and blank text are both None."""
    if value is None:
        return None
    return text(field, value, limit, required=False, multiline=multiline) or None


def subject(field: str, value: str) -> str:
    """A person's opaque id (a token's ``sub``, an owner, a team member): single-line text of
    at most ``SUBJECT_MAX`` characters. An id is exact, so surrounding space is refused rather
    than stripped (" alice" is not "alice")."""
    checked = text(field, value, SUBJECT_MAX)
    if checked != value:
        raise ValidationFailed(field, "must not begin or end with space")
    return checked


def staff_group(field: str, value: str | None) -> str | None:
    """One of ``STAFF_GROUPS`` (the NHS staff groups, vocabulary.py), or None (not recorded)."""
    if value is not None and value not in STAFF_GROUPS:
        raise ValidationFailed(field, f"must be one of: {', '.join(STAFF_GROUPS)}")
    return value


def search(field: str, value: str | None) -> str | None:
    """Words to search for: single-line text of at most ``SEARCH_MAX``; blank is no search."""
    return optional_text(field, value, SEARCH_MAX)


def tags(field: str, values: Sequence[str]) -> tuple[str, ...]:
    """At most ``TAGS_MAX`` single-line tags of ``TAG_MAX``, lower-cased, repeats dropped."""
    if len(values) > TAGS_MAX:
        raise ValidationFailed(field, f"at most {TAGS_MAX} tags")
    cleaned = [text(field, v, TAG_MAX).lower() for v in values]
    return tuple(dict.fromkeys(cleaned))


def tag(field: str, value: str | None) -> str | None:
    """One tag to filter by, as ``tags`` stores it."""
    if value is None:
        return None
    return text(field, value, TAG_MAX).lower()


# The only written forms of an amount and of a date: ASCII digits, no grouping, no surrounding
# space, no exponent (Python's Decimal() and date.fromisoformat() accept "1_000", " 5", digits of
# any script and the compact "20260101"); dates as ISO 8601's extended calendar form.
# What an amount may be written as: plain digits with an optional sign and point (up to a
# length no amount needs); a fraction finer than pence is then refused by ``money`` as a typed
# error naming the field.
DECIMAL_FORM = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def written_amount(value: str) -> Decimal:
    """A number written as ``DECIMAL_FORM`` (``1234.56``); raises ``ValueError`` for any other
    text (the GraphQL ``Decimal`` scalar's parser, ``schema.scalars``)."""
    if not DECIMAL_FORM.fullmatch(value):
        raise ValueError("write an amount as plain digits with a point, e.g. 1234.56")
    return Decimal(value)


def written_date(value: str) -> date:
    """A date written as ISO 8601's extended form ``YYYY-MM-DD``; raises ``ValueError`` for any
    other text or a day that does not exist (the GraphQL ``Date`` scalar's parser)."""
    if not DATE_FORM.fullmatch(value):
        raise ValueError("write a date as YYYY-MM-DD")
    return date.fromisoformat(value)


def money(field: str, value: Decimal | str | int | float) -> Decimal:
    """A non-negative amount in pounds with at most two decimal places; text only in
    ``DECIMAL_FORM`` (a finer fraction is then refused as such)."""
    if isinstance(value, bool):
        raise ValidationFailed(field, "must be an amount of money")
    if isinstance(value, str) and not DECIMAL_FORM.fullmatch(value):
        raise ValidationFailed(field, f"{value[:40]!r} is not an amount of money: write it as "
                                      f"digits with at most two decimal places, e.g. 1234.56")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(field, f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValidationFailed(field, "must be a finite amount")
    if amount < 0:
        raise ValidationFailed(field, "must not be negative")
    if amount > MONEY_MAX:
        raise ValidationFailed(field, f"must be at most {MONEY_MAX}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(field, "must have at most two decimal places (pence)")
    # abs() of zero drops the sign of "-0", which would otherwise be stored as "-0.00".
    return (abs(amount) if amount == 0 else amount).quantize(Decimal("0.01"))


def latest_date() -> date:
    """The last date any input may name: 31 December of the year ``YEARS_AHEAD`` from now
    (UTC)."""
    return date(datetime.now(UTC).year + YEARS_AHEAD, 12, 31)


def day(field: str, value: date) -> date:
    """A calendar date from ``EARLIEST_DATE`` to ``latest_date()``; raises
    ``ValidationFailed(field)`` otherwise (or for a value that is not a date)."""
    if not isinstance(value, date):
        raise ValidationFailed(field, "must be a date")
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationFailed(field, f"must be from {EARLIEST_DATE.isoformat()} to "
                                      f"{latest.isoformat()}")
    return value


def optional_day(field: str, value: date | None) -> date | None:
    return None if value is None else day(field, value)


def moment(field: str, value: datetime) -> datetime:
    """A point in time with its UTC offset, on a day ``day`` accepts (in UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed(field, "must be a time with its UTC offset")
    # The range is checked on the date as given: converting an instant near year 1 or 9999 to
    # UTC first could leave the range of datetime itself.
    day(field, value.date())
    return value.astimezone(UTC)


def date_order(first_field: str, first: date | None, last_field: str, last: date | None) -> None:
    """Refuse ``last`` before ``first`` (either may be missing), naming both fields."""
    if first is not None and last is not None and last < first:
        raise ValidationFailed(last_field, "must not be before {0}", first_field)


def idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    return text("idempotency_key", value, IDEMPOTENCY_KEY_MAX)
