"""Feedback's rules, without CKAN: what anyone may send (every field bounded
and checked, every problem at once), the spam rules (honeypot, blocked
words, links), where a new item starts, the rate limit and whose address it
counts, the editors' steps from every state, and what counts against a
dataset — with the messages in Thai and English."""
from __future__ import annotations

import itertools

import pytest

from ckanext.opendata_th.playbook import feedback as f
from ckanext.opendata_th.playbook.messages import Message
from ckanext.opendata_th.tests.playbook.catalog import B, shown, thai_catalog

VALID = {"kind": "complaint", "message": "ข้อมูลเดือนมีนาคมหายไป", "name": "สมชาย ใจดี",
         "email": "somchai@example.co.th"}


def errors_of(data):
    with pytest.raises(f.FeedbackInputError) as caught:
        f.check_submission(data)
    return {field: [shown(message) for message in messages] for field, messages in caught.value.errors.items()}


# -- what anyone may send ---------------------------------------------------------------

def test_a_submission_is_stripped_and_the_name_and_address_are_optional():
    assert f.check_submission({**VALID, "message": "  ข้อมูลหาย\n  ", "name": " สมชาย "}) == f.Submission(
        kind="complaint", message="ข้อมูลหาย", name="สมชาย", email="somchai@example.co.th")
    assert f.check_submission({"kind": "comment", "message": "ดีมาก"}) == f.Submission(
        kind="comment", message="ดีมาก", name="", email="")
    assert f.check_submission({"kind": "error", "message": "x", "name": None, "email": ""}).email == ""
    # control characters a database or a mail header must not get are dropped; line breaks stay
    assert f.check_submission({"kind": "error", "message": "a\x07b\nc\x1b"}).message == "ab\nc"


def test_every_problem_of_a_submission_is_given_at_once_in_thai_and_english():
    found = errors_of({"kind": "praise", "message": "   ", "name": "ก" * 101, "email": "not-an-address"})
    assert found == {
        "kind": [B("เลือกประเภทของสิ่งที่ส่ง: ความเห็น, ข้อร้องเรียน, รายงานข้อผิดพลาด",
                   "Choose what you are sending: Comment, Complaint, Error report")],
        "message": [B("กรุณาเขียนความเห็น ข้อร้องเรียน หรือรายงานข้อผิดพลาด",
                      "Write your comment, complaint or error report")],
        "name": [B("ยาวได้ไม่เกิน 100 ตัวอักษร (ข้อความนี้ยาว 101 ตัวอักษร)",
                   "At most 100 characters (this is 101)")],
        "email": [B("ไม่ใช่ที่อยู่อีเมล (ตัวอย่างเช่น name@example.com)",
                    "This is not an e-mail address (e.g. name@example.com)")],
    }


@pytest.mark.parametrize("field, value, limit", [
    ("message", "ก" * (f.MAX_MESSAGE + 1), f.MAX_MESSAGE),
    ("name", "n" * (f.MAX_NAME + 1), f.MAX_NAME),
    ("email", "a" * 60 + "@" + "b" * 190 + ".example", f.MAX_EMAIL),
])
def test_every_field_has_a_limit_and_nothing_is_cut_short(field, value, limit):
    found = errors_of({**VALID, field: value})
    assert list(found) == [field]
    assert found[field][0].en == f"At most {limit} characters (this is {len(value)})"
    at_limit = value[:limit] if field != "email" else "a" * 60 + "@" + "b" * 185 + ".example"
    assert len(f.check_submission({**VALID, field: at_limit}).as_dict()[field]) == len(at_limit)


@pytest.mark.parametrize("email", ["a@b", "a b@c.org", "a@@b.org", "<a@b.org>", "a@b.org\nBcc: x@y.org",
                                   "a@b..org", "@b.org", "a@.org", "a" * 65 + "@b.org", "a@b.org,c@d.org"])
def test_an_address_that_is_not_one_is_refused(email):
    assert list(errors_of({**VALID, "email": email})) == ["email"]


@pytest.mark.parametrize("email", ["somchai@example.co.th", "first.last+tag@sub.example.org", "ก@ตัวอย่าง.ไทย"])
def test_real_addresses_are_taken(email):
    assert f.check_submission({**VALID, "email": email}).email == email


