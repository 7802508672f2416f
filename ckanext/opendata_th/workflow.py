"""The disclosure workflow's glue: the stored rows, who holds which role for a
dataset, the facts the state machine needs, and the one function that
changes a dataset's stage.

The rules (stages, transitions, preconditions, the classification tree, the
priority score) are plain Python in :mod:`ckanext.opendata_th.playbook`;
this module fetches what they need from CKAN and writes what they decide.
Nothing here commits: the action (or the hook) that calls it commits once,
so that a refused change leaves nothing behind.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.opendata_th import context
from ckanext.opendata_th.logic import readiness_gate
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.people import UserRef, user_object
from ckanext.opendata_th.playbook import classification, priority
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD

APPROVERS_OPTION = "ckanext.opendata_th.approvers"
WEIGHTS_OPTION = "ckanext.opendata_th.priority.weights"
CLASSIFICATION_SCHEMA_OPTION = "ckanext.opendata_th.classification.schema"
SYSADMINS_OPTION = "ckanext.opendata_th.sysadmins_publish_directly"
DEFAULT_WEIGHTS = "value:2 quality:1 manageability:1"

LOCAL = "local"
"""``approval_source`` of an approval given on this portal."""



# -- the rows ----------------------------------------------------------------------

def record(package_id: str) -> Optional[WorkflowRecord]:
    """The dataset's workflow row, or None (unknown dataset, or made before
    the workflow and not backfilled)."""
    if not isinstance(package_id, str) or not package_id:
        return None
    return model.Session.get(WorkflowRecord, package_id)


def records(package_ids: Iterable[str]) -> dict[str, WorkflowRecord]:
    """The rows of these datasets, by dataset id, in one query."""
    wanted = {i for i in package_ids if isinstance(i, str) and i}
    if not wanted:
        return {}
    rows = model.Session.query(WorkflowRecord).filter(WorkflowRecord.package_id.in_(wanted))
    return {row.package_id: row for row in rows}


def _locked(package_id: str) -> Optional[WorkflowRecord]:
    """The row, locked until the transaction ends: two people changing one
    dataset's stage at once are serialized, the second sees the first's."""
    model.Session.flush()  # CKAN's session does not flush on its own: keep what was set
    return model.Session.query(WorkflowRecord).filter_by(
        package_id=package_id).with_for_update().populate_existing().one_or_none()


def _new_record(package: model.Package, user_id: Optional[str], stage: str) -> WorkflowRecord:
    now = utcnow()
    return WorkflowRecord(package_id=package.id, organization_id=package.owner_org, stage=stage,
                          selection_reasons=[], stage_changed_at=now, stage_changed_by=user_id, modified=now)


def current(package: model.Package) -> WorkflowRecord:
    """The dataset's row or, for a dataset that has none (made before the
    workflow and not backfilled), one not saved (a GET never writes): a
    candidate, or published when the dataset is public, as the dataset
    dicts and the search index say."""
    found = record(package.id)
    if found is not None:
        return found
    return _new_record(package, None, rules.CANDIDATE if package.private else rules.PUBLISHED)


def ensure(package: model.Package, user_id: Optional[str]) -> WorkflowRecord:
    """The dataset's row, made (a candidate, with its "created" event) when
    missing. A dataset public without an approval is the caller's to record
    (logic/approval_gate.record_publication)."""
    found = _locked(package.id)
    if found is not None:
        return found
    found = _new_record(package, user_id, rules.CANDIDATE)
    model.Session.add(found)
    model.Session.add(WorkflowEvent(package_id=package.id, at=found.modified, user_id=user_id,
                                    kind="created", to_stage=found.stage))
    model.Session.flush()  # record() and queries see it from now on
    return found


def event(package_id: str, kind: str, user_id: Optional[str], *, comment: Optional[str] = None,
          detail: Optional[dict[str, Any]] = None, transition: Optional[str] = None,
          from_stage: Optional[str] = None, to_stage: Optional[str] = None) -> WorkflowEvent:
    """Record one change in the dataset's history (not committed)."""
    found = WorkflowEvent(package_id=package_id, at=utcnow(), user_id=user_id, kind=kind,
                          transition=transition, from_stage=from_stage, to_stage=to_stage,
                          comment=comment or None, detail=detail)
    model.Session.add(found)
    return found


def dataset(id_or_name: object) -> Optional[model.Package]:
    """The active dataset with this id or name, or None."""
    if not isinstance(id_or_name, str) or not id_or_name or len(id_or_name) > 200:
        return None
    found = model.Package.get(id_or_name)
    if found is None or found.state != "active" or found.type != "dataset":
        return None
    return found


# -- people ------------------------------------------------------------------------

def approver_names() -> frozenset[str]:
    """The user names of ``ckanext.opendata_th.approvers``."""
    names = tk.config.get(APPROVERS_OPTION) or []
    if isinstance(names, str):
        names = names.replace(",", " ").split()
    return frozenset(str(name).strip() for name in names if str(name).strip())


