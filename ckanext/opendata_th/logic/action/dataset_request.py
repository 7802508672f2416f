"""Dataset requests' API (step 3.9.2): anyone asks for a dataset, everyone
reads the requests with their status, the organization's admins triage
them.

The rules (states, decisions, limits, the candidate dataset's fields) are
plain Python in :mod:`ckanext.opendata_th.playbook.dataset_requests`. Every
action commits once, at its end; a refused call changes nothing. An
accepted request makes its candidate dataset through ``package_create``
(private, stage candidate) in the same transaction. The requester's e-mail
about a decision is queued after the commit (``subscriptions.py``). Texts
are in the request's language (Thai by default, English for
``/en/api/...``).

Privacy: the requester's name and e-mail are returned only to those who
triage the request; a linked dataset is returned only to those who may see
it, so a request accepted into a private candidate says "accepted" and
links the dataset once it is public.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, people, ratelimit
from ckanext.opendata_th.logic.auth.dataset_request import is_requester, may_triage, request_or_404
from ckanext.opendata_th.logic.inputs import refused
from ckanext.opendata_th.model.dataset_request import DatasetRequest, DatasetRequestEvent
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.playbook import dataset_requests as rules
from ckanext.opendata_th.playbook.feedback import RateLimit
from ckanext.opendata_th.playbook.messages import N_, Message

Context = dict[str, Any]
DataDict = dict[str, Any]

RATE_COUNT_OPTION = "ckanext.opendata_th.dataset_requests.rate_limit.count"
RATE_WINDOW_OPTION = "ckanext.opendata_th.dataset_requests.rate_limit.window"
DEFAULT_RATE_COUNT = 5
DEFAULT_RATE_WINDOW = 3600
RATE_SCOPE = "dataset_request"
HONEYPOT = "homepage"
"""The form field people never see (hidden); a program that fills it is refused."""
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000
MAX_ID = 200


# -- input ---------------------------------------------------------------------------

def rate_limit() -> RateLimit:
    """The requests (and answers) one sender may send per window."""
    def number(option: str, default: int) -> int:
        try:
            return int(tk.config.get(option, default))
        except (TypeError, ValueError):
            return default
    return RateLimit(number(RATE_COUNT_OPTION, DEFAULT_RATE_COUNT),
                     number(RATE_WINDOW_OPTION, DEFAULT_RATE_WINDOW))


def _count_attempt(context: Context, field: str) -> None:
    """One more attempt of the sender; over the limit: RateLimited (409 on
    the pages, 429 on the API). Sysadmins are not counted."""
    user = people.active_user(context.get("user"))
    if user is not None and user.sysadmin:
        return
    decision = ratelimit.hit(RATE_SCOPE, rate_limit())
    if not decision.allowed:
        minutes = max(1, -(-decision.retry_after // 60))
        raise ratelimit.refuse(field, Message(
            N_("You have sent many requests in a short time. Please try again in {minutes} minutes."),
            minutes=minutes), decision)


def _organization(value: Any, field: str = "organization_id") -> Optional[model.Group]:
    """The active organization named by ``value`` (id or name); None when
    not given; an unknown one is refused."""
    if value is None or value == "":
        return None
    found = model.Group.get(value) if isinstance(value, str) and len(value) <= MAX_ID else None
    if found is None or not found.is_organization or found.state != "active":
        raise refused({field: [Message(N_("There is no organization “{value}”"),
                                       value=str(value)[:MAX_ID])]})
    return found


def _whole_number(value: Any, key: str, default: int, maximum: int) -> int:
    if value is None or value == "":
        return default
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or int(text) > maximum:
        raise refused({key: [Message(N_("“{key}” must be a whole number from 0 to {max}"),
                                     key=key, max=maximum)]})
    return int(text)


def _flag(value: Any, key: str) -> bool:
    if value is None or value == "" or value is False:
        return False
    if value is True:
        return True
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise refused({key: [Message(N_("“{key}” must be true or false"), key=key)]})


def _commit(context: Context) -> None:
    if context.get("defer_commit"):
        model.Session.flush()
    else:
        model.repo.commit()


def _release(context: Context) -> None:
    if not context.get("defer_commit"):
        model.Session.rollback()


# -- output --------------------------------------------------------------------------

def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.isoformat()


def state_label(state: Optional[str]) -> str:
    label = rules.STATE_LABELS.get(state or "")
    return localize.text(label) if label else (state or "")


def reason_label(reason: Optional[str]) -> Optional[str]:
    if not reason:
        return None
    label = rules.REASON_LABELS.get(reason)
    return localize.text(label) if label else reason


def decision_label(name: Optional[str]) -> Optional[str]:
    found = rules.DECISIONS.get(name or "")
    return localize.text(found.label) if found else name


def _organizations(ids: Iterable[Optional[str]]) -> dict[str, model.Group]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {group.id: group for group in model.Session.query(model.Group).filter(model.Group.id.in_(wanted))}


def _people(ids: Iterable[Optional[str]]) -> dict[str, model.User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {user.id: user for user in model.Session.query(model.User).filter(model.User.id.in_(wanted))}


def _read_organizations(user: Optional[model.User]) -> Optional[set[str]]:
    """The organizations whose private datasets the user may see (None:
    every one, a sysadmin)."""
    if user is None:
        return set()
    if user.sysadmin:
        return None
    rows = model.Session.query(model.Member.group_id).join(
        model.Group, model.Group.id == model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Group.is_organization.is_(True),
        model.Group.state == "active")
    return {group_id for (group_id,) in rows}


def _visible_datasets(ids: Iterable[Optional[str]], user: Optional[model.User]) -> dict[str, dict[str, Any]]:
    """The linked datasets the user may see (public ones; private ones of
    their organizations), by id, in two queries whatever their number."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    readable = _read_organizations(user)
    found = {}
    for package in model.Session.query(model.Package).filter(model.Package.id.in_(wanted),
                                                             model.Package.state == "active"):
        if package.private and readable is not None and package.owner_org not in readable:
            continue
        found[package.id] = {"id": package.id, "name": package.name, "title": package.title or package.name,
                             "private": bool(package.private)}
    return found


