"""Carrying out a command from a mutation: ``carry_out`` is the one path from a mutation's input
to its payload; ``command_input``, what every mutation input is (the fields every one shares,
and how it becomes its command); ``mutation``, the one resolver every mutation has; and
``Change``, what every success payload carries."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, ClassVar, Protocol, Self, TypeVar
from uuid import UUID

import strawberry
from strawberry.utils.str_converters import to_camel_case

from lifecycle import errors as domain
from lifecycle.application import Outcome
from lifecycle.commands import Command
from lifecycle.innovations.commands import ReasonedCommand
from schema import positions
from schema.context import Context
from schema.errors import CommandError, from_domain
from schema.ids import required_id, uuid_or_none

S = TypeVar("S")
R = TypeVar("R", bound="CommandInput")
T = TypeVar("T")


@strawberry.interface(description="A command was carried out: where its events are in the log.")
class Change:
    position: str = strawberry.field(
        description="Opaque cursor of the log position of the command's last event.")
    replayed: bool = strawberry.field(
        description="True when this repeats an earlier request with the same idempotency key.")

    @classmethod
    def fact(cls, name: str, description: str, *, created: str | None = None) -> type[Self]:
        """A strawberry type for the fact ``name`` (past tense: ``IdeaRevised``) that a command
        changed what this kind of change carries, with ``created`` (if given) the ID field
        that carries the id of what the command made."""
        body: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": name,
                                "__annotations__": {created: strawberry.ID} if created else {}}
        if created:
            body["created"] = created
        declared: type[Self] = strawberry.type(type(name, (cls,), body), description=description)
        return declared

    @staticmethod
    def receipt(ctx: Context, outcome: Outcome) -> dict[str, Any]:
        """The ``Change`` fields of a payload for ``outcome``."""
        return {"position": positions.encode(ctx.service.epoch, outcome.position),
                "replayed": outcome.replayed}


async def read_position(ctx: Context, outcome: Outcome) -> int:
    """The log position a payload's object is read at (from the read models, once they reach
    it): the command's own last event, or for a replay, whose position is the original write's,
    the log's head now, so that the object is as it now is."""
    return await ctx.service.head() if outcome.replayed else outcome.position


def now_description(noun: str) -> str:
    """How a payload describes the object a command changed."""
    return (f"The {noun} as it is now: after the change, or its current state when the request "
            "is a replay (whose position is the original write's).")


class Request(Protocol):
    """A mutation's input: every one may carry an idempotency key."""

    @property
    def idempotency_key(self) -> str | None: ...


def key_field() -> Any:
    """The ``idempotencyKey`` field every mutation input has."""
    return strawberry.field(default=None, description=(
        "Send the same key again to repeat the request safely: it is carried out once and the "
        "original result returned (with replayed: true)."))


def version_field() -> Any:
    """The ``expectedVersion`` field of inputs addressed to an existing aggregate."""
    return strawberry.field(default=None, description=(
        "The version you last saw; if it has changed since, the answer is a "
        "VersionConflictError and nothing is stored."))


async def carry_out(ctx: Context, request: Request, build: Callable[[], Command],
                    present: Callable[[Context, Outcome], Awaitable[S]]) -> S | CommandError:
    """Build the command (input checks run here), execute it as the caller and present the
    outcome; any refusal on the way becomes the payload's typed error, with nothing stored.
    An anonymous caller gets the authentication error before any input is looked at."""
    # Only inputs addressed to an existing aggregate have an expected version.
    expected: int | None = getattr(request, "expected_version", None)
    caller = ctx.command(idempotency_key=request.idempotency_key, expected_version=expected)
    try:
        outcome = await ctx.service.execute(build(), caller)
        return await present(ctx, outcome)
    except domain.DomainError as error:
        return from_domain(error)


class CommandInput:
    """A mutation's input, declared with ``command_input``: the opaque id of the aggregate its
    command changes (if it changes one), its own fields, then ``expectedVersion`` (with an
    address) and ``idempotencyKey``. Its fields become the command's of the same names."""

    command: ClassVar[type[Command]]
    answer: ClassVar[type[Fact] | None]  # the fact its mutation answers (None: a base input)
    does: ClassVar[str | None]  # its mutation's description
    command_fields: ClassVar[dict[str, Any]]  # the command's fields' names and types
    idempotency_key: str | None

    def to_command(self) -> Command:
        """The command, field by field from the input's fields of the same snake_case names:
        opaque ids become UUIDs (``ValidationFailed`` naming the camelCase field if one is
        not), lists become tuples, and a nested input becomes its domain value
        (``to_domain``). An input whose command is not its fields one for one overrides it."""
        return self.command(**{
            name: _domain(to_camel_case(name), kind, getattr(self, name))
            for name, kind in self.command_fields.items()})


