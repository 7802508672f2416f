"""The national portals' dataset dicts and this portal's: the mapping both
ways, the "identical" check, and how a harvested dataset arrives.

The national catalogs (data.go.th, the agencies' GD-Catalog sources) run CKAN
with ckanext-thai_gdc. Their dataset dicts have the same field names and
stored values as this portal's schema (``schemas/dataset.yaml``), so the
mapping is mostly the identity; what it does is make that exact:

- representations are normalised: multi-choice fields come as lists, JSON
  strings or a bare value and leave as lists in the schema's order;
  booleans come as ``True``/``"true"``/``"True"`` and leave as
  ``"True"``/``"False"``; Buddhist Era years may be numbers; fields a 2.1
  catalog sends in CKAN's ``extras`` list are folded in;
- a national value this portal's schema has no choice for is kept, never
  dropped: a licence by :data:`LICENCE_TABLE`, any other choice as
  ``อื่นๆ`` with the value in ``<field>_other``; each such value is a
  :class:`MappingNote` for the harvest report. A value that cannot be kept
  (an unknown choice of a field with no ``_other``, a year or date that is
  not one) refuses the import (:class:`ImportRefused`), naming the field;
- what the local schema does not hold (a fork's fields such as
  ``allow_cdp``, a field that does not apply to the dataset's data type) is
  set aside for the glue's sync record, never dropped silently;
- CKAN's bookkeeping (ids, dates, counts, the organization) and this
  portal's own annotations (``opendata_*``) never cross.

:func:`compare` reads both sides through the same mapping, so a dataset and
its national copy are "identical" when this portal would store them the
same way. :func:`arrival` applies the publish rule (playbook/disclosure.py)
to a harvested dataset. Nothing here imports CKAN; the harvester and the
publisher (``harvesters/``) call these functions.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml

from ckanext.opendata_th.playbook import disclosure, workflow
from ckanext.opendata_th.playbook.messages import N_, Message, MessageError
from ckanext.opendata_th.playbook.national_schema import (
    FIELDS,
    SCHEMA_FILE,
    Field,
    SchemaError,
    applies,
    check_choice,
    check_choices,
    default_accessible_condition,
    is_empty,
    parse_be_year,
    parse_date,
    parse_interval,
    parse_time_of_day,
    selected,
)
from ckanext.opendata_th.playbook.vocabulary import (
    CATEGORY_FIELD,
    CLASSIFICATION_FIELD,
    OTHER,
    OTHER_DATA_TYPE,
)

# -- what crosses and what does not ------------------------------------------

LOCAL_ANNOTATIONS: frozenset[str] = frozenset({
    # computed by annotations.py on every dataset dict and search result
    "opendata_last_update", "opendata_due_date", "opendata_overdue", "opendata_schedule",
    "opendata_properties", "opendata_stage",
    # written into search documents only (annotations.for_index)
    "opendata_overdue_date", "opendata_score", "opendata_unmet",
    # the publisher's attestations: schema fields of this portal alone
    "opendata_attest_complete", "opendata_attest_primary",
})
"""Keys this portal adds to its dataset dicts that thai_gdc does not have.
Every key starting with ``opendata_`` is one (:func:`is_local_annotation`);
these are the ones the extension writes today."""

_ANNOTATION_PREFIX = "opendata_"


def is_local_annotation(key: str) -> bool:
    """Whether ``key`` is this portal's own (``opendata_*``): never sent to
    a national portal, never taken from one, never compared."""
    return key.startswith(_ANNOTATION_PREFIX)


LOCAL_ONLY_FIELDS: frozenset[str] = frozenset(
    {"update_frequency_time"} | {name for name in FIELDS["dataset"] if is_local_annotation(name)})
"""Schema fields of this portal that thai_gdc does not have (the playbook's
expected update time and the publisher's attestations): not sent to the
national portal and not compared. ``update_frequency_time`` is taken from a
remote that has it (another portal running this extension)."""

CKAN_BOOKKEEPING: frozenset[str] = frozenset({
    "id", "name", "owner_org", "organization", "private", "state", "type",
    "metadata_created", "metadata_modified", "creator_user_id", "revision_id",
    "num_resources", "num_tags", "relationships_as_object", "relationships_as_subject",
    "groups", "extras", "tracking_summary", "isopen", "license_title", "license_url",
})
"""Top-level keys of a remote dataset dict that describe the remote record,
not the data: never copied (the glue sets id, name, owner_org and private)."""

CKAN_CORE_FIELDS: tuple[str, ...] = ("author", "author_email", "version")
"""CKAN's own dataset fields outside the national schema: copied both ways
as they are and compared, so a value a catalog holds in them is not lost."""

RESOURCE_BOOKKEEPING: frozenset[str] = frozenset({
    "id", "package_id", "position", "created", "metadata_modified", "state", "revision_id",
    "url_type", "tracking_summary", "has_views",
})
"""Resource keys describing the remote record. ``url_type`` goes too: an
upload on the remote is a link to the remote file here."""
_RESOURCE_BOOKKEEPING_PREFIXES = ("cache_", "datastore_", "_")

RESOURCE_CORE_FIELDS: tuple[str, ...] = (
    "hash", "size", "mimetype", "mimetype_inner", "last_modified", "resource_type")
"""CKAN's own resource fields outside the national schema, copied as they are."""

_PUSHED_RESOURCE_CORE_FIELDS = ("hash",)
"""Of those, what the publisher sends (so the remote copy can be checked)."""

# -- licences -------------------------------------------------------------------

LICENCE_TABLE: Mapping[str, str] = MappingProxyType({
    # CKAN's default licences that thai_gdc has under another id or title:
    # stored as the thai_gdc licence (Creative Commons' 4.0 deeds, as in
    # schemas/licenses.json). CKAN's title of cc-by-sa, "Creative Commons
    # Attribution Share-Alike", is already a thai_gdc licence and needs no row.
    "cc-by": "Creative Commons Attributions",
    "Creative Commons Attribution": "Creative Commons Attributions",
    "cc-by-sa": "Creative Commons Attribution Share-Alike",
    "cc-nc": "Creative Commons Attribution Non-Commercial",
    "Creative Commons Non-Commercial (Any)": "Creative Commons Attribution Non-Commercial",

    # CKAN's default licences with no thai_gdc equivalent, by id and by
    # title: stored as "อื่นๆ" with the national value, unchanged, in
    # license_id_other. data.go.th shows "License not specified" on
    # datasets created through CKAN's API without a licence.
    "notspecified": OTHER,
    "License not specified": OTHER,
    "cc-zero": OTHER,
    "Creative Commons CCZero": OTHER,
    "gfdl": OTHER,
    "GNU Free Documentation License": OTHER,
    "uk-ogl": OTHER,
    "UK Open Government Licence (OGL)": OTHER,
    "other-open": OTHER,
    "Other (Open)": OTHER,
    "other-pd": OTHER,
    "Other (Public Domain)": OTHER,
    "other-at": OTHER,
    "Other (Attribution)": OTHER,
    "other-nc": OTHER,
    "Other (Non-Commercial)": OTHER,
    "other-closed": OTHER,
    "Other (Not Open)": OTHER,

    # The Open Data Commons licences: thai_gdc's "Open Data Common" names the
    # family, not one licence, and the three differ (attribution only,
    # share-alike database licence, public domain). Mapping them to it would
    # lose which one applies, so they are kept as "อื่นๆ" + license_id_other.
    "odc-by": OTHER,
    "Open Data Commons Attribution License": OTHER,
    "odc-odbl": OTHER,
    "Open Data Commons Open Database License (ODbL)": OTHER,
    "odc-pddl": OTHER,
    "Open Data Commons Public Domain Dedication and License (PDDL)": OTHER,
})
"""National licence values that are not a choice of this portal's license_id
-> the local licence (a choice). A value neither a choice nor in this table
is kept as "อื่นๆ" + license_id_other too. Keys are matched ignoring case and
surrounding spaces."""

_LICENCE_BY_CASEFOLD = {key.casefold(): local for key, local in LICENCE_TABLE.items()}

# -- shapes ---------------------------------------------------------------------


@dataclass(frozen=True)
class MappingNote:
    """One national value this portal stores differently, for the harvest
    report: by :data:`LICENCE_TABLE`, a case-insensitive match of a choice, or
    an unknown choice kept as "อื่นๆ" + ``<field>_other``."""

    field: str
    """Dotted path: "license_id", "resources[0].resource_disaggregate"."""
    remote: str
    local: str
    message: Message

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "remote": self.remote, "local": self.local,
                "message": self.message.as_dict()}


