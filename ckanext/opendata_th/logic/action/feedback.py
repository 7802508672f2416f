"""Feedback on published datasets through the API (issue 14, point 1;
playbook step 3.9).

- ``opendata_th_feedback_create`` (POST, anyone, no account needed): a
  comment, complaint or error report on a published dataset.
- ``opendata_th_feedback_list``: a dataset's items shown to everyone; for
  the organization's editors every item of a dataset or of the whole
  organization (the moderation queue), with filters.
- ``opendata_th_feedback_show``: one item (with its history for editors).
- ``opendata_th_feedback_approve``, ``_answer``, ``_resolve``, ``_reopen``,
  ``_hold``, ``_hide`` (POST, the organization's editors): the moderation
  steps. Hiding is not deleting; every step is kept in the item's history.
- ``opendata_th_feedback_counts``: open complaints and error reports, items
  waiting for review, per dataset and organization.

Texts are in the request's language (Thai by default, English for
``/en/api/...``). The reporter's e-mail address is shown only to the
organization's editors; the e-mail telling the reporter about an answer or
a resolution is queued after the step is committed (jobs/feedback.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import feedback as glue
from ckanext.opendata_th import localize
from ckanext.opendata_th.logic.inputs import refused
from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.people import active_user, is_editor
from ckanext.opendata_th.playbook import feedback as rules
from ckanext.opendata_th.playbook import retention
from ckanext.opendata_th.playbook.messages import N_, Message

Context = dict[str, Any]
DataDict = dict[str, Any]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000
UNRESOLVED = "unresolved"
"""The ``progress`` filter for items not resolved yet (open or answered)."""
SORTS = ("newest", "oldest")
MAX_HISTORY = 500


class RateLimited(tk.ValidationError):
    """Too many submissions from one sender (the API answers 429 before the
    action runs, see views/feedback.py; the form shows the message)."""

    def __init__(self, decision: rules.RateDecision) -> None:
        self.retry_after = decision.retry_after
        super().__init__({"rate_limit": [localize.text(rules.rate_refusal(decision))]})


# -- input ---------------------------------------------------------------------------------

def _package(data_dict: DataDict) -> model.Package:
    found = glue.dataset(data_dict.get("package_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset not found"))
    return found


def _organization(data_dict: DataDict) -> model.Group:
    from ckanext.opendata_th import readiness

    found = readiness.organization(data_dict.get("organization_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def _item(data_dict: DataDict) -> tuple[Feedback, model.Package]:
    found = glue.item(data_dict.get("id"))
    package = glue.dataset(found.package_id) if found is not None else None
    if found is None or package is None:
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))
    return found, package


def _choice(data_dict: DataDict, field: str, choices: Iterable[str]) -> Optional[str]:
    value = data_dict.get(field)
    if value in (None, ""):
        return None
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        raise refused({field: [Message(N_("Must be one of: {choices}"), choices=", ".join(allowed))]})
    return value


def _number(data_dict: DataDict, field: str, default: int, lowest: int, highest: int) -> int:
    value = data_dict.get(field)
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not lowest <= number <= highest:
        raise refused({field: [Message(N_("Must be a whole number from {min} to {max}"),
                                       min=lowest, max=highest)]})
    return number


# -- output ---------------------------------------------------------------------------------

def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.isoformat()


def _people(ids: Iterable[Optional[str]]) -> dict[str, model.User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {user.id: user for user in model.Session.query(model.User).filter(model.User.id.in_(wanted))}


def _label(labels: dict[str, Message], value: str) -> str:
    return localize.text(labels[value]) if value in labels else value


def as_dict(row: Feedback, package: model.Package, *, moderator: bool,
            people: Optional[dict[str, model.User]] = None) -> dict[str, Any]:
    """An item as the caller may see it: everyone sees what was sent (not
    the e-mail address), where it stands and the answer; the
    organization's editors also see the e-mail address, the account,
    whether it is shown, what the spam rules found and the steps they may
    take."""
    shown: dict[str, Any] = {
        "id": row.id, "package_id": row.package_id,
        "dataset": {"id": package.id, "name": package.name, "title": package.title or package.name},
        "kind": row.kind, "kind_label": _label(rules.KIND_LABELS, row.kind),
        "message": row.message, "author": row.author_name or None,
        "author_label": row.author_name or localize.gettext("A visitor"),
        "created_at": _iso(row.created_at),
        "progress": row.progress, "progress_label": _label(rules.PROGRESS_LABELS, row.progress),
        "counts_against": rules.counts_against(row.kind, row.visibility, row.progress),
        "answer": row.answer, "answered_at": _iso(row.answered_at),
        "resolution": row.resolution, "resolved_at": _iso(row.resolved_at),
    }
    if not moderator:
        return shown
    people = people if people is not None else _people([row.user_id, row.answered_by, row.resolved_by])
    sender = people.get(row.user_id or "")
    state = rules.State(row.visibility, row.progress, bool(row.answer))
    shown.update({
        "visibility": row.visibility, "visibility_label": _label(rules.VISIBILITY_LABELS, row.visibility),
        "email": row.author_email, "user": sender.name if sender else None,
        "user_display": sender.display_name if sender else None,
        "language": row.language,
        "answered_by": _display(people.get(row.answered_by or "")),
        "resolved_by": _display(people.get(row.resolved_by or "")),
        "screening": [localize.text(Message.from_dict(found)) for found in row.screening or []],
        "steps": [{"name": step.name, "label": localize.text(step.label), "text_field": step.text_field,
                   "text_required": step.text_required is not None, "text_limit": step.text_limit}
                  for step in rules.available(state)],
    })
    return shown


def _display(user: Optional[model.User]) -> Optional[str]:
    return user.display_name if user is not None else None


def _history(row: Feedback) -> list[dict[str, Any]]:
    events = model.Session.query(FeedbackEvent).filter(FeedbackEvent.feedback_id == row.id).order_by(
        FeedbackEvent.at.desc(), FeedbackEvent.id.desc()).limit(MAX_HISTORY).all()
    people = _people(event.user_id for event in events)
    history = []
    for event in events:
        user = people.get(event.user_id or "")
        step = rules.STEPS.get(event.step)
        history.append({
            "id": event.id, "at": _iso(event.at), "step": event.step,
            "step_label": localize.text(step.label) if step else _event_label(event.step),
            "user": user.name if user else None,
            "user_display": user.display_name if user else None,
            "from_visibility": event.from_visibility, "to_visibility": event.to_visibility,
            "from_progress": event.from_progress, "to_progress": event.to_progress,
            "note": event.note})
    return history


def _event_label(step: str) -> str:
    return {"created": localize.gettext("Received"),
            "mailed": localize.gettext("E-mailed the reporter"),
            retention.ERASED: localize.gettext("The sender's name and e-mail address were erased "
                                               "(the retention period was over)")}.get(step, step)


# -- sending ------------------------------------------------------------------------------------

def opendata_th_feedback_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Send a comment, a complaint or an error report on a published
    dataset (POST; anyone, without an account).

    An item sent without an account waits for the organization's editors
    before it is shown (``ckanext.opendata_th.feedback.moderate_signed_in``
    makes signed-in users' items wait too); the blocked-word list and too
    many links hold any item. Each sender may send
    ``ckanext.opendata_th.feedback.rate_limit.count`` items in
    ``.window`` seconds: over it the API answers 429.

    :param package_id: the dataset's id or name
    :param kind: comment, complaint or error
    :param message: the text, at most 4000 characters
    :param name: the sender's name (optional, at most 100 characters; shown
        with the item)
    :param email: the sender's e-mail address (optional; seen only by the
        organization's editors, who e-mail the answer to it)
    :returns: ``{"id", "package_id", "kind", "visible": whether it is shown
        now, "notice": what happens next, in the caller's language}``
    :raises NotAuthorized: the dataset is not published (403)
    :raises ValidationError: ``{"kind"|"message"|"name"|"email": [...]}``
        (409); nothing is saved
    """
    package = _package(data_dict)
    tk.check_access("opendata_th_feedback_create", context, {"package_id": package.id})
    if not glue.is_public(package):  # sysadmins pass the auth function: not this
        raise tk.NotAuthorized(localize.gettext("Feedback can be sent only on published datasets"))
    decision = glue.count_submission()
    if decision is not None and not decision.allowed:
        raise RateLimited(decision)
    try:
        submission = rules.check_submission(data_dict)
    except rules.FeedbackInputError as error:
        raise refused(error.errors)
    screening = rules.screen(submission, data_dict.get(glue.HONEYPOT_FIELD), glue.spam_rules())
    user = active_user(context.get("user"))
    visibility, reasons = rules.first_visibility(screening, signed_in=user is not None,
                                                 moderate_signed_in=glue.moderate_signed_in())
    now = utcnow()
    row = Feedback(package_id=package.id, kind=submission.kind, message=submission.message,
                   author_name=submission.name or None, author_email=submission.email or None,
                   user_id=user.id if user else None, language=localize.request_language(),
                   visibility=visibility, progress=rules.OPEN,
                   screening=[reason.as_dict() for reason in reasons], created_at=now, modified_at=now)
    model.Session.add(row)
    model.Session.flush()
    model.Session.add(FeedbackEvent(feedback_id=row.id, at=now, user_id=user.id if user else None,
                                    step="created", to_visibility=visibility, to_progress=rules.OPEN,
                                    detail={"screening": [reason.as_dict() for reason in reasons]}))
    model.repo.commit()
    visible = visibility == rules.VISIBLE
    notice = (N_("Thank you. Your feedback is shown on the dataset's page.") if visible else
              N_("Thank you. Your feedback will be shown once the agency's editors have read it."))
    return {"id": row.id, "package_id": package.id, "kind": row.kind, "visible": visible,
            "notice": localize.gettext(notice)}


