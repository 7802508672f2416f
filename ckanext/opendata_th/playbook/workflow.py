"""The disclosure workflow's state machine: the stages a dataset goes through
(steps 3.1-3.7 of the playbook), the transitions between them, who may run
each one and what each one needs.

A dataset is surveyed (candidate), selected, prepared, sent for approval and
approved, which publishes it; on the way it may be withheld (the
classification says it cannot be disclosed) or returned with a reason. This
module only decides: the glue (``workflow.py`` at the package root) gathers
the :class:`Facts` from CKAN, asks :func:`apply` for the target stage and
records the change.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ckanext.opendata_th.playbook import national_schema
from ckanext.opendata_th.playbook.disclosure import public_refusal
from ckanext.opendata_th.playbook.messages import N_, Message, MessageError
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, PUBLIC

# --- stages ---------------------------------------------------------------

CANDIDATE = "candidate"
SELECTED = "selected"
PREPARED = "prepared"
PENDING = "pending_approval"
PUBLISHED = "published"
WITHHELD = "withheld"
RETURNED = "returned"

STAGES: tuple[str, ...] = (CANDIDATE, SELECTED, PREPARED, PENDING, PUBLISHED, WITHHELD, RETURNED)
"""The pipeline in order, then the two side stages."""

STAGE_LABELS: dict[str, Message] = {
    CANDIDATE: Message(N_("Candidate")),
    SELECTED: Message(N_("Selected")),
    PREPARED: Message(N_("Prepared")),
    PENDING: Message(N_("Pending approval")),
    PUBLISHED: Message(N_("Published")),
    WITHHELD: Message(N_("Withheld")),
    RETURNED: Message(N_("Returned")),
}

# --- roles a user holds for one dataset -----------------------------------

EDITOR = "editor"
"""May update the dataset."""
APPROVER = "approver"
"""May approve for the dataset's organization (the glue also makes them an editor)."""
SYSTEM = "system"
"""The extension itself (a classification or licence change recalls a published dataset)."""

# --- transitions ----------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step from some stages to one stage."""

    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    """Holding any one of these roles allows the step."""
    comment_required: bool
    label: Message
    """The button text."""
    publishes: bool
    """The target is published: the glue makes the dataset public."""
    unpublishes: bool
    """The source is published: the glue makes the dataset private."""


def _transition(name: str, sources: tuple[str, ...], target: str, roles: Iterable[str], label: str, *,
                comment: bool = False) -> Transition:
    return Transition(name=name, sources=sources, target=target, roles=frozenset(roles),
                      comment_required=comment, label=Message(label),
                      publishes=target == PUBLISHED, unpublishes=PUBLISHED in sources)


TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    _transition("select", (CANDIDATE,), SELECTED, {EDITOR}, N_("Select for disclosure")),
    _transition("deselect", (SELECTED,), CANDIDATE, {EDITOR}, N_("Deselect"), comment=True),
    _transition("withhold", (CANDIDATE, SELECTED, PREPARED, RETURNED), WITHHELD, {EDITOR, SYSTEM},
                N_("Withhold"), comment=True),
    _transition("reopen", (WITHHELD,), CANDIDATE, {EDITOR}, N_("Reopen"), comment=True),
    _transition("prepare", (SELECTED, RETURNED), PREPARED, {EDITOR}, N_("Mark as prepared")),
    _transition("submit", (PREPARED, RETURNED), PENDING, {EDITOR}, N_("Send for approval")),
    _transition("approve", (PENDING,), PUBLISHED, {APPROVER}, N_("Approve")),
    _transition("return", (PENDING,), RETURNED, {APPROVER}, N_("Return for changes"), comment=True),
    _transition("withdraw", (PUBLISHED,), RETURNED, {APPROVER, EDITOR}, N_("Withdraw"), comment=True),
    _transition("recall", (PUBLISHED,), PENDING, {SYSTEM}, N_("Recall for approval"), comment=True),
)}


@dataclass(frozen=True)
class Facts:
    """What the preconditions need, gathered by the glue."""

    category: str | None = None
    """data_category as stored."""
    classification: str | None = None
    """data_classification as stored."""
    disclosable: bool | None = None
    """The classification decision's verdict; None: not classified yet."""
    selection_reasons: tuple[str, ...] = ()
    licence_open: bool = False
    metadata_gaps: tuple[Message, ...] = ()
    """See :func:`metadata_gaps`."""
    readiness_refusal: Message | None = None
    """The readiness gate's refusal (None: ready, or the gate is off)."""
    quality_problems: tuple[Message, ...] = ()
    """What the data-quality reports of the dataset's files say keeps it
    from being published (personal data, error findings): the quality gate
    of data preparation (3.6) before approval (3.7)."""


class TransitionRefused(MessageError):
    """A transition that may not run, with every reason.

    ``forbidden`` is True when the user lacks the role for it (the glue
    answers "not authorized"); otherwise the stage or a precondition is wrong
    (a conflict the user can fix)."""

    def __init__(self, messages: Iterable[Message], *, forbidden: bool = False) -> None:
        self.messages = list(messages)
        self.forbidden = forbidden
        if len(self.messages) == 1:
            message = self.messages[0]
        else:
            message = Message(N_("Please correct these errors: {errors}"), errors=tuple(self.messages))
        super().__init__(message)