@dataclass(frozen=True)
class Imported:
    """A remote dataset as this portal stores it."""

    dataset: dict[str, Any]
    """For package_create/package_update here: no id, name, owner_org or
    private (the glue sets those)."""
    notes: tuple[MappingNote, ...]
    set_aside: dict[str, Any]
    """Remote fields this portal's schema does not hold, by dotted path
    ("allow_cdp", "resources[1].resource_cdp", "extras.<key>" for an extras
    pair that disagrees with the top-level field): kept by the glue in its
    sync record, never dropped silently."""

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "notes": [note.as_dict() for note in self.notes],
                "set_aside": self.set_aside}


class ImportRefused(MessageError):
    """A remote dataset that cannot be stored here without losing a value;
    the message names the field and the value."""

    def __init__(self, field: str, problem: Message) -> None:
        self.field = field
        super().__init__(Message(N_("The remote dataset cannot be stored here without loss: {problem}"),
                                 problem=problem))


class NameUnavailable(MessageError):
    """:func:`local_name` found no free name."""


# -- the schema's fields, by kind --------------------------------------------------

_MULTIPLE, _BOOLEAN, _CHOICE, _DATE, _BE_YEAR, _INTERVAL, _TIME, _TEXT = (
    "multiple", "boolean", "choice", "date", "be_year", "interval", "time", "text")
