"""Feedback's pages: a published dataset's feedback (everything shown on it,
with the answers, and the form anyone may send without an account), the
block on the dataset page, and the organization's moderation queue, where
its editors approve, answer, resolve, reopen, hold or hide items.

Every page reads and writes through the ``opendata_th_feedback_*`` actions
as the request's user (their auth functions decide who sees and does what).
GETs never write. The forms work without JavaScript and carry CKAN's CSRF
token, checked here (see :mod:`.csrf`) as CKAN 2.11 checks its own forms: for
a signed-in session. A request without one carries nobody's authority to
abuse, and CKAN does not check it (flask-login's request loader marks it as
an API-token request, which CKAN exempts): visitors without an account send
the form as they send CKAN's own registration form. Their cost is bounded by
the per-sender rate limit, the length limits and the honeypot instead.
Submissions over the rate limit get a 429 page, and API calls a 429 answer
before the action runs (:func:`limit_api_submissions`).
"""
from __future__ import annotations

import re
from typing import Any, Optional

import flask
from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import localize
from ckanext.opendata_th.views import calls
from ckanext.opendata_th.views.csrf import protect_from_csrf

feedback = Blueprint("opendata_th_feedback", __name__)

PAGE_SIZE = 20
QUEUE_SIZE = 20
MAX_PAGE = 500
BLOCK_ITEMS = 3
"""Items the dataset page shows (the feedback page has them all)."""
MAX_FIELD = 20
"""Characters of a short field read from a form (a kind, a step)."""
SLACK = 1000
"""Characters read beyond a text's limit: a longer text is refused with its
length, not cut silently, and a huge one costs no more than this."""
QUEUE_VIEWS = ("held", "unresolved", "resolved", "hidden", "all")
"""The moderation queue's tabs."""
API_CREATE = re.compile(r"^/api/(?:\d+/)?action/opendata_th_feedback_create/?$")


def _rules():
    from ckanext.opendata_th.playbook import feedback as rules

    return rules


def _kinds() -> list[tuple[str, str]]:
    rules = _rules()
    return [(kind, localize.text(rules.KIND_LABELS[kind])) for kind in rules.KINDS]


def _posted(name: str, limit: int) -> str:
    return (tk.request.form.get(name) or "")[:limit]


def _page() -> int:
    try:
        return max(1, min(int(tk.request.args.get("page", "1")[:6]), MAX_PAGE))
    except ValueError:
        return 1


# -- the API's rate limit ----------------------------------------------------------------------

@feedback.before_app_request
def limit_api_submissions() -> Optional[flask.Response]:
    """Before ``opendata_th_feedback_create`` is called through the API:
    count the submission and answer 429 (with ``Retry-After``) when its
    sender is over the limit. The action would otherwise refuse it with a
    409, as CKAN's API turns every other error into."""
    if flask.request.method != "POST" or not API_CREATE.match(flask.request.path):
        return None
    from ckanext.opendata_th import feedback as glue
    from ckanext.opendata_th.views.api_language import choose_api_language

    decision = glue.count_submission()
    if decision is None or decision.allowed:
        return None
    choose_api_language()  # this hook runs before the one that reads Accept-Language
    response = flask.jsonify({
        "help": tk.h.url_for("api.action", ver=3, logic_function="help_show",
                             name="opendata_th_feedback_create", _external=True),
        "success": False,
        "error": {"__type": "Too Many Requests",
                  "message": localize.text(_rules().rate_refusal(decision))}})
    response.status_code = 429
    response.headers["Retry-After"] = str(decision.retry_after)
    return response


# -- a dataset's feedback -------------------------------------------------------------------------

def _published_or_404(id: str) -> dict[str, Any]:
    package = calls.dataset_or_404(id)
    if package.get("private"):
        return tk.abort(404, tk._("Feedback is shown only on published datasets"))
    return package


def _listing(package: dict[str, Any], page: int) -> dict[str, Any]:
    try:
        return calls.action("opendata_th_feedback_list", {
            "package_id": package["id"], "visibility": "visible", "limit": PAGE_SIZE,
            "offset": (page - 1) * PAGE_SIZE})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Feedback is shown only on published datasets"))


