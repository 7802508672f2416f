"""A client of a remote CKAN catalog: data.go.th, a GD-Catalog agency
catalog (ckanext-thai_gdc), or another CKAN.

Two API styles reach the same actions:

- ``"action"``: CKAN's action API, ``<url>/api/3/action/<action>``. Anonymous
  callers read public data; with a token (sent as ``Authorization`` and in
  ``token_header``) the caller is whoever the token belongs to.
- ``"gateway"``: data.go.th's keyed gateway, ``<url>/<action>`` where ``url``
  is the gateway's address (``https://opend.data.go.th/get-ckan``); the token
  goes in ``token_header`` (``api-key``).

Every call is a GET (read actions only; the gateway answers GETs), made
through :class:`ckanapi.RemoteCKAN`. A call that fails on the way (a 5xx
answer, no answer in time, a refused or dropped connection, an answer that
is not JSON) is tried again with exponential back-off; one the remote
refuses (4xx) is not. Whatever fails in the end is one
:class:`RemoteError`, whose message says in plain words which call at which
address failed and why; the token never appears in it.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Optional

import ckanapi
import requests
from ckanapi.errors import CKANAPIError, ServerIncompatibleError

from ckanext.opendata_th.playbook.messages import N_, Message, MessageError

ACTION = "action"
GATEWAY = "gateway"
API_STYLES = (ACTION, GATEWAY)

DEFAULT_USER_AGENT = "ckanext-opendata-th harvester (+https://github.com/opendata-thailand)"

# RemoteError kinds
TIMEOUT = "timeout"
"""The remote did not answer in time (retried)."""
UNREACHABLE = "unreachable"
"""No connection, or the connection was dropped without an answer (retried)."""
SERVER = "server"
"""The remote answered with a 5xx error (retried)."""
MALFORMED = "malformed"
"""The answer was not the JSON of a CKAN action (retried: usually cut short on the way)."""
REFUSED = "refused"
"""401/403: the token (or its absence) was refused."""
NOT_FOUND = "not_found"
"""404: no such dataset (or the action's page is gone)."""
INVALID = "invalid"
"""409: the remote refused the parameters."""
REJECTED = "rejected"
"""Any other 4xx answer."""

RETRIED = frozenset({TIMEOUT, UNREACHABLE, SERVER, MALFORMED})


class RemoteError(MessageError):
    """A call of the remote catalog that failed, finally.

    ``message`` (a :class:`Message`) says which action at which address and
    what went wrong; ``kind`` is one of the module's kinds (``"timeout"``,
    ``"unreachable"``, ``"server"``, ``"malformed"``, ``"refused"``,
    ``"not_found"``, ``"invalid"``, ``"rejected"``); ``status`` the HTTP
    status when there was an answer."""

    def __init__(self, message: Message, kind: str, *, status: Optional[int] = None) -> None:
        self.kind = kind
        self.status = status
        super().__init__(message)

    @property
    def retried(self) -> bool:
        """Whether this kind of failure is worth trying again."""
        return self.kind in RETRIED


class _Transport(ckanapi.RemoteCKAN):
    """ckanapi's client, remembering the HTTP status of the last answer (a
    5xx page or a truncated answer gives ckanapi no error type of its own)
    and handing ckanapi the raw bytes (JSON is UTF-8 whatever the headers)."""

    last_status: Optional[int] = None

    def _request_fn_get(self, url, data_dict, headers, requests_kwargs):  # noqa: ANN001
        self.last_status = None
        response = self.session.get(url, params=data_dict, headers=headers,
                                    allow_redirects=False, **requests_kwargs)
        self.last_status = response.status_code
        return response.status_code, response.content


class RemoteCatalog:
    """A remote CKAN catalog's read actions, with retries.

    ``url``: the catalog's root (action API) or the gateway's address.
    ``token``: sent in ``token_header`` (and as ``Authorization`` on the action
    API); never logged nor shown. ``timeout``: seconds to wait for each
    answer. ``retries``: how many times a failed call is tried again, after
    ``backoff``, 2 × ``backoff``, 4 × ``backoff``... seconds. ``sleep``: the
    waiting function (tests pass one that does not wait)."""

    def __init__(self, url: str, *, api: str = ACTION, token: Optional[str] = None,
                 token_header: str = "api-key", timeout: float = 30, retries: int = 3,
                 backoff: float = 1.0, user_agent: str = DEFAULT_USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if api not in API_STYLES:
            raise ValueError(f"api must be one of {API_STYLES}, not {api!r}")
        self.url = url.rstrip("/")
        self.api = api
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, float(backoff))
        self.sleep = sleep
        self.has_token = bool(token)
        session = requests.Session()
        if token:
            session.headers[token_header] = token
            if api == ACTION:
                session.headers["Authorization"] = token
        self._transport = _Transport(self.url, user_agent=user_agent, get_only=True, session=session)
        self._transport.base_url = "api/3/action/" if api == ACTION else ""

    def close(self) -> None:
        """Close the HTTP connections."""
        self._transport.close()

    def __enter__(self) -> "RemoteCatalog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def action_url(self, action: str) -> str:
        """The address one action is called at (without its parameters)."""
        return f"{self.url}/{self._transport.base_url}{action}"

    # -- calls ---------------------------------------------------------------

    def call(self, action: str, **params: Any) -> Any:
        """The ``result`` of one action called with ``params``; raises
        :class:`RemoteError` when it fails after the retries."""
        params = {key: _param(value) for key, value in params.items() if value is not None}
        attempt = 0
        while True:
            try:
                return self._call_once(action, params)
            except RemoteError as error:
                if not error.retried or attempt >= self.retries:
                    raise
                self.sleep(self.backoff * (2 ** attempt))
                attempt += 1

    def _call_once(self, action: str, params: Mapping[str, Any]) -> Any:
        where = self.action_url(action)
        transport = self._transport
        try:
            return transport.call_action(action, dict(params), requests_kwargs={"timeout": self.timeout})
        except requests.Timeout:
            raise RemoteError(Message(
                N_("{action} at {url}: the remote did not answer within {seconds} s"),
                action=action, url=where, seconds=_seconds(self.timeout)), TIMEOUT) from None
        except requests.ConnectionError as error:
            raise RemoteError(_connection_message(action, where, error), UNREACHABLE) from None
        except requests.exceptions.ChunkedEncodingError:  # the answer was cut off
            raise RemoteError(Message(
                N_("{action} at {url}: the remote closed the connection without answering"),
                action=action, url=where), UNREACHABLE) from None
        except requests.RequestException as error:
            raise RemoteError(Message(N_("{action} at {url}: the request could not be made: {error}"),
                                      action=action, url=where, error=type(error).__name__),
                              REJECTED) from None
        except ckanapi.NotAuthorized:
            raise self._refused(action, where, transport.last_status) from None
        except ckanapi.NotFound:
            raise RemoteError(Message(N_("{action} at {url}: not found (HTTP {status})"),
                                      action=action, url=where, status=transport.last_status or 404),
                              NOT_FOUND, status=transport.last_status) from None
        except ckanapi.ValidationError as error:
            raise RemoteError(Message(N_("{action} at {url}: the remote refused the request: {errors}"),
                                      action=action, url=where, errors=_validation_text(error)),
                              INVALID, status=transport.last_status) from None
        except (CKANAPIError, ServerIncompatibleError, ckanapi.SearchError, ckanapi.SearchQueryError,
                ckanapi.SearchIndexError, KeyError, TypeError, ValueError):
            # ckanapi found no error it knows: judge by the status
            raise self._by_status(action, where, transport.last_status) from None

    def _refused(self, action: str, where: str, status: Optional[int]) -> RemoteError:
        if self.has_token:
            message = Message(N_("{action} at {url}: the token was refused (HTTP {status})"),
                              action=action, url=where, status=status or 403)
        else:
            message = Message(N_("{action} at {url}: the remote refused access (HTTP {status}); "
                                 "it may need a token"), action=action, url=where, status=status or 403)
        return RemoteError(message, REFUSED, status=status)

    def _by_status(self, action: str, where: str, status: Optional[int]) -> RemoteError:
        if status is None or 200 <= status < 300:
            return RemoteError(Message(N_("{action} at {url}: the answer was not JSON from CKAN"),
                                       action=action, url=where), MALFORMED, status=status)
        if status >= 500:
            return RemoteError(Message(N_("{action} at {url}: the remote failed (HTTP {status})"),
                                       action=action, url=where, status=status), SERVER, status=status)
        if status in (401, 403):
            return self._refused(action, where, status)
        if status == 404:
            return RemoteError(Message(N_("{action} at {url}: not found (HTTP {status})"),
                                       action=action, url=where, status=status), NOT_FOUND, status=status)
        return RemoteError(Message(N_("{action} at {url}: the remote refused the request (HTTP {status})"),
                                   action=action, url=where, status=status), REJECTED, status=status)

    # -- helpers ---------------------------------------------------------------

    def search(self, fq: str = "", sort: Optional[str] = None, rows: int = 1000, start: int = 0,
               fl: Optional[str] = None, *, include_private: bool = False) -> dict[str, Any]:
        """One page of ``package_search``: ``{"count", "results", ...}``.
        ``include_private`` is sent only with a token (anonymous callers see
        public data anyway)."""
        result = self.call("package_search", q="*:*", fq=fq or None, sort=sort, rows=rows,
                           start=start, fl=fl, include_private=True if include_private and self.has_token
                           else None)
        if not isinstance(result, dict) or not isinstance(result.get("results"), list) or not all(
                isinstance(row, dict) for row in result["results"]):
            raise RemoteError(Message(N_("{action} at {url}: the answer has no list of results"),
                                      action="package_search", url=self.action_url("package_search")),
                              MALFORMED)
        return result

    def show(self, id_or_name: str) -> dict[str, Any]:
        """``package_show`` of one dataset."""
        result = self.call("package_show", id=id_or_name)
        if not isinstance(result, dict) or not result.get("id"):
            raise RemoteError(Message(N_("{action} at {url}: the answer is not a dataset"),
                                      action="package_show", url=self.action_url("package_show")),
                              MALFORMED)
        return result

    def status(self) -> dict[str, Any]:
        """``status_show``: the remote's CKAN version, site and extensions."""
        result = self.call("status_show")
        if not isinstance(result, dict):
            raise RemoteError(Message(N_("{action} at {url}: the answer was not JSON from CKAN"),
                                      action="status_show", url=self.action_url("status_show")),
                              MALFORMED)
        return result


def _param(value: Any) -> Any:
    """A query-string value as CKAN reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _seconds(value: float) -> str:
    return f"{value:g}"


def _connection_message(action: str, where: str, error: requests.ConnectionError) -> Message:
    text = str(error)
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return Message(N_("{action} at {url}: the remote closed the connection without answering"),
                       action=action, url=where)
    return Message(N_("{action} at {url}: the remote cannot be reached"), action=action, url=where)


def _validation_text(error: Exception) -> str:
    details = getattr(error, "error_dict", None)
    if not isinstance(details, dict):
        details = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    parts = []
    for key, value in details.items():
        if key in ("__type", "message") and not isinstance(value, (list, dict)):
            continue
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    if not parts and isinstance(details.get("message"), str):
        parts.append(details["message"])
    return ", ".join(parts) or "-"