_BOOLEANS = ("False", "True")


def _kinds() -> dict[str, dict[str, str]]:
    """{level: {field name: kind}}: how each field's value is read, from its
    preset and validators in dataset.yaml."""
    with SCHEMA_FILE.open(encoding="utf-8") as stream:
        specs = yaml.safe_load(stream)
    kinds: dict[str, dict[str, str]] = {}
    for level in ("dataset", "resource"):
        kinds[level] = {}
        for spec in specs[f"{level}_fields"]:
            described = FIELDS[level][spec["field_name"]]
            validators = str(spec.get("validators", ""))
            if described.multiple:
                kind = _MULTIPLE
            elif set(described.choices) == set(_BOOLEANS):
                kind = _BOOLEAN
            elif described.choices:
                kind = _CHOICE
            elif spec.get("preset") == "national_date":
                kind = _DATE
            elif spec.get("preset") == "national_be_year":
                kind = _BE_YEAR
            elif "opendata_th_interval" in validators:
                kind = _INTERVAL
            elif "opendata_th_time_of_day" in validators:
                kind = _TIME
            else:
                kind = _TEXT
            kinds[level][spec["field_name"]] = kind
    return kinds


_KINDS = _kinds()
_PARSERS: dict[str, Callable[[Field, object], str]] = {
    _DATE: parse_date,
    _BE_YEAR: parse_be_year,
    _INTERVAL: lambda _field, value: parse_interval(value),
    _TIME: parse_time_of_day,
}

_NOT_MAPPED = {"dataset": frozenset({"name", "owner_org", "tag_string"}), "resource": frozenset()}
"""Schema fields the mapping leaves to others: the dataset's name and
organization (the glue), tag_string (``tags`` carries the tags)."""


def _other_choice(described: Field) -> str | None:
    """The choice that says "other" for this field, when it has one and a
    ``<field>_other`` to hold the value."""
    other = OTHER_DATA_TYPE if described.name == "data_type" else OTHER
    if other in described.choices and f"{described.name}_other" in FIELDS[described.level]:
        return other
    return None


def _matching_choice(described: Field, text: str) -> str | None:
    """The choice ``text`` names, exactly or ignoring case ("csv" -> "CSV")."""
    if text in described.choices:
        return text
    folded = text.casefold()
    return next((choice for choice in described.choices if choice.casefold() == folded), None)


