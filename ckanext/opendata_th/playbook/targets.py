"""Yearly targets of an organization's open-data work (playbook step 3.10.e)
and how the actual figures compare with them.

Per Thai fiscal year (Buddhist Era) an organization's admins set three
targets: how many datasets to publish, how many high-value datasets to
publish, and the share of published datasets to keep up to date. Any of
them may be left unset. The actual figures are computed by the portal,
never typed: the glue counts them (:mod:`ckanext.opendata_th.dashboard`)
and :func:`compare` says, per target, whether it is met.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Optional

from ckanext.opendata_th.playbook.messages import N_, InputError, Message
from ckanext.opendata_th.playbook.dates import THAI_DIGITS

Unit = Literal["count", "percent"]

DATASETS_PUBLISHED = "datasets_published"
HIGH_VALUE_PUBLISHED = "high_value_published"
UP_TO_DATE_PERCENT = "up_to_date_percent"

MAX_COUNT = 100_000
"""More datasets than any agency publishes in a year: a typing slip."""


@dataclass(frozen=True)
class Target:
    """One kind of target: its key, its name, and what it counts."""

    key: str
    label: Message
    unit: Unit

    @property
    def maximum(self) -> int:
        return 100 if self.unit == "percent" else MAX_COUNT


TARGETS: tuple[Target, ...] = (
    Target(DATASETS_PUBLISHED, Message(N_("Datasets published")), "count"),
    Target(HIGH_VALUE_PUBLISHED, Message(N_("High-value datasets published")), "count"),
    Target(UP_TO_DATE_PERCENT, Message(N_("Published datasets kept up to date (%)")), "percent"),
)
TARGET_KEYS: tuple[str, ...] = tuple(t.key for t in TARGETS)
_BY_KEY = {t.key: t for t in TARGETS}


class TargetInputError(InputError):
    """Bad target values: every error at once, by target key."""


def target(key: str) -> Target:
    return _BY_KEY[key]


def _number(value: object) -> tuple[bool, Optional[int]]:
    """(understood, the whole number or None for "not set"). Thai digits
    and thousands separators are read; a blank is "not set"."""
    if value is None:
        return True, None
    if isinstance(value, bool):
        return False, None
    if isinstance(value, int):
        return True, value
    if isinstance(value, float):
        return (True, int(value)) if value.is_integer() else (False, None)
    if not isinstance(value, str):
        return False, None
    text = value.strip().translate(THAI_DIGITS).replace(",", "").replace("%", "").strip()
    if not text:
        return True, None
    if len(text) > 9 or not text.isascii() or not text.isdigit():
        return False, None
    return True, int(text)


def parse_targets(values: Mapping[str, object]) -> dict[str, Optional[int]]:
    """The three targets from a form or an API call: whole numbers, counts
    from 0 to :data:`MAX_COUNT`, the share from 0 to 100; a blank or
    missing value leaves that target unset. Raises :class:`TargetInputError`
    with every error at once."""
    errors: dict[str, list[Message]] = {}
    found: dict[str, Optional[int]] = {}
    for item in TARGETS:
        understood, number = _number(values.get(item.key))
        if not understood or (number is not None and not 0 <= number <= item.maximum):
            message = (Message(N_("{target}: enter a whole number from 0 to 100, or leave it blank"),
                               target=item.label)
                       if item.unit == "percent" else
                       Message(N_("{target}: enter a whole number from 0 to {maximum}, or leave it blank"),
                               target=item.label, maximum=f"{item.maximum:,}"))
            errors[item.key] = [message]
            continue
        found[item.key] = number
    if errors:
        raise TargetInputError(errors)
    return found


@dataclass(frozen=True)
class Comparison:
    """One target against its actual figure. ``met`` is None when there is
    no target or no actual figure to compare."""

    target: Target
    goal: Optional[int]
    actual: Optional[float]
    met: Optional[bool]


def compare(goals: Mapping[str, Optional[int]],
            actuals: Mapping[str, Optional[float]]) -> list[Comparison]:
    """Each target, in :data:`TARGETS` order, against its actual figure: met
    when the actual reaches the target."""
    found = []
    for item in TARGETS:
        goal, actual = goals.get(item.key), actuals.get(item.key)
        met = None if goal is None or actual is None else actual >= goal
        found.append(Comparison(item, goal, actual, met))
    return found


def share(part: int, whole: int) -> Optional[float]:
    """``part`` of ``whole`` in percent, one decimal; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)
