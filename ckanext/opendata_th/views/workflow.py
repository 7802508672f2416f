"""The disclosure workflow's pages: a dataset's workflow page (stage, next
steps, selection, priority, classification, approval, history), the guided
classification form, and the organization's approval queue and ranked
priority list.

Every page reads and writes through the ``opendata_th_*`` workflow actions
(their auth functions decide who sees and does what); the guided form walks
the classification schema with the pure rules
(:mod:`ckanext.opendata_th.playbook.classification`) and saves through
``opendata_th_classify``. GETs never write; forms that change data check the
CSRF token themselves (see :mod:`.csrf`). The playbook modules are imported
where they are used: the template helpers below are loaded with the plugin.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.playbook import vocabulary
from ckanext.opendata_th.playbook.messages import N_
from ckanext.opendata_th.views.csrf import protect_from_csrf
from ckanext.opendata_th.views import calls

workflow = Blueprint("opendata_th_workflow", __name__)

PIPELINE = ("candidate", "selected", "prepared", "pending_approval", "published")
"""The stages of the stepper, in order (withheld and returned are shown
beside it when current)."""
SCORES = (1, 2, 3, 4, 5)
STEP_ORDER = ("approve", "submit", "prepare", "select", "reopen", "return", "withdraw", "deselect",
              "withhold")
"""The next steps as the page lists them: forward first, the steps back last."""
MAX_COMMENT = 4000
"""Characters of a comment read from a form (the action checks its own limit)."""
MAX_NOTE = 2100
"""Characters of a selection note read from a form (the rule allows 2000:
a longer note is refused with its message, not cut silently)."""
MAX_FIELD = 20
"""Characters of a short field (a transition's name, a score, a yes/no)."""
NOT_FOUND = N_("Dataset not found")
MEMBERS_ONLY = N_("Only the members of the dataset's organization can see its disclosure workflow.")
EDITORS_ONLY = N_("Only the editors of the dataset can change its disclosure workflow.")


# -- calling the actions -------------------------------------------------------


def _show(package: dict[str, Any]) -> dict[str, Any]:
    """The dataset's workflow, or a 403 page for non-members."""
    try:
        return calls.action("opendata_th_workflow_show", {"id": package["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(MEMBERS_ONLY))


def _history(package: dict[str, Any], limit: int | None = None) -> list[dict[str, Any]]:
    """The dataset's workflow events, newest first, each with ``what``
    happened in words ([] for those who may not read them)."""
    try:
        history = calls.action("opendata_th_workflow_history", {"id": package["id"], "limit": limit}
                               if limit else {"id": package["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []
    return [dict(event, what=_event_text(event)) for event in history]


def _event_text(event: dict[str, Any]) -> str:
    """What a history event did: the step and the stages, or its kind."""
    if event.get("kind") == "transition":
        return "{step}: {before} → {after}".format(
            step=event.get("transition_label") or _transition_label(event.get("transition")),
            before=event.get("from_label") or "", after=event.get("to_label") or "")
    return _kind_text(event.get("kind") or "")


def _posted(name: str, limit: int) -> str:
    return (tk.request.form.get(name) or "")[:limit]


# -- the pure rules, in the reader's language ---------------------------------------

def stage_label(stage: str | None) -> str:
    from ckanext.opendata_th.playbook import workflow as rules

    label = rules.STAGE_LABELS.get(stage or "")
    return localize.text(label) if label else (stage or "")


def _transition_label(name: str | None) -> str:
    from ckanext.opendata_th.playbook import workflow as rules

    transition = rules.TRANSITIONS.get(name or "")
    return localize.text(transition.label) if transition else (name or "")


def _reasons() -> list[tuple[str, str]]:
    """(key, label) of every selection reason."""
    from ckanext.opendata_th.playbook import priority

    return [(key, localize.text(priority.REASON_LABELS[key])) for key in priority.REASONS]


def _in_language(label: Any) -> str:
    """A schema text (th/en) in the request's language."""
    if label is None:
        return ""
    lang = localize.request_language()
    if hasattr(label, "in_language"):
        return label.in_language(lang)
    if isinstance(label, dict):
        return label.get(lang) or label.get("en") or label.get("th") or ""
    if hasattr(label, "th"):
        return label.th if lang == "th" else label.en
    return str(label)


def _classification_schema() -> Any:
    """The decision tree the portal uses (the glue loads it once)."""
    from ckanext.opendata_th import workflow as glue

    return glue.classification_schema()


# -- the dataset's workflow page ------------------------------------------------------

def _read_page(package: dict[str, Any], *, errors: dict[str, dict[str, list[str]]] | None = None,
               form: dict[str, Any] | None = None, status: int = 200):
    """The workflow page; ``errors`` and ``form`` are a refused form's
    messages and input, by form ("transition:<name>", "selection", "priority")."""
    show = _show(package)
    errors = errors or {}
    form = form or {}
    roles = set(show.get("roles") or [])
    editor = "editor" in roles
    selection = show.get("selection") or {}
    priority = show.get("priority") or {}
    category = package.get("data_category") or ""
    offered = {f"transition:{step['name']}" for step in show.get("transitions") or []}
    return tk.render("opendata_th/workflow/read.html", {
        "pkg_dict": package, "pkg": package, "dataset_type": package.get("type") or "dataset",
        "show": show, "history": _history(package), "editor": editor,
        "transitions": sorted(show.get("transitions") or [], key=lambda step: (
            STEP_ORDER.index(step["name"]) if step["name"] in STEP_ORDER else len(STEP_ORDER))),
        "approver": "approver" in roles,
        "stepper": _stepper(show["stage"]),
        "reasons": _reasons(),
        "category_public": category == vocabulary.PUBLIC,
        "category": category,
        "selected_reasons": form.get("reasons", selection.get("reasons") or []),
        "selection_note": form.get("note", selection.get("note") or ""),
        "scores": {key: str(form.get(key, priority.get(key) or "")) for key in
                   ("value", "quality", "manageability")},
        "score_choices": SCORES,
        "comments": form.get("comments", {}),
        "errors": errors,
        "step_errors": [text for key, texts in errors.items()  # a step this page does not offer
                        if key.startswith("transition:") and key not in offered for text in texts],
        "classification": _classification_summary(show.get("classification")),
        "can_classify": editor and calls.allowed("opendata_th_classify", {"id": package["id"]}),
        "fix_links": _fix_links(package),
        "stage_text": stage_label,
    }), status


def _stepper(stage: str) -> dict[str, Any]:
    """The pipeline's steps with their state (done, current, to do), and
    the side stage (withheld, returned) when the dataset is at one."""
    steps = []
    index = PIPELINE.index(stage) if stage in PIPELINE else None
    for position, key in enumerate(PIPELINE):
        if index is None:
            state = "todo"
        else:
            state = "done" if position < index else ("current" if position == index else "todo")
        steps.append({"key": key, "label": stage_label(key), "state": state})
    return {"steps": steps, "side": None if stage in PIPELINE else
            {"key": stage, "label": stage_label(stage)}}


def _fix_links(package: dict[str, Any]) -> list[dict[str, str]]:
    """Where an editor fixes what a refused step needs."""
    links = [
        {"text": tk._("Edit the metadata"),
         "url": tk.h.url_for(f"{package.get('type') or 'dataset'}.edit", id=package["name"])},
        {"text": tk._("Add a data file or link"),
         "url": tk.h.url_for(f"{package.get('type') or 'dataset'}_resource.new", id=package["name"])},
        {"text": tk._("Classification"),
         "url": tk.h.url_for("opendata_th_workflow.classify", id=package["name"])},
    ]
    organization = package.get("organization") or {}
    if organization.get("name"):
        links.append({"text": tk._("The organization's readiness"),
                      "url": tk.h.url_for("opendata_th_readiness.read", id=organization["name"])})
    return links


def _classification_summary(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored classification for the page: the outcome, each answer with
    its question and law, the details with their labels, who and when."""
    if not stored or not stored.get("answers"):
        return None
    schema = _classification_schema()
    answers = []
    for key, answer in (stored.get("answers") or {}).items():
        question = schema.questions.get(key)
        answers.append({
            "key": key, "text": _in_language(question.text) if question else key,
            "law": _in_language(question.law) if question else "",
            "answer": bool(answer) if isinstance(answer, bool) else str(answer).lower() in
            ("yes", "true", "1")})
    details = []
    for key, value in (stored.get("details") or {}).items():
        if value:
            detail = schema.details.get(key)
            details.append({"label": _in_language(getattr(detail, "label", None)) or key,
                            "value": value})
    outcome = schema.outcomes.get(stored.get("outcome") or "")
    return {
        "answers": answers, "details": details,
        "outcome": outcome and {
            "key": outcome.key, "label": _in_language(outcome.label),
            "explanation": _in_language(outcome.explanation), "disclosable": outcome.disclosable,
            "category": outcome.category, "classification": outcome.classification},
        "decided": outcome is not None,
        "classified_by": stored.get("classified_by"), "classified_at": stored.get("classified_at"),
        "version": stored.get("version"),
    }


def _kind_text(kind: str) -> str:
    return {
        "created": tk._("Added to the data catalog"),
        "selected": tk._("Recorded the selection reasons"),
        "prioritised": tk._("Scored the priority"),
        "classified": tk._("Recorded the classification"),
    }.get(kind, kind)


@workflow.route("/dataset/<id>/disclosure")
def read(id: str):
    """The dataset's disclosure workflow (members of its organization)."""
    return _read_page(calls.dataset_or_404(id))


def _done(package: dict[str, Any], message: str):
    tk.h.flash_success(message)
    return tk.redirect_to("opendata_th_workflow.read", id=package["name"])


@workflow.route("/dataset/<id>/disclosure/transition", methods=["POST"])
def transition(id: str):
    """Run one step of the workflow (a button of the page)."""
    protect_from_csrf()
    package = calls.dataset_or_404(id)
    name = _posted("transition", MAX_FIELD)
    comment = _posted("comment", MAX_COMMENT)
    try:
        result = calls.action("opendata_th_transition", {"id": package["id"], "transition": name,
                                                    "comment": comment})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._(EDITORS_ONLY))
    except tk.ValidationError as error:
        messages = [text for value in calls.errors_by_field(error).values() for text in value]
        return _read_page(package, errors={f"transition:{name}": messages},
                          form={"comments": {name: comment}}, status=400)
    return _done(package, tk._("Done: “{step}”. The dataset is now at the stage “{stage}”.").format(
        step=_transition_label(name), stage=result.get("stage_label") or stage_label(result.get("stage"))))


@workflow.route("/dataset/<id>/disclosure/select", methods=["POST"])
def select(id: str):
    """Record why the dataset should be disclosed (selects a candidate)."""
    protect_from_csrf()
    package = calls.dataset_or_404(id)
    known = {key for key, _label in _reasons()}
    reasons = [reason[:50] for reason in tk.request.form.getlist("reasons")[:len(known) + 5]]
    note = _posted("note", MAX_NOTE)
    try:
        result = calls.action("opendata_th_select", {"id": package["id"], "reasons": reasons, "note": note})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(EDITORS_ONLY))
    except tk.ValidationError as error:
        return _read_page(package, errors={"selection": calls.errors_by_field(error)},
                          form={"reasons": reasons, "note": note}, status=400)
    return _done(package, tk._("The selection is saved. The dataset is at the stage “{stage}”.").format(
        stage=result.get("stage_label") or stage_label(result.get("stage"))))


@workflow.route("/dataset/<id>/disclosure/priority", methods=["POST"])
def prioritise(id: str):
    """Score the dataset's value, quality and manageability."""
    protect_from_csrf()
    package = calls.dataset_or_404(id)
    scores = {key: _posted(key, MAX_FIELD) for key in ("value", "quality", "manageability")}
    try:
        result = calls.action("opendata_th_prioritise", {"id": package["id"], **scores})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized:
        return tk.abort(403, tk._(EDITORS_ONLY))
    except tk.ValidationError as error:
        return _read_page(package, errors={"priority": calls.errors_by_field(error)}, form=scores, status=400)
    score = (result.get("priority") or {}).get("score")
    return _done(package, tk._("The priority is saved: score {score} of 100.").format(
        score=f"{score:g}" if isinstance(score, (int, float)) else "—"))


# -- the guided classification form -------------------------------------------------------

WALK = "walk"
"""The query parameter that says the answers come from the form (without it,
the form starts from the stored answers)."""


def _walk_input(source: Any, schema: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The answers and details of a request: only the schema's keys, each
    value cut short (the rules check them), so a crafted URL costs little."""
    answers = {}
    for key in schema.questions:
        value = source.get(f"answers.{key}")
        if value is not None:
            answers[key] = value[:MAX_FIELD]
    details = {}
    for key, detail in schema.details.items():
        value = source.get(f"details.{key}")
        if value is not None:
            details[key] = value[:(getattr(detail, "max_length", None) or 500) + 1000]
    return answers, details


def _decide(schema: Any, answers: dict[str, Any], details: dict[str, Any],
            package: dict[str, Any]) -> tuple[Any, dict[str, list[str]]]:
    """The decision for these answers; when some are refused (a detail
    missing, a bad value, "yes" to the quality question while the
    data-quality reports find problems), the decision up to the first
    refused question, which is asked again, with the messages by field."""
    from ckanext.opendata_th import workflow as glue
    from ckanext.opendata_th.playbook import classification

    errors: dict[str, list[str]] = {}
    answers = dict(answers)
    for _attempt in range(len(schema.questions) + 2):
        try:
            decision = classification.decide(
                schema, answers, details, current_category=package.get("data_category"),
                current_classification=package.get("data_classification"))
        except classification.ClassificationInputError as error:
            refused = {key: [localize.text(m) for m in messages] for key, messages in error.errors.items()}
            for key, messages in refused.items():
                errors.setdefault(key, []).extend(messages)
            questions = _refused_questions(schema, refused)
            if not questions & answers.keys():
                answers = {}
            for key in questions:
                answers.pop(key, None)
            continue
        quality = glue.quality_refusals(package["id"], decision.answers)
        if quality:  # asked again, with what the reports find
            errors.setdefault(f"answers.{glue.QUALITY_QUESTION}", []).extend(
                localize.text(message) for message in quality)
            answers.pop(glue.QUALITY_QUESTION, None)
            continue
        return decision, errors
    return classification.decide(schema, {}, {}), errors


def _refused_questions(schema: Any, errors: dict[str, Any]) -> set[str]:
    """The questions whose answer or recorded details the errors are about."""
    questions = set()
    for key in errors:
        kind, _dot, name = key.partition(".")
        if kind == "answers":
            questions.add(name)
        elif kind == "details":
            questions |= {q.key for q in schema.questions.values() if name in (q.record or ())}
    return questions


def _walk_url(package: dict[str, Any], answers: dict[str, bool], details: dict[str, str]) -> str:
    query = [(WALK, "1")] + [(f"answers.{key}", "yes" if value else "no")
                             for key, value in answers.items()]
    query += [(f"details.{key}", value) for key, value in details.items() if value]
    return tk.h.url_for("opendata_th_workflow.classify", id=package["name"]) + "?" + urlencode(query)


def _path(schema: Any, decision: Any, package: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions answered so far, each with a link that asks it again
    (the answers before it kept)."""
    path = []
    before: dict[str, bool] = {}
    for key, answer in decision.answers.items():
        question = schema.questions[key]
        kept_details = {name: value for name, value in decision.details.items()
                        if any(name in (schema.questions[k].record or ()) for k in before)}
        path.append({
            "key": key, "text": _in_language(question.text), "answer": bool(answer),
            "law": _in_language(question.law),
            "details": [{"label": _in_language(schema.details[name].label), "value": value}
                        for name, value in decision.details.items()
                        if name in (question.record or ()) and value],
            "change_url": _walk_url(package, before, kept_details)})
        before = {**before, key: answer}
    return path


def _question(schema: Any, key: str, package: dict[str, Any]) -> dict[str, Any]:
    from ckanext.opendata_th import workflow as glue

    question = schema.questions[key]
    return {
        "key": key, "text": _in_language(question.text), "help": _in_language(question.help),
        "law": _in_language(question.law),
        "record": [{"key": name, "label": _in_language(schema.details[name].label),
                    "max_length": getattr(schema.details[name], "max_length", None) or 500}
                   for name in (question.record or ())],
        "quality": _quality(package) if key == glue.QUALITY_QUESTION else None,
    }


def _quality(package: dict[str, Any]) -> dict[str, Any]:
    """What the data-quality reports say, for the quality question: whether
    a file was checked, and the problems that keep the answer from being
    "yes" (none: the answer attests the quality)."""
    from ckanext.opendata_th import workflow as glue

    return {"checked": glue.quality_checked(package["id"]),
            "problems": [localize.text(message) for message in glue.quality_problems(package["id"])]}


def _classify_page(package: dict[str, Any], schema: Any, answers: dict[str, Any],
                   details: dict[str, str], *, errors: dict[str, list[str]] | None = None,
                   status: int = 200):
    decision, refused = _decide(schema, answers, details, package)
    errors = {**refused, **(errors or {})}
    outcome = schema.outcomes.get(decision.outcome) if decision.outcome else None
    laws = []
    for key in decision.answers:
        law = _in_language(schema.questions[key].law)
        if law and law not in laws:
            laws.append(law)
    question = _question(schema, decision.next_question, package) if decision.next_question else None
    here = set()
    if question:
        here = {f"answers.{question['key']}"} | {f"details.{d['key']}" for d in question["record"]}
    answered = list(decision.answers.items())
    back = _walk_url(package, dict(answered[:-1]), decision.details) if answered else None
    return tk.render("opendata_th/workflow/classify.html", {
        "pkg_dict": package, "pkg": package, "dataset_type": package.get("type") or "dataset",
        "decision": decision, "path": _path(schema, decision, package),
        "question": question,
        "other_errors": [text for key, texts in errors.items() if key not in here for text in texts],
        "answers": {key: "yes" if value else "no" for key, value in decision.answers.items()},
        "details": decision.details,
        "typed_details": details,
        "outcome": outcome and {
            "label": _in_language(outcome.label), "explanation": _in_language(outcome.explanation),
            "disclosable": outcome.disclosable, "withhold": decision.withhold},
        "sets": {"category": decision.category, "classification": decision.classification},
        "laws": laws, "errors": errors,
        "back_url": back, "restart_url": _walk_url(package, {}, {}),
        "schema_version": getattr(schema, "version", ""),
        "step_number": len(answered) + 1,
    }), (400 if errors else status)


@workflow.route("/dataset/<id>/classify", methods=["GET", "POST"])
def classify(id: str):
    """The guided classification: one question at a time, the answers so
    far carried by the form; saving (complete or partial) POSTs them to
    ``opendata_th_classify``."""
    package = calls.dataset_or_404(id)
    show = _show(package)
    if "editor" not in (show.get("roles") or []) or not calls.allowed("opendata_th_classify",
                                                                   {"id": package["id"]}):
        return tk.abort(403, tk._(EDITORS_ONLY))
    schema = _classification_schema()
    if tk.request.method == "POST":
        protect_from_csrf()
        answers, details = _walk_input(tk.request.form, schema)
        decision, refused = _decide(schema, answers, details, package)
        if refused:
            return _classify_page(package, schema, answers, details, status=400)
        try:
            calls.action("opendata_th_classify", {
                "id": package["id"],
                "answers": {key: bool(value) for key, value in decision.answers.items()},
                "details": dict(decision.details)})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._(NOT_FOUND))
        except tk.NotAuthorized:
            return tk.abort(403, tk._(EDITORS_ONLY))
        except tk.ValidationError as error:
            errors = calls.errors_by_field(error)
            return _classify_page(package, schema, answers, details, errors=errors, status=400)
        if decision.outcome:
            outcome = schema.outcomes[decision.outcome]
            message = tk._("The classification is saved: {outcome}.").format(
                outcome=_in_language(outcome.label))
        else:
            message = tk._("The answers so far are saved. Continue the classification when you are ready.")
        return _done(package, message)
    if tk.request.args.get(WALK):
        answers, details = _walk_input(tk.request.args, schema)
    else:  # start from the stored answers
        stored = show.get("classification") or {}
        answers = {key: value for key, value in (stored.get("answers") or {}).items()
                   if key in schema.questions}
        details = {key: str(value) for key, value in (stored.get("details") or {}).items()
                   if key in schema.details}
    return _classify_page(package, schema, answers, details)


# -- the organization's pages --------------------------------------------------------

def _is_approver(organization: dict[str, Any]) -> bool:
    if not tk.current_user.is_authenticated:
        return False
    from ckanext.opendata_th import workflow as glue

    return bool(glue.is_approver(tk.current_user.name, organization["id"]))


def _queue(organization: dict[str, Any]) -> list[dict[str, Any]]:
    return calls.action("opendata_th_approval_queue", {"organization_id": organization["id"]})


@workflow.route("/organization/approvals/<id>")
def approvals(id: str):
    """The datasets of the organization waiting for this approver."""
    organization = calls.organization_or_404(id)
    if not _is_approver(organization):
        return tk.abort(403, tk._("Only the organization's approvers can see its approval queue."))
    try:
        queue = _queue(organization)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the organization's approvers can see its approval queue."))
    return tk.render("opendata_th/workflow/approvals.html", {
        "group_dict": organization, "group_type": "organization",
        "am_following": calls.am_following(organization), "queue": queue})


@workflow.route("/organization/priorities/<id>")
def priorities(id: str):
    """The organization's datasets on their way to publication, ranked."""
    organization = calls.organization_or_404(id)
    try:
        ranked = calls.action("opendata_th_priority_list", {"organization_id": organization["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the organization's members can see its priorities."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    return tk.render("opendata_th/workflow/priorities.html", {
        "group_dict": organization, "group_type": "organization",
        "am_following": calls.am_following(organization), "ranked": ranked, "stage_text": stage_label})


# -- template helpers -----------------------------------------------------------------

def opendata_th_stage_label(stage: str | None) -> str:
    """A workflow stage's name in the reader's language ("" for none)."""
    if not stage:
        return ""
    return stage_label(stage)


def opendata_th_workflow_tab_shown(package: dict[str, Any]) -> bool:
    """Whether the dataset page shows the disclosure workflow tab (members of
    the dataset's organization and sysadmins)."""
    if not package or not package.get("id") or not tk.current_user.is_authenticated:
        return False
    return calls.allowed("opendata_th_workflow_show", {"id": package["id"]})


ACTIVITY_EVENTS = 50
"""The newest workflow events shown on the dataset's activity stream page
(the disclosure page has them all)."""


def opendata_th_workflow_activity(package: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's disclosure workflow history for its activity stream
    page: ``{"events": [...], "more": bool, "url": the disclosure page's
    history}``, the newest :data:`ACTIVITY_EVENTS` events (stage changes
    with who, when and the comment; selections, scores, classifications);
    None for those who may not read it (anonymous visitors, other
    organizations: ``opendata_th_workflow_history``'s auth decides)."""
    if not package or not package.get("id") or not tk.current_user.is_authenticated:
        return None
    if not calls.allowed("opendata_th_workflow_history", {"id": package["id"]}):
        return None
    events = _history(package, limit=ACTIVITY_EVENTS + 1)
    return {"events": events[:ACTIVITY_EVENTS], "more": len(events) > ACTIVITY_EVENTS,
            "url": tk.h.url_for("opendata_th_workflow.read", id=package.get("name") or package["id"],
                                _anchor="history")}


def opendata_th_workflow_org_tabs(organization: dict[str, Any]) -> dict[str, Any]:
    """The organization page's workflow tabs for the user: ``priorities``
    (members) and ``approvals``, the number of datasets waiting for this
    approver (None: not an approver)."""
    tabs: dict[str, Any] = {"priorities": False, "approvals": None}
    if (not organization or not organization.get("id") or not tk.current_user.is_authenticated
            or not organization.get("is_organization", True)):
        return tabs
    tabs["priorities"] = calls.allowed("opendata_th_priority_list", {"organization_id": organization["id"]})
    if _is_approver(organization):
        from ckanext.opendata_th import workflow as glue

        tabs["approvals"] = glue.pending_count(organization["id"])  # what the queue lists
    return tabs
