"""Dataset requests: the datasets people ask for (potential datasets,
step 3.9.2 of the playbook).

Anyone, without an account, asks for a dataset: what (a title and a
description), why, and for which organization when they know it. The
organization's admins triage each request:

- **accepted**: the organization will disclose it; a candidate dataset is
  made in the disclosure workflow and linked;
- **available**: the data is already published; the public dataset is linked;
- **not suitable**: with one of the fixed :data:`REASONS`;
- **needs more information**: with a question, which the requester answers
  (the request is then waiting for triage again).

A request refused by mistake (not suitable, or already available) may be
reopened with a comment. Accepted requests stay accepted: their candidate
dataset carries on in the disclosure workflow.

This module only decides (states, transitions, input limits, the fields of
the candidate dataset); the glue (``logic/action/dataset_request.py``) reads
and writes the tables and calls CKAN.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ckanext.opendata_th.playbook.messages import N_, InputError, Message
from ckanext.opendata_th.playbook.vocabulary import PUBLIC

# --- states ---------------------------------------------------------------------

NEW = "new"
NEEDS_INFO = "needs_info"
ACCEPTED = "accepted"
AVAILABLE = "available"
NOT_SUITABLE = "not_suitable"

STATES: tuple[str, ...] = (NEW, NEEDS_INFO, ACCEPTED, AVAILABLE, NOT_SUITABLE)
OPEN_STATES: tuple[str, ...] = (NEW, NEEDS_INFO)
"""Requests still waiting for the organization (or for the requester)."""

STATE_LABELS: dict[str, Message] = {
    NEW: Message(N_("Waiting for the organization")),
    NEEDS_INFO: Message(N_("Needs more information")),
    ACCEPTED: Message(N_("Accepted")),
    AVAILABLE: Message(N_("Already available")),
    NOT_SUITABLE: Message(N_("Not suitable")),
}

# --- decisions (the triage) ---------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One triage decision: the states it may be taken from, the state it
    leads to and what it needs."""

    name: str
    target: str
    sources: tuple[str, ...]
    label: Message
    needs_comment: bool = False
    needs_reason: bool = False
    needs_dataset: bool = False


DECISIONS: dict[str, Decision] = {decision.name: decision for decision in (
    Decision("accept", ACCEPTED, OPEN_STATES, Message(N_("Accept: make a candidate dataset"))),
    Decision("available", AVAILABLE, OPEN_STATES, Message(N_("Already available: link the dataset")),
             needs_dataset=True),
    Decision("not_suitable", NOT_SUITABLE, OPEN_STATES, Message(N_("Not suitable")), needs_reason=True),
    Decision("needs_info", NEEDS_INFO, OPEN_STATES, Message(N_("Ask for more information")),
             needs_comment=True),
    Decision("reopen", NEW, (AVAILABLE, NOT_SUITABLE), Message(N_("Reopen the request")),
             needs_comment=True),
)}
"""Every triage decision, in the order the pages offer them."""

# --- the reasons a request is not suitable ---------------------------------------------

REASONS: tuple[str, ...] = ("not_held", "other_agency", "personal_data", "confidential",
                            "restricted_by_law", "disproportionate_effort", "duplicate")
REASON_LABELS: dict[str, Message] = {
    "not_held": Message(N_("The organization does not hold this data")),
    "other_agency": Message(N_("Another agency holds this data")),
    "personal_data": Message(N_("It is personal data (PDPA B.E. 2562)")),
    "confidential": Message(N_("It concerns national security or is an official secret")),
    "restricted_by_law": Message(N_("A law does not allow it to be disclosed")),
    "disproportionate_effort": Message(N_("Compiling it would take effort out of proportion to its use")),
    "duplicate": Message(N_("It repeats another request")),
}

# --- limits on what anyone may send -------------------------------------------------------

