"""The ideas read model's tables, as the workspace reads them (``projections/innovations/records``
pages them under the visibility rule)."""

from __future__ import annotations

COMMENTS = "rm_comments"
ENDORSEMENTS = "rm_endorsements"
REVISIONS = "rm_revisions"
INVOLVEMENT = "rm_involvement"
OWNER_HISTORY = "rm_owner_history"
JUDGEMENTS = "rm_judgements"
