"""Which datasets may be public.

Only public data (data_category ข้อมูลสาธารณะ) classified as open
(data_classification เปิดเผย) may be public; a dataset of any other category
or classification, or with none given, must stay private. The rule holds for
every user, sysadmins included, and every route that can make a dataset
public (the action API, the dataset form, the organization's bulk "Make
public"); the CKAN glue that applies it lives in ``logic/validators.py`` and
``logic/action/disclosure.py``.
"""
from __future__ import annotations

from ckanext.opendata_th.playbook.messages import Bilingual
from ckanext.opendata_th.playbook.national_schema import FIELDS
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD, OPEN, PUBLIC

_FIELD_LABELS = {
    CATEGORY_FIELD: ("หมวดหมู่ข้อมูล", "data category"),
    CLASSIFICATION_FIELD: ("ระดับชั้นข้อมูล", "data classification"),
}


def _value(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def may_be_public(category: object, classification: object) -> bool:
    """Whether a dataset of this data_category and data_classification may be
    public: public data (ข้อมูลสาธารณะ) classified as open (เปิดเผย) only."""
    return _value(category) == PUBLIC and _value(classification) == OPEN


def _described(field: str, value: object) -> Bilingual:
    """A dataset's category or classification for a message, e.g.
    ``มีหมวดหมู่ข้อมูล “ข้อมูลส่วนบุคคล”`` / ``data category “ข้อมูลส่วนบุคคล” (Personal)``."""
    label_th, label_en = _FIELD_LABELS[field]
    text = _value(value)
    if not text:
        return Bilingual(f"ไม่ได้ระบุ{label_th}", f"no {label_en}")
    choice_en = FIELDS["dataset"][field].choice_labels_en.get(text)
    return Bilingual(f"มี{label_th} “{text}”",
                     f"{label_en} “{text}” ({choice_en})" if choice_en else f"{label_en} “{text}”")


def public_refusal(category: object, classification: object) -> Bilingual | None:
    """Why a dataset of this data_category and data_classification cannot be
    public, or None when it may be."""
    if may_be_public(category, classification):
        return None
    cat = _described(CATEGORY_FIELD, category)
    level = _described(CLASSIFICATION_FIELD, classification)
    public_en = FIELDS["dataset"][CATEGORY_FIELD].choice_labels_en[PUBLIC]
    open_en = FIELDS["dataset"][CLASSIFICATION_FIELD].choice_labels_en[OPEN]
    return Bilingual(
        f"ชุดข้อมูลที่{cat.th} และ{level.th} เผยแพร่เป็นสาธารณะไม่ได้ "
        f"เฉพาะ{PUBLIC}ที่มีระดับชั้นข้อมูล “{OPEN}” เท่านั้นที่เผยแพร่เป็นสาธารณะได้ "
        f"กรุณาเก็บชุดข้อมูลนี้เป็นแบบส่วนตัว (Private)",
        f"A dataset with {cat.en} and {level.en} cannot be public: only "
        f"{public_en.lower()} data ({PUBLIC}) classified as {open_en.lower()} ({OPEN}) may be "
        f"public. Keep the dataset private.",
    )
