"""Stable identities for issue clusters, kept in the store.

Each run clusters its window afresh (a pure function of the data), then recognises
earlier issues: every cluster's term signature (its c-TF-IDF weights over its most
distinctive terms, l2-normalised) is compared with the signatures stored by earlier
runs, and pairs are matched greedily, most similar first, one to one, above a
cosine threshold. A cluster that matches nothing gets a new id derived from its top
terms (``E`` + 8 hex digits of a SHA-1), so even a fresh store gives the same data
the same ids. Re-running a period, or running an old period after newer weeks were
added, finds the same clusters and therefore the same ids.

When clusters are merged (one defect written several ways, :mod:`voc.emerging.merge`),
the merged issue keeps the oldest id among its parts (:func:`merged_ids`); the others
point at it from then on, and a later run that finds one of them again resolves to it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence

from voc.store.rows import StoredCluster

Signature = Mapping[str, float]


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


def survivor(cid: str, stored: Mapping[str, StoredCluster]) -> str:
    """The id a stored cluster id stands for now (following ``merged_into``)."""
    seen = set()
    while cid in stored and stored[cid].merged_into and cid not in seen:
        seen.add(cid)
        cid = stored[cid].merged_into or cid
    return cid


def absorbed_ids(
    signatures: Sequence[Signature],
    ids: Sequence[str],
    stored: Sequence[StoredCluster],
    *,
    threshold: float = 0.3,
) -> list[list[str]]:
    """For each current cluster, the stored clusters it continues besides the one it was
    matched to: those no current cluster took that share its leading term (the heaviest
    of its signature) and resemble it (cosine >= ``threshold``, below the 0.5 of a
    match: each of them is a part of it). A cluster that gathers what earlier runs held
    apart (the complaints of a bursting term, in several phrasings) is their
    continuation, and keeps the oldest of their ids."""
    taken = set(ids)
    free = [s for s in stored if s.id not in taken and not s.merged_into]
    out = []
    for sig in signatures:
        lead = max(sig, key=lambda t: (sig[t], t)) if sig else None
        out.append([s.id for s in free if lead in s.signature and cosine(sig, s.signature) >= threshold])
    return out


def merged_ids(
    groups: Sequence[Sequence[int]],
    member_ids: Sequence[str],
    top_terms: Sequence[Sequence[str]],
    stored: Sequence[StoredCluster],
    absorbed: Sequence[Sequence[str]] | None = None,
) -> tuple[list[str], list[tuple[str, ...]]]:
    """An id for each merged group of clusters, and the ids merged into it.

    ``groups`` lists the member clusters (indices into ``member_ids``, the ids matched
    before merging) of each merged cluster; ``top_terms`` are the merged clusters' top
    terms. A group whose members include stored clusters (matched, or ``absorbed``: see
    :func:`absorbed_ids`) keeps the oldest of them (first seen earliest, then the
    smallest id), following earlier merges; a group of new clusters keeps its first
    member's new id when it is alone, else gets a new id from its merged terms.
    """
    by_id = {s.id: s for s in stored}
    taken = set(by_id) | set(member_ids)
    out: list[str] = []
    merged: list[tuple[str, ...]] = []
    used: set[str] = set()
    for g, members in enumerate(groups):
        matched = [member_ids[i] for i in members]
        if absorbed is not None:
            matched += [a for i in members for a in absorbed[i]]
        known = [survivor(m, by_id) for m in matched if m in by_id]
        known = [k for k in dict.fromkeys(known) if k not in used]
        if known:
            keep = min(known, key=lambda k: (by_id[k].first_period if k in by_id else "~", k))
        elif len(members) == 1:
            keep = member_ids[members[0]]
        else:
            keep = new_id(list(top_terms[g]), taken | used)
        used.add(keep)
        out.append(keep)
        others = set(matched) | set(known)
        merged.append(tuple(sorted(o for o in others if o != keep and o in by_id)))
    return out, merged