def test_a_name_is_one_line_and_values_must_be_text():
    assert errors_of({**VALID, "name": "สมชาย\nBcc: spam@example.com"})["name"] == [
        B("ชื่อต้องอยู่ในบรรทัดเดียว", "The name must be on one line")]
    found = errors_of({"kind": ["comment"], "message": {"text": "x"}, "name": True, "email": 5.5})
    assert set(found) == {"kind", "message", "name", "email"}
    assert found["kind"] == [B("ต้องเป็นข้อความ", "Must be text")]
    assert errors_of({"kind": "comment"})["message"][0].en == "Write your comment, complaint or error report"


# -- spam ----------------------------------------------------------------------------------

def test_the_word_list_is_read_from_lines_or_commas_normalised_and_without_repeats():
    assert f.parse_word_list("casino\n บาคาร่า , สล็อต ออนไลน์\n\nCASINO,,") == (
        "casino", "บาคาร่า", "สล็อต ออนไลน์")
    assert f.parse_word_list(["Viagra", "  ", "viagra"]) == ("viagra",)
    assert f.parse_word_list(None) == () == f.parse_word_list("")


def test_words_match_as_people_write_them_to_get_past_a_filter():
    words = f.parse_word_list("casino, ass, บาคาร่า, free money")
    assert f.matched_words("Best CASINO here", words) == ["casino"]
    assert f.matched_words("ｃａｓｉｎｏ", words) == ["casino"]  # full-width letters
    assert f.matched_words("cas\u200bino", words) == ["casino"]  # a zero-width space
    assert f.matched_words("เล่นบาคาร่าออนไลน์", words) == ["บาคาร่า"]  # Thai has no spaces between words
    assert f.matched_words("free   money now", words) == ["free money"]
    # a Latin word only as a whole word: a first-class dataset is no spam
    assert f.matched_words("a first-class dataset, classes, casinos", words) == []
    assert f.matched_words("ข้อมูลดีมาก", words) == []


def test_screening_finds_the_honeypot_blocked_words_and_too_many_links():
    rules = f.SpamRules(blocked_words=("casino",), max_links=2)
    clean = f.check_submission(VALID)
    assert f.screen(clean, "", rules) == f.Screening(honeypot=False, reasons=())
    assert not f.screen(clean, "   ", rules).suspicious
    assert f.screen(clean, "http://spam.example", rules).honeypot
    assert f.screen(clean, ["x"], rules).honeypot
    spam = f.check_submission({**VALID, "name": "Casino King",
                               "message": "http://a.example https://b.example www.c.example"})
    found = f.screen(spam, "", rules)
    assert [shown(reason) for reason in found.reasons] == [
        B("มีคำในรายการคำต้องห้าม: casino", "Holds words of the blocked-word list: casino"),
        B("มีลิงก์ 3 ลิงก์ (เกิน 2)", "Holds 3 links (more than 2)")]
    two = f.check_submission({**VALID, "message": "https://a.example and https://b.example"})
    assert f.screen(two, "", rules).reasons == ()
    assert f.screen(spam, "", f.SpamRules(max_links=-1)).reasons == ()


def test_where_a_new_item_starts_and_why():
    clean = f.Screening(honeypot=False, reasons=())
    words = Message("Holds words of the blocked-word list: {words}", words="casino")
    assert f.first_visibility(clean, signed_in=True, moderate_signed_in=False) == (f.VISIBLE, ())
    assert f.first_visibility(clean, signed_in=True, moderate_signed_in=True) == (f.HELD, (f.SIGNED_IN_REASON,))
    assert f.first_visibility(clean, signed_in=False, moderate_signed_in=False) == (f.HELD, (f.ANONYMOUS_REASON,))
    assert f.first_visibility(f.Screening(False, (words,)), signed_in=True, moderate_signed_in=False) == (
        f.HELD, (words,))
    # a program filled in the honeypot: hidden at once (kept: an autofill may have done it)
    assert f.first_visibility(f.Screening(True, (words,)), signed_in=False, moderate_signed_in=False) == (
        f.HIDDEN, (f.HONEYPOT_REASON, words))
    assert shown(f.ANONYMOUS_REASON).th == "ส่งโดยไม่มีบัญชีผู้ใช้ รายการใหม่จากผู้เยี่ยมชมต้องรอการตรวจสอบ"


