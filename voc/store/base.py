"""The store contract: every operation the stages perform on stored data.

Stages, reports and commands talk to a :class:`Store` only through these named
operations and the typed rows of :mod:`voc.store.rows`; no SQL, table or column name
leaves the store package (sqlite-utils' ``Table`` owns every statement in the same
way). A backend is one implementation of this class: :class:`voc.store.sqlite.SQLiteStore`
is the embedded default; a server backend implements the same operations.

Conventions: times are ``'YYYY-MM-DD HH:MM:SS'`` strings (China time, naive) and a
range is half-open, ``start <= created_at < end``; days are ``'YYYY-MM-DD'``. Reads
that may be large are iterators; everything a write does happens in one transaction
(a failed write leaves the store as it was).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from voc.store.rows import (
    ClusterRecord,
    Coverage,
    DayClassRow,
    DayMentionRow,
    DaySafetyRow,
    DayVolumeRow,
    DroppedRow,
    FindingEvent,
    FindingRecord,
    FindingRow,
    PeriodClassRow,
    PeriodMentionRow,
    QuoteRow,
    RecordRow,
    SeriesStatusRecord,
    StoredCluster,
    StoredRun,
    WindowRow,
)

#: How 1-5 stars map to promoters, passives and detractors: three tuples of stars.
StarClasses = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


class IngestBatch(ABC):
    """One ingested file: everything written through it is one transaction, committed
    when the ``with`` block of :meth:`Store.ingest_batch` ends and rolled back when it
    raises (Ctrl-C included), so an interrupted file leaves no trace."""

    id: int

    @abstractmethod
    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these record ids are stored already (this batch included)."""

    @abstractmethod
    def insert_new(self, records: Sequence[tuple]) -> int:
        """Insert records (:data:`~voc.store.rows.RECORD_FIELDS` order) whose id is not
        stored yet, skipping the others; returns how many were inserted."""

    @abstractmethod
    def insert(self, records: Sequence[tuple]) -> None:
        """Insert records known to be new."""

    @abstractmethod
    def insert_turns(self, turns: Sequence[tuple]) -> None:
        """Insert ticket turns (:data:`~voc.store.rows.TURN_FIELDS` order)."""

    @abstractmethod
    def insert_dropped(self, rows: Sequence[tuple]) -> None:
        """Keep rejected and filtered rows (:data:`~voc.store.rows.DROPPED_FIELDS` order)."""

    @abstractmethod
    def link_followups(self, links: Iterable[tuple[str, str]]) -> None:
        """Point each follow-up record (record id, review id from the source) at the
        stored review with that source id."""

    @abstractmethod
    def date_undated(self, when: str) -> int:
        """Give the records of this batch that have no date the date ``when``; returns how
        many there were (an undated record would be in no period's report)."""

    @abstractmethod
    def finish(self, read: int, stored: int, duplicates: int, rejected: int, filtered: int) -> None:
        """Record the batch's counts."""


