"""Complaint clustering: every document placed, themes separated, small themes found, deterministic."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from emerging_synth import THEMES, make_doc, token_docs

from voc.emerging.cluster import ComplaintClusterer, central_docs, content_term, distinctive_terms
from voc.emerging.describe import label_of
from voc.emerging.terms import BUILTIN_STOP


def _theme_of(doc: str) -> str:
    words = set(doc.split())
    if "鼓包" in words:
        return "swelling"
    return next(name for name, th in THEMES.items() if th.core[0] in words and name != "swelling")


@pytest.fixture(scope="module")
def fitted():
    docs = token_docs(3000, seed=1, noise_size=0)
    return docs, ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)


def test_every_document_with_a_content_word_gets_a_cluster():
    docs = ["的 了 。", "", "电池 鼓包 充电", *token_docs(200, seed=3, noise_size=0)]
    model = ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)
    assert model.labels_[0] == -1 and model.labels_[1] == -1
    assert (model.labels_[2:] >= 0).all()


def test_themes_come_out_as_pure_clusters(fitted):
    docs, model = fitted
    truth = [_theme_of(d) for d in docs]
    purity = sum(Counter(truth[i] for i in np.flatnonzero(model.labels_ == c)).most_common(1)[0][1] for c in range(model.n_clusters_))
    assert purity / len(docs) > 0.95
    # no theme is split over many clusters, and no giant catch-all cluster
    assert model.n_clusters_ <= 2 * len(THEMES)
    assert model.sizes_.max() < 0.3 * len(docs)


def test_a_small_new_theme_gets_its_own_cluster():
    rng = np.random.default_rng(5)
    docs = token_docs(5000, seed=2, noise_size=0)
    docs = [d for d in docs if "指纹" not in d.split()] + [" ".join(make_doc(rng, "fingerprint")) for _ in range(30)]
    model = ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)
    fp = np.flatnonzero(["指纹" in d.split() for d in docs])
    label, n = Counter(model.labels_[fp]).most_common(1)[0]
    assert n >= 28 and model.sizes_[label] <= 35


def test_clustering_is_deterministic(fitted):
    docs, model = fitted
    again = ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)
    assert (again.labels_ == model.labels_).all()


def test_ctfidf_terms_name_the_theme(fitted):
    docs, model = fitted
    tops = model.top_terms(model.ctfidf(), 3)
    for c in range(model.n_clusters_):
        members = np.flatnonzero(model.labels_ == c)
        theme = Counter(_theme_of(docs[i]) for i in members).most_common(1)[0][0]
        words = {t for t, _ in tops[c]}
        assert words & set(THEMES[theme].core + THEMES[theme].extra), (theme, words)


def test_representatives_and_distinctive_terms_come_from_the_cluster(fitted):
    docs, model = fitted
    members = np.flatnonzero(model.labels_ == 0)
    reps = model.representatives(0, members, 5)
    assert len(reps) == 5 and all(model.labels_[i] == 0 for i in reps)
    assert central_docs(model.doc_terms_, members, 3) == central_docs(model.doc_terms_, members, 3)
    assert distinctive_terms(model.doc_terms_, model.terms_, members, 3)


def test_content_terms_and_labels():
    assert content_term("指纹") and content_term("WiFi")
    assert not content_term("，") and not content_term("2026") and not content_term("<PHONE>")
    assert label_of(["指纹", "指纹识别", "按压", "录入"]) == "指纹·按压·录入"
    assert label_of([]) == "(no content words)"


def _pair_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Rand index of two labelings (share of document pairs both put together or apart)."""
    from sklearn.metrics import rand_score

    return float(rand_score(a, b))


def test_a_sampled_fit_finds_the_clusters_of_a_full_fit():
    docs = token_docs(6000, seed=4, noise_size=0)
    full = ComplaintClusterer(stop_words=BUILTIN_STOP).fit(docs)
    sampled = ComplaintClusterer(stop_words=BUILTIN_STOP, max_fit_docs=1500).fit(docs)
    assert full.n_fitted_ == 6000 and sampled.n_fitted_ == 1500
    assert (sampled.labels_ >= 0).all() and sampled.doc_terms_.shape == full.doc_terms_.shape
    assert _pair_agreement(full.labels_, sampled.labels_) > 0.97
    truth = [_theme_of(d) for d in docs]
    purity = sum(Counter(truth[i] for i in np.flatnonzero(sampled.labels_ == c)).most_common(1)[0][1] for c in range(sampled.n_clusters_))
    assert purity / len(docs) > 0.95


def test_a_small_new_theme_among_the_first_documents_survives_sampling():
    rng = np.random.default_rng(5)
    old = [d for d in token_docs(8000, seed=2, noise_size=0) if "指纹" not in d.split()]
    new = token_docs(1000, seed=3, noise_size=0)
    new = [d for d in new if "指纹" not in d.split()] + [" ".join(make_doc(rng, "fingerprint")) for _ in range(30)]
    docs = old + new
    first = np.arange(len(docs)) >= len(old)
    model = ComplaintClusterer(stop_words=BUILTIN_STOP, max_fit_docs=2000).fit(docs, first=first)
    assert model.n_fitted_ == 2000
    fp = np.flatnonzero(["指纹" in d.split() for d in docs])
    label, n = Counter(model.labels_[fp]).most_common(1)[0]
    assert n >= 28 and model.sizes_[label] <= 35


def test_sampled_fit_is_deterministic():
    docs = token_docs(3000, seed=6, noise_size=2000)
    a = ComplaintClusterer(stop_words=BUILTIN_STOP, max_fit_docs=1000).fit(docs)
    b = ComplaintClusterer(stop_words=BUILTIN_STOP, max_fit_docs=1000).fit(docs)
    assert (a.labels_ == b.labels_).all()
