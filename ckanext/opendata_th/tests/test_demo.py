"""`ckan opendata-th demo` loads a realistic agency, and only once."""
import pytest
from click.testing import CliRunner

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

from ckanext.opendata_th.demo.dataset_requests import HIGH_VALUE, REQUESTS
from ckanext.opendata_th.demo.datasets import DATASETS
from ckanext.opendata_th.demo.workflow import PLANS

STAGES = {
    "export-value-by-market": "published", "registered-exporters-by-province": "published",
    "tambon-location": "published", "trade-training-courses": "pending_approval",
    "thai-trade-ports-unlocode": "returned", "trade-fair-exhibitors": "selected",
    "exporter-contacts": "withheld", "export-promotion-budget-plan": "candidate",
    "trade-partner-countries": "published",  # the high-value one (demo/dataset_requests.py)
}


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_creates_the_agency_with_datasets_and_csv_uploads(ckan_config):
    runner = CliRunner()
    result = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    assert result.exit_code == 0, result.output

    org = call_action("organization_show", id="trade-institute", include_datasets=True)
    assert org["title"].startswith("สถาบันการค้าระหว่างประเทศ")

    # the datasets stand at every stage of the disclosure workflow; only the
    # approved ones are public
    assert set(PLANS) == {dataset["name"] for dataset in DATASETS} == set(STAGES) - {HIGH_VALUE["name"]}
    for name, stage in STAGES.items():
        shown = call_action("package_show", id=name)
        assert (shown["opendata_stage"], shown["private"]) == (stage, stage != "published"), name
    public = call_action("package_search", {"user": "", "ignore_auth": False}, q="*:*",
                         rows=50, **{"facet.field": '["opendata_stage"]'})
    assert sorted(d["name"] for d in public["results"]) == sorted(
        name for name, stage in STAGES.items() if stage == "published")
    assert public["facets"]["opendata_stage"] == {"published": 4}
    high_value = call_action("package_search", {"user": "", "ignore_auth": False}, q="*:*",
                             fq='high_value_dataset:"True"')
    assert [d["name"] for d in high_value["results"]] == [HIGH_VALUE["name"]]
    # requests in every state; the accepted one made a private candidate
    requests = call_action("opendata_th_request_list", {"user": "", "ignore_auth": False}, limit=100)
    assert sorted(r["state"] for r in requests["results"]) == sorted(
        ["new", "needs_info", "accepted", "available", "not_suitable", "new"])
    assert len(REQUESTS) == requests["count"]
    [accepted] = [r for r in requests["results"] if r["state"] == "accepted"]
    assert accepted["dataset"] is None  # private: not linked for the public
    site_user = {"user": call_action("get_site_user")["name"]}
    candidate = call_action("opendata_th_request_show", site_user, id=accepted["id"])["dataset"]
    assert call_action("package_show", id=candidate["id"])["opendata_stage"] == "candidate"
    history = call_action("opendata_th_workflow_history", id="thai-trade-ports-unlocode")
    assert history[0]["transition"] == "return" and "UN/LOCODE" in history[0]["comment"]
    withheld = call_action("package_show", id="exporter-contacts")
    assert withheld["data_category"] == "ข้อมูลส่วนบุคคล"

    dataset = call_action("package_show", id="export-value-by-market")
    assert dataset["title"] == "มูลค่าการส่งออกรายเดือนจำแนกตามตลาดสำคัญ"
    resource = dataset["resources"][0]
    assert resource["url_type"] == "upload"
    assert resource["format"] == "CSV"
    assert resource["size"] > 1000

    # the agency is ready for this fiscal year (published), and was not the year before
    from ckanext.opendata_th import readiness
    year = readiness.current_fiscal_year()
    anonymous = {"user": "", "ignore_auth": False}
    current = call_action("opendata_th_readiness_show", anonymous, organization="trade-institute")
    assert current["fiscal_year"] == year and current["published"] and current["summary_only"]
    assert current["verdict"]["ready"] is True
    assert all(activity["level"] >= 2 for activity in current["activities"])
    full = call_action("opendata_th_readiness_show", organization="trade-institute")
    assert [a["overdue"] for a in full["actions"]] == [True, False]
    before = call_action("opendata_th_readiness_show", organization="trade-institute", fiscal_year=year - 1)
    assert before["exists"] and before["verdict"]["ready"] is False

    # the dashboard has every panel filled: targets for this year and last
    # year against actual figures, feedback and requests
    shown = call_action("opendata_th_dashboard_show", organization="trade-institute")
    assert shown["readiness"]["ready"] is True and shown["properties"]["published"] == 4
    targets = {row["key"]: row for row in shown["targets"]["rows"]}
    assert targets["datasets_published"]["target"] == 4
    assert targets["datasets_published"]["actual"] == 4 and targets["datasets_published"]["met"] is True
    assert targets["high_value_published"]["actual"] == 1 and targets["high_value_published"]["met"] is False
    assert shown["requests"]["open"] >= 1 and shown["feedback"]["held"] >= 1
    last = call_action("opendata_th_dashboard_show", organization="trade-institute", fiscal_year=year - 1)
    assert [row["actual"] for row in last["targets"]["rows"]] == [0, 0, 83.3]

    # running it again changes nothing
    again = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    assert again.exit_code == 0, again.output
    assert "created" not in again.output
    assert call_action("package_search", q="*:*", include_private=True)["count"] == len(DATASETS) + 2
    assert call_action("opendata_th_request_list", limit=100)["count"] == len(REQUESTS)
    assert len(call_action("opendata_th_readiness_history", organization="trade-institute",
                           fiscal_year=year)) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_resources_can_be_downloaded(app, ckan_config):
    CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    dataset = call_action("package_show", id="tambon-location")
    response = app.get(dataset["resources"][0]["url"])
    assert response.status_code == 200
    assert "TAMBON_T" in response.get_data(as_text=True).splitlines()[0]
