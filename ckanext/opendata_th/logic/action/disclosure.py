"""The publish rule on the routes that the dataset schema's validator
(``opendata_th_public_disclosure``) does not see.

CKAN's ``bulk_update_public`` and ``bulk_update_private`` (the organization
page's bulk "Make public" / "Make private") write ``private`` straight to the
table without validating the datasets. "Make public" is chained here to
check every dataset first (public data classified as open, approved, the
organization ready) and refuse the whole request when any of them may not
be public; "Make private" records the published datasets it unpublishes as
withdrawn in the disclosure workflow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import ckan.model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
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
