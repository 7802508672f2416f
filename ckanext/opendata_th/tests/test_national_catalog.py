"""The portal answers the national harvesters as a thai_gdc catalog does:
``status_show`` carries the keys ckanext-thai_gdc adds, in its shapes."""
import pytest

from ckan.tests.helpers import call_action


@pytest.mark.usefixtures("with_plugins")
def test_status_show_says_what_thai_gdc_says():
    status = call_action("status_show")
    assert status["thaigdc_version"] == "2.2.4"  # the thai_gdc schema the datasets follow
    assert status["thaigdc_catalog_type"] == "agency"
    assert status["thaigdc_is_as_a_service"] == "false"  # a string, as thai_gdc's config gives it
    assert status["opendata_th_version"]
    assert status["locale_default"] == "th" and "opendata_th" in status["extensions"]  # CKAN's keys stay


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.ckan_config("ckanext.opendata_th.catalog.type", "area_based")
@pytest.mark.ckan_config("ckanext.opendata_th.catalog.as_a_service", "true")
def test_status_show_follows_the_configuration():
    status = call_action("status_show")
    assert (status["thaigdc_catalog_type"], status["thaigdc_is_as_a_service"]) == ("area_based", "true")


@pytest.mark.usefixtures("with_plugins")
def test_status_show_is_open_to_anonymous_visitors(app):
    answer = app.get("/api/3/action/status_show")
    assert answer.status_code == 200
    assert answer.json["result"]["thaigdc_catalog_type"] == "agency"
