"""The readiness assessment's pages: the organization's readiness tab, its
form, files, the XLSX export and the sysadmins' overview of every
organization.

Every page goes through the ``opendata_th_readiness_*`` actions (their auth
functions decide who sees what); only a file's download reads the bytes
through the glue, after its auth check. Forms that change data check the
CSRF token themselves (see :mod:`.csrf`).
"""
from __future__ import annotations

import io
import re
from typing import Any

from flask import Blueprint
from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.opendata_th import charts
from ckanext.opendata_th.playbook.messages import N_
from ckanext.opendata_th.views.csrf import protect_from_csrf
from ckanext.opendata_th.views import calls

readiness = Blueprint("opendata_th_readiness", __name__)

BLANK_ACTION_ROWS = 3
"""Empty rows for new improvement actions at the end of the form (a new
row is added without JavaScript, by saving)."""
MAX_ACTION_ROWS = 200
"""Rows of improvement actions read from a form; more are ignored (the
action refuses over 100 anyway), so a crafted form costs little."""
COMPARED_YEARS = 5
"""How many years the comparison chart shows (the newest)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_ADMIN = N_("Only the organization's admins can change its readiness assessment.")


# -- reading through the actions ---------------------------------------------


def _year() -> str | None:
    """The ``year`` of the query string as it was sent (None: not given);
    the action checks it (a bad one is a 400 page with its message)."""
    return tk.request.args.get("year", "").strip()[:20] or None


def _show(organization: dict[str, Any], year: int | str | None) -> dict[str, Any]:
    """The assessment as the user may see it; 400 for a bad year, 403 when
    the user may not see it."""
    data_dict: dict[str, Any] = {"organization": organization["id"]}
    if year is not None:
        data_dict["fiscal_year"] = year
    try:
        return calls.action("opendata_th_readiness_show", data_dict)
    except tk.ObjectNotFound:  # e.g. a deleted organization
        return tk.abort(404, tk._("Organization not found"))
    except tk.ValidationError as error:
        return tk.abort(400, calls.first_error(error))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("The readiness assessment of this organization is not "
                                  "published."))


def _years(organization: dict[str, Any]) -> list[dict[str, Any]]:
    """The years of the organization's assessments the user may see, newest
    first (members: every year; others: the published ones)."""
    try:
        return calls.action("opendata_th_readiness_list", {"organization": organization["id"]})
    except (tk.NotAuthorized, tk.ValidationError, tk.ObjectNotFound):
        return []


def _schema() -> dict[str, Any]:
    return calls.action("opendata_th_readiness_schema_show", {})


def _level_text(schema: dict[str, Any], level: int | None) -> str:
    """ "3 – Defined", or "Not assessed"."""
    if not level:
        return tk._("Not assessed")
    names = {item["number"]: item["name"] for item in schema["levels"]}
    return f"{level} – {names.get(level, '')}".rstrip(" –")


def _year_text(year: int) -> str:
    return tk._("Fiscal year {year}").format(year=year)


# -- the tab page ------------------------------------------------------------

@readiness.route("/organization/readiness/<id>")
def read(id: str):
    """The readiness tab: the verdict, the levels as a chart, the comparison
    with earlier years, the details, actions, files and history (members),
    or the published summary (everyone else)."""
    organization = calls.organization_or_404(id, include_users=True)
    year = _year()
    years = None
    if year is None and not calls.allowed("opendata_th_readiness_show",
                                     {"organization": organization["id"]}):
        # the current year is not published: show the newest published one
        years = _years(organization)
        if years:
            year = years[0]["fiscal_year"]
    assessment = _show(organization, year)
    if years is None:
        years = _years(organization)
    schema = _schema()
    member = not assessment.get("summary_only")
    year = assessment["fiscal_year"]
    update = {"organization": organization["id"], "fiscal_year": year}
    can_edit = member and calls.allowed("opendata_th_readiness_update", update)
    existing = {item["fiscal_year"] for item in years}
    history = []
    if member and assessment.get("exists"):
        try:
            history = calls.action("opendata_th_readiness_history", update)
        except (tk.NotAuthorized, tk.ValidationError, tk.ObjectNotFound):
            history = []
    current = _current_year(assessment)
    choices = sorted(existing | ({current} if member else set()) | {year}, reverse=True)
    return tk.render("opendata_th/readiness/read.html", {
        "group_dict": organization, "group_type": "organization", "am_following": calls.am_following(organization),
        "assessment": assessment, "schema": schema, "member": member, "can_edit": can_edit,
        "years": years, "year_choices": choices, "history": history,
        "member_names": _member_names(organization),
        "details": _details(schema, assessment),
        "chart": _level_chart(schema, assessment),
        "comparison": _comparison(schema, years),
        "can_copy": can_edit and assessment.get("exists") and year + 1 not in existing
                    and year + 1 <= current + 1,
        "level_text": lambda level: _level_text(schema, level),
        "year_text": _year_text,
        "kind_text": _kind_text,
        "value_text": _value_text,
    })


def _member_names(organization: dict[str, Any]) -> dict[str, str]:
    """{user name: the name people know} of the organization's members."""
    return {user["name"]: user.get("display_name") or user.get("fullname") or user["name"]
            for user in organization.get("users", [])}