MAX_TITLE = 200
MIN_TITLE = 5
MAX_TEXT = 2000
"""The description, the purpose, a comment, a question and a reply."""
MAX_NAME = 100
MAX_EMAIL = 254
MAX_DATASET_TITLE = 200

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RequestInputError(InputError):
    """Bad input: every error at once, by field (``title``, ``purpose``,
    ``email``, ``decision``, ``reason``, ``comment``, ``dataset``...)."""


@dataclass(frozen=True)
class NewRequest:
    """What a requester sent, checked and stripped."""

    title: str
    description: str
    purpose: str
    name: str
    email: str


def _text(value: object) -> str:
    """A text field's value stripped; anything but text is empty."""
    if not isinstance(value, str):
        return ""
    return _CONTROL.sub("", value).strip()


def _too_long(errors: dict[str, list[Message]], field: str, value: str, maximum: int,
              label: Message) -> None:
    if len(value) > maximum:
        errors.setdefault(field, []).append(Message(
            N_("{field} can be at most {max} characters long (it is {length})"),
            field=label, max=maximum, length=len(value)))


FIELD_LABELS: dict[str, Message] = {
    "title": Message(N_("The data you want")),
    "description": Message(N_("Details")),
    "purpose": Message(N_("Why you need it")),
    "name": Message(N_("Your name")),
    "email": Message(N_("Your e-mail")),
    "comment": Message(N_("The comment")),
    "reply": Message(N_("Your answer")),
    "dataset_title": Message(N_("The title of the new dataset")),
}


def is_email(value: str) -> bool:
    """Whether ``value`` looks like an e-mail address."""
    return len(value) <= MAX_EMAIL and bool(_EMAIL.match(value))


def check_new(fields: Mapping[str, object]) -> NewRequest:
    """A new request's fields checked: ``title`` (what, 5-200 characters)
    and ``purpose`` (why) are required; ``description``, ``name`` and
    ``email`` are optional; every text has its limit. Raises
    :class:`RequestInputError` with every problem."""
    values = {key: _text(fields.get(key)) for key in ("title", "description", "purpose", "name", "email")}
    errors: dict[str, list[Message]] = {}
    if not values["title"]:
        errors["title"] = [Message(N_("Say which data you want"))]
    elif len(values["title"]) < MIN_TITLE:
        errors["title"] = [Message(N_("Describe the data you want in at least {min} characters"),
                                   min=MIN_TITLE)]
    if not values["purpose"]:
        errors["purpose"] = [Message(N_("Say why you need the data, or what you will use it for"))]
    for key, maximum in (("title", MAX_TITLE), ("description", MAX_TEXT), ("purpose", MAX_TEXT),
                         ("name", MAX_NAME)):
        _too_long(errors, key, values[key], maximum, FIELD_LABELS[key])
    if values["email"] and not is_email(values["email"]):
        errors["email"] = [Message(N_("“{value}” is not an e-mail address"), value=values["email"][:MAX_EMAIL])]
    if errors:
        raise RequestInputError(errors)
    return NewRequest(**values)


@dataclass(frozen=True)
class Triage:
    """A decision checked against the request's state and the input."""

    decision: Decision
    comment: str
    reason: str | None


