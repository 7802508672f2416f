"""How long the portal keeps the contact details of people who sent
feedback or asked for a dataset (PDPA B.E. 2562, section 37(3): personal
data is erased once it is no longer needed for the purpose it was
collected for).

A sender's name and e-mail address serve to answer them. Once their item
is closed — feedback resolved or hidden, a request decided — and stays
closed for the retention period, they are erased; the item itself, its
text and its history stay (hiding is not deleting, and the public record
of requests is kept). An item reopened later starts the period again.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

DEFAULT_DAYS = 365
"""A year after closing: time for a follow-up question, or a complaint
about the answer."""

ERASED = "contact_erased"
"""The history entry that records the erasure (its kind, or step)."""


def cutoff(now: dt.datetime, days: int) -> Optional[dt.datetime]:
    """Items closed before this moment have their contact details erased;
    None when ``days`` is 0 or less (keep them: the agency's own policy
    decides)."""
    if days <= 0:
        return None
    return now - dt.timedelta(days=days)