# -- reading ------------------------------------------------------------------------------------

@tk.side_effect_free
def opendata_th_feedback_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Feedback items, newest first (or oldest first).

    Of one dataset (``package_id``): everyone sees the items shown on a
    published dataset; the organization's editors see every item. Of one
    organization (``organization_id``, its editors only): every item of its
    datasets, the moderation queue.

    :param package_id: the dataset's id or name
    :param organization_id: the organization's id or name (instead)
    :param visibility: held, visible or hidden (editors only)
    :param progress: open, answered, resolved or unresolved (open or answered)
    :param kind: comment, complaint or error
    :param sort: newest (default) or oldest
    :param limit: at most this many items (default 20, at most 100)
    :param offset: skip this many (at most 10000)
    :returns: ``{"count", "items": [as opendata_th_feedback_show],
        "counts": {"open", "held", "unanswered", "shown"}, "moderator"}``
    """
    if data_dict.get("organization_id"):
        organization = _organization(data_dict)
        package: Optional[model.Package] = None
        owner, scope = organization.id, {"organization_id": organization.id}
        in_scope = model.Package.owner_org == organization.id
    else:
        package = _package(data_dict)
        owner, scope = package.owner_org, {"package_id": package.id}
        in_scope = Feedback.package_id == package.id
    tk.check_access("opendata_th_feedback_list", context, scope)
    moderator = is_editor(context.get("user"), owner) or bool(context.get("ignore_auth"))
    if package is not None and not moderator and not glue.is_public(package):
        raise tk.NotAuthorized(localize.gettext("Feedback is shown only on published datasets"))
    visibility = _choice(data_dict, "visibility", rules.VISIBILITIES)
    if visibility not in (None, rules.VISIBLE) and not moderator:
        raise tk.NotAuthorized(localize.gettext(
            "Only the editors of the dataset's organization see feedback that is not shown"))
    if not moderator:
        visibility = rules.VISIBLE
    progress = _choice(data_dict, "progress", (*rules.PROGRESSES, UNRESOLVED))
    kind = _choice(data_dict, "kind", rules.KINDS)
    sort = _choice(data_dict, "sort", SORTS) or "newest"
    limit = _number(data_dict, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _number(data_dict, "offset", 0, 0, MAX_OFFSET)

    query = model.Session.query(Feedback, model.Package).join(
        model.Package, model.Package.id == Feedback.package_id).filter(model.Package.state == "active", in_scope)
    if visibility:
        query = query.filter(Feedback.visibility == visibility)
    if progress == UNRESOLVED:
        query = query.filter(Feedback.progress != rules.RESOLVED)
    elif progress:
        query = query.filter(Feedback.progress == progress)
    if kind:
        query = query.filter(Feedback.kind == kind)
    total = query.count()
    order = Feedback.created_at.asc() if sort == "oldest" else Feedback.created_at.desc()
    rows = query.order_by(order, Feedback.id).offset(offset).limit(limit).all()
    people = _people(i for row, _p in rows for i in (row.user_id, row.answered_by, row.resolved_by)) \
        if moderator else {}
    if package is None:
        found = glue.counts(organization_ids=[owner])["organizations"].get(owner) or glue.Counts()
    else:
        found = glue.counts(package_ids=[package.id])["datasets"].get(package.id) or glue.Counts()
    shown_counts: dict[str, Any] = found.as_dict() if moderator else {**found.as_dict(), "held": None}
    return {"count": total, "moderator": moderator, "counts": shown_counts,
            "items": [as_dict(row, found_package, moderator=moderator, people=people)
                      for row, found_package in rows]}


@tk.side_effect_free
def opendata_th_feedback_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One feedback item: as ``opendata_th_feedback_list`` gives it; for the
    organization's editors also ``"history"``, newest first: ``[{"at",
    "step", "step_label", "user", "user_display", "from_visibility",
    "to_visibility", "from_progress", "to_progress", "note"}]``.

    :param id: the item's id
    """
    row, package = _item(data_dict)
    tk.check_access("opendata_th_feedback_show", context, {"id": row.id})
    moderator = is_editor(context.get("user"), package.owner_org) or bool(context.get("ignore_auth"))
    if not moderator and not (glue.is_public(package) and row.visibility == rules.VISIBLE):
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))  # sysadmins pass the auth
    shown = as_dict(row, package, moderator=moderator)
    if moderator:
        shown["history"] = _history(row)
    return shown


