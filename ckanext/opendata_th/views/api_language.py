"""The language of API answers (error messages, the playbook's texts).

An API call gets the portal's default language (``ckan.locale_default``,
Thai) unless it asks for another, in either of two ways: CKAN's own locale
prefix (``/en/api/3/action/package_create``), or, for ``/api/`` URLs
without a prefix, an ``Accept-Language`` header naming one of
``ckan.locales_offered`` (``Accept-Language: en``). The prefix wins over the
header. Web pages ignore the header: a page's language is its URL's, so a
link always shows what it showed to whoever shared it.
"""
from __future__ import annotations

import flask_babel
from flask import Flask, request
from werkzeug.datastructures import LanguageAccept

import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_locales_from_config


def offered_languages() -> list[str]:
    """``ckan.locales_offered`` and the default (every known locale when
    nothing is offered, as CKAN's language menu does)."""
    offered = set(tk.config.get("ckan.locales_offered") or []) or get_locales_from_config()
    return sorted(offered | {tk.config.get("ckan.locale_default")})


def choose_api_language() -> None:
    """``before_request`` hook: switch an unprefixed API call to the
    language its ``Accept-Language`` header prefers, if the portal offers it."""
    environ = request.environ
    if not environ.get("CKAN_LANG_IS_DEFAULT", True) or not request.path.startswith("/api/"):
        return
    if not request.headers.get("Accept-Language"):
        return
    # "*" (any language) leaves the choice to the portal: its default
    named = LanguageAccept([(value, quality) for value, quality in request.accept_languages if value != "*"])
    best = named.best_match(offered_languages())
    if best and best != environ.get("CKAN_LANG"):
        environ["CKAN_LANG"] = best
        flask_babel.refresh()  # forget a locale read before this hook


def install(app: Flask) -> None:
    app.before_request(choose_api_language)