def _text(value: object) -> str:
    """A value of a text field as text (numbers as written, lists as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _boolean(value: object) -> str | None:
    """"True"/"False" from a bool or either string in any case; None otherwise."""
    if isinstance(value, bool):
        return _BOOLEANS[value]
    if isinstance(value, str):
        return {"true": "True", "false": "False"}.get(value.strip().casefold())
    return None


# -- the mapping --------------------------------------------------------------------


@dataclass
class _Mapper:
    """One run of the mapping. Strict (imports) refuses what cannot be kept;
    lenient (comparisons, pushes) keeps such values as they are."""

    strict: bool
    notes: list[MappingNote] = field(default_factory=list)
    set_aside: dict[str, Any] = field(default_factory=dict)

    def refuse(self, path: str, problem: Message) -> None:
        if self.strict:
            raise ImportRefused(path, problem)

    def note(self, path: str, remote: str, local: str, message: Message) -> None:
        self.notes.append(MappingNote(path, remote, local, message))

    def note_equivalent(self, path: str, described: Field, remote: str, local: str) -> None:
        """A national value stored as the local choice that means the same."""
        self.note(path, remote, local, Message(
            N_("{field}: the national catalog's value “{remote}” is stored here as its "
               "equivalent “{local}”"), field=described.label, remote=remote, local=local))

    # one record (a dataset or a resource) -------------------------------------

    def fields(self, source: Mapping[str, Any], level: str, data_type: object,
               prefix: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
        """The schema fields of ``source`` (a dataset or a resource), mapped
        into ``out``; fields already in ``out`` are not mapped again."""
        out = {} if out is None else out
        for name, described in FIELDS[level].items():
            if name in _NOT_MAPPED[level] or is_local_annotation(name) or name in out:
                continue  # name in out: mapped first (data_type) or an _other text written
            raw = source.get(name)
            if is_empty(raw):
                continue
            if not applies(described, data_type):
                self.set_aside[prefix + name] = raw
                continue
            self.map_field(described, raw, source, out, prefix)
        return out

    def map_field(self, described: Field, raw: Any, source: Mapping[str, Any], out: dict[str, Any],
                  prefix: str) -> None:
        """One non-empty field that applies, by its kind."""
        kind = _KINDS[described.level][described.name]
        path = prefix + described.name
        if kind == _MULTIPLE:
            self.multiple(described, raw, source, out, prefix)
        elif kind == _BOOLEAN:
            value = _boolean(raw)
            if value is None:
                self.refuse(path, _choice_problem(described, raw))
                value = _text(raw).strip()
            out[described.name] = value
        elif kind == _CHOICE:
            self.choice(described, _text(raw).strip(), source, out, prefix)
        elif kind in _PARSERS:
            try:
                out[described.name] = _PARSERS[kind](described, raw)
            except SchemaError as error:
                self.refuse(path, error.message)
                out[described.name] = _text(raw).strip()
        else:
            out[described.name] = _text(raw)

    def choice(self, described: Field, text: str, source: Mapping[str, Any], out: dict[str, Any],
               prefix: str) -> None:
        path = prefix + described.name
        local = _matching_choice(described, text)
        if local is None and described.name == "license_id":
            local = _LICENCE_BY_CASEFOLD.get(text.casefold())
            if local == OTHER:
                local = None  # kept as อื่นๆ + license_id_other, as any unknown value
        if local is not None:
            if local != text:
                self.note_equivalent(path, described, text, local)
            out[described.name] = local
            return
        other = _other_choice(described)
        if other is None:
            self.refuse(path, _choice_problem(described, text))
            out[described.name] = text
            return
        out[described.name] = other
        self.keep_as_other(described, [text], source, out, prefix)

    def multiple(self, described: Field, raw: Any, source: Mapping[str, Any], out: dict[str, Any],
                 prefix: str) -> None:
        path = prefix + described.name
        chosen: list[str] = []
        unknown: list[str] = []
        for item in selected(raw):
            local = _matching_choice(described, item)
            if local is None:
                unknown.append(item)
                continue
            if local != item:
                self.note_equivalent(path, described, item, local)
            chosen.append(local)
        other = _other_choice(described)
        if unknown and other is None:
            self.refuse(path, _choice_problem(described, unknown))
        kept_as_other = bool(unknown) and other is not None
        if unknown and other is not None:
            chosen.append(other)
        # the schema's order, as this portal's validator stores them; values
        # kept as they are (lenient mode) after them
        out[described.name] = [c for c in described.choices if c in chosen] + (
            [] if kept_as_other else list(dict.fromkeys(unknown)))
        if kept_as_other:
            self.keep_as_other(described, unknown, source, out, prefix)

    def keep_as_other(self, described: Field, values: list[str], source: Mapping[str, Any],
                      out: dict[str, Any], prefix: str) -> None:
        """Append ``values`` to ``<field>_other`` (after the text it has, with
        ", "; a value already there is not repeated) and note each."""
        other_name = f"{described.name}_other"
        other_field = FIELDS[described.level][other_name]
        other = _other_choice(described) or OTHER
        existing = out.get(other_name, source.get(other_name))
        text = "" if is_empty(existing) else _text(existing)
        present = {part.strip() for part in text.split(",")}
        for value in dict.fromkeys(values):
            self.note(prefix + described.name, value, other, Message(
                N_("{field}: the national catalog's value “{remote}” is not among this portal's "
                   "choices; it is stored as “{local}” with the value in {other_field}"),
                field=described.label, remote=value, local=other, other_field=other_field.label))
            if value not in present:
                text = f"{text}, {value}" if text.strip() else value
                present.add(value)
        out[other_name] = text

    # a whole dataset ------------------------------------------------------------

    def dataset(self, remote: Mapping[str, Any],
                resource_ids: Mapping[str, str]) -> dict[str, Any]:
        source = self.fold_extras(remote)
        data_type_field = FIELDS["dataset"]["data_type"]
        out: dict[str, Any] = {}
        if not is_empty(source.get("data_type")):  # first: it decides which fields apply
            self.map_field(data_type_field, source["data_type"], source, out, "")
        data_type = out.get("data_type")
        self.fields(source, "dataset", data_type, "", out)
        for name in CKAN_CORE_FIELDS:
            if not is_empty(source.get(name)):
                out[name] = _text(source[name])
        out["tags"] = self.tags(source)
        out["resources"] = [self.resource(resource, index, data_type, resource_ids)
                            for index, resource in enumerate(_resources(source))]
        known = set(FIELDS["dataset"]) | CKAN_BOOKKEEPING | set(CKAN_CORE_FIELDS) | {"tags", "resources"}
        for key, value in source.items():
            if key not in known and not is_local_annotation(key) and not is_empty(value):
                self.set_aside[key] = value
        return out

    def fold_extras(self, remote: Mapping[str, Any]) -> dict[str, Any]:
        """CKAN's ``extras`` list ({"key", "value"} pairs) folded into the
        top level; a top-level value wins, a differing pair is set aside."""
        source = dict(remote)
        extras = remote.get("extras")
        if not isinstance(extras, list):
            return source
        for pair in extras:
            if not isinstance(pair, Mapping) or not isinstance(pair.get("key"), str):
                continue
            key, value = pair["key"], pair.get("value")
            if is_empty(source.get(key)):
                source[key] = value
            elif source[key] != value and not is_empty(value):
                self.set_aside[f"extras.{key}"] = value
        return source

    def tags(self, source: Mapping[str, Any]) -> list[dict[str, str]]:
        """Free tags as [{"name": ...}], in order, duplicates removed; tags of a
        CKAN vocabulary are set aside."""
        raw = source.get("tags")
        names: list[str] = []
        vocabulary: list[Any] = []
        if isinstance(raw, list):
            for tag in raw:
                if isinstance(tag, Mapping):
                    if tag.get("vocabulary_id"):
                        vocabulary.append(dict(tag))
                        continue
                    tag = tag.get("name")
                if not is_empty(tag):
                    names.append(_text(tag).strip())
        elif isinstance(source.get("tag_string"), str):
            names = [part.strip() for part in source["tag_string"].split(",") if part.strip()]
        if vocabulary:
            self.set_aside["vocabulary_tags"] = vocabulary
        return [{"name": name} for name in dict.fromkeys(names)]

    def resource(self, resource: Mapping[str, Any], index: int, data_type: object,
                 resource_ids: Mapping[str, str]) -> dict[str, Any]:
        prefix = f"resources[{index}]."
        out = self.fields(resource, "resource", data_type, prefix)
        for name in RESOURCE_CORE_FIELDS:
            if not is_empty(resource.get(name)):
                out[name] = resource[name]
        for key, value in resource.items():
            if (key not in FIELDS["resource"] and key not in RESOURCE_BOOKKEEPING
                    and key not in RESOURCE_CORE_FIELDS
                    and not key.startswith(_RESOURCE_BOOKKEEPING_PREFIXES)
                    and not is_empty(value)):
                self.set_aside[prefix + key] = value
        remote_id = resource.get("id")
        if isinstance(remote_id, str) and remote_id in resource_ids:
            out["id"] = resource_ids[remote_id]
        return out


def _resources(source: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    resources = source.get("resources")
    if not isinstance(resources, list):
        return []
    return [r for r in resources if isinstance(r, Mapping) and r.get("state", "active") != "deleted"]


def _choice_problem(described: Field, value: object) -> Message:
    """The schema's own message for a value that is not among the choices
    (it names the field and the value)."""
    try:
        if isinstance(value, list):
            check_choices(described, value)
        else:
            check_choice(described, value)
    except SchemaError as error:
        return error.message
    raise AssertionError(f"{value!r} is a choice of {described.name}")  # pragma: no cover


def to_local(remote: Mapping[str, Any], *, resource_ids: Mapping[str, str] = MappingProxyType({})
             ) -> Imported:
    """A thai_gdc dataset dict (as the remote ``package_show`` or
    ``package_search`` gives it) as this portal stores it.

    ``resource_ids`` maps remote resource ids to the ids of their local
    copies, so that local records attached to resources survive a
    re-harvest. Raises :class:`ImportRefused` for a value that cannot be
    kept (see the module's description).
    """
    mapper = _Mapper(strict=True)
    dataset = mapper.dataset(remote, resource_ids)
    return Imported(dataset=dataset, notes=tuple(mapper.notes), set_aside=mapper.set_aside)


def keep_local_fields(dataset: Mapping[str, Any], existing: Mapping[str, Any]) -> dict[str, Any]:
    """An imported dataset with the values of :data:`LOCAL_ONLY_FIELDS` that
    the local copy ``existing`` has and the remote does not (the publisher's
    attestations, the expected update time): a re-harvest from a thai_gdc
    catalog, which has none of them, must not erase them with
    package_update."""
    merged = dict(dataset)
    for name in sorted(LOCAL_ONLY_FIELDS):
        if is_empty(merged.get(name)) and not is_empty(existing.get(name)):
            merged[name] = existing[name]
    return merged


def to_remote(local: Mapping[str, Any], *, owner_org: str, name: str,
              remote_resources: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A dataset of this portal (its ``package_show``) as the dict for the
    national portal's ``package_create``/``package_update``.

    Every schema field as thai_gdc stores it (lists for multi-choice fields,
    "True"/"False"), tags, resources (url, name, description, format, hash
    and the resource_* fields), public, with the given organization and name.
    A resource of ``remote_resources`` (the remote copy's) with the same URL
    lends its id, so an update does not add the resource again. This
    portal's annotations, local-only fields and ids are left out.
    """
    mapped = _Mapper(strict=False).dataset(local, {})
    remote: dict[str, Any] = {"name": name, "owner_org": owner_org, "private": False}
    for key, value in mapped.items():
        if key == "resources" or key in LOCAL_ONLY_FIELDS:
            continue
        remote[key] = value
    unused = {}
    for resource in remote_resources:
        url = _text(resource.get("url") or "").strip()
        if url and resource.get("id") and url not in unused:
            unused[url] = resource["id"]
    remote["resources"] = []
    for resource in mapped["resources"]:
        pushed = {key: value for key, value in resource.items()
                  if key in FIELDS["resource"] or key in _PUSHED_RESOURCE_CORE_FIELDS}
        remote_id = unused.pop(_text(resource.get("url", "")).strip(), None)
        if remote_id is not None:
            pushed["id"] = remote_id
        remote["resources"].append(pushed)
    return remote


# -- the "identical" check ---------------------------------------------------------------

IDENTICAL, DIFFERENT, MISSING = "identical", "different", "missing"


@dataclass(frozen=True)
class Difference:
    """A field whose values differ, as this portal would store each side.

    ``field`` is a dotted path: "title", "tags", "data_format",
    "resources[1].url" (resources counted from 0), or "resources[2]" for a
    resource only one side has (the other side's value is None)."""

    field: str
    local: Any
    remote: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "local": self.local, "remote": self.remote}


