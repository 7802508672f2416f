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


@opendata_th.command()
def measure():
    """Record, for every organization, how many of its published datasets
    are up to date with their update schedules today: the current fiscal
    year's figure for the yearly target (run daily; the last run of a
    fiscal year is that year's figure)."""
    import ckan.model as model

    from ckanext.opendata_th import dashboard

    measured = dashboard.measure_up_to_date()
    model.repo.commit()
    click.echo(f"วัดความเป็นปัจจุบันของ {measured} หน่วยงาน / measured {measured} organizations")


@opendata_th.command("forget-contacts")
def forget_contacts():
    """Erase the names and e-mail addresses of the people who sent feedback
    or asked for a dataset once their item has been closed for
    ckanext.opendata_th.contact_retention_days (PDPA); run daily."""
    import ckan.model as model

    from ckanext.opendata_th import retention

    if retention.retention_days() <= 0:
        click.echo("ไม่ได้กำหนดระยะเวลาเก็บข้อมูลติดต่อ / no retention period is set: nothing erased")
        return
    erased = retention.forget_contacts()
    model.repo.commit()
    click.echo(f"ลบข้อมูลติดต่อแล้ว: ความคิดเห็น {erased['feedback']} รายการ คำขอ {erased['requests']} รายการ / "
               f"contact details erased: {erased['feedback']} feedback items, {erased['requests']} requests")


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


@opendata_th.command("check-quality")
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
@click.option("--again", is_flag=True, help="Also the files that have a report already")
def check_quality(org_name: str | None, again: bool):
    """Queue a data-quality check of the resources' files that have no
    report for their current version (with --again: of every file)."""
    from ckanext.opendata_th.jobs import quality
    from ckanext.opendata_th.jobs.datasets import search_datasets
    from ckanext.opendata_th.model.quality import QualityReport

    try:
        datasets = list(search_datasets("", org_name))
    except tk.ObjectNotFound:
        raise _organization_not_found(org_name or "")
    resources = [r for d in datasets for r in d.get("resources") or [] if quality.checkable(r)]
    latest = QualityReport.latest(r["id"] for r in resources)
    queued = 0
    for resource in resources:
        version = quality.version_of(resource)
        report = latest.get(resource["id"])
        if again or report is None or report.version != version:
            quality.enqueue(resource["id"], version)
            queued += 1
    click.echo(f"queued data-quality checks of {queued} files ({len(resources)} files in "
               f"{len(datasets)} datasets)")


@opendata_th.group("sync")
def sync():
    """Keep this portal and the national portal (data.go.th) identical."""


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@sync.command("diff")
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def sync_diff(org_name: str | None):
    """Compare every published dataset with its copy on the national portal
    (the harvest source it came from, or the push target) and store the
    results (the organization's "national portal" page and the "accessible"
    property read them). Prints each dataset's name and status (identical,
    different, missing, not_compared), each differing field with its local
    and remote values, and a summary. Exit code: 0 when every published
    dataset is identical; 1 when some differ, are missing or have no
    national copy to compare with; 2 when a remote could not be read (the
    last stored results are kept) or the organization does not exist."""
    from ckanext.opendata_th import localize, readiness
    from ckanext.opendata_th.harvesters import drift

    organization_id = None
    if org_name:
        organization = readiness.organization(org_name)
        if organization is None:
            click.echo(f"ไม่พบหน่วยงาน / Organization not found: {org_name}", err=True)
            raise SystemExit(2)
        organization_id = organization.id
    summary = drift.Summary()
    for result in drift.compare_all(organization_id):
        summary.add(result)
        line = f"{result.name}\t{result.status}"
        if result.error is not None:
            kept = f" (stored result kept: {result.stored_status})" if result.stored_status else ""
            line += f"\t{localize.text(result.error)}{kept}"
        elif result.reason is not None:
            line += f"\t{localize.text(result.reason)}"
        click.echo(line)
        for difference in result.differences:
            click.echo(f"\t{difference.field}\tlocal: {_json(difference.local)}"
                       f"\tremote: {_json(difference.remote)}")
    counts = summary.counts
    errors = f"; {summary.errors} could not be compared because of an error" if summary.errors else ""
    click.echo(f"{summary.total} published datasets: {counts[drift.IDENTICAL]} identical, "
               f"{counts[drift.DIFFERENT]} different, {counts[drift.MISSING]} missing, "
               f"{counts[drift.NOT_COMPARED]} not compared{errors}")
    raise SystemExit(summary.exit_code())


def _push_configured() -> None:
    from ckanext.opendata_th.harvesters import push

    if push.ready_target() is None:
        click.echo("การส่งข้อมูลไปยังพอร์ทัลกลางยังไม่ได้ตั้งค่า / Push is off: set "
                   "ckanext.opendata_th.sync.url, .sync.token and .sync.organization", err=True)
        raise SystemExit(2)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in counts.items())


@sync.command("retry")
@click.option("--include-refused", is_flag=True,
              help="Also retry pushes the national portal refused (after fixing the token "
                   "or the remote organization)")
def sync_retry(include_refused: bool):
    """Push again the datasets whose push failed and is due for a retry
    (5 minutes after the failure, then 10, 20... at most a day apart). Run
    it from cron every few minutes. Exit code 1 when a push failed again."""
    from ckanext.opendata_th.jobs import sync as sync_jobs

    _push_configured()
    counts = sync_jobs.retry_failed_pushes(include_refused=include_refused)
    click.echo(_counts(counts))
    raise SystemExit(1 if counts.get("failed") else 0)


@sync.command("push-all")
@click.option("--org", "org_name", default=None, help="Only this organization (name or id)")
def sync_push_all(org_name: str | None):
    """Push every published dataset whose allow_harvest is "True" to the
    national portal now (the first sync after push is configured). Exit
    code 1 when a push failed (it is recorded and retried by `sync retry`)."""
    from ckanext.opendata_th import readiness
    from ckanext.opendata_th.jobs import sync as sync_jobs

    _push_configured()
    organization_id = None
    if org_name:
        organization = readiness.organization(org_name)
        if organization is None:
            raise _organization_not_found(org_name)
        organization_id = organization.id
    counts = sync_jobs.push_all(organization_id)
    click.echo(_counts(counts))
    raise SystemExit(1 if counts.get("failed") else 0)
