"""The organization's data catalog (step 3.1, survey): every dataset of the
organization, private ones included, with its governance category and
classification, stage, priority and overdue status; and the import of the
agency's catalog from the DGA template, which creates candidate datasets.

The listing is one dataset search as the user (paginated; the stages and
priorities of the page in one more query). An import creates every row or
none: each row goes through ``package_create`` in one transaction that is
committed only when no row was refused.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError

from ckanext.opendata_th import localize
from ckanext.opendata_th import workflow as workflow_glue
from ckanext.opendata_th.logic import schema
from ckanext.opendata_th.logic.auth.catalog import organization as _organization
from ckanext.opendata_th.playbook import catalog as rules
from ckanext.opendata_th.playbook import frequency
from ckanext.opendata_th.playbook import national_schema
from ckanext.opendata_th.playbook import workflow
from ckanext.opendata_th.playbook.messages import N_, Message
from ckanext.opendata_th.logic.inputs import refused, validated

Context = dict[str, Any]
DataDict = dict[str, Any]

MAX_ROWS_OPTION = "ckanext.opendata_th.catalog.import_max_rows"
MAX_SIZE_OPTION = "ckanext.opendata_th.catalog.import_max_size"
DEFAULT_MAX_ROWS = 500
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_QUERY = 200
_QUERY_SYNTAX = re.compile(r'[+\-!(){}\[\]^"~*?:\\/&|]')


def max_rows() -> int:
    return int(tk.config.get(MAX_ROWS_OPTION) or DEFAULT_MAX_ROWS)


def max_size() -> int:
    return int(tk.config.get(MAX_SIZE_OPTION) or DEFAULT_MAX_SIZE)


# -- the listing ----------------------------------------------------------------

def _whole_number(value: Any, key: str, default: int, maximum: Optional[int]) -> int:
    if value is None or value == "":
        return default
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit() or (maximum is not None and int(text) > maximum):
        if maximum is None:
            raise refused({key: [Message(N_("“{key}” must be a whole number of 0 or more"), key=key)]})
        raise refused({key: [Message(N_("“{key}” must be a whole number from 0 to {max}"),
                                      key=key, max=maximum)]})
    return int(text)


def _overdue(value: Any) -> Optional[bool]:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise refused({"overdue": [Message(N_("“overdue” must be true or false"))]})


def _filters(data: DataDict, organization_id: str) -> tuple[list[str], str]:
    """The search's ``fq`` parts and ``q`` for the listing's filters; a bad
    filter value is refused with the values it may take."""
    fq = [f'owner_org:"{organization_id}"']
    stage = data.get("stage")
    if stage:
        if stage not in workflow.STAGES:
            raise refused({"stage": [Message(N_("Unknown stage “{value}” (choose from: {choices})"),
                                              value=stage, choices=", ".join(workflow.STAGES))]})
        fq.append(f'opendata_stage:"{stage}"')
    category = data.get("data_category")
    if category:
        try:
            national_schema.check_choice(national_schema.FIELDS["dataset"]["data_category"], category)
        except national_schema.SchemaError as error:
            raise refused({"data_category": [error.message]}) from None
        fq.append(f'data_category:"{category}"')
    overdue = _overdue(data.get("overdue"))
    if overdue is True:
        fq.append(f"opendata_schedule:{frequency.OVERDUE}")
    elif overdue is False:
        fq.append(f"-opendata_schedule:{frequency.OVERDUE}")
    text = data.get("q") or ""
    if len(text) > MAX_QUERY:
        raise refused({"q": [Message(N_("The search text can be at most {max} characters long"),
                                      max=MAX_QUERY)]})
    # the words, not a query: syntax characters and operators are dropped
    words = [w for w in _QUERY_SYNTAX.sub(" ", text).split() if w not in ("AND", "OR", "NOT", "TO")]
    return fq, " ".join(words)


def _stage_label(stage: str) -> str:
    label = workflow.STAGE_LABELS.get(stage)
    return localize.text(label) if label else stage


def _row(dataset: DataDict, found: Any, organization_title: str) -> DataDict:
    stage = found.stage if found is not None else (
        workflow.CANDIDATE if dataset.get("private") else workflow.PUBLISHED)
    priority = found.priority if found is not None else None
    overdue = bool(dataset.get("opendata_overdue"))
    cells = [rules.cell(dataset, key, organization_title=organization_title)
             for key in rules.TEMPLATE_FIELDS + (rules.CLASSIFICATION,)]
    cells += [_stage_label(stage), "" if priority is None else f"{priority:g}",
              localize.gettext("Overdue") if overdue else ""]
    return {"id": dataset["id"], "name": dataset["name"], "title": dataset.get("title") or dataset["name"],
            "private": bool(dataset.get("private")),
            "data_category": dataset.get("data_category") or None,
            "data_classification": dataset.get("data_classification") or None,
            "stage": stage, "stage_label": _stage_label(stage),
            "priority": priority, "overdue": overdue,
            "schedule": dataset.get("opendata_schedule"),
            "row": cells}


@tk.side_effect_free
def opendata_th_catalog_list(context: Context, data_dict: DataDict) -> DataDict:
    """The organization's catalog as its members see it: every dataset,
    private ones included, sorted by title, ``limit`` (at most 1000) from
    ``offset``; filters ``stage``, ``data_category``, ``overdue`` (true or
    false) and ``q`` (words of the title or description). Each result has its
    row of the DGA template (``row``, the cells under ``columns``' headers).
    """
    data = validated(data_dict, schema.catalog_list(), context)
    organization = _organization(data)
    tk.check_access("opendata_th_catalog_list", context, {"organization_id": organization.id})
    limit = _whole_number(data.get("limit"), "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _whole_number(data.get("offset"), "offset", 0, None)
    fq, q = _filters(data, organization.id)
    search_context = {"user": context.get("user"), "ignore_auth": bool(context.get("ignore_auth"))}
    try:
        found = tk.get_action("package_search")(search_context, {
            "q": q, "fq": " ".join(f"+{part}" if not part.startswith("-") else part for part in fq),
            "include_private": True, "rows": limit, "start": offset, "sort": "title_string asc"})
    except SearchError:
        raise refused({"q": [Message(N_("The search cannot be run: change the search text"))]}) from None
    datasets = found["results"]
    stored = workflow_glue.records(d["id"] for d in datasets)
    title = organization.title or organization.name
    return {
        "organization": {"id": organization.id, "name": organization.name, "title": title},
        "count": found["count"], "limit": limit, "offset": offset,
        "columns": [{"key": c.key, "header": c.header, "label": c.label.in_language(localize.request_language())}
                    for c in rules.COLUMNS],
        "results": [_row(d, stored.get(d["id"]), title) for d in datasets],
    }


# -- the import -------------------------------------------------------------------

def _content(data_dict: DataDict) -> bytes:
    """The file's bytes, at most the configured size (one byte more is read
    to know it is too large)."""
    limit = max_size()
    upload = data_dict.get("upload")
    if upload is not None and not isinstance(upload, str) and hasattr(upload, "read"):
        content = upload.read(limit + 1)
    elif isinstance(upload, str) and upload:
        raise refused({"upload": [Message(N_("Send the file itself as “upload” (multipart/form-data)"))]})
    elif isinstance(data_dict.get("content"), str) and data_dict["content"].strip():
        content = data_dict["content"].encode("utf-8")
    else:
        raise refused({"upload": [Message(N_("Choose the catalog file to import (XLSX or CSV)"))]})
    if not isinstance(content, bytes):
        raise refused({"upload": [Message(N_("Choose the catalog file to import (XLSX or CSV)"))]})
    if len(content) > limit:
        size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{-(-limit // 1024)} KB"
        raise refused({"upload": [Message(N_("The file is too large: at most {size}"), size=size)]})
    return content


def _existing_titles(organization_id: str, titles: list[str]) -> set[str]:
    """Which of these titles the organization's datasets already have (one
    query): an import run twice does not make everything twice."""
    if not titles:
        return set()
    rows = model.Session.query(model.Package.title).filter(
        model.Package.owner_org == organization_id, model.Package.state != "deleted",
        model.Package.title.in_(titles))
    return {title for (title,) in rows}


def _texts(value: Any) -> list[str]:
    """CKAN's error value for one field as texts (a list, a dict of lists
    for tags or resources, or one string)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    return [str(value)] if value else []


