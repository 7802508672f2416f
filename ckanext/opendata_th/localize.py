"""The playbook's messages in the reader's language.

In a request (a page or an API call) a :class:`.playbook.messages.Message` is
rendered with CKAN's gettext, in the request's language: the locale of the
URL (``/en/...``, ``/en/api/3/action/...``) or else the portal's default,
``ckan.locale_default`` (Thai). Outside a request (background jobs,
commands, e-mails) it is rendered in a language given, by default the
portal's, from the same catalogs: CKAN's, with the extension's over them.
"""
from __future__ import annotations

import functools

import flask
from babel.support import NullTranslations, Translations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.i18n import get_ckan_i18n_dir

from ckanext.opendata_th.playbook.messages import Message


def default_language() -> str:
    """The portal's default language (``ckan.locale_default``)."""
    return tk.config.get("ckan.locale_default") or "en"


def request_language() -> str:
    """The language of the current request, or the portal's default."""
    if flask.has_request_context():
        return tk.h.lang() or default_language()
    return default_language()


@functools.lru_cache(maxsize=8)
def translations(lang: str) -> NullTranslations:
    """CKAN's catalog for ``lang`` with the extension's merged over it (the
    extension's wording wins, as on the web pages)."""
    if lang == "en":
        return NullTranslations()
    catalog = Translations.load(get_ckan_i18n_dir(), [lang], "ckan")
    plugin = p.get_plugin("opendata_th")
    ours = Translations.load(plugin.i18n_directory(), [lang], plugin.i18n_domain())
    if not isinstance(catalog, Translations):
        return ours
    if isinstance(ours, Translations):
        catalog.merge(ours)
    return catalog


def text(message: Message, lang: str | None = None) -> str:
    """``message`` in ``lang``, or in the current request's language."""
    if lang is None and flask.has_request_context():
        return message.render(tk._, request_language())
    lang = lang or default_language()
    return message.render(translations(lang).gettext, lang)


def gettext(msgid: str, lang: str | None = None) -> str:
    """One catalog message in ``lang`` or the current request's language."""
    if lang is None and flask.has_request_context():
        return tk._(msgid)
    return translations(lang or default_language()).gettext(msgid)