def _read_page(package: dict[str, Any], *, errors: Optional[dict[str, list[str]]] = None,
               form: Optional[dict[str, str]] = None, status: int = 200):
    page = _page()
    listing = _listing(package, page)
    pages = max(1, -(-listing["count"] // PAGE_SIZE))
    return tk.render("opendata_th/feedback/read.html", {
        "pkg_dict": package, "pkg": package, "dataset_type": package.get("type") or "dataset",
        "listing": listing, "page": page, "pages": pages,
        "page_url": lambda number: tk.h.url_for("opendata_th_feedback.read", id=package["name"], page=number),
        "kinds": _kinds(), "errors": errors or {}, "form": form or {},
        "queue_url": _queue_url(package) if listing.get("moderator") else None,
    }), status


def _queue_url(package: dict[str, Any]) -> Optional[str]:
    organization = package.get("organization") or {}
    if not organization.get("name"):
        return None
    return tk.h.url_for("opendata_th_feedback.queue", id=organization["name"])


@feedback.route("/dataset/<id>/feedback")
def read(id: str):
    """Everything shown on a published dataset, with the answers, and the form."""
    return _read_page(_published_or_404(id))


@feedback.route("/dataset/<id>/feedback", methods=["POST"])
def create(id: str):
    """Send feedback (anyone): the feedback page again with the errors, a
    429 page over the rate limit, or back to the page with what happens next."""
    protect_from_csrf()
    package = _published_or_404(id)
    rules = _rules()
    form = {"kind": _posted("kind", MAX_FIELD), "message": _posted("message", rules.MAX_MESSAGE + SLACK),
            "name": _posted("name", rules.MAX_NAME + SLACK), "email": _posted("email", rules.MAX_EMAIL + SLACK)}
    from ckanext.opendata_th import feedback as glue
    from ckanext.opendata_th.logic.action.feedback import RateLimited

    honeypot = _posted(glue.HONEYPOT_FIELD, 200)
    try:
        result = calls.action("opendata_th_feedback_create", {
            "package_id": package["id"], **form, glue.HONEYPOT_FIELD: honeypot})
    except RateLimited as error:
        response = flask.make_response(*_read_page(package, errors=calls.errors_by_field(error), form=form, status=429))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except tk.ValidationError as error:
        return _read_page(package, errors=calls.errors_by_field(error), form=form, status=400)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Feedback is shown only on published datasets"))
    tk.h.flash_success(result["notice"])
    return tk.redirect_to(tk.h.url_for("opendata_th_feedback.read", id=package["name"],
                                       _anchor=f"feedback-{result['id']}" if result["visible"] else "feedback-sent"))


# -- the organization's moderation queue -------------------------------------------------------------

def _view() -> tuple[str, str]:
    """The queue's tab and kind filter of the URL (unknown values: the default)."""
    view = tk.request.args.get("show", "held")[:MAX_FIELD]
    kind = tk.request.args.get("kind", "")[:MAX_FIELD]
    return (view if view in QUEUE_VIEWS else "held"), (kind if kind in _rules().KINDS else "")


def _filters(view: str) -> dict[str, str]:
    return {"held": {"visibility": "held", "sort": "oldest"},
            "unresolved": {"visibility": "visible", "progress": "unresolved", "sort": "oldest"},
            "resolved": {"visibility": "visible", "progress": "resolved"},
            "hidden": {"visibility": "hidden"},
            "all": {}}[view]


def _queue_page(organization: dict[str, Any], *, errors: Optional[dict[str, dict[str, list[str]]]] = None,
                texts: Optional[dict[str, dict[str, str]]] = None, status: int = 200):
    view, kind = _view()
    page = _page()
    try:
        listing = calls.action("opendata_th_feedback_list", {
            "organization_id": organization["id"], **_filters(view), **({"kind": kind} if kind else {}),
            "limit": QUEUE_SIZE, "offset": (page - 1) * QUEUE_SIZE})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the editors of the organization can see its feedback queue"))
    pages = max(1, -(-listing["count"] // QUEUE_SIZE))

    def url(**changes: Any) -> str:
        query = {"show": view, "kind": kind, "page": page, **changes}
        return tk.h.url_for("opendata_th_feedback.queue", id=organization["name"],
                            **{key: value for key, value in query.items() if value not in ("", None, 1)})

    tabs = [{"key": key, "label": label, "url": url(show=key, page=1), "current": key == view}
            for key, label in (("held", tk._("Waiting for review")), ("unresolved", tk._("Not resolved yet")),
                               ("resolved", tk._("Resolved")), ("hidden", tk._("Hidden")),
                               ("all", tk._("All")))]
    return tk.render("opendata_th/feedback/queue.html", {
        "group_dict": organization, "group_type": "organization",
        "listing": listing, "tabs": tabs, "view": view, "kind": kind, "kinds": _kinds(),
        "page": page, "pages": pages, "page_url": lambda number: url(page=number),
        "return_query": {"show": view, "kind": kind, "page": page},
        "errors": errors or {}, "texts": texts or {},
    }), status


@feedback.route("/organization/feedback/<id>")
def queue(id: str):
    """The feedback of the organization's datasets, for its editors."""
    return _queue_page(calls.organization_or_404(id))


@feedback.route("/organization/feedback/<id>/<item_id>", methods=["POST"])
def moderate(id: str, item_id: str):
    """One moderation step on one item (a button of the queue)."""
    protect_from_csrf()
    organization = calls.organization_or_404(id)
    rules = _rules()
    name = _posted("step", MAX_FIELD)
    if name not in rules.STEPS:
        return tk.abort(400, tk._("Unknown moderation step"))
    step = rules.STEPS[name]
    text = _posted(step.text_field, step.text_limit + SLACK)
    try:
        calls.action(f"opendata_th_feedback_{name}", {"id": item_id[:100], step.text_field: text})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Feedback not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the editors of the dataset's organization can moderate its feedback"))
    except tk.ValidationError as error:
        return _queue_page(organization, errors={item_id: calls.errors_by_field(error)},
                           texts={item_id: {name: text}}, status=400)
    tk.h.flash_success(tk._("Done: “{step}”.").format(step=localize.text(step.label)))
    view, kind = _view()
    query = {key: value for key, value in (("show", view), ("kind", kind), ("page", _page()))
             if value not in ("", 1)}
    return tk.redirect_to(tk.h.url_for("opendata_th_feedback.queue", id=organization["name"],
                                       _anchor=f"feedback-{item_id[:100]}", **query))


# -- template helpers ---------------------------------------------------------------------------------

def opendata_th_feedback_block(package: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The dataset page's feedback block: None for a dataset that is not
    published (no feedback shown, no form); otherwise the newest items
    shown, their number, the open complaints and error reports, the form's
    kinds, and for the organization's editors the queue's address and the
    number of items waiting for review."""
    if not package or not package.get("id") or package.get("private") or package.get("state") != "active":
        return None
    try:
        listing = calls.action("opendata_th_feedback_list", {
            "package_id": package["id"], "visibility": "visible", "limit": BLOCK_ITEMS})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    return {"items": listing["items"], "count": listing["count"], "counts": listing["counts"],
            "kinds": _kinds(), "moderator": listing["moderator"],
            "url": tk.h.url_for("opendata_th_feedback.read", id=package.get("name") or package["id"]),
            "queue_url": _queue_url(package) if listing["moderator"] else None}


def opendata_th_feedback_queue_tab(organization: dict[str, Any]) -> Optional[int]:
    """For the organization page's tab: the number of items waiting for
    review, for the organization's editors (None: no tab)."""
    if (not organization or not organization.get("id") or not tk.current_user.is_authenticated
            or not organization.get("is_organization", True)):
        return None
    if not calls.allowed("opendata_th_feedback_list", {"organization_id": organization["id"]}):
        return None
    from ckanext.opendata_th import feedback as glue

    return glue.held_count(organization["id"])
