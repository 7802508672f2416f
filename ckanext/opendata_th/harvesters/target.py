"""The national catalog this portal publishes to (the push direction), as
the sysadmin configured it; push and the drift report both use it.

Push is off until ``ckanext.opendata_th.sync.url`` is set. The token comes
from ``ckanext.opendata_th.sync.token`` (the portal's configuration file or
its environment, never a page or a harvest source); the remote organization
that receives this portal's datasets from ``ckanext.opendata_th.sync.organization``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import ckan.plugins.toolkit as tk

from ckanext.opendata_th.harvesters import options
from ckanext.opendata_th.harvesters.remote import ACTION, API_STYLES, RemoteCatalog

URL_OPTION = "ckanext.opendata_th.sync.url"
API_OPTION = "ckanext.opendata_th.sync.api"
TOKEN_OPTION = "ckanext.opendata_th.sync.token"
TOKEN_HEADER_OPTION = "ckanext.opendata_th.sync.token_header"
ORGANIZATION_OPTION = "ckanext.opendata_th.sync.organization"


@dataclass(frozen=True)
class PushTarget:
    """Where and as whom this portal publishes its datasets."""

    url: str
    api: str
    token: Optional[str]
    token_header: str
    organization: Optional[str]

    def catalog(self) -> RemoteCatalog:
        """A client of the remote catalog, with the portal's timeouts and retries."""
        return RemoteCatalog(self.url, api=self.api, token=self.token, token_header=self.token_header,
                             **options.patience())


def push_target() -> Optional[PushTarget]:
    """The configured national catalog, or None while push is off (no URL)."""
    url = (tk.config.get(URL_OPTION) or "").strip()
    if not url:
        return None
    api = (tk.config.get(API_OPTION) or ACTION).strip()
    if api not in API_STYLES:
        api = ACTION
    return PushTarget(url=url.rstrip("/"), api=api,
                      token=(tk.config.get(TOKEN_OPTION) or "").strip() or None,
                      token_header=(tk.config.get(TOKEN_HEADER_OPTION) or "api-key").strip(),
                      organization=(tk.config.get(ORGANIZATION_OPTION) or "").strip() or None)