def _current_year(assessment: dict[str, Any]) -> int:
    """The current fiscal year, as the show action knows it."""
    if assessment.get("current"):
        return assessment["fiscal_year"]
    from ckanext.opendata_th import readiness as glue

    return glue.current_fiscal_year()


def _details(schema: dict[str, Any], assessment: dict[str, Any]) -> list[dict[str, Any]]:
    """Each activity with its schema texts: the name, the question, and the
    description and expected evidence of the level it is at."""
    answers = {item["key"]: item for item in assessment.get("activities", [])}
    details = []
    for activity in schema["activities"]:
        answer = answers.get(activity["key"], {})
        level = answer.get("level")
        described = next((item for item in activity["levels"] if item["number"] == level), None)
        details.append({
            "key": activity["key"], "name": activity["name"], "question": activity["question"],
            "level": level, "level_text": _level_text(schema, level),
            "description": described["description"] if described else "",
            "answer": answer,
            "actions": [action for action in assessment.get("actions", [])
                        if action.get("activity") == activity["key"]],
        })
    return details


def _level_chart(schema: dict[str, Any], assessment: dict[str, Any]) -> Markup:
    answers = {item["key"]: item.get("level") for item in assessment.get("activities", [])}
    required = assessment["verdict"]["required_level"]
    bars = [charts.Bar(activity["name"], answers.get(activity["key"]),
                       _level_text(schema, answers.get(activity["key"])))
            for activity in schema["activities"]]
    return Markup(charts.level_chart(
        bars, max_level=len(schema["levels"]), required_level=required,
        title=tk._("Level of each activity in fiscal year {year}").format(
            year=assessment["fiscal_year"]),
        required_text=tk._("required: level {level}").format(level=required)))


