"""A local HTTP server that answers as a thai_gdc CKAN (ckanext-thai_gdc
2.x on CKAN 2.9) and data.go.th's keyed gateway do, for tests and
benchmarks of the data.go.th harvester and publisher.

Standard library only, no CKAN import. Serves a :class:`.ThaiGdcCatalog`:

* ``GET``/``POST /api/3/action/<action>`` and ``/api/action/<action>``:
  CKAN's action API (``ckan/views/api.py``): JSON body, form body or query
  string; the envelope ``{"help", "success", "result"|"error"}`` and CKAN's
  status codes (400 bad request or unknown action, 403 Authorization Error,
  404 Not Found Error, 409 Validation/Search Error, 500).
  Anonymous callers read public data. The token (``token``), sent in
  ``Authorization`` or ``X-CKAN-API-Key`` (as ckanapi and ckanext-harvest
  send it) or in ``token_header``, makes the caller the catalog's sysadmin:
  private and deleted datasets become visible and the write actions
  allowed. A token CKAN does not know makes the caller anonymous, as CKAN
  2.9–2.11 do (``reject_unknown_tokens=True`` answers 403 instead).
* ``/get-ckan/<action>``: the keyed gateway (``https://opend.data.go.th``).
  Assumed, as its error bodies are not published: an API gateway in front
  of CKAN that wants the key in the ``token_header`` header (or the query
  parameter of that name), answers 401 ``{"message": "No API key found in
  request"}`` without one and 403 ``{"message": "Invalid authentication
  credentials"}`` for a wrong one, and passes the call on to CKAN as an
  anonymous user (the key identifies an API consumer, not a CKAN user).
* ``/dataset/<id>/resource/<rid>/download/<file>``: the files of uploaded
  resources (small generated content), so link checks get an answer.

Faults are injected per action (:meth:`ThaiGdcServer.fail`); the remote
can go away and come back on the same port (:meth:`ThaiGdcServer.go_away`).
"""
from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import parse_qs, quote, urlsplit

from .catalog import (CHOICES, MULTIPLE_CHOICE, REQUIRED_FIELDS, REQUIRED_MULTIPLE_CHOICE,
                      ActionError, NotAuthorized, NotFound, SearchQueryError, ThaiGdcCatalog,
                      ValidationError)

JSON_TYPE = "application/json;charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

#: What :meth:`ThaiGdcServer.fail` can inject.
FAULT_KINDS = ("500", "502", "503", "timeout", "malformed", "drop", "404", "403")

#: Parameters CKAN's package_search hands on to Solr (``VALID_SOLR_PARAMETERS``)
#: plus those package_search itself reads.
_SEARCH_PARAMETERS = frozenset({
    "q", "fl", "fq", "rows", "sort", "start", "wt", "qf", "bf", "boost", "facet",
    "facet.mincount", "facet.limit", "facet.field", "extras", "fq_list", "tie", "defType", "mm",
    "df", "include_private", "include_drafts", "include_deleted", "use_default_schema"})

_NGINX_PAGE = ("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
               "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
               "</body>\r\n</html>\r\n")


_METHOD_NOT_ALLOWED_PAGE = ("<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
                            "<h1>Method Not Allowed</h1>\n"
                            "<p>The method is not allowed for the requested URL.</p>\n")


class Request(NamedTuple):
    """One request the server received (tests count and inspect them).
    ``action`` is the CKAN action (None for other paths); ``params`` the
    data the action read (query string, form or JSON body); ``body`` the raw body."""

    method: str
    path: str
    action: Optional[str]
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes


@dataclass
class _Fault:
    kind: str
    after: int
    times: int


@dataclass(frozen=True)
class _Caller:
    """Who calls an action: the sysadmin (the token) or an anonymous user."""

    sysadmin: bool

    @property
    def user(self) -> str:
        return "sysadmin" if self.sysadmin else ""


class _BadRequest(Exception):
    """CKAN's 400 "Bad request - <detail>" (a JSON string, not an envelope)."""


class _Response(NamedTuple):
    status: int
    body: bytes
    content_type: str
    drop: bool = False


class _RawJSON(str):
    """A result that is already JSON text (spliced into the envelope as is)."""


def _json(value: Any) -> str:
    """JSON as CKAN writes it (``json.dumps``: ASCII, ``\\u`` escapes for Thai)."""
    return value if isinstance(value, _RawJSON) else json.dumps(value)


