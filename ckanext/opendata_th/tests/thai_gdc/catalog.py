"""The store behind the local thai_gdc CKAN (no HTTP): datasets as
ckanext-thai_gdc 2.x on CKAN 2.9 gives them, organizations, and the search
index that answers ``package_search`` the way CKAN's Solr does.

Plain Python, no CKAN import: the pure tests and ``benchmarks/harvest.py``
use it without a CKAN configuration. Thread-safe (one re-entrant lock).

What it reproduces, learnt from CKAN's ``lib/search`` (index.py, query.py),
its Solr ``schema.xml`` and ckanext-thai_gdc's schema:

* Stored datasets keep the shapes ``package_show`` gives: the thai_gdc
  fields at the top level (choice values are the Thai labels, booleans the
  strings "True"/"False", multiple-choice fields JSON lists), tags as dicts,
  the owning organization as a summary dict, timestamps as naive UTC ISO
  strings (``datetime.isoformat()``, as CKAN dictizes them).
* A resource uploaded to the catalog (``url_type`` "upload") keeps only its
  file name, as CKAN stores it; :meth:`ThaiGdcCatalog.show` renders its URL
  against the serving site (``<site>/dataset/<id>/resource/<rid>/download/<file>``).
* Deleted datasets are not in the search index (CKAN's default
  ``ckan.search.remove_deleted_packages``); private ones are indexed with
  ``capacity:private``.
* Queries use Lucene's classic parser semantics with the default operator
  AND (CKAN sets ``q.op=AND``), including its surprising mix of ``OR`` with
  ``+``/``-`` clauses: CKAN prefixes ``fq`` with ``+capacity:public`` and
  appends ``+state:(active)``, so ``fq=organization:a OR organization:b``
  makes both organization clauses optional and filters nothing, exactly as
  on a real CKAN; ``+organization:(a OR b)`` is the form that filters.
* ``q`` without a colon is a DisMax search over CKAN's ``qf`` (name^4
  title^4 tags^2 groups^2 text) with its ``mm`` (2<-1 5<80%); with a colon
  it is a Lucene query. Text fields match whole words, case-insensitively
  (no English stemming; Thai, written without spaces, matches whole
  space-separated chunks, as CKAN's whitespace tokenizer does).
* Dates compare at Solr's millisecond precision, bounds must be Solr dates
  (``2024-01-01T00:00:00Z``, ``NOW-1DAY``...); ties in a sort keep index
  order (the order datasets were last indexed), as Lucene's doc ids do.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import json
import random
import re
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

# --------------------------------------------------------------------------
# Errors: what CKAN's action API turns into its error envelopes.


class ActionError(Exception):
    """An error an action raises; :mod:`.server` answers it with
    ``status`` and the envelope's ``error`` dict."""

    status = 500
    error_type = "Internal Server Error"

    def error(self) -> dict[str, Any]:
        return {"__type": self.error_type, "message": str(self) or self.error_type}


class NotFound(ActionError, LookupError):
    """404 ``Not Found Error`` ("Not found" plus the detail, if any)."""

    status = 404
    error_type = "Not Found Error"

    def error(self) -> dict[str, Any]:
        detail = str(self)
        return {"__type": self.error_type, "message": f"Not found: {detail}" if detail else "Not found"}


class NotAuthorized(ActionError):
    """403 ``Authorization Error`` ("Access denied" plus the reason)."""

    status = 403
    error_type = "Authorization Error"

    def error(self) -> dict[str, Any]:
        detail = str(self)
        return {"__type": self.error_type,
                "message": f"Access denied: {detail}" if detail else "Access denied"}


class ValidationError(ActionError):
    """409 ``Validation Error``: ``{field: [messages]}`` beside ``__type``."""

    status = 409
    error_type = "Validation Error"

    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors

    def error(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.error_type}


class SearchQueryError(ActionError):
    """400 ``Search Query Error`` (bad parameters, a sort without order)."""

    status = 400
    error_type = "Search Query Error"

    def error(self) -> dict[str, Any]:
        return {"__type": self.error_type, "message": "Search Query is invalid: %r" % (self.args,)}


class SearchError(ActionError):
    """409 ``Search Error``: Solr refused the query (syntax, bad date, sort field)."""

    status = 409
    error_type = "Search Error"

    def error(self) -> dict[str, Any]:
        return {"__type": self.error_type, "message": "Search error: %r" % (self.args,)}


# --------------------------------------------------------------------------
# The thai_gdc 2.2.4 schema (facts from ../shared/reference/thai_gdc_fields.csv).

RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER = (
    "ข้อมูลระเบียน", "ข้อมูลสถิติ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "ข้อมูลหลากหลายประเภท",
    "ข้อมูลประเภทอื่นๆ")
DATA_TYPES = (RECORD, STATISTICAL, GEOSPATIAL, MIXED, OTHER)
_TYPE_LETTER = {RECORD: "R", STATISTICAL: "S", GEOSPATIAL: "G", MIXED: "M", OTHER: "O"}
OTHER_CHOICE = "อื่นๆ"

_DISAGGREGATE = ("ไม่มี", "เพศ", "อายุ/กลุ่มอายุ", "สถานภาพสมรส", "ศาสนา", "ระดับการศึกษา", "อาชีพ",
                 "สถานภาพการทำงาน", "อุตสาหกรรม/ประเภทกิจการ", "รายได้",
                 "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "ผลิตภัณฑ์", "ไม่ทราบ", OTHER_CHOICE)
_DATA_COLLECT = ("ไม่มี", "บุคคล", "ครัวเรือน/ครอบครัว", "บ้าน/ที่อยู่อาศัย",
                 "บริษัท/ห้างร้าน/สถานประกอบการ", "อาคาร/สิ่งปลูกสร้าง", "พื้นที่การเกษตร ประมง ป่าไม้",
                 "สัตว์และพันธุ์พืช", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
                 "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ", "เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ", "ไม่ทราบ",
                 OTHER_CHOICE)
_MULTIPLIER = ("หน่วย", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน", "สิบล้าน", "ร้อยล้าน", "พันล้าน",
               "หมื่นล้าน", "แสนล้าน", "ล้านล้าน", "ไม่ทราบ", OTHER_CHOICE)
_GEO_DATA_SET = ("ชั้นข้อมูลแปลงที่ดิน", "ชั้นข้อมูลขอบเขตการปกครอง", "ชั้นข้อมูลเส้นทางคมนาคม",
                 "ชั้นข้อมูลชุมนุม/อาคาร", "ชั้นข้อมูลป่าไม้", "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน",
                 "ชั้นข้อมูลแหล่งน้ำ", "ชั้นข้อมูลอุทกศาสตร์", "ชั้นข้อมูลหมุดหลักฐานแผนที่",
                 "ชั้นข้อมูลความสูงภูมิประเทศเชิงตัวเลข", "ชั้นข้อมูลภาพแผนที่ภูมิประเทศ",
                 "ชั้นข้อมูลแผนที่ภาพถ่ายทางอากาศ", "ชั้นข้อมูลภาพวาดดาวเทียมดัดแก้")
_SCALE = ("1:4,000", "1:10,000", "1:25,000", "1:50,000", "1:250,000", OTHER_CHOICE)
_TRUE_FALSE = ("False", "True")

CHOICES: dict[str, tuple[str, ...]] = {
    "data_type": DATA_TYPES,
    "allow_harvest": _TRUE_FALSE,
    "objective": ("ยุทธศาสตร์ชาติ", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "แผนความมั่นคงแห่งชาติ",
                  "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "แผนปฏิรูปประเทศ", "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)",
                  "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", "มติคณะรัฐมนตรี", "เพื่อการให้บริการประชาชน",
                  "กฎหมายที่เกี่ยวข้อง", "พันธกิจหน่วยงาน", "ดัชนี/ตัวชี้วัดระดับนานาชาติ", "ไม่ทราบ",
                  OTHER_CHOICE),
    "update_frequency_unit": ("ไม่ทราบ", "ปี", "ครึ่งปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ",
                              "ชั่วโมง", "นาที", "ตามเวลาจริง",
                              "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", OTHER_CHOICE),
    "geo_coverage": ("ไม่มี", "โลก", "ทวีป/กลุ่มประเทศในทวีป", "กลุ่มประเทศทางเศรษฐกิจ", "ประเทศ", "ภาค",
                     "จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "เทศบาล/อบต.", "พิกัด", "ไม่ทราบ",
                     OTHER_CHOICE),
    "data_format": ("Database", "CSV", "XML", "Image", "Video", "Audio", "Text", "JSON", "HTML",
                    "DOC/DOCX", "XLS", "PDF", "RDF", "NoSQL", "Arc/Info Coverage", "Shapefile",
                    "GeoTiff", "GML", "ไม่ทราบ", OTHER_CHOICE),
    "data_category": ("ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล", "ข้อมูลความมั่นคง",
                      "ข้อมูลความลับทางราชการ"),
    "data_classification": ("เปิดเผย", "ชั้นเผยแพร่ภายในองค์กร", "ลับ", "ลับมาก", "ลับที่สุด"),
    "license_id": ("Open Data Common", "Creative Commons Attributions",
                   "Creative Commons Attribution Non-Commercial",
                   "Creative Commons Attribution Share-Alike",
                   "Creative Commons Attribution Non-Commercial Share-Alike",
                   "Creative Commons Attribution Non-Commercial No-Derivs",
                   "Creative Commons Attribution No-Derivs", OTHER_CHOICE),
    "data_support": ("ไม่มี", "หน่วยงานของรัฐ", "หน่วยงานเอกชน", "หน่วยงาน/องค์กรระหว่างประเทศ",
                     "มูลนิธิ/สมาคม", "สถาบันการศึกษา", OTHER_CHOICE),
    "data_collect": _DATA_COLLECT,
    "data_language": ("ไทย", "อังกฤษ", "จีน", "มลายู", "พม่า", "ลาว", "เขมร", "ญี่ปุ่น", "เกาหลี", "ฝรั่งเศส",
                      "เยอรมัน", "อารบิก", "ไม่ทราบ", OTHER_CHOICE),
    "disaggregate": _DISAGGREGATE,
    "unit_of_multiplier": _MULTIPLIER,
    "geographic_data_set": _GEO_DATA_SET,
    "equivalent_scale": _SCALE,
    "high_value_dataset": _TRUE_FALSE,
    "reference_data": _TRUE_FALSE,
    "official_statistics": _TRUE_FALSE,
    "resource_data_collect": _DATA_COLLECT,
    "resource_disaggregate": _DISAGGREGATE,
    "resource_unit_of_multiplier": _MULTIPLIER,
    "resource_geographic_data_set": _GEO_DATA_SET,
    "resource_equivalent_scale": _SCALE,
    "resource_official_statistics": _TRUE_FALSE,
}

