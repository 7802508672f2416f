"""Facet counts of whole listings, kept as the index changes.

A listing without words or filters (the /dataset page as it opens, an
organization's page, ``package_search`` with ``q=*:*``) shows facet counts
over every dataset the user may see: at 100,000 datasets that is 600,000
term rows to count on every page view. ``opendata_th_search_facet`` holds
those counts ahead, one row per listing key (site, state, dataset type,
capacity, the document's permission labels as one sorted set) and facet
value, kept in step in the same transaction as every index write. A user's
listing then sums the rows of the label sets it may see: each document has
exactly one label set, so nothing is counted twice.

Only the fields a portal shows as facets are counted (CKAN's
``search.facets`` and ``ckanext.opendata_th.search.counted_facets``);
others are counted from the term table as before. A field's counts are
read only once they are complete: ``opendata_th_search_facet_field`` lists
the fields counted by the last recount (a rebuild, the migration), and a
field added to the options later is read from the term table until the
next rebuild.

Writers change the counts with one statement each, in the order of the
keys, so that two writers never wait for each other in a circle.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from .schema import FACET_FIELDS, FACETS, TABLE, TERMS

# (site_id, state, dataset_type, capacity, labels, field, value)
Key = tuple[str, str, str, str, tuple[str, ...], str, str]

LISTING_FIELDS = ("site_id", "state", "dataset_type", "capacity")

_CONTRIBUTIONS = f"""
    SELECT coalesce(d.site_id, '') AS site_id, coalesce(d.state, '') AS state,
        coalesce(d.dataset_type, '') AS dataset_type,
        coalesce(d.capacity, '') AS capacity,
        ARRAY(SELECT DISTINCT label FROM unnest(d.permission_labels) AS label
              ORDER BY label) AS labels,
        t.field, t.value, count(*) AS n
    FROM {TABLE} d JOIN {TERMS} t ON t.doc_no = d.doc_no
    WHERE {{documents}} AND t.field = ANY(CAST(:counted AS text[]))
    GROUP BY 1, 2, 3, 4, 5, 6, 7
"""

_APPLY = sa.text(f"""
    INSERT INTO {FACETS} AS f (site_id, state, dataset_type, capacity, labels, field,
                               value, n)
    SELECT c.site_id, c.state, c.dataset_type, c.capacity, c.labels, c.field, c.value,
        c.n
    FROM jsonb_to_recordset(CAST(:changes AS jsonb)) AS c(
        site_id text, state text, dataset_type text, capacity text, labels text[],
        field text, value text, n bigint)
    ORDER BY c.site_id, c.state, c.dataset_type, c.capacity, c.labels, c.field, c.value
    ON CONFLICT (site_id, state, dataset_type, capacity, labels, field, value)
    DO UPDATE SET n = f.n + EXCLUDED.n
""")


def contributions(connection: sa.engine.Connection, documents: str,
                  params: dict[str, Any], counted: Iterable[str]) -> Counter:
    """What the documents meeting ``documents`` (SQL over ``d``, the
    document table) add to the counts."""
    rows = connection.execute(sa.text(_CONTRIBUTIONS.format(documents=documents)),
                              {**params, "counted": sorted(counted)})
    return Counter({(r.site_id, r.state, r.dataset_type, r.capacity, tuple(r.labels),
                     r.field, r.value): r.n for r in rows})


def apply(connection: sa.engine.Connection, change: Counter) -> None:
    """Add ``change`` (negative to take away) to the counts."""
    rows = [{"site_id": k[0], "state": k[1], "dataset_type": k[2], "capacity": k[3],
             "labels": list(k[4]), "field": k[5], "value": k[6], "n": n}
            for k, n in change.items() if n]
    if rows:
        connection.execute(_APPLY, {"changes": json.dumps(rows, ensure_ascii=False)})


def difference(after: Counter, before: Counter) -> Counter:
    change = Counter(after)
    change.subtract(before)
    return change


def recount(connection: sa.engine.Connection, site_id: str,
            counted: Iterable[str]) -> None:
    """Count a site's listings again from the term table (after a rebuild,
    or when the counted fields changed)."""
    # (waits for writers of the site's counts, and they for it)
    connection.execute(sa.text(f"LOCK TABLE {FACETS} IN SHARE ROW EXCLUSIVE MODE"))
    for table in (FACETS, FACET_FIELDS):
        connection.execute(sa.text(f"DELETE FROM {table} WHERE site_id = :site"),
                           {"site": site_id})
    connection.execute(sa.text(
        f"INSERT INTO {FACETS} (site_id, state, dataset_type, capacity, labels, field, "
        f"value, n) " + _CONTRIBUTIONS.format(documents="d.site_id = :site")),
        {"site": site_id, "counted": sorted(counted)})
    connection.execute(sa.text(
        f"INSERT INTO {FACET_FIELDS} (site_id, field) "
        f"SELECT :site, unnest(CAST(:counted AS text[]))"),
        {"site": site_id, "counted": sorted(counted)})


def complete_fields(connection: sa.engine.Connection, site_id: str) -> set[str]:
    """The fields whose counts are complete for a site."""
    return {row.field for row in connection.execute(sa.text(
        f"SELECT field FROM {FACET_FIELDS} WHERE site_id = :site"), {"site": site_id})}


def clear(connection: sa.engine.Connection, site_id: str) -> None:
    """No documents left: every count is zero, and complete."""
    connection.execute(sa.text(f"DELETE FROM {FACETS} WHERE site_id = :site"),
                       {"site": site_id})


def read(connection: sa.engine.Connection, site_id: str, listing: dict[str, str],
         permission_labels: Optional[list[str]], fields: list[str],
         mincount: int) -> list[Any]:
    """(field, value, n) of a listing: ``listing`` gives the values of
    state, dataset_type and capacity it is limited to."""
    conditions = ["site_id = :site", "field = ANY(CAST(:fields AS text[]))"]
    params: dict[str, Any] = {"site": site_id, "fields": list(fields),
                              "mincount": max(1, mincount)}
    for name in ("state", "dataset_type", "capacity"):
        if name in listing:
            conditions.append(f"{name} = :{name}")
            params[name] = listing[name]
    if permission_labels is not None:
        conditions.append("labels && CAST(:labels AS text[])")
        params["labels"] = list(permission_labels)
    return connection.execute(sa.text(
        f"SELECT field, value, sum(n) AS n FROM {FACETS} "
        f"WHERE {' AND '.join(conditions)} "
        f"GROUP BY field, value HAVING sum(n) >= :mincount"), params).fetchall()