class _Lookups:
    """What the dicts of some requests need from CKAN, read at once."""

    def __init__(self, rows: list[DatasetRequest], user: Optional[model.User],
                 events: Iterable[DatasetRequestEvent] = ()):
        events = list(events)
        self.user = user
        self.organizations = _organizations([row.organization_id for row in rows]
                                            + [org for e in events for org in _assigned(e)])
        self.datasets = _visible_datasets([row.package_id for row in rows]
                                          + [e.package_id for e in events], user)
        self.triage = {row.id: may_triage(user.name if user else None, row.organization_id) for row in rows}
        self.people = _people([e.user_id for e in events]) if any(self.triage.values()) else {}


def _assigned(event: DatasetRequestEvent) -> list[str]:
    detail = event.detail or {}
    return [value for value in (detail.get("from"), detail.get("to")) if isinstance(value, str)]


def _organization_dict(group: Optional[model.Group]) -> Optional[dict[str, Any]]:
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title or group.name}


def _event_dict(event: DatasetRequestEvent, row: DatasetRequest, found: _Lookups) -> dict[str, Any]:
    organization = found.organizations.get(row.organization_id or "")
    if event.kind in ("created", "reply"):
        actor = localize.gettext("The requester")
    elif event.kind == "decision" and organization is not None:
        actor = organization.title or organization.name
    else:
        actor = localize.gettext("The portal's administrators")
    detail = event.detail or {}
    shown = {
        "id": event.id, "at": _iso(event.at), "kind": event.kind, "actor": actor,
        "decision": event.decision, "decision_label": decision_label(event.decision),
        "from_state": event.from_state, "to_state": event.to_state,
        "to_label": state_label(event.to_state) if event.to_state else None,
        "reason": event.reason, "reason_label": reason_label(event.reason),
        "comment": event.comment or "",
        "dataset": found.datasets.get(event.package_id or ""),
    }
    if event.kind == "assigned":
        shown["organization"] = _organization_dict(found.organizations.get(detail.get("to") or ""))
    if found.triage.get(row.id):
        user = found.people.get(event.user_id or "")
        shown["user"] = user.display_name if user is not None else None
    return shown


