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

from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.playbook.national_schema import FIELDS
from ckanext.opendata_th.playbook.vocabulary import CATEGORY_FIELD, CLASSIFICATION_FIELD, OPEN, PUBLIC


def _value(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def may_be_public(category: object, classification: object) -> bool:
    """Whether a dataset of this data_category and data_classification may be
    public: public data (ข้อมูลสาธารณะ) classified as open (เปิดเผย) only."""
    return _value(category) == PUBLIC and _value(classification) == OPEN


def _described(field: str, value: object) -> Message:
    """A dataset's category or classification for a message, e.g. "the data
    category “ข้อมูลส่วนบุคคล” (Personal)", or that none is given."""
    text = _value(value)
    if field == CATEGORY_FIELD:
        if not text:
            return Message(N_("no data category"))
        return Message(N_("the data category {category}"),
                       category=FIELDS["dataset"][field].quoted_choice(text))
    if not text:
        return Message(N_("no data classification"))
    return Message(N_("the data classification {classification}"),
                   classification=FIELDS["dataset"][field].quoted_choice(text))


def public_refusal(category: object, classification: object) -> Message | None:
    """Why a dataset of this data_category and data_classification cannot be
    public, or None when it may be."""
    if may_be_public(category, classification):
        return None
    return Message(
        N_("A dataset with {category} and {classification} cannot be public: only "
           "public data ({public}) classified as “{open}” may be public. Keep the dataset private."),
        category=_described(CATEGORY_FIELD, category),
        classification=_described(CLASSIFICATION_FIELD, classification),
        public=PUBLIC, open=OPEN)