@tk.side_effect_free
def opendata_th_feedback_counts(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Feedback in numbers: ``open`` (complaints and error reports shown and
    not resolved: they count against the dataset), ``held`` (waiting for
    review), ``unanswered`` (shown, nobody answered yet) and ``shown``.

    :param organization_id: the organization's id or name (its members):
        ``{"organization": counts, "datasets": {package_id: counts}}``
    :param package_id: a dataset's id or name (instead; whoever may read its
        feedback): ``{"dataset": counts}``, ``held`` only for its editors
    """
    if data_dict.get("organization_id"):
        organization = _organization(data_dict)
        tk.check_access("opendata_th_feedback_counts", context, {"organization_id": organization.id})
        found = glue.counts(organization_ids=[organization.id])
        return {"organization": (found["organizations"].get(organization.id) or glue.Counts()).as_dict(),
                "datasets": {key: value.as_dict() for key, value in found["datasets"].items()}}
    package = _package(data_dict)
    tk.check_access("opendata_th_feedback_counts", context, {"package_id": package.id})
    moderator = is_editor(context.get("user"), package.owner_org) or bool(context.get("ignore_auth"))
    if not moderator and not glue.is_public(package):
        raise tk.NotAuthorized(localize.gettext("Feedback is shown only on published datasets"))
    shown: dict[str, Any] = (glue.counts(package_ids=[package.id])["datasets"].get(package.id)
                             or glue.Counts()).as_dict()
    if not moderator:
        shown["held"] = None
    return {"dataset": shown}


# -- moderating ------------------------------------------------------------------------------------

def _locked(feedback_id: str) -> Feedback:
    """The item, locked until the commit: two editors acting on one item at
    once are serialized, the second sees the first's step."""
    found = model.Session.query(Feedback).filter(Feedback.id == feedback_id).populate_existing() \
        .with_for_update().one_or_none()
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Feedback not found"))
    return found


