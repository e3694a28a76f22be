"""One defect is one issue: a fault written several ways is merged into one emerging
issue named by its defining term, and the merged issue keeps the oldest id."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from emerging_synth import FINGERPRINT_PHRASINGS, Plan, build_store, iso_weeks

from voc.emerging import detect_emerging
from voc.emerging.cluster import ComplaintClusterer
from voc.emerging.merge import defining_terms, main_product, merge_groups
from voc.period import iso_week
from voc.store import open_store

WEEKS = iso_weeks("2026-W38", 10)  # W38 .. W47
PRODUCTS = {"X1": 300, "Y2": 200}


def _run(path, week):
    with open_store(path) as store:
        return detect_emerging(store, iso_week(week))


def _fingerprint_alarms(result):
    return [a for a in result.alarms if a.kind == "cluster" and any("指纹" in t for t in a.terms)]


def test_one_fault_in_five_phrasings_is_one_issue_named_by_its_term(tmp_path):
    """Five phrasings of one fingerprint fault, 40 complaints each, in the last week: one
    issue (the term 指纹 bursts and gathers them; merging by defining term would too)."""
    events = [(t, "X1", WEEKS[-1], 40) for t in FINGERPRINT_PHRASINGS]
    path = build_store(tmp_path / "fp.db", Plan(weeks=WEEKS, products=PRODUCTS, events=events, seed=3))
    result = _run(path, WEEKS[-1])
    (issue,) = _fingerprint_alarms(result)
    assert issue.label.split("·")[0] == "指纹" and issue.terms[0] == "指纹"
    assert issue.count == 200 and issue.products[0].name == "X1" and issue.status == "new"
    # the report shows it once too, with the same numbers and label
    from voc.report.build import ReportOptions, build_report

    with open_store(path) as store:
        report = build_report(store, iso_week(WEEKS[-1]), options=ReportOptions(n_boot=100))
    emerging = [f for f in report.findings if f.kind == "emerging"]
    assert [(f.cluster_id, f.count, f.label) for f in emerging] == [(issue.id, 200, issue.label)]
    assert emerging[0].growth == issue.growth and emerging[0].q_value == issue.q_value


def test_merged_issue_keeps_the_oldest_id_and_later_runs_resolve_to_it(tmp_path, monkeypatch):
    import sqlite3

    import voc.emerging.run as emerging_run

    events = [(t, "X1", WEEKS[-1], 40) for t in FINGERPRINT_PHRASINGS]
    path = build_store(tmp_path / "ids.db", Plan(weeks=WEEKS, products=PRODUCTS, events=events, seed=3))
    # as a store left by a voc that did not merge: each phrasing an issue of its own
    monkeypatch.setattr(emerging_run, "merge_groups", lambda sets, products, known: [[c] for c in range(len(sets))])
    monkeypatch.setattr(ComplaintClusterer, "_burst_terms", lambda self, x, period, labels: labels)
    apart = _fingerprint_alarms(_run(path, WEEKS[-1]))
    monkeypatch.undo()
    assert len(apart) >= 3
    oldest = sorted(a.id for a in apart)[-1]  # not the first by id: age decides, not the id
    with sqlite3.connect(path) as conn:  # it was first seen weeks earlier
        conn.execute("UPDATE emerging_clusters SET first_period = '2026-W40' WHERE id = ?", (oldest,))
    with open_store(path) as store:
        store.bump_generation()  # new data: the stored run is stale
    (merged,) = _fingerprint_alarms(_run(path, WEEKS[-1]))
    assert merged.id == oldest and merged.count == 200
    with open_store(path) as store:
        stored = {c.id: c for c in store.stored_clusters()}
        store.bump_generation()
    assert {a.id for a in apart} - {oldest} <= {c.id for c in stored.values() if c.merged_into == oldest}
    assert stored[oldest].merged_into is None and stored[oldest].first_period == "2026-W40"
    # clustering again (same data, new generation) finds the same issue under the same id
    (again,) = _fingerprint_alarms(_run(path, WEEKS[-1]))
    assert again.id == oldest


def _matrix(docs: list[list[str]]) -> tuple[sp.csr_matrix, np.ndarray]:
    terms = np.array(sorted({t for d in docs for t in d}), dtype=object)
    index = {t: j for j, t in enumerate(terms)}
    rows = [i for i, d in enumerate(docs) for _ in set(d)]
    cols = [index[t] for d in docs for t in set(d)]
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), terms.size)), terms


def test_defining_term_is_the_one_most_complaints_share_and_merging_respects_the_taxonomy():
    docs = (
        [["指纹", "密码", "模块"]] * 6 + [["指纹", "登录"]] * 4  # cluster 0: a fingerprint fault
        + [["指纹", "重启", "解锁"]] * 8 + [["指纹", "解锁"]] * 2  # cluster 1: the same fault
        + [["电池", "鼓包", "后盖"]] * 9 + [["电池", "续航"]] * 1  # cluster 2: swelling
        + [["电池", "续航", "掉电"]] * 10  # cluster 3: battery life, same product
        + [["物流", "快递"], ["客服", "态度"], ["屏幕", "漏光"], ["价格", "降价"]] * 15  # the rest of the window
    )  # fmt: skip
    labels = np.array([0] * 10 + [1] * 10 + [2] * 10 + [3] * 10 + [-1] * 60)
    x, terms = _matrix(docs)
    defining, sets = defining_terms(x, terms, labels, 4)
    assert defining == ["指纹", "指纹", "电池", "续航"]  # ties: a noun, then the rarer one
    assert sets[1] == {"指纹", "解锁", "重启"} and "登录" not in sets[0]  # 4 of 10 is not most
    taxonomy = {"电池", "续航", "鼓包"}.__contains__
    # same product: the fingerprint clusters merge, the battery faults stay apart (电池 is a known part)
    assert merge_groups(sets, ["X1"] * 4, known=taxonomy) == [[0, 1], [2], [3]]
    # another product: no merge
    assert merge_groups(sets, ["X1", "Y2", "X1", "X1"], known=taxonomy) == [[0], [1], [2], [3]]


@pytest.mark.parametrize("products,main", [(["A"] * 3 + ["B"], "A"), (["A", "B"], "A"), (["A", "B", "C"], None), ([], None)])
def test_main_product_is_the_product_of_at_least_half(products, main):
    assert main_product(products) == main


def test_among_terms_every_complaint_shares_the_defining_term_is_the_thing_that_breaks():
    # every complaint is the same sentence: 指纹识别经常失败，解锁要按好几次，录入指纹也没反应
    docs = [["指纹识别", "指纹", "经常", "失败", "解锁", "几次", "录入", "反应"]] * 30
    docs += [["经常", "死机"], ["经常", "卡顿"], ["物流", "很快"], ["屏幕", "清晰"]] * 30
    x, terms = _matrix(docs)
    labels = np.array([0] * 30 + [-1] * 120)
    defining, sets = defining_terms(x, terms, labels, 1)
    assert defining == ["指纹"]  # a noun, the head of 指纹识别; not 经常 (an adverb) or 几次
    assert {"指纹", "失败", "解锁"} <= sets[0] and "经常" not in sets[0]  # 经常 is everywhere in the window


def test_a_small_new_fault_survives_unrelated_changes_to_the_data(tmp_path):
    """Eight complaints about a new fingerprint fault among hundreds: found as one issue
    whatever else the week holds (k-means alone put them in whichever big cluster was
    nearest, and one more unrelated complaint could hide them)."""
    from report_synth import StoreBuilder  # noqa: F401  (the store helpers of the report tests)

    events = [(t, "X1", WEEKS[-1], 2) for t in FINGERPRINT_PHRASINGS[:4]]
    found = []
    for extra in (0, 1, 7):
        plan = Plan(weeks=WEEKS, products=PRODUCTS, events=events, seed=3 + extra)
        path = build_store(tmp_path / f"small{extra}.db", plan)
        alarms = _fingerprint_alarms(_run(path, WEEKS[-1]))
        found.append([(a.terms[0], a.count) for a in alarms])
    assert all(f == [("指纹", 8)] for f in found), found
