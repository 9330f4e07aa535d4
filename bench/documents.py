"""What a GraphQL document costs before it runs: the checks of ``schema.documents`` beside the
checks they replaced, and beside the ceiling of parsing the same document alone.

For each document (built to stay under the token limit): the time to parse it alone with
graphql-core (the ceiling: any check has to read the document), the time the old checks took
(strawberry's depth and alias validators and graphql-core's validation with its default work
budget, as ``schema/limits.py`` ran them before), and the time the pipeline takes to answer it
from cold (length, tokens, the one-pass structural limits, validation). Times are the median
of ``--repeat`` runs; ratios are against parsing alone.

Then the event loop: two clients send the same document with a unique comment each time (which
defeated the old cache, keyed by text), once with the pipeline run on the event loop (as
strawberry's own parsing and validation ran) and once as the service runs it (a worker thread);
a ticker measures how late the loop wakes it (``asyncio.sleep(0.001)``).

Run: ``python -m bench.documents`` (``--help`` for the knobs). No database needed. With
``--url`` of a running ``lifecycle serve``, it measures instead how long ``/readyz`` takes while
two client processes send the attack documents with a unique comment each, over real HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx
from graphql import GraphQLSchema, parse, specified_rules, validate
from graphql.validation.rules import overlapping_fields_can_be_merged
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from bench.api import PAGE
from lifecycle.service.settings import Mode, Settings
from schema.documents.pipeline import Documents
from schema.root import build

GRAPHQL_CORE_BUDGET = 500_000  # graphql-core's default, which the old checks ran with


def fragments(count: int, aliased: bool = False) -> str:
    """The issue's document: ``count`` fragments, each spreading the next twice; ``aliased``,
    with an alias in each (the old alias count walked every path)."""
    parts = ["query Q { ...F0 }"]
    for i in range(count):
        below = f"...F{i + 1} ...F{i + 1}" if i < count - 1 else "__typename"
        alias = f"a{i}: __typename " if aliased else ""
        parts.append(f"fragment F{i} on Query {{ {alias}{below} }}")
    return "\n".join(parts)


def repeated(field: str, times: int, sets: int = 1) -> str:
    return "{ " + " ".join(f"s{k}: me {{ {' '.join([field] * times)} }}"
                           for k in range(sets)) + " }" if sets > 1 else \
        "{ " + " ".join([field] * times) + " }"


def fragment_ladder(count: int) -> str:
    """Fragments that each add a field and spread the next twice: every fragment's fields
    reach the top selection set, so graphql-core compares them pairwise."""
    parts = ["query Q { ...F0 }"]
    for i in range(count):
        below = f"...F{i + 1} ...F{i + 1}" if i < count - 1 else ""
        parts.append(f"fragment F{i} on Query {{ me {{ subject }} {below} }}")
    return "\n".join(parts)


DOCUMENTS: dict[str, str] = {
    "page query (valid)": PAGE,
    "19 fragments spread twice": fragments(19),
    "19 aliased fragments": fragments(19, aliased=True),
    "495 x me { subject }": repeated("me { subject }", 495),
    "1990 x __typename": repeated("__typename", 1990),
    "100 x me { subject } (at the cap)": repeated("me { subject }", 100),
    "19 sets of 100 x subject": repeated("subject", 100, sets=19),
    "fragment ladder of 100": fragment_ladder(100),
    "fragment ladder of 45 (under limits)": fragment_ladder(45),
    "3 sets of 100 x subject (under limits)": repeated("subject", 100, sets=3),
    "deep nesting (199)": "{" + "me {" * 199 + "subject" + "}" * 199 + "}",
}


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def old_checks(schema: GraphQLSchema, settings: Settings) -> Callable[[str], object]:
    """The checks before this pipeline: graphql-core's rules with strawberry's depth and alias
    validators, graphql-core's default work budget, parsed with the token limit."""
    rules = [*specified_rules, depth_rule(settings.max_query_depth, None),
             aliases_rule(settings.max_aliases)]

    def check(text: str) -> object:
        overlapping_fields_can_be_merged.MAX_COMPLEXITY_BUDGET = GRAPHQL_CORE_BUDGET
        try:
            return validate(schema, parse(text, max_tokens=settings.max_tokens), rules)
        except Exception as error:  # the old validators crashed on some documents
            return error

    return check


def _old_in_child(text: str, repeat: int, answer: Any) -> None:
    settings = Settings(mode=Mode.PRODUCTION)
    check = old_checks(build(settings)._schema, settings)
    answer.put(median_seconds(lambda: check(text), repeat))


def old_seconds(text: str, repeat: int, timeout: float) -> float | None:
    """The old checks' median time, in a child process that is stopped after ``timeout``
    seconds (they walk every path through the fragments: 2**100 steps for some documents)."""
    context = multiprocessing.get_context("spawn")
    answer = context.Queue()
    child = context.Process(target=_old_in_child, args=(text, repeat, answer))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    seconds: float = answer.get()
    return seconds


def outcome(documents: Documents, text: str, schema: GraphQLSchema) -> str:
    prepared = documents.prepare_now(text, schema)
    if not prepared.errors:
        return "runs"
    return ",".join(sorted({str((e.extensions or {}).get("code")) for e in prepared.errors}))


