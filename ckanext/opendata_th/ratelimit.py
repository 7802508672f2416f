"""How often one sender may do something that anyone may do without an
account (ask for a dataset, answer a question), counted in Redis so that
every web worker sees the same counts.

Each sender (a signed-in user's account; otherwise the address the
request came from, or its IPv6 /64 network: the rules are
:func:`.playbook.feedback.client_address` and
:func:`~.playbook.feedback.rate_key`, behind the reverse proxies of
``ckanext.opendata_th.feedback.trusted_proxies``, the same as feedback's)
gets a counter per scope and fixed window of time, which Redis forgets
when the window ends. Over the limit, the action raises
:class:`RateLimited`: a ValidationError (the pages show its message in
place), which the API answers with HTTP 429 and ``Retry-After``
(:func:`as_429`, an ``after_app_request`` hook of the dataset-request
blueprint). When Redis cannot be reached the sender is let through (and
the error logged): the forms keep working.
"""
from __future__ import annotations

import hashlib
import logging
import time

import flask

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.opendata_th import localize
from ckanext.opendata_th.playbook.feedback import RateDecision, RateLimit, client_address, rate_decision, rate_key
from ckanext.opendata_th.playbook.messages import Message

log = logging.getLogger(__name__)

PROXIES_OPTION = "ckanext.opendata_th.feedback.trusted_proxies"
"""How many reverse proxies in front of CKAN append to X-Forwarded-For (the
option's name is feedback's, which had the first rate limit)."""

_FLAG = "opendata_th_rate_limited"
"""``flask.g`` attribute: the seconds after which a refused sender may try again."""


class RateLimited(tk.ValidationError):
    """Too many attempts from one sender: a ValidationError whose message
    is in the request's language, answered with 429 on the API."""

    def __init__(self, field: str, message: Message, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__({field: [localize.text(message)]})


def trusted_proxies() -> int:
    return max(0, tk.asint(tk.config.get(PROXIES_OPTION, 0)))


def sender() -> str | None:
    """The key the current request's sender is counted under (None outside
    a web request: a command, a job, a test calling the action)."""
    if not flask.has_request_context():
        return None
    if tk.current_user.is_authenticated:
        return f"user:{tk.current_user.id}"
    request = flask.request
    address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                             trusted_proxies())
    return f"ip:{rate_key(address)}"


def hit(scope: str, limit: RateLimit, who: str | None = None) -> RateDecision:
    """Count one attempt of the sender (``who``, by default the current
    request's) in ``scope`` and decide whether it is allowed."""
    who = who if who is not None else sender()
    if who is None or limit.count <= 0 or limit.window <= 0:
        return RateDecision(True, 0)
    now = int(time.time())
    start = now - now % limit.window
    digest = hashlib.sha256(who.encode("utf-8")).hexdigest()[:32]  # no address is stored
    key = f"{tk.config.get('ckan.site_id')}:opendata_th:rate:{scope}:{digest}:{start}"
    try:
        pipe = connect_to_redis().pipeline()
        pipe.incr(key)
        pipe.expire(key, limit.window + 1)
        count, _ok = pipe.execute()
    except Exception as error:  # Redis away: let the sender through, say so in the log
        log.warning("Rate limit %s not counted: %s", scope, error)
        return RateDecision(True, 0)
    return rate_decision(int(count), limit, start + limit.window - now)


def refuse(field: str, message: Message, decision: RateDecision) -> RateLimited:
    """The error of a refused attempt; the API's answer becomes 429."""
    if flask.has_request_context():
        setattr(flask.g, _FLAG, decision.retry_after)
    return RateLimited(field, message, decision.retry_after)


def as_429(response: flask.Response) -> flask.Response:
    """``after_app_request`` hook: an API call refused by a rate limit is
    answered 429 Too Many Requests with ``Retry-After`` (the action's
    ValidationError made it 409)."""
    retry_after = flask.g.pop(_FLAG, None)
    if retry_after is not None and response.status_code == 409 and flask.request.path.startswith("/api/"):
        response.status_code = 429
        response.headers["Retry-After"] = str(retry_after)
    return response
