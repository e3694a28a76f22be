"""Moving a store: every table from one store to another (SQLite file <-> PostgreSQL).

``voc store copy --from voc.db --to postgresql://…`` moves a team onto the server (and
back). The source is read in one consistent snapshot; the destination is written in one
transaction, then each table's row count is checked against the source's, and anything
short rolls the destination back. A destination that holds data is refused unless
``force`` (its contents are then replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voc.errors import StoreError
from voc.store.base import Store
from voc.store.rows import ANALYSIS_FIELDS, RECORD_FIELDS, TOPIC_FIELDS, TURN_FIELDS


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the order rows are read in (records: the order they were stored)


#: Every table of the schema (latest migration), parents before children. A migration that
#: adds a table or a column adds it here (a test compares this with the SQLite schema).
TABLES: tuple[Table, ...] = (
    Table("batches", ("id", "started_at", "finished_at", "source_file", "kind", "read", "stored", "duplicates",
                      "rejected", "filtered", "options"), ("id",)),
    Table("records", RECORD_FIELDS, ("id",)),
    Table("turns", TURN_FIELDS, ("record_id", "seq")),
    Table("dropped", ("id", "batch_id", "status", "source_file", "source_row", "reason", "raw"), ("id",)),
    Table("analysis", ANALYSIS_FIELDS, ("record_id",)),
    Table("record_topics", TOPIC_FIELDS, ("record_id", "topic")),
    Table("emerging_clusters", ("id", "label", "terms", "signature", "first_period", "last_period", "created_at",
                                "updated_at", "merged_into"), ("id",)),
    Table("emerging_cluster_weeks", ("cluster_id", "week", "count"), ("cluster_id", "week")),
    Table("emerging_status", ("subject", "kind", "period", "status", "alarm", "count", "baseline", "growth",
                              "p_value", "q_value", "label", "computed_at"), ("subject", "period")),
    Table("emerging_runs", ("period", "since", "until", "buckets", "stamp", "stats", "computed_at"), ("period",)),
    Table("emerging_issues", ("period", "cluster_id", "data"), ("period", "cluster_id")),
    Table("emerging_members", ("period", "record_id", "cluster_id"), ("period", "record_id")),
    Table("findings", ("id", "kind", "topic", "product", "cluster_id", "label", "baseline_rate", "first_period",
                       "first_start", "terms", "routed_topic", "hazard"), ("id",)),
    Table("finding_periods", ("finding_id", "period", "period_start", "count", "volume", "negative_share", "safety",
                              "expected", "growth", "q_value", "nps_impact", "priority", "status", "owner_team",
                              "owner_person", "owner_contact", "computed_at", "qualifies", "at_baseline", "p_value"),
          ("finding_id", "period")),
    Table("report_periods", ("period", "period_start", "volume", "findings", "with_emerging", "computed_at"),
          ("period",)),
    Table("finding_events", ("id", "finding_id", "action", "period", "period_start", "at", "by", "note", "count",
                             "volume"), ("id",)),
    Table("meta", ("key", "value"), ("key",)),
    Table("models", ("key", "kind", "data", "evidence", "created_at"), ("key",)),
)

#: Tables a new store fills by itself (the data generation counter): not data.
_BOOKKEEPING = {"meta"}


@dataclass(frozen=True)
class CopyResult:
    source: str  # where from and to, as messages show them (no password)
    destination: str
    tables: dict[str, int]  # rows per table, in both stores

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.destination, "tables": dict(self.tables), "rows": self.rows,
                "verified": True}


def store_contents(store: Store) -> dict[str, int]:
    """Rows per table of a store."""
    return {t.name: store.table_count(t.name) for t in TABLES}


def copy_store(source: Store, destination: Store, *, force: bool = False) -> CopyResult:
    """Copy every table of ``source`` into ``destination`` (both open, at the latest
    schema), verified by per-table row counts. ``force``: replace what the destination
    holds (without it a destination with data is refused and left as it was)."""
    if source.target() == destination.target():
        raise StoreError(f"--from and --to are the same store ({source.location})")
    with source.snapshot():
        counts = store_contents(source)
        if not force:
            held = {name: n for name, n in store_contents(destination).items() if n and name not in _BOOKKEEPING}
            if held:
                what = ", ".join(f"{n:,} {name}" for name, n in list(held.items())[:3])
                raise StoreError(f"{destination.location} is not empty ({what}): pass --force to replace its "
                                 "contents with the copy")
        destination.replace_tables(
            [(t.name, t.columns, source.table_rows(t.name, t.columns, t.key)) for t in TABLES], counts)
    return CopyResult(source.location, destination.location, counts)
