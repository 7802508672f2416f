"""Dataset requests' pages: the public list (filters by status and
organization, pages), the form anyone uses to ask for a dataset, and a
request's page with its history, where the organization's admins triage
it, sysadmins address it to an organization, and the requester answers a
question (with the secret link of their request).

Every page reads and writes through the ``opendata_th_request_*`` actions
(their auth functions decide who sees and does what). GETs never write;
the forms check the CSRF token (see :mod:`.csrf`), also for visitors
without an account. A form refused comes back in place with its messages
and input, nothing saved.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import ratelimit
from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

dataset_request = Blueprint("opendata_th_dataset_request", __name__)
dataset_request.after_app_request(ratelimit.as_429)

PAGE_SIZE = 20
MAX_PAGE = 5000
MAX_TEXT = 2100
"""Characters of a long text read from a form (the rules allow 2000: a
longer text is refused with its message, not cut silently)."""
MAX_SHORT = 300
FORM_FIELDS = ("title", "description", "purpose", "organization_id", "name", "email")
HONEYPOT = "homepage"
NOT_FOUND = "Dataset request not found"


# -- helpers -----------------------------------------------------------------------------

def _posted(name: str, limit: int = MAX_SHORT) -> str:
    return (tk.request.form.get(name) or "")[:limit]


def _page() -> int:
    try:
        return max(1, min(int(tk.request.args.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


def _too_many(page: Any, error: ratelimit.RateLimited):
    """A page refused by the rate limit (429), with when to try again."""
    response = make_response(page)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _organizations() -> list[tuple[str, str]]:
    """(name, title) of every active organization, by title, for the form's
    and the filter's lists (one query)."""
    rows = model.Session.query(model.Group.name, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").order_by(
        model.Group.title, model.Group.name)
    return [(name, title or name) for name, title in rows]


def _schema() -> dict[str, Any]:
    return calls.action("opendata_th_request_schema_show", {})


