"""Stable identities for issue clusters, kept in the store.

Each run clusters its window afresh (a pure function of the data), then recognises
earlier issues: every cluster's term signature (its c-TF-IDF weights over its most
distinctive terms, l2-normalised) is compared with the signatures stored by earlier
runs, and pairs are matched greedily, most similar first, one to one, above a
cosine threshold. A cluster that matches nothing gets a new id derived from its top
terms (``E`` + 8 hex digits of a SHA-1), so even a fresh store gives the same data
the same ids. Re-running a period, or running an old period after newer weeks were
added, finds the same clusters and therefore the same ids.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from voc.store import Store

Signature = Mapping[str, float]


@dataclass(frozen=True)
class StoredCluster:
    """A cluster as an earlier run left it."""

    id: str
    label: str
    signature: dict[str, float]
    first_period: str
    last_period: str


def normalise(weights: Mapping[str, float]) -> dict[str, float]:
    """l2-normalised copy (empty stays empty), weights rounded for storage."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm <= 0:
        return {}
    return {t: round(w / norm, 6) for t, w in weights.items() if w > 0}


def cosine(a: Signature, b: Signature) -> float:
    """Cosine of two l2-normalised signatures."""
    if len(a) > len(b):
        a, b = b, a
    return float(sum(w * b.get(t, 0.0) for t, w in a.items()))


def new_id(terms: Sequence[str], taken: set[str]) -> str:
    """``E`` + 8 hex digits from the top terms; a collision appends a counter to the key."""
    key = "|".join(terms[:5])
    salt = 0
    while True:
        digest = hashlib.sha1(f"{key}#{salt}".encode()).hexdigest()[:8] if salt else hashlib.sha1(key.encode()).hexdigest()[:8]
        cid = f"E{digest}"
        if cid not in taken:
            return cid
        salt += 1


def load_clusters(store: Store) -> list[StoredCluster]:
    """Every stored cluster, by id."""
    rows = store.conn.execute(
        "SELECT id, label, signature, first_period, last_period FROM emerging_clusters ORDER BY id"
    ).fetchall()
    return [StoredCluster(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows]


def match_ids(
    signatures: Sequence[Signature],
    top_terms: Sequence[Sequence[str]],
    stored: Sequence[StoredCluster],
    *,
    threshold: float = 0.5,
) -> list[str]:
    """An id for each current cluster: the matched stored cluster's, else a new one.

    Matching is greedy over all (current, stored) pairs with cosine >= ``threshold``,
    highest first; ties by current index, then stored id, so it is deterministic.
    """
    pairs = []
    for i, sig in enumerate(signatures):
        for s in stored:
            sim = cosine(sig, s.signature)
            if sim >= threshold:
                pairs.append((-sim, i, s.id))
    pairs.sort()
    ids: list[str | None] = [None] * len(signatures)
    used: set[str] = set()
    for _neg, i, sid in pairs:
        if ids[i] is None and sid not in used:
            ids[i] = sid
            used.add(sid)
    taken = {s.id for s in stored} | used
    out = []
    for i, cid in enumerate(ids):
        if cid is None:
            cid = new_id(list(top_terms[i]), taken)
            taken.add(cid)
        out.append(cid)
    return out


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def save_clusters(
    store: Store,
    period: str,
    clusters: Sequence[tuple[str, str, Sequence[str], Signature]],
    weekly: Mapping[str, Sequence[tuple[str, int]]],
) -> None:
    """Upsert (id, label, terms, signature) of this run's clusters and their weekly sizes."""
    now = _now()
    conn = store.conn
    for cid, label, terms, sig in clusters:
        conn.execute(
            """INSERT INTO emerging_clusters (id, label, terms, signature, first_period, last_period, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET label = excluded.label, terms = excluded.terms,
                 signature = excluded.signature,
                 first_period = min(first_period, excluded.first_period),
                 last_period = max(last_period, excluded.last_period),
                 updated_at = excluded.updated_at""",
            (cid, label, json.dumps(list(terms), ensure_ascii=False), json.dumps(dict(sig), ensure_ascii=False),
             period, period, now, now),
        )
        conn.executemany(
            """INSERT INTO emerging_cluster_weeks (cluster_id, week, count) VALUES (?, ?, ?)
               ON CONFLICT(cluster_id, week) DO UPDATE SET count = excluded.count""",
            [(cid, w, int(n)) for w, n in weekly.get(cid, ())],
        )


def save_status(store: Store, period: str, rows: Sequence[tuple]) -> None:
    """Upsert status rows: (subject, kind, status, alarm, count, baseline, growth, p, q, label)."""
    now = _now()
    store.conn.executemany(
        """INSERT INTO emerging_status (subject, kind, period, status, alarm, count, baseline, growth,
                                        p_value, q_value, label, computed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(subject, period) DO UPDATE SET kind = excluded.kind, status = excluded.status,
             alarm = excluded.alarm, count = excluded.count, baseline = excluded.baseline,
             growth = excluded.growth, p_value = excluded.p_value, q_value = excluded.q_value,
             label = excluded.label, computed_at = excluded.computed_at""",
        [(r[0], r[1], period, *r[2:], now) for r in rows],
    )


def previous_alarms(store: Store, period: str) -> set[str]:
    """Subjects that alarmed in ``period`` (the week before, for 'fading')."""
    rows = store.conn.execute("SELECT subject FROM emerging_status WHERE period = ? AND alarm = 1", (period,))
    return {r[0] for r in rows}