@dataclass(frozen=True)
class Drift:
    """How the national copy of a dataset stands against the local one."""

    status: str
    """:data:`IDENTICAL`, :data:`DIFFERENT` or :data:`MISSING`."""
    differences: tuple[Difference, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "differences": [d.as_dict() for d in self.differences]}


def _comparable_value(value: Any) -> Any:
    """Empty is None; text without surrounding spaces; lists item by item."""
    if isinstance(value, (list, tuple)):
        items = [_comparable_value(item) for item in value]
        items = [item for item in items if item is not None]
        return items or None
    if is_empty(value):
        return None
    return value.strip() if isinstance(value, str) else value


def _compared_fields() -> list[str]:
    """The dataset keys compared, in the schema's order ("tags" where the
    schema has tag_string), then CKAN's core fields."""
    names: list[str] = []
    for name in FIELDS["dataset"]:
        if name == "tag_string":
            names.append("tags")
        elif name not in _NOT_MAPPED["dataset"] and name not in LOCAL_ONLY_FIELDS \
                and not is_local_annotation(name):
            names.append(name)
    return names + list(CKAN_CORE_FIELDS)


_COMPARED_FIELDS = _compared_fields()
_COMPARED_RESOURCE_FIELDS = ("url", "hash", "name")


def _comparable(dataset: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A dataset as this portal would store it, reduced to what is compared."""
    mapped = _Mapper(strict=False).dataset(dataset, {})
    values = {name: _comparable_value(mapped.get(name)) for name in _COMPARED_FIELDS}
    values["accessible_condition"] = _comparable_value(default_accessible_condition(
        values.get(CATEGORY_FIELD), values.get("accessible_condition")))
    values["tags"] = _comparable_value(sorted({tag["name"] for tag in mapped["tags"]}))
    resources = [{name: _comparable_value(resource.get(name)) for name in _COMPARED_RESOURCE_FIELDS}
                 for resource in mapped["resources"]]
    return values, resources


def _summary(resource: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A resource only one side has, as a Difference shows it."""
    if resource is None:
        return None
    return {name: value for name, value in resource.items() if value is not None}


def compare(local: Mapping[str, Any], remote: Mapping[str, Any] | None) -> Drift:
    """Whether the national copy ``remote`` is identical to ``local``.

    Both are read as this portal would store them (so lists and JSON
    strings, booleans and "True"/"False", surrounding spaces, an empty value
    and a missing one, a licence and its :data:`LICENCE_TABLE` equivalent are
    the same), then every schema field of the dataset is compared, the tags
    as a set of names, and the resources in order: the URL, the name, and
    the hash when both sides have one. Bookkeeping, the dataset's name and
    organization, this portal's annotations and local-only fields, and fields
    that do not apply to the dataset's data type are not compared.
    Differences come in the schema's order, then the resources'.
    """
    if remote is None:
        return Drift(MISSING, ())
    local_values, local_resources = _comparable(local)
    remote_values, remote_resources = _comparable(remote)
    differences = [Difference(name, local_values[name], remote_values[name])
                   for name in _COMPARED_FIELDS if local_values[name] != remote_values[name]]
    for index in range(max(len(local_resources), len(remote_resources))):
        path = f"resources[{index}]"
        if index >= len(local_resources) or index >= len(remote_resources):
            mine = local_resources[index] if index < len(local_resources) else None
            theirs = remote_resources[index] if index < len(remote_resources) else None
            differences.append(Difference(path, _summary(mine), _summary(theirs)))
            continue
        mine, theirs = local_resources[index], remote_resources[index]
        for name in _COMPARED_RESOURCE_FIELDS:
            if name == "hash" and (mine[name] is None or theirs[name] is None):
                continue
            if mine[name] != theirs[name]:
                differences.append(Difference(f"{path}.{name}", mine[name], theirs[name]))
    return Drift(DIFFERENT if differences else IDENTICAL, tuple(differences))


# -- arrival: the publish rule for harvested datasets --------------------------------------


@dataclass(frozen=True)
class Arrival:
    """Where a harvested dataset starts in the disclosure workflow."""

    stage: str
    """workflow.PUBLISHED, WITHHELD or CANDIDATE."""
    private: bool
    reason: Message | None
    """Why a withheld dataset may not be public; None otherwise."""
    published_at: dt.datetime | None
    """For a published one, when the remote published it (its
    metadata_created, tz-aware UTC), as the remote says."""

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "private": self.private,
                "reason": self.reason.as_dict() if self.reason else None,
                "published_at": self.published_at.isoformat() if self.published_at else None}


