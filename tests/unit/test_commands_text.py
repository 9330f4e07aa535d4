"""Commands refuse ill-formed text on construction, before anything reaches an aggregate: text
fields and their limits, tags, teams, staff groups, people's ids, sites and control characters."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable

import pytest

from lifecycle import commands as c
from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from lifecycle.vocabulary import STAFF_GROUPS, OrganisationKind
from tests.unit.command_fields import ID, OPTIONAL_CASES, TEXT_CASES, revise, submit


# -- text -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
@pytest.mark.parametrize("blank", ["", "   ", "\n\t "], ids=["empty", "spaces", "whitespace"])
def test_empty_or_blank_text_is_refused(build: Callable[[str], c.Command], field: str,
                                        limit: int, blank: str) -> None:
    with pytest.raises(ValidationFailed, match="must not be empty") as info:
        build(blank)
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
def test_text_over_its_limit_is_refused(build: Callable[[str], c.Command], field: str,
                                        limit: int) -> None:
    with pytest.raises(ValidationFailed,
                       match=f"must be at most {limit} characters \\(got {limit + 1}\\)") as info:
        build("x" * (limit + 1))
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field", "limit"), TEXT_CASES)
def test_text_at_its_limit_after_stripping_is_accepted(build: Callable[[str], c.Command],
                                                       field: str, limit: int) -> None:
    command = build("  " + "x" * limit + "  ")
    assert isinstance(command, c.Command)


@pytest.mark.parametrize(("build", "attr", "field", "limit"), OPTIONAL_CASES)
@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "spaces"])
def test_blank_optional_text_means_not_given(build: Callable[[str], c.Command], attr: str,
                                             field: str, limit: int, blank: str) -> None:
    assert getattr(build(blank), attr) is None


@pytest.mark.parametrize(("build", "attr", "field", "limit"), OPTIONAL_CASES)
def test_optional_text_over_its_limit_is_refused(build: Callable[[str], c.Command], attr: str,
                                                 field: str, limit: int) -> None:
    with pytest.raises(ValidationFailed, match=f"at most {limit} characters") as info:
        build("y" * (limit + 1))
    assert info.value.field == field


def test_text_is_stored_stripped() -> None:
    command = submit(title="  Virtual rounds \n", problem=" waits ", proposal="\tvideo ",
                     site=" Royal Glamorgan ")
    assert (command.title, command.problem, command.proposal, command.site) == (
        "Virtual rounds", "waits", "video", "Royal Glamorgan")


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="title: must be text"):
        submit(title=42)


# -- tags, team, staff group ----------------------------------------------------------------------
def test_more_than_the_maximum_number_of_tags_is_refused() -> None:
    with pytest.raises(ValidationFailed, match=f"at most {v.TAGS_MAX} tags") as info:
        submit(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX + 1)))
    assert info.value.field == "tags"


def test_too_many_tags_on_a_revision_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="tags: at most"):
        revise(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX + 1)))


def test_the_maximum_number_of_tags_is_accepted() -> None:
    assert len(submit(tags=tuple(f"tag{n}" for n in range(v.TAGS_MAX))).tags) == v.TAGS_MAX


def test_tags_are_stripped_lowercased_and_deduplicated_in_order() -> None:
    assert submit(tags=(" Frailty ", "digital", "FRAILTY", "Wards")).tags == (
        "frailty", "digital", "wards")


def test_a_team_of_more_than_fifty_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="at most 50 members") as info:
        c.AssignOwner(innovation_id=ID, owner="o", team=tuple(f"p{n}" for n in range(51)))
    assert info.value.field == "team"


def test_team_members_are_deduplicated() -> None:
    command = c.AssignOwner(innovation_id=ID, owner="o", team=("p1", "p2", "p1"))
    assert command.team == ("p1", "p2")


# Owners and team members are people's opaque ids: the subject rule, as for a token's ``sub``.
SUBJECT_FIELDS = [
    pytest.param(lambda t: c.AssignOwner(innovation_id=ID, owner=t), "owner", id="owner"),
    pytest.param(lambda t: c.AssignOwner(innovation_id=ID, owner="o", team=("p1", t)), "team",
                 id="team"),
]


@pytest.mark.parametrize(("build", "field"), SUBJECT_FIELDS)
@pytest.mark.parametrize(("bad", "reason"), [
    ("", "must not be empty"), ("x" * (v.SUBJECT_MAX + 1), "at most 255 characters"),
    (" person-1", "must not begin or end with space"), ("person-1\n", "begin or end"),
    ("person\t1", "U\\+0009"), ("person\u200b1", "U\\+200B"),
], ids=["empty", "long", "leading-space", "trailing-newline", "tab", "zero-width"])
def test_a_person_id_that_breaks_the_subject_rule_is_refused(
        build: Callable[[str], c.Command], field: str, bad: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason) as info:
        build(bad)
    assert info.value.field == field


@pytest.mark.parametrize(("build", "field"), SUBJECT_FIELDS)
def test_a_person_id_at_the_subject_limit_is_kept_exactly(build: Callable[[str], c.Command],
                                                          field: str) -> None:
    ident = "auth0|" + "x" * (v.SUBJECT_MAX - 6)
    command = build(ident)
    assert ident in (command.owner, *command.team)  # type: ignore[attr-defined]


def test_unknown_staff_group_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="must be one of: nursing_and_midwifery") as info:
        submit(staff_group="surgeons")
    assert info.value.field == "staff_group"


@pytest.mark.parametrize("group", STAFF_GROUPS)
def test_every_known_staff_group_is_accepted(group: str) -> None:
    assert submit(staff_group=group).staff_group == group


def test_registering_sites_that_differ_only_in_case_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="different name") as refused:
        c.RegisterOrganisation(name="Cwm Taf", kind=OrganisationKind.TRUST,
                               sites=("Prince Charles", "prince charles"))
    assert refused.value.field == "sites"


@pytest.mark.parametrize("bad", ["nul\x00byte", "bell\x07", "escape\x1b[31m", "del\x7f"])
def test_text_with_control_characters_is_refused(bad: str) -> None:
    with pytest.raises(ValidationFailed, match="a control character") as refused:
        c.SubmitIdea(title=bad, problem="p", proposal="q")
    assert refused.value.field == "title"


def test_tabs_and_newlines_are_allowed_in_text() -> None:
    assert c.SubmitIdea(title="t", problem="line one\n\tline two\r\n", proposal="q").problem \
        == "line one\n\tline two"


def test_every_text_field_of_every_command_is_declared_with_a_checked_kind() -> None:
    """A command's text reaches the log as given unless its field has a kind from
    ``lifecycle/checks.py``: a bare ``str`` field would skip the text policy."""
    everything = [getattr(c, name) for name in c.__all__]
    commands = [k for k in everything if isinstance(k, type) and issubclass(k, c.Command)]
    assert len(commands) > 30
    for command in commands:
        hints = typing.get_type_hints(command, include_extras=True)
        for field in dataclasses.fields(command):
            kind = hints[field.name]
            if kind in (str, str | None):
                pytest.fail(f"{command.__name__}.{field.name} is text with no checked kind")
