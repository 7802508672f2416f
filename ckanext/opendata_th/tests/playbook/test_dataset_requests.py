"""The rules of dataset requests: states, the triage decisions allowed from
each, the fixed reasons a request is not suitable, the limits on what
anyone may send, and the candidate dataset an accepted request makes."""
import pytest

from ckanext.opendata_th.playbook import dataset_requests as rules
from ckanext.opendata_th.playbook.messages import Message


def errors_of(call):
    with pytest.raises(rules.RequestInputError) as caught:
        call()
    return {field: [message.render() for message in messages] for field, messages in caught.value.errors.items()}


def test_every_state_reason_and_decision_has_a_label_and_open_states_are_the_waiting_ones():
    assert set(rules.STATE_LABELS) == set(rules.STATES)
    assert set(rules.REASON_LABELS) == set(rules.REASONS)
    assert all(isinstance(decision.label, Message) for decision in rules.DECISIONS.values())
    assert rules.OPEN_STATES == ("new", "needs_info")
    assert rules.open_count({"new": 2, "needs_info": 1, "accepted": 7}) == 3


def test_a_new_request_needs_what_and_why_and_is_stripped():
    checked = rules.check_new({"title": "  ราคาสินค้าเกษตรรายวัน ", "purpose": " วิจัย ", "email": "a@b.example",
                               "description": "", "name": None})
    assert checked == rules.NewRequest(title="ราคาสินค้าเกษตรรายวัน", description="", purpose="วิจัย",
                                       name="", email="a@b.example")


def test_a_new_request_says_every_problem_at_once():
    found = errors_of(lambda: rules.check_new({"title": "abc", "purpose": "  ", "email": "not-an-address",
                                               "name": "x" * 101, "description": "d" * 2001}))
    assert found["title"] == ["Describe the data you want in at least 5 characters"]
    assert found["purpose"] == ["Say why you need the data, or what you will use it for"]
    assert found["email"] == ["“not-an-address” is not an e-mail address"]
    assert found["name"] == ["Your name can be at most 100 characters long (it is 101)"]
    assert found["description"] == ["Details can be at most 2000 characters long (it is 2001)"]
    assert errors_of(lambda: rules.check_new({}))["title"] == ["Say which data you want"]


def test_values_that_are_not_text_count_as_empty_and_control_characters_are_dropped():
    assert set(errors_of(lambda: rules.check_new({"title": ["x" * 10], "purpose": {"a": 1}}))) == {"title", "purpose"}
    assert rules.check_new({"title": "ข้อมูล\x07ท่าเรือ", "purpose": "ok\x00"}).title == "ข้อมูลท่าเรือ"


def test_limits_are_exact():
    assert rules.check_new({"title": "t" * rules.MAX_TITLE, "purpose": "p" * rules.MAX_TEXT}).title
    assert "title" in errors_of(lambda: rules.check_new({"title": "t" * (rules.MAX_TITLE + 1), "purpose": "p"}))


@pytest.mark.parametrize("address", ["name@agency.go.th", "a.b+c@x.co", "x_y@sub.domain.example"])
def test_email_addresses(address):
    assert rules.is_email(address)


@pytest.mark.parametrize("address", ["a@b", "@b.example", "a b@c.example", "a@-b.example", "a@b..example",
                                     "x" * 250 + "@b.example"])
def test_not_email_addresses(address):
    assert not rules.is_email(address)


@pytest.mark.parametrize("state,decision,target", [
    ("new", "accept", "accepted"), ("new", "available", "available"), ("new", "not_suitable", "not_suitable"),
    ("new", "needs_info", "needs_info"), ("needs_info", "accept", "accepted"),
    ("needs_info", "needs_info", "needs_info"), ("not_suitable", "reopen", "new"), ("available", "reopen", "new"),
])
def test_allowed_decisions_lead_to_their_state(state, decision, target):
    triage = rules.check_decision(state, decision, comment="เหตุผล", dataset_given=decision == "available",
                                  reason="not_held" if decision == "not_suitable" else "")
    assert triage.decision.target == target


