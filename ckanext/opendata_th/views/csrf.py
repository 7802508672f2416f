"""CSRF protection for this plugin's form posts.

CKAN exempts plugins' blueprints from CSRF protection by default
(``ckan.csrf_protection.ignore_extensions``); the views that change data
check the form's token themselves, as CKAN checks its own views.
"""
from __future__ import annotations

from flask import current_app, g


def protect_from_csrf() -> None:
    """CKAN's CSRF check, unless CKAN has checked or exempted this request
    (CSRF disabled, or the user authenticated with an API token)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if g.get("_csrf_exempt_view") or g.get("csrf_valid"):
        return
    current_app.extensions["csrf"].protect()