def role_refusal(name: str, roles: Iterable[str]) -> Message | None:
    """Why a user with these roles may not run transition ``name`` (which
    must exist), or None when a role fits."""
    transition = TRANSITIONS[name]
    if transition.roles & frozenset(roles):
        return None
    step = transition.label
    if EDITOR in transition.roles:
        return Message(N_("Only an editor of the dataset can do “{transition}”"), transition=step)
    if APPROVER in transition.roles:
        return Message(N_("Only an approver of the organization can do “{transition}”"), transition=step)
    return Message(N_("“{transition}” is done only by the portal itself, when a published dataset's "
                      "classification or licence changes"), transition=step)


def _disclosable_refusal(facts: Facts) -> Message | None:
    if facts.disclosable is None:
        return Message(N_("Classify the dataset first: the classification has not decided whether "
                          "it can be disclosed"))
    if not facts.disclosable:
        return Message(N_("The classification decided that the dataset cannot be disclosed"))
    return None


def precondition_refusals(name: str, facts: Facts) -> list[Message]:
    """What the dataset lacks for transition ``name`` (which must exist),
    every reason at once; [] when nothing. This is what a button shows
    before it is pressed (the comment is asked for when it is)."""
    found: list[Message | None] = []
    if name == "select":
        if not facts.selection_reasons:
            found.append(Message(N_("Give at least one selection reason")))
        if (facts.category or "").strip() != PUBLIC:
            category = (facts.category or "").strip()
            found.append(Message(
                N_("Only public data ({public}) can be selected; the dataset's data category is {category}"),
                public=PUBLIC,
                category=national_schema.FIELDS["dataset"][CATEGORY_FIELD].quoted_choice(category)
                if category else Message(N_("not given"))))
    elif name == "prepare":
        found.append(_disclosable_refusal(facts))
    elif name in ("submit", "approve"):
        found.append(_disclosable_refusal(facts))
        found.append(public_refusal(facts.category, facts.classification))
        if not facts.licence_open:
            found.append(Message(N_("The licence is not an open licence: choose an open licence")))
        found.extend(facts.metadata_gaps)
        found.extend(facts.quality_problems)
        found.append(facts.readiness_refusal)
    return [message for message in found if message]


def refusals(name: str, stage: str, roles: Iterable[str], facts: Facts, comment: str) -> list[Message]:
    """Why transition ``name`` may not run now; [] when it may.

    An unknown transition or stage, a stage the transition does not start
    from, or a missing role is the only reason given (nothing else matters
    then); otherwise a missing comment and every missing precondition are
    listed together."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        return [Message(N_("“{transition}” is not a step of the disclosure workflow"), transition=name)]
    if stage not in STAGES:
        return [Message(N_("“{stage}” is not a stage of the disclosure workflow"), stage=stage)]
    if stage not in transition.sources:
        return [Message(N_("“{transition}” is not possible at the stage “{stage}”"),
                        transition=transition.label, stage=STAGE_LABELS[stage])]
    role = role_refusal(name, roles)
    if role is not None:
        return [role]
    found = []
    if transition.comment_required and not str(comment or "").strip():
        found.append(Message(N_("Give a comment: “{transition}” needs the reason"),
                             transition=transition.label))
    return found + precondition_refusals(name, facts)


def apply(name: str, stage: str, roles: Iterable[str], facts: Facts, comment: str) -> str:
    """The stage transition ``name`` leads to; raises
    :class:`TransitionRefused` when it may not run."""
    roles = frozenset(roles)
    found = refusals(name, stage, roles, facts, comment)
    if found:
        forbidden = (name in TRANSITIONS and stage in TRANSITIONS[name].sources
                     and role_refusal(name, roles) is not None)
        raise TransitionRefused(found, forbidden=forbidden)
    return TRANSITIONS[name].target


def available(stage: str, roles: Iterable[str]) -> list[Transition]:
    """The transitions a user with these roles could run from ``stage`` (the
    buttons to show; their preconditions may still refuse them)."""
    roles = frozenset(roles)
    return [t for t in TRANSITIONS.values() if stage in t.sources and t.roles & roles]


# --- mandatory metadata ---------------------------------------------------

_TAGS_FIELD = "tag_string"


def _filled(name: str, dataset: Mapping[str, object]) -> bool:
    if name == _TAGS_FIELD:  # package_show gives "tags", the form "tag_string"
        tags = dataset.get("tags")
        if isinstance(tags, (list, tuple)) and any(
                not national_schema.is_empty(t.get("name") if isinstance(t, Mapping) else t) for t in tags):
            return True
    return bool(national_schema.selected(dataset.get(name)))  # "[]" is an empty multi-choice


def metadata_gaps(dataset: Mapping[str, object]) -> list[Message]:
    """The mandatory metadata an approval needs and the dataset lacks: every
    national field the schema requires for its data_type, and a resource."""
    data_type = dataset.get("data_type")
    gaps = []
    for field in national_schema.FIELDS["dataset"].values():
        if _filled(field.name, dataset):
            continue
        error = national_schema.missing_value_error(field, data_type, dataset)
        if error is not None:
            gaps.append(error.message)
    resources = dataset.get("resources")
    if not (isinstance(resources, (list, tuple)) and resources):
        gaps.append(Message(N_("The dataset has no resource: add the data file or its link")))
    return gaps
