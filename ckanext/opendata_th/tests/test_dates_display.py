"""Buddhist Era and Bangkok time on every page in Thai, Gregorian in English,
through CKAN's own date helpers (render_datetime, time_ago_from_timestamp),
which this extension chains: the helpers themselves, in a Thai and an English
request, then the pages that use them (dataset, resource, user, activity
stream, search results), with the real app.

Fixed timestamps are CKAN's naive UTC ones just before midnight UTC, so the
Bangkok date (UTC+7) is the next day: a page that forgot the time zone shows
the wrong day."""
import datetime as dt
import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.opendata_th.playbook import dates
from ckanext.opendata_th.tests.datasets import create_dataset, national_dataset, national_resource

pytestmark = pytest.mark.usefixtures("with_plugins")

LATE_UTC = "2026-11-28T17:30:15.123456"
"""17:30:15 UTC on 28 Nov 2026 is 00:30:15 on 29 Nov 2026 in Bangkok."""
GREGORIAN_ERA = "ค.ศ."


@pytest.fixture
def in_language(app):
    """``in_language(lang)``: a request context of that language, as CKAN's
    i18n middleware sets it (``/en/...`` pages)."""
    def enter(lang):
        return app.flask_app.test_request_context(f"/{lang}/", environ_overrides={"CKAN_LANG": lang})
    return enter


def utc_ago(**delta):
    """A CKAN timestamp (naive UTC, ISO) ``delta`` before now."""
    return (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(**delta)).isoformat()


# -- the helpers --------------------------------------------------------------

@pytest.mark.parametrize("lang, date, hours, seconds", [
    ("th", "29 พ.ย. 2569", "29 พ.ย. 2569 00:30 น.", "29 พ.ย. 2569 00:30:15 น."),
    ("en", "29 Nov 2026", "29 Nov 2026 00:30", "29 Nov 2026 00:30:15"),
])
def test_render_datetime_shows_bangkok_time_be_in_thai_gregorian_in_english(in_language, lang, date,
                                                                            hours, seconds):
    with in_language(lang):
        assert tk.h.render_datetime(LATE_UTC) == date
        assert tk.h.render_datetime(LATE_UTC, with_hours=True) == hours
        assert tk.h.render_datetime(LATE_UTC, with_hours=True, with_seconds=True) == seconds
        # datetime objects as CKAN's models hold them (naive UTC), and aware ones
        naive = dt.datetime(2026, 11, 28, 17, 30, 15)
        assert tk.h.render_datetime(naive, with_hours=True) == hours
        assert tk.h.render_datetime(naive.replace(tzinfo=dt.timezone.utc), with_hours=True) == hours
        assert tk.h.render_datetime("2026-11-29T00:30:15+07:00", with_seconds=True) == seconds


def test_render_datetime_keeps_a_bare_date_on_its_day(in_language):
    # a date the publisher typed is a Bangkok date: no time zone shift, no time
    with in_language("th"):
        assert tk.h.render_datetime("2026-11-28") == "28 พ.ย. 2569"
        assert tk.h.render_datetime("2026-11-28", with_hours=True) == "28 พ.ย. 2569"
        assert tk.h.render_datetime(dt.date(2026, 11, 28)) == "28 พ.ย. 2569"
    with in_language("en"):
        assert tk.h.render_datetime("2026-11-28") == "28 Nov 2026"


def test_render_datetime_gives_nothing_for_what_is_no_date(in_language):
    with in_language("th"):
        for value in (None, "", "soon", "2026-13-45", "2026-11-28Tnoon", 12):
            assert tk.h.render_datetime(value) == ""
            assert tk.h.render_datetime(value, with_hours=True) == ""


def test_an_explicit_date_format_is_left_to_ckan(in_language):
    # machine-readable dates (e.g. data-datetime attributes) keep strftime's
    # Gregorian digits, in the display time zone as CKAN gives them
    with in_language("th"):
        assert tk.h.render_datetime(LATE_UTC, date_format="%Y-%m-%dT%H:%M:%S%z") == "2026-11-29T00:30:15+0700"


@pytest.mark.ckan_config("ckan.display_timezone", "UTC")
def test_render_datetime_follows_the_display_timezone(in_language):
    with in_language("th"):
        assert tk.h.render_datetime(LATE_UTC, with_hours=True) == "28 พ.ย. 2569 17:30 น."
        assert tk.h.opendata_th_display_date(LATE_UTC) == "28 พ.ย. 2569 17:30 น."


def test_the_extension_date_helper_is_the_same_path(in_language):
    with in_language("th"):
        assert tk.h.opendata_th_display_date(LATE_UTC) == "29 พ.ย. 2569 00:30 น."
        assert tk.h.opendata_th_display_date("2026-12-21") == "21 ธ.ค. 2569"
        assert tk.h.opendata_th_display_date("not a date") == "not a date"
    with in_language("en"):
        assert tk.h.opendata_th_display_date(LATE_UTC) == "29 Nov 2026 00:30"