#: Multiple-choice fields: JSON lists in package_show (scheming_multiple_choice).
MULTIPLE_CHOICE = frozenset({"objective", "data_format", "data_language", "disaggregate",
                             "resource_disaggregate"})

#: The thai_gdc fields beyond CKAN's own columns: name -> data types that show it.
DATASET_FIELDS: dict[str, str] = {
    "data_type": "RSGMO", "data_type_other": "O", "allow_harvest": "RSGMO",
    "reference_url_catalog": "RSGMO", "objective": "RSGMO", "objective_other": "RSGMO",
    "update_frequency_unit": "RSGMO", "update_frequency_unit_other": "RSGMO",
    "update_frequency_interval": "RSGMO", "geo_coverage": "RSGMO", "geo_coverage_other": "RSGMO",
    "data_source": "RSGMO", "data_format": "RSGMO", "data_format_other": "RSGMO",
    "data_category": "RSGMO", "data_classification": "RSGMO", "license_id_other": "RSGMO",
    "accessible_condition": "RSGMO", "data_support": "RMO", "data_support_other": "RMO",
    "data_collect": "RMO", "data_collect_other": "RMO", "data_language": "RSGMO",
    "data_language_other": "RSGMO", "created_date": "RMO", "last_updated_date": "RSGMO",
    "data_release_calendar": "SG", "first_year_of_data": "S", "last_year_of_data": "S",
    "disaggregate": "S", "disaggregate_other": "S", "unit_of_measure": "S",
    "unit_of_multiplier": "S", "unit_of_multiplier_other": "S", "calculation_method": "S",
    "standard": "S", "geographic_data_set": "G", "equivalent_scale": "G",
    "equivalent_scale_other": "G", "west_bound_longitude": "G", "east_bound_longitude": "G",
    "north_bound_longitude": "G", "south_bound_longitude": "G", "positional_accuracy": "G",
    "reference_period": "G", "data_release_date": "G", "high_value_dataset": "RMO",
    "reference_data": "RMO", "official_statistics": "S",
}

RESOURCE_FIELDS: dict[str, str] = {
    "resource_accessible_condition": "RSGMO", "resource_data_collect": "RMO",
    "resource_data_collect_other": "RMO", "resource_first_year_of_data": "S",
    "resource_last_year_of_data": "S", "resource_disaggregate": "S",
    "resource_disaggregate_other": "S", "resource_unit_of_measure": "S",
    "resource_unit_of_multiplier": "S", "resource_unit_of_multiplier_other": "S",
    "resource_geographic_data_set": "G", "resource_equivalent_scale": "G",
    "resource_equivalent_scale_other": "G", "resource_positional_accuracy": "G",
    "resource_created_date": "RGMO", "resource_last_updated_date": "RSGMO",
    "resource_data_release_calendar": "S", "resource_official_statistics": "S",
    "resource_data_release_date": "G",
}

#: Fields thai_gdc requires (scheming ``required``/``not_empty``): "Missing value".
REQUIRED_FIELDS = ("title", "data_type", "maintainer", "maintainer_email", "notes",
                   "update_frequency_unit", "geo_coverage", "data_source", "data_category",
                   "license_id")
#: Required multiple-choice fields: "Select at least one".
REQUIRED_MULTIPLE_CHOICE = ("objective", "data_format")

#: Licences a CKAN licence register marks open (``isopen``); an assumption:
#: thai_gdc's register is not public, CKAN's own marks the NC/ND ones closed.
OPEN_LICENSES = frozenset({"Open Data Common", "Creative Commons Attributions",
                           "Creative Commons Attribution Share-Alike"})

#: CKAN's package table columns and the structure package_show adds: every
#: other top-level key of a dataset is an extra (a thai_gdc field).
CORE_KEYS = frozenset({
    "id", "name", "title", "version", "url", "notes", "license_id", "author", "author_email",
    "maintainer", "maintainer_email", "state", "type", "owner_org", "private", "metadata_created",
    "metadata_modified", "creator_user_id", "resources", "tags", "groups", "organization",
    "extras", "relationships_as_object", "relationships_as_subject", "num_resources",
    "num_tags", "license_title", "license_url", "isopen", "tracking_summary", "tag_string"})

SYSADMIN_USER_ID = "4f8a0c5e-3b1d-4e2a-9c7f-6d5e4c3b2a10"
_ID_NAMESPACE = uuid.UUID("6b1f3a52-9d0e-4c47-8f2b-0a1d2c3e4f50")


def _clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars); much faster
    than ``copy.deepcopy``, which matters for catalogs of thousands."""
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clone(item) for item in value]
    return value


def utcnow() -> dt.datetime:
    """Naive UTC now, as CKAN's ``datetime.utcnow()``."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def ckan_timestamp(moment: dt.datetime) -> str:
    """A timestamp as CKAN's dictization writes it (``isoformat()``)."""
    return moment.isoformat()


def solr_timestamp(moment: dt.datetime) -> str:
    """A timestamp as Solr returns a stored date: millisecond precision, Z."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    millis = moment.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def parse_ckan_timestamp(text: str) -> dt.datetime:
    """A CKAN timestamp (naive ISO) back to a datetime."""
    return dt.datetime.fromisoformat(text.rstrip("Z"))


# --------------------------------------------------------------------------
# Organizations and realistic datasets.

_ORGANIZATION_TITLES = {
    "trade-stat": ("สำนักงานสถิติการค้า", "หน่วยงานจัดทำสถิติการค้าระหว่างประเทศและการค้าภายในประเทศ"),
    "agri-data": ("ศูนย์ข้อมูลการเกษตร", "ศูนย์กลางข้อมูลด้านการเกษตร ผลผลิต และราคาสินค้าเกษตร"),
}


def organization_id(name: str) -> str:
    """The id :func:`sample_organizations` gives the organization ``name``
    (stable, so datasets made apart from their organization point at it)."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"organization:{name}"))


def sample_organizations(names: Iterable[str]) -> list[dict[str, Any]]:
    """thai_gdc organization dicts (the summary ``package_show`` embeds),
    one per name, with Thai titles and stable ids."""
    organizations = []
    for index, name in enumerate(names):
        title, description = _ORGANIZATION_TITLES.get(
            name, (f"หน่วยงาน {name}", f"หน่วยงานภาครัฐ ({name}) ผู้เผยแพร่ข้อมูลเปิด"))
        created = dt.datetime(2020, 6, 15, 9, 17, 23, 451234) + dt.timedelta(days=index * 37)
        organizations.append({
            "id": organization_id(name), "name": name, "title": title, "type": "organization",
            "description": description, "image_url": f"{name}-logo.png",
            "created": ckan_timestamp(created), "is_organization": True,
            "approval_status": "approved", "state": "active",
        })
    return organizations


_TOPICS = (  # Thai topic, ASCII slug, tags
    ("สถิติการส่งออกสินค้า", "export-statistics", ("การค้า", "ส่งออก")),
    ("สถิติการนำเข้าสินค้า", "import-statistics", ("การค้า", "นำเข้า")),
    ("ผลผลิตข้าวนาปี", "rice-production", ("เกษตร", "ข้าว")),
    ("พื้นที่เพาะปลูกยางพารา", "rubber-plantation-area", ("เกษตร", "ยางพารา")),
    ("ราคาสินค้าเกษตร", "farm-prices", ("เกษตร", "ราคา")),
    ("เกษตรกรที่ขึ้นทะเบียน", "registered-farmers", ("เกษตร", "ทะเบียน")),
    ("ทะเบียนโรงงานอุตสาหกรรม", "factory-registry", ("อุตสาหกรรม", "ทะเบียน")),
    ("สถานประกอบการ", "business-establishments", ("ธุรกิจ",)),
    ("ขอบเขตการปกครองระดับตำบล", "subdistrict-boundaries", ("แผนที่", "GIS")),
    ("แหล่งน้ำเพื่อการเกษตร", "agricultural-water-sources", ("น้ำ", "เกษตร")),
    ("ดัชนีราคาผู้บริโภค", "consumer-price-index", ("สถิติ", "ราคา")),
    ("มูลค่าการค้าชายแดน", "border-trade-value", ("การค้า", "ชายแดน")),
    ("นักท่องเที่ยวต่างชาติ", "foreign-tourists", ("ท่องเที่ยว",)),
    ("ผลการเบิกจ่ายงบประมาณ", "budget-disbursement", ("งบประมาณ",)),
    ("จุดบริการประชาชน", "public-service-points", ("บริการประชาชน", "แผนที่")),
    ("ปริมาณน้ำฝน", "rainfall", ("น้ำ", "สภาพอากาศ")),
    ("คุณภาพอากาศ PM2.5", "air-quality-pm25", ("สิ่งแวดล้อม", "PM2.5")),
    ("ทะเบียนผู้ส่งออก", "exporter-registry", ("ส่งออก", "ทะเบียน")),
    ("เส้นทางคมนาคมขนส่ง", "transport-routes", ("คมนาคม", "GIS")),
    ("ผู้ประกอบการวิสาหกิจชุมชน", "community-enterprises", ("ธุรกิจ", "ชุมชน")),
)
_QUALIFIERS = (("รายจังหวัด", "by-province"), ("รายเดือน", "monthly"), ("รายไตรมาส", "quarterly"),
               ("รายปี", "yearly"), ("จำแนกตามประเภทสินค้า", "by-product"), ("ทั่วประเทศ", "nationwide"))
