"""The publish rule holds for harvests too: ckanext-harvest's own CKAN
harvester, importing a dataset that is public on the remote catalog, cannot
make it public here without the disclosure workflow's approval (the
data.go.th harvester records the national publication as the approval:
the sync issue). What a harvest may bring in is a private candidate."""
import json
import uuid

import pytest

import ckan.model as model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.opendata_th.tests.datasets import national_dataset, national_resource

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "opendata_th_search opendata_th activity scheming_datasets "
                                            "harvest ckan_harvester"),
    pytest.mark.usefixtures("with_plugins", "clean_db"),
]


@pytest.fixture
def source():
    admin = factories.Sysadmin()
    org = factories.Organization(name="trade-institute")
    return call_action("harvest_source_create", {"user": admin["name"]}, name="agency-catalog",
                       title="Agency catalog", url="https://catalog.example/", source_type="ckan",
                       owner_org=org["id"])


def remote_dataset(**fields):
    """A dataset as the remote thai_gdc catalog's package_show gives it."""
    return {**national_dataset(id=str(uuid.uuid4()), resources=[national_resource(id=str(uuid.uuid4()))],
                               extras=[]), **fields}


def harvest(source, remote):
    """Run the CKAN harvester's import stage on one remote dataset, as the
    fetch consumer does; returns its result and the errors it recorded.
    (ckanext-harvest is imported here, not when the module is collected:
    its model maps Package.harvest_objects in every process that imports
    it, and the other tests' databases have no harvest tables.)"""
    from ckanext.harvest.harvesters.ckanharvester import CKANHarvester
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectError

    job = HarvestJob(source_id=source["id"])
    job.save()
    harvested = HarvestObject(guid=remote["id"], job=job, harvest_source_id=source["id"],
                              content=json.dumps(remote, ensure_ascii=False))
    harvested.save()
    result = CKANHarvester().import_stage(harvested)
    errors = [error.message for error in model.Session.query(HarvestObjectError).filter_by(
        harvest_object_id=harvested.id)]
    return result, errors


def test_a_harvest_cannot_publish_a_dataset_that_no_approver_approved(source):
    remote = remote_dataset(name="remote-open-data", private=False)
    result, errors = harvest(source, remote)
    assert not result  # refused: the harvester records the error
    assert model.Package.by_name("remote-open-data") is None  # nothing half-imported
    [error] = errors
    assert "ผู้อนุมัติ" in error  # only an approver publishes


def test_a_harvest_never_publishes_data_that_is_not_disclosable(source):
    remote = remote_dataset(name="remote-personal", private=False,
                            data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ")
    result, errors = harvest(source, remote)
    assert not result and model.Package.by_name("remote-personal") is None
    assert "ข้อมูลส่วนบุคคล" in errors[0]


def test_a_harvest_brings_in_a_private_candidate(source):
    remote = remote_dataset(name="remote-private", private=True)
    result, errors = harvest(source, remote)
    assert result is True, errors
    dataset = call_action("package_show", id="remote-private")
    assert dataset["private"] is True and dataset["opendata_stage"] == "candidate"
