"""A local stand-in for a thai_gdc CKAN (data.go.th or a GD-Catalog agency
catalog) at the HTTP level, for tests and benchmarks: the in-memory
catalog (:mod:`.catalog`) and the server that answers as CKAN and
ckanext-thai_gdc do (:mod:`.server`). Imports nothing from CKAN."""
from .catalog import (DATA_TYPES, ThaiGdcCatalog, organization_id, sample_datasets,
                      sample_organizations)
from .server import FAULT_KINDS, Request, ThaiGdcServer

__all__ = ["DATA_TYPES", "FAULT_KINDS", "Request", "ThaiGdcCatalog", "ThaiGdcServer",
           "organization_id", "sample_datasets", "sample_organizations"]
