"""The ten properties of open data (the Sunlight Foundation's principles),
checked on a CKAN dataset dict.

Each property is "met", "not_met" or "needs_attestation" (the software cannot
tell; a person must check or attest), with short evidence and, when not met,
advice: for the publisher, or for the sysadmin when only a setting of the
portal can help. Texts are :class:`.messages.Message`\s, shown in the
reader's language by the glue. What lies outside the dataset dict (link
checks, the comparison with data.go.th) comes in :class:`ExternalChecks`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook.dates import BANGKOK, to_local_naive
from ckanext.opendata_th.playbook.messages import NO_MESSAGE, N_, Message
from ckanext.opendata_th.playbook.vocabulary import NO_ACCESS_RESTRICTION, OTHER

Status = Literal["met", "not_met", "needs_attestation"]
MET: Status = "met"
NOT_MET: Status = "not_met"
NEEDS_ATTESTATION: Status = "needs_attestation"

ATTEST_COMPLETE = "opendata_attest_complete"
ATTEST_PRIMARY = "opendata_attest_primary"
ATTEST_FREE_OF_CHARGE = "opendata_attest_free_of_charge"

NO_ADVICE = NO_MESSAGE

Audience = Literal["publisher", "sysadmin"]
PUBLISHER: Audience = "publisher"
"""Advice the dataset's editors can act on."""
SYSADMIN: Audience = "sysadmin"
"""Advice only a sysadmin can act on (a setting of the portal)."""


@dataclass(frozen=True)
class OpenDataProperty:
    """One of the ten properties: its key and name."""

    key: str
    name: Message


PROPERTIES: tuple[OpenDataProperty, ...] = (
    OpenDataProperty("complete", Message(N_("Completeness"))),
    OpenDataProperty("primary", Message(N_("Primacy"))),
    OpenDataProperty("timely", Message(N_("Timeliness"))),
    OpenDataProperty("accessible", Message(N_("Accessibility"))),
    OpenDataProperty("machine_readable", Message(N_("Machine readability"))),
    OpenDataProperty("non_discriminatory", Message(N_("Non-discrimination"))),
    OpenDataProperty("non_proprietary", Message(N_("Non-proprietary formats"))),
    OpenDataProperty("license_free", Message(N_("Licence-free use"))),
    OpenDataProperty("permanent", Message(N_("Permanence"))),
    OpenDataProperty("free_of_charge", Message(N_("Free of charge"))),
)
PROPERTY_KEYS: tuple[str, ...] = tuple(p.key for p in PROPERTIES)
_BY_KEY = {p.key: p for p in PROPERTIES}

MACHINE_READABLE_FORMATS = frozenset({
    "CSV", "TSV", "JSON", "JSON-LD", "XML", "XLS", "XLSX", "ODS", "RDF", "TTL",
    "GEOJSON", "SHP", "KML", "KMZ", "GML", "GEOTIFF", "GPKG", "API", "PARQUET", "SQL",
})
"""Structured formats a program can read without guessing (PDF, word-processor
files, images, HTML and plain text are not)."""
OPEN_FORMATS = frozenset({
    "CSV", "TSV", "JSON", "JSON-LD", "XML", "ODS", "ODT", "RDF", "TTL", "GEOJSON",
    "SHP", "KML", "KMZ", "GML", "GEOTIFF", "GPKG", "PARQUET", "TXT", "HTML", "PDF",
    "PNG", "JPG", "GIF", "TIFF",
})
"""Formats with an openly published specification, usable without one vendor's
software. PDF (ISO 32000) and the Esri Shapefile (published spec) count as open."""
PROPRIETARY_FORMATS = frozenset({
    "XLS", "XLSX", "DOC", "DOCX", "PPT", "PPTX", "RTF", "MDB", "ACCDB", "SAV", "DTA",
})
"""Formats tied to one vendor's software; DGA guidance treats Excel this way."""
_FORMAT_ALIASES = {
    "SHAPEFILE": "SHP", "ESRI SHAPEFILE": "SHP", "GEOTIF": "GEOTIFF", "GEO TIFF": "GEOTIFF",
    "TIF": "TIFF", "JPEG": "JPG", "HTM": "HTML", "TEXT": "TXT", "PLAIN TEXT": "TXT",
    "XLS/XLSX": "XLS", "EXCEL": "XLS", "DOC/DOCX": "DOC", "JSONLD": "JSON-LD",
    "TURTLE": "TTL", "TEXT/CSV": "CSV", "APPLICATION/JSON": "JSON", "TEXT/XML": "XML",
    "APPLICATION/XML": "XML", "APPLICATION/PDF": "PDF", "APPLICATION/GEO+JSON": "GEOJSON",
    "REST API": "API", "WEB API": "API",
}