# -- the rate limit ------------------------------------------------------------------------------

def test_the_rate_limit_allows_so_many_in_a_window_and_says_when_to_come_back():
    limit = f.RateLimit(count=3, window=600)
    assert [f.rate_decision(n, limit, 500).allowed for n in (1, 2, 3, 4, 50)] == [True, True, True, False, False]
    assert f.rate_decision(4, limit, 500) == f.RateDecision(False, 500)
    assert f.rate_decision(4, limit, -1).retry_after == 600  # a key without an end: the whole window
    assert f.rate_decision(4, limit, 0).retry_after == 600
    assert f.rate_decision(10_000, f.RateLimit(count=0, window=600), 5).allowed  # turned off
    assert shown(f.rate_refusal(f.RateDecision(False, 61))) == B(
        "คุณส่งความคิดเห็นจำนวนมากในเวลาสั้น ๆ กรุณาลองใหม่อีกครั้งในอีก 2 นาที",
        "You have sent a lot of feedback in a short time. Please try again in 2 minutes.")
    assert "1 นาที" in shown(f.rate_refusal(f.RateDecision(False, 1))).th


def test_the_senders_address_believes_only_the_proxies_the_portal_trusts():
    # no proxy trusted: the connection's address, whatever the header says
    assert f.client_address("203.0.113.9", "198.51.100.1", 0) == "203.0.113.9"
    # one proxy (nginx) adds what it saw last; entries a client wrote further left are not believed
    assert f.client_address("10.0.0.2", "1.1.1.1, 198.51.100.7", 1) == "198.51.100.7"
    assert f.client_address("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1", 2) == "198.51.100.7"
    assert f.client_address("10.0.0.2", "198.51.100.7", 5) == "198.51.100.7"  # fewer entries than proxies
    assert f.client_address("10.0.0.2", None, 1) == "10.0.0.2"
    assert f.client_address("10.0.0.2", "1.1.1.1, garbage", 1) == "10.0.0.2"


def test_senders_are_counted_by_address_and_ipv6_by_its_64_network():
    assert f.rate_key("203.0.113.9") == "203.0.113.9"
    assert f.rate_key("2001:db8:1:2:aaaa::1") == f.rate_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert f.rate_key("2001:db8:1:3::1") != f.rate_key("2001:db8:1:2::1")
    assert f.rate_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert f.rate_key("") == f.rate_key("not an address") == "unknown"


# -- the editors' steps --------------------------------------------------------------------------

STATES = [f.State(v, p, a) for v, p, a in itertools.product(f.VISIBILITIES, f.PROGRESSES, (False, True))]
TEXT = {"answer": "ขอบคุณ แก้ไขแล้ว", "hide": "โฆษณา"}


def expected(name: str, state: f.State) -> f.State | None:
    """The contract, written out: where each step goes from each state (None: refused)."""
    v, p, a = state.visibility, state.progress, state.has_answer
    if name == "approve":
        return f.State(f.VISIBLE, p, a) if v in (f.HELD, f.HIDDEN) else None
    if name == "hold":
        return f.State(f.HELD, p, a) if v == f.VISIBLE else None
    if name == "hide":
        return f.State(f.HIDDEN, p, a) if v in (f.HELD, f.VISIBLE) else None
    if v == f.HIDDEN:
        return None  # a hidden item is shown again before anything else
    if name == "answer":
        return f.State(f.VISIBLE, f.RESOLVED if p == f.RESOLVED else f.ANSWERED, True)
    if name == "resolve":
        return f.State(f.VISIBLE, f.RESOLVED, a) if p != f.RESOLVED else None
    if name == "reopen":
        return f.State(v, f.ANSWERED if a else f.OPEN, a) if p == f.RESOLVED else None
    raise AssertionError(name)


@pytest.mark.parametrize("name, state", list(itertools.product(f.STEPS, STATES)))
def test_every_step_from_every_state(name, state):
    want = expected(name, state)
    if want is None:
        with pytest.raises(f.StepRefused) as refused:
            f.apply(name, state, TEXT.get(name, ""))
        assert refused.value.field == "step"
        assert f.refusal(name, state) is not None
        assert f.STEPS[name] not in f.available(state)
    else:
        assert f.apply(name, state, TEXT.get(name, "")) == (want, TEXT.get(name, ""))
        assert f.STEPS[name] in f.available(state)