def _is_private(value: object) -> bool:
    return value is True or _boolean(value) == "True"


def arrival(remote: Mapping[str, Any]) -> Arrival:
    """A private remote dataset arrives as a private candidate; a public one
    arrives published when its data category and classification may be
    public (playbook/disclosure.py), otherwise withheld and private, with
    the reason."""
    if _is_private(remote.get("private")):
        return Arrival(workflow.CANDIDATE, True, None, None)
    source = _Mapper(strict=False).fold_extras(remote)
    category, classification = source.get(CATEGORY_FIELD), source.get(CLASSIFICATION_FIELD)
    refusal = disclosure.public_refusal(category, classification)
    if refusal is not None:
        return Arrival(workflow.WITHHELD, True, refusal, None)
    return Arrival(workflow.PUBLISHED, False, None, remote_time(remote.get("metadata_created")))


def remote_time(value: object) -> dt.datetime | None:
    """A CKAN timestamp ("2025-01-02T03:04:05.123456", naive UTC as CKAN
    sends it, or with "Z" or an offset) as a tz-aware UTC datetime; None
    when absent or not a timestamp."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


# -- names ----------------------------------------------------------------------------

_NAME_ATTEMPTS = 1000


def local_name(remote_name: str, taken: Callable[[str], bool], *, max_length: int = 70) -> str:
    """The local name of a harvested dataset: ``remote_name`` itself when it is
    free, else with "-2", "-3", ... (the name cut so that the whole stays
    within ``max_length``). ``taken(name)`` says whether a local dataset or
    group already uses a name. Raises :class:`NameUnavailable` after 1000
    tries."""
    base = remote_name[:max_length]
    if not taken(base):
        return base
    for number in range(2, _NAME_ATTEMPTS + 1):
        suffix = f"-{number}"
        candidate = base[:max_length - len(suffix)].rstrip("-") + suffix
        if not taken(candidate):
            return candidate
    raise NameUnavailable(Message(
        N_("No free dataset URL name was found for “{name}” after {attempts} attempts"),
        name=remote_name, attempts=_NAME_ATTEMPTS))


__all__ = [
    "Arrival", "CKAN_BOOKKEEPING", "CKAN_CORE_FIELDS", "DIFFERENT", "Difference", "Drift",
    "IDENTICAL", "ImportRefused", "Imported", "LICENCE_TABLE", "LOCAL_ANNOTATIONS",
    "LOCAL_ONLY_FIELDS", "MISSING", "MappingNote", "NameUnavailable", "arrival", "compare",
    "is_local_annotation", "keep_local_fields", "local_name", "remote_time", "to_local", "to_remote",
]