def sysadmins_publish_directly() -> bool:
    """Whether ``ckanext.opendata_th.sysadmins_publish_directly`` is on."""
    return tk.asbool(tk.config.get(SYSADMINS_OPTION, False))


def _is_site_user(found: model.User) -> bool:
    """Whether this is CKAN's site user acting outside a web request: the
    portal itself, for its own commands (``ckan opendata-th demo`` walks the
    demo datasets through the workflow as it). Over the web (an API token
    made for it) it is a sysadmin like the others."""
    import flask

    site_id = tk.config.get("ckan.site_id")
    return (bool(site_id) and found.name == site_id and bool(found.sysadmin)
            and not flask.has_request_context())


def pending_count(organization_id: str) -> int:
    """How many of the organization's active datasets wait for approval
    (what its approvers' queue holds), counted in one query."""
    return int(model.Session.query(sa.func.count()).select_from(WorkflowRecord).join(
        model.Package, model.Package.id == WorkflowRecord.package_id).filter(
        WorkflowRecord.stage == rules.PENDING, model.Package.state == "active",
        model.Package.type == "dataset", model.Package.owner_org == organization_id).scalar() or 0)


def is_approver(user: UserRef, organization_id: Optional[str]) -> bool:
    """Whether the user approves (and returns) for the organization: one of
    its admins, or one of its editors listed in
    ``ckanext.opendata_th.approvers``. A sysadmin who is neither approves
    only when ``ckanext.opendata_th.sysadmins_publish_directly`` is on (the
    same option that lets them publish without the workflow); CKAN's site
    user does for the portal's own commands."""
    found = user_object(user)
    if found is None or found.state != "active":
        return False
    if found.sysadmin and (sysadmins_publish_directly() or _is_site_user(found)):
        return True
    if not organization_id:
        return False
    capacity = authz.users_role_for_group_or_org(organization_id, found.name)
    if capacity == "admin":
        return True
    listed = approver_names()
    return capacity == "editor" and (found.name in listed or found.id in listed)