def _mixed(pairs: dict[str, list[str]]) -> dict[str, Any]:
    """Werkzeug's ``to_dict(flat=False)`` as CKAN's ``mixed()`` reads it:
    one value as a string, several as a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in pairs.items()}


def _as_bool(value: Any) -> bool:
    """CKAN's ``asbool``."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "y", "t", "1")
    return bool(value)


def _natural_number(value: Any, field_name: str, errors: dict[str, list[str]]) -> Optional[int]:
    """CKAN's ``natural_number_validator``: the int, or an error recorded."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        errors[field_name] = ["Invalid integer"]
        return None
    if number < 0:
        errors[field_name] = ["Must be a natural number"]
        return None
    return number


def _as_list(value: Any) -> list[str]:
    """A multiple-choice value as scheming reads it: a list, a JSON list in
    a string, or one value."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        return [str(v) for v in parsed] if isinstance(parsed, list) else [text]
    return [text]


class CkanActions:
    """The actions a thai_gdc CKAN answers, over a catalog. Each takes the
    request data and the caller and returns the result or raises an
    :class:`ActionError`, as CKAN's ``logic.action`` functions do."""

    #: Actions CKAN marks ``side_effect_free`` (callable with GET).
    READ_ACTIONS = frozenset({"status_show", "help_show", "package_search", "package_show",
                              "package_list", "organization_list", "organization_show"})
    WRITE_ACTIONS = frozenset({"package_create", "package_update", "package_patch",
                               "package_delete", "dataset_purge"})

    def __init__(self, catalog: ThaiGdcCatalog, site_url: Callable[[], str],
                 status: dict[str, Any]):
        self.catalog = catalog
        self.site_url = site_url
        self.status = status

    def known(self, action: str) -> bool:
        return action in self.READ_ACTIONS or action in self.WRITE_ACTIONS

    def call(self, action: str, data: dict[str, Any], caller: _Caller) -> Any:
        return getattr(self, action)(data, caller)

    # -- reads ----------------------------------------------------------------
    def status_show(self, data: dict[str, Any], caller: _Caller) -> dict[str, Any]:
        """thai_gdc's status_show: CKAN's keys plus thaigdc_* (its order)."""
        status = dict(self.status)
        status["site_url"] = self.site_url()
        return status

    def help_show(self, data: dict[str, Any], caller: _Caller) -> str:
        name = data.get("name")
        if not self.known(str(name)):
            raise NotFound("Action function not found")
        return f"{name}(context, data_dict)\n\nAn action of the local thai_gdc test catalog."

    def package_search(self, data: dict[str, Any], caller: _Caller) -> _RawJSON:
        """CKAN's package_search over the catalog's index (see catalog.py)."""
        data = dict(data)
        errors: dict[str, list[str]] = {}
        rows = _natural_number(data.pop("rows", 10), "rows", errors)
        rows = 10 if rows is None else min(rows, 1000)  # CKAN's rows_max cuts, it does not refuse
        start = _natural_number(data.pop("start", 0), "start", errors) or 0
        facet_limit = data.pop("facet.limit", 50)
        facet_mincount = _natural_number(data.pop("facet.mincount", 1), "facet.mincount", errors)
        facet_fields = data.pop("facet.field", [])
        if isinstance(facet_fields, str):
            try:
                facet_fields = json.loads(facet_fields)
            except ValueError:
                errors["facet.field"] = ["Not a list"]
        if not isinstance(facet_fields, list) or not all(isinstance(f, str) for f in facet_fields):
            errors.setdefault("facet.field", ["Not a list"])
        try:
            facet_limit = int(facet_limit)
        except (TypeError, ValueError):
            errors["facet.limit"] = ["Invalid integer"]
        if errors:
            raise ValidationError(errors)
        for key in [k for k in data if k.startswith("ext_")]:
            data.pop(key)
        include_private = _as_bool(data.pop("include_private", False))
        include_drafts = _as_bool(data.pop("include_drafts", False))
        include_deleted = _as_bool(data.pop("include_deleted", False))
        data.pop("use_default_schema", None)
        unknown = sorted(set(data) - _SEARCH_PARAMETERS)
        if unknown:
            raise SearchQueryError(f"Invalid search parameters: {unknown}")
        sort = data.get("sort")
        if sort in (None, "rank"):
            sort = "score desc, metadata_modified desc"
        fl = data.get("fl") or []
        if isinstance(fl, str):
            fl = [fl]
        fq = str(data.get("fq") or "")
        if not include_private:
            fq = "+capacity:public " + fq
        if "+state" not in fq:
            states = ["active"] + (["draft"] if include_drafts else []) + (
                ["deleted"] if include_deleted else [])
            fq += " +state:({})".format(" OR ".join(states))
        fq_list = data.get("fq_list") or []
        if isinstance(fq_list, str):
            fq_list = [fq_list]
        with self.catalog.lock:  # no change between the search and its results
            return self._search(data, caller, fq=fq, fq_list=fq_list, sort=str(sort), fl=fl,
                                start=start, rows=rows, facet_fields=facet_fields,
                                facet_limit=facet_limit,
                                facet_mincount=1 if facet_mincount is None else facet_mincount)

    def _search(self, data: dict[str, Any], caller: _Caller, *, fq: str, fq_list: list[str],
                sort: str, fl: list[str], start: int, rows: int, facet_fields: list[str],
                facet_limit: int, facet_mincount: int) -> _RawJSON:
        hits = self.catalog.search(
            q=str(data.get("q") or ""), filters=[fq, *fq_list], sort=sort, start=start,
            rows=rows, public_only=not caller.sysadmin, qf=data.get("qf"),
            facet_fields=facet_fields, facet_limit=facet_limit, facet_mincount=facet_mincount)
        site_url = self.site_url()
        if fl:
            requested = [f for item in fl for f in re.split(r"[,\s]+", str(item)) if f]
            results = [self.catalog.stored_fields(i, requested, site_url) for i in hits.ids]
            if "score" in requested:
                for result, dataset_id in zip(results, hits.ids):
                    result["score"] = hits.scores[dataset_id]
            results_json = ", ".join(json.dumps(r) for r in results)
        else:
            results_json = ", ".join(self.catalog.show_json(i, site_url) for i in hits.ids)
        search_facets = {
            name: {"items": [{"count": count, "display_name": self._facet_label(name, value),
                              "name": value} for value, count in values.items()],
                   "title": name}
            for name, values in hits.facets.items()}
        return _RawJSON(
            f'{{"count": {hits.count}, "facets": {json.dumps(hits.facets)}, '
            f'"results": [{results_json}], "sort": {json.dumps(sort)}, '
            f'"search_facets": {json.dumps(search_facets)}}}')

    def _facet_label(self, field_name: str, value: str) -> str:
        if field_name in ("organization", "groups"):
            organization = self.catalog.organization(value)
            if organization:
                return organization.get("title") or value
        return value

    def package_show(self, data: dict[str, Any], caller: _Caller) -> _RawJSON:
        """package_show: 404 for an unknown id or name; 403 to anyone but the
        sysadmin for a private or deleted dataset (CKAN's permission labels)."""
        name_or_id = data.get("id") or data.get("name_or_id")
        if not name_or_id:
            raise ValidationError({"name_or_id": "Missing value"})
        with self.catalog.lock:
            dataset = self.catalog.get(str(name_or_id))
            if dataset is None:
                raise NotFound()
            public = dataset.get("state") == "active" and not dataset.get("private")
            if not public and not caller.sysadmin:
                raise NotAuthorized(f"User {caller.user} not authorized to read package "
                                    f"{dataset['id']}")
            return _RawJSON(self.catalog.show_json(dataset["id"], self.site_url()))

    def package_list(self, data: dict[str, Any], caller: _Caller) -> list[str]:
        """Names of active public datasets, sorted (private ones even for the sysadmin)."""
        errors: dict[str, list[str]] = {}
        limit = _natural_number(data.get("limit"), "limit", errors)
        offset = _natural_number(data.get("offset"), "offset", errors) or 0
        if errors:
            raise ValidationError(errors)
        with self.catalog.lock:
            names = sorted(d["name"] for d in self.catalog.datasets.values()
                           if d.get("state") == "active" and not d.get("private"))
        return names[offset:offset + limit] if limit else names[offset:]

    def organization_list(self, data: dict[str, Any], caller: _Caller) -> list[Any]:
        """Organization names (or dicts with ``all_fields``), sorted by
        ``sort`` (default "title asc"), at most 1000 (25 with all_fields)."""
        errors: dict[str, list[str]] = {}
        limit = _natural_number(data.get("limit"), "limit", errors)
        offset = _natural_number(data.get("offset"), "offset", errors) or 0
        if errors:
            raise ValidationError(errors)
        all_fields = _as_bool(data.get("all_fields", False))
        maximum = 25 if all_fields else 1000
        limit = maximum if limit is None or limit > maximum else limit
        wanted = data.get("organizations")
        if isinstance(wanted, str):
            wanted = [wanted]
        with self.catalog.lock:
            organizations = [o for o in self.catalog.organizations.values()
                             if o.get("state") == "active"
                             and (not wanted or o["name"] in wanted)]
            dicts = [self._organization_dict(o, caller) for o in organizations]
        sort = str(data.get("sort") or "title asc").strip()
        if sort in ("packages", "package_count"):
            sort = "package_count desc"
        for part in reversed([p.split() for p in sort.split(",") if p.strip()]):
            key = part[0] if part[0] in ("name", "title", "package_count") else "title"
            dicts.sort(key=lambda o: (o[key] or "") if key != "package_count" else o[key],
                       reverse=len(part) > 1 and part[1].lower() == "desc")
        page = dicts[offset:offset + limit]
        return page if all_fields else [o["name"] for o in page]

    def organization_show(self, data: dict[str, Any], caller: _Caller) -> dict[str, Any]:
        """An organization with its package_count (and ``packages`` with
        ``include_datasets``); 404 for an unknown id or name."""
        id_or_name = data.get("id")
        if not id_or_name:
            raise ValidationError({"id": "Missing value"})
        organization = self.catalog.organization(str(id_or_name))
        if organization is None or organization.get("state") == "deleted":
            raise NotFound()
        shown = self._organization_dict(organization, caller)
        shown.update({"extras": [], "groups": [], "tags": [], "users": []})
        if _as_bool(data.get("include_datasets", False)):
            found = json.loads(self.package_search(
                {"fq": f'+owner_org:"{organization["id"]}"', "rows": 1000,
                 "include_private": True}, caller))
            shown["packages"] = found["results"]
        return shown

    def _organization_dict(self, organization: dict[str, Any], caller: _Caller) -> dict[str, Any]:
        image_url = organization.get("image_url") or ""
        display = image_url if not image_url or image_url.startswith("http") else \
            f"{self.site_url()}/uploads/group/{image_url}"
        return {
            "approval_status": organization.get("approval_status", "approved"),
            "created": organization.get("created"),
            "description": organization.get("description", ""),
            "display_name": organization.get("title") or organization["name"],
            "id": organization["id"], "image_display_url": display, "image_url": image_url,
            "is_organization": True, "name": organization["name"], "num_followers": 0,
            "package_count": self.catalog.package_count(organization["id"],
                                                        include_private=caller.sysadmin),
            "state": organization.get("state", "active"), "title": organization.get("title", ""),
            "type": "organization",
        }

    # -- writes (the sysadmin only) -------------------------------------------
    def package_create(self, data: dict[str, Any], caller: _Caller) -> _RawJSON:
        if not caller.sysadmin:
            raise NotAuthorized(f"User {caller.user} not authorized to create packages")
        with self.catalog.lock:
            if data.get("id") and self.catalog.get(str(data["id"])) is not None:
                raise ValidationError({"id": ["Dataset id already exists"]})
            dataset = self._validated(data, existing_id=None)
            stored = self.catalog.add(dataset)
            return _RawJSON(self.catalog.show_json(stored["id"], self.site_url()))

    def package_update(self, data: dict[str, Any], caller: _Caller) -> _RawJSON:
        """CKAN 2.9's package_update: the dataset becomes what is sent
        (fields, tags and resources not sent are gone)."""
        with self.catalog.lock:
            existing = self._writable(data, caller, "edit")
            dataset = self._validated(data, existing_id=existing["id"])
            dataset.setdefault("private", existing.get("private", False))
            self.catalog.replace(existing["id"], dataset)
            return _RawJSON(self.catalog.show_json(existing["id"], self.site_url()))

    def package_patch(self, data: dict[str, Any], caller: _Caller) -> _RawJSON:
        """package_patch: the dataset as shown, with the fields sent replaced."""
        with self.catalog.lock:
            existing = self._writable(data, caller, "edit")
            patched = {**self.catalog.show(existing["id"], self.site_url()), **data}
            patched["id"] = existing["id"]
            return self.package_update(patched, caller)

    def package_delete(self, data: dict[str, Any], caller: _Caller) -> None:
        with self.catalog.lock:
            existing = self._writable(data, caller, "delete")
            self.catalog.delete(existing["id"])
        return None

    def dataset_purge(self, data: dict[str, Any], caller: _Caller) -> None:
        with self.catalog.lock:
            existing = self._writable(data, caller, "purge")
            self.catalog.purge(existing["id"])
        return None

    def _writable(self, data: dict[str, Any], caller: _Caller, verb: str) -> dict[str, Any]:
        name_or_id = data.get("id") or data.get("name")
        if not name_or_id:
            raise ValidationError({"id": "Missing value"})
        existing = self.catalog.get(str(name_or_id))
        if existing is None:
            raise NotFound("Package was not found.")
        if not caller.sysadmin:
            raise NotAuthorized(f"User {caller.user} not authorized to {verb} package "
                                f"{existing['id']}")
        return existing

    def _validated(self, data: dict[str, Any], existing_id: Optional[str]) -> dict[str, Any]:
        """The dataset to store, after thai_gdc's validation (CKAN's name
        rules, the required fields, the multiple-choice values, the
        organization); errors raise a 409 :class:`ValidationError`."""
        dataset = json.loads(json.dumps(data))
        errors: dict[str, Any] = {}
        name = dataset.get("name")
        if not name:
            errors["name"] = ["Missing value"]
        elif not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_\-]*", name):
            errors["name"] = ["Must be purely lowercase alphanumeric (ascii) characters and "
                              "these symbols: -_"]
        elif len(name) < 2:
            errors["name"] = ["Must be at least 2 characters long"]
        elif len(name) > 100:
            errors["name"] = ["Name must be a maximum of 100 characters long"]
        else:
            other = self.catalog.get(name)
            if other is not None and other["id"] != existing_id:
                errors["name"] = ["That URL is already in use."]
        for field_name in REQUIRED_FIELDS:
            if dataset.get(field_name) in (None, "", []):
                errors.setdefault(field_name, []).append("Missing value")
        email = dataset.get("maintainer_email")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(email)):
            errors.setdefault("maintainer_email", []).append(f"Email {email} is not a valid format")
        for field_name in MULTIPLE_CHOICE - {"resource_disaggregate"}:
            if field_name not in dataset:
                continue
            values = _as_list(dataset[field_name])
            dataset[field_name] = values
            for value in values:
                if value not in CHOICES[field_name]:
                    errors.setdefault(field_name, []).append(f'unexpected choice "{value}"')
        for field_name in REQUIRED_MULTIPLE_CHOICE:
            if not _as_list(dataset.get(field_name)):
                errors.setdefault(field_name, []).append("Select at least one")
        owner = dataset.get("owner_org")
        if owner and self.catalog.organization(str(owner)) is None:
            errors["owner_org"] = ["Organization does not exist"]
        resource_errors = []
        for resource in dataset.get("resources") or []:
            problems = {}
            if not resource.get("url"):
                problems["url"] = ["Missing value"]
            if "resource_disaggregate" in resource:
                resource["resource_disaggregate"] = _as_list(resource["resource_disaggregate"])
            resource_errors.append(problems)
        if any(resource_errors):
            errors["resources"] = resource_errors
        if errors:
            raise ValidationError(errors)
        if existing_id is not None:
            dataset["id"] = existing_id
        return dataset


