"""Column helpers shared by the extension's tables."""
from __future__ import annotations

import datetime as dt
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