class Store(ABC):
    """A voc store: records, analysis, emerging runs and the findings loop."""

    #: what the store is, for messages ('voc.db', a server URL without credentials)
    location: str

    # -- life cycle -----------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @abstractmethod
    def target(self) -> str:
        """What :func:`voc.store.open_store` takes to open this store again (in a worker)."""

    # -- whole tables (moving a store: voc.store.copy) --------------------------------
    @abstractmethod
    def snapshot(self) -> AbstractContextManager[None]:
        """Reads inside the ``with`` block see one consistent state of the store, whatever
        other processes write meanwhile."""

    @abstractmethod
    def table_count(self, table: str) -> int:
        """Rows of one table of the schema."""

    @abstractmethod
    def table_rows(self, table: str, columns: Sequence[str], key: Sequence[str]) -> Iterator[tuple]:
        """Every row of a table as ``columns``, streamed in ``key`` order (``records``: in
        the order they were stored)."""

    @abstractmethod
    def replace_tables(self, tables: Sequence[tuple[str, Sequence[str], Iterable[tuple]]],
                       expect: dict[str, int]) -> None:
        """In one transaction, replace the contents of these tables (``(table, columns,
        rows)``, parents first) with the rows given, then check that each holds
        ``expect[table]`` rows; anything else rolls back and raises StoreError."""

    # -- ingest -----------------------------------------------------------------------
    @abstractmethod
    def ingest_batch(self, source_file: str, kind: str, options: dict) -> AbstractContextManager[IngestBatch]:
        """A new batch for one file, in one transaction (see :class:`IngestBatch`)."""

    @abstractmethod
    def dropped_rows(self, batch_ids: Sequence[int]) -> Iterator[DroppedRow]:
        """Rejected and filtered rows of these batches, in batch and row order."""

    # -- analysis ---------------------------------------------------------------------
    @abstractmethod
    def count_records(self) -> int: ...

    @abstractmethod
    def pending_analysis(self, model_version: str, lexicon_version: str, *, reanalyze: bool = False) -> list[int]:
        """Keys of the records to analyse (never analysed, or by other versions; every
        record with ``reanalyze``), in record id order. Keys are opaque to callers."""

    @abstractmethod
    def texts(self, keys: Sequence[int]) -> list[tuple[str, str, str]]:
        """``(record id, text, kind)`` of these keys (kind: ``review`` or ``ticket``), in
        record id order."""

    @abstractmethod
    def rated_reviews(self, limit: int) -> list[tuple[str, str, float]]:
        """``(record id, text, star rating)`` of up to ``limit`` rated reviews (not
        follow-ups), in record id order: the weak labels a sentiment model adapts to."""

    @abstractmethod
    def save_model(self, key: str, kind: str, data: bytes, evidence: str) -> None:
        """Keep a model learned from this store's data (``kind`` such as
        ``sentiment-adapted``; ``data`` the model file, empty for a refused candidate;
        ``evidence`` a JSON object). Saving a key again replaces it."""

    @abstractmethod
    def latest_model(self, kind: str) -> tuple[str, bytes, str] | None:
        """``(key, data, evidence)`` of the newest model of ``kind``, or None."""

    @abstractmethod
    def write_analysis(self, rows: Sequence[tuple], topic_rows: Sequence[tuple]) -> None:
        """Store results (:data:`~voc.store.rows.ANALYSIS_FIELDS` order) and their topic
        mentions (:data:`~voc.store.rows.TOPIC_FIELDS`), replacing earlier results of
        the same records, in one transaction."""

    @abstractmethod
    def analysis_writer(self) -> AbstractContextManager[Store]:
        """This store set up for a stream of :meth:`write_analysis` calls (the record ids
        written were just read from it, so per-row reference checks can be skipped)."""

    #: Whether analysing processes claim their records from the store (:meth:`claim_pending`),
    #: so that several of them, on several machines, split the work with no coordinator.
    claims_analysis: bool = False

    def claim_pending(self, model_version: str, lexicon_version: str,
                      limit: int) -> AbstractContextManager[list[tuple[str, str, str]] | None]:
        """Claim up to ``limit`` records to analyse (never analysed, or by other versions),
        ``(record id, text, kind)`` in record id order, held until the ``with`` block ends:
        results written inside it (:meth:`write_analysis`) commit with the claim; a process
        that dies releases its claim and another takes the records. ``None``: nothing
        is left to claim; ``[]``: the claimed records were finished by another process
        meanwhile (claim again). Only stores with :attr:`claims_analysis`."""
        raise NotImplementedError(f"{type(self).__name__} does not claim analysis work")

    @abstractmethod
    def bump_generation(self) -> int:
        """Note that stored data changed (an analysis run starts); returns the new
        generation. Stored emerging runs of older generations are stale."""

    @abstractmethod
    def generation(self) -> int: ...

    # -- periods ----------------------------------------------------------------------
    @abstractmethod
    def latest_record_time(self) -> str | None: ...

    @abstractmethod
    def coverage(self, start: str, end: str) -> Coverage:
        """Records and analysed records in ``[start, end)``, and the nearest data outside."""

    @abstractmethod
    def has_records(self, start: str, end: str) -> bool: ...

    # -- grouped scans for reports -------------------------------------------------------
    @abstractmethod
    def day_classes(self, lo: str, hi: str, stars: StarClasses) -> Iterator[DayClassRow]:
        """Records per day in ``[lo, hi)`` grouped by analysed, score classes, safety."""

    @abstractmethod
    def day_volumes(self, lo: str, hi: str) -> Iterator[DayVolumeRow]:
        """Analysed records per day and product ('' for none)."""

    @abstractmethod
    def day_safety(self, lo: str, hi: str) -> Iterator[DaySafetyRow]:
        """Safety reports per day, product and hazard."""

    @abstractmethod
    def safety_arrivals(self, since: str) -> dict[tuple[str, str], int]:
        """Safety reports stored by an ingest that started after ``since`` (an ISO time,
        as decisions record it), whatever their dates: ``(hazard, product) -> n``."""

    @abstractmethod
    def day_mentions(self, lo: str, hi: str) -> Iterator[DayMentionRow]:
        """Negative topic mentions per day, topic and product."""

    @abstractmethod
    def period_classes(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodClassRow]: ...

    @abstractmethod
    def period_mentions(self, start: str, end: str, stars: StarClasses) -> Iterator[PeriodMentionRow]: ...

    @abstractmethod
    def quotes(self, start: str, end: str, group: str, per_group: int) -> Iterator[QuoteRow]:
        """The ``per_group`` most quotable analysed records of each group in the range:
        ``group='topic'`` (negative mentions by topic and product), ``'topic_all'`` (by
        topic, key '*'), ``'safety'`` (safety reports by product). Readable lengths
        first, then the most negative, then by id. Safety groups are ``'safety:' + hazard``."""

    @abstractmethod
    def evidence_terms(self, start: str, end: str, group: str, per_group: int) -> Iterator[tuple[str, str, str, int]]:
        """``(group, key, evidence, n)``: the ``per_group`` most frequent evidence phrases
        of the negative mentions in the range, by ``group='topic'`` (topic, product),
        ``'topic_all'`` (topic, '*') or ``'safety'`` ('safety:' + hazard, product: the
        mentions of safety reports); most frequent first, ties by phrase."""

    @abstractmethod
    def mention_records(self, start: str, end: str, topic: str, product: str) -> list[str]:
        """Ids of the records in the range with a negative mention of ``topic`` on ``product``."""

    @abstractmethod
    def records(self, start: str, end: str, limit: int | None = None) -> Iterator[RecordRow]:
        """The range's records with their analysis, by time then id."""

    @abstractmethod
    def record_texts(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str, str, str]]:
        """``id -> (created_at, product, channel, text)`` of these records."""

    # -- emerging issues -----------------------------------------------------------------
    @abstractmethod
    def complaint_records(self, lo: str, hi: str) -> Iterator[WindowRow]:
        """The analysed records in ``[lo, hi)`` whose analysis kept their tokens (the
        analysis keeps them for complaints: :func:`voc.analysis.analyzer.is_complaint`),
        by time then id."""

    @abstractmethod
    def stored_clusters(self) -> list[StoredCluster]:
        """Every stored cluster identity, by id."""

    @abstractmethod
    def save_emerging_run(self, period: str, since: str, until: str, buckets: Sequence[str], stamp: str,
                          stats: dict, clusters: Sequence[ClusterRecord], issues: dict[str, dict],
                          members: dict[str, str]) -> None:
        """Store a period's clustering in one transaction, replacing an earlier run of
        the period: cluster identities (merged ids point at their survivor), weekly
        sizes, the described issues and the period's members (record id -> cluster)."""

    @abstractmethod
    def emerging_run(self, period: str) -> StoredRun | None: ...

    @abstractmethod
    def emerging_members(self, period: str) -> dict[str, str]:
        """record id -> cluster id of a stored run's period records."""

    @abstractmethod
    def save_series_status(self, period: str, rows: Sequence[SeriesStatusRecord]) -> None: ...

    @abstractmethod
    def alarmed_series(self, period: str) -> set[str]:
        """Subjects (cluster ids, 'topic@product') that alarmed in ``period``."""

    # -- the findings loop ------------------------------------------------------------------
    @abstractmethod
    def finding_rows(self, since: str, before: str) -> list[FindingRow]:
        """Every stored row with ``since <= period_start < before``, oldest first."""

    @abstractmethod
    def latest_finding_rows(self, since: str, before: str) -> dict[str, FindingRow]:
        """Each finding's latest row with ``since <= period_start < before``."""

    @abstractmethod
    def finding_history(self, finding_id: str) -> list[FindingRow]:
        """All rows of one finding, oldest first."""

    @abstractmethod
    def save_period_findings(self, period: str, period_start: str, rows: Sequence[FindingRecord],
                             volume: int, with_emerging: bool) -> None:
        """Store a reported period's findings, replacing an earlier report of the period."""

    @abstractmethod
    def reported_periods(self) -> dict[str, str]:
        """period label -> period start of every stored report."""

    @abstractmethod
    def finding_events(self, finding_ids: Sequence[str] | None = None) -> list[FindingEvent]:
        """People's decisions (of these findings, or all), oldest first."""

    @abstractmethod
    def add_finding_event(self, event: FindingEvent) -> None: ...

    @abstractmethod
    def finding_ids(self) -> list[str]:
        """Every finding id the loop has stored."""
