"""Validators registered by the ``opendata_th`` plugin (IValidators).

Error messages come in the request's language (see :mod:`..localize`): Thai
on Thai pages and for API clients by default, English on ``/en/`` pages and
API calls.

The ``opendata_th_*`` validators serve the national dataset schema
(schemas/dataset.yaml); the rules themselves live in
:mod:`ckanext.opendata_th.playbook.national_schema`.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, NoReturn

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize, workflow
from ckanext.opendata_th.logic import approval_gate, readiness_gate
from ckanext.opendata_th.playbook import disclosure, national_schema
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.playbook.national_portal import LOCAL_ONLY_FIELDS
from ckanext.opendata_th.playbook.national_schema import SchemaError
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD

__all__ = [
    "tag_name_validator",
    "opendata_th_field_rules",
    "opendata_th_choice",
    "opendata_th_multiple_choice",
    "opendata_th_classification",
    "opendata_th_accessible_condition",
    "opendata_th_be_year",
    "opendata_th_date",
    "opendata_th_time_of_day",
    "opendata_th_interval",
    "opendata_th_email",
    "opendata_th_dataset_name",
    "opendata_th_tag_string",
    "opendata_th_public_disclosure",
]

# Thai letters include combining vowels and tone marks (Unicode category Mn),
# which CKAN's core tag validator (\w only) rejects.
_TAG = re.compile(r"[\w\u0e00-\u0e7f \-.]*$", re.UNICODE)

Key = tuple[Any, ...]


def tag_name_validator(value: Any, context: dict[str, Any]) -> Any:
    """CKAN's tag rule (letters, digits, space, - _ .) with Thai letters allowed."""
    if not _TAG.match(value):
        raise tk.Invalid(localize.text(Message(
            N_('Tag “{tag}” can only contain letters, digits, spaces, '
               'hyphens (-), underscores (_) or dots (.)'), tag=value)))
    return value


# -- the national schema ------------------------------------------------------

def _field(key: Key) -> national_schema.Field:
    level = "resource" if key[0] == "resources" else "dataset"
    return national_schema.FIELDS[level][key[-1]]


def _value(data: dict[Key, Any], key: Key) -> Any:
    value = data.get(key)
    return None if value is tk.missing else value


def _fail(key: Key, errors: dict[Key, list[str]], error: SchemaError) -> NoReturn:
    errors[key].append(localize.text(error.message))
    raise tk.StopOnError


def _convert(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
             parse: Callable[[Any], Any]) -> None:
    try:
        data[key] = parse(data[key])
    except SchemaError as error:
        _fail(key, errors, error)


NATIONAL_COPY = "opendata_th_national_copy"
"""Context flag of the datagoth harvester's writes: the dataset is a copy of
a national one, which cannot have this portal's own fields (the expected
update time of a daily dataset): they may stay empty. A local edit of the
copy asks for them as for any dataset."""


def opendata_th_field_rules(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                            context: dict[str, Any]) -> None:
    """First validator of every national field: drops the field when it does
    not apply to the dataset's data_type, and stops at an empty value, with an
    error when the schema requires the field here."""
    field = _field(key)
    data_type = _value(data, ("data_type",))
    if not national_schema.applies(field, data_type):
        data.pop(key, None)
        raise tk.StopOnError
    value = _value(data, key)
    if not national_schema.is_empty(value):
        return
    siblings = {name: _value(data, key[:-1] + (name,)) for name in national_schema.FIELDS[field.level]}
    error = national_schema.missing_value_error(field, data_type, siblings)
    if error is not None and not (context.get(NATIONAL_COPY) and field.name in LOCAL_ONLY_FIELDS):
        _fail(key, errors, error)
    if value is None:
        data.pop(key, None)
    raise tk.StopOnError


def opendata_th_choice(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                       context: dict[str, Any]) -> None:
    """One of the field's choices."""
    _convert(key, data, errors, lambda value: national_schema.check_choice(_field(key), value))


def opendata_th_multiple_choice(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                                context: dict[str, Any]) -> None:
    """Choices stored as a JSON list, as thai_gdc (ckanext-scheming) stores them."""
    _convert(key, data, errors,
             lambda value: json.dumps(national_schema.check_choices(_field(key), value)))


def opendata_th_classification(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                               context: dict[str, Any]) -> None:
    """A data_classification level that the data_category allows."""
    category = _value(data, ("data_category",))
    try:
        national_schema.check_classification(category, data[key])
    except SchemaError as error:
        _fail(key, errors, error)


def opendata_th_accessible_condition(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                                     context: dict[str, Any]) -> None:
    """Public data with no access condition: "ไม่มีการจำกัดการเข้าถึงข้อมูล"."""
    data[key] = national_schema.default_accessible_condition(
        _value(data, ("data_category",)), _value(data, key))


def opendata_th_be_year(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                        context: dict[str, Any]) -> None:
    """A Buddhist Era year ("2568"; Thai digits are normalised)."""
    _convert(key, data, errors, lambda value: national_schema.parse_be_year(_field(key), value))


def opendata_th_date(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                     context: dict[str, Any]) -> None:
    """An ISO Gregorian date, YYYY-MM-DD."""
    _convert(key, data, errors, lambda value: national_schema.parse_date(_field(key), value))


def opendata_th_time_of_day(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                            context: dict[str, Any]) -> None:
    """A time of day, HH:MM."""
    _convert(key, data, errors, lambda value: national_schema.parse_time_of_day(_field(key), value))


def opendata_th_interval(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                         context: dict[str, Any]) -> None:
    """update_frequency_interval: a positive whole number ("๓" -> "3")."""
    _convert(key, data, errors, national_schema.parse_interval)