@pytest.mark.parametrize("delta, thai, english", [
    ({"seconds": 20}, "เมื่อสักครู่", "Just now"),
    ({"minutes": 5, "seconds": 3}, "5 นาทีที่แล้ว", "5 minutes ago"),
    ({"hours": 1, "minutes": 1}, "1 ชั่วโมงที่แล้ว", "1 hour ago"),
    ({"days": 3, "hours": 2}, "3 วันที่แล้ว", "3 days ago"),
    ({"days": 15}, "2 สัปดาห์ที่แล้ว", "2 weeks ago"),
    ({"days": 800}, "2 ปีที่แล้ว", "2 years ago"),
])
def test_time_ago_reads_naturally_in_both_languages(in_language, delta, thai, english):
    timestamp = utc_ago(**delta)
    with in_language("th"):
        assert tk.h.time_ago_from_timestamp(timestamp) == thai
    with in_language("en"):
        assert tk.h.time_ago_from_timestamp(timestamp) == english


def test_time_ago_of_no_date_or_a_future_one(in_language):
    ahead = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=2))
    with in_language("th"):
        assert tk.h.time_ago_from_timestamp("never") == "ไม่ทราบ"
        # not "in 2 days ago": the moment itself, in BE
        assert tk.h.time_ago_from_timestamp(ahead.isoformat()) == tk.h.render_datetime(ahead, with_hours=True)
        assert str(dates.to_be_year(ahead.year)) in tk.h.time_ago_from_timestamp(ahead.isoformat())
    with in_language("en"):
        assert tk.h.time_ago_from_timestamp(None) == "Unknown"


def test_the_activity_changes_page_lists_versions_in_be(in_language):
    # ckanext-activity's own helper calls render_datetime with seconds
    with in_language("th"):
        options = tk.h.activity_list_select([{"id": "a1", "timestamp": LATE_UTC}], "a1")
    assert "29 พ.ย. 2569 00:30:15 น." in str(options[0])


# -- the pages ----------------------------------------------------------------

@pytest.fixture
def portal(clean_db):
    """A sysadmin, an organization and a public dataset with one resource
    whose file changed at ``LATE_UTC``."""
    sysadmin = factories.Sysadmin()
    org = factories.Organization(name="trade-institute")
    dataset = create_dataset( {"user": sysadmin["name"]}, **national_dataset(
        name="exporters", owner_org=org["id"],
        resources=[national_resource(last_modified=LATE_UTC)]))
    return {"sysadmin": sysadmin, "org": org, "dataset": dataset}


def this_be_year():
    return str(dates.to_be_year(dt.date.today().year))


def assert_thai_dates(body):
    assert GREGORIAN_ERA not in body
    assert this_be_year() in body


def test_resource_page_shows_be_dates_in_thai_and_gregorian_in_english(app, portal):
    resource = portal["dataset"]["resources"][0]
    url = f"/dataset/exporters/resource/{resource['id']}"
    thai = app.get(url).body
    assert_thai_dates(thai)
    assert "29 พ.ย. 2569" in thai and "28 พ.ย. 2569" not in thai  # data last updated, in Bangkok
    english = app.get("/en" + url).body
    assert "29 Nov 2026" in english and "2569" not in english and GREGORIAN_ERA not in english


def test_dataset_page_shows_be_dates(app, portal):
    thai = app.get("/dataset/exporters").body
    assert_thai_dates(thai)
    assert "29 พ.ย. 2569 00:30 น." in thai  # the last update, from the file
    english = app.get("/en/dataset/exporters").body
    assert "29 Nov 2026 00:30" in english and "2569" not in english


def test_activity_stream_says_how_long_ago_with_the_be_date_in_its_tooltip(app, portal):
    headers = {"Authorization": factories.APIToken(user=portal["sysadmin"]["name"])["token"]}
    thai = app.get("/dataset/activity/exporters", headers=headers).body
    assert GREGORIAN_ERA not in thai
    # the dataset was just created
    assert re.search(r'<span class="date" title="[^"]+">\s*(เมื่อสักครู่|\d+ นาทีที่แล้ว)\s', thai)
    tooltips = re.findall(r'<span class="date" title="([^"]+)"', thai)
    assert tooltips, "the activity stream shows no dates"
    assert all(re.fullmatch(r"\d{1,2} \S+ 25\d\d \d\d:\d\d น\.", title) for title in tooltips), tooltips
    english = app.get("/en/dataset/activity/exporters", headers=headers).body
    assert re.search(r'<span class="date" title="[^"]+">\s*(Just now|\d+ minutes? ago)\s', english)
    english_tooltips = re.findall(r'<span class="date" title="([^"]+)"', english)
    assert english_tooltips and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d \d\d:\d\d", title)
                                    for title in english_tooltips), english_tooltips


def test_user_page_shows_member_since_in_be(app, portal):
    user = factories.User(name="somchai")
    thai = app.get("/user/somchai").body
    assert_thai_dates(thai)
    created = dt.datetime.fromisoformat(user["created"])
    expected_year = dates.to_be_year((created + dt.timedelta(hours=7)).year)
    assert re.search(rf"<dd>\s*\d{{1,2}} \S+ {expected_year}\s*</dd>", thai)
    english = app.get("/en/user/somchai").body
    assert GREGORIAN_ERA not in english and str(expected_year) not in english


def test_search_results_show_each_dataset_last_update_in_be(app, portal):
    thai = app.get("/dataset/").body
    assert_thai_dates(thai)
    assert "29 พ.ย. 2569 00:30 น." in thai
    english = app.get("/en/dataset/").body
    assert "29 Nov 2026 00:30" in english and "2569" not in english
