"""A client of a remote CKAN catalog: data.go.th, a GD-Catalog agency
catalog (ckanext-thai_gdc), or another CKAN.

Two API styles reach the same actions:

- ``"action"``: CKAN's action API, ``<url>/api/3/action/<action>``. Anonymous
  callers read public data; with a token (sent as ``Authorization`` and in
  ``token_header``) the caller is whoever the token belongs to.
- ``"gateway"``: data.go.th's keyed gateway, ``<url>/<action>`` where ``url``
  is the gateway's address (``https://opend.data.go.th/get-ckan``); the token
  goes in ``token_header`` (``api-key``).

Reads are GETs (the gateway answers GETs); writes (``package_create``,
``package_update``, ``package_patch``, ``package_delete``, for the push to
the national portal) are POSTs with a JSON body; all go through
:class:`ckanapi.RemoteCKAN`. A call that fails on the way (a 5xx answer, no
answer in time, a refused or dropped connection, an answer that is not
JSON) is tried again with exponential back-off; one the remote refuses
(4xx) is not. Whatever fails in the end is one :class:`RemoteError`, whose
message says in plain words which call at which address failed and why;
the token never appears in it.

Retrying a write must not do it twice. An update, a patch and a delete set
the remote dataset to a given state, so doing one again changes nothing.
A create is different: a create whose answer was lost (a timeout, a cut
connection, a 5xx from a proxy, a truncated answer) may have created the
dataset. So before trying a create again, :meth:`RemoteCatalog.create`
looks the dataset up by its name (names are unique on a CKAN) and, when a
dataset of that name is in the organization the create was for, takes it
as the one created; the same lookup answers a create refused because the
name is taken after such a lost answer (the first try went through while
the client had given up on it).
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
    and handing ckanapi the raw bytes (JSON is UTF-8 whatever the headers).
    ``get_only`` is set per call: True for reads (GET with the parameters in
    the query string), False for writes (POST with a JSON body)."""

    last_status: Optional[int] = None

    def _request_fn_get(self, url, data_dict, headers, requests_kwargs):  # noqa: ANN001
        self.last_status = None
        response = self.session.get(url, params=data_dict, headers=headers,
                                    allow_redirects=False, **requests_kwargs)
        self.last_status = response.status_code
        return response.status_code, response.content

    def _request_fn(self, url, data, headers, files, requests_kwargs):  # noqa: ANN001
        self.last_status = None
        response = self.session.post(url, data=data, headers=headers, files=files,
                                     allow_redirects=False, **requests_kwargs)
        self.last_status = response.status_code
        return response.status_code, response.content


class RemoteCatalog:
    """A remote CKAN catalog's actions, with retries.

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
        """The ``result`` of one read action called (GET) with ``params``;
        raises :class:`RemoteError` when it fails after the retries."""
        params = {key: _param(value) for key, value in params.items() if value is not None}
        return self._retrying(lambda: self._call_once(action, params))

    def write(self, action: str, body: Mapping[str, Any]) -> Any:
        """The ``result`` of one write action called (POST) with the JSON
        ``body``; retried as :meth:`call` is. Only for actions that may be
        done twice (update, patch, delete): a create goes through
        :meth:`create`."""
        return self._retrying(lambda: self._call_once(action, dict(body), write=True))

    def _retrying(self, attempt: Callable[[], Any],
                  before_retry: Optional[Callable[[RemoteError], Any]] = None) -> Any:
        """``attempt()``, tried again after ``backoff``, 2 × ``backoff``...
        seconds while it fails in a way worth trying again, at most
        ``retries`` times. ``before_retry(error)``, called before each new
        try, may end the retries with a result (anything but None)."""
        tries = 0
        while True:
            try:
                return attempt()
            except RemoteError as error:
                if not error.retried or tries >= self.retries:
                    raise
                self.sleep(self.backoff * (2 ** tries))
                tries += 1
                if before_retry is not None:
                    found = before_retry(error)
                    if found is not None:
                        return found

    def _call_once(self, action: str, params: Mapping[str, Any], *, write: bool = False) -> Any:
        where = self.action_url(action)
        transport = self._transport
        transport.get_only = not write
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


    def find(self, id_or_name: str) -> Optional[dict[str, Any]]:
        """``package_show`` of one dataset, or None when the remote has no
        dataset of that id or name (404)."""
        try:
            return self.show(id_or_name)
        except RemoteError as error:
            if error.kind == NOT_FOUND:
                return None
            raise

    # -- writes (POST, JSON body) -------------------------------------------------

    def create(self, dataset: Mapping[str, Any]) -> dict[str, Any]:
        """``package_create`` of ``dataset`` (which has a ``name`` and an
        ``owner_org``): the dataset created.

        Done once even when retried: after a failure that may have reached
        the remote, the dataset is looked up by its name before the next
        try, and one found in the same organization is the answer (see the
        module docstring). A create refused because the name is taken, after
        such a failure, is answered the same way."""
        name = str(dataset.get("name") or "")
        owner = str(dataset.get("owner_org") or "")
        uncertain = False

        def attempt() -> Any:
            try:
                return self._call_once("package_create", dict(dataset), write=True)
            except RemoteError as error:
                if error.kind == INVALID and uncertain and name:
                    found = self._created_earlier(name, owner)
                    if found is not None:
                        return found
                raise

        def before_retry(error: RemoteError) -> Optional[dict[str, Any]]:
            nonlocal uncertain
            uncertain = True
            return self._created_earlier(name, owner) if name else None

        return self._dataset_result("package_create", self._retrying(attempt, before_retry))

    def _created_earlier(self, name: str, owner: str) -> Optional[dict[str, Any]]:
        """The dataset ``name`` if the remote has it in organization
        ``owner`` (an id or a name); None if not, or if the lookup fails
        (the create is then tried again, and fails or not on its own)."""
        try:
            found = self.find(name)
        except RemoteError:
            return None
        if found is None or not in_organization(found, owner):
            return None
        return found

    def update(self, dataset: Mapping[str, Any]) -> dict[str, Any]:
        """``package_update`` of ``dataset`` (with its remote ``id``): the
        remote dataset becomes what is sent. Retried as it may be done twice."""
        return self._dataset_result("package_update", self.write("package_update", dataset))

    def patch(self, id_or_name: str, **fields: Any) -> dict[str, Any]:
        """``package_patch``: only ``fields`` change."""
        return self._dataset_result("package_patch",
                                    self.write("package_patch", {"id": id_or_name, **fields}))

    def delete(self, id_or_name: str) -> None:
        """``package_delete``: the remote dataset's state becomes "deleted"
        (CKAN keeps it; never a purge)."""
        self.write("package_delete", {"id": id_or_name})

    def _dataset_result(self, action: str, result: Any) -> dict[str, Any]:
        if not isinstance(result, dict) or not result.get("id"):
            raise RemoteError(Message(N_("{action} at {url}: the answer is not a dataset"),
                                      action=action, url=self.action_url(action)), MALFORMED)
        return result


def in_organization(dataset: Mapping[str, Any], organization: str) -> bool:
    """Whether a remote dataset belongs to ``organization`` (its id or name)."""
    if not organization:
        return False
    summary = dataset.get("organization")
    owner: Mapping[str, Any] = summary if isinstance(summary, dict) else {}
    return organization in {dataset.get("owner_org"), owner.get("id"), owner.get("name")}


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