DEFAULT_OPEN_LICENSE_IDS: frozenset[str] = frozenset({
    "cc-by", "cc-by-sa", "cc-zero", "odc-by", "odc-odbl", "odc-pddl",
    "other-open", "other-pd", "other-at", "gfdl",
    "Open Data Common", "Creative Commons Attributions",
    "Creative Commons Attribution Share-Alike",
})
"""CKAN's open licence ids and the open thai_gdc licence titles."""
_NON_COMMERCIAL = re.compile(r"non[- ]?commercial|(?<![a-z])nc(?![a-z])")
_NO_DERIVS = re.compile(r"no[- ]?deriv|(?<![a-z])nd(?![a-z])")


@dataclass(frozen=True)
class ExternalChecks:
    """Facts found outside the dataset dict; None means "not checked".

    ``url_status`` maps resource id to True (the link answered 2xx/3xx),
    False (it failed) or None (not checked).
    """

    url_status: Mapping[str, bool | None] | None = None
    national_portal_identical: bool | None = None
    not_tables: frozenset[str] = frozenset()
    """Resources whose file the data-quality check read and found not to be
    a data table (a PDF, a document, an image...), whatever format they
    declare."""


@dataclass(frozen=True)
class PropertyResult:
    """The outcome for one property."""

    key: str
    status: Status
    evidence: tuple[Message, ...] = ()
    advice: Message = NO_ADVICE
    advice_for: Audience = PUBLISHER

    @property
    def name(self) -> Message:
        return _BY_KEY[self.key].name

    @property
    def met(self) -> bool:
        return self.status == MET

    def as_dict(self, render: Callable[[Message], str] | None = None) -> dict[str, Any]:
        """JSON-serializable: each text as its message id and parameters, and
        with ``render`` (the glue's translation) its ``text`` as well."""
        def shown(message: Message) -> dict[str, Any]:
            return {**message.as_dict(), "text": render(message)} if render else message.as_dict()

        return {
            "key": self.key,
            "name": render(self.name) if render else self.name.msgid,
            "status": self.status,
            "evidence": [shown(e) for e in self.evidence],
            "advice": shown(self.advice) if self.advice else None,
            "advice_for": self.advice_for if self.advice else None,
        }


@dataclass(frozen=True)
class Assessment:
    """The ten results, in the order of :data:`PROPERTIES`."""

    results: tuple[PropertyResult, ...] = field(default_factory=tuple)

    @property
    def score(self) -> int:
        """How many properties are met."""
        return sum(r.met for r in self.results)

    @property
    def total(self) -> int:
        return len(PROPERTIES)

    def __getitem__(self, key: str) -> PropertyResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)

    def as_dict(self, render: Callable[[Message], str] | None = None) -> dict[str, Any]:
        """A JSON-serializable summary (see :meth:`PropertyResult.as_dict`)."""
        return {
            "score": self.score,
            "total": self.total,
            "properties": [r.as_dict(render) for r in self.results],
        }