def _show(id: str) -> dict[str, Any]:
    try:
        return calls.action("opendata_th_request_show", {"id": id[:200]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._(NOT_FOUND))


# -- the list ----------------------------------------------------------------------------------

@dataset_request.route("/dataset-request")
def index():
    """Every request with its status, newest first; filters by status and
    organization; "waiting for me" for those who triage."""
    filters = {key: tk.request.args.get(key, "").strip()[:200] for key in ("state", "organization", "mine")
               if tk.request.args.get(key, "").strip()}
    page = _page()
    data_dict: dict[str, Any] = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    if filters.get("state"):
        data_dict["state"] = filters["state"]
    if filters.get("organization"):
        data_dict["organization_id"] = filters["organization"]
    if filters.get("mine"):
        data_dict["for_triage"] = True
    try:
        listing = calls.action("opendata_th_request_list", data_dict)
    except tk.ValidationError as error:
        return tk.abort(400, " ".join(text for texts in calls.errors_by_field(error).values() for text in texts))
    pages = max(1, -(-listing["count"] // PAGE_SIZE))
    schema = _schema()
    return tk.render("opendata_th/dataset_request/index.html", {
        "listing": listing, "filters": filters, "page": page, "pages": pages,
        "states": schema["states"], "organizations": _organizations(),
        "triager": tk.current_user.is_authenticated,
        "page_url": lambda number: tk.h.url_for("opendata_th_dataset_request.index", page=number, **filters),
    })


# -- asking for a dataset ---------------------------------------------------------------------------

def _form(values: dict[str, str], errors: dict[str, list[str]] | None = None, status: int = 200):
    html = tk.render("opendata_th/dataset_request/new.html", {
        "values": values, "errors": errors or {}, "organizations": _organizations(),
        "limits": _schema()["limits"],
    })
    return html if status == 200 else (html, status)


@dataset_request.route("/dataset-request/new")
def new():
    """The form: what, why, the organization if known, name and e-mail
    (optional). ``?organization=<name>`` chooses the organization."""
    return _form({"organization_id": tk.request.args.get("organization", "")[:200]})


@dataset_request.route("/dataset-request/new", methods=["POST"])
def create():
    """Send the form: the thank-you page with the request's links, or the
    form again with what to correct. A program that fills the hidden field
    gets the same thank-you page, and nothing is saved."""
    protect_from_csrf()
    values = {key: _posted(key, MAX_TEXT if key in ("description", "purpose") else MAX_SHORT)
              for key in FORM_FIELDS}
    try:
        created = calls.action("opendata_th_request_create", {**values, HONEYPOT: _posted(HONEYPOT)})
    except ratelimit.RateLimited as error:
        return _too_many(_form(values, calls.errors_by_field(error), status=429), error)
    except tk.ValidationError as error:
        errors = calls.errors_by_field(error)
        if HONEYPOT in errors:
            return tk.render("opendata_th/dataset_request/thanks.html",
                             {"request": None, "reply_url": "", "email": ""})
        return _form(values, errors, status=400)
    reply_url = tk.h.url_for("opendata_th_dataset_request.read", id=created["id"], key=created["reply_key"],
                             _external=True, _anchor="reply")
    return tk.render("opendata_th/dataset_request/thanks.html",
                     {"request": created, "reply_url": reply_url, "email": values["email"].strip()})


# -- one request ----------------------------------------------------------------------------------

def _read_page(request: dict[str, Any], *, errors: dict[str, dict[str, list[str]]] | None = None,
               form: dict[str, Any] | None = None, status: int = 200):
    key = tk.request.args.get("key", "")[:200] or (form or {}).get("key", "")
    can_reply = request["state"] == "needs_info" and calls.allowed(
        "opendata_th_request_reply", {"id": request["id"], "key": key})
    html = tk.render("opendata_th/dataset_request/read.html", {
        "request": request, "schema": _schema(), "errors": errors or {}, "form": form or {},
        "can_reply": can_reply, "key": key if can_reply else "",
        "can_assign": request["open"] and calls.allowed("opendata_th_request_assign", {"id": request["id"]}),
        "organizations": _organizations(), "data_types": _data_types(),
        "user_email": tk.current_user.email if tk.current_user.is_authenticated else "",
    })
    return html if status == 200 else (html, status)


def _data_types() -> list[tuple[str, str]]:
    """(value, label) of the data types a candidate may be made with (the
    "other" type needs its own text: the dataset's form asks for it)."""
    from ckanext.opendata_th.playbook import national_schema
    from ckanext.opendata_th.playbook.vocabulary import OTHER_DATA_TYPE

    field = national_schema.FIELDS["dataset"]["data_type"]
    english = tk.h.lang() == "en"
    return [(value, field.choice_labels_en.get(value, value) if english else value)
            for value in field.choices if value != OTHER_DATA_TYPE]


def _dataset_reference(text: str) -> str:
    """The dataset's name or id, also from its pasted address
    (``https://portal/dataset/<name>``)."""
    text = text.strip()
    marker = "/dataset/"
    if marker in text:
        text = text.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return text


@dataset_request.route("/dataset-request/<id>")
def read(id: str):
    """The request, its status, the dataset linked (once it may be seen)
    and its history; the triage, assignment and answer forms for those
    who may use them."""
    return _read_page(_show(id))


def _done(request: dict[str, Any], message: str):
    tk.h.flash_success(message)
    return tk.redirect_to("opendata_th_dataset_request.read", id=request["id"])


@dataset_request.route("/dataset-request/<id>/triage", methods=["POST"])
def triage(id: str):
    """Decide on the request (a form of the page)."""
    protect_from_csrf()
    request = _show(id)
    data = {"id": request["id"], "decision": _posted("decision", 50), "comment": _posted("comment", MAX_TEXT),
            "reason": _posted("reason", 50), "dataset": _dataset_reference(_posted("dataset", 500)),
            "dataset_title": _posted("dataset_title"), "data_type": _posted("data_type", 100),
            "maintainer_email": _posted("maintainer_email")}
    try:
        result = calls.action("opendata_th_request_triage", {k: v for k, v in data.items() if v})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        return _read_page(request, errors={f"decision:{data['decision']}": calls.errors_by_field(error)}, form=data,
                          status=400)
    return _done(result, tk._("Saved: the request is now “{state}”.").format(state=result["state_label"]))


@dataset_request.route("/dataset-request/<id>/assign", methods=["POST"])
def assign(id: str):
    """Address the request to an organization (sysadmins)."""
    protect_from_csrf()
    request = _show(id)
    data = {"id": request["id"], "organization_id": _posted("organization_id", 200),
            "comment": _posted("comment", MAX_TEXT)}
    try:
        result = calls.action("opendata_th_request_assign", data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        return _read_page(request, errors={"assign": calls.errors_by_field(error)}, form=data, status=400)
    organization = result.get("organization") or {}
    return _done(result, tk._("The request is addressed to “{organization}”.").format(
        organization=organization.get("title") or ""))


@dataset_request.route("/dataset-request/<id>/reply", methods=["POST"])
def reply(id: str):
    """The requester's answer to the organization's question."""
    protect_from_csrf()
    request = _show(id)
    data = {"id": request["id"], "key": _posted("key", 200), "reply": _posted("reply", MAX_TEXT)}
    try:
        result = calls.action("opendata_th_request_reply", data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(NOT_FOUND))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except ratelimit.RateLimited as error:
        return _too_many(_read_page(request, errors={"reply": calls.errors_by_field(error)}, form=data, status=429), error)
    except tk.ValidationError as error:
        return _read_page(request, errors={"reply": calls.errors_by_field(error)}, form=data, status=400)
    return _done(result, tk._("Thank you: your answer is sent to the organization."))
