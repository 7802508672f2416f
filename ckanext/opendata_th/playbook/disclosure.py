"""Which datasets may be public.

Only public data (data_category ข้อมูลสาธารณะ) classified as open
(data_classification เปิดเผย) may be public; a dataset of any other category
or classification, or with none given, must stay private. And it becomes
public only when an approver approves it (the workflow's "approve"). The
rule holds for every user, sysadmins included, and every route that can
make a dataset public (the action API, the dataset form, the organization's
bulk "Make public"); the CKAN glue that applies it lives in
``logic/validators.py``, ``logic/approval_gate.py`` and
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


# -- approval -------------------------------------------------------------------
#
# Being public data classified as open is necessary, not enough: a dataset
# becomes public only when an approver of its organization approves it
# (the "approve" transition of playbook/workflow.py). Once published, routine
# edits keep it public; a change that makes it undisclosable unpublishes it.

def not_approved(disclosure_url: str | None) -> Message:
    """Why a dataset cannot be made public by editing it: only approval
    publishes, and where to send it for approval (its disclosure page), or
    for a dataset being created, that it starts private."""
    if not disclosure_url:
        return Message(N_(
            "A new dataset starts private, as a candidate of the disclosure workflow: it becomes "
            "public when an approver of its organization approves it. Create it private, then send "
            "it for approval on its disclosure page."))
    return Message(N_(
        "Only an approver of the organization can make a dataset public, by approving it: send "
        "the dataset for approval on its disclosure page ({url})."), url=disclosure_url)


def recall_reason(category: object, classification: object, *, licence_title: object,
                  licence_open: bool, licence_changed: bool) -> Message | None:
    """Why a published dataset must be unpublished after this edit, or None
    when it stays public: its data category or classification no longer
    allows disclosure, or its licence was changed to one that is not open."""
    refusal = public_refusal(category, classification)
    if refusal is None and licence_changed and not licence_open:
        refusal = Message(N_("The licence was changed to “{licence}”, which is not an open licence."),
                          licence=_value(licence_title) or "-")
    if refusal is None:
        return None
    return Message(N_("The dataset was made private and returned to the approvers: {reason}"),
                   reason=refusal)
