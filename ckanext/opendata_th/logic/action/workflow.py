"""The disclosure workflow's API: survey, select, prioritise, classify, send
for approval, approve (which publishes), return, withdraw.

A dataset's stage changes only through ``opendata_th_transition`` (and the
actions that record a selection or a classification, which run the step it
implies); the plain-Python state machine (:mod:`.playbook.workflow`)
decides, the glue (:mod:`ckanext.opendata_th.workflow`) writes the row and
the event. Approving writes the stage "published" first and then makes the
dataset public in the same transaction: the dataset schema's validator lets
a dataset become public only at that stage. Every action commits once, at
its end; a refused call changes nothing. Texts are in the request's language
(Thai by default, English for ``/en/api/...``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, readiness, workflow
from ckanext.opendata_th.logic import schema
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.people import user_object
from ckanext.opendata_th.playbook import classification as classification_rules
from ckanext.opendata_th.playbook import disclosure
from ckanext.opendata_th.playbook import priority as priority_rules
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD
from ckanext.opendata_th.logic.inputs import refused, validated

Context = dict[str, Any]
DataDict = dict[str, Any]

MAX_COMMENT = 2000
MAX_HISTORY = 1000
COMMENT_PLACEHOLDER = "-"
"""The comment a button's check assumes: the page asks for the comment when
the step needs one, so its absence is not a reason to grey the button."""


# -- input ---------------------------------------------------------------------


def _dataset(data_dict: DataDict) -> model.Package:
    found = workflow.dataset(data_dict.get("id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Dataset not found"))
    return found


def _organization(data_dict: DataDict) -> model.Group:
    found = readiness.organization(data_dict.get("organization_id"))
    if found is None:
        raise tk.ObjectNotFound(localize.gettext("Organization not found"))
    return found


def _comment(value: Any) -> str:
    comment = value.strip() if isinstance(value, str) else ""
    if len(comment) > MAX_COMMENT:
        raise refused({"comment": [Message(
            N_("The comment can be at most {max} characters long (it is {length})"),
            max=MAX_COMMENT, length=len(comment))]})
    return comment


def _release(context: Context) -> None:
    """End a refused call's transaction (and the row lock it took), unless
    the caller's transaction goes on."""
    if not context.get("defer_commit"):
        model.Session.rollback()


def _commit(context: Context) -> None:
    if context.get("defer_commit"):
        model.Session.flush()
    else:
        model.repo.commit()


def _patch(context: Context, user: Optional[model.User], changes: DataDict) -> None:
    """package_patch as the acting user, past auth (the workflow is the
    authority here), in this action's transaction. A refusal (the dataset
    schema's validation) undoes everything and is passed on."""
    patch_context = {"model": model, "session": model.Session, "ignore_auth": True,
                     "defer_commit": True, "user": user.name if user else context.get("user")}
    try:
        tk.get_action("package_patch")(patch_context, changes)
    except tk.ValidationError:
        _release(context)
        raise


def _run(context: Context, package: model.Package, name: str, *, user: Optional[model.User],
         roles: Iterable[str], comment: str, detail: Optional[dict[str, Any]] = None) -> WorkflowRecord:
    """Run one transition, then make the dataset public or private as it
    says. A role refused is NotAuthorized (403), anything else a
    ValidationError under ``transition`` (409); nothing is changed then."""
    try:
        found = workflow.change_stage(package, name, user_id=user.id if user else None, roles=roles,
                                      comment=comment, detail=detail)
    except rules.TransitionRefused as refusal:
        _release(context)
        if refusal.forbidden:
            raise tk.NotAuthorized(" ".join(localize.text(m) for m in refusal.messages))
        raise refused({"transition": refusal.messages})
    step = rules.TRANSITIONS[name]
    if step.publishes:
        _patch(context, user, {"id": package.id, "private": False})
    elif step.unpublishes:
        _patch(context, user, {"id": package.id, "private": True})
    return found


# -- output --------------------------------------------------------------------

def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.isoformat()