def _take(name: str, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take moderation step ``name`` on an item and record it."""
    row, package = _item(data_dict)
    tk.check_access(f"opendata_th_feedback_{name}", context, {"id": row.id})
    row = _locked(row.id)
    step = rules.STEPS[name]
    before = rules.State(row.visibility, row.progress, bool(row.answer))
    try:
        after, text = rules.apply(name, before, data_dict.get(step.text_field))
    except rules.StepRefused as refusal:
        model.Session.rollback()
        raise refused({refusal.field: refusal.messages})
    user = active_user(context.get("user"))
    user_id = user.id if user else None
    now = utcnow()
    if name == "answer":
        row.answer, row.answered_by, row.answered_at = text, user_id, now
    elif name == "resolve":
        row.resolution, row.resolved_by, row.resolved_at = text or None, user_id, now
    elif name == "reopen":
        row.resolution = row.resolved_by = row.resolved_at = None
    row.visibility, row.progress, row.modified_at = after.visibility, after.progress, now
    event = FeedbackEvent(feedback_id=row.id, at=now, user_id=user_id, step=name,
                          from_visibility=before.visibility, to_visibility=after.visibility,
                          from_progress=before.progress, to_progress=after.progress, note=text or None)
    model.Session.add(event)
    model.repo.commit()
    return {**as_dict(row, package, moderator=True), "event_id": event.id}


def opendata_th_feedback_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Show an item held for review, or a hidden one again (POST; the
    editors of the dataset's organization).

    :param id: the item's id
    :param note: why (optional, at most 1000 characters)
    :returns: the item as its editors see it, and ``"event_id"``
    :raises ValidationError: ``{"step": [...]}`` when the item is already
        shown, ``{"note": [...]}`` (409); nothing is changed
    """
    return _take("approve", context, data_dict)


def opendata_th_feedback_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer an item: the answer is shown under it (an item held for review
    is shown with it) and e-mailed to the reporter when they gave an
    address (POST; the editors of the dataset's organization). A new answer
    replaces the shown one; the history keeps every answer.

    :param id: the item's id
    :param answer: the answer, at most 4000 characters
    :returns: the item as its editors see it, and ``"event_id"``
    :raises ValidationError: ``{"answer": [...]}``, ``{"step": [...]}`` for
        a hidden item (409); nothing is changed
    """
    return _take("answer", context, data_dict)


def opendata_th_feedback_resolve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark an item resolved: a complaint or error report no longer counts
    against its dataset; the reporter is e-mailed when they gave an
    address (POST; the editors of the dataset's organization).

    :param id: the item's id
    :param note: what was done (optional, at most 1000 characters; shown)
    :returns: the item as its editors see it, and ``"event_id"``
    """
    return _take("resolve", context, data_dict)


def opendata_th_feedback_reopen(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reopen a resolved item (POST; the editors of the dataset's organization).

    :param id: the item's id
    :param note: why (optional, at most 1000 characters)
    :returns: the item as its editors see it, and ``"event_id"``
    """
    return _take("reopen", context, data_dict)


def opendata_th_feedback_hold(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Stop showing an item until it is reviewed again (POST; the editors of
    the dataset's organization).

    :param id: the item's id
    :param note: why (optional, at most 1000 characters)
    :returns: the item as its editors see it, and ``"event_id"``
    """
    return _take("hold", context, data_dict)


def opendata_th_feedback_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Hide an item (spam, abuse, personal data): it is no longer shown nor
    counted, and is kept with its history (POST; the editors of the
    dataset's organization). "Approve and show" shows it again.

    :param id: the item's id
    :param note: why it is hidden (required, at most 1000 characters)
    :returns: the item as its editors see it, and ``"event_id"``
    """
    return _take("hide", context, data_dict)