def evaluate(
    dataset: Mapping[str, Any],
    *,
    now: dt.datetime,
    checks: ExternalChecks | None = None,
    open_license_ids: frozenset[str] = DEFAULT_OPEN_LICENSE_IDS,
    holidays: frozenset[dt.date] = frozenset(),
    zone: dt.tzinfo | None = None,
) -> Assessment:
    """Check the ten properties on a CKAN package dict.

    ``now`` is naive Bangkok time (aware values are converted); ``holidays``
    are skipped by the working-day frequency; clock times in the evidence are
    written in ``zone`` (the portal's display time zone; default Bangkok).
    """
    checks = checks or ExternalChecks()
    resources = [r for r in dataset.get("resources") or [] if isinstance(r, Mapping)]
    return Assessment((
        _attested("complete", dataset.get(ATTEST_COMPLETE)),
        _attested("primary", dataset.get(ATTEST_PRIMARY)),
        _timely(dataset, to_local_naive(now), holidays, zone=zone),
        _accessible(checks.national_portal_identical),
        _machine_readable(resources, checks.not_tables),
        _non_discriminatory(dataset, resources),
        _non_proprietary(resources),
        _license_free(dataset, open_license_ids),
        _permanent(resources, checks.url_status),
        _free_of_charge(dataset.get(ATTEST_FREE_OF_CHARGE)),
    ))


def assess_timely(dataset: Mapping[str, Any], *, now: dt.datetime,
                  holidays: frozenset[dt.date] = frozenset(),
                  last: frequency.LastUpdate | None = None,
                  zone: dt.tzinfo | None = None) -> PropertyResult:
    """The "timely" property alone: the one that changes with the clock.
    ``last`` is the dataset's :func:`frequency.last_update_of`, when known."""
    return _timely(dataset, to_local_naive(now), holidays, last, zone=zone)


def normalize_format(resource: Mapping[str, Any]) -> str:
    """A resource's format in upper case with common aliases folded
    (``Shapefile`` -> ``SHP``, ``.csv`` -> ``CSV``). A blank format falls back
    to the extension of the URL; "" when there is neither."""
    text = str(resource.get("format") or "").strip()
    if not text:
        path = urlsplit(str(resource.get("url") or "")).path.rsplit("/", 1)[-1]
        text = path.rsplit(".", 1)[1] if "." in path else ""
    text = " ".join(text.upper().lstrip(".").split())
    return _FORMAT_ALIASES.get(text, text)


def _result(key: str, status: Status, evidence: list[Message], advice: Message,
            advice_for: Audience = PUBLISHER) -> PropertyResult:
    if status == MET:
        return PropertyResult(key, status, tuple(evidence))
    return PropertyResult(key, status, tuple(evidence), advice, advice_for)


def _flag(value: object) -> bool | None:
    """"True"/"False" strings (or bools) as a bool; anything else None."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return {"true": True, "false": False}.get(text)


def _label(resource: Mapping[str, Any], index: int) -> str:
    return str(resource.get("name") or resource.get("id") or resource.get("url") or f"#{index + 1}")


_NO_RESOURCES = Message(N_("The dataset has no resources"))

_ATTESTATION_TEXT = {
    "complete": (
        Message(N_("The publisher attests that the data is complete")),
        Message(N_("The publisher states that the data is not complete")),
        Message(N_("The publisher has not attested completeness")),
        Message(N_("Publish all the data that can be disclosed (except what the law protects), "
                   "then attest completeness")),
    ),
    "primary": (
        Message(N_("The publisher attests that the data is primary")),
        Message(N_("The publisher states that the data is not primary")),
        Message(N_("The publisher has not attested that the data is primary")),
        Message(N_("Publish the data as collected at the source, at the finest level of detail, "
                   "not aggregated or modified, then attest it")),
    ),
}


def _attested(key: str, value: object) -> PropertyResult:
    """complete / primary: the publisher's "True"/"False" attestation."""
    met_text, not_met_text, missing_text, advice = _ATTESTATION_TEXT[key]
    flag = _flag(value)
    if flag is True:
        return _result(key, MET, [met_text], advice)
    if flag is False:
        return _result(key, NOT_MET, [not_met_text], advice)
    return _result(key, NEEDS_ATTESTATION, [missing_text], advice)