def may_edit(user: UserRef, package: model.Package) -> bool:
    """Whether the user may update the dataset (CKAN's package_update auth)."""
    found = user_object(user)
    if found is None:
        return False
    try:
        tk.check_access("package_update", {"user": found.name, "model": model}, {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def roles(user_name_or_obj: UserRef, package: model.Package) -> frozenset[str]:
    """The user's roles for this dataset in the state machine: editor when
    they may update it; approver too when they also approve for its
    organization (:func:`is_approver`)."""
    if not may_edit(user_name_or_obj, package):
        return frozenset()
    if is_approver(user_name_or_obj, package.owner_org):
        return frozenset({rules.EDITOR, rules.APPROVER})
    return frozenset({rules.EDITOR})


# -- the facts the rules need ---------------------------------------------------------

def _dataset_dict(package: model.Package) -> dict[str, Any]:
    """The dataset as package_show gives it (the national fields converted by
    the schema), whatever the caller may see."""
    return tk.get_action("package_show")({"ignore_auth": True, "use_cache": False,
                                          "for_view": False}, {"id": package.id})


def facts(package: model.Package, found: Optional[WorkflowRecord], *,
          metadata: bool = True) -> rules.Facts:
    """What the transitions' preconditions need to know about the dataset.
    ``metadata``: check the mandatory metadata too (it reads the whole
    dataset; only sending for approval and approving need it)."""
    extras = package.extras
    decision = (found.classification if found is not None else None) or {}
    disclosable = decision.get("disclosable") if decision.get("outcome") else None
    gaps: tuple = ()
    problems: tuple = ()
    if metadata:
        gaps = tuple(rules.metadata_gaps(_dataset_dict(package)))
        problems = quality_problems(package.id)
    return rules.Facts(
        category=extras.get(CATEGORY_FIELD),
        classification=extras.get(CLASSIFICATION_FIELD),
        disclosable=disclosable if isinstance(disclosable, bool) else None,
        selection_reasons=tuple((found.selection_reasons if found is not None else None) or ()),
        licence_open=bool(package.license_id) and package.license_id in context.open_license_ids(),
        metadata_gaps=gaps,
        readiness_refusal=readiness_gate.refusal(package.owner_org),
        quality_problems=problems,
    )


def quality_problems(package_id: str) -> tuple[Message, ...]:
    """What the newest data-quality reports of the dataset's files say
    keeps it from being published: personal data, or error findings."""
    from ckanext.opendata_th.model.quality import CHECKED, QualityReport

    latest = QualityReport.latest_of_dataset(package_id)
    if not latest:
        return ()
    names = dict(model.Session.query(model.Resource.id, model.Resource.name).filter(
        model.Resource.id.in_(list(latest))))
    found = []
    for resource_id, report in sorted(latest.items(), key=lambda item: names.get(item[0]) or item[0]):
        name = names.get(resource_id) or resource_id
        if report.personal_data:
            found.append(Message(N_("The file of “{resource}” holds personal data, which must never be "
                                    "published (PDPA B.E. 2562): remove it from the file"), resource=name))
        elif report.state == CHECKED and report.errors:
            found.append(Message(N_("The data-quality check found {count} errors in the file of "
                                    "“{resource}”: correct the file (see its data-quality report)"),
                                 count=report.errors, resource=name))
    return tuple(found)


QUALITY_QUESTION = "quality_acceptable"
"""The classification question of the quality gate (schemas/classification.yaml)."""


def quality_checked(package_id: str) -> bool:
    """Whether a file of the dataset has a data-quality report yet."""
    from ckanext.opendata_th.model.quality import QualityReport

    return bool(QualityReport.latest_of_dataset(package_id))


def quality_refusals(package_id: str, answers: dict[str, Any]) -> list[Message]:
    """Why the answer "yes" to the classification's quality question
    (:data:`QUALITY_QUESTION`) cannot be recorded: the newest data-quality
    reports of the dataset's files name problems (:func:`quality_problems`).
    [] when the answer is not "yes", when the reports find nothing that
    stops publication, or when no file has been checked yet (the answer
    then attests the quality by hand)."""
    if answers.get(QUALITY_QUESTION) is not True:
        return []
    problems = quality_problems(package_id)
    if not problems:
        return []
    return [Message(N_("The quality cannot be “yes” while the data-quality reports of the dataset's files "
                       "find problems: correct the files, or answer “no”.")), *problems]


def moved_reason(organization_id: Optional[str]) -> Message:
    """Why a published dataset moved to another organization was made
    private: that organization's approvers have not approved it."""
    organization = model.Group.get(organization_id) if organization_id else None
    if organization is None:
        return Message(N_("The dataset was moved out of its organization: it was made private and must "
                          "be approved again."))
    return Message(N_("The dataset was moved to the organization “{organization}”: it was made private "
                      "and returned to that organization's approvers."),
                   organization=organization.title or organization.name)


NEEDS_METADATA = frozenset({"submit", "approve"})
"""The transitions whose preconditions include the mandatory metadata."""


# -- changing the stage ----------------------------------------------------------------

def change_stage(package: model.Package, name: str, *, user_id: Optional[str], roles: Iterable[str],
                 comment: str, detail: Optional[dict[str, Any]] = None,
                 approval_source: str = LOCAL) -> WorkflowRecord:
    """Run transition ``name`` on the dataset: the state machine decides
    (raising :class:`~.playbook.workflow.TransitionRefused` with every
    reason), then the row and a "transition" event are written (not
    committed). An approval records who, when and ``approval_source``;
    leaving "published" clears it (the history keeps it). Making the dataset
    public or private is the caller's next step."""
    found = ensure(package, user_id)
    comment = (comment or "").strip()
    target = rules.apply(name, found.stage, roles, facts(package, found, metadata=name in NEEDS_METADATA),
                         comment)
    now = utcnow()
    event(package.id, "transition", user_id, comment=comment, detail=detail, transition=name,
          from_stage=found.stage, to_stage=target)
    found.stage, found.stage_changed_at, found.stage_changed_by = target, now, user_id
    found.organization_id, found.modified = package.owner_org, now
    if target == rules.PUBLISHED:
        found.approved_by, found.approved_at, found.approval_source = user_id, now, approval_source
    elif rules.TRANSITIONS[name].unpublishes:
        found.approved_by = found.approved_at = found.approval_source = None
    model.Session.flush()  # the dataset schema's validator reads the new stage
    return found


# -- configuration ---------------------------------------------------------------------

def priority_weights() -> priority.Weights:
    """The weights of ``ckanext.opendata_th.priority.weights``."""
    return priority.parse_weights(tk.config.get(WEIGHTS_OPTION) or DEFAULT_WEIGHTS)


@functools.lru_cache(maxsize=4)
def _classification_schema(path: str) -> classification.ClassificationSchema:
    return classification.load_schema(path)


def classification_schema() -> classification.ClassificationSchema:
    """The decision tree of ``ckanext.opendata_th.classification.schema``
    (empty: the shipped file), loaded once per path."""
    path = tk.config.get(CLASSIFICATION_SCHEMA_OPTION) or str(classification.SCHEMA_FILE)
    return _classification_schema(str(Path(path).expanduser()))


def check_config() -> None:
    """Fail at start-up, with the place of the error, on a broken decision
    tree (the error names the file) or priority weights (it names the
    option)."""
    _classification_schema.cache_clear()
    classification_schema()
    try:
        priority_weights()
    except priority.PriorityConfigError as error:
        raise priority.PriorityConfigError(Message(
            N_("The option {option} is wrong: {problem}"), option=WEIGHTS_OPTION,
            problem=error.message)) from error
