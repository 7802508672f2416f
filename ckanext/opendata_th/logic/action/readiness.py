"""Readiness assessments: an organization's admins fill one in per Thai
fiscal year, its members read it, the public reads a published summary.

Every change is checked in full before anything is written (a refused call
changes nothing) and recorded in the history: who, when, what kind, and
which fields changed. Texts are in the request's language (Thai by
default, English for ``/en/api/...``).
"""
from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.opendata_th import localize, people, readiness
from ckanext.opendata_th.logic import schema
from ckanext.opendata_th.model.readiness import ReadinessAssessment, ReadinessChange, ReadinessFile
from ckanext.opendata_th.model.types import new_id, utcnow
from ckanext.opendata_th.playbook import readiness as rules
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.logic.inputs import refused, validated

MAX_FILES_PER_ACTIVITY = 20
MAX_FILE_NAME = 200
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]{0,62}/[A-Za-z0-9][\w.+-]{0,62}")

Context = dict[str, Any]
DataDict = dict[str, Any]


# -- input ---------------------------------------------------------------------


def _organization(data_dict: DataDict) -> model.Group:
    found = readiness.organization(data_dict.get("organization"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def fiscal_year_param(value: Any, field: str = "fiscal_year") -> int:
    """A fiscal year (BE) given by the caller; missing or empty: the current one."""
    current = readiness.current_fiscal_year()
    if value is None or value == "":
        return current
    try:
        return rules.parse_fiscal_year(value, current)
    except rules.ReadinessInputError as error:
        raise refused({field: messages for messages in error.errors.values()})


def _published(value: Any) -> Optional[bool]:
    """The ``published`` flag: a boolean or a form's "true"/"on"/"1"…;
    None when not given."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "on", "1", "yes"):
        return True
    if text in ("false", "off", "0", "no"):
        return False
    raise refused({"published": [Message(N_("“Published” must be true or false"))]})


def _can_read_all(organization: model.Group, context: Context) -> bool:
    return bool(context.get("ignore_auth")) or people.is_member(context.get("user"), organization.id)


def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


# -- output --------------------------------------------------------------------

def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.isoformat()


def _organization_dict(organization: model.Group) -> dict[str, str]:
    return {"id": organization.id, "name": organization.name,
            "title": organization.title or organization.name}


def _user_names(ids: Iterable[Optional[str]]) -> dict[str, model.User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {user.id: user for user in model.Session.query(model.User).filter(model.User.id.in_(wanted))}


def _verdict_dict(verdict: rules.Verdict) -> dict[str, Any]:
    return {"ready": verdict.ready, "required_level": verdict.required_level,
            "gaps": [{"activity": gap.activity, "level": gap.level, "required": gap.required,
                      "text": localize.text(gap.message())} for gap in verdict.gaps],
            "text": localize.text(verdict.message())}


def _file_dict(found: ReadinessFile) -> dict[str, Any]:
    return {"id": found.id, "activity": found.activity, "name": found.name, "size": found.size,
            "content_type": found.content_type, "uploaded_at": _iso(found.uploaded_at)}


def _action_dict(action: dict[str, Any], overdue_ids: set[str]) -> dict[str, Any]:
    return {"id": action.get("id"), "activity": action.get("activity") or "",
            "description": action.get("description") or "", "owner": action.get("owner") or "",
            "due_date": action.get("due_date"), "done": bool(action.get("done")),
            "overdue": action.get("id") in overdue_ids}


def _files(found: Optional[ReadinessAssessment]) -> dict[str, list[dict[str, Any]]]:
    if found is None:
        return {}
    by_activity: dict[str, list[dict[str, Any]]] = {}
    rows = model.Session.query(ReadinessFile).filter_by(assessment_id=found.id).order_by(
        ReadinessFile.uploaded_at, ReadinessFile.id)
    for row in rows:
        by_activity.setdefault(row.activity, []).append(_file_dict(row))
    return by_activity


def _show(organization: model.Group, year: int, found: Optional[ReadinessAssessment],
          full: bool) -> dict[str, Any]:
    """The assessment as ``opendata_th_readiness_show`` returns it: whole
    (``full``) or its public summary."""
    lang = localize.request_language()
    questionnaire = readiness.schema()
    document = found.document if found is not None else rules.empty_document(questionnaire)
    answers = document.get("activities") or {}
    files = _files(found) if full else {}
    activities = []
    for activity in questionnaire.activities:
        given = answers.get(activity.key)
        answer: dict[str, Any] = given if isinstance(given, dict) else {}
        level = rules.level_of(questionnaire, answer)
        item: dict[str, Any] = {
            "key": activity.key, "name": activity.name.in_language(lang), "level": level,
            "level_name": questionnaire.level_name(level).in_language(lang) if level else None}
        if full:
            item.update(evidence=answer.get("evidence") or "", links=list(answer.get("links") or []),
                        responsible=answer.get("responsible") or "", files=files.get(activity.key, []))
        activities.append(item)
    shown: dict[str, Any] = {
        "organization": _organization_dict(organization),
        "fiscal_year": year,
        "fiscal_year_text": localize.text(rules.fiscal_year_label(year)),
        "current": year == readiness.current_fiscal_year(),
        "exists": found is not None,
        "published": bool(found is not None and found.published),
        "published_at": _iso(found.published_at) if found is not None else None,
        "modified": _iso(found.modified) if found is not None else None,
        "summary_only": not full,
        "activities": activities,
        "verdict": _verdict_dict(rules.evaluate(questionnaire, document, readiness.required_level())),
    }
    if full:
        modifier = _user_names([found.modified_by]).get(found.modified_by or "") if found else None
        shown["modified_by"] = modifier.name if modifier else None
        overdue = {str(a.get("id")) for a in rules.overdue_actions(document, readiness.today())}
        shown["actions"] = [_action_dict(action, overdue) for action in document.get("actions") or []]
    return shown


def _record(found: ReadinessAssessment, kind: str, user: Optional[model.User],
            changes: list[dict[str, Any]], at: dt.datetime) -> None:
    model.Session.add(ReadinessChange(id=new_id(), assessment_id=found.id, changed_at=at,
                                      user_id=user.id if user else None, kind=kind, changes=changes))


def _locked(organization_id: str, year: int) -> Optional[ReadinessAssessment]:
    """The assessment, locked until the transaction ends: two admins saving
    at once are serialized instead of one losing the other's change."""
    return model.Session.query(ReadinessAssessment).filter_by(
        organization_id=organization_id, fiscal_year=year).with_for_update().one_or_none()


def _release(context: Context) -> None:
    """End a refused call's transaction (and the row lock it took), unless
    the caller's transaction goes on."""
    if not context.get("defer_commit"):
        model.Session.rollback()


def _save(context: Context) -> None:
    """Commit; a concurrent first save of the same year is refused, not a 500."""
    try:
        if context.get("defer_commit"):
            model.Session.flush()
        else:
            model.repo.commit()
    except sa.exc.IntegrityError:
        model.Session.rollback()
        raise refused({"fiscal_year": [Message(N_(
            "Someone else saved this readiness assessment at the same time: reload it and try again"))]})


# -- actions ---------------------------------------------------------------------

@tk.side_effect_free
@tk.validate(schema.readiness_schema_show)
def opendata_th_readiness_schema_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The readiness questionnaire: its activities, the five levels and what
    each means, the evidence expected, and the level every activity must
    reach. Texts in the request's language.

    :returns: ``{"version", "required_level", "levels": [{"number", "name"}],
        "activities": [{"key", "name", "odi_theme", "question", "levels":
        [{"number", "name", "description", "evidence"}]}]}``
    """
    tk.check_access("opendata_th_readiness_schema_show", context, data_dict)
    shown = readiness.schema().as_dict(localize.request_language())
    shown["required_level"] = readiness.required_level()
    return shown


@tk.side_effect_free
@tk.validate(schema.readiness_show)
def opendata_th_readiness_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An organization's readiness assessment for a fiscal year.

    Members of the organization and sysadmins get all of it (a year not yet
    assessed gives ``exists`` false and every activity not assessed); anyone
    else gets the summary of a published assessment (levels and verdict, no
    evidence, files or actions) and NotAuthorized when it is not published.

    :param organization: the organization's id or name
    :param fiscal_year: Thai fiscal year in the Buddhist Era (default: the
        current one), e.g. 2569
    :returns: ``{"organization": {"id", "name", "title"}, "fiscal_year",
        "fiscal_year_text", "current", "exists", "published", "published_at",
        "modified", "modified_by", "summary_only", "activities": [{"key",
        "name", "level", "level_name", "evidence", "links", "responsible",
        "files": [...]}], "actions": [{"id", "activity", "description",
        "owner", "due_date", "done", "overdue"}], "verdict": {"ready",
        "required_level", "gaps": [{"activity", "level", "required", "text"}],
        "text"}}``; the summary has ``summary_only`` true and lacks
        ``modified_by``, ``actions`` and each activity's evidence, links,
        responsible and files
    """
    organization = _organization(data_dict)
    year = fiscal_year_param(data_dict.get("fiscal_year"))
    tk.check_access("opendata_th_readiness_show", context, {**data_dict, "fiscal_year": year})
    full = _can_read_all(organization, context)
    found = readiness.assessment(organization.id, year)
    if not full and (found is None or not found.published):  # the auth function said so too
        raise tk.NotAuthorized()
    return _show(organization, year, found, full)


def opendata_th_readiness_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Fill in, change, publish or unpublish an organization's assessment
    for a fiscal year (created on its first save). Organization admins and
    sysadmins only.

    Answers merge per activity and field; ``actions``, when given, replaces
    the list of improvement actions. Every error is reported at once, keyed
    by its path (``activities.budget.level``, ``actions.2.due_date``), and
    nothing is saved. A call that changes something adds one entry to the
    history.

    :param organization: the organization's id or name
    :param fiscal_year: the fiscal year (Buddhist Era), e.g. 2569
    :param activities: ``{key: {"level": 1..5 or null, "evidence": text,
        "links": [url], "responsible": text}}`` (any of the fields)
    :param actions: ``[{"id"?, "activity", "description", "owner" (a member's
        user name), "due_date" ("YYYY-MM-DD" or null), "done"}]``
    :param published: true to show the summary to the public, false to hide it
    :returns: the whole assessment, as ``opendata_th_readiness_show``
    """
    organization = _organization(data_dict)
    tk.check_access("opendata_th_readiness_update", context, data_dict)
    data = validated(data_dict, schema.readiness_update(), context,
                      leave=("activities", "actions", "published"))
    year = fiscal_year_param(data["fiscal_year"])
    published = _published(data.get("published"))
    given = {key: data[key] for key in ("activities", "actions") if key in data}
    questionnaire = readiness.schema()
    found = _locked(organization.id, year)
    try:
        try:
            document = rules.merge_update(questionnaire, found.document if found else None, given,
                                          new_id=new_id)
        except rules.ReadinessInputError as error:
            raise refused(error.errors)
        if "actions" in given:
            _check_owners(organization, document["actions"])
    except tk.ValidationError:
        _release(context)
        raise
    user, now = people.user_object(context.get("user")), utcnow()
    if found is None:
        found = ReadinessAssessment(
            id=new_id(), organization_id=organization.id, fiscal_year=year, document=document,
            published=bool(published), published_at=now if published else None,
            created=now, created_by=user.id if user else None, modified=now,
            modified_by=user.id if user else None)
        model.Session.add(found)
        _record(found, "created", user, rules.changes(None, document), now)
    else:
        changed = rules.changes(found.document, document)
        publishing = published is not None and bool(published) != found.published
        if changed or publishing:
            kind = ("published" if published else "unpublished") if publishing else "updated"
            found.document = document
            if publishing:
                found.published, found.published_at = bool(published), now if published else None
            found.modified, found.modified_by = now, user.id if user else None
            _record(found, kind, user, changed, now)
    _save(context)
    return _show(organization, year, found, full=True)


def _check_owners(organization: model.Group, actions: list[dict[str, Any]]) -> None:
    """Every owner named must be a member of the organization (stored by
    user name, also when given by id)."""
    errors: dict[str, list[Message]] = {}
    for index, action in enumerate(actions):
        owner = action.get("owner")
        if not owner:
            continue
        user = model.User.get(owner)
        if (user is None or user.state != "active"
                or authz.users_role_for_group_or_org(organization.id, user.name) is None):
            errors[f"actions.{index}.owner"] = [Message(N_(
                "“{owner}” is not a member of {organization}: an improvement action's owner "
                "must be a member"), owner=owner, organization=organization.title or organization.name)]
        else:
            action["owner"] = user.name
    if errors:
        raise refused(errors)


@tk.side_effect_free
@tk.validate(schema.readiness_list)
def opendata_th_readiness_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Assessments at a glance.

    With ``organization``: its assessments of every year, newest first
    (members see all, anyone else the published ones). Without: sysadmins
    only, every organization (also those not assessed) for one fiscal year,
    by title.

    :param organization: the organization's id or name (optional)
    :param fiscal_year: the year of the portal-wide list (default: current)
    :returns: with organization ``[{"fiscal_year", "fiscal_year_text",
        "published", "ready", "levels": {key: level}, "modified"}]``;
        without ``[{"organization": {"id", "name", "title"}, "fiscal_year",
        "exists", "published", "ready", "levels", "gaps": [text],
        "modified"}]``
    """
    questionnaire, required = readiness.schema(), readiness.required_level()
    if data_dict.get("organization"):
        organization = _organization(data_dict)
        tk.check_access("opendata_th_readiness_list", context, data_dict)
        query = model.Session.query(ReadinessAssessment).filter_by(organization_id=organization.id)
        if not _can_read_all(organization, context):
            query = query.filter_by(published=True)
        return [{"fiscal_year": found.fiscal_year,
                 "fiscal_year_text": localize.text(rules.fiscal_year_label(found.fiscal_year)),
                 "published": found.published,
                 "ready": rules.evaluate(questionnaire, found.document, required).ready,
                 "levels": rules.levels(questionnaire, found.document),
                 "modified": _iso(found.modified)}
                for found in query.order_by(ReadinessAssessment.fiscal_year.desc())]
    tk.check_access("opendata_th_readiness_list", context, data_dict)
    year = fiscal_year_param(data_dict.get("fiscal_year"))
    organizations = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").all()
    by_organization = {found.organization_id: found for found in model.Session.query(
        ReadinessAssessment).filter(ReadinessAssessment.fiscal_year == year)}
    listed = []
    for organization in sorted(organizations, key=lambda o: ((o.title or o.name).casefold(), o.name)):
        found = by_organization.get(organization.id)
        document = found.document if found is not None else None
        verdict = rules.evaluate(questionnaire, document, required)
        listed.append({"organization": _organization_dict(organization), "fiscal_year": year,
                       "exists": found is not None, "published": bool(found and found.published),
                       "ready": verdict.ready, "levels": rules.levels(questionnaire, document),
                       "gaps": [localize.text(gap.message()) for gap in verdict.gaps],
                       "modified": _iso(found.modified) if found is not None else None})
    return listed


def _field_text(questionnaire: rules.ReadinessSchema, field: str) -> str:
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "activities" and parts[2] == "files":
        try:
            name: Any = questionnaire.activity(parts[1]).name
        except KeyError:
            name = parts[1]
        return localize.text(Message(N_("{activity}: evidence files"), activity=name))
    return localize.text(rules.field_label(questionnaire, field))


@tk.side_effect_free
@tk.validate(schema.readiness_history)
def opendata_th_readiness_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Who changed an assessment, when, and what changed, newest first.
    Members of the organization and sysadmins.

    :param organization: the organization's id or name
    :param fiscal_year: the fiscal year (Buddhist Era; default: current)
    :returns: ``[{"changed_at", "user", "user_display", "kind" (created,
        updated, published, unpublished, copied, file_added, file_removed),
        "changes": [{"field", "field_text", "old", "new"}]}]``
    """
    organization = _organization(data_dict)
    year = fiscal_year_param(data_dict.get("fiscal_year"))
    tk.check_access("opendata_th_readiness_history", context, data_dict)
    found = readiness.assessment(organization.id, year)
    if found is None:
        return []
    rows = model.Session.query(ReadinessChange).filter_by(assessment_id=found.id).order_by(
        ReadinessChange.changed_at.desc(), ReadinessChange.id).all()
    users = _user_names(row.user_id for row in rows)
    questionnaire = readiness.schema()
    history = []
    for row in rows:
        user = users.get(row.user_id)
        history.append({
            "changed_at": _iso(row.changed_at), "user": user.name if user else None,
            "user_display": user.display_name if user else None, "kind": row.kind,
            "changes": [{"field": change.get("field"),
                         "field_text": _field_text(questionnaire, str(change.get("field"))),
                         "old": change.get("old"), "new": change.get("new")}
                        for change in row.changes or []]})
    return history


def opendata_th_readiness_copy_forward(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Start a fiscal year's assessment from an earlier one: the answers as
    they were, the open improvement actions kept, the done ones dropped; not
    published, evidence files not copied. Organization admins and sysadmins.

    :param organization: the organization's id or name
    :param from_year: the fiscal year to copy (Buddhist Era)
    :param to_year: the new fiscal year (default: ``from_year`` + 1); it must
        have no assessment yet
    :returns: the new assessment, as ``opendata_th_readiness_show``
    """
    organization = _organization(data_dict)
    tk.check_access("opendata_th_readiness_copy_forward", context, data_dict)
    data = validated(data_dict, schema.readiness_copy_forward(), context)
    from_year = fiscal_year_param(data["from_year"], "from_year")
    to_year = fiscal_year_param(data.get("to_year") or from_year + 1, "to_year")
    if to_year <= from_year:
        raise refused({"to_year": [Message(N_("The new fiscal year must come after {year}"),
                                            year=from_year)]})
    source = readiness.assessment(organization.id, from_year)
    if source is None:
        raise refused({"from_year": [Message(
            N_("There is no readiness assessment for {fiscal_year} to copy"),
            fiscal_year=rules.fiscal_year_label(from_year))]})
    if _locked(organization.id, to_year) is not None:
        _release(context)
        raise refused({"to_year": [Message(N_("There is already a readiness assessment for {fiscal_year}"),
                                            fiscal_year=rules.fiscal_year_label(to_year))]})
    user, now = people.user_object(context.get("user")), utcnow()
    document = rules.carry_forward(source.document)
    found = ReadinessAssessment(
        id=new_id(), organization_id=organization.id, fiscal_year=to_year, document=document,
        published=False, created=now, created_by=user.id if user else None, modified=now,
        modified_by=user.id if user else None)
    model.Session.add(found)
    _record(found, "copied", user, rules.changes(None, document), now)
    _save(context)
    return _show(organization, to_year, found, full=True)


def _file_name(value: Any) -> str:
    name = re.split(r"[/\\]", str(value or ""))[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[-MAX_FILE_NAME:] or "file"


def _content_type(upload: Any, name: str) -> str:
    given = (getattr(upload, "mimetype", None) or "").strip()
    if _CONTENT_TYPE.fullmatch(given) and given != "application/octet-stream":
        return given.lower()
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _file_size(size: int) -> str:
    """A size for people: "10 MB", "500 KB", "100 B"."""
    for unit, bytes_ in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= bytes_:
            return f"{size / bytes_:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


def _read_upload(upload: Any) -> bytes:
    """The uploaded bytes, reading at most one byte more than the limit."""
    if not hasattr(upload, "read") or not hasattr(upload, "filename"):
        raise refused({"upload": [Message(N_("Choose a file to upload"))]})
    limit = readiness.max_file_size()
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise refused({"upload": [Message(N_("The file is larger than the limit of {limit}"),
                                           limit=_file_size(limit))]})
    if not content:
        raise refused({"upload": [Message(N_("The file is empty"))]})
    return content


def opendata_th_readiness_file_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a file as evidence for one activity of an assessment (created
    when the year has none yet). Files are stored in the database and only
    the organization's members can download them. Organization admins and
    sysadmins.

    :param organization: the organization's id or name
    :param fiscal_year: the fiscal year (Buddhist Era)
    :param activity: the activity's key, e.g. ``budget``
    :param upload: the file (multipart/form-data), at most
        ``ckanext.opendata_th.readiness.max_file_size`` bytes
    :returns: ``{"id", "activity", "name", "size", "content_type",
        "uploaded_at"}``
    """
    organization = _organization(data_dict)
    tk.check_access("opendata_th_readiness_file_upload", context, data_dict)
    data = validated(data_dict, schema.readiness_file_upload(), context, leave=("upload",))
    year = fiscal_year_param(data["fiscal_year"])
    questionnaire = readiness.schema()
    if data["activity"] not in questionnaire.keys:
        raise refused({"activity": [Message(N_("Unknown activity “{key}”: the activities are {keys}"),
                                             key=data["activity"][:60],
                                             keys=", ".join(f"“{k}”" for k in questionnaire.keys))]})
    content = _read_upload(data.get("upload"))
    upload = data["upload"]
    user, now = people.user_object(context.get("user")), utcnow()
    found = _locked(organization.id, year)
    if found is None:
        document = rules.empty_document(questionnaire)
        found = ReadinessAssessment(
            id=new_id(), organization_id=organization.id, fiscal_year=year, document=document,
            published=False, created=now, created_by=user.id if user else None, modified=now,
            modified_by=user.id if user else None)
        model.Session.add(found)  # its history starts with this file
    elif model.Session.query(ReadinessFile).filter_by(
            assessment_id=found.id, activity=data["activity"]).count() >= MAX_FILES_PER_ACTIVITY:
        _release(context)
        raise refused({"upload": [Message(N_("An activity has at most {max} files: delete one first"),
                                           max=MAX_FILES_PER_ACTIVITY)]})
    name = _file_name(upload.filename)
    stored = ReadinessFile(id=new_id(), assessment_id=found.id, activity=data["activity"], name=name,
                           content_type=_content_type(upload, name), size=len(content), data=content,
                           uploaded_at=now, uploaded_by=user.id if user else None)
    model.Session.add(stored)
    found.modified, found.modified_by = now, user.id if user else None
    _record(found, "file_added", user,
            [{"field": f"activities.{data['activity']}.files", "old": None, "new": name}], now)
    _save(context)
    return _file_dict(stored)


@tk.validate(schema.readiness_file_id)
def opendata_th_readiness_file_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an evidence file. Admins of the file's organization and
    sysadmins.

    :param id: the file's id
    :returns: the removed file's ``{"id", "activity", "name", "size",
        "content_type", "uploaded_at"}``
    """
    found = readiness.readiness_file(data_dict["id"])
    if found is None or readiness.organization(readiness.file_organization_id(found)) is None:
        raise tk.ObjectNotFound(localize.gettext("File not found"))
    tk.check_access("opendata_th_readiness_file_delete", context, data_dict)
    owner = model.Session.get(ReadinessAssessment, found.assessment_id)
    user, now = people.user_object(context.get("user")), utcnow()
    removed = _file_dict(found)
    model.Session.delete(found)
    owner.modified, owner.modified_by = now, user.id if user else None
    _record(owner, "file_removed", user,
            [{"field": f"activities.{found.activity}.files", "old": found.name, "new": None}], now)
    _save(context)
    return removed


@tk.side_effect_free
@tk.validate(schema.readiness_overdue_actions)
def opendata_th_readiness_overdue_actions(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Improvement actions not done whose due date has passed (Bangkok
    time), from each organization's latest assessment, by due date.
    Members for one organization; sysadmins for every organization.

    :param organization: the organization's id or name (optional)
    :returns: ``[{"organization": {"id", "name", "title"}, "fiscal_year",
        "action": {"id", "activity", "description", "owner", "due_date",
        "done", "overdue"}}]``
    """
    query = model.Session.query(ReadinessAssessment, model.Group).join(
        model.Group, model.Group.id == ReadinessAssessment.organization_id).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    if data_dict.get("organization"):
        organization = _organization(data_dict)
        query = query.filter(ReadinessAssessment.organization_id == organization.id)
    tk.check_access("opendata_th_readiness_overdue_actions", context, data_dict)
    latest = query.distinct(ReadinessAssessment.organization_id).order_by(
        ReadinessAssessment.organization_id, ReadinessAssessment.fiscal_year.desc())
    today = readiness.today()
    found = []
    for assessment, organization in latest:
        for action in rules.overdue_actions(assessment.document, today):
            found.append({"organization": _organization_dict(organization),
                          "fiscal_year": assessment.fiscal_year,
                          "action": _action_dict(action, {str(action.get("id"))})})
    found.sort(key=lambda item: (item["action"]["due_date"] or "",
                                 item["organization"]["title"].casefold()))
    return found