_EXTRA_TAGS = ("ข้อมูลเปิด", "open-data", "จังหวัด", "รายงาน", "สถิติ")
_UNITS = ("บาท", "ตัน", "คน", "ไร่", "ราย", "มิลลิเมตร", "ไมโครกรัมต่อลูกบาศก์เมตร")
_FORMATS = (("CSV", "csv", "text/csv", "CSV"), ("XLSX", "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLS"),
            ("PDF", "pdf", "application/pdf", "PDF"))
_OTHER_TEXTS = {
    "data_type_other": "ข้อมูลเอกสารเผยแพร่", "objective_other": "ตามคำขอของหน่วยงานกำกับ",
    "update_frequency_unit_other": "ตามรอบการสำรวจ", "geo_coverage_other": "เขตพัฒนาพิเศษภาคตะวันออก",
    "data_format_other": "KML", "license_id_other": "เงื่อนไขการใช้ข้อมูลของหน่วยงาน",
    "data_support_other": "สหกรณ์การเกษตร", "data_collect_other": "ร้านค้า",
    "data_language_other": "ภาษาถิ่น", "disaggregate_other": "ช่วงเวลา",
    "unit_of_multiplier_other": "ต่อพันคน", "equivalent_scale_other": "1:100,000",
    "resource_data_collect_other": "ร้านค้า", "resource_disaggregate_other": "ช่วงเวลา",
    "resource_unit_of_multiplier_other": "ต่อพันคน", "resource_equivalent_scale_other": "1:100,000",
}


def _pick_choice(rng: random.Random, field_name: str, other_rate: float = 0.12) -> str:
    """One choice of ``field_name``: "อื่นๆ" about ``other_rate`` of the time
    (when the field has it), otherwise one of the others."""
    choices = CHOICES[field_name]
    if OTHER_CHOICE in choices and rng.random() < other_rate:
        return OTHER_CHOICE
    return rng.choice([c for c in choices if c != OTHER_CHOICE])


def _stable_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso_date(day: dt.date) -> str:
    return day.isoformat()


def sample_datasets(count: int, *, seed: int = 0,
                    organizations: Sequence[str] = ("trade-stat", "agri-data"),
                    site_url: str = "https://data.go.th") -> list[dict[str, Any]]:
    """``count`` realistic thai_gdc datasets, the same for the same seed.

    The data types take turns (so any five in a row cover all of them);
    every thai_gdc field is present, filled for the data types that show it
    and empty ("" or []) for the others, as the thai_gdc form saves them.
    Choice fields are sometimes "อื่นๆ" with their ``<field>_other`` text;
    about one in fifteen is public on the catalog although its governance
    fields say it is not disclosable (ข้อมูลส่วนบุคคล/ลับ or
    ข้อมูลใช้ภายใน/ชั้นเผยแพร่ภายในองค์กร). Each has 1–3 resources: links
    to ``<site_url>/dataset/<id>/resource/<rid>/download/<file>``, and about
    a third uploaded to the catalog (``url_type`` "upload": the URL is then
    the file name, rendered against the serving site by package_show).
    Names are unique ASCII slugs of at most 70 characters; titles unique.
    Timestamps are set when the datasets are added to a catalog."""
    rng = random.Random(seed)
    site_url = site_url.rstrip("/")
    org_names = list(organizations) or ["trade-stat"]
    org_dicts = {o["name"]: o for o in sample_organizations(org_names)}
    org_titles = {name: o["title"] for name, o in org_dicts.items()}
    datasets: list[dict[str, Any]] = []
    names: set[str] = set()
    titles: set[str] = set()
    for index in range(count):
        data_type = DATA_TYPES[index % len(DATA_TYPES)]
        letter = _TYPE_LETTER[data_type]
        org_name = org_names[index % len(org_names)]
        topic, slug, topic_tags = rng.choice(_TOPICS)
        qualifier, qualifier_slug = rng.choice(_QUALIFIERS)
        year = rng.randint(2560, 2568)
        title = f"{topic} {qualifier} พ.ศ. {year}"
        name = f"{slug}-{qualifier_slug}-{year - 543}"
        serial = 1
        while title in titles or name in names:
            serial += 1
            title = f"{topic} {qualifier} พ.ศ. {year} ชุดที่ {serial}"
            name = f"{slug}-{qualifier_slug}-{year - 543}-{serial}"
        titles.add(title)
        names.add(name)
        dataset_id = "item_" + _stable_uuid(rng)

        undisclosable = index % 15 == 7
        if undisclosable:
            category, classification = rng.choice((("ข้อมูลส่วนบุคคล", "ลับ"),
                                                   ("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร")))
        else:
            category, classification = "ข้อมูลสาธารณะ", "เปิดเผย"
        license_roll = rng.random()
        license_id = ("Open Data Common" if license_roll < 0.78 else
                      "License not specified" if license_roll < 0.88 else
                      "Creative Commons Attributions" if license_roll < 0.96 else OTHER_CHOICE)

        formats = rng.sample(_FORMATS, rng.randint(1, 3))
        first_day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
        last_day = first_day + dt.timedelta(days=rng.randint(30, 900))
        dataset: dict[str, Any] = {
            "id": dataset_id, "name": name, "title": title,
            "notes": (f"ชุดข้อมูล{topic}{qualifier} ประจำปี พ.ศ. {year} จัดทำโดย{org_titles[org_name]} "
                      f"เพื่อเผยแพร่ต่อสาธารณะตามนโยบายข้อมูลเปิดภาครัฐ\n\n"
                      f"ข้อมูลประกอบด้วยรายการ{topic}ที่ปรับปรุงล่าสุดเมื่อ {_iso_date(last_day)}"),
            "owner_org": organization_id(org_name), "organization": dict(org_dicts[org_name]),
            "private": False, "state": "active",
            "type": "dataset", "url": "", "version": None, "author": None, "author_email": None,
            "maintainer": rng.choice(("กลุ่มงานสถิติและสารสนเทศ", "ฝ่ายเทคโนโลยีสารสนเทศ",
                                      "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")),
            "maintainer_email": f"opendata@{org_name}.go.th",
            "license_id": license_id,
            "tags": [{"name": t} for t in
                     dict.fromkeys(list(topic_tags) + rng.sample(_EXTRA_TAGS, rng.randint(0, 2)))],
            "creator_user_id": SYSADMIN_USER_ID,
        }
        for field_name in DATASET_FIELDS:
            dataset[field_name] = [] if field_name in MULTIPLE_CHOICE else ""
        values: dict[str, Any] = {
            "data_type": data_type,
            "allow_harvest": "True" if rng.random() < 0.9 else "False",
            "objective": sorted({_pick_choice(rng, "objective", 0.1) for _ in range(rng.randint(1, 2))},
                                key=CHOICES["objective"].index),
            "update_frequency_unit": _pick_choice(rng, "update_frequency_unit", 0.06),
            "update_frequency_interval": str(rng.choice((1, 1, 1, 3, 6))),
            "geo_coverage": _pick_choice(rng, "geo_coverage", 0.08),
            "data_source": f"{org_titles[org_name]} ({rng.choice(('ระบบทะเบียน', 'การสำรวจ', 'รายงานประจำปี'))})",
            "data_format": list(dict.fromkeys(f[3] for f in formats)),
            "data_category": category, "data_classification": classification,
            "accessible_condition": ("ไม่มีการจำกัดการเข้าถึงข้อมูล" if category == "ข้อมูลสาธารณะ"
                                     else "เฉพาะเจ้าหน้าที่ที่ได้รับอนุญาต"),
            "data_language": (["ไทย"] if rng.random() < 0.7 else ["ไทย", "อังกฤษ"]
                              if rng.random() < 0.8 else ["ไทย", OTHER_CHOICE]),
            "last_updated_date": _iso_date(last_day),
        }
        if license_id == OTHER_CHOICE:
            values["license_id_other"] = _OTHER_TEXTS["license_id_other"]
        if letter == "O":
            values["data_type_other"] = _OTHER_TEXTS["data_type_other"]
        if letter in "RMO":
            values.update({
                "data_support": _pick_choice(rng, "data_support"),
                "data_collect": _pick_choice(rng, "data_collect"),
                "created_date": _iso_date(first_day),
                "high_value_dataset": rng.choice(_TRUE_FALSE),
                "reference_data": rng.choice(_TRUE_FALSE),
            })
        if letter in "SG":
            values["data_release_calendar"] = _iso_date(last_day + dt.timedelta(days=rng.randint(30, 120)))
        if letter == "S":
            first_year = rng.randint(2560, 2567)
            values.update({
                "first_year_of_data": str(first_year),
                "last_year_of_data": str(rng.randint(first_year, 2568)),
                "disaggregate": sorted({_pick_choice(rng, "disaggregate", 0.1)
                                        for _ in range(rng.randint(1, 3))},
                                       key=CHOICES["disaggregate"].index),
                "unit_of_measure": rng.choice(_UNITS),
                "unit_of_multiplier": _pick_choice(rng, "unit_of_multiplier", 0.08),
                "calculation_method": "ผลรวมของรายการที่รายงานในรอบระยะเวลา",
                "standard": rng.choice(("มาตรฐานการจัดทำสถิติของสำนักงานสถิติแห่งชาติ", "ISIC Rev.4", "")),
                "official_statistics": rng.choice(_TRUE_FALSE),
            })
        if letter == "G":
            west = round(rng.uniform(97.3, 101.0), 4)
            south = round(rng.uniform(5.6, 15.0), 4)
            values.update({
                "geographic_data_set": _pick_choice(rng, "geographic_data_set"),
                "equivalent_scale": _pick_choice(rng, "equivalent_scale"),
                "west_bound_longitude": str(west),
                "east_bound_longitude": str(round(west + rng.uniform(0.5, 4.5), 4)),
                "south_bound_longitude": str(south),
                "north_bound_longitude": str(round(south + rng.uniform(0.5, 5.0), 4)),
                "positional_accuracy": "± 5 เมตร",
                "reference_period": f"พ.ศ. {year}",
                "data_release_date": _iso_date(last_day),
            })
        dataset.update(values)
        for field_name in list(values):
            other = f"{field_name}_other"
            chosen = values[field_name]
            if other in _OTHER_TEXTS and (chosen == OTHER_CHOICE or (
                    isinstance(chosen, list) and OTHER_CHOICE in chosen)):
                dataset[other] = _OTHER_TEXTS[other]
        dataset["resources"] = [
            _sample_resource(rng, dataset, position, fmt, site_url, letter, topic, qualifier, year)
            for position, fmt in enumerate(formats)]
        datasets.append(dataset)
    return datasets


