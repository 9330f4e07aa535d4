"""``lifecycle deliver``: the webhook delivery worker as a process of its own
(``lifecycle/cli.py`` registers it). What it needs is imported when it runs, so that the command
line starts fast."""

from __future__ import annotations


def deliver() -> None:
    """Deliver webhooks (one active worker per database; others stand by and take over).

    A lost database connection is logged and retried with backoff, forever; each endpoint
    resumes from its tracked position. SIGTERM or SIGINT stop it."""
    from lifecycle.cli import _settings
    from lifecycle.service.foreground import run_until_signalled
    from lifecycle.store import database
    from projections.partners.delivery import Deliverer

    settings = _settings()
    deliverer = Deliverer(database.resolve(settings).url, settings)
    run_until_signalled("webhook delivery", deliverer.run)
