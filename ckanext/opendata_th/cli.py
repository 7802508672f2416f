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


@opendata_th.command()
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def overdue(org_name: str | None):
    """List datasets whose next update is overdue (most overdue first)."""
    from ckanext.opendata_th.playbook.dates import format_datetime_th
    from ckanext.opendata_th.reminders import overdue_datasets, refresh_overdue_index

    refresh_overdue_index()
    try:
        found = overdue_datasets(org_name)
    except tk.ObjectNotFound:
        raise click.ClickException(
            f"ไม่พบหน่วยงาน / Organization not found: {org_name}")
    if not found:
        click.echo("ไม่มีชุดข้อมูลที่เลยกำหนดปรับปรุง / No overdue datasets")
        return
    import datetime as dt
    for dataset in found:
        due = dt.datetime.fromisoformat(dataset["opendata_due_date"])
        organization = (dataset.get("organization") or {}).get("name", "-")
        click.echo(f"{dataset['name']}\t{organization}\t{due.isoformat(timespec='minutes')}"
                   f"\t{format_datetime_th(due)}\t{dataset['title']}")


@opendata_th.command()
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def remind(org_name: str | None):
    """E-mail each overdue dataset's maintainer, once per due date (run daily)."""
    from ckanext.opendata_th.reminders import refresh_overdue_index, send_reminders

    refresh_overdue_index()
    outcome = send_reminders(org_name)
    for key, label in (("sent", "sent"), ("already", "already reminded"),
                       ("no_email", "no maintainer e-mail"), ("failed", "not sent")):
        for name in outcome[key]:
            click.echo(f"{label}\t{name}")
    if outcome["failed"]:
        raise click.ClickException("some reminders could not be sent; they are retried next run")


@opendata_th.command("check-links")
@click.option("--org", "org_name", default=None, help="Only this organization")
def check_links(org_name: str | None):
    """Queue a link check of every dataset's linked resources (background jobs)."""
    from ckanext.opendata_th import linkcheck
    from ckanext.opendata_th.reminders import search_datasets

    count = 0
    for dataset in search_datasets("", org_name):
        linkcheck.enqueue(dataset["id"])
        count += 1
    click.echo(f"queued link checks for {count} datasets")