@pytest.mark.parametrize("state,decision", [
    ("accepted", "accept"), ("accepted", "reopen"), ("accepted", "not_suitable"), ("new", "reopen"),
    ("available", "accept"), ("not_suitable", "needs_info"),
])
def test_decisions_not_allowed_from_a_state_are_refused(state, decision):
    found = errors_of(lambda: rules.check_decision(state, decision, comment="c", reason="not_held",
                                                   dataset_given=True))
    assert found["decision"][0].startswith("A request that is")


def test_unknown_decision_lists_the_choices():
    found = errors_of(lambda: rules.check_decision("new", "delete"))
    assert found == {"decision": ["Unknown decision “delete” (choose from: accept, available, not_suitable, "
                                  "needs_info, reopen)"]}
    assert "decision" in errors_of(lambda: rules.check_decision("new", None))


def test_not_suitable_needs_a_reason_from_the_fixed_list_and_only_then():
    assert rules.check_decision("new", "not_suitable", reason="personal_data").reason == "personal_data"
    assert "reason" in errors_of(lambda: rules.check_decision("new", "not_suitable"))
    assert "reason" in errors_of(lambda: rules.check_decision("new", "not_suitable", reason="too_boring"))
    assert errors_of(lambda: rules.check_decision("new", "accept", reason="not_held")) == {
        "reason": ["A reason is given only when the request is not suitable"]}


def test_a_question_and_a_reopening_need_a_comment_and_comments_have_a_limit():
    assert errors_of(lambda: rules.check_decision("new", "needs_info")) == {
        "comment": ["Write the question to the requester"]}
    assert errors_of(lambda: rules.check_decision("available", "reopen", comment=" ")) == {
        "comment": ["Say why the request is reopened"]}
    assert "comment" in errors_of(lambda: rules.check_decision("new", "accept", comment="c" * 2001))


def test_already_available_needs_the_dataset():
    assert errors_of(lambda: rules.check_decision("new", "available")) == {
        "dataset": ["Give the published dataset that holds the data (its name or id)"]}


def test_the_requester_answers_only_a_request_that_needs_information():
    assert rules.check_reply("needs_info", "  ปี 2560-2568 ") == "ปี 2560-2568"
    assert errors_of(lambda: rules.check_reply("new", "x")) == {
        "reply": ["The request is not waiting for more information"]}
    assert errors_of(lambda: rules.check_reply("needs_info", "")) == {"reply": ["Write your answer"]}
    assert "reply" in errors_of(lambda: rules.check_reply("needs_info", "x" * 2001))


def test_the_candidate_title_defaults_to_the_request():
    assert rules.check_dataset_title("", "ราคาข้าว") == "ราคาข้าว"
    assert rules.check_dataset_title(" ราคาข้าวรายวัน ", "ราคาข้าว") == "ราคาข้าวรายวัน"
    assert "dataset_title" in errors_of(lambda: rules.check_dataset_title("t" * 201, "x"))


def test_the_candidate_dataset_is_private_with_unknowns_where_nothing_is_known():
    fields = rules.candidate_fields(title="ราคาข้าว", description="", origin="ขอโดยประชาชน: https://p/r/1",
                                    organization_title="กรมการค้าภายใน", contact_email="it@dit.go.th")
    assert fields["private"] is True
    assert fields["title"] == "ราคาข้าว"
    assert fields["notes"] == "ราคาข้าว\n\nขอโดยประชาชน: https://p/r/1"
    assert fields["maintainer"] == fields["data_source"] == "กรมการค้าภายใน"
    assert fields["maintainer_email"] == "it@dit.go.th"
    assert fields["update_frequency_unit"] == fields["geo_coverage"] == "ไม่ทราบ"
    assert fields["data_format"] == ["ไม่ทราบ"]
    assert fields["data_type"] == "ข้อมูลระเบียน"
    assert fields["tags"] == [{"name": "คำขอชุดข้อมูล"}]