class _HTTPServer(ThreadingHTTPServer):
    """Keeps the open connections, so that going away can cut them too."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: "ThaiGdcServer"):
        self.owner = owner
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self.connections_lock:
            self.connections.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to :meth:`ThaiGdcServer._respond`."""

    protocol_version = "HTTP/1.1"  # keep-alive, as CKAN behind nginx
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms stalls
    server: _HTTPServer

    def _any(self) -> None:
        self.server.owner._respond(self)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Quiet: tests read :attr:`ThaiGdcServer.requests` instead."""


class ThaiGdcServer:
    """The local thai_gdc CKAN over HTTP; see the module docstring.

    Use as a context manager (or :meth:`start`/:meth:`stop`); port 0 takes
    a free port. :attr:`url` is the CKAN root, :attr:`gateway_url` the
    keyed gateway; :attr:`requests` lists every request received.
    :attr:`status` holds status_show's answer (change it to play another
    CKAN or thai_gdc version); :attr:`timeout_sleep` is how long a
    "timeout" fault keeps the client waiting."""

    def __init__(self, catalog: ThaiGdcCatalog, *, token: Optional[str] = None,
                 token_header: str = "api-key", host: str = "127.0.0.1", port: int = 0,
                 site_title: str = "Open Government Data of Thailand",
                 reject_unknown_tokens: bool = False):
        self.catalog = catalog
        self.token = token
        self.token_header = token_header
        self.host = host
        self.port = port
        self.reject_unknown_tokens = reject_unknown_tokens
        self.timeout_sleep = 5.0
        self.requests: list[Request] = []
        #: Tracebacks of errors in the server itself (answered 500); tests may assert none.
        self.errors: list[str] = []
        self.status: dict[str, Any] = {
            "site_title": site_title,
            "site_description": "ศูนย์กลางข้อมูลเปิดภาครัฐ",
            "site_url": None,
            "thaigdc_catalog_type": "agency",
            "thaigdc_is_as_a_service": "false",
            "thaigdc_version": "2.2.4",
            "thaigdc_update": {"thai_gdc": "2024-10-22", "xloader": "", "discovery": ""},
            "ckan_version": "2.9.11",
            "error_emails_to": None,
            "locale_default": "th",
            "extensions": ["envvars", "image_view", "text_view", "recline_view", "datastore",
                           "xloader", "scheming_datasets", "scheming_organizations", "thai_gdc",
                           "dcat", "dcat_json_interface", "structured_data", "pdf_view",
                           "hierarchy_display", "hierarchy_form", "discovery",
                           "search_suggestions"],
        }
        self.actions = CkanActions(catalog, lambda: self.url, self.status)
        self._faults: dict[str, list[_Fault]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: Optional[_HTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- life cycle -----------------------------------------------------------
    @property
    def url(self) -> str:
        """The CKAN root: the action API is ``<url>/api/3/action/<action>``."""
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        """The keyed gateway: ``<gateway_url>/<action>``."""
        return f"{self.url}/get-ckan"

    def start(self) -> "ThaiGdcServer":
        """Serve in a daemon thread, the search index and the datasets' JSON
        built first (so the first requests are as quick as the others)."""
        self._stopping.clear()
        self._serve()
        self.catalog.warm(self.url)
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections and wake "timeout" faults."""
        self._stopping.set()
        self._shut()

    def __enter__(self) -> "ThaiGdcServer":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def go_away(self) -> None:
        """The remote goes away: the listening socket closes (connections
        are refused) and open connections are cut."""
        self._shut()

    def come_back(self) -> None:
        """Serve again, on the same port."""
        if self._httpd is None:
            self._serve()

    @property
    def away(self) -> bool:
        return self._httpd is None

    def _serve(self) -> None:
        httpd = _HTTPServer((self.host, self.port), self)
        self.port = httpd.server_address[1]
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"thai-gdc-server-{self.port}", daemon=True)
        self._httpd, self._thread = httpd, thread
        thread.start()

    def _shut(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        httpd.cut_connections()
        if thread is not None:
            thread.join(timeout=5)

    # -- faults and records ---------------------------------------------------
    def fail(self, action: str, kind: str, *, times: int = 1, after: int = 0) -> None:
        """Make the next ``times`` calls of ``action`` (``"*"``: any action),
        after ``after`` calls that go through, answer with ``kind``:

        * "500": CKAN's JSON ``Internal Server Error`` envelope, status 500;
        * "502"/"503": nginx's HTML page for a CKAN that is down or overloaded;
        * "timeout": no answer for :attr:`timeout_sleep` seconds (then the
          real answer, if the client still waits);
        * "malformed": status 200 with the answer's JSON cut in half;
        * "drop": the connection closed without an answer;
        * "404": CKAN's ``Not Found Error`` envelope (a page or dataset gone);
        * "403": the token refused (CKAN's ``Authorization Error`` envelope;
          the gateway's 403 on the gateway path).

        Faults queue up per action, in the order given."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {FAULT_KINDS}")
        if times < 1 or after < 0:
            raise ValueError("times must be at least 1 and after at least 0")
        with self._lock:
            self._faults.setdefault(action, []).append(_Fault(kind, after, times))

    def clear_faults(self) -> None:
        """Forget the faults not yet injected."""
        with self._lock:
            self._faults.clear()

    def calls(self, action: str) -> list[Request]:
        """The requests received for ``action``."""
        with self._lock:
            return [r for r in self.requests if r.action == action]

    def _take_fault(self, action: str) -> Optional[str]:
        with self._lock:
            for key in (action, "*"):
                queue = self._faults.get(key)
                if not queue:
                    continue
                fault = queue[0]
                if fault.after > 0:
                    fault.after -= 1
                    return None
                fault.times -= 1
                if fault.times == 0:
                    queue.pop(0)
                return fault.kind
        return None

    # -- HTTP -----------------------------------------------------------------
    def _respond(self, handler: _Handler) -> None:
        try:
            response = self._answer(handler)
        except (ConnectionError, socket.timeout):
            handler.close_connection = True
            return
        except Exception:  # a bug here: answer as CKAN does to an unexpected error
            self.errors.append(traceback.format_exc())
            error = {"__type": "Internal Server Error", "message": "Internal Server Error"}
            response = _Response(500, json.dumps({"success": False, "error": error}).encode(),
                                 JSON_TYPE)
        if response.drop:
            handler.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            handler.send_response(response.status)
            handler.send_header("Content-Type", response.content_type)
            handler.send_header("Content-Length", str(len(response.body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(response.body)
        except (ConnectionError, OSError):
            handler.close_connection = True  # the client gave up (e.g. its timeout)

    def _answer(self, handler: _Handler) -> _Response:
        parts = urlsplit(handler.path)
        path = parts.path
        query = _mixed(parse_qs(parts.query, keep_blank_values=True))
        body = _read_body(handler)
        headers = dict(handler.headers.items())
        route = re.fullmatch(r"/api(?:/3)?/action/([^/]+)", path)
        gateway = re.fullmatch(r"/get-ckan/([^/]+)", path)
        matched = route or gateway
        action = matched.group(1) if matched else None
        data: Optional[dict[str, Any]] = None
        bad_request: Optional[str] = None
        if action is not None:
            try:
                data = _request_data(handler.command, headers, query, body,
                                     read_only=action in CkanActions.READ_ACTIONS)
            except _BadRequest as error:
                bad_request = str(error)
        with self._lock:
            self.requests.append(Request(handler.command, path, action,
                                         data if data is not None else query, headers, body))
        if action is None:
            return self._other_path(handler.command, path)
        if handler.command not in ("GET", "POST", "HEAD"):  # CKAN's route takes GET and POST
            return _Response(405, _METHOD_NOT_ALLOWED_PAGE.encode(), HTML_TYPE)
        fault = self._take_fault(action)
        if fault == "timeout":
            self._stopping.wait(self.timeout_sleep)
            if self._stopping.is_set() or self._httpd is None:
                return _Response(0, b"", "", drop=True)
        elif fault is not None and fault != "malformed":
            return self._fault_response(fault, action, gateway is not None)
        response = self._action_response(action, gateway is not None, headers, query, data,
                                         bad_request)
        if fault == "malformed":  # status 200 and the answer's JSON cut in half
            return _Response(200, response.body[:max(1, len(response.body) // 2)], JSON_TYPE)
        return response

    def _action_response(self, action: str, gateway: bool, headers: dict[str, str],
                         query: dict[str, Any], data: Optional[dict[str, Any]],
                         bad_request: Optional[str]) -> _Response:
        """What CKAN (behind the gateway, for ``gateway``) answers."""
        if gateway:
            refused = self._gateway_refusal(headers, query)
            if refused is not None:
                return refused
            caller = _Caller(sysadmin=False)
            if data is not None:  # the gateway keeps its key to itself
                data = {k: v for k, v in data.items() if k != self.token_header}
        else:
            caller_or_refusal = self._standard_caller(headers, action)
            if isinstance(caller_or_refusal, _Response):
                return caller_or_refusal
            caller = caller_or_refusal
        if not self.actions.known(action):
            return self._bad_request(f"Action name not known: {action}")
        if bad_request is not None:
            return self._bad_request(f"JSON Error: {bad_request}")
        assert data is not None
        if "callback" in data:  # JSONP: CKAN answers it as an anonymous user
            data = {k: v for k, v in data.items() if k != "callback"}
            caller = _Caller(sysadmin=False)
        return self._call(action, data, caller)

    def _call(self, action: str, data: dict[str, Any], caller: _Caller) -> _Response:
        help_url = f"{self.url}/api/3/action/help_show?name={quote(action)}"
        try:
            result = self.actions.call(action, data, caller)
        except ActionError as error:
            envelope = {"help": help_url, "success": False, "error": error.error()}
            return _Response(error.status, json.dumps(envelope).encode(), JSON_TYPE)
        text = f'{{"help": {json.dumps(help_url)}, "success": true, "result": {_json(result)}}}'
        return _Response(200, text.encode(), JSON_TYPE)

    def _standard_caller(self, headers: dict[str, str], action: str) -> "_Caller | _Response":
        """The sysadmin if a token header holds the token; anonymous otherwise
        (or 403 for an unknown token with ``reject_unknown_tokens``)."""
        sent = [value for name, value in headers.items()
                if name.lower() in ("authorization", "x-ckan-api-key", self.token_header.lower())
                and value]
        if self.token is not None and self.token in sent:
            return _Caller(sysadmin=True)
        if sent and self.reject_unknown_tokens:
            help_url = f"{self.url}/api/3/action/help_show?name={quote(action)}"
            envelope = {"help": help_url, "success": False,
                        "error": NotAuthorized("the API token is not valid").error()}
            return _Response(403, json.dumps(envelope).encode(), JSON_TYPE)
        return _Caller(sysadmin=False)

    def _gateway_refusal(self, headers: dict[str, str], query: dict[str, Any]) -> Optional[_Response]:
        key = next((value for name, value in headers.items()
                    if name.lower() == self.token_header.lower()), None) or query.get(
            self.token_header)
        if not key:
            return _Response(401, json.dumps({"message": "No API key found in request"}).encode(),
                             JSON_TYPE)
        if self.token is not None and key != self.token:
            return _Response(403, json.dumps(
                {"message": "Invalid authentication credentials"}).encode(), JSON_TYPE)
        return None

    def _fault_response(self, kind: str, action: str, gateway: bool) -> _Response:
        """The answer of an injected fault (see :meth:`fail`)."""
        if kind == "drop":
            return _Response(0, b"", "", drop=True)
        if kind in ("502", "503"):
            reason = "Bad Gateway" if kind == "502" else "Service Temporarily Unavailable"
            page = _NGINX_PAGE.format(status=kind, reason=reason)
            return _Response(int(kind), page.encode(), HTML_TYPE)
        if kind == "403" and gateway:
            return _Response(403, json.dumps(
                {"message": "Invalid authentication credentials"}).encode(), JSON_TYPE)
        status, error = {
            "500": (500, {"__type": "Internal Server Error", "message": "Internal Server Error"}),
            "404": (404, NotFound().error()),
            "403": (403, NotAuthorized().error()),
        }[kind]
        help_url = f"{self.url}/api/3/action/help_show?name={quote(action)}"
        envelope = {"help": help_url, "success": False, "error": error}
        return _Response(status, json.dumps(envelope).encode(), JSON_TYPE)

    def _bad_request(self, detail: str) -> _Response:
        return _Response(400, json.dumps(f"Bad request - {detail}").encode(), JSON_TYPE)

    def _other_path(self, method: str, path: str) -> _Response:
        if path in ("/api", "/api/"):
            return _Response(200, b'{"version": 1}', JSON_TYPE)
        if path in ("/api/3", "/api/3/"):
            return _Response(200, b'{"version": 3}', JSON_TYPE)
        download = re.fullmatch(r"/dataset/([^/]+)/resource/([^/]+)/download/([^/]*)", path)
        if download and method in ("GET", "HEAD"):
            found = self._download(*download.groups())
            if found is not None:
                return found
        return _Response(404, _NGINX_PAGE.format(status=404, reason="Not Found").encode(),
                         HTML_TYPE)

    def _download(self, dataset_id: str, resource_id: str, file_name: str) -> Optional[_Response]:
        """A public dataset's resource file (generated content of its format)."""
        with self.catalog.lock:
            dataset = self.catalog.get(dataset_id)
            if dataset is None or dataset.get("state") != "active" or dataset.get("private"):
                return None
            resource = next((r for r in dataset.get("resources") or []
                             if r.get("id") == resource_id), None)
            if resource is None:
                return None
            title = dataset.get("title") or ""
            fmt = str(resource.get("format") or "").upper()
            mimetype = resource.get("mimetype") or "application/octet-stream"
        if fmt == "CSV":
            content = f"ลำดับ,รายการ,จำนวน\n1,{title},120\n2,{title},98\n".encode("utf-8")
            return _Response(200, content, "text/csv; charset=utf-8")
        return _Response(200, f"{fmt} file of {file_name}".encode("utf-8"), mimetype)


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body (Content-Length or chunked)."""
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                handler.rfile.readline()
                break
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        return b"".join(chunks)
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _request_data(method: str, headers: dict[str, str], query: dict[str, Any], body: bytes,
                  read_only: bool) -> dict[str, Any]:
    """The action's data as CKAN's ``_get_request_data`` reads it: a form
    body, else (read-only actions) the query string, else a JSON body."""
    if method == "GET" and not read_only:
        raise _BadRequest("Invalid request. Please use POST method for your request")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if method in ("POST", "PUT") and body and content_type.startswith(
            "application/x-www-form-urlencoded"):
        form = _mixed(parse_qs(body.decode("utf-8"), keep_blank_values=True))
        if len(form) == 1 and list(form.values())[0] in ("1", ""):
            try:
                data = json.loads(list(form)[0])
            except ValueError as error:
                raise _BadRequest(f"Error decoding JSON data. Error: {error!r}") from None
        else:
            data = form
    elif query and read_only:
        data = dict(query)
    elif body and not content_type.startswith("multipart/form-data"):
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError as error:
            raise _BadRequest(f"Error decoding JSON data. Error: {error!r} JSON data extracted "
                              f"from the request: {body[:200]!r}") from None
    else:
        data = {}
    if not isinstance(data, dict):
        raise _BadRequest(f"Request data JSON decoded to {data!r} but it needs to be a dictionary.")
    return data
