"""The publish rule on the routes that the dataset schema's validator
(``opendata_th_public_disclosure``) does not see.

CKAN's ``bulk_update_public`` and ``bulk_update_private`` (the organization
page's bulk "Make public" / "Make private") write ``private`` straight to the
table without validating the datasets. "Make public" is chained here to
check every dataset first (public data classified as open, approved, the
organization ready) and refuse the whole request when any of them may not
be public; "Make private" records the published datasets it unpublishes as
withdrawn in the disclosure workflow.

A published dataset moved to another organization is made private and
returned to that organization's approvers: by package_update/patch (the
dataset schema's validator) and by CKAN's ``package_owner_org_update``
(chained here), which moves it without validating it.

CKAN's ``member_list`` lists an organization's datasets by id to anyone who
may see the organization, private ones included: it is chained here to
leave out the datasets the caller may not see.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import ckan.model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.logic import approval_gate, readiness_gate
from ckanext.opendata_th.playbook import disclosure
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD


@dataclass(frozen=True)
class Refusal:
    """A dataset that cannot be made public, and why."""

    id: str
    name: str
    title: str
    reason: Message


class PublicRefused(tk.ValidationError):
    """A bulk "Make public" refused (HTTP 409 on the API): ``refusals`` lists
    the datasets that must stay private; none of the datasets was changed."""

    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = refusals
        super().__init__({"datasets": [f"{r.name}: {localize.text(r.reason)}" for r in refusals]})


def _dataset_ids(data_dict: dict[str, Any]) -> list[str]:
    datasets = data_dict.get("datasets") or []
    if isinstance(datasets, str):
        datasets = [datasets]
    return [str(dataset) for dataset in datasets]


def public_refusals(context: dict[str, Any], data_dict: dict[str, Any]) -> list[Refusal]:
    """The datasets of a bulk_update_public request that may not be public,
    in the request's order. Only the datasets that CKAN's bulk update would
    change are checked: those with these ids owned by ``org_id``."""
    model = context.get("model") or ckan.model
    ids = _dataset_ids(data_dict)
    if not ids:
        return []
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids), model.Package.owner_org == data_dict.get("org_id"))
    by_id = {package.id: package for package in packages}
    refusals = []
    user = context.get("user")
    for package in (by_id[id_] for id_ in dict.fromkeys(ids) if id_ in by_id):
        extras = package.extras
        reason = disclosure.public_refusal(extras.get(CATEGORY_FIELD), extras.get(CLASSIFICATION_FIELD))
        if reason is None and package.private:
            reason = approval_gate.refusal(package.id, package.name, user)
        if reason is not None:
            refusals.append(Refusal(package.id, package.name, package.title or package.name, reason))
    # CKAN's session keeps objects after commit (expire_on_commit=False) and
    # its bulk update changes the rows behind them: without this the search
    # index could read these objects, still private, when it re-indexes
    for package in by_id.values():
        model.Session.expire(package)
    return refusals


@tk.chained_action
def bulk_update_public(up_func: Callable[..., Any], context: dict[str, Any],
                       data_dict: dict[str, Any]) -> Any:
    """CKAN's bulk_update_public (same parameters and auth), refused as a
    whole, changing nothing, when any dataset of the request is not public
    data (ข้อมูลสาธารณะ) classified as open (เปิดเผย).

    :raises ValidationError: ``{"datasets": ["<name>: <reason>", ...]}``
        (HTTP 409), in the request's language; ``{"organization":
        ["<why it is not ready>"]}`` when the organization is not ready for
        the current fiscal year and a dataset of the request is private
    """
    tk.check_access("bulk_update_public", context, data_dict)
    refusals = public_refusals(context, data_dict)
    if refusals:
        raise PublicRefused(refusals)
    not_ready = readiness_gate.refusal(data_dict.get("org_id"))
    if not_ready is not None and _any_private(context, data_dict):
        raise NotReady(not_ready)
    model = context.get("model") or ckan.model
    for package in _packages(context, data_dict, private=True):
        # only a sysadmin who publishes directly gets here; recorded first, so
        # that CKAN's commit and re-index see the stage "published"
        approval_gate.record_direct_publication(package, context.get("user"))
        model.Session.flush()
        model.Session.expire(package)  # (see public_refusals)
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_private(up_func: Callable[..., Any], context: dict[str, Any],
                        data_dict: dict[str, Any]) -> Any:
    """CKAN's bulk_update_private (same parameters and auth); the published
    datasets it makes private are recorded as withdrawn in the disclosure
    workflow (they need a new approval to be public again). Recorded before
    CKAN's update, which commits both and re-indexes with the new stage."""
    tk.check_access("bulk_update_private", context, data_dict)
    model = context.get("model") or ckan.model
    for package in _packages(context, data_dict, private=False):
        if approval_gate.approved(package.id):
            approval_gate.record_withdrawal(package, context.get("user"), Message(
                N_("Made private from the organization's page.")))
        model.Session.flush()
        model.Session.expire(package)  # (see public_refusals)
    return up_func(context, data_dict)


