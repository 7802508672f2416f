"""Shared fixtures. CKAN's own pytest plugin (``--ckan-ini``) provides
``reset_db``, ``with_plugins``, ``app`` and the factories."""
import os

import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's ``clean_db`` plus the migrations of every configured plugin.

    CKAN resets only its core tables; the tables of the plugins in
    ``ckan.plugins`` (this extension's, ckanext-harvest's, activity's) are
    created again by their own alembic migrations.
    """
    from ckan.cli.db import _resolve_alembic_config

    reset_db()
    for name in ckan_config.get("ckan.plugins"):
        if os.path.exists(_resolve_alembic_config(name)):
            migrate_db_for(name)
