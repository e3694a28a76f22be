"""What emerging-issue detection reads from a lexicon folder."""

from __future__ import annotations

from voc.emerging.identity import StoredCluster, cosine, match_ids, new_id, normalise
from voc.emerging.terms import EmergingVocab
from voc.lexicon import Lexicons


def test_lexicon_words_are_stop_known_or_never_suggested(tmp_path):
    (tmp_path / "stopwords.txt").write_text("\ufeff# comment\n东东\n", encoding="utf-8")
    (tmp_path / "sentiment").mkdir()
    (tmp_path / "sentiment" / "negative.txt").write_text("失灵\t-1\n鼓包\t-2\n", encoding="utf-8")
    (tmp_path / "topics.tsv").write_text(
        "# taxonomy\nid\tname_zh\tname_en\towner\tpolarity\tmore\tterms\n"
        "battery\t电池/续航\tBattery\t电源\t\t\t电池|续航|鼓包\n", encoding="utf-8")
    vocab = EmergingVocab.from_lexicons(Lexicons(tmp_path))
    assert "东东" in vocab.stop_words and "的" in vocab.stop_words
    assert vocab.topic_names == {"battery": "电池"}
    assert vocab.is_known("鼓包") and vocab.is_known("电池鼓包")  # contains a keyword
    assert not vocab.suggestable("失灵")  # a sentiment word
    assert vocab.suggestable("指纹") and vocab.suggestable("鼓包") is False


def test_signature_matching_is_one_to_one_and_deterministic():
    old = [StoredCluster("Eaaaaaaaa", "a", normalise({"指纹": 3, "识别": 2}), "2026-W46", "2026-W46")]
    sigs = [normalise({"指纹": 3, "识别": 1, "解锁": 1}), normalise({"指纹": 1, "识别": 3}), normalise({"物流": 1})]
    ids = match_ids(sigs, [["指纹"], ["识别"], ["物流"]], old)
    assert ids[0] == "Eaaaaaaaa" and ids[1] != ids[0] and len(set(ids)) == 3
    assert ids == match_ids(sigs, [["指纹"], ["识别"], ["物流"]], old)
    assert ids[2] == new_id(["物流"], set())
    assert cosine(sigs[0], sigs[0]) > 0.999
