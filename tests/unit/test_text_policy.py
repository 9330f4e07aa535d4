"""The text policy (lifecycle/validation.py), generated over Unicode's general categories: what
each category does in single-line and multi-line text, for every command's text fields; and the
date range every date input is held to."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from lifecycle.vocabulary import FundingSource, InvolvementKind, PrototypeOutcome
from tests.unit.command_fields import DAY, ID, OTHER_ID, TEXT_FIELDS

# (Any: hypothesis types its category names as literals)
REFUSED: list[Any] = ["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"]
ALLOWED: list[Any] = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc",
                      "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs"]
# What ``str.strip`` takes for space among the refused categories.
REFUSED_SPACE = [chr(n) for n in range(0x3001) if chr(n).isspace() and chr(n) not in "\n\t\r"
                 and unicodedata.category(chr(n)) in REFUSED]
# The multi-line fields of the commands (TEXT_FIELDS names every text field of every command).
MULTILINE = {"problem", "proposal", "text", "reason", "learning", "description", "hypothesis",
             "plan", "result", "evidence", "recommendation", "rationale", "adaptation"}
FIELDS = [pytest.param(build, name, limit, id=case) for case, build, name, limit in TEXT_FIELDS]


def inside(char: str) -> str:
    """``char`` between letters, so that stripping cannot remove it."""
    return f"Falls{char}prevention"


@settings(max_examples=300)
@given(char=st.characters(categories=REFUSED, exclude_characters="\n\t"),
       multiline=st.booleans())
def test_a_character_of_a_refused_category_is_refused_in_any_text(char: str,
                                                                  multiline: bool) -> None:
    if multiline and char == "\r":
        return  # a carriage return in multi-line text becomes a newline (tested below)
    with pytest.raises(ValidationFailed) as refused:
        v.text("title", inside(char), 200, multiline=multiline)
    assert f"U+{ord(char):04X}" in refused.value.reason
    assert unicodedata.category(char) in refused.value.reason


@settings(max_examples=300)
@given(chars=st.text(st.characters(categories=ALLOWED), min_size=1, max_size=30),
       multiline=st.booleans())
def test_text_of_the_allowed_categories_is_kept_as_sent_in_nfc(chars: str,
                                                              multiline: bool) -> None:
    value = unicodedata.normalize("NFC", inside(chars))
    marks = longest_marks(value)
    if marks > v.MARKS_MAX:
        with pytest.raises(ValidationFailed, match="combining marks"):
            v.text("title", inside(chars), 200, multiline=multiline)
    else:
        assert v.text("title", inside(chars), 200, multiline=multiline) == value


def longest_marks(value: str) -> int:
    longest = run = 0
    for char in value:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        longest = max(longest, run)
    return longest


@settings(max_examples=200)
@given(char=st.sampled_from(REFUSED_SPACE),
       padding=st.sampled_from([" ", "\n", "\t", "\r\n", "\u00a0"]))
def test_a_refused_character_is_refused_even_among_the_surrounding_space(char: str,
                                                                         padding: str) -> None:
    """What ``strip`` takes away as space (a file separator, NEL, U+2028) is refused, not
    dropped."""
    with pytest.raises(ValidationFailed, match=f"U\\+{ord(char):04X}"):
        v.text("title", f"Falls{padding}{char}{padding}", 200)


@pytest.mark.parametrize(("char", "name"), [
    ("\r", "carriage return"), ("\x85", "C1 control (NEL)"), ("\x9f", "C1 control"),
    ("\u202e", "right-to-left override"), ("\u2066", "left-to-right isolate"),
    ("\u200b", "zero-width space"), ("\u200d", "zero-width joiner"), ("\ufeff", "BOM"),
    ("\ufdd0", "noncharacter"), ("\uffff", "noncharacter"), ("\U0010fffe", "noncharacter"),
    ("\ue000", "private use"), ("\ud800", "lone surrogate"), ("\u2028", "line separator"),
    ("\x00", "NUL"),
], ids=lambda v: v if isinstance(v, str) and v.isascii() and v.isprintable() else repr(v))
@pytest.mark.parametrize(("build", "field", "limit"), FIELDS)
def test_every_text_field_refuses_what_the_readme_says_is_refused(
        build: Callable[[str], c.Command], field: str, limit: int, char: str,
        name: str) -> None:
    if char == "\r" and field in MULTILINE:
        assert "\r" not in texts(build(inside(char)))
        return
    with pytest.raises(ValidationFailed) as refused:
        build(inside(char))
    assert refused.value.field == field


def texts(command: c.Command) -> str:
    """Every value a command holds, as one text."""
    return " ".join(map(str, dataclasses.asdict(command).values()))


@pytest.mark.parametrize(("build", "field", "limit"), FIELDS)
def test_newline_and_tab_are_kept_in_multi_line_text_and_refused_in_single_line_text(
        build: Callable[[str], c.Command], field: str, limit: int) -> None:
    for char in ("\n", "\t"):
        if field in MULTILINE:
            assert char in texts(build(inside(char)))
        else:
            with pytest.raises(ValidationFailed, match=f"U\\+{ord(char):04X}"):
                build(inside(char))


def test_a_carriage_return_in_multi_line_text_becomes_a_newline() -> None:
    command = c.CommentOnIdea(ID, "first line\r\nsecond line\rthird line\r\n")
    assert command.text == "first line\nsecond line\nthird line"


def test_text_in_any_script_with_its_marks_and_symbols_is_kept() -> None:
    for title in ("Gwella gofal ŵyr a ŷd", "Снижение падений", "減少跌倒", "تقليل السقوط",
                  "गिरने में कमी", "Falls ↓ 20% — £5k/yr 🏥", "e\u0301 combining", "a\u00a0b",
                  "ཧྐྵྨླ", "Tiếng Việt"):
        expected = unicodedata.normalize("NFC", title)
        assert c.SubmitIdea(title=title, problem="p", proposal="q").title == expected


@pytest.mark.parametrize("typed", ["Cafe\u0301", "Caf\u00e9", "CAFE\u0301"])
def test_text_is_stored_in_nfc_and_tags_that_read_the_same_are_one_tag(typed: str) -> None:
    assert v.text("title", typed, 200) == unicodedata.normalize("NFC", typed)
    assert v.tags("tags", [typed, "caf\u00e9"]) == ("caf\u00e9",)


@pytest.mark.parametrize("blank", ["\u3164", "\u2800", "\u115f\u1160", "\uffa0 \u3164",
                                   "\u0301", " \u0301\u0302 ", "\u034f", "\ufe0f",
                                   "\U000e0100"])
@pytest.mark.parametrize("multiline", [False, True])
def test_text_that_shows_nothing_is_blank(blank: str, multiline: bool) -> None:
    with pytest.raises(ValidationFailed, match="must not be blank"):
        v.text("title", blank, 200, multiline=multiline)
    assert v.optional_text("name", blank, 200, multiline=multiline) is None
    # beside something visible they are text like any other
    assert v.text("title", f"a{blank}", 200, multiline=multiline)


def test_more_than_the_allowed_marks_stacked_on_one_character_is_refused() -> None:
    four = "x" + "\u0301\u0302\u0303\u0304"
    assert v.text("title", four, 200) == four
    with pytest.raises(ValidationFailed, match="more than 4 combining marks"):
        v.text("title", four + "\u0305", 200)
    with pytest.raises(ValidationFailed, match="combining marks"):
        c.SubmitIdea(title="Z" + "\u0336\u0337\u0338\u0334\u0335" * 3, problem="p",
                     proposal="q")


def test_refusing_is_linear_in_the_length_of_the_text() -> None:
    # a megabyte of padding or of text is looked at once: each distinct character once
    with pytest.raises(ValidationFailed, match="at most 200"):
        v.text("title", "x" * 1_000_000, 200)
    assert v.text("title", " " * 1_000_000 + "Falls" + "\n" * 1_000_000, 200) == "Falls"


# -- dates ----------------------------------------------------------------------------------------
ONE = Decimal(1)


def opening(end: date) -> date:
    """A start for a range ending on ``end``: in range itself, and not after ``end`` if it can."""
    return v.EARLIEST_DATE if end < DAY else DAY


DATE_FIELDS: list[tuple[str, Callable[[date], Any], str]] = [
    ("OpenChallenge.opens_on", lambda d: c.OpenChallenge("t", "p", d, max(d, DAY)), "opens_on"),
    ("OpenChallenge.closes_on", lambda d: c.OpenChallenge("t", "p", opening(d), d), "closes_on"),
    ("RecordInvolvement.involved_on",
     lambda d: c.RecordInvolvement(ID, InvolvementKind.STAKEHOLDER, "g", "d", d), "involved_on"),
    ("StartPrototype.started_on", lambda d: c.StartPrototype(ID, "t", "h", "p", d), "started_on"),
    ("CompletePrototype.completed_on",
     lambda d: c.CompletePrototype(ID, OTHER_ID, PrototypeOutcome.FAILED, "r", "l", d),
     "completed_on"),
    ("RecordFunding.starts_on",
     lambda d: c.RecordFunding(ID, FundingSource.CHARITY, "f", ONE, d), "starts_on"),
    ("RecordFunding.ends_on",
     lambda d: c.RecordFunding(ID, FundingSource.CHARITY, "f", ONE, opening(d), ends_on=d),
     "ends_on"),
    ("StartAdoption.started_on", lambda d: c.StartAdoption(ID, OTHER_ID, "a", d), "started_on"),
    ("SustainAdoption.sustained_on",
     lambda d: c.SustainAdoption(ID, "r", adoption_id=OTHER_ID, sustained_on=d), "sustained_on"),
    ("AbandonAdoption.abandoned_on",
     lambda d: c.AbandonAdoption(ID, "r", adoption_id=OTHER_ID, abandoned_on=d), "abandoned_on"),
    ("RecordObservations.on",
     lambda d: c.RecordObservations(ID, (c.ObservationInput(d, 1.0),)), "observations"),
    ("StartPhase.starts_on", lambda d: c.StartPhase(ID, d, "d", "r"), "starts_on"),
]
DATES = [pytest.param(build, field, id=case) for case, build, field in DATE_FIELDS]


def ten_years_on() -> date:
    return date(datetime.now(UTC).year + v.YEARS_AHEAD, 12, 31)


@pytest.mark.parametrize("day", [date(97, 6, 1), date(1899, 12, 31), date(2962, 1, 1),
                                 date(1, 1, 1), date(9999, 12, 31)], ids=str)
@pytest.mark.parametrize(("build", "field"), DATES)
def test_a_date_outside_the_sane_range_is_refused(build: Callable[[date], Any], field: str,
                                                  day: date) -> None:
    with pytest.raises(ValidationFailed, match="from 1900-01-01 to") as refused:
        build(day)
    assert refused.value.field == field


@pytest.mark.parametrize(("build", "field"), DATES)
def test_the_ends_of_the_date_range_are_accepted(build: Callable[[date], Any],
                                                 field: str) -> None:
    build(v.EARLIEST_DATE)
    build(ten_years_on())
    with pytest.raises(ValidationFailed):
        build(ten_years_on() + timedelta(days=1))


@pytest.mark.parametrize("written", ["1_000", " 5", "5 ", "\u0665", "1e3", "+5", "5.", ".5",
                                     "1,000", "Infinity", "NaN", "0x10"])
def test_an_amount_is_read_only_in_its_plain_form(written: str) -> None:
    with pytest.raises(ValueError, match=r"1234\.56"):
        v.written_amount(written)
    with pytest.raises(ValidationFailed, match=r"1234\.56"):
        v.money("amount", written)


@pytest.mark.parametrize("written", ["0", "5", "1234.56", "-1.50", "0.5"])
def test_an_amount_in_its_plain_form_is_read(written: str) -> None:
    assert v.written_amount(written) == Decimal(written)


@pytest.mark.parametrize("written", ["20260101", "2026-1-1", "2026-W01-1", "2026-001",
                                     "\u0662\u0660\u0662\u0666-01-01", " 2026-01-01",
                                     "2026-01-01T00:00"])
def test_a_date_is_read_only_as_yyyy_mm_dd(written: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        v.written_date(written)


def test_a_date_as_yyyy_mm_dd_is_read() -> None:
    assert v.written_date("2026-01-05") == date(2026, 1, 5)
