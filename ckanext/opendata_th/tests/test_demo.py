"""`ckan opendata-th demo` loads a realistic agency, and only once."""
import pytest
from click.testing import CliRunner

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action

from ckanext.opendata_th.demo.datasets import DATASETS


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_creates_the_agency_with_datasets_and_csv_uploads(ckan_config):
    runner = CliRunner()
    result = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    assert result.exit_code == 0, result.output

    org = call_action("organization_show", id="trade-institute", include_datasets=True)
    assert org["title"].startswith("สถาบันการค้าระหว่างประเทศ")
    assert org["package_count"] == len(DATASETS)

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

    # running it again changes nothing
    again = runner.invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    assert again.exit_code == 0, again.output
    assert "created" not in again.output
    assert call_action("package_search", q="*:*")["count"] == len(DATASETS)
    assert len(call_action("opendata_th_readiness_history", organization="trade-institute",
                           fiscal_year=year)) == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_resources_can_be_downloaded(app, ckan_config):
    CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "demo"])
    dataset = call_action("package_show", id="tambon-location")
    response = app.get(dataset["resources"][0]["url"])
    assert response.status_code == 200
    assert "TAMBON_T" in response.get_data(as_text=True).splitlines()[0]