def _in_zone(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """A naive Bangkok time as the wall time in ``zone`` (None: Bangkok)."""
    if zone is None:
        return moment
    return moment.replace(tzinfo=BANGKOK).astimezone(zone).replace(tzinfo=None)


def _timely(dataset: Mapping[str, Any], now: dt.datetime, holidays: frozenset[dt.date],
            last: frequency.LastUpdate | None = None, *,
            zone: dt.tzinfo | None = None) -> PropertyResult:
    """Not overdue against the update frequency and the last update."""
    key = "timely"
    set_frequency = Message(N_("Choose the update frequency unit and interval from the list "
                               "(e.g. every 1 month) and record the last update date"))
    try:
        unit = frequency.parse_unit(dataset.get("update_frequency_unit"))
        interval = frequency.parse_interval(dataset.get("update_frequency_interval"))
    except frequency.FrequencyError as error:
        return _result(key, NEEDS_ATTESTATION, [error.message], set_frequency)
    if unit == frequency.NEVER:
        return _result(key, MET, [Message(N_(
            "The data is not updated after collection, so it is as timely as it can be"))], NO_ADVICE)
    if unit in frequency.NO_DUE_UNITS:
        other = str(dataset.get("update_frequency_unit_other") or "").strip()
        shown = frequency.unit_label(unit)
        if unit == frequency.OTHER and other:
            return _result(key, NEEDS_ATTESTATION, [Message(
                N_("Update frequency: {unit} ({other}), so no due date can be computed"),
                unit=shown, other=other)], set_frequency)
        return _result(key, NEEDS_ATTESTATION, [Message(
            N_("Update frequency: {unit}, so no due date can be computed"), unit=shown)], set_frequency)
    last = last or frequency.last_update_of(dataset)
    if last is None:
        return _result(key, NEEDS_ATTESTATION, [Message(N_("No last update date is recorded"))],
                       set_frequency)
    try:
        due = frequency.due_after(last.moment, unit, interval, holidays=holidays)
    except frequency.FrequencyError as error:
        return _result(key, NEEDS_ATTESTATION, [error.message], set_frequency)
    assert due is not None  # units without a due date were handled above
    evidence = [
        Message(N_("Frequency: {frequency}"), frequency=frequency.describe_message(unit, interval)),
        Message(N_("Last updated {date} ({source})"),
                date=last.moment.date() if last.is_date else _in_zone(last.moment, zone),
                source=frequency.LAST_UPDATE_SOURCES[last.source]),
    ]
    if last.declared_stale:
        assert last.declared is not None
        evidence.append(Message(
            N_("The declared last update date ({date}) is older than the latest file upload"),
            date=last.declared))
    due_shown = due.date if due.all_day else _in_zone(due.at, zone)
    if due.is_overdue(now):
        evidence.append(Message(N_("The update was due {date}"), date=due_shown))
        return _result(key, NOT_MET, evidence, Message(N_(
            "Update the data and its last update date, or correct the frequency to match real updates")))
    evidence.append(Message(N_("Next update due {date}"), date=due_shown))
    return _result(key, MET, evidence, NO_ADVICE)


def _accessible(identical: bool | None) -> PropertyResult:
    """The agency copy and the data.go.th copy are identical. Until the
    portal can compare them (sync with data.go.th is not set up) the property
    is not yet assessed, and only a sysadmin can change that."""
    key = "accessible"
    if identical is True:
        return _result(key, MET, [Message(N_(
            "The dataset is identical on the agency portal and on data.go.th"))], NO_ADVICE)
    if identical is False:
        return _result(key, NOT_MET, [Message(N_("The dataset differs from its copy on data.go.th"))],
                       Message(N_("Publish the dataset to data.go.th again so that both copies are identical")))
    return _result(key, NEEDS_ATTESTATION, [Message(N_(
        "Not yet compared with the copy on data.go.th"))], Message(N_(
            "Set up synchronisation with data.go.th so that the portal can compare each dataset "
            "with its copy there")), SYSADMIN)


def _machine_readable(resources: list[Mapping[str, Any]],
                      not_tables: frozenset[str] = frozenset()) -> PropertyResult:
    """Every resource is in a structured, machine-readable format: the
    format it declares, and what the data-quality check found in its file."""
    key = "machine_readable"
    advice = Message(N_("Convert these resources to a machine-readable format (e.g. PDF → CSV) "
                        "and set every resource's format"))
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES], advice)
    problems = []
    for index, resource in enumerate(resources):
        name, fmt = _label(resource, index), normalize_format(resource)
        if not fmt:
            problems.append(Message(N_("“{name}” has no format"), name=name))
        elif fmt not in MACHINE_READABLE_FORMATS:
            problems.append(Message(N_("“{name}” is {format}, which is not machine-readable"),
                                    name=name, format=fmt))
        elif resource.get("id") in not_tables:
            problems.append(Message(N_("“{name}” says it is {format}, but the data-quality check found "
                                       "that its file is not a data table"), name=name, format=fmt))
    if problems:
        return _result(key, NOT_MET, problems, advice)
    formats = ", ".join(sorted({normalize_format(r) for r in resources}))
    return _result(key, MET, [Message(N_("Every resource is in a machine-readable format ({formats})"),
                                      formats=formats)], NO_ADVICE)


