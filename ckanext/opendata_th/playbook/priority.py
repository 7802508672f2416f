"""Selection and prioritisation (steps 3.2 and 3.3 of the playbook).

A publisher selects a dataset for one or more reasons and scores its value,
quality and manageability from 1 to 5; the priority is their weighted mean on
a 0-100 scale, where value also counts the reasons (a dataset required by law
*and* useful to developers is worth more). The weights are a site option
(``ckanext.opendata_th.priority.weights``), read by :func:`parse_weights`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ckanext.opendata_th.playbook.dates import THAI_DIGITS
from ckanext.opendata_th.playbook.messages import N_, InputError, Message, MessageError

REASONS: tuple[str, ...] = ("required_by_law", "agency_mission", "useful_to_developers",
                            "useful_to_user_groups", "transparency")
REASON_LABELS: dict[str, Message] = {
    "required_by_law": Message(N_("Required by law")),
    "agency_mission": Message(N_("The agency's mission")),
    "useful_to_developers": Message(N_("Useful to developers")),
    "useful_to_user_groups": Message(N_("Useful to user groups")),
    "transparency": Message(N_("Transparency")),
}

SCORE_MIN, SCORE_MAX = 1, 5
REASON_BONUS = 0.5
"""What each selection reason beyond the first adds to the value score."""
MAX_NOTE = 2000
MAX_WEIGHT = 100
SCORE_FIELDS = ("value", "quality", "manageability")
SCORE_LABELS: dict[str, Message] = {
    "value": Message(N_("Value of the data")),
    "quality": Message(N_("Quality")),
    "manageability": Message(N_("Manageability")),
}


@dataclass(frozen=True)
class Weights:
    """How much each score counts in the priority."""

    value: float
    quality: float
    manageability: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "quality": self.quality, "manageability": self.manageability}


DEFAULT_WEIGHTS = Weights(2, 1, 1)


class PriorityConfigError(MessageError):
    """The weights option cannot be read."""


class PriorityInputError(InputError):
    """Bad selection or scores from a user: every error at once, by field
    ("reasons", "note", "value", "quality", "manageability")."""


_WEIGHT = re.compile(r"([a-z_]+)\s*[:=]\s*([0-9]+(?:\.[0-9]+)?)")


def parse_weights(text: str) -> Weights:
    """Weights from the option's text, e.g. "value:2 quality:1
    manageability:1" (spaces or commas between; every score named once; each
    weight 0..100 and not all 0)."""
    example = "value:2 quality:1 manageability:1"
    if not isinstance(text, str):
        raise PriorityConfigError(Message(
            N_("The priority weights must be text like “{example}”"), example=example))
    pieces = [piece for piece in re.split(r"[\s,;]+", text.strip()) if piece]
    found: dict[str, float] = {}
    for piece in pieces:
        match = _WEIGHT.fullmatch(piece)
        if match is None or match.group(1) not in SCORE_FIELDS or match.group(1) in found:
            raise PriorityConfigError(Message(
                N_("The priority weights “{text}” cannot be read at “{piece}”: write each of value, "
                   "quality and manageability once with its weight, like “{example}”"),
                text=text, piece=piece, example=example))
        weight = float(match.group(2))
        if weight > MAX_WEIGHT:
            raise PriorityConfigError(Message(
                N_("The priority weight of {name} must be between 0 and {max} (it is {weight})"),
                name=match.group(1), max=MAX_WEIGHT, weight=match.group(2)))
        found[match.group(1)] = weight
    missing = [name for name in SCORE_FIELDS if name not in found]
    if missing:
        raise PriorityConfigError(Message(
            N_("The priority weights “{text}” lack {missing}: write each of value, quality and "
               "manageability once with its weight, like “{example}”"),
            text=text, missing=", ".join(missing), example=example))
    if not any(found.values()):
        raise PriorityConfigError(Message(
            N_("The priority weights “{text}” are all 0: at least one must count"), text=text))
    return Weights(**found)


def check_reasons(reasons: object, note: object) -> tuple[tuple[str, ...], str]:
    """The selection reasons (a list, or keys separated by commas) in the
    order of :data:`REASONS`, and the note stripped; raises
    :class:`PriorityInputError`."""
    errors: dict[str, list[Message]] = {}
    if isinstance(reasons, str):
        given = [item.strip() for item in reasons.split(",")]
    elif isinstance(reasons, (list, tuple)):
        given = [item.strip() if isinstance(item, str) else item for item in reasons]
    elif reasons is None:
        given = []
    else:
        given = [reasons]
    given = [item for item in given if item not in ("", None)]
    unknown = [str(item) for item in given if item not in REASONS]
    if unknown:
        errors["reasons"] = [Message(
            N_("Unknown selection reason {unknown}: choose from {known}"),
            unknown=", ".join(f"“{item[:50]}”" for item in unknown[:5]), known=", ".join(REASONS))]
    elif not given:
        errors["reasons"] = [Message(N_("Give at least one selection reason"))]
    if note is None:
        note = ""
    if not isinstance(note, str):
        errors["note"] = [Message(N_("The note must be text"))]
    elif len(note.strip()) > MAX_NOTE:
        errors["note"] = [Message(N_("The note can be at most {max} characters long (it is {length})"),
                                  max=MAX_NOTE, length=len(note.strip()))]
    if errors:
        raise PriorityInputError(errors)
    return tuple(reason for reason in REASONS if reason in given), note.strip()


def _score(field: str, value: object) -> int | Message:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().translate(THAI_DIGITS).isascii() \
            and value.strip().translate(THAI_DIGITS).isdigit():
        number = int(value.strip().translate(THAI_DIGITS))
    else:
        number = None
    if number is None or not SCORE_MIN <= number <= SCORE_MAX:
        shown = value if not isinstance(value, str) else value[:20]
        return Message(N_("{field} must be a whole number from {min} to {max} (you gave “{value}”)"),
                       field=SCORE_LABELS[field], min=SCORE_MIN, max=SCORE_MAX, value=shown)
    return number


def check_scores(value: object, quality: object, manageability: object) -> tuple[int, int, int]:
    """The three scores as whole numbers 1..5 (Thai digits accepted: "๓");
    raises :class:`PriorityInputError` naming each bad one."""
    checked = {field: _score(field, given)
               for field, given in zip(SCORE_FIELDS, (value, quality, manageability))}
    errors = {field: [result] for field, result in checked.items() if isinstance(result, Message)}
    if errors:
        raise PriorityInputError(errors)
    return checked["value"], checked["quality"], checked["manageability"]  # type: ignore[return-value]


def effective_value(value: int, reasons: Sequence[str]) -> float:
    """The value score counting the reasons: half a point for each reason
    beyond the first, at most 5."""
    extra = max(len(set(reasons)) - 1, 0) * REASON_BONUS
    return min(float(value) + extra, float(SCORE_MAX))


def score(value: int, quality: int, manageability: int, reasons: Sequence[str],
          weights: Weights = DEFAULT_WEIGHTS) -> float:
    """The priority, 0 (every score 1) to 100 (every score 5): the weighted
    mean of the effective value, quality and manageability, rounded to one
    decimal."""
    total = weights.value + weights.quality + weights.manageability
    mean = (weights.value * effective_value(value, reasons) + weights.quality * quality
            + weights.manageability * manageability) / total
    return round((mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100, 1)


def rank(items: Iterable[tuple[str, float | None, str]]) -> list[tuple[int, str, float | None]]:
    """Rank ``(id, score, title)``: highest score first, equal scores by
    title; ranks are 1, 2, 3...; unscored items come last with rank 0."""
    items = list(items)
    scored = sorted((item for item in items if item[1] is not None and not math.isnan(item[1])),
                    key=lambda item: (-item[1], (item[2] or "").casefold(), item[0]))
    unscored = sorted((item for item in items if item[1] is None or math.isnan(item[1])),
                      key=lambda item: ((item[2] or "").casefold(), item[0]))
    return ([(position, ident, points) for position, (ident, points, _title) in enumerate(scored, start=1)]
            + [(0, ident, None) for ident, _points, _title in unscored])