def _sample_resource(rng: random.Random, dataset: dict[str, Any], position: int,
                     fmt: tuple[str, str, str, str], site_url: str, letter: str, topic: str,
                     qualifier: str, year: int) -> dict[str, Any]:
    """One resource of a sample dataset, with the resource_* fields its data type shows."""
    label, extension, mimetype, _ = fmt
    resource_id = _stable_uuid(rng)
    file_name = f"{dataset['name'][:40]}-{position + 1}.{extension}"
    uploaded = rng.random() < 0.33
    resource: dict[str, Any] = {
        "id": resource_id,
        "name": (f"เอกสารอธิบาย{topic}" if label == "PDF" else f"{topic} {qualifier} ปี {year}"),
        "description": f"ไฟล์ {label} ของชุดข้อมูล{topic}",
        "format": label, "mimetype": mimetype,
        "url": (file_name if uploaded else
                f"{site_url}/dataset/{dataset['id']}/resource/{resource_id}/download/{file_name}"),
        "url_type": "upload" if uploaded else "",
        "size": rng.randint(2_000, 5_000_000) if uploaded else None,
    }
    for field_name in RESOURCE_FIELDS:
        resource[field_name] = [] if field_name in MULTIPLE_CHOICE else ""
    resource["resource_accessible_condition"] = dataset["accessible_condition"]
    resource["resource_last_updated_date"] = dataset["last_updated_date"]
    if letter in "RGMO":
        resource["resource_created_date"] = dataset.get("created_date") or dataset["last_updated_date"]
    if letter in "RMO":
        resource["resource_data_collect"] = _pick_choice(rng, "resource_data_collect")
    if letter == "S":
        resource.update({
            "resource_first_year_of_data": dataset["first_year_of_data"],
            "resource_last_year_of_data": dataset["last_year_of_data"],
            "resource_disaggregate": list(dataset["disaggregate"]),
            "resource_unit_of_measure": dataset["unit_of_measure"],
            "resource_unit_of_multiplier": _pick_choice(rng, "resource_unit_of_multiplier", 0.08),
            "resource_data_release_calendar": dataset["data_release_calendar"],
            "resource_official_statistics": dataset["official_statistics"],
        })
    if letter == "G":
        resource.update({
            "resource_geographic_data_set": dataset["geographic_data_set"],
            "resource_equivalent_scale": _pick_choice(rng, "resource_equivalent_scale"),
            "resource_positional_accuracy": dataset["positional_accuracy"],
            "resource_data_release_date": dataset["data_release_date"],
        })
    for field_name, value in list(resource.items()):
        other = f"{field_name}_other"
        if other in _OTHER_TEXTS and (value == OTHER_CHOICE or (
                isinstance(value, list) and OTHER_CHOICE in value)):
            resource[other] = _OTHER_TEXTS[other]
    return resource


# --------------------------------------------------------------------------
# Solr dates.

_SOLR_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")
_DATE_MATH = re.compile(r"([+-]\d+|/)(YEARS?|MONTHS?|DAYS?|DATE|HOURS?|MINUTES?|SECONDS?|"
                        r"MILLIS(?:ECONDS?)?|MILLI)")


def truncate_to_millis(moment: dt.datetime) -> dt.datetime:
    """Solr keeps dates to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def parse_solr_date(text: str, now: Callable[[], dt.datetime] = utcnow) -> dt.datetime:
    """A Solr date or date-math expression (``2024-01-01T00:00:00Z``,
    ``NOW``, ``NOW-1DAY``, ``NOW/DAY+1DAY``...) as a naive UTC datetime at
    millisecond precision. Anything else raises :class:`SearchError` with
    Solr's "Invalid Date String" message."""
    if text.startswith("NOW"):
        moment, rest = now(), text[3:]
    else:
        match = _SOLR_DATE.match(text)
        if not match:
            raise SearchError(f"Invalid Date String:'{text}'")
        year, month, day, hour, minute, second, fraction = match.groups()
        try:
            moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                                 int(second), int((fraction or "0").ljust(6, "0")[:6]))
        except ValueError:
            raise SearchError(f"Invalid Date String:'{text}'") from None
        rest = text[match.end():]
    position = 0
    while position < len(rest):
        step = _DATE_MATH.match(rest, position)
        if not step:
            raise SearchError(f"Invalid Date in Date Math String:'{text}'")
        moment = _apply_date_math(moment, step.group(1), step.group(2))
        position = step.end()
    return truncate_to_millis(moment)


def _apply_date_math(moment: dt.datetime, operator: str, unit: str) -> dt.datetime:
    """One step of Solr date math: ``/UNIT`` rounds down, ``+N``/``-N`` adds."""
    if unit.startswith("MILLI"):
        unit = "MILLIS"
    elif unit == "DATE":
        unit = "DAY"
    else:
        unit = unit.rstrip("S")
    if operator == "/":
        if unit == "YEAR":
            return moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        if unit == "MONTH":
            return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if unit == "DAY":
            return moment.replace(hour=0, minute=0, second=0, microsecond=0)
        if unit == "HOUR":
            return moment.replace(minute=0, second=0, microsecond=0)
        if unit == "MINUTE":
            return moment.replace(second=0, microsecond=0)
        if unit == "SECOND":
            return moment.replace(microsecond=0)
        return truncate_to_millis(moment)
    amount = int(operator)
    if unit in ("YEAR", "MONTH"):
        months = moment.month - 1 + amount * (12 if unit == "YEAR" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0)
                               else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
        return moment.replace(year=year, month=month, day=day)
    seconds = {"DAY": 86400, "HOUR": 3600, "MINUTE": 60, "SECOND": 1, "MILLIS": 0.001}[unit]
    return moment + dt.timedelta(seconds=amount * seconds)


# --------------------------------------------------------------------------
# The Lucene classic query parser (default operator AND).

MUST, SHOULD, MUST_NOT = "+", "", "-"


@dataclass(frozen=True)
class MatchAll:
    """``*:*``."""


@dataclass(frozen=True)
class Term:
    """``field:value``; ``kind`` is term, phrase, prefix, wildcard or exists."""

    field: str
    value: str
    kind: str = "term"


@dataclass(frozen=True)
class Range:
    """``field:[low TO high]`` (``None`` for ``*``), brackets inclusive, braces not."""

    field: str
    low: Optional[str]
    high: Optional[str]
    include_low: bool
    include_high: bool


@dataclass(frozen=True)
class BooleanQuery:
    """Clauses ``(occur, node)``, matched as Lucene does: every MUST clause
    if there is one (SHOULD clauses are then optional), else at least one
    SHOULD clause; never a MUST_NOT clause. Only MUST_NOT clauses: all other
    documents (Solr makes pure negative queries match all minus them)."""

    clauses: tuple[tuple[str, Any], ...]


_FIELD_PREFIX = re.compile(r"([A-Za-z_*][\w.\-]*)\s*:")
_TERM_END = set(' \t\r\n()"[]{}^~:\\')