def _as_dict(row: DatasetRequest, found: _Lookups,
             history: Optional[list[DatasetRequestEvent]] = None) -> dict[str, Any]:
    triage = found.triage.get(row.id, False)
    shown: dict[str, Any] = {
        "id": row.id, "title": row.title, "description": row.description, "purpose": row.purpose,
        "state": row.state, "state_label": state_label(row.state),
        "open": row.state in rules.OPEN_STATES,
        "organization": _organization_dict(found.organizations.get(row.organization_id or "")),
        "reason": row.reason, "reason_label": reason_label(row.reason),
        "dataset": found.datasets.get(row.package_id or ""),
        "created": _iso(row.created), "modified": _iso(row.modified), "decided_at": _iso(row.decided_at),
        "can_triage": triage,
    }
    if triage:
        shown["requester"] = {"name": row.requester_name, "email": row.requester_email,
                              "account": row.requester_user_id is not None}
        shown["decisions"] = [name for name, decision in rules.DECISIONS.items()
                              if row.state in decision.sources]
    if history is not None:
        shown["history"] = [_event_dict(event, row, found) for event in history]
    return shown


def _history(row: DatasetRequest) -> list[DatasetRequestEvent]:
    return model.Session.query(DatasetRequestEvent).filter_by(request_id=row.id).order_by(
        DatasetRequestEvent.at.desc(), DatasetRequestEvent.id.desc()).limit(1000).all()


def _show(row: DatasetRequest, user: Optional[model.User]) -> dict[str, Any]:
    history = _history(row)
    return _as_dict(row, _Lookups([row], user, history), history)


def _event(row: DatasetRequest, kind: str, user: Optional[model.User], **fields: Any) -> DatasetRequestEvent:
    event = DatasetRequestEvent(request_id=row.id, at=utcnow(), kind=kind,
                                user_id=user.id if user is not None else None, **fields)
    model.Session.add(event)
    return event


# -- reading -------------------------------------------------------------------------

@tk.side_effect_free
def opendata_th_request_schema_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The states of a request, the triage decisions (with the states each
    is taken from and what it needs) and the reasons a request is not
    suitable, with their labels in the request's language."""
    tk.check_access("opendata_th_request_schema_show", context, data_dict)
    return {
        "states": [{"key": state, "label": state_label(state), "open": state in rules.OPEN_STATES}
                   for state in rules.STATES],
        "decisions": [{"key": d.name, "label": localize.text(d.label), "target": d.target,
                       "sources": list(d.sources), "needs_comment": d.needs_comment,
                       "needs_reason": d.needs_reason, "needs_dataset": d.needs_dataset}
                      for d in rules.DECISIONS.values()],
        "reasons": [{"key": key, "label": localize.text(rules.REASON_LABELS[key])} for key in rules.REASONS],
        "limits": {"title": rules.MAX_TITLE, "text": rules.MAX_TEXT, "name": rules.MAX_NAME,
                   "email": rules.MAX_EMAIL},
    }