def _packages(context: dict[str, Any], data_dict: dict[str, Any], *, private: bool) -> list[Any]:
    """The datasets of a bulk request, owned by its organization, that are
    private (or public) now."""
    model = context.get("model") or ckan.model
    ids = _dataset_ids(data_dict)
    if not ids:
        return []
    return model.Session.query(model.Package).filter(
        model.Package.id.in_(ids), model.Package.owner_org == data_dict.get("org_id"),
        model.Package.private.is_(private)).all()


class NotReady(tk.ValidationError):
    """A bulk "Make public" refused because the organization is not ready for
    the current fiscal year (HTTP 409 on the API); nothing was changed."""

    def __init__(self, reason: Message) -> None:
        self.reason = reason
        super().__init__({"organization": [localize.text(reason)]})


def _any_private(context: dict[str, Any], data_dict: dict[str, Any]) -> bool:
    """Whether the request would make a private dataset of the organization
    public (datasets already public may be "made public" again)."""
    model = context.get("model") or ckan.model
    ids = _dataset_ids(data_dict)
    return bool(ids) and model.Session.query(model.Package.id).filter(
        model.Package.id.in_(ids), model.Package.owner_org == data_dict.get("org_id"),
        model.Package.private.is_(True)).first() is not None


@tk.side_effect_free
@tk.chained_action
def member_list(up_func: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """CKAN's member_list (same parameters and auth) without the datasets
    the caller may not see (``package_show``): an organization's private
    datasets are listed only to its members (and sysadmins), as its page
    shows them. Without this, an anonymous visitor learned the ids, and the
    number, of datasets not disclosed."""
    members = up_func(context, data_dict)
    if context.get("ignore_auth"):
        return members
    ids = {member[0] for member in members if len(member) > 1 and member[1] == "package"}
    hidden = _hidden_datasets(context, ids)
    if not hidden:
        return members
    return [member for member in members if not (member[1] == "package" and member[0] in hidden)]


def _hidden_datasets(context: dict[str, Any], ids: set[str]) -> set[str]:
    """Which of these datasets the caller of ``context`` may not see: the
    active public ones everyone sees; the others (private, draft, deleted)
    only those whom ``package_show``'s auth lets in."""
    if not ids:
        return set()
    model = context.get("model") or ckan.model
    shown = {id_ for (id_,) in model.Session.query(model.Package.id).filter(
        model.Package.id.in_(ids), model.Package.private.is_(False), model.Package.state == "active")}
    hidden = set()
    user = context.get("user") or ""
    for id_ in ids - shown:
        try:
            tk.check_access("package_show", {"model": model, "user": user}, {"id": id_})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            hidden.add(id_)
    return hidden


@tk.chained_action
def package_owner_org_update(up_func: Callable[..., Any], context: dict[str, Any],
                             data_dict: dict[str, Any]) -> Any:
    """CKAN's package_owner_org_update (same parameters and auth: sysadmins);
    a public dataset moved to another organization (or out of any) is made
    private at once and recalled to the approvers of its new organization,
    with the reason, in the same transaction: they never approved it. (CKAN's
    package_update calls this action after it has saved the new owner: the
    dataset schema's validator has recalled the dataset then.)"""
    model = context.get("model") or ckan.model
    package = workflow_glue.dataset(data_dict.get("id"))
    if package is None or package.private or _organization_id(model, data_dict) == package.owner_org:
        return up_func(context, data_dict)
    tk.check_access("package_owner_org_update", context, data_dict)
    result = up_func({**context, "defer_commit": True}, data_dict)
    approval_gate.mark_recalled(package, workflow_glue.moved_reason(package.owner_org))
    # package_patch re-indexes the dataset; the hook after the update
    # records the recall (logic/approval_gate.record_after_update)
    tk.get_action("package_patch")({"model": model, "session": model.Session, "ignore_auth": True,
                                    "defer_commit": True, "user": context.get("user")},
                                   {"id": package.id, "private": True})
    if not context.get("defer_commit"):
        model.repo.commit()
    return result


def _organization_id(model: Any, data_dict: dict[str, Any]) -> Any:
    """The id of the organization a package_owner_org_update request names
    (None: no organization; an unknown one as given: CKAN refuses it)."""
    given = data_dict.get("organization_id")
    if not given:
        return None
    found = model.Group.get(given) if isinstance(given, str) else None
    return found.id if found is not None else given
