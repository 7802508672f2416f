"""Every page answers a search the backend refuses with HTTP 400 and the
reason, as CKAN's /dataset page does.

CKAN's group and organization ``read`` views catch every search error and
render the page with a generic "error while searching" (HTTP 200). The
backend records why it refused a search on ``flask.g``; the wrapped views
turn that into the same 400 page /dataset gives. Views that let the error
through (the Atom feeds) get the same 400 from an error handler instead of
a 500.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from flask import Flask, g, has_request_context
from werkzeug.exceptions import BadRequest

import ckan.views.group as group_views
from ckan.common import _
from ckan.lib.search.common import SearchQueryError

_ERROR = "opendata_th_search_query_error"


def remember_refusal(message: str) -> None:
    """Record, for this request, why a search was refused."""
    if has_request_context():
        setattr(g, _ERROR, message)


def _refusal() -> Optional[str]:
    return getattr(g, _ERROR, None)


def _answer_refusals_with_400(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def read(*args: Any, **kwargs: Any) -> Any:
        response = view(*args, **kwargs)
        message = _refusal()
        if message:
            _forget_page_assets()
            # (not CKAN's abort, which would also flash the message into the
            # session: a GET writes nothing)
            raise BadRequest(_explained(message))
        return response
    read.opendata_th_wrapped = True  # type: ignore[attr-defined]
    return read


def _forget_page_assets() -> None:
    """Forget the styles and scripts a page that was (partly) rendered took,
    or the error page would be sent without them."""
    g.pop("_webassets", None)


def _bad_request(app: Flask, error: SearchQueryError) -> Any:
    _forget_page_assets()
    return app.handle_http_exception(BadRequest(_explained(str(error))))


def _explained(message: str) -> str:
    return _("Invalid search query: {error_message}").format(error_message=message)


def install(app: Flask) -> None:
    """Wrap the ``read`` view of every group and organization type, and
    answer a refused search that reaches Flask with 400."""
    app.register_error_handler(SearchQueryError, functools.partial(_bad_request, app))
    for endpoint, view in list(app.view_functions.items()):
        # (CKAN loads its view modules afresh for the app, so compare names)
        if (getattr(view, "__module__", None) == group_views.__name__
                and getattr(view, "__name__", None) == "read"
                and not getattr(view, "opendata_th_wrapped", False)):
            app.view_functions[endpoint] = _answer_refusals_with_400(view)