def test_a_refused_step_says_why_in_thai_and_english():
    assert shown(f.refusal("approve", f.State(f.VISIBLE, f.OPEN))) == B(
        "“อนุมัติให้แสดง” ทำไม่ได้กับรายการที่ “แสดงอยู่”",
        "“Approve and show” is not possible for an item that is “Shown”")
    assert shown(f.refusal("resolve", f.State(f.VISIBLE, f.RESOLVED))) == B(
        "“ทำเครื่องหมายว่าดำเนินการแล้ว” ทำไม่ได้กับรายการที่ “ดำเนินการแล้ว”",
        "“Mark as resolved” is not possible for an item that is “Resolved”")
    assert shown(f.refusal("delete", f.State(f.VISIBLE, f.OPEN))) == B(
        "“delete” ไม่ใช่ขั้นตอนการตรวจสอบความคิดเห็น", "“delete” is not a step of feedback moderation")


def test_an_answer_and_a_reason_for_hiding_are_required_and_bounded():
    held = f.State(f.HELD, f.OPEN)
    with pytest.raises(f.StepRefused) as refused:
        f.apply("answer", held, "   ")
    assert refused.value.field == "answer"
    assert [shown(m) for m in refused.value.messages] == [B("กรุณาเขียนคำตอบ", "Write the answer")]
    with pytest.raises(f.StepRefused) as refused:
        f.apply("hide", held, None)
    assert refused.value.field == "note"
    assert shown(refused.value.messages[0]) == B("กรุณาระบุเหตุผลที่ซ่อนรายการนี้", "Say why the item is hidden")
    with pytest.raises(f.StepRefused) as refused:
        f.apply("answer", held, "ก" * (f.MAX_ANSWER + 1))
    assert refused.value.messages[0].render() == f"At most {f.MAX_ANSWER} characters (this is {f.MAX_ANSWER + 1})"
    with pytest.raises(f.StepRefused) as refused:
        f.apply("resolve", held, {"note": "x"})
    assert refused.value.field == "note"
    # optional notes may be left out, and are stripped
    assert f.apply("resolve", held, None) == (f.State(f.VISIBLE, f.RESOLVED), "")
    assert f.apply("approve", held, "  ตรวจแล้ว ") == (f.State(f.VISIBLE, f.OPEN), "ตรวจแล้ว")


def test_the_buttons_of_an_item_in_the_pages_order():
    assert [s.name for s in f.available(f.State(f.HELD, f.OPEN))] == ["approve", "answer", "resolve", "hide"]
    assert [s.name for s in f.available(f.State(f.VISIBLE, f.ANSWERED, True))] == [
        "answer", "resolve", "hold", "hide"]
    assert [s.name for s in f.available(f.State(f.VISIBLE, f.RESOLVED, True))] == [
        "answer", "reopen", "hold", "hide"]
    assert [s.name for s in f.available(f.State(f.HIDDEN, f.OPEN))] == ["approve"]


@pytest.mark.parametrize("kind, visibility, progress, counted", [
    ("complaint", f.VISIBLE, f.OPEN, True), ("error", f.VISIBLE, f.ANSWERED, True),
    ("complaint", f.VISIBLE, f.RESOLVED, False), ("error", f.HELD, f.OPEN, False),
    ("complaint", f.HIDDEN, f.OPEN, False), ("comment", f.VISIBLE, f.OPEN, False),
])
def test_complaints_and_error_reports_count_against_the_dataset_until_resolved(kind, visibility, progress,
                                                                              counted):
    assert f.counts_against(kind, visibility, progress) is counted


def test_every_label_has_a_thai_translation():
    labels = [*f.KIND_LABELS.values(), *f.VISIBILITY_LABELS.values(), *f.PROGRESS_LABELS.values(),
              *(step.label for step in f.STEPS.values()),
              *(step.text_required for step in f.STEPS.values() if step.text_required),
              f.HONEYPOT_REASON, f.ANONYMOUS_REASON, f.SIGNED_IN_REASON]
    missing = [label.msgid for label in labels if not thai_catalog().get(label.msgid)]
    assert not missing
    assert [shown(f.KIND_LABELS[k]).th for k in f.KINDS] == ["ความเห็น", "ข้อร้องเรียน", "รายงานข้อผิดพลาด"]
