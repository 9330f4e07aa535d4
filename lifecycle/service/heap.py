"""The serving process's garbage collector, set for a heap of many long-lived connections.

CPython's collector walks every tracked object of a generation it collects, with the event loop
stopped. A server holding thousands of websocket subscriptions keeps hundreds of objects alive
per connection; with the default thresholds (700, 10, 10) the objects briefly alive as events
are sent survive enough young collections to trigger a full one every few tens of seconds at
20 events a second to 2,000 subscribers, and a full collection over that heap stopped delivery
to every subscriber for over a second (``bench/subscriptions.py``: the p99 latency was a
collection's pause). So the process:

- collects once and ``gc.freeze()``s what it built to start (modules, schema, settings): never
  garbage, no later collection walks it again;
- raises the youngest generation's threshold (``YOUNG_THRESHOLD`` net new tracked objects
  between young collections instead of 700), so far fewer short-lived objects are promoted
  into the old generations and full collections become rare. Cyclic garbage still goes within
  one young collection; memory stays bounded.

The collector's own documented tuning (``gc.freeze``, ``gc.set_threshold``); applied by
``lifecycle serve`` to its process (or each worker), never to a process that imports the app.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def settle() -> tuple[int, int, int]:
    """Set the collector as the module docstring says; returns the thresholds it set."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return gc.get_threshold()