def _users(ids: Iterable[Optional[str]]) -> dict[str, model.User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {user.id: user for user in model.Session.query(model.User).filter(model.User.id.in_(wanted))}


def _display(user: Optional[model.User]) -> Optional[str]:
    return user.display_name if user is not None else None


def _stage_label(stage: Optional[str]) -> Optional[str]:
    if stage is None:
        return None
    label = rules.STAGE_LABELS.get(stage)
    return localize.text(label) if label else stage


def _selection(found: WorkflowRecord) -> Optional[dict[str, Any]]:
    reasons = list(found.selection_reasons or [])
    if not reasons:
        return None
    labels = priority_rules.REASON_LABELS
    return {"reasons": reasons,
            "reason_labels": [localize.text(labels[r]) if r in labels else r for r in reasons],
            "note": found.selection_note or ""}


def _priority(found: WorkflowRecord) -> Optional[dict[str, Any]]:
    if found.value is None:
        return None
    return {"value": found.value, "quality": found.quality, "manageability": found.manageability,
            "score": found.priority}


def _classification(package: model.Package, found: WorkflowRecord,
                    people: dict[str, model.User]) -> Optional[dict[str, Any]]:
    """The stored answers as the decision tree reads them now, with who
    answered and when. Answers the tree no longer accepts (a sysadmin
    replaced it) are shown as stored."""
    stored = found.classification
    if not stored:
        return None
    tree = workflow.classification_schema()
    extras = package.extras
    try:
        decision = classification_rules.decide(
            tree, stored.get("answers") or {}, stored.get("details") or {},
            current_category=extras.get(CATEGORY_FIELD),
            current_classification=extras.get(CLASSIFICATION_FIELD))
        shown = decision.as_dict(tree, localize.request_language())
    except classification_rules.ClassificationInputError:
        shown = {key: stored.get(key) for key in ("answers", "details", "outcome", "disclosable")}
    shown.update(version=stored.get("version"),
                 classified_by=_display(people.get(found.classified_by or "")),
                 classified_at=_iso(found.classified_at))
    return shown


def _approval(found: WorkflowRecord, people: dict[str, model.User]) -> Optional[dict[str, Any]]:
    if not (found.approval_source or found.approved_at):
        return None
    return {"approved_by": _display(people.get(found.approved_by or "")),
            "approved_at": _iso(found.approved_at), "source": found.approval_source}


def _transitions(package: model.Package, found: WorkflowRecord,
                 user_roles: frozenset[str]) -> list[dict[str, Any]]:
    """The steps this user could take now, each with what still stops it."""
    offered = rules.available(found.stage, user_roles)
    if not offered:
        return []
    facts = workflow.facts(package, found,
                           metadata=any(t.name in workflow.NEEDS_METADATA for t in offered))
    shown = []
    for step in offered:
        comment = COMMENT_PLACEHOLDER if step.comment_required else ""
        refusals = rules.refusals(step.name, found.stage, user_roles, facts, comment)
        shown.append({"name": step.name, "label": localize.text(step.label), "target": step.target,
                      "target_label": _stage_label(step.target),
                      "comment_required": step.comment_required, "allowed": not refusals,
                      "refusals": [localize.text(message) for message in refusals]})
    return shown


def _show(package: model.Package, user: Optional[model.User]) -> dict[str, Any]:
    """The dataset's workflow as ``opendata_th_workflow_show`` returns it."""
    found = workflow.current(package)
    user_roles = workflow.roles(user, package)
    people = _users([found.classified_by, found.approved_by, found.stage_changed_by])
    return {
        "package_id": package.id,
        "organization_id": package.owner_org,
        "stage": found.stage,
        "stage_label": _stage_label(found.stage),
        "stage_changed_at": _iso(found.stage_changed_at),
        "stage_changed_by": _display(people.get(found.stage_changed_by or "")),
        "selection": _selection(found),
        "priority": _priority(found),
        "classification": _classification(package, found, people),
        "approval": _approval(found, people),
        "roles": sorted(user_roles),
        "transitions": _transitions(package, found, user_roles),
    }


# -- reading -------------------------------------------------------------------

@tk.side_effect_free
@tk.validate(schema.workflow_dataset)
def opendata_th_workflow_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Where a dataset stands in the disclosure workflow and what the caller
    may do next. Members of its organization and sysadmins, even for a public
    dataset (the reasons and answers are internal).

    :param id: the dataset's id or name
    :returns: ``{"package_id", "organization_id", "stage", "stage_label",
        "stage_changed_at", "stage_changed_by", "selection": {"reasons",
        "reason_labels", "note"} | null, "priority": {"value", "quality",
        "manageability", "score"} | null, "classification": the decision
        (answers, outcome, labels, laws) + {"version", "classified_by",
        "classified_at"} | null, "approval": {"approved_by", "approved_at",
        "source"} | null, "roles": ["editor", "approver"], "transitions":
        [{"name", "label", "target", "target_label", "comment_required",
        "allowed", "refusals": [text]}]}``
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_workflow_show", context, data_dict)
    return _show(package, user_object(context.get("user")))


@tk.side_effect_free
@tk.validate(schema.workflow_history)
def opendata_th_workflow_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every decision taken on a dataset, newest first: stage changes with
    their comment, selections, scores and classifications, with who (null:
    the portal itself) and when. Members of its organization and sysadmins.

    :param id: the dataset's id or name
    :param limit: at most this many events (default and maximum 1000)
    :param offset: skip the newest ``offset`` events
    :returns: ``[{"at", "user", "user_display", "kind", "transition",
        "transition_label", "from_stage", "from_label", "to_stage",
        "to_label", "comment", "detail"}]``
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_workflow_history", context, data_dict)
    limit = min(int(data_dict.get("limit") or MAX_HISTORY), MAX_HISTORY)
    rows = model.Session.query(WorkflowEvent).filter_by(package_id=package.id).order_by(
        WorkflowEvent.at.desc(), WorkflowEvent.id.desc()).offset(
        int(data_dict.get("offset") or 0)).limit(limit).all()
    people = _users(row.user_id for row in rows)
    history = []
    for row in rows:
        user = people.get(row.user_id or "")
        step = rules.TRANSITIONS.get(row.transition or "")
        history.append({
            "at": _iso(row.at), "user": user.name if user else None,
            "user_display": _display(user) if user else localize.gettext("The portal itself"),
            "kind": row.kind, "transition": row.transition,
            "transition_label": localize.text(step.label) if step else None,
            "from_stage": row.from_stage, "from_label": _stage_label(row.from_stage),
            "to_stage": row.to_stage, "to_label": _stage_label(row.to_stage),
            "comment": row.comment, "detail": row.detail})
    return history


@tk.side_effect_free
@tk.validate(schema.workflow_classification_schema_show)
def opendata_th_classification_schema_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The disclosure classification's decision tree (the law is public):
    its questions with the law each cites, branches and outcomes, in the
    request's language."""
    tk.check_access("opendata_th_classification_schema_show", context, data_dict)
    return workflow.classification_schema().as_dict(localize.request_language())


def _stage_of(package: model.Package, found: Optional[WorkflowRecord]) -> str:
    if found is not None:
        return found.stage
    return rules.CANDIDATE if package.private else rules.PUBLISHED


@tk.side_effect_free
@tk.validate(schema.workflow_priority_list)
def opendata_th_priority_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The organization's datasets still on their way (every stage but
    published and withheld), highest priority first; unscored ones last with
    rank 0. Members of the organization and sysadmins.

    :param organization_id: the organization's id or name
    :returns: ``[{"rank", "id", "name", "title", "stage", "stage_label",
        "score", "value", "quality", "manageability"}]``
    """
    organization = _organization(data_dict)
    tk.check_access("opendata_th_priority_list", context, data_dict)
    rows = model.Session.query(model.Package, WorkflowRecord).outerjoin(
        WorkflowRecord, WorkflowRecord.package_id == model.Package.id).filter(
        model.Package.owner_org == organization.id, model.Package.state == "active",
        model.Package.type == "dataset").all()
    waiting = {package.id: (package, found) for package, found in rows
               if _stage_of(package, found) not in (rules.PUBLISHED, rules.WITHHELD)}
    ranked = priority_rules.rank(
        (package.id, found.priority if found is not None else None, package.title or package.name)
        for package, found in waiting.values())
    listed = []
    for position, package_id, points in ranked:
        package, found = waiting[package_id]
        stage = _stage_of(package, found)
        listed.append({"rank": position, "id": package.id, "name": package.name,
                       "title": package.title or package.name, "stage": stage,
                       "stage_label": _stage_label(stage), "score": points,
                       "value": found.value if found is not None else None,
                       "quality": found.quality if found is not None else None,
                       "manageability": found.manageability if found is not None else None})
    return listed


@tk.side_effect_free
@tk.validate(schema.workflow_approval_queue)
def opendata_th_approval_queue(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The datasets waiting for approval that the caller may approve (of one
    organization, or of all), oldest request first, with who sent each and
    their comment. Logged-in users; others' queues are empty.

    :param organization_id: the organization's id or name (optional)
    :returns: ``[{"id", "name", "title", "organization": {"id", "name",
        "title"}, "submitted_by", "submitted_at", "comment"}]``
    """
    organization = _organization(data_dict) if data_dict.get("organization_id") else None
    tk.check_access("opendata_th_approval_queue", context, data_dict)
    user = user_object(context.get("user"))
    query = model.Session.query(WorkflowRecord, model.Package).join(
        model.Package, model.Package.id == WorkflowRecord.package_id).filter(
        WorkflowRecord.stage == rules.PENDING, model.Package.state == "active",
        model.Package.type == "dataset")
    if organization is not None:
        query = query.filter(model.Package.owner_org == organization.id)
    approves: dict[Optional[str], bool] = {}
    pending = []
    for found, package in query:
        if package.owner_org not in approves:
            approves[package.owner_org] = workflow.is_approver(user, package.owner_org)
        if approves[package.owner_org]:
            pending.append(package)
    if not pending:
        return []
    submissions = {row.package_id: row for row in model.Session.query(WorkflowEvent).filter(
        WorkflowEvent.package_id.in_([package.id for package in pending]),
        WorkflowEvent.kind == "transition", WorkflowEvent.to_stage == rules.PENDING).distinct(
        WorkflowEvent.package_id).order_by(WorkflowEvent.package_id, WorkflowEvent.at.desc())}
    people = _users(row.user_id for row in submissions.values())
    organizations = {group.id: group for group in model.Session.query(model.Group).filter(
        model.Group.id.in_({package.owner_org for package in pending if package.owner_org}))}
    queue = []
    for package in pending:
        submitted = submissions.get(package.id)
        group = organizations.get(package.owner_org or "")
        queue.append({
            "id": package.id, "name": package.name, "title": package.title or package.name,
            "organization": {"id": group.id, "name": group.name, "title": group.title or group.name}
            if group else None,
            "submitted_by": _display(people.get(submitted.user_id or "")) if submitted else None,
            "submitted_at": _iso(submitted.at) if submitted else None,
            "comment": submitted.comment if submitted else None})
    queue.sort(key=lambda item: (item["submitted_at"] or "", item["title"].casefold()))
    return queue