def _comparison(schema: dict[str, Any], years: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The chart and table of the levels across the years (None with fewer
    than two years)."""
    if len(years) < 2:
        return None
    shown = list(reversed(years[:COMPARED_YEARS]))  # oldest first
    keys = [activity["key"] for activity in schema["activities"]]
    series = [charts.Series(str(item["fiscal_year"]),
                            [item["levels"].get(key) for key in keys],
                            [str(item["levels"].get(key) or "–") for key in keys])
              for item in shown]
    required = schema["required_level"]
    chart = charts.comparison_chart(
        [activity["name"] for activity in schema["activities"]], series,
        max_level=len(schema["levels"]), required_level=required,
        title=tk._("Levels of the activities across fiscal years"),
        required_text=tk._("required: level {level}").format(level=required))
    return {"chart": Markup(chart), "years": shown}


def _kind_text(kind: str) -> str:
    return {
        "created": tk._("Created the assessment"),
        "updated": tk._("Changed the assessment"),
        "published": tk._("Published the summary"),
        "unpublished": tk._("Withdrew the summary"),
        "copied": tk._("Copied from the previous year"),
        "file_added": tk._("Added a file"),
        "file_removed": tk._("Removed a file"),
    }.get(kind, kind)


def _value_text(value: Any) -> str:
    """An old or new value of the history, short."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return tk._("Yes") if value else tk._("No")
    if isinstance(value, dict):
        return str(value.get("description") or value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


# -- the form ------------------------------------------------------------------

def _form_from_assessment(schema: dict[str, Any], assessment: dict[str, Any]) -> dict[str, Any]:
    answers = {item["key"]: item for item in assessment.get("activities", [])}
    activities = {}
    for activity in schema["activities"]:
        answer = answers.get(activity["key"], {})
        activities[activity["key"]] = {
            "level": str(answer.get("level") or ""),
            "evidence": answer.get("evidence") or "",
            "links": "\n".join(answer.get("links") or []),
            "responsible": answer.get("responsible") or "",
        }
    actions = [{"id": action["id"], "activity": action["activity"],
                "description": action["description"], "owner": action.get("owner") or "",
                "due_date": action.get("due_date") or "", "done": bool(action.get("done")),
                "remove": False, "overdue": action.get("overdue")}
               for action in assessment.get("actions", [])]
    return {"activities": activities, "actions": actions}


def _form_from_request(schema: dict[str, Any]) -> dict[str, Any]:
    """The form as the user sent it (to send to the action, or to show again)."""
    form = tk.request.form
    activities = {}
    for activity in schema["activities"]:
        prefix = f"activities.{activity['key']}."
        activities[activity["key"]] = {field: form.get(prefix + field, "")
                                       for field in ("level", "evidence", "links", "responsible")}
    rows = sorted({int(match.group(1)) for name in form
                   if (match := re.fullmatch(r"actions-(\d{1,4})-\w+", name))})[:MAX_ACTION_ROWS]
    actions = []
    for row in rows:
        def value(field: str) -> str:
            return form.get(f"actions-{row}-{field}", "").strip()
        action = {"id": value("id"), "activity": value("activity"),
                  "description": value("description"), "owner": value("owner"),
                  "due_date": value("due_date"), "done": bool(value("done")),
                  "remove": bool(value("remove")), "overdue": False}
        blank = not (action["id"] or action["description"] or action["owner"]
                     or action["due_date"] or action["done"])
        if not blank:
            actions.append(action)
    return {"activities": activities, "actions": actions}


def _changes(form: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The update action's ``activities`` and ``actions`` from the form, and
    which form row each action sent came from (to place its errors)."""
    actions, rows = [], []
    for row, action in enumerate(form["actions"]):
        if action["remove"]:
            continue
        sent = {field: action[field] for field in ("activity", "description", "owner", "due_date",
                                                    "done")}
        if action["id"]:
            sent["id"] = action["id"]
        actions.append(sent)
        rows.append(row)
    return {"activities": form["activities"], "actions": actions}, rows


def _form_errors(error: tk.ValidationError, rows: list[int]) -> dict[str, list[str]]:
    """The action's errors keyed by form field: ``actions.<n>.<field>`` of
    the n-th action sent becomes ``actions.<row>.<field>`` of its row."""
    errors: dict[str, list[str]] = {}
    for key, messages in error.error_dict.items():
        messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        match = re.fullmatch(r"actions\.(\d+)(\..*)?", key)
        if match and int(match.group(1)) < len(rows):
            key = f"actions.{rows[int(match.group(1))]}{match.group(2) or ''}"
        errors.setdefault(key, []).extend(messages)
    return errors


def _error_summary(schema: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """The form's errors for the summary above it: where (the activity and
    field, or the row of the actions table), the message, and the anchor of
    the place in the form."""
    names = {activity["key"]: activity["name"] for activity in schema["activities"]}
    fields = {"level": tk._("Level"), "evidence": tk._("Evidence"),
              "links": tk._("Links to the evidence"), "responsible": tk._("Responsible person"),
              "activity": tk._("Activity"), "description": tk._("Description"),
              "owner": tk._("Owner"), "due_date": tk._("Due date")}
    summary = []
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] == "activities" and len(parts) >= 2 and parts[1] in names:
            place = names[parts[1]]
            if len(parts) > 2:
                place = f"{place}: {fields.get(parts[2], parts[2])}"
            anchor = f"activity-{parts[1]}"
        elif parts[0] == "actions" and len(parts) >= 2 and parts[1].isdigit():
            place = tk._("Improvement actions, row {row}").format(row=int(parts[1]) + 1)
            if len(parts) > 2:
                place = f"{place}: {fields.get(parts[2], parts[2])}"
            anchor = "actions"
        else:
            place, anchor = "", "readiness-form"
        summary.extend({"place": place, "message": message, "anchor": anchor}
                       for message in messages)
    return summary


@readiness.route("/organization/readiness/<id>/edit", methods=["GET", "POST"])
def edit(id: str):
    """The assessment's form (organization admins and sysadmins)."""
    organization = calls.organization_or_404(id, include_users=True)
    year = _year()
    assessment = _show(organization, year)
    year = assessment["fiscal_year"]
    update = {"organization": organization["id"], "fiscal_year": year}
    if assessment.get("summary_only") or not calls.allowed("opendata_th_readiness_update", update):
        return tk.abort(403, tk._(NOT_ADMIN))
    schema = _schema()
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        protect_from_csrf()
        form = _form_from_request(schema)
        changes, rows = _changes(form)
        try:
            calls.action("opendata_th_readiness_update", {**update, **changes})
        except tk.ValidationError as error:
            errors = _form_errors(error, rows)
        else:
            tk.h.flash_success(tk._("The readiness assessment of fiscal year {year} is saved.").format(
                year=year))
            return tk.redirect_to("opendata_th_readiness.read", id=organization["name"], year=year)
    else:
        form = _form_from_assessment(schema, assessment)
    blank = {"id": "", "activity": "", "description": "", "owner": "", "due_date": "",
             "done": False, "remove": False, "overdue": False}
    form["actions"] = form["actions"] + [dict(blank) for _ in range(BLANK_ACTION_ROWS)]
    members = sorted(((user["name"], user.get("display_name") or user.get("fullname")
                       or user["name"]) for user in organization.get("users", [])),
                     key=lambda member: member[1])
    return tk.render("opendata_th/readiness/edit.html", {
        "group_dict": organization, "group_type": "organization", "am_following": calls.am_following(organization),
        "assessment": assessment, "schema": schema, "form": form, "errors": errors,
        "error_summary": _error_summary(schema, errors),
        "members": members, "year_text": _year_text,
        "files": {item["key"]: item.get("files", []) for item in assessment.get("activities", [])},
    }), (400 if errors else 200)


# -- buttons of the tab page -------------------------------------------------------

def _posted_year() -> int | str:
    return (tk.request.form.get("year") or "").strip()[:20]


def _button(name: str, data_dict: dict[str, Any], not_found: str = N_("Organization not found")) -> Any:
    """Run a button's action: its result (True when it returns nothing), or
    False after flashing why it was refused (bad input); a 403 or 404 page
    when it may not run at all."""
    try:
        return calls.action(name, data_dict) or True
    except tk.NotAuthorized:
        return tk.abort(403, tk._(NOT_ADMIN))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._(not_found))
    except tk.ValidationError as error:
        tk.h.flash_error(calls.first_error(error))
        return False


@readiness.route("/organization/readiness/<id>/copy", methods=["POST"])
def copy(id: str):
    """Start the next fiscal year from this one (answers and open actions)."""
    protect_from_csrf()
    organization = calls.organization_or_404(id, include_users=True)
    year = _posted_year()
    copied = _button("opendata_th_readiness_copy_forward",
                     {"organization": organization["id"], "from_year": year})
    if not copied:
        return tk.redirect_to("opendata_th_readiness.read", id=organization["name"],
                              year=year or None)
    tk.h.flash_success(tk._("{fiscal_year} starts from a copy of the previous year.").format(
        fiscal_year=_year_text(copied["fiscal_year"])))
    return tk.redirect_to("opendata_th_readiness.read", id=organization["name"],
                          year=copied["fiscal_year"])


@readiness.route("/organization/readiness/<id>/publish", methods=["POST"])
def publish(id: str):
    """Publish the summary for everyone, or withdraw it."""
    protect_from_csrf()
    organization = calls.organization_or_404(id, include_users=True)
    year = _posted_year()
    published = tk.request.form.get("published") == "true"
    if _button("opendata_th_readiness_update", {"organization": organization["id"],
                                                "fiscal_year": year, "published": published}):
        tk.h.flash_success(tk._("The summary is published: everyone can read it.") if published
                           else tk._("The summary is no longer published."))
    return tk.redirect_to("opendata_th_readiness.read", id=organization["name"], year=year or None)


# -- files -----------------------------------------------------------------------

@readiness.route("/organization/readiness/<id>/file", methods=["POST"])
def file_upload(id: str):
    """Attach an evidence file to an activity."""
    protect_from_csrf()
    organization = calls.organization_or_404(id, include_users=True)
    year = _posted_year()
    activity = (tk.request.form.get("activity") or "")[:100]
    upload = tk.request.files.get("upload")
    uploaded = _button("opendata_th_readiness_file_upload", {
        "organization": organization["id"], "fiscal_year": year, "activity": activity,
        "upload": upload})
    if uploaded:
        tk.h.flash_success(tk._("The file “{name}” is attached.").format(name=uploaded["name"]))
    return tk.redirect_to("opendata_th_readiness.edit", id=organization["name"],
                          year=year or None, _anchor=f"activity-{activity}")


@readiness.route("/organization/readiness/<id>/file/<file_id>/delete", methods=["POST"])
def file_delete(id: str, file_id: str):
    """Remove an evidence file."""
    protect_from_csrf()
    organization = calls.organization_or_404(id, include_users=True)
    year = _posted_year()
    if _button("opendata_th_readiness_file_delete", {"id": file_id}, not_found=N_("File not found")):
        tk.h.flash_success(tk._("The file is removed."))
    return tk.redirect_to("opendata_th_readiness.edit", id=organization["name"], year=year or None)


@readiness.route("/organization/readiness/<id>/file/<file_id>")
def file_download(id: str, file_id: str):
    """An evidence file, as an attachment (members and sysadmins only)."""
    from ckanext.opendata_th import readiness as glue

    calls.organization_or_404(id, include_users=True)
    try:
        tk.check_access("opendata_th_readiness_file_download", calls.context(), {"id": file_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("File not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the organization's members can read its evidence files."))
    try:
        name, content_type, data = glue.file_content(file_id)
    except (KeyError, LookupError, tk.ObjectNotFound):
        return tk.abort(404, tk._("File not found"))
    return calls.attachment(data, name, content_type or "application/octet-stream")


# -- the XLSX export -------------------------------------------------------------

@readiness.route("/organization/readiness/<id>/export.xlsx")
def export(id: str):
    """The assessment as a workbook for the agency's own reports (members)."""
    organization = calls.organization_or_404(id, include_users=True)
    assessment = _show(organization, _year())
    if assessment.get("summary_only"):
        return tk.abort(403, tk._("Only the organization's members can export its readiness "
                                  "assessment."))
    data = _workbook(organization, _schema(), assessment)
    name = f"readiness-{organization['name']}-{assessment['fiscal_year']}.xlsx"
    return calls.attachment(data, name, XLSX)


def _workbook(organization: dict[str, Any], schema: dict[str, Any],
              assessment: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    names = {activity["key"]: activity["name"] for activity in schema["activities"]}
    book = Workbook()
    sheet = book.active
    sheet.title = tk._("Assessment")[:31]
    bold = Font(bold=True)
    for label, value in [
            (tk._("Organization"), organization.get("title") or organization["name"]),
            (tk._("Fiscal year"), assessment["fiscal_year"]),
            (tk._("Period"), assessment.get("fiscal_year_text") or ""),
            (tk._("Schema version"), schema.get("version") or ""),
            (tk._("Readiness"), assessment["verdict"]["text"]),
            (tk._("Published"), tk._("Yes") if assessment.get("published") else tk._("No"))]:
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([])
    headers = [tk._("Activity"), tk._("Level"), tk._("Level name"), tk._("Evidence"),
               tk._("Links"), tk._("Responsible"), tk._("Files")]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    level_names = {item["number"]: item["name"] for item in schema["levels"]}
    for answer in assessment.get("activities", []):
        sheet.append([
            names.get(answer["key"], answer["key"]), answer.get("level"),
            level_names.get(answer.get("level"), tk._("Not assessed")),
            answer.get("evidence") or "", "\n".join(answer.get("links") or []),
            answer.get("responsible") or "",
            "\n".join(item["name"] for item in answer.get("files") or [])])
    for column, width in zip("ABCDEFG", (34, 8, 16, 60, 40, 24, 30)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    actions = book.create_sheet(tk._("Improvement actions")[:31])
    actions.append([tk._("Activity"), tk._("Description"), tk._("Owner"), tk._("Due date"),
                    tk._("Done"), tk._("Overdue")])
    for cell in actions[1]:
        cell.font = bold
    for action in assessment.get("actions", []):
        actions.append([
            names.get(action["activity"], action["activity"]), action["description"],
            action.get("owner") or "", action.get("due_date") or "",
            tk._("Yes") if action.get("done") else tk._("No"),
            tk._("Yes") if action.get("overdue") else tk._("No")])
    for column, width in zip("ABCDEF", (34, 60, 20, 14, 10, 10)):
        actions.column_dimensions[column].width = width
    for worksheet in book.worksheets:
        _no_formulas(worksheet)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _no_formulas(worksheet: Any) -> None:
    """Users' texts stay texts, never formulas (``keep_as_text``)."""
    from ckanext.opendata_th.reports.yearly import keep_as_text

    for row in worksheet.iter_rows():
        for cell in row:
            keep_as_text(cell)


# -- the sysadmins' overview -------------------------------------------------------

@readiness.route("/ckan-admin/readiness")
def overview():
    """Every organization's readiness in one fiscal year (sysadmins)."""
    from ckanext.opendata_th import readiness as glue

    data_dict: dict[str, Any] = {}
    value = tk.request.args.get("year", "").strip()
    if value:
        data_dict["fiscal_year"] = value[:20]
    try:
        rows = calls.action("opendata_th_readiness_list", data_dict)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Need to be system administrator to administer"))
    except tk.ValidationError as error:
        return tk.abort(400, calls.first_error(error))
    schema = _schema()
    current = glue.current_fiscal_year()
    year = rows[0]["fiscal_year"] if rows else current  # no organization at all
    return tk.render("opendata_th/readiness/overview.html", {
        "rows": rows, "schema": schema, "year": year,
        "year_choices": list(range(current + 1, max(current - 6, 2549), -1)),
        "year_text": _year_text,
        "ready_count": sum(1 for row in rows if row.get("ready")),
    })


# -- template helper ---------------------------------------------------------------

def opendata_th_readiness_tab_shown(organization: dict[str, Any]) -> bool:
    """Whether the organization page shows the readiness tab: to members
    always, to others when a summary is published."""
    if not organization or not organization.get("is_organization", True):
        return False
    try:
        if calls.allowed("opendata_th_readiness_show", {"organization": organization["id"]}):
            return True
        return bool(_years(organization))
    except (tk.ObjectNotFound, KeyError):
        return False
