"""``ckan opendata-th ...`` commands."""
from __future__ import annotations

import click
import ckan.plugins.toolkit as tk

__all__ = ["opendata_th"]


@click.group("opendata-th", short_help="Thai open-data playbook commands")
def opendata_th():
    """ckanext-opendata-th: the Thai open-data disclosure playbook."""


@opendata_th.command()
@click.option("--org", "org_name", default=None,
              help="Organization to create (default: "
                   "ckanext.opendata_th.demo.organization)")
def demo(org_name: str | None):
    """Load a demo agency with realistic Thai datasets and CSV resources."""
    from ckanext.opendata_th.demo.load import load_demo

    org_name = org_name or tk.config.get("ckanext.opendata_th.demo.organization")
    result = load_demo(org_name)
    for name in result["created"]:
        click.echo(f"created  {name}")
    for name in result["existing"]:
        click.echo(f"exists   {name}")


def _organization_not_found(org_name: str) -> click.ClickException:
    return click.ClickException(f"ไม่พบหน่วยงาน / Organization not found: {org_name}")


@opendata_th.command()
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def overdue(org_name: str | None):
    """List datasets whose next update is overdue (most overdue first)."""
    from ckanext.opendata_th.jobs.reminders import format_due, overdue_datasets

    try:
        found = overdue_datasets(org_name)
    except tk.ObjectNotFound:
        raise _organization_not_found(org_name or "")
    if not found:
        click.echo("ไม่มีชุดข้อมูลที่เลยกำหนดปรับปรุง / No overdue datasets")
        return
    for dataset in found:
        organization = (dataset.get("organization") or {}).get("name", "-")
        due = dataset["opendata_due_date"]
        click.echo(f"{dataset['name']}\t{organization}\t{due}\t{format_due(due, 'th')}"
                   f"\t{dataset['title']}")


@opendata_th.command()
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def remind(org_name: str | None):
    """E-mail each overdue dataset's maintainer, once per due date, the
    owner of each overdue readiness improvement action, once per due date,
    and each approver a digest of the datasets waiting for their approval,
    once a day (run daily).
    Also re-indexes datasets that fell due since they were indexed, so that
    search filters on opendata_score / opendata_unmet follow the clock.
    Exits non-zero when the mail server refused a reminder (retried next run)."""
    from ckanext.opendata_th.jobs.reminders import send_reminders
    from ckanext.opendata_th.jobs.search_index import refresh_overdue

    from ckanext.opendata_th.jobs import readiness as readiness_jobs
    from ckanext.opendata_th.jobs import workflow as workflow_jobs

    for name in refresh_overdue():
        click.echo(f"re-indexed\t{name}")
    try:
        outcome = send_reminders(org_name)
        actions = readiness_jobs.send_reminders(org_name)
    except tk.ObjectNotFound:
        raise _organization_not_found(org_name or "")
    digests = workflow_jobs.send_approval_digests()
    for key, label in (("sent", "sent"), ("already", "already reminded"),
                       ("no_email", "no maintainer e-mail"), ("failed", "not sent")):
        for name in outcome[key]:
            click.echo(f"{label}\t{name}")
    for key, label in (("sent", "sent"), ("already", "already reminded"),
                       ("no_email", "no owner e-mail"), ("failed", "not sent")):
        for action_id in actions[key]:
            click.echo(f"{label}\treadiness action {action_id}")
    for key, label in (("sent", "sent"), ("already", "already sent today"),
                       ("no_email", "no approver e-mail"), ("failed", "not sent")):
        for name in digests[key]:
            click.echo(f"{label}\tapproval digest to {name}")
    failed = len(outcome["failed"]) + len(actions["failed"]) + len(digests["failed"])
    if failed:
        raise click.ClickException(
            f"{failed} reminders could not be sent; they are retried next run")


@opendata_th.command("readiness-overdue")
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def readiness_overdue(org_name: str | None):
    """List the overdue improvement actions of the readiness assessments
    (each organization's latest fiscal year), the longest overdue first."""
    from ckanext.opendata_th.jobs import readiness as readiness_jobs
    from ckanext.opendata_th.jobs.reminders import format_due

    try:
        found = readiness_jobs.overdue_actions(org_name)
    except tk.ObjectNotFound:
        raise _organization_not_found(org_name or "")
    if not found:
        click.echo("ไม่มีการดำเนินการปรับปรุงที่เลยกำหนด / No overdue improvement actions")
        return
    for item in found:
        action = item["action"]
        click.echo(f"{item['organization']['name']}\t{item['fiscal_year']}\t{action['due_date']}"
                   f"\t{format_due(action['due_date'], 'th')}\t{action['owner'] or '-'}"
                   f"\t{readiness_jobs.activity_name(action['activity'], 'th')}: {action['description']}")


@opendata_th.command("check-links")
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def check_links(org_name: str | None):
    """Queue a link check of every dataset's linked resources (background jobs)."""
    from ckanext.opendata_th.jobs import link_check
    from ckanext.opendata_th.jobs.datasets import search_datasets

    try:
        datasets = [d for d in search_datasets("", org_name) if link_check.linked_resources(d)]
    except tk.ObjectNotFound:
        raise _organization_not_found(org_name or "")
    for dataset in datasets:
        link_check.enqueue(dataset["id"])
    click.echo(f"queued link checks for {len(datasets)} datasets")