# -- writing -------------------------------------------------------------------

def opendata_th_transition(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Move a dataset to another stage of the disclosure workflow. Editors
    of the dataset; approving and returning are for the organization's
    approvers: its admins and the editors listed in
    ``ckanext.opendata_th.approvers`` (sysadmins only when
    ``ckanext.opendata_th.sysadmins_publish_directly`` is on). Approving
    publishes the dataset; withdrawing makes it private again.

    :param id: the dataset's id or name
    :param transition: select, deselect, withhold, reopen, prepare, submit,
        approve, return or withdraw
    :param comment: why (required by deselect, withhold, reopen, return and
        withdraw), at most 2000 characters
    :returns: the workflow, as ``opendata_th_workflow_show``
    :raises NotAuthorized: the user may not take this step (403)
    :raises ValidationError: ``{"transition": [reasons]}`` when the step is
        unknown, not possible at this stage, or the dataset lacks what it
        needs (409); nothing is changed
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_transition", context, data_dict)
    data = validated(data_dict, schema.workflow_transition(), context)
    name = data["transition"]
    if name not in rules.TRANSITIONS:
        raise refused({"transition": rules.refusals(name, rules.CANDIDATE, (), rules.Facts(), "")})
    comment = _comment(data.get("comment"))
    user = user_object(context.get("user"))
    _run(context, package, name, user=user, roles=workflow.roles(user, package), comment=comment)
    _commit(context)
    return _show(package, user)


def opendata_th_select(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record why a dataset is to be disclosed (step 3.2): one or more
    reasons and a note. A candidate becomes selected. Only public data can be
    selected. Editors of the dataset.

    :param id: the dataset's id or name
    :param reasons: a list (or comma-separated keys) of required_by_law,
        agency_mission, useful_to_developers, useful_to_user_groups,
        transparency
    :param note: free text, at most 2000 characters
    :returns: the workflow, as ``opendata_th_workflow_show``
    :raises ValidationError: ``{"reasons": [...]}``, ``{"note": [...]}`` or
        ``{"data_category": [...]}`` (409); nothing is changed
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_select", context, data_dict)
    data = validated(data_dict, schema.workflow_select(), context, leave=("reasons", "note"))
    try:
        reasons, note = priority_rules.check_reasons(data.get("reasons"), data.get("note"))
    except priority_rules.PriorityInputError as error:
        raise refused(error.errors)
    not_public = rules.precondition_refusals(
        "select", rules.Facts(category=package.extras.get(CATEGORY_FIELD), selection_reasons=reasons))
    if not_public:
        raise refused({CATEGORY_FIELD: not_public})
    user = user_object(context.get("user"))
    user_id = user.id if user else None
    found = workflow.ensure(package, user_id)
    found.selection_reasons, found.selection_note = list(reasons), note or None
    if found.value is not None and found.quality is not None and found.manageability is not None:
        # the value counts the reasons: the priority follows them
        found.priority = priority_rules.score(found.value, found.quality, found.manageability,
                                              reasons, workflow.priority_weights())
    found.modified = utcnow()
    workflow.event(package.id, "selected", user_id, comment=note,
                   detail={"reasons": list(reasons), "priority": found.priority})
    if found.stage == rules.CANDIDATE:
        _run(context, package, "select", user=user, roles=workflow.roles(user, package), comment=note)
    _commit(context)
    return _show(package, user)


def opendata_th_prioritise(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Score a dataset's value, quality and manageability (step 3.3), each a
    whole number 1-5; its priority (0-100) is their weighted mean
    (``ckanext.opendata_th.priority.weights``), the value counting the
    selection reasons. Editors of the dataset.

    :param id: the dataset's id or name
    :param value: 1-5
    :param quality: 1-5
    :param manageability: 1-5
    :returns: the workflow, as ``opendata_th_workflow_show``
    :raises ValidationError: ``{"value"|"quality"|"manageability": [...]}``
        (409); nothing is changed
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_prioritise", context, data_dict)
    data = validated(data_dict, schema.workflow_prioritise(), context,
                      leave=priority_rules.SCORE_FIELDS)
    try:
        value, quality, manageability = priority_rules.check_scores(
            data.get("value"), data.get("quality"), data.get("manageability"))
    except priority_rules.PriorityInputError as error:
        raise refused(error.errors)
    weights = workflow.priority_weights()
    user = user_object(context.get("user"))
    user_id = user.id if user else None
    found = workflow.ensure(package, user_id)
    found.value, found.quality, found.manageability = value, quality, manageability
    found.priority = priority_rules.score(value, quality, manageability,
                                          tuple(found.selection_reasons or ()), weights)
    found.modified = utcnow()
    workflow.event(package.id, "prioritised", user_id, detail={
        "value": value, "quality": quality, "manageability": manageability, "score": found.priority,
        "weights": weights.as_dict()})
    _commit(context)
    return _show(package, user)


def _object(data: DataDict, field: str) -> dict[str, Any]:
    """The answers or details given: an object (none given: empty)."""
    given = data.get(field)
    if given is None or given == "":
        return {}
    if isinstance(given, dict):
        return given
    if field == "answers":
        problem = Message(N_("The answers must be an object of question keys and yes or no, e.g. {example}"),
                          example='{"oia_disclosable": true}')
    else:
        problem = Message(N_("The details must be an object of detail keys and texts, e.g. {example}"),
                          example='{"law": "…"}')
    raise refused({field: [problem]})


def opendata_th_classify(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer the disclosure classification's questions (step 3.5). The
    answers are recorded with who and when, also an unfinished path (the
    guided form resumes it). A decided outcome sets the dataset's
    data_category and data_classification; an outcome that cannot be
    disclosed withholds a dataset not yet sent for approval, and recalls a
    published one (made private, back to the approvers). The quality
    question is answered "yes" only while the data-quality reports of the
    dataset's files find no problem that stops publication (personal data,
    errors); before any file is checked the answer attests it. Editors of
    the dataset.

    :param id: the dataset's id or name
    :param answers: ``{question key: true/false}`` (also "yes"/"no"), see
        ``opendata_th_classification_schema_show``
    :param details: what a yes-answer must record, e.g.
        ``{"permission_by": "…", "permission_reference": "…"}``
    :returns: the workflow, as ``opendata_th_workflow_show``
    :raises ValidationError: ``{"answers.<question>"|"details.<field>":
        [...]}`` (409), e.g. ``answers.quality_acceptable`` with the
        problems the data-quality reports find; nothing is changed
    """
    package = _dataset(data_dict)
    tk.check_access("opendata_th_classify", context, data_dict)
    data = validated(data_dict, schema.workflow_classify(), context, leave=("answers", "details"))
    answers, details = _object(data, "answers"), _object(data, "details")
    tree = workflow.classification_schema()
    extras = package.extras
    try:
        decision = classification_rules.decide(
            tree, answers, details, current_category=extras.get(CATEGORY_FIELD),
            current_classification=extras.get(CLASSIFICATION_FIELD))
    except classification_rules.ClassificationInputError as error:
        raise refused(error.errors)
    quality = workflow.quality_refusals(package.id, decision.answers)
    if quality:  # the data-quality reports decide the quality gate once files are checked
        raise refused({f"answers.{workflow.QUALITY_QUESTION}": quality})
    user = user_object(context.get("user"))
    user_id = user.id if user else None
    found = workflow.ensure(package, user_id)
    now = utcnow()
    found.classification = {"answers": dict(decision.answers), "details": dict(decision.details),
                            "outcome": decision.outcome, "disclosable": decision.disclosable,
                            "version": tree.version}
    found.classified_by, found.classified_at, found.modified = user_id, now, now
    workflow.event(package.id, "classified", user_id, detail={
        "outcome": decision.outcome, "disclosable": decision.disclosable,
        "answers": dict(decision.answers), "details": dict(decision.details), "version": tree.version,
        "category": decision.category, "classification": decision.classification})
    if decision.outcome is not None:
        changes = {field: value for field, value in ((CATEGORY_FIELD, decision.category),
                                                     (CLASSIFICATION_FIELD, decision.classification))
                   if value and extras.get(field) != value}
        outcome = tree.outcomes[decision.outcome]
        lang = localize.default_language()
        if found.stage == rules.PUBLISHED and not package.private and not decision.disclosable:
            # no longer disclosable: back to the approvers, private at once
            not_public = disclosure.public_refusal(decision.category, decision.classification)
            workflow.change_stage(package, "recall", user_id=None, roles={rules.SYSTEM},
                                  comment=localize.text(not_public, lang) if not_public
                                  else outcome.label.in_language(lang),
                                  detail={"outcome": decision.outcome, "classified_by": user_id})
            changes["private"] = True
        if changes:
            _patch(context, user, {"id": package.id, **changes})
        if decision.withhold and found.stage in rules.TRANSITIONS["withhold"].sources:
            workflow.change_stage(package, "withhold", user_id=None, roles={rules.SYSTEM},
                                  comment=outcome.label.in_language(lang),
                                  detail={"outcome": decision.outcome, "classified_by": user_id})
    _commit(context)
    return _show(package, user)