def _row_errors(row: rules.Row) -> dict[str, list[str]]:
    return {key: [localize.text(m) for m in messages] for key, messages in row.errors.items()}


def opendata_th_catalog_import(context: Context, data_dict: DataDict) -> DataDict:
    """Create the organization's candidate datasets (private, stage
    candidate) from its catalog in the DGA template: ``upload`` (an XLSX or
    CSV file) or ``content`` (CSV text). Returns ``{"created": [{"row",
    "name", "title"}], "refused": [], "ignored_columns": [...]}``. When any
    row is refused nothing is created: ValidationError (409) whose
    ``refused`` lists each refused row (``{"row", "title", "errors": {field:
    [text]}}``)."""
    data = validated({k: v for k, v in data_dict.items() if k not in ("upload", "content")},
                      schema.catalog_import(), context)
    organization = _organization(data)
    tk.check_access("opendata_th_catalog_import", context, {"organization_id": organization.id})
    content = _content(data_dict)
    try:
        table = rules.read_table(content, max_rows=max_rows())
    except rules.CatalogFileError as error:
        raise refused({"upload": [error.message]}) from None
    rows = rules.read_rows(table)
    names = (organization.title, organization.name)
    titles = [r.fields["title"] for r in rows if isinstance(r.fields.get("title"), str)]
    existing = _existing_titles(organization.id, titles)
    for row in rows:
        if row.organization and not rules.same_organization(row.organization, names):
            row.refuse("owner_org", Message(
                N_("The row is for the organization “{given}”, not “{organization}”: import it there, "
                   "or leave the organization column blank"),
                given=row.organization, organization=organization.title or organization.name))
        if row.fields.get("title") in existing:
            row.refuse("title", Message(N_("The organization already has a dataset “{title}”"),
                                        title=row.fields["title"]))
    refused_rows, created = _create_all(rows, organization, context)
    report = {"created": created, "refused": refused_rows,
              "ignored_columns": rules.ignored_headers(table.headers)}
    if refused_rows:
        report["message"] = [localize.text(Message(
            N_("Nothing was imported: {refused} of the {rows} rows were refused. Correct them and import "
               "the file again."), refused=len(refused_rows), rows=len(rows)))]
        raise tk.ValidationError(report)
    return report