def opendata_th_email(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                      context: dict[str, Any]) -> None:
    """CKAN's email rule, with a message that names the field."""
    try:
        tk.get_validator("email_validator")(data[key], context)
    except tk.Invalid:
        field = _field(key)
        _fail(key, errors, SchemaError(Message(
            N_("{field} “{value}” is not a valid email address"), field=field.label, value=data[key])))


def opendata_th_dataset_name(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                             context: dict[str, Any]) -> None:
    """At most 70 characters, as the national catalogs allow."""
    _convert(key, data, errors, national_schema.check_dataset_name)


def opendata_th_tag_string(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                           context: dict[str, Any]) -> None:
    """CKAN's tag_string_convert (comma-separated tags into ``tags``) with Thai
    tags allowed, and at least one tag given here or in ``tags`` (thai_gdc
    requires one). CKAN's own converter calls its core tag_name_validator
    directly, which refuses Thai vowels and tone marks."""
    value = _value(data, key)
    tags = national_schema.selected(value.split(",") if isinstance(value, str) else value)
    given = [k for k in data if len(k) == 3 and k[0] == "tags"]
    if not tags and not any(k[-1] == "name" and not national_schema.is_empty(_value(data, k)) for k in given):
        _fail(key, errors, SchemaError(Message(N_("At least one tag is required"))))
    first = max((int(k[1]) for k in given), default=-1) + 1
    for number, tag in enumerate(tags, start=first):
        data[("tags", number, "name")] = tag
    for tag in tags:
        tk.get_validator("tag_length_validator")(tag, context)
        tag_name_validator(tag, context)


# -- disclosure ---------------------------------------------------------------

def _will_be_public(data: dict[Key, Any], context: dict[str, Any]) -> bool:
    """Whether the dataset being validated will be public once saved.

    ``private`` may be missing: package_update keeps the stored value
    (package_update puts the dataset being updated in ``context["package"]``
    and its id in the data); a new dataset was made private before. Any
    other value is read as CKAN stores it: by the time this after-validator
    runs, CKAN's ``boolean_validator`` has made it a bool, and a string is
    read the same way (only "true", "yes", "t", "y" and "1" are private;
    "on", "" or "no" are public, unlike ``tk.asbool``'s "on")."""
    private = data.get(("private",), tk.missing)
    if private is tk.missing or private is None:
        package = context.get("package")
        if package is not None and data.get(("id",)) == getattr(package, "id", None):
            return not package.private
        return True
    if isinstance(private, bool):
        return not private
    return not tk.get_validator("boolean_validator")(str(private), context)


def _stored_public(data: dict[Key, Any], context: dict[str, Any]) -> Any:
    """The dataset being updated as stored, when it is public now (a routine
    edit of a published dataset), else None (a new or private dataset)."""
    package = context.get("package")
    if package is not None and data.get(("id",)) == getattr(package, "id", None) and not package.private:
        return package
    return None


def _licence_open(licence_id: Any) -> tuple[bool, str]:
    """Whether CKAN's licence register marks this licence as open, and its title."""
    licence = ckan_model.Package.get_license_register().get(licence_id) if licence_id else None
    return (bool(licence and licence.isopen()), licence.title if licence else str(licence_id or ""))


def opendata_th_public_disclosure(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                                  context: dict[str, Any]) -> None:
    """The schema's after-validator: the publish rule, for every user and
    route that saves a dataset.

    - A new dataset with no ``private`` given starts private (a candidate of
      the disclosure workflow).
    - A dataset becomes public only when it is public data (ข้อมูลสาธารณะ)
      classified as open (เปิดเผย), an approver has approved it
      (logic/approval_gate.py) and its organization is ready for the current
      fiscal year (logic/readiness_gate.py); otherwise the error goes under
      ``private``.
    - A published dataset stays public through routine edits; an edit that
      makes it undisclosable (its category or classification, or a licence
      changed to one that is not open) makes it private at once, and the
      workflow returns it to the approvers with the reason. So does moving
      it to another organization (whose approvers never approved it), which
      is refused when that organization is not ready.
    """
    if data.get(("private",), tk.missing) in (tk.missing, None) and context.get("package") is None:
        data[("private",)] = True
        return
    if not _will_be_public(data, context):
        return
    category = _value(data, (CATEGORY_FIELD,))
    classification = _value(data, (CLASSIFICATION_FIELD,))
    owner_org = _value(data, ("owner_org",))
    stored = _stored_public(data, context)
    if stored is not None:
        licence_id = _value(data, ("license_id",))
        licence_open, licence_title = _licence_open(licence_id)
        recall = disclosure.recall_reason(
            category, classification, licence_title=licence_title, licence_open=licence_open,
            licence_changed=licence_id != stored.license_id)
        if recall is not None:
            data[("private",)] = True
            approval_gate.mark_recalled(stored, recall)
            return
        if data.get(("owner_org",), tk.missing) in (tk.missing, None) or stored.owner_org == owner_org:
            return  # not moved (CKAN keeps the organization when none is given)
        # moved into another organization: refused when that one is not ready;
        # otherwise private at once, back to its approvers (who never approved it)
        refusal = readiness_gate.refusal(owner_org)
        if refusal is None:
            data[("private",)] = True
            approval_gate.mark_recalled(stored, workflow.moved_reason(owner_org))
            return
    else:
        refusal = disclosure.public_refusal(category, classification)
        if refusal is None:
            refusal = approval_gate.refusal(_value(data, ("id",)), _value(data, ("name",)),
                                            context.get("user"))
        if refusal is None:
            refusal = readiness_gate.refusal(owner_org)
    if refusal is not None:
        errors.setdefault(("private",), []).append(localize.text(refusal))
