"""Tags of datasets that a user cannot see stay hidden from that user.

CKAN core answers ``tag_list``, ``tag_autocomplete`` and ``tag_search`` from
the tag tables alone: they list the tags of every dataset, private, draft and
deleted ones included, so an anonymous visitor or another organization's
admin can read the tags of a private dataset (a secret project's name, say).
``tag_show`` answers for any tag name, which confirms that such a tag
exists, and ``vocabulary_show`` / ``vocabulary_list`` list every tag of a
vocabulary, including one that an editor created by putting it on a private
dataset. These actions are chained here.

**The rule.** A tag is shown to a caller when

* the caller sees everything: a sysadmin, or a call with ``ignore_auth``
  (internal code; CKAN's ``package_search`` lets both see every dataset), who
  get CKAN's own answer unchanged; or
* a dataset search by the caller finds a dataset with that tag: an active
  dataset, public or visible to the caller through CKAN's permission labels
  (the owning organization's members, collaborators when
  ``ckan.auth.allow_dataset_collaborators`` is on, and whatever an
  ``IPermissionLabels`` plugin decides); or
* it is a vocabulary tag that has never been put on any dataset: a term
  defined with the vocabulary, which tells nothing about datasets (CKAN's
  dataset forms list a vocabulary's terms with ``tag_list``). A term that
  has been on a dataset is shown only while a dataset the caller can see
  has it: CKAN does not record who created a term, so a term a sysadmin
  defined cannot be told from one that an editor's private dataset brought
  in.

**How the visible tags are found.** One ``package_search`` as the caller,
with ``include_private=True``, no rows, and a facet without limit on the
``tags`` field (and ``vocab_<name>`` for a vocabulary). ``package_search``
applies the caller's permission labels itself, exactly as on the dataset
search page, so this is CKAN's own notion of "may see", and a tag is listed
exactly when searching for it finds at least one dataset. Its cost is one
search whatever the number of datasets or users, anonymous callers
included (on the PostgreSQL backend a count and one grouped count of the
visible datasets' tag values: the work behind the search page's tag
facet); no dataset is read one by one. The tag names it returns then
filter the tag query in SQL, *before* ``offset`` and ``limit`` apply, so
``tag_autocomplete`` with ``limit`` 10 gives up to ten visible tags
(ordered by name), never fewer because hidden ones took the places.
Reading each dataset's labels from the database instead would mean
re-implementing ``IPermissionLabels`` in SQL, or looping over datasets in
Python.

``tag_show``, ``vocabulary_show`` and ``vocabulary_list`` first keep, without
searching, the tags that anyone can see: those on an active public dataset
(CKAN labels those datasets ``public``, a label every caller holds), and
vocabulary terms never put on a dataset. Only when other tags are left is
the search asked about them (once per call; for ``vocabulary_list``, once
per twenty vocabularies, as search backends bound the facet fields of one
search), so the search index, which calls ``vocabulary_show`` for every
vocabulary tag it indexes, does not run a search each time.

When the search fails, these actions fail too, rather than answer with
tags that may be hidden.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

import ckan.authz as authz
import ckan.model
import ckan.plugins.toolkit as tk
from ckan.lib.dictization import model_dictize, table_dictize

FREE_TAGS_FIELD = "tags"
FIELDS_PER_SEARCH = 20

Action = Callable[[dict[str, Any], dict[str, Any]], Any]


# -- who sees what ----------------------------------------------------------------

def sees_everything(context: dict[str, Any]) -> bool:
    """Whether the caller sees every dataset: a sysadmin, or internal code
    calling with ``ignore_auth`` (as in CKAN's ``package_search``)."""
    if context.get("ignore_auth"):
        return True
    user = context.get("user")
    return bool(user) and authz.is_sysadmin(user)


def search_field(vocabulary: Optional[ckan.model.Vocabulary]) -> str:
    """The search field that holds a dataset's tags of ``vocabulary`` (free
    tags when None), as CKAN indexes them."""
    return FREE_TAGS_FIELD if vocabulary is None else f"vocab_{vocabulary.name}"


def visible_tag_names(context: dict[str, Any], fields: Iterable[str]) -> dict[str, frozenset[str]]:
    """For each search field (see :func:`search_field`), the tag names that
    the caller's dataset search finds on at least one dataset: one
    ``package_search`` as the caller, private datasets included as far as
    the caller's permission labels allow, active datasets only."""
    fields = sorted(set(fields))
    visible: dict[str, frozenset[str]] = {}
    # a search backend may bound the facet fields of one search (one field
    # is the usual case; only vocabulary_list asks for more)
    for start in range(0, len(fields), FIELDS_PER_SEARCH):
        some = fields[start:start + FIELDS_PER_SEARCH]
        search_context = {"user": context.get("user") or "",
                          "auth_user_obj": context.get("auth_user_obj")}
        result = tk.get_action("package_search")(search_context, {
            "rows": 0,
            "include_private": True,
            "facet.field": some,
            "facet.limit": -1,
            "facet.mincount": 1,
        })
        facets = result.get("facets") or {}
        visible.update({field: frozenset(facets.get(field) or ()) for field in some})
    return visible


def hidden_tag_ids(context: dict[str, Any], tags: Iterable[ckan.model.Tag]) -> set[str]:
    """The ids of those of ``tags`` that the caller may not see.

    Tags on an active public dataset and vocabulary terms never put on a
    dataset are visible without asking; the search is asked (once) about
    the others only.
    """
    tags = list(tags)
    if not tags or sees_everything(context):
        return set()
    model = context.get("model") or ckan.model
    ids = [tag.id for tag in tags]
    on_public = {row.tag_id for row in model.Session.query(model.PackageTag.tag_id)
                 .join(model.Package, model.Package.id == model.PackageTag.package_id)
                 .filter(model.PackageTag.tag_id.in_(ids), model.PackageTag.state == "active",
                         model.Package.state == "active", model.Package.private.is_(False))
                 .distinct()}
    ever_applied = {row.tag_id for row in model.Session.query(model.PackageTag.tag_id)
                    .filter(model.PackageTag.tag_id.in_(ids)).distinct()}
    doubtful = [tag for tag in tags if tag.id not in on_public
                and (tag.vocabulary_id is None or tag.id in ever_applied)]
    if not doubtful:
        return set()
    vocabularies = {vocabulary.id: vocabulary for vocabulary in model.Session.query(model.Vocabulary)
                    .filter(model.Vocabulary.id.in_({t.vocabulary_id for t in doubtful if t.vocabulary_id}))}
    field_of = {tag.id: search_field(vocabularies.get(tag.vocabulary_id) if tag.vocabulary_id else None)
                for tag in doubtful}
    visible = visible_tag_names(context, field_of.values())
    return {tag.id for tag in doubtful if tag.name not in visible[field_of[tag.id]]}


# -- the tag query ----------------------------------------------------------------------

def _like_pattern(term: str) -> str:
    """``%term%`` for ILIKE, with ``\\``, ``%`` and ``_`` taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _terms(data_dict: dict[str, Any]) -> list[str]:
    """The search strings of a tag query: ``query`` (or ``q``), a string or a
    list, and the deprecated ``fields: {"tag"/"tags": ...}``, as in core."""
    terms = data_dict.get("query") or data_dict.get("q") or []
    if isinstance(terms, str):
        terms = [terms]
    fields = data_dict.get("fields") or {}
    if isinstance(fields, dict):
        terms = list(terms) + [value for key, value in fields.items() if key in ("tag", "tags")]
    return [term.strip() for term in terms if isinstance(term, str) and term.strip()]


def _count_param(data_dict: dict[str, Any], key: str) -> Optional[int]:
    """``limit`` / ``offset`` as a natural number, or None when not given."""
    value = data_dict.get(key)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.ValidationError({key: [tk._("Invalid integer")]})
    if number < 0:
        raise tk.ValidationError({key: [tk._("Must be a natural number")]})
    return number


def visible_tags_query(context: dict[str, Any], vocabulary: Optional[ckan.model.Vocabulary],
                       terms: list[str]) -> Any:
    """The tags of ``vocabulary`` (free tags when None) whose names contain
    every one of ``terms`` (case-insensitive) and that the caller may see,
    ordered by name. Free tags must also be on a dataset now, as in core's
    ``tag_list``."""
    model = context.get("model") or ckan.model
    tag, package_tag = model.Tag, model.PackageTag
    query = model.Session.query(tag)
    if vocabulary is None:
        query = query.filter(tag.vocabulary_id.is_(None), sa.exists().where(
            sa.and_(package_tag.tag_id == tag.id, package_tag.state == "active")))
    else:
        query = query.filter(tag.vocabulary_id == vocabulary.id)
    if not sees_everything(context):
        field = search_field(vocabulary)
        names = sorted(visible_tag_names(context, [field])[field])
        found = tag.name == sa.any_(sa.literal(names, type_=ARRAY(sa.UnicodeText)))
        if vocabulary is not None:
            found = sa.or_(found, ~sa.exists().where(package_tag.tag_id == tag.id))
        query = query.filter(found)
    for term in terms:
        query = query.filter(tag.name.ilike(_like_pattern(term), escape="\\"))
    return query.order_by(tag.name, tag.id)


def _search(context: dict[str, Any], data_dict: dict[str, Any]) -> tuple[list[ckan.model.Tag], int]:
    """What core's tag search gives for ``tag_search`` and
    ``tag_autocomplete``, restricted to the tags the caller may see before
    ``offset`` and ``limit`` apply: (one page of tags, the total)."""
    model = context.get("model") or ckan.model
    offset = _count_param(data_dict, "offset")
    limit = _count_param(data_dict, "limit")
    vocabulary = None
    if "vocabulary_id" in data_dict:
        vocabulary = model.Vocabulary.get(tk.get_or_bust(data_dict, "vocabulary_id"))
        if vocabulary is None:
            return [], 0
    terms = _terms(data_dict)
    if not terms:
        return [], 0
    query = visible_tags_query(context, vocabulary, terms)
    count = query.count()
    return query.offset(offset).limit(limit).all(), count


# -- the actions -------------------------------------------------------------------------

@tk.side_effect_free
@tk.chained_action
def tag_list(up_func: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> list[Any]:
    """CKAN's tag_list (same parameters and auth: ``query`` / ``q``,
    ``vocabulary_id``, ``all_fields``), listing only the tags of datasets the
    caller may see (see the module's rule), ordered by name. Sysadmins get
    core's answer.

    :raises ObjectNotFound: an unknown ``vocabulary_id`` without a query
    """
    if sees_everything(context):
        return up_func(context, data_dict)
    tk.check_access("tag_list", context, data_dict)
    model = context.get("model") or ckan.model
    vocabulary = None
    vocabulary_id = data_dict.get("vocabulary_id")
    terms = _terms(data_dict)
    if vocabulary_id:
        vocabulary = model.Vocabulary.get(vocabulary_id)
        if vocabulary is None:
            if terms:
                return []
            raise tk.ObjectNotFound(f"could not find vocabulary '{vocabulary_id}'")
    query = visible_tags_query(context, vocabulary, terms)
    if terms:  # core pages a query's answer when asked to (tag search)
        query = query.offset(_count_param(data_dict, "offset")).limit(_count_param(data_dict, "limit"))
    tags = query.all()
    if data_dict.get("all_fields"):  # as core reads it
        return model_dictize.tag_list_dictize(tags, context)
    return [tag.name for tag in tags]


@tk.side_effect_free
@tk.chained_action
def tag_autocomplete(up_func: Action, context: dict[str, Any],
                     data_dict: dict[str, Any]) -> list[str]:
    """CKAN's tag_autocomplete (same parameters and auth: ``q`` / ``query``,
    ``vocabulary_id``, ``limit``, ``offset``): names of the tags the caller
    may see, ordered by name; ``limit`` counts visible tags only. Also
    answers ``/api/util/tag/autocomplete``."""
    if sees_everything(context):
        return up_func(context, data_dict)
    tk.check_access("tag_autocomplete", context, data_dict)
    tags, _count = _search(context, data_dict)
    return [tag.name for tag in tags]


@tk.side_effect_free
@tk.chained_action
def tag_search(up_func: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's tag_search (same parameters and auth): ``count`` and
    ``results`` over the tags the caller may see, ordered by name."""
    if sees_everything(context):
        return up_func(context, data_dict)
    tk.check_access("tag_search", context, data_dict)
    tags, count = _search(context, data_dict)
    return {"count": count, "results": [table_dictize(tag, context) for tag in tags]}


