"""What a webhook delivery carries, in the ecosystem's conventions, so that a partner needs no
code of ours to read it:

- the body is a CloudEvents 1.0 event in structured JSON (``application/cloudevents+json``):
  ``id`` the log position, ``source`` the service (``webhook_source``), ``type`` the event's
  stable name, ``subject`` the innovation, ``time`` when the log recorded it, ``data`` what the
  receiving organisation may see of it at that position (``data`` below), built and written by
  the ``cloudevents`` package;
- the headers are Standard Webhooks' (``webhook-id``: the position, the same on every retry,
  for receivers to deduplicate; ``webhook-timestamp``; ``webhook-signature: v1,<base64
  HMAC-SHA256>``), signed by the ``standardwebhooks`` package with the endpoint's secret.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks import Webhook

from projections.partners.audience import Happening


def data(happening: Happening, viewer: UUID) -> dict[str, Any]:
    """What ``viewer`` is told of an event it sees: what it is about, the stage it left the
    innovation in, and the scope at which it saw the innovation there. The content itself is
    read through the API, under the same rule."""
    return {
        "position": happening.position,
        "innovationId": str(happening.innovation_id),
        "measureId": None if happening.measure_id is None else str(happening.measure_id),
        "organisationId": str(happening.owner),
        "stage": happening.stage.value if happening.stage else None,
        "stageBefore": happening.stage_before.value if happening.stage_before else None,
        "scope": happening.seen_by[viewer].value,
    }


def envelope(happening: Happening, viewer: UUID, source: str, secret: str,
             now: datetime | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the delivery of ``happening`` to ``viewer``'s endpoint."""
    event = CloudEvent({
        "specversion": "1.0", "id": str(happening.position), "source": source,
        "type": happening.name, "subject": str(happening.innovation_id),
        "time": happening.recorded_at, "datacontenttype": "application/json",
    }, data(happening, viewer))
    json_format = JSONFormat()
    body = json_format.write(event)
    sent = now or datetime.now(UTC)
    delivery_id = str(happening.position)
    return body, {
        "content-type": json_format.get_content_type(),
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(sent.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery_id, sent, body.decode()),
    }