def check_decision(state: str, decision: object, *, comment: object = "", reason: object = "",
                   dataset_given: bool = False) -> Triage:
    """Whether ``decision`` may be taken on a request in ``state`` with this
    input: a known decision allowed from the state, a comment within its
    limit (required to ask for information and to reopen), a reason from
    :data:`REASONS` for "not suitable" (and only then), a dataset for
    "already available". Raises :class:`RequestInputError`."""
    errors: dict[str, list[Message]] = {}
    name = decision if isinstance(decision, str) else ""
    found = DECISIONS.get(name)
    text = _text(comment)
    given_reason = _text(reason)
    if found is None:
        errors["decision"] = [Message(N_("Unknown decision “{value}” (choose from: {choices})"),
                                      value=name[:50], choices=", ".join(DECISIONS))]
        raise RequestInputError(errors)
    if state not in found.sources:
        errors["decision"] = [Message(
            N_("A request that is “{state}” cannot get the decision “{decision}”"),
            state=STATE_LABELS.get(state, Message(state)), decision=found.label)]
    _too_long(errors, "comment", text, MAX_TEXT, FIELD_LABELS["comment"])
    if found.needs_comment and not text:
        errors.setdefault("comment", []).append(
            Message(N_("Write the question to the requester")) if found.name == "needs_info"
            else Message(N_("Say why the request is reopened")))
    if found.needs_reason:
        if given_reason not in REASONS:
            errors["reason"] = [Message(N_("Choose why the request is not suitable (one of: {choices})"),
                                        choices=", ".join(REASONS))]
    elif given_reason:
        errors["reason"] = [Message(N_("A reason is given only when the request is not suitable"))]
    if found.needs_dataset and not dataset_given:
        errors["dataset"] = [Message(N_("Give the published dataset that holds the data (its name or id)"))]
    if errors:
        raise RequestInputError(errors)
    return Triage(found, text, given_reason if found.needs_reason else None)


def check_reply(state: str, reply: object) -> str:
    """The requester's answer to a question: only while the request needs
    more information, and within its limit."""
    text = _text(reply)
    errors: dict[str, list[Message]] = {}
    if state != NEEDS_INFO:
        errors["reply"] = [Message(N_("The request is not waiting for more information"))]
    elif not text:
        errors["reply"] = [Message(N_("Write your answer"))]
    else:
        _too_long(errors, "reply", text, MAX_TEXT, FIELD_LABELS["reply"])
    if errors:
        raise RequestInputError(errors)
    return text


def check_dataset_title(value: object, default: str) -> str:
    """The title of the candidate dataset an accepted request makes: the one
    given, or the request's title."""
    text = _text(value) or default
    errors: dict[str, list[Message]] = {}
    _too_long(errors, "dataset_title", text, MAX_DATASET_TITLE, FIELD_LABELS["dataset_title"])
    if errors:
        raise RequestInputError(errors)
    return text


# --- the candidate dataset of an accepted request ---------------------------------------------

CANDIDATE_TAG = "คำขอชุดข้อมูล"
"""The tag of datasets made from a request ("dataset request")."""
UNKNOWN = "ไม่ทราบ"
"""The national schema's "unknown" choice."""
DEFAULT_DATA_TYPE = "ข้อมูลระเบียน"
DEFAULT_LICENSE = "Open Data Common"
PUBLIC_SERVICE = "เพื่อการให้บริการประชาชน"
"""The objective "public service": the public asked for it."""


def candidate_fields(*, title: str, description: str, origin: str, organization_title: str,
                     contact_email: str, data_type: str = DEFAULT_DATA_TYPE) -> dict[str, object]:
    """The ``package_create`` fields of the candidate dataset an accepted
    request makes: what the request says, the organization as contact and
    source, and the national schema's "unknown" where nothing is known yet
    (the publishers complete the metadata while they prepare the dataset;
    the classification decides its governance category). Private: a
    candidate of the disclosure workflow. ``origin``: a sentence that
    links the request (its description follows the request's)."""
    notes = f"{description or title}\n\n{origin}".strip()
    return {
        "title": title,
        "notes": notes,
        "private": True,
        "data_type": data_type,
        "maintainer": organization_title,
        "maintainer_email": contact_email,
        "data_source": organization_title,
        "tags": [{"name": CANDIDATE_TAG}],
        "objective": [PUBLIC_SERVICE],
        "update_frequency_unit": UNKNOWN,
        "geo_coverage": UNKNOWN,
        "data_format": [UNKNOWN],
        "data_category": PUBLIC,
        "license_id": DEFAULT_LICENSE,
    }


def open_count(counts: Mapping[str, int]) -> int:
    """The requests still open among counts by state."""
    return sum(counts.get(state, 0) for state in OPEN_STATES)