@tk.side_effect_free
@tk.chained_action
def tag_show(up_func: Action, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's tag_show (same parameters and auth; ``include_datasets`` lists
    public datasets only, as in core), not found for a tag the caller may
    not see, like a tag that does not exist.

    :raises ObjectNotFound: no such tag, or a hidden one
    """
    tag_dict = up_func(context, data_dict)
    if sees_everything(context):
        return tag_dict
    model = context.get("model") or ckan.model
    tag = model.Session.get(model.Tag, tag_dict["id"])
    if tag is None or hidden_tag_ids(context, [tag]):
        raise tk.ObjectNotFound()
    return tag_dict


def _without_hidden_tags(context: dict[str, Any], vocabulary_dicts: list[dict[str, Any]]) -> None:
    model = context.get("model") or ckan.model
    ids = [tag["id"] for vocabulary in vocabulary_dicts for tag in vocabulary.get("tags") or []]
    if not ids:
        return
    hidden = hidden_tag_ids(context, model.Session.query(model.Tag).filter(model.Tag.id.in_(ids)))
    for vocabulary in vocabulary_dicts:
        vocabulary["tags"] = [tag for tag in vocabulary.get("tags") or [] if tag["id"] not in hidden]


@tk.side_effect_free
@tk.chained_action
def vocabulary_show(up_func: Action, context: dict[str, Any],
                    data_dict: dict[str, Any]) -> dict[str, Any]:
    """CKAN's vocabulary_show (same parameters and auth), its ``tags``
    without those the caller may not see."""
    vocabulary = up_func(context, data_dict)
    if not sees_everything(context):
        _without_hidden_tags(context, [vocabulary])
    return vocabulary


@tk.side_effect_free
@tk.chained_action
def vocabulary_list(up_func: Action, context: dict[str, Any],
                    data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """CKAN's vocabulary_list (same auth), each vocabulary's ``tags``
    without those the caller may not see."""
    vocabularies = up_func(context, data_dict)
    if not sees_everything(context):
        _without_hidden_tags(context, vocabularies)
    return vocabularies
