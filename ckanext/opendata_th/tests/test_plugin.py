"""The extension installs into CKAN, loads, and speaks Thai by default."""
import pytest
from click.testing import CliRunner

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests.helpers import call_action


@pytest.mark.usefixtures("with_plugins")
def test_plugin_is_loaded_and_listed_by_status_show():
    assert p.plugin_loaded("opendata_th")
    status = call_action("status_show")
    assert "opendata_th" in status["extensions"]
    assert status["locale_default"] == "th"


@pytest.mark.usefixtures("with_plugins")
def test_config_options_are_declared_with_defaults():
    # declared in config_declaration.yaml, so CKAN knows the default
    assert tk.config.get("ckanext.opendata_th.demo.organization") == "trade-institute"
    from ckan.common import config_declaration
    assert "ckanext.opendata_th.demo.organization" in {
        str(key) for key in config_declaration.iter_options()}


@pytest.mark.usefixtures("with_plugins")
def test_cli_group_is_registered(ckan_config):
    result = CliRunner().invoke(ckan_cli, ["-c", ckan_config["__file__"], "opendata-th", "--help"])
    assert result.exit_code == 0, result.output
    assert "demo" in result.output


@pytest.mark.usefixtures("with_plugins")
def test_translation_directory_is_registered():
    from ckanext.opendata_th.plugin import OpendataThPlugin
    plugin = p.get_plugin("opendata_th")
    assert isinstance(plugin, OpendataThPlugin)
    assert plugin.i18n_domain() == "ckanext-opendata_th"
    import os
    mo = os.path.join(plugin.i18n_directory(), "th", "LC_MESSAGES", "ckanext-opendata_th.mo")
    assert os.path.exists(mo), "the Thai catalog is compiled during install"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_pages_render_in_thai_by_default(app):
    response = app.get("/about")
    assert response.status_code == 200
    assert 'lang="th"' in response.body
    assert "เกี่ยวกับ" in response.body  # CKAN's own Thai catalog: "About"


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_ckan_strings_missing_from_its_thai_catalog_are_translated(app):
    # "Search datasets" has no Thai in CKAN 2.11's own catalog
    body = app.get("/").body
    assert "ค้นหาชุดข้อมูล" in body
    assert "Search datasets" not in body
