"""Feedback on published datasets (step 3.9 of the playbook): what anyone may
send, how spam is held back, and what the organization's editors may do
with an item.

Anyone, without an account, leaves a comment, a complaint or an error
report on a published dataset, with a name and an e-mail address if they
wish (:func:`check_submission` bounds and checks every field). A new item
is screened (:func:`screen`): a filled honeypot field (a field people never
see) hides it at once, words of the portal's blocked-word list or too many
links hold it for review; :func:`first_visibility` then decides whether it
waits for the editors (every item from a visitor without an account does)
or is shown at once. Each sender may send only so many items in a window of
time (:func:`rate_decision`).

An item has two independent states: whether it is shown (``visibility``:
held for review, visible, hidden) and how far it was handled (``progress``:
open, answered, resolved). The editors' steps (:data:`STEPS`) move them;
:func:`apply` decides, with every reason when a step is refused. Hiding is
not deleting: nothing here removes an item. A complaint or an error report
counts against its dataset while it is shown and not resolved
(:func:`counts_against`).

Plain Python: the glue (``ckanext/opendata_th/feedback.py``) reads the
configuration, the sender's address and the counts in Redis, and stores
what these rules decide.
"""
from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ckanext.opendata_th.playbook.messages import N_, InputError, Message, MessageError

# --- kinds ----------------------------------------------------------------------

COMMENT, COMPLAINT, ERROR = "comment", "complaint", "error"
KINDS: tuple[str, ...] = (COMMENT, COMPLAINT, ERROR)
KIND_LABELS: dict[str, Message] = {
    COMMENT: Message(N_("Comment")),
    COMPLAINT: Message(N_("Complaint")),
    ERROR: Message(N_("Error report")),
}
COUNTED_KINDS = frozenset({COMPLAINT, ERROR})
"""The kinds that count against a dataset until they are resolved."""

# --- states -----------------------------------------------------------------------

HELD, VISIBLE, HIDDEN = "held", "visible", "hidden"
VISIBILITIES: tuple[str, ...] = (HELD, VISIBLE, HIDDEN)
VISIBILITY_LABELS: dict[str, Message] = {
    HELD: Message(N_("Waiting for review")),
    VISIBLE: Message(N_("Shown")),
    HIDDEN: Message(N_("Hidden")),
}

OPEN, ANSWERED, RESOLVED = "open", "answered", "resolved"
PROGRESSES: tuple[str, ...] = (OPEN, ANSWERED, RESOLVED)
PROGRESS_LABELS: dict[str, Message] = {
    OPEN: Message(N_("Not answered yet")),
    ANSWERED: Message(N_("Answered")),
    RESOLVED: Message(N_("Resolved")),
}

# --- limits on what anyone may send ------------------------------------------------