@tk.side_effect_free
def opendata_th_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One request with its history, newest first. Anyone.

    :param id: the request's id
    :returns: ``{"id", "title", "description", "purpose", "state",
        "state_label", "open", "organization": {"id", "name", "title"} |
        null, "reason", "reason_label", "dataset": {"id", "name", "title",
        "private"} | null (only when the caller may see it), "created",
        "modified", "decided_at", "can_triage", "history": [{"id", "at",
        "kind", "actor", "decision", "decision_label", "from_state",
        "to_state", "to_label", "reason", "reason_label", "comment",
        "dataset"}]}``; those who triage it also get ``"requester": {"name",
        "email", "account"}``, ``"decisions"`` (those possible now) and
        each event's ``"user"``
    """
    tk.check_access("opendata_th_request_show", context, data_dict)
    return _show(request_or_404(data_dict), people.active_user(context.get("user")))


def _triage_scope(user: Optional[model.User]) -> Any:
    """The filter of the requests this user triages (None: every one)."""
    if user is None:
        return sa.false()
    if user.sysadmin:
        return None
    admin_of = model.Session.query(model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity == "admin")
    return DatasetRequest.organization_id.in_(admin_of.scalar_subquery())


@tk.side_effect_free
def opendata_th_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Requests, newest first, ``limit`` (at most 100, default 20) from
    ``offset``. Anyone.

    :param state: one of the states, or ``open`` (waiting for review or
        needing more information)
    :param organization_id: the organization's id or name
    :param unassigned: true: only the requests not addressed to an organization
    :param for_triage: true: only the open requests the caller triages
    :returns: ``{"count", "limit", "offset", "results": [request as
        opendata_th_request_show, without history]}``
    """
    tk.check_access("opendata_th_request_list", context, data_dict)
    user = people.active_user(context.get("user"))
    limit = _whole_number(data_dict.get("limit"), "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _whole_number(data_dict.get("offset"), "offset", 0, MAX_OFFSET)
    query = model.Session.query(DatasetRequest)
    state = data_dict.get("state")
    if state == "open":
        query = query.filter(DatasetRequest.state.in_(rules.OPEN_STATES))
    elif state not in (None, ""):
        if state not in rules.STATES:
            raise refused({"state": [Message(N_("Unknown state “{value}” (choose from: {choices})"),
                                             value=str(state)[:50],
                                             choices=", ".join(("open",) + rules.STATES))]})
        query = query.filter(DatasetRequest.state == state)
    organization = _organization(data_dict.get("organization_id"))
    if organization is not None:
        query = query.filter(DatasetRequest.organization_id == organization.id)
    if _flag(data_dict.get("unassigned"), "unassigned"):
        query = query.filter(DatasetRequest.organization_id.is_(None))
    if _flag(data_dict.get("for_triage"), "for_triage"):
        scope = _triage_scope(user)
        query = query.filter(DatasetRequest.state.in_(rules.OPEN_STATES))
        if scope is not None:
            query = query.filter(scope)
    count = query.count()
    rows = query.order_by(DatasetRequest.created.desc(), DatasetRequest.id).offset(offset).limit(limit).all()
    found = _Lookups(rows, user)
    return {"count": count, "limit": limit, "offset": offset,
            "results": [_as_dict(row, found) for row in rows]}


# -- writing -------------------------------------------------------------------------

def opendata_th_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for a dataset. Anyone, without an account; each sender may send
    at most ``ckanext.opendata_th.dataset_requests.rate_limit.count`` requests
    (and answers) per ``.window`` seconds (429 beyond).

    :param title: the data wanted (5-200 characters)
    :param purpose: why it is needed (at most 2000 characters)
    :param description: details (optional, at most 2000 characters)
    :param organization_id: the organization that holds it, if known (id or name)
    :param name: the requester's name (optional, never shown to the public)
    :param email: the requester's e-mail (optional, never shown to the
        public): they are e-mailed when the request's status changes.
        Logged-in users' own address by default.
    :param homepage: leave out: a hidden field of the form that only
        programs fill in; filled in, the request is refused
    :returns: the request as ``opendata_th_request_show`` for its
        requester, with ``reply_key``: the secret of the link with which
        they answer questions (``opendata_th_request_reply``)
    :raises ValidationError: ``{field: [message]}`` (409); nothing is saved
    """
    tk.check_access("opendata_th_request_create", context, data_dict)
    _count_attempt(context, "title")
    honeypot = data_dict.get(HONEYPOT)
    if honeypot not in (None, "") and not (isinstance(honeypot, str) and not honeypot.strip()):
        raise refused({HONEYPOT: [Message(N_("The request was refused: it looks like it was sent by a program"))]})
    try:
        checked = rules.check_new(data_dict)
    except rules.RequestInputError as error:
        raise refused(error.errors) from None
    organization = _organization(data_dict.get("organization_id"))
    user = people.active_user(context.get("user"))
    email = checked.email or (user.email if user is not None and user.email else "")
    now = utcnow()
    row = DatasetRequest(title=checked.title, description=checked.description, purpose=checked.purpose,
                         organization_id=organization.id if organization is not None else None,
                         requester_name=checked.name, requester_email=email,
                         requester_user_id=user.id if user is not None else None,
                         reply_key=secrets.token_urlsafe(24), state=rules.NEW, created=now, modified=now)
    model.Session.add(row)
    model.Session.flush()
    _event(row, "created", user, to_state=rules.NEW)
    _commit(context)
    shown = _show(row, user)
    shown["reply_key"] = row.reply_key
    return shown


def _public_dataset(value: Any) -> model.Package:
    """The published (public, active) dataset of ``value``; a private,
    deleted or unknown one is refused with the same words (no one learns
    that a private dataset exists)."""
    package = model.Package.get(value) if isinstance(value, str) and 0 < len(value) <= MAX_ID else None
    if package is None or package.state != "active" or package.private or package.type != "dataset":
        raise refused({"dataset": [Message(
            N_("There is no published dataset “{value}”: give the name or id of a public dataset"),
            value=str(value)[:MAX_ID])]})
    return package


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    return [str(value)] if value else []


def _candidate(context: Context, row: DatasetRequest, user: Optional[model.User],
               data_dict: DataDict) -> model.Package:
    """The candidate dataset of an accepted request, made through
    ``package_create`` as the deciding user, in this transaction."""
    organization = model.Group.get(row.organization_id) if row.organization_id else None
    if organization is None or organization.state != "active":
        raise refused({"decision": [Message(N_("Address the request to an organization before accepting it"))]})
    try:
        title = rules.check_dataset_title(data_dict.get("dataset_title"), row.title)
    except rules.RequestInputError as error:
        raise refused(error.errors) from None
    email = data_dict.get("maintainer_email") or (user.email if user is not None else "") or ""
    if not isinstance(email, str) or not rules.is_email(email.strip()):
        raise refused({"maintainer_email": [Message(
            N_("Give the contact e-mail of the new dataset (your account has none)"))]})
    data_type = data_dict.get("data_type") or rules.DEFAULT_DATA_TYPE
    origin = localize.text(Message(N_("Asked for by the public: {url}"), url=request_url(row.id)),
                           localize.default_language())
    fields = rules.candidate_fields(
        title=title, description=row.description, origin=origin,
        organization_title=organization.title or organization.name, contact_email=email.strip(),
        data_type=data_type if isinstance(data_type, str) else rules.DEFAULT_DATA_TYPE)
    create_context = {"model": model, "session": model.Session, "defer_commit": True,
                      "user": user.name if user is not None else context.get("user"),
                      "return_id_only": True}
    try:
        package_id = tk.get_action("package_create")(create_context, {**fields, "owner_org": organization.id})
    except tk.ValidationError as error:
        _release(context)
        raise tk.ValidationError({"dataset": [text for value in error.error_dict.values()
                                              for text in _texts(value)]}) from None
    return model.Package.get(package_id)


def request_url(request_id: str) -> str:
    """The request's public page."""
    return tk.url_for("opendata_th_dataset_request.read", id=request_id, _external=True)