def _create_all(rows: list[rules.Row], organization: model.Group,
                context: Context) -> tuple[list[DataDict], list[DataDict]]:
    """Every row through package_create in one transaction, committed when
    none was refused. A refused package_create rolls the transaction back
    (CKAN does), so after the first refusal the later rows are only checked."""
    refused_rows: list[DataDict] = []
    made: list[tuple[rules.Row, str]] = []
    user = context.get("user")
    for row in rows:
        # a row the rules refused goes through package_create too, so that
        # the report says everything wrong with it at once
        errors = _row_errors(row)
        create_context = {"user": user, "defer_commit": True, "return_id_only": True}
        try:
            package_id = tk.get_action("package_create")(create_context, {
                **row.fields, "owner_org": organization.id, "private": True})
        except tk.ValidationError as error:
            for key, value in error.error_dict.items():
                if key not in errors and _texts(value):
                    errors[key] = _texts(value)
            errors = errors or {"title": [localize.gettext("The row was refused")]}
        except Exception:
            model.Session.rollback()
            raise
        else:
            made.append((row, package_id))
        if errors:
            refused_rows.append({"row": row.row, "title": row.fields.get("title") or "", "errors": errors})
    if refused_rows:
        model.Session.rollback()
        return refused_rows, []
    created = []
    for row, package_id in made:
        package = model.Package.get(package_id)
        workflow_glue.ensure(package, _user_id(user))
        created.append({"row": row.row, "id": package.id, "name": package.name, "title": package.title})
    if not context.get("defer_commit"):
        model.repo.commit()
    return [], created


def _user_id(name: Optional[str]) -> Optional[str]:
    user = model.User.get(name) if name else None
    return user.id if user else None
