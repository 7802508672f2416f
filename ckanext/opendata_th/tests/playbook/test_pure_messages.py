"""Messages: an English id and named parameters, rendered in one language,
and every message of the rules translated in the Thai catalog."""
import datetime as dt
import json
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from ckanext.opendata_th.playbook.messages import NO_MESSAGE, Label, Message, MessageError
from ckanext.opendata_th.tests.playbook.catalog import thai, thai_catalog

PLAYBOOK = Path(__file__).resolve().parents[2] / "playbook"
THAI = {"Hello {name}": "สวัสดี {name}", "Due {date}": "กำหนด {date}", "{field} is required": "กรุณาระบุ{field}",
        "every {unit}": "ทุก{unit}", "Broken {x}": "เสีย {y}"}


def in_thai(message):
    return message.render(lambda msgid: THAI.get(msgid, msgid), "th")


def test_a_message_renders_its_translation_with_its_parameters():
    message = Message("Hello {name}", name="สมชาย")
    assert message.render() == "Hello สมชาย"
    assert in_thai(message) == "สวัสดี สมชาย"
    assert message.fields() == {"name"}


def test_labels_nested_messages_and_dates_follow_the_language():
    unit = Label("เดือน", "month")
    assert in_thai(Message("every {unit}", unit=unit)) == "ทุกเดือน"
    assert Message("every {unit}", unit=unit).render() == "every month"
    due = Message("Due {date}", date=dt.date(2026, 2, 15))
    assert (in_thai(due), due.render()) == ("กำหนด 15 ก.พ. 2569", "Due 15 Feb 2026")
    moment = Message("Due {date}", date=dt.datetime(2026, 2, 15, 9, 30))
    assert (in_thai(moment), moment.render()) == ("กำหนด 15 ก.พ. 2569 09:30 น.", "Due 15 Feb 2026 09:30")
    outer = Message("Hello {name}", name=Message("every {unit}", unit=unit))
    assert (in_thai(outer), outer.render()) == ("สวัสดี ทุกเดือน", "Hello every month")


@pytest.mark.parametrize("field, expected", [
    (Label("URL", "URL"), "กรุณาระบุ URL"),            # Thai meets Latin: a space, as Thai is written
    (Label("ชื่อชุดข้อมูล", "Title"), "กรุณาระบุชื่อชุดข้อมูล"),   # Thai meets Thai: none
    ("2568", "กรุณาระบุ 2568"),
    ("“ก”", "กรุณาระบุ“ก”"),                         # a quote is not a word
])
def test_thai_and_latin_words_are_spaced(field, expected):
    assert in_thai(Message("{field} is required", field=field)) == expected


def test_a_translation_with_wrong_fields_falls_back_to_english():
    assert in_thai(Message("Broken {x}", x="1")) == "Broken 1"


def test_as_dict_is_the_id_and_plain_parameters():
    message = Message("Due {date}", date=dt.date(2026, 2, 15))
    outer = Message("Hello {name}", name=message, who=Label("ก", "a"), items=[1, "b"])
    assert outer.as_dict() == {"id": "Hello {name}", "params": {
        "name": {"id": "Due {date}", "params": {"date": "2026-02-15"}},
        "who": {"th": "ก", "en": "a"}, "items": [1, "b"]}}
    json.dumps(outer.as_dict())


def test_an_empty_message_is_false_and_messages_compare_by_value():
    assert not Message("")
    assert Message("Hello {name}", name="a") == Message("Hello {name}", name="a")
    assert Message("Hello {name}", name="a") != Message("Hello {name}", name="b")


def test_a_message_error_carries_its_message_and_reads_in_english():
    error = MessageError(Message("Hello {name}", name="x"))
    assert isinstance(error, ValueError)
    assert error.message == Message("Hello {name}", name="x")
    assert str(error) == "Hello x"


def _playbook_messages():
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            PLAYBOOK, [("**.py", "python")]):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_the_rules_has_a_thai_translation_with_the_same_fields():
    messages = _playbook_messages()
    assert "{field} is required" in messages  # N_ is extracted
    catalog = thai_catalog()
    missing = sorted(m for m in messages if m not in catalog)
    assert not missing, f"no Thai translation for: {missing}"
    for msgid in messages:
        assert Message(msgid).fields() == Message(catalog[msgid]).fields(), msgid


def test_the_rules_keep_no_thai_message_text():
    """Thai in the rules is data (choice values, patterns) and docstrings, not messages."""
    for msgid in _playbook_messages():
        assert not any("\u0e00" <= char <= "\u0e7f" for char in msgid), msgid


def test_rendering_through_the_catalog():
    assert thai(Message("{field} is required", field=Label("URL", "URL"))) == "กรุณาระบุ URL"


def test_a_stored_message_comes_back_with_its_nested_messages_and_labels():
    stored = Message("{count} rows: {first}; {labels}", count=2,
                     first=Message("row {row}", row=4),
                     labels=[Label("จังหวัด", "Province")]).as_dict()
    revived = Message.from_dict(stored)
    assert revived.as_dict() == stored
    assert revived.render().startswith("2 rows: row 4; ")
    assert "จังหวัด" in revived.render(lang="th")
    assert Message.from_dict("not a message") == NO_MESSAGE
    assert Message.from_dict({"id": 3}) == NO_MESSAGE
