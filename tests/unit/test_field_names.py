"""The domain names inputs in its own words (snake_case, as the commands' fields are); the API
names them as its schema does (camelCase), in one place: ``schema/errors.py``."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import lifecycle
from lifecycle import validation as v
from lifecycle.errors import ValidationFailed
from schema.errors import ValidationError, from_domain, graphql_name, said

SNAKE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
VALIDATION_FUNCTIONS = {name for name, value in vars(v).items()
                        if inspect.isfunction(value) and value.__module__ == v.__name__}


def named_fields(tree: ast.AST) -> list[tuple[int, str]]:
    """The literal field names given to ``ValidationFailed`` and the validation functions."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else \
            node.func.id if isinstance(node.func, ast.Name) else ""
        if callee == "ValidationFailed" or callee in VALIDATION_FUNCTIONS:
            positions = (0, 2) if callee == "date_order" else (0,)
            found.extend((node.lineno, arg.value) for i, arg in enumerate(node.args)
                         if i in positions and isinstance(arg, ast.Constant)
                         and isinstance(arg.value, str))
    return found


def test_the_domain_names_every_field_it_refuses_in_snake_case() -> None:
    root = Path(lifecycle.__file__).parent
    camel = [f"{path.relative_to(root)}:{line} {name!r}"
             for path in root.rglob("*.py")
             for line, name in named_fields(ast.parse(path.read_text()))
             if not SNAKE.fullmatch(name)]
    assert not camel


@pytest.mark.parametrize(("domain", "api"), [
    ("closes_on", "closesOn"),
    ("idempotency_key", "idempotencyKey"),
    ("filter.submitted_from", "filter.submittedFrom"),
    ("observations[2024-01-01]", "observations[2024-01-01]"),
    ("title", "title"),
    ("consistentWith", "consistentWith"),
])
def test_the_api_names_an_input_in_camel_case(domain: str, api: str) -> None:
    assert graphql_name(domain) == api


def test_a_refusal_that_names_two_inputs_names_both_as_the_api_does() -> None:
    with pytest.raises(ValidationFailed) as refused:
        v.date_order("opens_on", v.EARLIEST_DATE, "closes_on", v.EARLIEST_DATE.replace(year=1899))
    assert refused.value.message == "closes_on: must not be before opens_on"
    error = from_domain(refused.value)
    assert isinstance(error, ValidationError)
    assert (error.field, error.message) == ("closesOn", "closesOn: must not be before opensOn")
    assert said(refused.value) == "closesOn: must not be before opensOn"


def test_a_reason_with_braces_from_the_input_is_said_as_it_is() -> None:
    refused = ValidationFailed("site", "Cwm Taf has no site called '{ward}'")
    assert said(refused) == "site: Cwm Taf has no site called '{ward}'"
