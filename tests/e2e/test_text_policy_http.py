"""The text policy over real HTTP: a character of a refused Unicode category in a mutation's text
is a ValidationError naming the field, and nothing is stored; multi-line text keeps newline and
tab and stores a carriage return as a newline."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle import commands as c
from lifecycle.actor import Actor, CommandContext, Role
from lifecycle.application import LifecycleApplication
from tests.conftest import member, new_organisation
from tests.e2e.conftest import LiveServer
from tests.e2e.fuzzing import fuzz, post, sound

SUBMIT = """mutation S($input: SubmitIdeaInput!) { submitIdea(input: $input) {
  __typename ... on ValidationError { field message } } }"""
COMMENT = """mutation C($input: CommentOnIdeaInput!) { commentOnIdea(input: $input) {
  __typename ... on ValidationError { field message } } }"""
REFUSED: list[Any] = ["Cc", "Cf", "Co", "Cn", "Zl", "Zp"]  # Cs cannot travel in UTF-8 JSON


@pytest.fixture(scope="module")
def staff(app: LifecycleApplication) -> Actor:
    return member(new_organisation(app, "Hywel Dda UHB", ("Glangwili",)), Role.STAFF)


@pytest.fixture(scope="module")
def idea(app: LifecycleApplication, staff: Actor) -> UUID:
    return app.execute(c.SubmitIdea(title="Text policy", problem="p", proposal="q"),
                       CommandContext(staff)).aggregate_id


@fuzz(60)
@given(char=st.characters(categories=REFUSED, exclude_characters="\n\t\r"),
       field=st.sampled_from(["title", "problem", "proposal", "site"]))
def test_a_refused_character_in_an_ideas_text_is_a_validation_error_storing_nothing(
        live: LiveServer, app: LifecycleApplication, staff: Actor, char: str,
        field: str) -> None:
    head = app.store.head()
    idea = {"title": "Falls", "problem": "p", "proposal": "q", field: f"Falls{char}mats"}
    payload = sound(post(live, staff, SUBMIT, {"input": idea}))["data"]["submitIdea"]
    assert (payload["__typename"], payload["field"]) == ("ValidationError", field)
    assert f"U+{ord(char):04X}" in payload["message"]
    assert app.store.head() == head


def test_a_title_is_one_line(live: LiveServer, staff: Actor) -> None:
    for char in ("\n", "\t", "\r"):
        payload = sound(post(live, staff, SUBMIT, {"input": {
            "title": f"Falls{char}mats", "problem": "p", "proposal": "q"}}))["data"]["submitIdea"]
        assert (payload["__typename"], payload["field"]) == ("ValidationError", "title")


def test_a_comment_keeps_its_lines_and_tabs_with_carriage_returns_as_newlines(
        live: LiveServer, app: LifecycleApplication, staff: Actor, idea: UUID) -> None:
    payload = sound(post(live, staff, COMMENT, {"input": {
        "innovationId": str(idea), "text": "Line one\r\n\tLine two\rLine three"}}))
    assert payload["data"]["commentOnIdea"]["__typename"] == "CommentAdded"
    comment = next(iter(app.events.get(idea, gt=app.repository.get(idea).version - 1)))
    assert comment.text == "Line one\n\tLine two\nLine three"  # type: ignore[attr-defined]