MAX_MESSAGE = 4000
MAX_NAME = 100
MAX_EMAIL = 254
MAX_EMAIL_LOCAL = 64
MAX_ANSWER = 4000
MAX_NOTE = 1000
FIELDS = ("kind", "message", "name", "email")

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\.]+(\.[^@\s<>()\[\],;:\"\\.]+)+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters a text may not hold (tabs and line breaks are kept)."""
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
"""Soft hyphens, zero-width and direction marks: they hide words from the word list."""


class FeedbackInputError(InputError):
    """What is wrong with a submission or an editor's text, by field."""


@dataclass(frozen=True)
class Submission:
    """A checked submission: the text stripped, the name and e-mail
    address "" when not given."""

    kind: str
    message: str
    name: str
    email: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message, "name": self.name, "email": self.email}


def _text(value: Any) -> str | None:
    """The value as text (None when it is not text, nor a number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _too_long(length: int, limit: int) -> Message:
    return Message(N_("At most {max} characters (this is {length})"), max=limit, length=length)


def check_submission(data: Mapping[str, Any]) -> Submission:
    """The submission of ``data`` (``kind``, ``message``, ``name``,
    ``email``), or :class:`FeedbackInputError` with every problem by field.
    Nothing is cut short: a text over its limit is refused with the limit."""
    errors: dict[str, list[Message]] = {}
    texts: dict[str, str] = {}
    for field in FIELDS:
        text = _text(data.get(field))
        if text is None:
            errors[field] = [Message(N_("Must be text"))]
            continue
        texts[field] = _CONTROL.sub("", text).strip()
    kind = texts.get("kind", "")
    if "kind" in texts and kind not in KINDS:
        errors["kind"] = [Message(N_("Choose what you are sending: {choices}"),
                                  choices=tuple(KIND_LABELS[k] for k in KINDS))]
    message = texts.get("message", "")
    if "message" in texts:
        if not message:
            errors["message"] = [Message(N_("Write your comment, complaint or error report"))]
        elif len(message) > MAX_MESSAGE:
            errors["message"] = [_too_long(len(message), MAX_MESSAGE)]
    name = texts.get("name", "")
    if len(name) > MAX_NAME:
        errors["name"] = [_too_long(len(name), MAX_NAME)]
    elif "\n" in name or "\r" in name or "\t" in name:
        errors["name"] = [Message(N_("The name must be on one line"))]
    email = texts.get("email", "")
    if email:
        local = email.rpartition("@")[0]
        if len(email) > MAX_EMAIL:
            errors["email"] = [_too_long(len(email), MAX_EMAIL)]
        elif not _EMAIL.match(email) or len(local) > MAX_EMAIL_LOCAL:
            errors["email"] = [Message(N_("This is not an e-mail address (e.g. {example})"),
                                       example="name@example.com")]
    if errors:
        raise FeedbackInputError(errors)
    return Submission(kind=kind, message=message, name=name, email=email)


def check_text(field: str, value: Any, *, limit: int, required: bool, missing: Message) -> str:
    """An editor's answer or note: stripped text of at most ``limit``
    characters (``missing`` when it is required and empty)."""
    text = _text(value)
    if text is None:
        raise FeedbackInputError({field: [Message(N_("Must be text"))]})
    text = _CONTROL.sub("", text).strip()
    if required and not text:
        raise FeedbackInputError({field: [missing]})
    if len(text) > limit:
        raise FeedbackInputError({field: [_too_long(len(text), limit)]})
    return text


# --- spam ---------------------------------------------------------------------------

DEFAULT_MAX_LINKS = 2


@dataclass(frozen=True)
class SpamRules:
    """The portal's spam rules (its configuration)."""

    blocked_words: tuple[str, ...] = ()
    """Words and phrases (normalised by :func:`normalise`) that hold an item."""
    max_links: int = DEFAULT_MAX_LINKS
    """More links than this in the message hold an item (negative: no limit)."""


def normalise(text: str) -> str:
    """Text as the word list is matched against it: NFKC (full-width letters
    become plain ones), case folded, invisible characters removed, every
    run of white space one space."""
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(folded.split())


def parse_word_list(text: Any) -> tuple[str, ...]:
    """The blocked words of the configuration option: one word or phrase a
    line, or separated by commas (a Thai phrase may hold spaces). A list is
    taken as it is. Blank entries and repeats are dropped."""
    if isinstance(text, (list, tuple)):
        entries: Iterable[Any] = text
    else:
        entries = re.split(r"[\n,]", str(text or ""))
    found: list[str] = []
    for entry in entries:
        word = normalise(str(entry))
        if word and word not in found:
            found.append(word)
    return tuple(found)


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _pattern(word: str) -> re.Pattern[str]:
    """A word's pattern: a Latin or numeric end must not run on into more
    Latin letters or digits ("ass" does not match "class"); a Thai end
    matches inside a run of Thai text, which has no spaces between words."""
    before = r"(?<![a-z0-9])" if _is_latin(word[0]) else ""
    after = r"(?![a-z0-9])" if _is_latin(word[-1]) else ""
    return re.compile(before + re.escape(word) + after)


def matched_words(text: str, words: Iterable[str]) -> list[str]:
    """The blocked words found in ``text``, in the list's order."""
    shown = normalise(text)
    return [word for word in words if word and _pattern(word).search(shown)]


_LINK = re.compile(r"(?i)\b(?:https?://|www\.)")


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


HONEYPOT_REASON = Message(N_("The field that only automated programs fill in was filled in"))
ANONYMOUS_REASON = Message(N_("Sent without an account: new items from visitors wait for review"))
SIGNED_IN_REASON = Message(N_("The portal reviews every new item before it is shown"))


@dataclass(frozen=True)
class Screening:
    """What the spam rules found in one submission."""

    honeypot: bool
    """The honeypot field was filled in: a program sent it."""
    reasons: tuple[Message, ...]
    """Why it looks like spam (blocked words, too many links)."""

    @property
    def suspicious(self) -> bool:
        return self.honeypot or bool(self.reasons)


def screen(submission: Submission, honeypot: Any, rules: SpamRules) -> Screening:
    """Screen one submission; ``honeypot`` is the value of the field people
    never see (anything but empty text is a program's)."""
    filled = honeypot not in (None, "") and not (isinstance(honeypot, str) and not honeypot.strip())
    reasons: list[Message] = []
    text = f"{submission.name}\n{submission.message}"
    words = matched_words(text, rules.blocked_words)
    if words:
        reasons.append(Message(N_("Holds words of the blocked-word list: {words}"),
                               words=", ".join(words)))
    links = count_links(submission.message)
    if rules.max_links >= 0 and links > rules.max_links:
        reasons.append(Message(N_("Holds {count} links (more than {max})"), count=links,
                               max=rules.max_links))
    return Screening(honeypot=filled, reasons=tuple(reasons))


def first_visibility(screening: Screening, *, signed_in: bool,
                     moderate_signed_in: bool) -> tuple[str, tuple[Message, ...]]:
    """Where a new item starts, and why: hidden when the honeypot was
    filled in; held when the spam rules found something, when it was sent
    without an account, or when the portal reviews signed-in users' items
    too; shown at once otherwise."""
    if screening.honeypot:
        return HIDDEN, (HONEYPOT_REASON, *screening.reasons)
    if screening.reasons:
        return HELD, screening.reasons
    if not signed_in:
        return HELD, (ANONYMOUS_REASON,)
    if moderate_signed_in:
        return HELD, (SIGNED_IN_REASON,)
    return VISIBLE, ()


# --- how often one sender may send ------------------------------------------------------


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` submissions per sender in ``window`` seconds
    (``count`` 0 or less: no limit)."""

    count: int
    window: int


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int
    """Seconds until the sender may send again (0 when allowed)."""


def rate_decision(attempts: int, limit: RateLimit, seconds_left: int) -> RateDecision:
    """Whether the sender's ``attempts``-th submission in the current window
    (``seconds_left`` of it still to run) is allowed."""
    if limit.count <= 0 or attempts <= limit.count:
        return RateDecision(True, 0)
    left = seconds_left if 0 < seconds_left <= limit.window else limit.window
    return RateDecision(False, max(1, left))


def rate_refusal(decision: RateDecision) -> Message:
    """What a sender over the limit is told."""
    minutes = max(1, math.ceil(decision.retry_after / 60))
    return Message(N_("You have sent a lot of feedback in a short time. Please try again in "
                      "{minutes} minutes."), minutes=minutes)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The sender's address: the connection's, or, behind ``trusted_proxies``
    reverse proxies that each add the address they saw to
    ``X-Forwarded-For``, the address the outermost of them saw. Entries a
    client wrote itself further left are not believed."""
    chain = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()] \
        if trusted_proxies > 0 else []
    chain.append((remote_addr or "").strip())
    picked = chain[max(len(chain) - 1 - max(trusted_proxies, 0), 0)]
    try:
        return str(ipaddress.ip_address(picked))
    except ValueError:
        return (remote_addr or "").strip()


def rate_key(address: str) -> str:
    """The key a sender's submissions are counted under: the IPv4 address,
    or the /64 network of an IPv6 address (one household or phone holds a
    whole /64); "unknown" for anything else."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if isinstance(found, ipaddress.IPv6Address):
        if found.ipv4_mapped is not None:
            return str(found.ipv4_mapped)
        return str(ipaddress.ip_network(f"{found}/64", strict=False))
    return str(found)


# --- the editors' steps -------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    visibility: str
    progress: str
    has_answer: bool = False


@dataclass(frozen=True)
class Step:
    """One thing an editor may do with an item."""

    name: str
    label: Message
    visibilities: frozenset[str]
    """The visibilities it starts from."""
    progresses: frozenset[str]
    """The progress states it starts from."""
    text_field: str
    """The name of its text ("answer" or "note")."""
    text_required: Message | None
    """What is asked for when its text is required (None: optional)."""
    text_limit: int


def _step(name: str, label: str, visibilities: Iterable[str], progresses: Iterable[str], *,
          text_field: str = "note", required: str | None = None, limit: int = MAX_NOTE) -> Step:
    return Step(name=name, label=Message(label), visibilities=frozenset(visibilities),
                progresses=frozenset(progresses), text_field=text_field,
                text_required=Message(required) if required else None, text_limit=limit)


STEPS: dict[str, Step] = {s.name: s for s in (
    _step("approve", N_("Approve and show"), (HELD, HIDDEN), PROGRESSES),
    _step("answer", N_("Answer"), (HELD, VISIBLE), PROGRESSES, text_field="answer",
          required=N_("Write the answer"), limit=MAX_ANSWER),
    _step("resolve", N_("Mark as resolved"), (HELD, VISIBLE), (OPEN, ANSWERED)),
    _step("reopen", N_("Reopen the item"), (HELD, VISIBLE), (RESOLVED,)),
    _step("hold", N_("Hold for review"), (VISIBLE,), PROGRESSES),
    _step("hide", N_("Hide"), (HELD, VISIBLE), PROGRESSES, required=N_("Say why the item is hidden")),
)}
"""In the order the moderation page offers them."""


class StepRefused(MessageError):
    """A step that may not be taken now, with every reason."""

    def __init__(self, field: str, messages: Iterable[Message]) -> None:
        self.field = field
        self.messages = list(messages)
        if len(self.messages) == 1:
            message = self.messages[0]
        else:
            message = Message(N_("Please correct these errors: {errors}"), errors=tuple(self.messages))
        super().__init__(message)


def refusal(name: str, state: State) -> Message | None:
    """Why step ``name`` cannot be taken from ``state`` (None: it can)."""
    step = STEPS.get(name)
    if step is None:
        return Message(N_("“{step}” is not a step of feedback moderation"), step=name)
    if state.visibility not in step.visibilities:
        return Message(N_("“{step}” is not possible for an item that is “{state}”"),
                       step=step.label, state=VISIBILITY_LABELS.get(state.visibility, state.visibility))
    if state.progress not in step.progresses:
        return Message(N_("“{step}” is not possible for an item that is “{state}”"),
                       step=step.label, state=PROGRESS_LABELS.get(state.progress, state.progress))
    return None


def apply(name: str, state: State, text: Any) -> tuple[State, str]:
    """The state step ``name`` leads to from ``state``, and its text
    (checked); :class:`StepRefused` (with the field it concerns: "step", or
    the text's) when it may not be taken.

    Answering or resolving an item still held for review shows it: the
    editor has read it. Answering a resolved item keeps it resolved (the
    answer is replaced, the history keeps the earlier one); reopening a
    resolved item makes it answered again when it has an answer."""
    refused = refusal(name, state)
    if refused is not None:
        raise StepRefused("step", [refused])
    step = STEPS[name]
    try:
        checked = check_text(step.text_field, text, limit=step.text_limit,
                             required=step.text_required is not None,
                             missing=step.text_required or Message(""))
    except FeedbackInputError as error:
        raise StepRefused(step.text_field, error.errors[step.text_field]) from error
    visibility, progress = state.visibility, state.progress
    if name == "approve":
        visibility = VISIBLE
    elif name == "hold":
        visibility = HELD
    elif name == "hide":
        visibility = HIDDEN
    elif name == "answer":
        visibility, progress = VISIBLE, RESOLVED if progress == RESOLVED else ANSWERED
    elif name == "resolve":
        visibility, progress = VISIBLE, RESOLVED
    elif name == "reopen":
        progress = ANSWERED if state.has_answer else OPEN
    return State(visibility, progress, state.has_answer or name == "answer"), checked


def available(state: State) -> list[Step]:
    """The steps an editor may take from ``state`` (the page's buttons)."""
    return [step for step in STEPS.values() if refusal(step.name, state) is None]


def counts_against(kind: str, visibility: str, progress: str) -> bool:
    """Whether an item counts against its dataset: a complaint or an error
    report that is shown and not resolved. Items held for review count once
    an editor shows them; hidden ones never do."""
    return kind in COUNTED_KINDS and visibility == VISIBLE and progress != RESOLVED
