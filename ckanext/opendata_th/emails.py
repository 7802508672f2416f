"""E-mails rendered from ``templates/emails/`` through the translation
catalogs, in any context (web request, background job or command): Thai
first, then English, since the recipient's language is not known.

Like CKAN's activity e-mails, the templates are rendered with a Jinja
environment of their own, so no Flask request is needed.
"""
from __future__ import annotations

from typing import Any, Callable

from babel.support import Translations
from jinja2 import Environment

import ckan.plugins as p
from ckan.lib.jinja_extensions import get_jinja_env_options

LANGUAGES = ("th", "en")
SEPARATOR = "\n\n---\n\n"


def _translations(lang: str) -> Translations:
    plugin = p.get_plugin("opendata_th")
    return Translations.load(plugin.i18n_directory(), [lang], plugin.i18n_domain())


def render(template: str, extra_vars: dict[str, Any], lang: str) -> str:
    """One template in one language (plain text: nothing is HTML-escaped)."""
    env = Environment(**{**get_jinja_env_options(), "autoescape": False})
    env.install_gettext_translations(_translations(lang), newstyle=False)  # type: ignore[attr-defined]
    return env.get_template(template).render(extra_vars).strip()


def bilingual(subject_template: str, body_template: str,
              extra_vars: Callable[[str], dict[str, Any]]) -> tuple[str, str]:
    """(subject, body) in Thai and English; ``extra_vars(lang)`` gives each
    language its values (dates and frequencies are written per language)."""
    subject = " / ".join(render(subject_template, extra_vars(lang), lang) for lang in LANGUAGES)
    body = SEPARATOR.join(render(body_template, extra_vars(lang), lang) for lang in LANGUAGES)
    return subject, body + "\n"
