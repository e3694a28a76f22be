"""What the store backends share: portable SQL fragments, row conversion, the migration
scripts and the store targets (a file path or a server URL).

Nothing here imports a database driver.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from voc.errors import StoreError
from voc.store.base import StarClasses
from voc.store.rows import FindingRow, split_hazards

#: URL schemes of a PostgreSQL server store.
SERVER_SCHEMES = ("postgresql://", "postgres://")
#: Connection parameters that are secrets: never shown.
_SECRET_PARAMS = {"password", "sslpassword"}


def is_server_url(target: str | os.PathLike | None) -> bool:
    """Whether ``target`` names a PostgreSQL server store rather than an SQLite file."""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_SCHEMES)


def redact_url(url: str) -> str:
    """The URL without its password (in the user part or as a parameter): what messages show."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            netloc = userinfo.split(":", 1)[0] + "@" + host
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, v) for k, v in pairs if k.lower() not in _SECRET_PARAMS], safe="/:")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return url.split("://", 1)[0] + "://…"  # unparsable: show nothing that might be a secret


def url_secrets(url: str) -> list[str]:
    """The secrets a URL carries (to scrub from messages that might echo them)."""
    out = []
    try:
        parts = urlsplit(url)
        if parts.password:
            out.append(parts.password)
        out.extend(v for k, v in parse_qsl(parts.query) if k.lower() in _SECRET_PARAMS and v)
    except ValueError:
        pass
    return [s for s in out if s]


def migrations(package: str) -> list[tuple[int, str, str]]:
    """The numbered ``NNNN_name.sql`` scripts of a migrations package, checked to run 1..n."""
    out = []
    for name, read in _package_files(package):
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name, read()))
    out.sort()
    versions = [v for v, _, _ in out]
    if versions != list(range(1, len(versions) + 1)):
        raise StoreError(f"migrations are not numbered 1..n: {versions}")
    return out


def _package_files(package: str) -> list[tuple[str, Callable[[], str]]]:
    """The files of a package folder, each with a function reading its text: listed
    from the folder itself when it is one (every store opened reads its migrations;
    importlib.resources and its zip support cost a few milliseconds to import), else
    through importlib.resources (an installation from a zip archive)."""
    import importlib

    folder = os.path.dirname(importlib.import_module(package).__file__ or "")
    if folder and os.path.isdir(folder):
        def reader(path: str) -> Callable[[], str]:
            def read() -> str:
                with open(path, encoding="utf-8") as f:
                    return f.read()
            return read

        return [(entry.name, reader(entry.path)) for entry in os.scandir(folder) if entry.is_file()]
    from importlib import resources

    return [(entry.name, functools.partial(entry.read_text, encoding="utf-8"))
            for entry in resources.files(package).iterdir()]


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def class_sql(kind: str, stars: StarClasses | None = None, r: str = "", a: str = "") -> str:
    """SQL giving 'P', 'A', 'D' or NULL (not scored by this kind of score): true NPS from
    0-10 answers, the star-rating proxy, and the sentiment proxy of the records that carry
    neither score. ``r`` and ``a`` prefix the records and analysis columns (none for the
    ``record_analysis`` view). Portable: SQLite and PostgreSQL."""
    if kind == "nps":
        return (f"CASE WHEN {r}nps_score IS NULL THEN NULL WHEN {r}nps_score >= 9 THEN 'P' "
                f"WHEN {r}nps_score >= 7 THEN 'A' ELSE 'D' END")
    if kind == "stars":
        assert stars is not None

        def ins(group: tuple[int, ...]) -> str:
            return ",".join(str(int(s)) for s in group) or "NULL"

        promoters, passives, detractors = stars
        return (f"CASE WHEN {r}rating IN ({ins(promoters)}) THEN 'P' WHEN {r}rating IN ({ins(passives)}) "
                f"THEN 'A' WHEN {r}rating IN ({ins(detractors)}) THEN 'D' ELSE NULL END")
    if kind == "sentiment":
        return (f"CASE WHEN {r}nps_score IS NOT NULL OR {r}rating IS NOT NULL THEN NULL "
                f"WHEN {a}sentiment = 'positive' THEN 'P' WHEN {a}sentiment = 'neutral' THEN 'A' "
                f"WHEN {a}sentiment = 'negative' THEN 'D' ELSE NULL END")
    raise ValueError(f"unknown kind of score '{kind}'")


def classes_sql(stars: StarClasses, r: str = "", a: str = "") -> str:
    return ", ".join(class_sql(k, stars, r, a) for k in ("nps", "stars", "sentiment"))


#: A stored (finding, period) row with what the findings table knows (portable SQL).
FINDING_ROW_SQL = """
    SELECT fp.finding_id, fp.period, fp.period_start, fp.count, fp.volume, fp.status, fp.priority,
           fp.owner_team, fp.owner_person, fp.owner_contact,
           f.kind, f.topic, f.product, COALESCE(f.cluster_id, ''), COALESCE(f.label, ''), f.terms,
           f.baseline_rate, f.first_period, fp.qualifies, fp.at_baseline, fp.expected, fp.growth, fp.q_value,
           COALESCE(f.routed_topic, f.topic), COALESCE(f.hazard, '')
    FROM finding_periods fp JOIN findings f ON f.id = fp.finding_id
    """


def finding_row(r: Sequence) -> FindingRow:
    terms = tuple(json.loads(r[15])) if r[15] else ()
    return FindingRow(*r[:15], terms, r[16], r[17], bool(r[18]), bool(r[19]), *r[20:])  # type: ignore[arg-type]


def per_hazard(rows) -> dict[tuple, int]:
    """Counts grouped by a ``safety_kind`` (the hazards of a report, joined: the second to last
    column) summed per hazard instead: a report of two hazards counts once under each."""
    acc: dict[tuple, int] = {}
    for *key, kinds, n in rows:
        for hazard in split_hazards(kinds):
            k = (*key, hazard)
            acc[k] = acc.get(k, 0) + n
    return acc


# -- the findings upsert, both backends -------------------------------------------------------
#: Whether the period being saved is a finding's latest (its rows of the period deleted
#: first): what it is called (label, terms, routed topic) comes from that period, so a
#: re-run of an older week keeps the name a later week gave it.
LATEST_PERIOD_SQL = ("excluded.first_start >= COALESCE((SELECT MAX(p.period_start) FROM finding_periods p "
                     "WHERE p.finding_id = findings.id), '')")
#: The rows of a period that a report without emerging issues replaces: not an emerging issue's.
NOT_EMERGING_SQL = " AND finding_id NOT IN (SELECT id FROM findings WHERE kind = 'emerging')"