def _non_proprietary(resources: list[Mapping[str, Any]]) -> PropertyResult:
    """Every resource is in an open format."""
    key = "non_proprietary"
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES],
                       Message(N_("Add a resource in an open format such as CSV")))
    proprietary, unknown = [], []
    for index, resource in enumerate(resources):
        name, fmt = _label(resource, index), normalize_format(resource)
        if fmt in PROPRIETARY_FORMATS:
            proprietary.append(Message(N_("“{name}” is {format}, a proprietary format"),
                                       name=name, format=fmt))
        elif fmt not in OPEN_FORMATS:
            unknown.append(Message(N_("Cannot tell whether the format {format} of “{name}” is open"),
                                   name=name, format=fmt or "-"))
    if proprietary:
        return _result(key, NOT_MET, proprietary + unknown, Message(N_(
            "Publish in an open format such as CSV or ODS instead of XLS/XLSX/DOC/DOCX")))
    if unknown:
        return _result(key, NEEDS_ATTESTATION, unknown, Message(N_(
            "Set the resource format and check that it has an open specification "
            "usable without one vendor's software")))
    formats = ", ".join(sorted({normalize_format(r) for r in resources}))
    return _result(key, MET, [Message(N_("Every resource is in an open format ({formats})"),
                                      formats=formats)], NO_ADVICE)


def _non_discriminatory(dataset: Mapping[str, Any], resources: list[Mapping[str, Any]]) -> PropertyResult:
    """Anyone can get the data without logging in or registering."""
    key = "non_discriminatory"
    problems = []
    if _flag(dataset.get("private")):
        problems.append(Message(N_("The dataset is private: only logged-in members can see it")))
    conditions = [("", dataset.get("accessible_condition"))] + [
        (_label(r, i), r.get("resource_accessible_condition")) for i, r in enumerate(resources)
    ]
    for name, condition in conditions:
        condition = str(condition or "").strip()
        if condition and condition != NO_ACCESS_RESTRICTION:
            if name:
                problems.append(Message(N_("“{name}” has an access condition: {condition}"),
                                        name=name, condition=condition))
            else:
                problems.append(Message(N_("The dataset has an access condition: {condition}"),
                                        condition=condition))
    if problems:
        return _result(key, NOT_MET, problems, Message(N_(
            "Make the dataset public once approved and remove access conditions, "
            "so that anyone can download it without registering")))
    return _result(key, MET, [Message(N_(
        "The dataset is public: anyone can access it without logging in or registering"))], NO_ADVICE)