def documents_table(repeat: int, old_repeat: int, timeout: float) -> None:
    settings = Settings(mode=Mode.PRODUCTION)
    schema = build(settings)._schema
    print(f"{'document':36} {'tokens':>6} {'parse':>9} {'old checks':>11} {'old/parse':>9} "
          f"{'pipeline':>9} {'new/parse':>9}  answer")
    for name, text in DOCUMENTS.items():
        tokens = getattr(parse(text), "token_count", 0)
        ceiling = median_seconds(lambda t=text: parse(t), repeat)  # type: ignore[misc]
        before = old_seconds(text, old_repeat, timeout)
        after = median_seconds(  # a fresh pipeline each time: nothing cached
            lambda t=text: Documents(settings).prepare_now(t, schema), repeat)  # type: ignore[misc]
        old = (f"{before * 1e3:9.1f}ms {before / ceiling:8.1f}x" if before is not None
               else f"{'> ' + str(int(timeout)) + ' s':>11} {'':9}")
        print(f"{name:36} {tokens:6} {ceiling * 1e3:7.2f}ms {old} "
              f"{after * 1e3:7.2f}ms {after / ceiling:8.1f}x  "
              f"{outcome(Documents(settings), text, schema)}")


async def loop_lateness(inline: bool, text: str,
                        requests: int) -> tuple[float, float, float, float]:
    """Two clients send ``requests`` variants of ``text`` each (a unique comment apiece); the
    ticker's lateness while they run: median, 99th percentile and max in ms, and the clients'
    wall time in s."""
    settings = Settings(mode=Mode.PRODUCTION)
    schema = build(settings)._schema
    documents = Documents(settings)
    await documents.prepare(text, schema)  # imports and graphql-core's first-use caches
    lateness: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            lateness.append(time.perf_counter() - started - 0.001)

    async def client(number: int) -> None:
        for n in range(requests):
            variant = f"# client {number} request {n}\n{text}"
            if inline:
                documents.prepare_now(variant, schema)
                await asyncio.sleep(0)
            else:
                await documents.prepare(variant, schema)

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(client(1), client(2))
    wall = time.perf_counter() - started
    done.set()
    await tick
    ordered = sorted(lateness)
    return (statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.99)] * 1e3,
            ordered[-1] * 1e3, wall)


def loop_table(requests: int) -> None:
    print(f"\nevent loop while two clients send {requests} unique-comment variants each")
    print(f"{'document':36} {'where':8} {'median late':>12} {'p99 late':>10} {'max late':>10} "
          f"{'wall':>8}")
    for name in ("page query (valid)", "100 x me { subject } (at the cap)"):
        for inline in (True, False):
            median, p99, most, wall = asyncio.run(
                loop_lateness(inline, DOCUMENTS[name], requests))
            print(f"{name:36} {'loop' if inline else 'worker':8} {median:10.2f}ms "
                  f"{p99:8.1f}ms {most:8.1f}ms {wall:7.2f}s")


ATTACKS = ("19 fragments spread twice", "495 x me { subject }",
           "100 x me { subject } (at the cap)")


def _attack(url: str, number: int, seconds: float) -> None:
    """One anonymous client: the attack documents, a unique comment on each, for ``seconds``."""
    deadline = time.monotonic() + seconds
    sent = 0
    with httpx.Client(timeout=120) as client:
        while time.monotonic() < deadline:
            text = DOCUMENTS[ATTACKS[sent % len(ATTACKS)]]
            client.post(f"{url}/graphql", json={"query": f"# {number} {sent}\n{text}"})
            sent += 1


def readiness(url: str, seconds: float) -> None:
    """``/readyz`` latency alone, then while two client processes attack."""

    def probe(client: httpx.Client, until: float) -> list[float]:
        taken = []
        while time.monotonic() < until:
            started = time.perf_counter()
            client.get(f"{url}/readyz")
            taken.append(time.perf_counter() - started)
            time.sleep(0.05)
        return taken

    context = multiprocessing.get_context("spawn")
    with httpx.Client(timeout=120) as client:
        quiet = probe(client, time.monotonic() + 3)
        clients = [context.Process(target=_attack, args=(url, n, seconds)) for n in (1, 2)]
        for process in clients:
            process.start()
        time.sleep(1)  # the clients' imports
        loaded = probe(client, time.monotonic() + seconds - 1)
        for process in clients:
            process.join()
    for label, taken in (("alone", quiet), ("under attack", loaded)):
        ordered = sorted(taken)
        print(f"/readyz {label:13} n={len(taken):4} median {statistics.median(taken) * 1e3:8.1f}"
              f"ms  p99 {ordered[int(len(ordered) * 0.99)] * 1e3:8.1f}ms  "
              f"max {ordered[-1] * 1e3:8.1f}ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="runs per figure (median)")
    parser.add_argument("--old-repeat", type=int, default=3,
                        help="runs of the old checks (seconds each on some documents)")
    parser.add_argument("--old-timeout", type=float, default=60,
                        help="seconds before the old checks of one document are stopped")
    parser.add_argument("--requests", type=int, default=100,
                        help="documents per client in the event-loop measurement")
    parser.add_argument("--url", help="a running server: measure /readyz under attack instead")
    parser.add_argument("--seconds", type=float, default=20, help="length of the attack")
    arguments: Any = parser.parse_args(argv)
    if arguments.url:
        readiness(arguments.url.rstrip("/"), arguments.seconds)
        return
    documents_table(arguments.repeat, arguments.old_repeat, arguments.old_timeout)
    loop_table(arguments.requests)


if __name__ == "__main__":
    main()
