"""Which series of a period become findings.

``topic``
    a topic x product series with at least ``max(min_count, min_share * volume)``
    negative mentions in the period, or a significant burst. A topic spread thin over
    many products (logistics, service, price ...) whose product findings cover less
    than half of its mentions becomes one finding for all products (product ``*``),
    on the same terms;
``safety``
    every hazard (swelling, smoke, fire ...) with at least one report on a product in
    the period (always P0), routed to the owner of the product topic most of those
    reports mention (battery swelling goes to the battery team; service topics such as
    after-sales do not count, :data:`SERVICE_TOPICS`), else to the hazard's usual topic
    (:data:`HAZARD_TOPICS`), else to the ``safety`` line of the owners file;
``emerging``
    a cluster whose burst is significant and that no topic finding covers (a cluster
    whose main topic and product, each at least half its complaints, are those of a
    topic finding lends that finding its words and marks it as a burst instead);
    routed by its main topic, else the ``emerging`` line.

Every finding takes its numbers from its own series' test (:mod:`voc.findings.series`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from voc.findings.model import ALL_PRODUCTS, Finding, FindingOptions, finding_id
from voc.findings.routing import Router
from voc.findings.series import SPREAD, SeriesTest, product_name


@dataclass(frozen=True)
class ClusterInfo:
    """What the findings need to know about an emerging cluster of the period."""

    id: str
    label: str
    terms: tuple[str, ...]
    main_topic: str  # '' when no topic covers half its complaints
    main_product: str | None  # None when no product covers half its complaints
    products: tuple[tuple[str, float], ...]
    safety: int = 0


#: The topic a hazard is usually about, when its reports mention no product topic.
HAZARD_TOPICS = {"swelling": "battery"}
#: Topics about the purchase and the service, not the product (DESIGN.md: "not R&D"): a
#: safety report that also complains about the service is still routed to the product.
SERVICE_TOPICS = frozenset({"logistics", "customer_service", "after_sales", "price", "authenticity"})


def label_of(terms: Sequence[str], n: int = 3) -> str:
    """``鼓包·充电·烫``: the first terms, each not inside one already chosen."""
    chosen: list[str] = []
    for t in terms:
        if t and not any(t in c or c in t for c in chosen):
            chosen.append(t)
        if len(chosen) == n:
            break
    return "·".join(chosen)


def candidates(
    tests: Mapping[str, SeriesTest],
    volume: int,
    router: Router,
    options: FindingOptions,
    *,
    mentions: Mapping[tuple[str, str], tuple[int, int]] | None = None,
    terms: Mapping[tuple[str, str], Sequence[str]] | None = None,
    safety_topics: Mapping[tuple[str, str], Sequence[tuple[str, int]]] | None = None,
    clusters: Mapping[str, ClusterInfo] | None = None,
) -> list[Finding]:
    """The period's findings before status and priority.

    ``mentions``: (topic, product) -> (all mentions, negative ones), for the negative
    share; ``terms``: (topic, product) or ('safety:hazard', product) -> the words its
    records use most (evidence); ``safety_topics``: (hazard, product) -> [(topic, safety
    reports)]; ``clusters``: the period's emerging clusters by id.
    """
    mentions = mentions or {}
    terms = terms or {}
    safety_topics = safety_topics or {}
    clusters = clusters or {}
    threshold = options.threshold(volume)
    out: dict[str, Finding] = {}

    def topic_finding(t: SeriesTest) -> Finding:
        topic, product = t.key
        all_m, neg_m = mentions.get(t.key, (t.count, t.count))
        words = tuple(terms.get(t.key, ()))
        return Finding(
            finding_id("topic", topic, product), "topic", topic, product,
            router.route(topic, "" if product == ALL_PRODUCTS else product), t.count, volume,
            negative_share=neg_m / all_m if all_m else None, expected=t.expected, growth=t.growth,
            p_value=t.p_value, q_value=t.q_value, burst=t.burst, terms=words, label=label_of(words),
            baseline_rate=_rate(t, volume),
        )  # fmt: skip

    for t in sorted((t for t in tests.values() if t.kind == "topic"), key=lambda t: t.key):
        if t.count > 0 and (t.count >= threshold or t.burst):
            f = topic_finding(t)
            out[f.id] = f
    covered: dict[str, int] = {}
    for f in out.values():
        covered[f.topic] = covered.get(f.topic, 0) + f.count
    for t in sorted((t for t in tests.values() if t.kind == "spread"), key=lambda t: t.key):
        topic = t.key[0]
        if t.count > 0 and (t.count >= threshold or t.burst) and 2 * covered.get(topic, 0) < t.count:
            f = topic_finding(t)
            out[f.id] = f
    for t in sorted((t for t in tests.values() if t.kind == "safety"), key=lambda t: t.key):
        hazard, product = t.key
        if t.count == 0:
            continue
        ranked = [t for t, _n in safety_topics.get((hazard, product), []) if t not in SERVICE_TOPICS]
        routed = ranked[0] if ranked else HAZARD_TOPICS.get(hazard, "safety")
        words = tuple(terms.get((f"safety:{hazard}", product), ()))
        fid = finding_id("safety", hazard, product)
        out[fid] = Finding(
            fid, "safety", "safety", product, router.route(routed, product), t.count, volume,
            safety=t.count, expected=t.expected, growth=t.growth, p_value=t.p_value, q_value=t.q_value,
            burst=t.burst, routed_topic=routed, terms=words, label=label_of(words), baseline_rate=_rate(t, volume),
            hazard=hazard,
        )  # fmt: skip
    joined, alone = join_clusters(tests, clusters, volume, options)
    for subject, ids in joined.items():
        t = tests[subject]
        fid = finding_id("topic", *t.key)
        f = out.get(fid) or topic_finding(t)
        info = clusters[ids[0]]
        out[fid] = replace(f, emerging_id=info.id, burst=True, terms=f.terms or info.terms,
                           label=f.label or info.label)
    for cid in alone:
        t, info = tests[cid], clusters[cid]
        product = info.main_product if info.main_product is not None else ""
        routed = info.main_topic or "emerging"
        fid = finding_id("emerging", "emerging", product, info.id)
        out[fid] = Finding(
            fid, "emerging", "emerging", product, router.route(routed, product), t.count, volume,
            negative_share=1.0, expected=t.expected, growth=t.growth, p_value=t.p_value, q_value=t.q_value,
            burst=True, routed_topic=routed, cluster_id=info.id, emerging_id=info.id, label=info.label,
            terms=info.terms, baseline_rate=_rate(t, volume), products=info.products,
        )  # fmt: skip
    return list(out.values())


def join_clusters(
    tests: Mapping[str, SeriesTest],
    clusters: Mapping[str, ClusterInfo],
    volume: int,
    options: FindingOptions,
) -> tuple[dict[str, list[str]], list[str]]:
    """Where each significantly bursting cluster belongs: joined to the topic x product
    series of its main topic and main product when that series is itself a burst or
    big enough to be a finding, or, spread over products with none the main one, to its
    main topic's series across products on the same terms (``subject -> cluster ids``:
    a fault the taxonomy names on four products is that topic's finding, not a second
    one), else alone (cluster ids).

    The same rule makes `voc emerging`'s alarms and a report's emerging issues: one
    issue, one row, with the numbers of the series it is."""
    threshold = options.threshold(volume)
    joined: dict[str, list[str]] = {}
    alone: list[str] = []
    for t in sorted((t for t in tests.values() if t.kind == "cluster" and t.burst), key=lambda t: t.subject):
        info = clusters.get(t.subject)
        if info is None:
            continue
        topic = None
        if info.main_topic and info.main_product is not None:
            topic = tests.get(f"{info.main_topic}@{product_name(info.main_product)}")
        elif info.main_topic:
            topic = tests.get(f"{info.main_topic}@{SPREAD}")
        if topic is not None and topic.count > 0 and (topic.burst or topic.count >= threshold):
            joined.setdefault(topic.subject, []).append(info.id)
        else:
            alone.append(info.id)
    return joined, alone


def alarms(tests: Mapping[str, SeriesTest], clusters: Mapping[str, ClusterInfo], volume: int,
           options: FindingOptions) -> list[tuple[str, list[str]]]:
    """The period's emerging issues: ``(subject, joined cluster ids)`` for every bursting
    topic x product series or series a bursting cluster joins, and every bursting
    cluster that stands alone (in subject order)."""
    joined, alone = join_clusters(tests, clusters, volume, options)
    topics = {t.subject for t in tests.values() if t.kind == "topic" and t.burst and t.count > 0} | set(joined)
    return sorted([(s, joined.get(s, [])) for s in topics] + [(c, []) for c in alone])


def _rate(t: SeriesTest, volume: int) -> float | None:
    """The baseline rate per 1000 analysed records of the period (its expected count
    over the period's volume); None when the period has no volume."""
    return 1000.0 * t.expected / volume if volume else None