def _domain(name: str, kind: Any, value: Any) -> Any:
    """``value`` of the input's field ``name`` as the command's field of type ``kind`` holds it."""
    if kind is UUID:
        return required_id(name, value)
    if kind == UUID | None:
        return uuid_or_none(name, value)
    if typing.get_origin(kind) is tuple and isinstance(value, list):
        item = typing.get_args(kind)[0]
        return tuple(_domain(name, item, v) for v in value)
    to_domain = getattr(value, "to_domain", None)
    return value if to_domain is None else to_domain()


def command_input(command: type[Command], answer: type[Fact] | None = None,
                  does: str | None = None, *, description: str | None = None
                  ) -> Callable[[type[R]], type[R]]:
    """Declares a strawberry input for ``command`` and, with ``answer`` and ``does``, its
    mutation (made by ``mutations``): ``does`` describes it, ``answer`` is the fact it answers
    on success. A class whose body holds the input's own fields gets, in this order, the field
    naming the aggregate the command changes (``command.address``, an opaque ID), its own
    fields, ``expectedVersion`` (only with an address) and ``idempotencyKey``. Fields a base
    input declares keep their places."""

    def declare(cls: type[R]) -> type[R]:
        own: dict[str, Any] = inspect.get_annotations(cls)
        shared: dict[str, Any] = {}
        if command.address is not None:
            shared[command.address] = strawberry.ID
        fields = {**shared, **own}
        if command.address is not None:
            fields["expected_version"] = int | None
            cls.expected_version = version_field()  # type: ignore[attr-defined]
        fields["idempotency_key"] = str | None
        cls.idempotency_key = key_field()
        cls.__annotations__ = fields
        cls.command, cls.answer, cls.does = command, answer, does
        types = typing.get_type_hints(command)
        cls.command_fields = {f.name: types[f.name] for f in dataclasses.fields(command) if f.init}
        declared: type[R] = strawberry.input(cls, description=description)
        return declared

    return declare


class Fact(Protocol):
    """A mutation's success payload: what its command did, made from the outcome."""

    @classmethod
    async def of(cls, ctx: Context, outcome: Outcome) -> Any: ...


def mutation(input: type[CommandInput]) -> Any:
    """The mutation that carries out ``input``'s command and answers its payload: the union
    ``<Name>Payload`` (after the input's ``<Name>Input``) of its fact and ``CommandError``, the
    typed refusals."""
    fact, name = input.answer, input.__name__.removesuffix("Input")
    if fact is None or input.does is None:
        raise TypeError(f"{input.__name__} declares no mutation (no answer or description)")
    # A type made at run time, for strawberry to read (the resolver's types are not mypy's).
    payload = Annotated[fact | CommandError,  # type: ignore[valid-type]
                        strawberry.union(f"{name}Payload")]

    async def resolve(info: strawberry.Info[Context, None], input: CommandInput) -> Any:
        return await carry_out(info.context, input, input.to_command, fact.of)

    resolve.__annotations__ = {"info": strawberry.Info[Context, None], "input": input,
                               "return": payload}
    return strawberry.mutation(resolver=resolve, description=input.does)


def mutations(*inputs: type[CommandInput]) -> Callable[[type[T]], type[T]]:
    """Makes a class the strawberry type of the mutations of ``inputs``, in that order, each
    named after its input in snake_case (``ReviseIdeaInput``: ``revise_idea``, in the API
    ``reviseIdea``)."""

    def compose(cls: type[T]) -> type[T]:
        for input in inputs:
            words = re.findall(r"[A-Z][a-z]*", input.__name__.removesuffix("Input"))
            setattr(cls, "_".join(words).lower(), mutation(input))
        composed: type[T] = strawberry.type(cls)
        return composed

    return compose


@command_input(ReasonedCommand,
               description="A decision about an innovation, which must say why.")
class ReasonedInput(CommandInput):
    """The base of the inputs whose command is a ``ReasonedCommand``; each names its own."""

    innovation_id: strawberry.ID
    reason: str
    expected_version: int | None
