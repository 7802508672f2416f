"""The approval gate: a dataset becomes public only when an approver of its
organization approves it.

Every route that can make a dataset public asks :func:`refusal` — the
dataset schema's after-validator (the form's visibility, ``package_create``/
``_update``/``_patch``/``_revise``, resource actions, harvests) and the
organization's bulk "Make public". The only way through is the workflow's
"approve" transition (``opendata_th_transition``), which records the stage
"published" and then makes the dataset public; with
``ckanext.opendata_th.sysadmins_publish_directly`` a sysadmin may publish
directly, and the approval is recorded as theirs.

Once published, a dataset stays public through routine edits; an edit that
makes it undisclosable unpublishes it at once and returns it to the
approvers (:func:`record_after_update`).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.model.types import utcnow
from ckanext.opendata_th.people import user_object
from ckanext.opendata_th.playbook import disclosure
from ckanext.opendata_th.playbook import workflow as rules
from ckanext.opendata_th.playbook.messages import N_, Message

_RECALLED = "_opendata_th_recalled"
"""Attribute of a dataset's model object: why the validator just unpublished
it. (Not the action's context: CKAN's validation works on a copy of it.)"""


def mark_recalled(package: model.Package, reason: Message) -> None:
    """Note on the dataset being saved that the validator unpublished it,
    and why, for :func:`record_after_update` in the same transaction."""
    setattr(package, _RECALLED, reason)


def publishes_directly(user: object) -> bool:
    """Whether this user may make datasets public without approval: a
    sysadmin, when ``ckanext.opendata_th.sysadmins_publish_directly`` is on."""
    if not tk.asbool(tk.config.get("ckanext.opendata_th.sysadmins_publish_directly", False)):
        return False
    found = user_object(user)
    return bool(found and found.sysadmin)


def disclosure_url(name: str) -> str:
    """The dataset's disclosure page, where it is sent for approval."""
    return tk.url_for("dataset.read", id=name, _external=True) + "/disclosure"


def approved(package_id: object) -> bool:
    """Whether the dataset's stage is "published": an approver approved it."""
    if not isinstance(package_id, str) or not package_id:
        return False
    record = workflow_glue.record(package_id)
    return record is not None and record.stage == rules.PUBLISHED


def refusal(package_id: object, name: object, user: object) -> Message | None:
    """Why this user cannot make the dataset public by editing it, or None
    when it is approved (or the user publishes directly)."""
    if approved(package_id) or publishes_directly(user):
        return None
    known = isinstance(package_id, str) and model.Package.get(package_id) is not None
    return disclosure.not_approved(disclosure_url(str(name or package_id)) if known else None)


def record_after_create(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """A new dataset enters the workflow as a candidate, or as published
    when a sysadmin who publishes directly created it public."""
    package = model.Package.get(pkg_dict.get("id") or "")
    if package is None:
        return
    user = user_object(context.get("user"))
    workflow_glue.ensure(package, user.id if user else None)
    if not package.private:
        record_direct_publication(package, user)


def record_after_update(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """Keep the stage and the dataset's visibility in step after an edit:
    a published dataset that became private was recalled by the validator
    (an undisclosable change: "recall", by the system, with the reason) or
    made private by its editor ("withdraw"); a dataset a sysadmin made
    public directly is recorded as published."""
    package = model.Package.get(pkg_dict.get("id") or "")
    if package is None:
        return
    reason = package.__dict__.pop(_RECALLED, None)
    user = user_object(context.get("user"))
    record = workflow_glue.ensure(package, user.id if user else None)
    if not package.private:
        if record.stage != rules.PUBLISHED:
            record_direct_publication(package, user)
        return
    if record.stage != rules.PUBLISHED:
        return
    if reason is not None:  # by the system, whoever made the edit
        workflow_glue.change_stage(package, "recall", user_id=None,
                                   roles=frozenset({rules.SYSTEM}), comment=localize.text(reason))
    else:
        record_withdrawal(package, user, Message(N_("Made private by editing the dataset.")))


def record_withdrawal(package: model.Package, user: object, why: Message) -> None:
    """A published dataset made private outside the workflow (the form, the
    API, the organization's bulk "Make private"): recorded as withdrawn."""
    found = user_object(user)
    workflow_glue.change_stage(package, "withdraw", user_id=found.id if found else None,
                               roles=frozenset({rules.EDITOR, rules.SYSTEM}), comment=localize.text(why))


def record_direct_publication(package: model.Package, user: object) -> None:
    """Record the approval of a dataset that became public without the
    workflow's approve: a sysadmin who publishes directly."""
    found = user_object(user)
    if found is not None and publishes_directly(found):
        record_publication(package, user_id=found.id, source=SYSADMIN,
                           comment=localize.text(Message(N_("Published directly by a sysadmin."))))


SYSADMIN = "sysadmin"
"""``approval_source`` of a dataset a sysadmin published directly."""


def record_publication(package: model.Package, *, user_id: str | None, source: str,
                       comment: str, at: dt.datetime | None = None) -> None:
    """Record an approval given outside this portal's approve transition —
    a sysadmin who publishes directly, or (the sync issue) the national
    portal's publication — with its source, as the stage "published" and an
    "approve" event in the history (not committed). The dataset itself is
    made public by the caller.

    ``at``: when the approval was given as its source says (the national
    portal's publication time; a naive time is UTC), kept as the approval
    time and in the event's detail; the stage change itself is dated now.
    Without it the approval is dated now."""
    record = workflow_glue.ensure(package, user_id)
    if record.stage == rules.PUBLISHED:
        return
    now = utcnow()
    detail: dict[str, Any] = {"source": source}
    if at is not None:
        at = at if at.tzinfo is not None else at.replace(tzinfo=dt.timezone.utc)
        detail["at"] = at.isoformat()
    workflow_glue.event(package.id, "transition", user_id, comment=comment, transition="approve",
                        from_stage=record.stage, to_stage=rules.PUBLISHED, detail=detail)
    record.stage, record.stage_changed_at, record.stage_changed_by = rules.PUBLISHED, now, user_id
    record.approved_by, record.approved_at, record.approval_source = user_id, at or now, source
    record.organization_id, record.modified = package.owner_org, now