def opendata_th_request_triage(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Decide on a request. The admins of its organization; sysadmins.

    :param id: the request's id
    :param decision: ``accept`` (makes a candidate dataset in the
        disclosure workflow, private, and links it), ``available`` (links a
        published dataset), ``not_suitable`` (with a ``reason``),
        ``needs_info`` (the ``comment`` is the question to the requester)
        or ``reopen`` (a request that is not suitable or already
        available, with a ``comment``)
    :param comment: at most 2000 characters
    :param reason: for ``not_suitable``: not_held, other_agency,
        personal_data, confidential, restricted_by_law,
        disproportionate_effort or duplicate
    :param dataset: for ``available``: the name or id of a public dataset
    :param dataset_title: for ``accept``: the new dataset's title (default:
        the request's)
    :param data_type: for ``accept``: its data_type (default ข้อมูลระเบียน)
    :param maintainer_email: for ``accept``: its contact e-mail (default:
        the deciding user's)
    :returns: the request as ``opendata_th_request_show``
    :raises ValidationError: ``{field: [message]}`` (409); nothing is changed
    """
    found = request_or_404(data_dict)
    tk.check_access("opendata_th_request_triage", context, data_dict)
    row = DatasetRequest.locked(found.id)
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset request not found"))
    try:
        triage = rules.check_decision(row.state, data_dict.get("decision"), comment=data_dict.get("comment"),
                                      reason=data_dict.get("reason"), dataset_given=bool(data_dict.get("dataset")))
    except rules.RequestInputError as error:
        _release(context)
        raise refused(error.errors) from None
    user = people.active_user(context.get("user"))
    package_id: Optional[str] = None
    try:
        if triage.decision.name == "available":
            package_id = _public_dataset(data_dict.get("dataset")).id
        elif triage.decision.name == "accept":
            package_id = _candidate(context, row, user, data_dict).id
    except tk.ValidationError:
        _release(context)
        raise
    now = utcnow()
    _event(row, "decision", user, decision=triage.decision.name, from_state=row.state,
           to_state=triage.decision.target, reason=triage.reason, comment=triage.comment or None,
           package_id=package_id)
    row.state, row.reason = triage.decision.target, triage.reason
    row.package_id = package_id
    row.decided_at, row.decided_by, row.modified = now, user.id if user is not None else None, now
    _commit(context)
    return _show(row, user)


def opendata_th_request_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Address an open request to an organization (whose admins then triage
    it). Sysadmins.

    :param id: the request's id
    :param organization_id: the organization's id or name
    :param comment: optional, at most 2000 characters
    :returns: the request as ``opendata_th_request_show``
    """
    found = request_or_404(data_dict)
    tk.check_access("opendata_th_request_assign", context, data_dict)
    organization = _organization(data_dict.get("organization_id"))
    errors: dict[str, list[Message]] = {}
    if organization is None:
        errors["organization_id"] = [Message(N_("Choose the organization"))]
    given = data_dict.get("comment")
    comment = given.strip() if isinstance(given, str) else ""
    if len(comment) > rules.MAX_TEXT:
        errors["comment"] = [Message(N_("{field} can be at most {max} characters long (it is {length})"),
                                     field=rules.FIELD_LABELS["comment"], max=rules.MAX_TEXT,
                                     length=len(comment))]
    row = DatasetRequest.locked(found.id)
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset request not found"))
    if row.state not in rules.OPEN_STATES:
        errors["id"] = [Message(N_("Only an open request can be addressed to another organization"))]
    if errors:
        _release(context)
        raise refused(errors)
    assert organization is not None
    user = people.active_user(context.get("user"))
    _event(row, "assigned", user, comment=comment or None,
           detail={"from": row.organization_id, "to": organization.id})
    row.organization_id, row.modified = organization.id, utcnow()
    _commit(context)
    return _show(row, user)


def opendata_th_request_reply(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The requester answers the organization's question; the request waits
    for review again. With the secret ``key`` of the request's link, or
    logged in with the account that asked. Counted with the requests
    against the sender's limit.

    :param id: the request's id
    :param key: the secret of the request's link
    :param reply: the answer, at most 2000 characters
    :returns: the request as ``opendata_th_request_show``
    """
    found = request_or_404(data_dict)
    tk.check_access("opendata_th_request_reply", context, data_dict)
    _count_attempt(context, "reply")
    row = DatasetRequest.locked(found.id)
    if row is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset request not found"))
    try:
        reply = rules.check_reply(row.state, data_dict.get("reply"))
    except rules.RequestInputError as error:
        _release(context)
        raise refused(error.errors) from None
    user = people.active_user(context.get("user"))
    _event(row, "reply", user if is_requester(context.get("user"), row) else None,
           from_state=row.state, to_state=rules.NEW, comment=reply)
    row.state, row.modified = rules.NEW, utcnow()
    _commit(context)
    return _show(row, user)
