"""Requests carrying text PostgreSQL cannot store get a 400, not a 500.

A NUL character, or a lone surrogate in a JSON body, is not text any
database column can hold. CKAN passes such values from the query string,
forms and JSON bodies to its SQL queries (``group_list``, ``user_list``,
autocomplete, the search pages...), where psycopg2 fails and the visitor
gets a 500. This check runs before every view and answers with a 400 that
says what is wrong: a JSON error for the API, CKAN's error page otherwise.

``package_search`` is left to the search backend, which gives its own
"Search Query Error" naming the parameter.
"""
from __future__ import annotations

from typing import Iterable, Optional

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from ckan.common import _

from ckanext.opendata_th.search.limits import unstorable

_SEARCH_ACTION = "package_search"


def _request_values() -> Iterable[object]:
    for values in (request.args, request.form):
        for key in values:
            yield key
            yield from values.getlist(key)
    if request.is_json:
        yield request.get_json(silent=True)


def refuse_unstorable_input() -> Optional[Response]:
    """``before_request`` hook: None to go on, or the 400 answer."""
    api = request.path.startswith("/api/")
    if api and request.path.rstrip("/").endswith("/" + _SEARCH_ACTION):
        return None
    if not unstorable(list(_request_values())):
        return None
    message = _("The request contains a NUL character or text that is not valid "
                "Unicode (such as a lone surrogate), which the portal cannot store "
                "or search for.")
    if api:
        response = jsonify({"success": False,
                            "error": {"__type": "Bad Request", "message": message}})
        response.status_code = 400
        return response
    # (not CKAN's abort, which would also flash the message into the session)
    raise BadRequest(message)


def install(app: Flask) -> None:
    app.before_request(refuse_unstorable_input)
