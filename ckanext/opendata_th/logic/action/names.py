"""Web addresses (names) made from titles, for the form's preview and for
API clients and the no-JavaScript form that leave ``name`` out.

``package_create``, ``organization_create`` and ``group_create`` are chained:
when ``name`` is missing or blank and a title is given, the name is made from
the title (Thai in RTGS, playbook/slugs.py) and made unique with ``-2``,
``-3``… Datasets are unique among all datasets (private, draft and deleted
ones included: the database allows each name once); organizations and
groups share CKAN's group table, so among both. Updates are not chained: an
object is never renamed. Without a title the create fails as CKAN's does,
with the missing-value error.

``opendata_th_name_suggest`` gives the name a create would make now, for the
form's live preview; it reads and never writes.
"""
from __future__ import annotations

from typing import Any, Callable

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args
from ckan.types import Context, DataDict

from ckanext.opendata_th.playbook import slugs
from ckanext.opendata_th.playbook.national_schema import NAME_MAX_LENGTH as DATASET_NAME_MAX_LENGTH

KINDS = ("dataset", "organization", "group")
CREATE_ACTIONS = {"dataset": "package_create", "organization": "organization_create",
                  "group": "group_create"}
TITLE_MAX_LENGTH = 1000
"""The longest title ``opendata_th_name_suggest`` reads: more is refused, so
that an anonymous or careless caller cannot make it work on megabytes."""

Action = Callable[[Context, DataDict], Any]


def _max_length(kind: str) -> int:
    """Datasets keep to the national catalogs' 70 characters."""
    return DATASET_NAME_MAX_LENGTH if kind == "dataset" else slugs.NAME_MAX_LENGTH


def _names_like(base: str, kind: str) -> set[str]:
    """The names in use that are ``base`` or ``base-<number>``, in any state,
    visible to the caller or not (one query, whatever their number)."""
    table = model.Package if kind == "dataset" else model.Group
    column = table.name
    numbered = sa.and_(column.like(f"{base}-%"), column.op("~")(f"^{base}-[0-9]+$"))
    rows = model.Session.query(column).filter(sa.or_(column == base, numbered))
    return {name for (name,) in rows}


def _name_in_use(name: str, kind: str) -> bool:
    table = model.Package if kind == "dataset" else model.Group
    return model.Session.query(sa.exists().where(table.name == name)).scalar()


def name_for_title(title: str, kind: str) -> str:
    """The unique name a new ``kind`` with this title gets."""
    max_length = _max_length(kind)
    base = slugs.name_from_title(title, max_length=max_length, fallback=kind)
    near = _names_like(base, kind)

    def taken(name: str) -> bool:
        # a number that did not fit shortens the base: ask about that name alone
        return name in near if name.startswith(base) else _name_in_use(name, kind)

    return slugs.unique_name(base, taken, max_length=max_length)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fill_name(kind: str, context: Context, data_dict: DataDict) -> None:
    """Give ``data_dict`` a name from its title when it has none, if the caller
    may create one (nobody else makes the portal transcribe anything)."""
    title = data_dict.get("title")
    if not _blank(data_dict.get("name")) or _blank(title) or not isinstance(title, str):
        return
    tk.check_access(CREATE_ACTIONS[kind], context, data_dict)
    data_dict["name"] = name_for_title(title, kind)


@tk.chained_action
def package_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's package_create; a dataset without a name gets one from its title."""
    _fill_name("dataset", context, data_dict)
    return original(context, data_dict)


@tk.chained_action
def organization_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's organization_create; without a name, one from the title."""
    _fill_name("organization", context, data_dict)
    return original(context, data_dict)


@tk.chained_action
def group_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's group_create; without a name, one from the title."""
    _fill_name("group", context, data_dict)
    return original(context, data_dict)


# -- the form's preview -------------------------------------------------------------

def _title_within_limit(value: Any) -> Any:
    if len(value) > TITLE_MAX_LENGTH:
        raise tk.Invalid(tk._("The title is too long to make a web address from "
                              "(at most {limit} characters)").format(limit=TITLE_MAX_LENGTH))
    return value


def _known_kind(value: Any) -> Any:
    if value not in KINDS:
        raise tk.Invalid(tk._("Kind must be dataset, organization or group"))
    return value


@validator_args
def name_suggest_schema(not_empty, unicode_safe, default):
    return {"title": [not_empty, unicode_safe, _title_within_limit],
            "kind": [default("dataset"), unicode_safe, _known_kind]}


@tk.side_effect_free
def opendata_th_name_suggest(context: Context, data_dict: DataDict) -> dict[str, str]:
    """The web address (name) that a new dataset, organization or group with
    this title would get now: the form shows it as the title is typed.

    :param title: the title being typed (at most 1000 characters)
    :param kind: ``dataset`` (default), ``organization`` or ``group``
    :returns: ``{"name": ...}``

    The input is validated first (a cheap length check), then the caller must
    be allowed to create that kind of object.
    """
    data, errors = tk.navl_validate(data_dict, name_suggest_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("opendata_th_name_suggest", context, data)
    return {"name": name_for_title(data["title"], data["kind"])}