def _license_free(dataset: Mapping[str, Any], open_license_ids: frozenset[str]) -> PropertyResult:
    """An open licence: no non-commercial or no-derivatives clause."""
    key = "license_free"
    choose = Message(N_("Choose an open licence such as Open Data Common or Creative Commons Attributions"))
    license_id = str(dataset.get("license_id") or "").strip()
    lowered = license_id.casefold()
    if not license_id or lowered == "notspecified":
        return _result(key, NOT_MET, [Message(N_("No licence is specified"))], choose)
    non_commercial = bool(_NON_COMMERCIAL.search(lowered))
    no_derivatives = bool(_NO_DERIVS.search(lowered))
    if non_commercial and no_derivatives:
        return _result(key, NOT_MET, [Message(
            N_("The licence {licence} forbids commercial use and derivative works"),
            licence=license_id)], choose)
    if non_commercial:
        return _result(key, NOT_MET, [Message(N_("The licence {licence} forbids commercial use"),
                                              licence=license_id)], choose)
    if no_derivatives:
        return _result(key, NOT_MET, [Message(N_("The licence {licence} forbids derivative works"),
                                              licence=license_id)], choose)
    if lowered in {i.casefold() for i in open_license_ids}:
        return _result(key, MET, [Message(N_("{licence} is an open licence"), licence=license_id)],
                       NO_ADVICE)
    if license_id == OTHER:
        other = str(dataset.get("license_id_other") or "").strip() or "-"
        return _result(key, NEEDS_ATTESTATION, [Message(N_("Other licence: {licence}"), licence=other)],
                       Message(N_("Check that the licence allows use, adaptation and redistribution "
                                  "without restriction, or choose an open licence")))
    return _result(key, NOT_MET, [Message(N_("{licence} is not a recognised open licence"),
                                          licence=license_id)], choose)


def _permanent(
    resources: list[Mapping[str, Any]], url_status: Mapping[str, bool | None] | None
) -> PropertyResult:
    """Every resource is uploaded to the portal or its link still answers."""
    key = "permanent"
    fix = Message(N_("Fix the broken links or upload the files to the portal, "
                     "and keep their addresses stable"))
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES], fix)
    failed, unchecked = [], []
    for index, resource in enumerate(resources):
        if resource.get("url_type") == "upload":
            continue
        name, url = _label(resource, index), str(resource.get("url") or "")
        status = (url_status or {}).get(str(resource.get("id") or ""))
        if status is False:
            failed.append(Message(N_("The link of “{name}” fails: {url}"), name=name, url=url))
        elif status is None:
            unchecked.append(Message(N_("The link of “{name}” has not been checked"), name=name))
    if failed:
        return _result(key, NOT_MET, failed, fix)
    if unchecked:
        return _result(key, NEEDS_ATTESTATION, unchecked, Message(N_(
            "Run the link check, or confirm that the links stay available")))
    return _result(key, MET, [Message(N_(
        "Every resource is uploaded to the portal or its link answers"))], NO_ADVICE)


def _free_of_charge(value: object) -> PropertyResult:
    """Met unless the publisher states that access is charged."""
    key = "free_of_charge"
    if _flag(value) is False:
        return _result(key, NOT_MET, [Message(N_(
            "The publisher states that access to the data is charged"))],
            Message(N_("Let anyone download the data free of charge")))
    return _result(key, MET, [Message(N_("The portal charges nothing for downloads"))], NO_ADVICE)
