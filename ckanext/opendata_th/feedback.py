"""Feedback's glue: the configuration the rules read, the sender's address
and submission count (Redis), who moderates a dataset's feedback, and the
open counts per dataset and organization.

The rules are :mod:`ckanext.opendata_th.playbook.feedback`; the actions
(logic/action/feedback.py) store what they decide. Nothing here commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

import flask
import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.opendata_th import ratelimit
from ckanext.opendata_th.model.feedback import Feedback
from ckanext.opendata_th.playbook import feedback as rules
from ckanext.opendata_th.workflow import dataset  # noqa: F401  (the active dataset by id or name)

RATE_COUNT_OPTION = "ckanext.opendata_th.feedback.rate_limit.count"
RATE_WINDOW_OPTION = "ckanext.opendata_th.feedback.rate_limit.window"
WORDS_OPTION = "ckanext.opendata_th.feedback.blocked_words"
LINKS_OPTION = "ckanext.opendata_th.feedback.max_links"
MODERATE_OPTION = "ckanext.opendata_th.feedback.moderate_signed_in"

HONEYPOT_FIELD = "website"
"""The form field people never see (hidden by the page); programs that fill
in every field fill it in."""

_RATE_DONE = "_opendata_th_feedback_rate"
"""Where a request keeps its rate decision (flask.g): it is counted once,
whether the API's check or the action asks first."""


# -- configuration -------------------------------------------------------------------

def rate_limit() -> rules.RateLimit:
    return rules.RateLimit(count=tk.asint(tk.config.get(RATE_COUNT_OPTION, 10)),
                           window=max(1, tk.asint(tk.config.get(RATE_WINDOW_OPTION, 600))))


def spam_rules() -> rules.SpamRules:
    return rules.SpamRules(blocked_words=rules.parse_word_list(tk.config.get(WORDS_OPTION) or ""),
                           max_links=tk.asint(tk.config.get(LINKS_OPTION, rules.DEFAULT_MAX_LINKS)))


def moderate_signed_in() -> bool:
    return tk.asbool(tk.config.get(MODERATE_OPTION, False))


# -- how often one sender sends ----------------------------------------------------------

RATE_SCOPE = "feedback"
"""The scope of feedback's counts in :mod:`.ratelimit`."""


def count_submission() -> Optional[rules.RateDecision]:
    """Count this request's submission for its sender (:mod:`.ratelimit`)
    and decide whether it is allowed (None outside a request). Counted once
    per request: a second call gives the first's decision."""
    if not flask.has_request_context():
        return None
    done = flask.g.get(_RATE_DONE)
    if done is not None:
        return done
    decision = ratelimit.hit(RATE_SCOPE, rate_limit())
    setattr(flask.g, _RATE_DONE, decision)
    return decision


# -- datasets and people --------------------------------------------------------------------

def item(feedback_id: object) -> Optional[Feedback]:
    if not isinstance(feedback_id, str) or not feedback_id or len(feedback_id) > 100:
        return None
    return model.Session.get(Feedback, feedback_id)


def may_read(user: Optional[str], package: model.Package) -> bool:
    """Whether the user may see the dataset (CKAN's package_show)."""
    try:
        tk.check_access("package_show", {"user": user or "", "model": model}, {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def is_public(package: model.Package) -> bool:
    """Whether the dataset is published (feedback may be sent and read)."""
    return package.state == "active" and not package.private


# -- counts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    """A dataset's or an organization's feedback in numbers."""

    open: int = 0
    """Complaints and error reports shown and not resolved: they count
    against the dataset."""
    held: int = 0
    """Items waiting for review."""
    unanswered: int = 0
    """Items shown that nobody has answered nor resolved yet."""
    shown: int = 0
    """Items shown to everyone."""

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.open + other.open, self.held + other.held,
                      self.unanswered + other.unanswered, self.shown + other.shown)

    def as_dict(self) -> dict[str, int]:
        return {"open": self.open, "held": self.held, "unanswered": self.unanswered, "shown": self.shown}


def held_count(organization_id: str) -> int:
    """How many items on the organization's active datasets wait for
    review (its moderation queue), in one query."""
    f, p = Feedback.__table__, model.package_table
    return int(model.Session.execute(sa.select(sa.func.count()).select_from(
        f.join(p, p.c.id == f.c.package_id)).where(
        p.c.state == "active", p.c.owner_org == organization_id,
        f.c.visibility == rules.HELD)).scalar() or 0)


def counts(*, package_ids: Optional[Iterable[str]] = None,
           organization_ids: Optional[Iterable[str]] = None) -> dict[str, Any]:
    """The feedback counts of the given datasets, or of every dataset of the
    given organizations, in one aggregate query: ``{"datasets": {package_id:
    Counts}, "organizations": {organization_id: Counts}}`` (datasets without
    feedback are left out; deleted datasets do not count)."""
    f = Feedback.__table__
    p = model.package_table
    shown = f.c.visibility == rules.VISIBLE
    query = sa.select(
        f.c.package_id, p.c.owner_org,
        sa.func.count().filter(sa.and_(shown, f.c.kind.in_(sorted(rules.COUNTED_KINDS)),
                                       f.c.progress != rules.RESOLVED)),
        sa.func.count().filter(f.c.visibility == rules.HELD),
        sa.func.count().filter(sa.and_(shown, f.c.progress == rules.OPEN)),
        sa.func.count().filter(shown),
    ).select_from(f.join(p, p.c.id == f.c.package_id)).where(p.c.state == "active").group_by(
        f.c.package_id, p.c.owner_org)
    if package_ids is not None:
        query = query.where(f.c.package_id.in_(sorted(set(package_ids))))
    if organization_ids is not None:
        query = query.where(p.c.owner_org.in_(sorted(set(organization_ids))))
    datasets: dict[str, Counts] = {}
    organizations: dict[str, Counts] = {}
    for package_id, owner_org, open_, held, unanswered, shown_ in model.Session.execute(query):
        found = Counts(open_, held, unanswered, shown_)
        datasets[package_id] = found
        if owner_org:
            organizations[owner_org] = organizations.get(owner_org, Counts()) + found
    return {"datasets": datasets, "organizations": organizations}