class _LuceneParser:
    """Parses one query string; see :func:`parse_lucene`."""

    def __init__(self, text: str, default_field: str):
        self.text = text
        self.pos = 0
        self.default_field = default_field

    def fail(self, what: str) -> SearchError:
        return SearchError(f"org.apache.solr.search.SyntaxError: Cannot parse '{self.text}': "
                           f"{what} at position {self.pos}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def keyword(self, *words: str) -> Optional[str]:
        for word in words:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and (
                    word in ("&&", "||", "!", "+", "-") or end == len(self.text)
                    or self.text[end].isspace() or self.text[end] in "()"):
                return word
        return None

    def parse(self) -> Any:
        node = self.query(self.default_field, closing=False)
        self.skip_space()
        if self.pos < len(self.text):
            raise self.fail("Encountered unexpected text")
        return node

    def query(self, field_name: str, closing: bool) -> Any:
        clauses: list[list[Any]] = []
        while True:
            self.skip_space()
            if self.pos >= len(self.text) or (closing and self.text[self.pos] == ")"):
                break
            conjunction = None
            word = self.keyword("AND", "&&", "OR", "||")
            if word:
                if not clauses:
                    raise self.fail(f"Encountered \"{word}\"")
                conjunction = "AND" if word in ("AND", "&&") else "OR"
                self.pos += len(word)
                self.skip_space()
            modifier = None
            word = self.keyword("NOT", "!", "+", "-")
            if word:
                modifier = "+" if word == "+" else "-"
                self.pos += len(word)
            node = self.clause(field_name)
            # Lucene's QueryParserBase.addClause with the AND operator.
            if clauses and conjunction == "AND" and clauses[-1][0] != MUST_NOT:
                clauses[-1][0] = MUST
            if clauses and conjunction == "OR" and clauses[-1][0] != MUST_NOT:
                clauses[-1][0] = SHOULD
            prohibited = modifier == "-"
            required = not prohibited and conjunction != "OR"
            clauses.append([MUST if required else MUST_NOT if prohibited else SHOULD, node])
        if len(clauses) == 1 and clauses[0][0] != MUST_NOT:
            return clauses[0][1]
        return BooleanQuery(tuple((occur, node) for occur, node in clauses))

    def clause(self, field_name: str) -> Any:
        self.skip_space()
        match = _FIELD_PREFIX.match(self.text, self.pos)
        if match:
            field_name = match.group(1)
            self.pos = match.end()
            self.skip_space()
            if field_name == "*":
                if self.read_word() != "*":
                    raise self.fail("Only *:* may use the field *")
                return MatchAll()
        return self.value(field_name)

    def value(self, field_name: str) -> Any:
        if self.pos >= len(self.text):
            raise self.fail("Encountered \"<EOF>\"")
        char = self.text[self.pos]
        if char == "(":
            self.pos += 1
            node = self.query(field_name, closing=True)
            self.skip_space()
            if self.pos >= len(self.text) or self.text[self.pos] != ")":
                raise self.fail("Encountered \"<EOF>\", expected \")\"")
            self.pos += 1
            self.skip_modifiers()
            return node
        if char in "[{":
            return self.range(field_name)
        if char == '"':
            phrase = self.phrase()
            self.skip_modifiers()
            return Term(field_name, phrase, "phrase")
        word = self.read_word()
        if not word:
            raise self.fail(f"Encountered \"{char}\"")
        self.skip_modifiers()
        if word == "*":
            return Term(field_name, "*", "exists")
        plain = re.sub(r"\\(.)", r"\1", word)
        wildcards = [i for i, c in enumerate(word) if c in "*?" and (i == 0 or word[i - 1] != "\\")]
        if not wildcards:
            return Term(field_name, plain)
        if wildcards == [len(word) - 1] and word.endswith("*"):
            return Term(field_name, plain[:-1], "prefix")
        return Term(field_name, word, "wildcard")

    def range(self, field_name: str) -> Range:
        include_low = self.text[self.pos] == "["
        self.pos += 1
        low = self.bound()
        self.skip_space()
        if not self.text.startswith("TO", self.pos):
            raise self.fail("Expected TO in a range")
        self.pos += 2
        high = self.bound()
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] not in "]}":
            raise self.fail("Expected ] or } to close the range")
        include_high = self.text[self.pos] == "]"
        self.pos += 1
        self.skip_modifiers()
        return Range(field_name, low, high, include_low, include_high)

    def bound(self) -> Optional[str]:
        self.skip_space()
        if self.pos < len(self.text) and self.text[self.pos] == '"':
            return self.phrase()
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace() \
                and self.text[self.pos] not in "]}":
            self.pos += 1
        value = self.text[start:self.pos]
        if not value:
            raise self.fail("Expected a range bound")
        return None if value == "*" else re.sub(r"\\(.)", r"\1", value)

    def phrase(self) -> str:
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == '"':
                return "".join(out)
            out.append(char)
        raise self.fail("Lexical error: unclosed quote")

    def read_word(self) -> str:
        start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 2
                continue
            if char in _TERM_END:
                break
            self.pos += 1
        return self.text[start:self.pos]

    def skip_modifiers(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in "^~":
            self.pos += 1
            while self.pos < len(self.text) and (self.text[self.pos].isdigit()
                                                 or self.text[self.pos] == "."):
                self.pos += 1


def parse_lucene(text: str, default_field: str = "text") -> Any:
    """Parse ``text`` as Solr's standard query parser does with ``q.op=AND``
    (see :class:`BooleanQuery` for how the clauses match). An empty text
    matches nothing but is not an error; bad syntax raises :class:`SearchError`."""
    if not text.strip():
        return BooleanQuery(())
    return _LuceneParser(text, default_field).parse()


# --------------------------------------------------------------------------
# The search index.

#: Solr ``string`` fields of CKAN's schema (exact, case-sensitive); every
#: field not listed here or as text/date is a dynamic ``*`` string field too.
_MULTI_VALUED = frozenset({"tags", "groups", "res_name", "res_description", "res_format",
                           "res_url", "res_type", "text", "urls"})
_TEXT_FIELDS = frozenset({"title", "notes", "text", "urls", "res_name", "res_description", "author",
                          "author_email", "maintainer", "maintainer_email"})
_STORED_CORE = ("id", "site_id", "title", "entity_type", "dataset_type", "state", "name",
                "version", "url", "notes", "author", "author_email", "maintainer",
                "maintainer_email", "license_id", "tags", "groups", "organization", "capacity",
                "res_name", "res_description", "res_format", "res_url", "res_type",
                "metadata_created", "metadata_modified", "index_id")
_TOKEN_SPLIT = re.compile(r"[^\w\u0E00-\u0E7F]+")
SITE_ID = "default"


def tokenize(text: str) -> list[str]:
    """Lower-cased words of ``text`` (Thai runs stay whole)."""
    return [t for t in _TOKEN_SPLIT.split(text.lower()) if t]


def _is_date_field(name: str) -> bool:
    return name in ("metadata_created", "metadata_modified", "indexed_ts") or name.endswith("_date")


def _extra_text(value: Any) -> Optional[str]:
    """An extra's stored text: strings as they are, lists as scheming stores them (JSON)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


class _Document:
    """One dataset as Solr indexes it (the fields CKAN's indexer writes):
    CKAN's own fields in ``core``, each extra (thai_gdc field) as its
    stored text, read both as ``<key>`` and ``extras_<key>``, and the
    catch-all ``text`` field built when first searched."""

    def __init__(self, dataset: dict[str, Any], docid: int):
        self.id: str = dataset["id"]
        self.docid = docid
        self.public = dataset.get("state") == "active" and not dataset.get("private")
        core: dict[str, list[str]] = {}
        for name in ("id", "name", "title", "notes", "state", "owner_org", "license_id", "url",
                     "version", "author", "author_email", "maintainer", "maintainer_email"):
            value = dataset.get(name)
            if value:
                core[name] = [str(value)]
        core["site_id"] = [SITE_ID]
        core["entity_type"] = ["package"]
        core["dataset_type"] = [dataset.get("type") or "dataset"]
        core["capacity"] = ["private" if dataset.get("private") else "public"]
        core["private"] = ["true" if dataset.get("private") else "false"]
        organization = dataset.get("organization") or {}
        if organization.get("name"):
            core["organization"] = [organization["name"]]
        core["tags"] = [tag["name"] for tag in dataset.get("tags") or []]
        core["groups"] = [group["name"] for group in dataset.get("groups") or []]
        resources = dataset.get("resources") or []
        for source, target in (("name", "res_name"), ("description", "res_description"),
                               ("format", "res_format"), ("url", "res_url"),
                               ("resource_type", "res_type")):
            core[target] = [_extra_text(r.get(source)) or "" for r in resources]
        if dataset.get("url"):
            core["urls"] = [dataset["url"]]
        self.core = core
        self.extras: dict[str, str] = {}
        self.dates: dict[str, Optional[dt.datetime]] = {}
        for key, value in dataset.items():
            if key in CORE_KEYS or value is None:
                continue
            text = _extra_text(value)
            self.extras[key] = text  # type: ignore[assignment]
            if key.endswith("_date") and text:
                try:
                    self.dates[key] = dt.datetime.fromisoformat(text[:26].rstrip("Z"))
                except ValueError:
                    pass  # CKAN skips (and logs) a *_date value that is not a date
        for name in ("metadata_created", "metadata_modified"):
            self.dates[name] = truncate_to_millis(parse_ckan_timestamp(dataset[name]))
        self._tokens: dict[str, list[str]] = {}

    def values(self, name: str) -> list[str]:
        """The indexed values of a field ([] when the document has none)."""
        found = self.core.get(name)
        if found is not None:
            return found
        if name == "text":
            sources = ("name", "title", "notes", "tags", "groups", "organization", "res_name",
                       "res_description", "maintainer", "author", "urls")
            found = [v for source in sources for v in self.core.get(source, [])]
            found += [v for v in self.extras.values() if v]
            self.core["text"] = found
            return found
        text = self.extras.get(name[len("extras_"):] if name.startswith("extras_") else name)
        return [text] if text else []

    def tokens(self, name: str) -> list[str]:
        """The words of a text field (computed once)."""
        if name not in self._tokens:
            self._tokens[name] = [t for v in self.values(name) for t in tokenize(v)]
        return self._tokens[name]

    def stored(self, requested: Sequence[str]) -> dict[str, Any]:
        """The fields Solr returns for ``fl``, as CKAN's package_search hands
        them back: ``extras_<key>`` under ``key``, dates in Solr's form."""
        wanted = set(requested)
        everything = "*" in wanted
        out: dict[str, Any] = {}
        for name in _STORED_CORE:
            if not (everything or name in wanted):
                continue
            if name in ("metadata_created", "metadata_modified"):
                out[name] = solr_timestamp(self.dates[name])  # type: ignore[arg-type]
            elif name == "index_id":
                out[name] = uuid.uuid5(_ID_NAMESPACE, self.id).hex
            elif name in _MULTI_VALUED:
                out[name] = list(self.values(name))
            elif self.values(name):
                out[name] = self.values(name)[0]
        for key, moment in self.dates.items():
            if key.endswith("_date") and moment and (everything or key in wanted):
                out[key] = solr_timestamp(moment)
        out.update({key: text for key, text in self.extras.items()
                    if everything or f"extras_{key}" in wanted})
        return out


Predicate = Callable[["_Document"], bool]


class _Matcher:
    """Compiles parsed queries into predicates on documents, once per search."""

    def __init__(self, now: Callable[[], dt.datetime]):
        self.now = now
        self._dates: dict[str, dt.datetime] = {}

    def date(self, text: str) -> dt.datetime:
        """A Solr date bound, parsed once per search (NOW stays the same within one)."""
        if text not in self._dates:
            self._dates[text] = parse_solr_date(text, self.now)
        return self._dates[text]

    def compile(self, node: Any) -> Predicate:
        if isinstance(node, MatchAll):
            return lambda doc: True
        if isinstance(node, BooleanQuery):
            return self.boolean(node)
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Range):
            return self.range(node)
        raise TypeError(node)

    def boolean(self, node: BooleanQuery) -> Predicate:
        if not node.clauses:
            return lambda doc: False
        required = [self.compile(n) for occur, n in node.clauses if occur == MUST]
        optional = [self.compile(n) for occur, n in node.clauses if occur == SHOULD]
        prohibited = [self.compile(n) for occur, n in node.clauses if occur == MUST_NOT]

        def matches(doc: _Document) -> bool:
            for predicate in prohibited:
                if predicate(doc):
                    return False
            if required:
                for predicate in required:
                    if not predicate(doc):
                        return False
                return True
            if optional:
                return any(predicate(doc) for predicate in optional)
            return True

        return matches

    def term(self, node: Term) -> Predicate:
        name, value, kind = node.field, node.value, node.kind
        if kind == "exists":
            return lambda doc: bool(doc.values(name)) or doc.dates.get(name) is not None
        if name in _TEXT_FIELDS or name.startswith("extras_"):
            return self.text_term(name, value, kind)
        if kind == "prefix":
            string_match: Predicate = lambda doc: any(v.startswith(value) for v in doc.values(name))
        elif kind == "wildcard":
            string_match = lambda doc: any(fnmatch.fnmatchcase(v, value)  # noqa: E731
                                           for v in doc.values(name))
        else:
            string_match = lambda doc: value in doc.values(name)  # noqa: E731
        if not _is_date_field(name):
            return string_match

        def date_or_string(doc: _Document) -> bool:
            if name in doc.dates:
                return kind == "term" and doc.dates[name] == self.date(value)
            return string_match(doc)

        return date_or_string

    @staticmethod
    def text_term(name: str, value: str, kind: str) -> Predicate:
        """Whole-word, case-insensitive matching on a tokenized field."""
        if kind == "prefix":
            prefix = value.lower()
            return lambda doc: any(w.startswith(prefix) for w in doc.tokens(name))
        if kind == "wildcard":
            pattern = value.lower()
            return lambda doc: any(fnmatch.fnmatchcase(w, pattern) for w in doc.tokens(name))
        wanted = tokenize(value)
        if not wanted:
            return lambda doc: False
        if len(wanted) == 1:
            word = wanted[0]
            return lambda doc: word in doc.tokens(name)
        size = len(wanted)

        def phrase(doc: _Document) -> bool:
            words = doc.tokens(name)
            return any(words[i:i + size] == wanted for i in range(len(words) - size + 1))

        return phrase

    def range(self, node: Range) -> Predicate:
        include_low, include_high = node.include_low, node.include_high
        name = node.field
        if _is_date_field(name):
            low = self.date(node.low) if node.low is not None else None
            high = self.date(node.high) if node.high is not None else None

            def date_within(doc: _Document) -> bool:
                value = doc.dates.get(name)
                return value is not None and _within(value, low, high, include_low, include_high)

            return date_within
        return lambda doc: any(_within(v, node.low, node.high, include_low, include_high)
                               for v in doc.values(name))


def _within(value: Any, low: Any, high: Any, include_low: bool, include_high: bool) -> bool:
    if low is not None and (value < low or (value == low and not include_low)):
        return False
    if high is not None and (value > high or (value == high and not include_high)):
        return False
    return True


_DEFAULT_QF = "name^4 title^4 tags^2 groups^2 text"


def _dismax(q: str, qf: str) -> tuple[list[tuple[str, str]], list[tuple[str, float]]]:
    """The clauses of a DisMax ``q`` (``(occur, text)``) and the weighted fields."""
    fields = []
    for item in qf.split():
        name, _, weight = item.partition("^")
        fields.append((name, float(weight or 1)))
    clauses = []
    for match in re.finditer(r'([+-]?)(?:"([^"]*)"|(\S+))', q):
        sign, phrase, word = match.groups()
        text = phrase if phrase is not None else word
        if phrase is None and text in ("AND", "OR", "NOT", "&&", "||"):
            continue
        clauses.append((sign, text))
    return clauses, fields


def _minimum_should_match(optional: int) -> int:
    """CKAN's ``mm`` "2<-1 5<80%": up to 2 clauses all, up to 5 all but one, then 80%."""
    if optional <= 2:
        return optional
    if optional <= 5:
        return optional - 1
    return int(optional * 0.8)


# --------------------------------------------------------------------------
# The catalog.


@dataclass
class SearchHits:
    """One search: the number of matches and the requested page of ids."""

    count: int
    ids: list[str]
    scores: dict[str, float] = field(default_factory=dict)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


_NAME_RE = re.compile(r"^[a-z0-9_\-]*$")


class ThaiGdcCatalog:
    """An in-memory thai_gdc catalog: the datasets and organizations a CKAN
    with ckanext-thai_gdc would hold, and its search index.

    ``datasets`` maps id to the stored dataset (``package_show``'s shape,
    uploaded resources' URLs being file names as CKAN stores them);
    ``organizations`` maps id to the organization summary. Change them
    through the methods, which keep names unique, bump ``metadata_modified``
    and refresh the index; ``site_url`` is where uploaded files are served
    when :meth:`show` is called without one; ``clock`` gives naive UTC now
    (for tests that need set times)."""

    def __init__(self, datasets: Iterable[dict[str, Any]] = (),
                 organizations: Iterable[dict[str, Any]] = (), *,
                 site_url: str = "https://data.go.th",
                 clock: Callable[[], dt.datetime] = utcnow):
        self.datasets: dict[str, dict[str, Any]] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        self.site_url = site_url.rstrip("/")
        self.clock = clock
        self.lock = threading.RLock()
        self._ids_by_name: dict[str, str] = {}
        self._documents: dict[str, _Document] = {}
        self._json: dict[str, tuple[str, str]] = {}
        self._docids: dict[str, int] = {}
        self._next_docid = 0
        self._version = 0
        self._last_stamp = dt.datetime.min
        self._search_cache: OrderedDict[Any, tuple[list[str], dict[str, float]]] = OrderedDict()
        for organization in organizations:
            self.add_organization(organization)
        for dataset in datasets:
            self._insert(_clone(dataset), keep_timestamps=False)

    # -- organizations --------------------------------------------------------
    def add_organization(self, organization: dict[str, Any]) -> dict[str, Any]:
        """Add (or replace) an organization; missing keys get thai_gdc defaults."""
        with self.lock:
            name = organization["name"]
            base = sample_organizations([name])[0]
            stored = {**base, **_clone(organization)}
            self.organizations[stored["id"]] = stored
            self._version += 1
            return _clone(stored)

    def organization(self, id_or_name: str) -> Optional[dict[str, Any]]:
        """The stored organization with this id or name (any state), or None."""
        with self.lock:
            if id_or_name in self.organizations:
                return self.organizations[id_or_name]
            for organization in self.organizations.values():
                if organization["name"] == id_or_name:
                    return organization
            return None

    # -- datasets -------------------------------------------------------------
    def get(self, id_or_name: str) -> Optional[dict[str, Any]]:
        """The stored dataset (any state) with this id or name, or None. Not a copy."""
        with self.lock:
            if id_or_name in self.datasets:
                return self.datasets[id_or_name]
            dataset_id = self._ids_by_name.get(id_or_name)
            return self.datasets.get(dataset_id) if dataset_id else None

    def add(self, dataset: dict[str, Any], *, keep_timestamps: bool = False) -> dict[str, Any]:
        """Store a new dataset as package_create would: an ``item_<uuid>`` id
        if it has none, a name from its id if it has none, the organization
        summary from ``owner_org`` (id or name; an unknown name creates the
        organization), ``metadata_created``/``metadata_modified`` now (kept
        as given with ``keep_timestamps``), tag dicts, resource ids,
        ``package_id``/``position`` and the counts. Returns a copy of what
        was stored. A duplicate id or name raises ``ValueError``."""
        with self.lock:
            return _clone(self._insert(_clone(dataset), keep_timestamps))

    def _insert(self, stored: dict[str, Any], keep_timestamps: bool) -> dict[str, Any]:
        """:meth:`add` of a dataset dict the catalog may keep as it is."""
        with self.lock:
            stored.setdefault("id", f"item_{uuid.uuid4()}")
            if stored["id"] in self.datasets:
                raise ValueError(f"dataset id already exists: {stored['id']}")
            stored.setdefault("name", stored["id"].replace("_", "-").lower())
            if stored["name"] in self._ids_by_name:
                raise ValueError(f"dataset name already in use: {stored['name']}")
            now = self._stamp()
            if not (keep_timestamps and stored.get("metadata_modified")):
                stored["metadata_created"] = ckan_timestamp(now)
                stored["metadata_modified"] = ckan_timestamp(now)
            else:
                stored.setdefault("metadata_created", stored["metadata_modified"])
                self._last_stamp = max(self._last_stamp,
                                       parse_ckan_timestamp(stored["metadata_modified"]))
            self._normalize(stored, previous=None)
            self.datasets[stored["id"]] = stored
            self._reindex(stored)
            return stored

    def update(self, id_or_name: str, **fields: Any) -> dict[str, Any]:
        """Change fields of a dataset (any state) and bump ``metadata_modified``
        (or set it, when it is one of ``fields``). Unknown dataset: :class:`NotFound`;
        a name in use: ``ValueError``. Returns a copy of the dataset."""
        with self.lock:
            stored = self._existing(id_or_name)
            changed = {**_clone(stored), **_clone(fields)}
            changed["id"] = stored["id"]
            if "tags" in fields:
                changed.pop("tag_string", None)
            return self._replace(stored, changed, explicit_modified=fields.get("metadata_modified"))

    def replace(self, id_or_name: str, dataset: dict[str, Any]) -> dict[str, Any]:
        """Replace a dataset's fields wholesale (CKAN 2.9's package_update:
        what is not given is gone), keeping its id, creation time and creator."""
        with self.lock:
            stored = self._existing(id_or_name)
            changed = _clone(dataset)
            changed["id"] = stored["id"]
            changed["metadata_created"] = stored["metadata_created"]
            changed.setdefault("creator_user_id", stored.get("creator_user_id"))
            changed.setdefault("state", stored.get("state", "active"))
            changed.setdefault("type", stored.get("type", "dataset"))
            changed.setdefault("name", stored["name"])
            return self._replace(stored, changed, explicit_modified=None)

    def delete(self, id_or_name: str) -> None:
        """State "deleted" (as package_delete): gone from search, package_show
        refuses it to anyone but the sysadmin (CKAN answers 403, not 404)."""
        self.update(id_or_name, state="deleted")

    def make_private(self, id_or_name: str) -> None:
        """Private: hidden from anonymous search and package_show (403)."""
        self.update(id_or_name, private=True)

    def purge(self, id_or_name: str) -> None:
        """Remove the dataset entirely (as dataset_purge): 404 everywhere."""
        with self.lock:
            stored = self._existing(id_or_name)
            del self.datasets[stored["id"]]
            self._ids_by_name.pop(stored["name"], None)
            self._documents.pop(stored["id"], None)
            self._json.pop(stored["id"], None)
            self._docids.pop(stored["id"], None)
            self._version += 1

    def show(self, id_or_name: str, site_url: Optional[str] = None) -> dict[str, Any]:
        """The dataset as package_show gives it (a copy; uploaded resources'
        URLs rendered against ``site_url``). No access check."""
        with self.lock:
            return self._render(self._existing(id_or_name), site_url or self.site_url)

    def show_json(self, dataset_id: str, site_url: str) -> str:
        """:meth:`show` as CKAN's JSON text (kept until the dataset changes)."""
        with self.lock:
            cached = self._json.get(dataset_id)
            if cached and cached[0] == site_url:
                return cached[1]
            text = json.dumps(self._render(self.datasets[dataset_id], site_url))
            self._json[dataset_id] = (site_url, text)
            return text

    def stored_fields(self, dataset_id: str, fl: Sequence[str], site_url: str) -> dict[str, Any]:
        """The Solr-stored fields ``fl`` of a dataset, as package_search returns them."""
        with self.lock:
            out = self._document(self.datasets[dataset_id]).stored(fl)
            for name in ("validated_data_dict", "data_dict"):
                if name in fl or "*" in fl:
                    out[name] = self.show_json(dataset_id, site_url)
            return out

    def warm(self, site_url: str) -> None:
        """Build the search index and every dataset's JSON now, so that the
        first requests are as quick as the others (benchmarks compare runs)."""
        with self.lock:
            self.search(rows=0)
            for dataset_id in self.datasets:
                self.show_json(dataset_id, site_url)

    def package_count(self, organization_id: str, *, include_private: bool) -> int:
        """Active datasets of an organization (public ones only unless ``include_private``)."""
        with self.lock:
            return sum(1 for d in self.datasets.values()
                       if d.get("owner_org") == organization_id and d.get("state") == "active"
                       and (include_private or not d.get("private")))

    # -- search ---------------------------------------------------------------
    def search(self, *, q: str = "*:*", filters: Sequence[str] = (),
               sort: str = "score desc, metadata_modified desc", start: int = 0,
               rows: int = 10, public_only: bool = True, qf: Optional[str] = None,
               facet_fields: Sequence[str] = (), facet_limit: int = 50,
               facet_mincount: int = 1) -> SearchHits:
        """Search the index as Solr does for CKAN's package_search: ``q``
        (DisMax unless it has a colon), each of ``filters`` (Lucene ``fq``
        strings, all must match), ``sort`` (comma-separated "field asc|desc"),
        the page ``start``/``rows``; ``public_only`` keeps the datasets
        anonymous users may see (CKAN's permission labels). The matches are
        remembered per catalog version, so paging through one query is cheap.
        Bad queries raise :class:`SearchError`/:class:`SearchQueryError`."""
        with self.lock:
            key = (self._version, q, tuple(filters), sort, public_only, qf)
            cached = self._search_cache.get(key)
            if cached is None:
                cached = self._run(q, filters, sort, public_only, qf or _DEFAULT_QF)
                self._search_cache[key] = cached
                while len(self._search_cache) > 64:
                    self._search_cache.popitem(last=False)
            else:
                self._search_cache.move_to_end(key)
            ordered, scores = cached
            page = ordered[start:start + rows] if rows > 0 else []
            facets = self._facets(ordered, facet_fields, facet_limit, facet_mincount)
            return SearchHits(len(ordered), page, {i: scores.get(i, 1.0) for i in page}, facets)

    def _run(self, q: str, filters: Sequence[str], sort: str, public_only: bool,
             qf: str) -> tuple[list[str], dict[str, float]]:
        matcher = _Matcher(self.clock)
        predicates = [matcher.compile(parse_lucene(f)) for f in filters if f is not None]
        sort_keys = _parse_sort(sort)
        documents = [self._document(d) for d in self.datasets.values() if d.get("state") != "deleted"]
        documents.sort(key=lambda doc: doc.docid)
        if public_only:
            documents = [doc for doc in documents if doc.public]
        for predicate in predicates:
            documents = [doc for doc in documents if predicate(doc)]
        scores: dict[str, float] = {}
        query = (q or "").strip()
        if not query or query in ('""', "''"):
            query = "*:*"
        if ":" in query:
            predicate = matcher.compile(parse_lucene(query))
            documents = [doc for doc in documents if predicate(doc)]
            scores = {doc.id: 1.0 for doc in documents}
        else:
            documents, scores = self._dismax(documents, query, qf, matcher)
        for name, descending in reversed(sort_keys):
            documents = _sorted(documents, name, descending, scores)
        return [doc.id for doc in documents], scores

    @staticmethod
    def _dismax(documents: list[_Document], q: str, qf: str,
                matcher: _Matcher) -> tuple[list[_Document], dict[str, float]]:
        """DisMax: each clause scores its best field plus 0.1 of the others
        (CKAN's ``tie``); ``+`` clauses must match, ``-`` ones must not, and
        enough of the others must match (``mm``)."""
        clauses, fields = _dismax(q, qf)
        needed = _minimum_should_match(sum(1 for sign, _ in clauses if sign == ""))
        compiled = [(sign, [(matcher.term(Term(name, text, "phrase" if " " in text else "term")),
                             weight) for name, weight in fields])
                    for sign, text in clauses]
        kept, scores = [], {}
        for doc in documents:
            score, matched_optional, rejected = 0.0, 0, False
            for sign, field_predicates in compiled:
                weights = [weight for predicate, weight in field_predicates if predicate(doc)]
                if sign == "-":
                    rejected = rejected or bool(weights)
                    continue
                if not weights:
                    rejected = rejected or sign == "+"
                    continue
                best = max(weights)
                score += best + 0.1 * (sum(weights) - best)
                matched_optional += sign == ""
            if rejected or matched_optional < needed:
                continue
            kept.append(doc)
            scores[doc.id] = score or 1.0
        return kept, scores

    def _facets(self, ordered: list[str], facet_fields: Sequence[str], limit: int,
                mincount: int) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for name in facet_fields:
            counts: dict[str, int] = {}
            for dataset_id in ordered:
                for value in set(self._document(self.datasets[dataset_id]).values(name)):
                    counts[value] = counts.get(value, 0) + 1
            items = sorted(((v, c) for v, c in counts.items() if c >= mincount),
                           key=lambda item: (-item[1], item[0]))
            facets[name] = dict(items if limit < 0 else items[:limit])
        return facets

    # -- internals ------------------------------------------------------------
    @staticmethod
    def _render(stored: dict[str, Any], site_url: str) -> dict[str, Any]:
        """A copy of a stored dataset with its resources' URLs as package_show gives them."""
        shown = _clone(stored)
        for resource in shown.get("resources") or []:
            resource["url"] = render_resource_url(resource, shown["id"], site_url)
        return shown

    def _existing(self, id_or_name: str) -> dict[str, Any]:
        stored = self.get(id_or_name)
        if stored is None:
            raise NotFound()
        return stored

    def _stamp(self) -> dt.datetime:
        """Now, strictly after every timestamp given so far (so a change is
        always later than the one before it, even within a microsecond)."""
        now = self.clock()
        if now <= self._last_stamp:
            now = self._last_stamp + dt.timedelta(microseconds=1)
        self._last_stamp = now
        return now

    def _replace(self, stored: dict[str, Any], changed: dict[str, Any],
                 explicit_modified: Optional[str]) -> dict[str, Any]:
        if changed.get("name") != stored["name"]:
            other = self._ids_by_name.get(changed.get("name", ""))
            if other and other != stored["id"]:
                raise ValueError(f"dataset name already in use: {changed['name']}")
        if explicit_modified:
            changed["metadata_modified"] = explicit_modified
            self._last_stamp = max(self._last_stamp, parse_ckan_timestamp(explicit_modified))
        else:
            changed["metadata_modified"] = ckan_timestamp(self._stamp())
        self._normalize(changed, previous=stored)
        self._ids_by_name.pop(stored["name"], None)
        self.datasets[stored["id"]] = changed
        self._reindex(changed)
        return _clone(changed)

    def _reindex(self, stored: dict[str, Any]) -> None:
        self._ids_by_name[stored["name"]] = stored["id"]
        self._docids[stored["id"]] = self._next_docid  # re-indexed documents go last
        self._next_docid += 1
        self._documents.pop(stored["id"], None)
        self._json.pop(stored["id"], None)
        self._version += 1

    def _document(self, stored: dict[str, Any]) -> _Document:
        document = self._documents.get(stored["id"])
        if document is None:
            document = _Document(stored, self._docids[stored["id"]])
            self._documents[stored["id"]] = document
        return document

    def _normalize(self, stored: dict[str, Any], previous: Optional[dict[str, Any]]) -> None:
        """Fill what CKAN derives: organization, tags, resources, counts, licence."""
        stored.setdefault("state", "active")
        stored.setdefault("type", "dataset")
        stored["private"] = bool(stored.get("private", False))
        for key in ("author", "author_email", "version", "url", "maintainer", "maintainer_email",
                    "notes", "title", "license_id"):
            stored.setdefault(key, None if key in ("author", "author_email", "version") else "")
        stored.setdefault("creator_user_id", SYSADMIN_USER_ID)
        owner = stored.get("owner_org")
        if owner:
            organization = self.organization(owner)
            if organization is None:  # a dataset of an organization not added yet
                given = stored.get("organization")
                if not (isinstance(given, dict) and given.get("name")
                        and owner in (given.get("id"), given.get("name"))):
                    given = {"name": owner}
                added = self.add_organization(given)
                organization = self.organizations[added["id"]]
            stored["owner_org"] = organization["id"]
            stored["organization"] = {key: organization[key] for key in (
                "id", "name", "title", "type", "description", "image_url", "created",
                "is_organization", "approval_status", "state")}
        else:
            stored["owner_org"] = None
            stored["organization"] = None
        tags = stored.get("tags")
        if tags is None and stored.get("tag_string"):
            tags = [t.strip() for t in str(stored.pop("tag_string")).split(",") if t.strip()]
        stored.pop("tag_string", None)
        stored["tags"] = [_tag_dict(t["name"] if isinstance(t, dict) else str(t))
                          for t in (tags or [])]
        previous_resources = {r["id"]: r for r in (previous or {}).get("resources", [])}
        resources = []
        for position, resource in enumerate(stored.get("resources") or []):
            resources.append(_resource_dict(resource, stored, position,
                                            previous_resources.get(resource.get("id", "")),
                                            stored["metadata_modified"]))
        stored["resources"] = resources
        stored.setdefault("groups", [])
        stored.setdefault("relationships_as_object", [])
        stored.setdefault("relationships_as_subject", [])
        stored["num_resources"] = len(resources)
        stored["num_tags"] = len(stored["tags"])
        license_id = stored.get("license_id") or ""
        stored["license_title"] = license_id or None
        stored["isopen"] = license_id in OPEN_LICENSES


def _tag_dict(name: str) -> dict[str, Any]:
    return {"display_name": name, "id": str(uuid.uuid5(_ID_NAMESPACE, f"tag:{name}")),
            "name": name, "state": "active", "vocabulary_id": None}


def _resource_dict(resource: dict[str, Any], dataset: dict[str, Any], position: int,
                   previous: Optional[dict[str, Any]], now: str) -> dict[str, Any]:
    """A resource as CKAN stores it: ids, position, defaults; an upload's
    URL cut to its file name (CKAN's resource_dict_save does the same).
    ``resource`` belongs to a dataset dict already copied for the catalog."""
    stored = dict(resource)
    stored["id"] = stored.get("id") or str(uuid.uuid4())
    stored["package_id"] = dataset["id"]
    stored["position"] = position
    stored.setdefault("state", "active")
    stored.setdefault("created", (previous or {}).get("created") or now)
    for key, default in (("cache_last_updated", None), ("cache_url", None),
                         ("datastore_active", False), ("description", ""), ("format", ""),
                         ("hash", ""), ("last_modified", None), ("mimetype", None),
                         ("mimetype_inner", None), ("name", ""), ("resource_type", None),
                         ("size", None), ("url", ""), ("url_type", "")):
        stored.setdefault(key, default)
    if stored.get("format"):
        stored["format"] = _FORMAT_NAMES.get(str(stored["format"]).lower(), stored["format"])
    if stored.get("url_type") == "upload" and stored.get("url"):
        stored["url"] = str(stored["url"]).rsplit("/", 1)[-1]
    unchanged = previous is not None and all(
        previous.get(k) == v for k, v in stored.items() if k not in ("metadata_modified",
                                                                     "position"))
    stored["metadata_modified"] = (previous or {}).get("metadata_modified", now) if unchanged \
        else now
    return stored


#: CKAN's canonical names of common formats (``clean_format``).
_FORMAT_NAMES = {name.lower(): name for name in (
    "CSV", "XLS", "XLSX", "PDF", "JSON", "XML", "ZIP", "SHP", "GeoJSON", "KML", "TXT", "DOC",
    "DOCX", "HTML", "ODS", "API")}


def _parse_sort(sort: str) -> list[tuple[str, bool]]:
    """``"field asc, other desc"`` as (field, descending) pairs."""
    keys = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        words = part.split()
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise SearchQueryError('Invalid "sort" parameter')
        name = words[0]
        if name in _MULTI_VALUED:
            raise SearchError(f"can not sort on multivalued field: {name}")
        if name in ("notes",):
            raise SearchError(f"can not sort on a field w/o docValues unless it is indexed=true "
                              f"uninvertible=true and the type supports Uninversion: {name}")
        keys.append((name, words[1].lower() == "desc"))
    return keys


def _sort_value(doc: _Document, name: str, scores: dict[str, float]) -> Any:
    if name == "score":
        return scores.get(doc.id, 1.0)
    if _is_date_field(name):
        return doc.dates.get(name)  # an unparsable date is not indexed
    if name in ("title_string", "title"):  # Solr sorts the copy; sorting title is lenient here
        values = doc.values("title")
    else:
        values = doc.values(name)
    return values[0] if values else None


def _sorted(documents: list[_Document], name: str, descending: bool,
            scores: dict[str, float]) -> list[_Document]:
    """A stable sort on one key; documents without the field go last."""
    present, missing = [], []
    for doc in documents:
        value = _sort_value(doc, name, scores)
        if value is None:
            missing.append(doc)
        else:
            present.append((value, doc))
    present.sort(key=lambda item: item[0], reverse=descending)
    return [doc for _, doc in present] + missing


def render_resource_url(resource: dict[str, Any], dataset_id: str, site_url: str) -> str:
    """The URL package_show gives a resource: an upload's download URL on
    ``site_url``, any other URL as stored."""
    if resource.get("url_type") == "upload" and resource.get("url"):
        file_name = str(resource["url"]).rsplit("/", 1)[-1]
        return f"{site_url}/dataset/{dataset_id}/resource/{resource['id']}/download/{file_name}"
    return resource.get("url") or ""


