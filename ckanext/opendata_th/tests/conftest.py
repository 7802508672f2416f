"""Shared fixtures. CKAN's own pytest plugin (``--ckan-ini``) provides
``reset_db``, ``with_plugins``, ``app`` and the factories."""
import os

import pytest

_cleaned_modules: set[str] = set()


@pytest.fixture
def clean_db(reset_db, migrate_db_for, ckan_config):
    """CKAN's ``clean_db`` plus the migrations of every configured plugin.

    CKAN resets only its core tables; the tables of the plugins in
    ``ckan.plugins`` (this extension's, ckanext-harvest's, activity's) are
    created again by their own alembic migrations, and the search index is
    emptied.
    """
    from ckan.cli.db import _resolve_alembic_config

    import ckan.lib.search as search

    reset_db()
    for name in ckan_config.get("ckan.plugins"):
        if os.path.exists(_resolve_alembic_config(name)):
            migrate_db_for(name)
    search.clear_all()  # the PostgreSQL index is not among CKAN's tables


@pytest.fixture
def clean_db_once(request):
    """``clean_db`` before the first test of a module only, for modules whose
    tests just add uniquely named objects and so do not disturb each other.
    Use it after ``with_plugins``."""
    if request.module.__name__ not in _cleaned_modules:
        request.getfixturevalue("clean_db")
        _cleaned_modules.add(request.module.__name__)
