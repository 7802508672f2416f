"""E-mails rendered from ``templates/emails/`` through the translation
catalogs, in any context (web request, background job or command).

The recipient's language is not known, so an e-mail is written in the
portal's default language (``ckan.locale_default``, Thai), from CKAN's
catalog with the extension's over it, as the web pages are.

Like CKAN's activity e-mails, the templates are rendered with a Jinja
environment of their own, so no Flask request is needed.
"""
from __future__ import annotations

from typing import Any, Callable

from jinja2 import Environment

from ckan.lib.jinja_extensions import get_jinja_env_options

from ckanext.opendata_th import localize


def render(template: str, extra_vars: dict[str, Any], lang: str) -> str:
    """One template in one language (plain text: nothing is HTML-escaped)."""
    env = Environment(**{**get_jinja_env_options(), "autoescape": False})
    env.install_gettext_translations(localize.translations(lang), newstyle=False)  # type: ignore[attr-defined]
    return env.get_template(template).render(extra_vars).strip()


def compose(subject_template: str, body_template: str,
            extra_vars: Callable[[str], dict[str, Any]], lang: str | None = None) -> tuple[str, str]:
    """(subject, body) in ``lang``, by default the portal's language;
    ``extra_vars(lang)`` gives the values, written for that language (dates,
    frequencies)."""
    lang = lang or localize.default_language()
    values = extra_vars(lang)
    subject = " ".join(render(subject_template, values, lang).split())
    return subject, render(body_template, values, lang) + "\n"
