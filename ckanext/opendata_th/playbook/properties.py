"""The ten properties of open data (the Sunlight Foundation's principles),
checked on a CKAN dataset dict.

Each property is "met", "not_met" or "needs_attestation" (the software cannot
tell; a person must check or attest), with short bilingual evidence and, when
not met, bilingual advice for the publisher. What lies outside the dataset dict
(link checks, the comparison with data.go.th) comes in :class:`ExternalChecks`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook.dates import (
    BANGKOK,
    format_date_en,
    format_date_th,
    format_datetime_en,
    format_datetime_th,
    to_local_naive,
)
from ckanext.opendata_th.playbook.messages import Bilingual
from ckanext.opendata_th.playbook.vocabulary import NO_ACCESS_RESTRICTION, OTHER

Status = Literal["met", "not_met", "needs_attestation"]
MET: Status = "met"
NOT_MET: Status = "not_met"
NEEDS_ATTESTATION: Status = "needs_attestation"

ATTEST_COMPLETE = "opendata_attest_complete"
ATTEST_PRIMARY = "opendata_attest_primary"
ATTEST_FREE_OF_CHARGE = "opendata_attest_free_of_charge"

NO_ADVICE = Bilingual("", "")


@dataclass(frozen=True)
class OpenDataProperty:
    """One of the ten properties: its key and names."""

    key: str
    name_th: str
    name_en: str


PROPERTIES: tuple[OpenDataProperty, ...] = (
    OpenDataProperty("complete", "ครบถ้วน", "Complete"),
    OpenDataProperty("primary", "เป็นข้อมูลปฐมภูมิ", "Primary"),
    OpenDataProperty("timely", "เป็นปัจจุบัน", "Timely"),
    OpenDataProperty("accessible", "เข้าถึงได้", "Accessible"),
    OpenDataProperty("machine_readable", "เครื่องอ่านได้", "Machine-readable"),
    OpenDataProperty("non_discriminatory", "ไม่เลือกปฏิบัติ", "Non-discriminatory"),
    OpenDataProperty("non_proprietary", "ไม่มีกรรมสิทธิ์", "Non-proprietary"),
    OpenDataProperty("license_free", "ปลอดสิทธิ์การใช้งาน", "License-free"),
    OpenDataProperty("permanent", "ถาวร", "Permanent"),
    OpenDataProperty("free_of_charge", "ไม่มีค่าใช้จ่าย", "Free of charge"),
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


@dataclass(frozen=True)
class PropertyResult:
    """The outcome for one property."""

    key: str
    status: Status
    evidence: tuple[Bilingual, ...] = ()
    advice: Bilingual = NO_ADVICE

    @property
    def name_th(self) -> str:
        return _BY_KEY[self.key].name_th

    @property
    def name_en(self) -> str:
        return _BY_KEY[self.key].name_en

    @property
    def met(self) -> bool:
        return self.status == MET

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "status": self.status,
            "evidence": [e.as_dict() for e in self.evidence],
            "advice": self.advice.as_dict(),
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

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serializable summary."""
        return {
            "score": self.score,
            "total": self.total,
            "properties": [r.as_dict() for r in self.results],
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
        _machine_readable(resources),
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


def _result(key: str, status: Status, evidence: list[Bilingual], advice: Bilingual) -> PropertyResult:
    return PropertyResult(key, status, tuple(evidence), NO_ADVICE if status == MET else advice)


def _flag(value: object) -> bool | None:
    """"True"/"False" strings (or bools) as a bool; anything else None."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return {"true": True, "false": False}.get(text)


def _label(resource: Mapping[str, Any], index: int) -> str:
    return str(resource.get("name") or resource.get("id") or resource.get("url") or f"#{index + 1}")


_NO_RESOURCES = Bilingual("ชุดข้อมูลยังไม่มีทรัพยากรข้อมูล", "The dataset has no resources")

_ATTESTATION_TEXT = {
    "complete": (
        Bilingual("ผู้เผยแพร่ยืนยันว่าข้อมูลครบถ้วน", "The publisher attests that the data is complete"),
        Bilingual("ผู้เผยแพร่ระบุว่าข้อมูลยังไม่ครบถ้วน", "The publisher states that the data is not complete"),
        Bilingual("ผู้เผยแพร่ยังไม่ได้ยืนยันความครบถ้วนของข้อมูล", "The publisher has not attested completeness"),
        Bilingual(
            "เผยแพร่ข้อมูลทั้งหมดที่เปิดเผยได้ (ยกเว้นส่วนที่กฎหมายคุ้มครอง) แล้วยืนยันความครบถ้วน",
            "Publish all the data that can be disclosed (except what the law protects), then attest completeness",
        ),
    ),
    "primary": (
        Bilingual("ผู้เผยแพร่ยืนยันว่าเป็นข้อมูลจากแหล่งต้นทาง", "The publisher attests that the data is primary"),
        Bilingual("ผู้เผยแพร่ระบุว่าไม่ใช่ข้อมูลจากแหล่งต้นทาง", "The publisher states that the data is not primary"),
        Bilingual("ผู้เผยแพร่ยังไม่ได้ยืนยันว่าเป็นข้อมูลปฐมภูมิ", "The publisher has not attested that the data is primary"),
        Bilingual(
            "เผยแพร่ข้อมูลตามที่จัดเก็บจากแหล่งต้นทางในระดับละเอียดที่สุด ไม่สรุปหรือดัดแปลง แล้วยืนยันอีกครั้ง",
            "Publish the data as collected at the source, at the finest level of detail, "
            "not aggregated or modified, then attest it",
        ),
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
    set_frequency = Bilingual(
        "กำหนดหน่วยและค่าความถี่ของการปรับปรุงข้อมูลจากรายการ (เช่น ทุก 1 เดือน) และวันที่ปรับปรุงล่าสุด",
        "Choose the update frequency unit and interval from the list (e.g. every 1 month) "
        "and record the last update date",
    )
    try:
        unit = frequency.parse_unit(dataset.get("update_frequency_unit"))
        interval = frequency.parse_interval(dataset.get("update_frequency_interval"))
    except frequency.FrequencyError as error:
        return _result(key, NEEDS_ATTESTATION, [Bilingual(error.message_th, error.message_en)], set_frequency)
    if unit == frequency.NEVER:
        return _result(key, MET, [Bilingual(
            "ข้อมูลไม่มีการปรับปรุงหลังจากการจัดเก็บ จึงเป็นปัจจุบันเท่าที่เป็นไปได้แล้ว",
            "The data is not updated after collection, so it is as timely as it can be",
        )], NO_ADVICE)
    if unit in frequency.NO_DUE_UNITS:
        other = str(dataset.get("update_frequency_unit_other") or "").strip()
        detail = f" ({other})" if unit == frequency.OTHER and other else ""
        return _result(key, NEEDS_ATTESTATION, [Bilingual(
            f"ความถี่ของการปรับปรุงข้อมูล: {unit}{detail} จึงคำนวณกำหนดปรับปรุงไม่ได้",
            f"Update frequency: {frequency.UNIT_LABELS_EN[unit]}{detail}, so no due date can be computed",
        )], set_frequency)
    last = last or frequency.last_update_of(dataset)
    if last is None:
        return _result(key, NEEDS_ATTESTATION, [Bilingual(
            "ไม่พบวันที่ปรับปรุงข้อมูลล่าสุด", "No last update date is recorded",
        )], set_frequency)
    try:
        due = frequency.due_after(last.moment, unit, interval, holidays=holidays)
    except frequency.FrequencyError as error:
        return _result(key, NEEDS_ATTESTATION, [Bilingual(error.message_th, error.message_en)], set_frequency)
    assert due is not None  # units without a due date were handled above
    source = frequency.LAST_UPDATE_SOURCES[last.source]
    shown = _in_zone(last.moment, zone)
    last_th = format_date_th(last.moment) if last.is_date else format_datetime_th(shown)
    last_en = format_date_en(last.moment) if last.is_date else format_datetime_en(shown)
    evidence = [
        Bilingual(
            f"ความถี่: {frequency.describe(unit, interval, 'th')}",
            f"Frequency: {frequency.describe(unit, interval, 'en')}",
        ),
        Bilingual(f"ปรับปรุงล่าสุด {last_th} ({source.th})", f"Last updated {last_en} ({source.en})"),
    ]
    if last.declared_stale:
        assert last.declared is not None
        evidence.append(Bilingual(
            f"วันที่ปรับปรุงข้อมูลล่าสุดที่ระบุไว้ ({format_date_th(last.declared)}) "
            f"เก่ากว่าไฟล์ที่อัปโหลดล่าสุด",
            f"The declared last update date ({format_date_en(last.declared)}) "
            f"is older than the latest file upload",
        ))
    due_th = format_date_th(due.at) if due.all_day else format_datetime_th(_in_zone(due.at, zone))
    due_en = format_date_en(due.at) if due.all_day else format_datetime_en(_in_zone(due.at, zone))
    if due.is_overdue(now):
        evidence.append(Bilingual(f"เลยกำหนดปรับปรุงข้อมูลเมื่อ {due_th}", f"The update was due {due_en}"))
        return _result(key, NOT_MET, evidence, Bilingual(
            "ปรับปรุงข้อมูลและวันที่ปรับปรุงข้อมูลล่าสุด หรือแก้ไขความถี่ให้ตรงกับการปรับปรุงจริง",
            "Update the data and its last update date, or correct the frequency to match real updates",
        ))
    evidence.append(Bilingual(f"กำหนดปรับปรุงครั้งถัดไป {due_th}", f"Next update due {due_en}"))
    return _result(key, MET, evidence, NO_ADVICE)


def _accessible(identical: bool | None) -> PropertyResult:
    """The agency copy and the data.go.th copy are identical."""
    key = "accessible"
    if identical is True:
        return _result(key, MET, [Bilingual(
            "ชุดข้อมูลในพอร์ทัลหน่วยงานตรงกับ data.go.th",
            "The dataset is identical on the agency portal and on data.go.th",
        )], NO_ADVICE)
    if identical is False:
        return _result(key, NOT_MET, [Bilingual(
            "ชุดข้อมูลในพอร์ทัลหน่วยงานไม่ตรงกับ data.go.th", "The dataset differs from its copy on data.go.th",
        )], Bilingual(
            "เผยแพร่ชุดข้อมูลไปยัง data.go.th อีกครั้งเพื่อให้ทั้งสองแห่งตรงกัน",
            "Publish the dataset to data.go.th again so that both copies are identical",
        ))
    return _result(key, NEEDS_ATTESTATION, [Bilingual(
        "ยังไม่ได้ตั้งค่าการเชื่อมโยงกับ data.go.th", "Synchronisation with data.go.th is not configured",
    )], Bilingual(
        "ตั้งค่าการเชื่อมโยงกับ data.go.th หรือตรวจสอบว่าชุดข้อมูลเผยแพร่บน data.go.th ตรงกันแล้ว",
        "Configure synchronisation with data.go.th, or check that the dataset is published there identically",
    ))


def _machine_readable(resources: list[Mapping[str, Any]]) -> PropertyResult:
    """Every resource is in a structured, machine-readable format."""
    key = "machine_readable"
    advice = Bilingual(
        "แปลงทรัพยากรเหล่านี้เป็นรูปแบบที่เครื่องอ่านได้ (เช่น PDF → CSV) และระบุรูปแบบของทุกทรัพยากร",
        "Convert these resources to a machine-readable format (e.g. PDF → CSV) and set every resource's format",
    )
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES], advice)
    problems = []
    for index, resource in enumerate(resources):
        name, fmt = _label(resource, index), normalize_format(resource)
        if not fmt:
            problems.append(Bilingual(f"“{name}” ไม่ได้ระบุรูปแบบ", f"“{name}” has no format"))
        elif fmt not in MACHINE_READABLE_FORMATS:
            problems.append(Bilingual(
                f"“{name}” อยู่ในรูปแบบ {fmt} ซึ่งเครื่องอ่านไม่ได้",
                f"“{name}” is {fmt}, which is not machine-readable",
            ))
    if problems:
        return _result(key, NOT_MET, problems, advice)
    formats = ", ".join(sorted({normalize_format(r) for r in resources}))
    return _result(key, MET, [Bilingual(
        f"ทุกทรัพยากรอยู่ในรูปแบบที่เครื่องอ่านได้ ({formats})",
        f"Every resource is in a machine-readable format ({formats})",
    )], NO_ADVICE)


def _non_proprietary(resources: list[Mapping[str, Any]]) -> PropertyResult:
    """Every resource is in an open format."""
    key = "non_proprietary"
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES], Bilingual(
            "เพิ่มทรัพยากรข้อมูลในรูปแบบเปิด เช่น CSV", "Add a resource in an open format such as CSV",
        ))
    proprietary, unknown = [], []
    for index, resource in enumerate(resources):
        name, fmt = _label(resource, index), normalize_format(resource)
        if fmt in PROPRIETARY_FORMATS:
            proprietary.append(Bilingual(
                f"“{name}” อยู่ในรูปแบบ {fmt} ซึ่งผูกกับซอฟต์แวร์ของผู้ผลิตรายเดียว",
                f"“{name}” is {fmt}, a proprietary format",
            ))
        elif fmt not in OPEN_FORMATS:
            shown = fmt or "-"
            unknown.append(Bilingual(
                f"ไม่ทราบว่ารูปแบบ {shown} ของ “{name}” เป็นรูปแบบเปิดหรือไม่",
                f"Cannot tell whether the format {shown} of “{name}” is open",
            ))
    if proprietary:
        return _result(key, NOT_MET, proprietary + unknown, Bilingual(
            "เผยแพร่ในรูปแบบเปิด เช่น CSV หรือ ODS แทน XLS/XLSX/DOC/DOCX",
            "Publish in an open format such as CSV or ODS instead of XLS/XLSX/DOC/DOCX",
        ))
    if unknown:
        return _result(key, NEEDS_ATTESTATION, unknown, Bilingual(
            "ระบุรูปแบบของทรัพยากร และตรวจสอบว่ามีข้อกำหนดเปิดเผยที่ใช้ได้โดยไม่ต้องพึ่งซอฟต์แวร์ของผู้ผลิตรายเดียว",
            "Set the resource format and check that it has an open specification "
            "usable without one vendor's software",
        ))
    formats = ", ".join(sorted({normalize_format(r) for r in resources}))
    return _result(key, MET, [Bilingual(
        f"ทุกทรัพยากรอยู่ในรูปแบบเปิด ({formats})", f"Every resource is in an open format ({formats})",
    )], NO_ADVICE)


def _non_discriminatory(dataset: Mapping[str, Any], resources: list[Mapping[str, Any]]) -> PropertyResult:
    """Anyone can get the data without logging in or registering."""
    key = "non_discriminatory"
    problems = []
    if _flag(dataset.get("private")):
        problems.append(Bilingual(
            "ชุดข้อมูลเป็นแบบส่วนตัว (private) เฉพาะสมาชิกที่เข้าสู่ระบบจึงเห็นได้",
            "The dataset is private: only logged-in members can see it",
        ))
    conditions = [("", dataset.get("accessible_condition"))] + [
        (_label(r, i), r.get("resource_accessible_condition")) for i, r in enumerate(resources)
    ]
    for name, condition in conditions:
        condition = str(condition or "").strip()
        if condition and condition != NO_ACCESS_RESTRICTION:
            where_th, where_en = (f"“{name}”", f"“{name}”") if name else ("ชุดข้อมูล", "The dataset")
            problems.append(Bilingual(
                f"{where_th} มีเงื่อนไขการเข้าถึง: {condition}",
                f"{where_en} has an access condition: {condition}",
            ))
    if problems:
        return _result(key, NOT_MET, problems, Bilingual(
            "เผยแพร่เป็นสาธารณะเมื่อได้รับอนุมัติ และยกเลิกเงื่อนไขการเข้าถึง ให้ทุกคนดาวน์โหลดได้โดยไม่ต้องลงทะเบียน",
            "Make the dataset public once approved and remove access conditions, "
            "so that anyone can download it without registering",
        ))
    return _result(key, MET, [Bilingual(
        "ชุดข้อมูลเป็นสาธารณะ ทุกคนเข้าถึงได้โดยไม่ต้องเข้าสู่ระบบหรือลงทะเบียน",
        "The dataset is public: anyone can access it without logging in or registering",
    )], NO_ADVICE)


def _license_free(dataset: Mapping[str, Any], open_license_ids: frozenset[str]) -> PropertyResult:
    """An open licence: no non-commercial or no-derivatives clause."""
    key = "license_free"
    choose = Bilingual(
        "เลือกสัญญาอนุญาตแบบเปิด เช่น Open Data Common หรือ Creative Commons Attributions",
        "Choose an open licence such as Open Data Common or Creative Commons Attributions",
    )
    license_id = str(dataset.get("license_id") or "").strip()
    lowered = license_id.casefold()
    if not license_id or lowered == "notspecified":
        return _result(key, NOT_MET, [Bilingual("ยังไม่ได้ระบุสัญญาอนุญาต", "No licence is specified")], choose)
    clauses_th, clauses_en = [], []
    if _NON_COMMERCIAL.search(lowered):
        clauses_th.append("ห้ามใช้เพื่อการค้า")
        clauses_en.append("forbids commercial use")
    if _NO_DERIVS.search(lowered):
        clauses_th.append("ห้ามดัดแปลง")
        clauses_en.append("forbids derivative works")
    if clauses_th:
        return _result(key, NOT_MET, [Bilingual(
            f"สัญญาอนุญาต {license_id} {' และ'.join(clauses_th)}",
            f"The licence {license_id} {' and '.join(clauses_en)}",
        )], choose)
    if lowered in {i.casefold() for i in open_license_ids}:
        return _result(key, MET, [Bilingual(
            f"{license_id} เป็นสัญญาอนุญาตแบบเปิด", f"{license_id} is an open licence",
        )], NO_ADVICE)
    if license_id == OTHER:
        other = str(dataset.get("license_id_other") or "").strip() or "-"
        return _result(key, NEEDS_ATTESTATION, [Bilingual(
            f"สัญญาอนุญาตอื่นๆ: {other}", f"Other licence: {other}",
        )], Bilingual(
            "ตรวจสอบว่าสัญญาอนุญาตให้ใช้ ดัดแปลง และเผยแพร่ต่อได้โดยไม่มีข้อจำกัด หรือเลือกสัญญาอนุญาตแบบเปิด",
            "Check that the licence allows use, adaptation and redistribution without restriction, "
            "or choose an open licence",
        ))
    return _result(key, NOT_MET, [Bilingual(
        f"{license_id} ไม่อยู่ในรายการสัญญาอนุญาตแบบเปิด", f"{license_id} is not a recognised open licence",
    )], choose)


def _permanent(
    resources: list[Mapping[str, Any]], url_status: Mapping[str, bool | None] | None
) -> PropertyResult:
    """Every resource is uploaded to the portal or its link still answers."""
    key = "permanent"
    fix = Bilingual(
        "แก้ไขลิงก์ที่เข้าถึงไม่ได้ หรืออัปโหลดไฟล์ไว้ในพอร์ทัล และคงที่อยู่เดิมไว้ถาวร",
        "Fix the broken links or upload the files to the portal, and keep their addresses stable",
    )
    if not resources:
        return _result(key, NOT_MET, [_NO_RESOURCES], fix)
    failed, unchecked = [], []
    for index, resource in enumerate(resources):
        if resource.get("url_type") == "upload":
            continue
        name, url = _label(resource, index), str(resource.get("url") or "")
        status = (url_status or {}).get(str(resource.get("id") or ""))
        if status is False:
            failed.append(Bilingual(
                f"ลิงก์ของ “{name}” เข้าถึงไม่ได้: {url}", f"The link of “{name}” fails: {url}",
            ))
        elif status is None:
            unchecked.append(Bilingual(
                f"ยังไม่ได้ตรวจสอบลิงก์ของ “{name}”", f"The link of “{name}” has not been checked",
            ))
    if failed:
        return _result(key, NOT_MET, failed, fix)
    if unchecked:
        return _result(key, NEEDS_ATTESTATION, unchecked, Bilingual(
            "ตรวจสอบลิงก์ของทรัพยากร หรือยืนยันว่าลิงก์จะเข้าถึงได้อย่างถาวร",
            "Run the link check, or confirm that the links stay available",
        ))
    return _result(key, MET, [Bilingual(
        "ทุกทรัพยากรอัปโหลดไว้ในพอร์ทัลหรือลิงก์ยังเข้าถึงได้",
        "Every resource is uploaded to the portal or its link answers",
    )], NO_ADVICE)


def _free_of_charge(value: object) -> PropertyResult:
    """Met unless the publisher states that access is charged."""
    key = "free_of_charge"
    if _flag(value) is False:
        return _result(key, NOT_MET, [Bilingual(
            "ผู้เผยแพร่ระบุว่ามีค่าใช้จ่ายในการเข้าถึงข้อมูล",
            "The publisher states that access to the data is charged",
        )], Bilingual(
            "ให้ทุกคนดาวน์โหลดข้อมูลได้โดยไม่มีค่าใช้จ่าย", "Let anyone download the data free of charge",
        ))
    return _result(key, MET, [Bilingual(
        "พอร์ทัลให้ดาวน์โหลดข้อมูลโดยไม่มีค่าใช้จ่าย", "The portal charges nothing for downloads",
    )], NO_ADVICE)
