"""Labelled files for `voc train` and `voc evaluate`: a text column and a label column."""

from __future__ import annotations

from pathlib import Path

from voc.errors import InputError
from voc.io.columns import norm_header
from voc.io.readers import iter_table
from voc.io.values import cell_text

TEXT_GUESSES = ("text", "review", "content", "comment", "评论内容", "评价内容", "内容", "文本", "评论")
LABEL_GUESSES = {
    "sentiment": ("label", "sentiment", "polarity", "情感", "标签", "极性"),
    "topics": ("topics", "topic", "labels", "label", "主题", "标签"),
}


def _pick(headers: list[str], wanted: str | None, guesses: tuple[str, ...], flag: str, path: Path) -> str:
    normed = {norm_header(h): h for h in headers}
    if wanted:
        if wanted in headers:
            return wanted
        if norm_header(wanted) in normed:
            return normed[norm_header(wanted)]
        raise InputError(f"{path}: no column '{wanted}' for {flag} (columns: {', '.join(headers)})")
    for g in guesses:
        if norm_header(g) in normed:
            return normed[norm_header(g)]
    raise InputError(f"{path}: cannot tell which column to use; pass {flag} (columns: {', '.join(headers)})")


def read_labelled(path: str | Path, task: str, text_col: str | None = None, label_col: str | None = None,
                  encoding: str | None = None) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    """Texts, their gold labels (as strings; an empty topic cell means "no topic"), and
    the rows left out, as ``(row number, reason)``: rows the reader could not parse, rows
    without text and, for sentiment, rows without a label. Nothing is dropped unsaid.
    """
    from voc.analysis.sentiment_eval import normalize_label

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    texts: list[str] = []
    labels: list[str] = []
    skipped: list[tuple[int, str]] = []
    text_key = label_key = None
    for headers, chunk in iter_table(path, encoding=encoding):
        if text_key is None:
            text_key = _pick(headers, text_col, TEXT_GUESSES, "--text-col", path)
            label_key = _pick(headers, label_col, LABEL_GUESSES[task], "--label-col", path)
        skipped += [(row, reason) for row, reason, _ in chunk.bad]
        for number, row in zip(chunk.rownums, chunk.rows, strict=True):
            text = cell_text(row.get(text_key)).lstrip("\ufeff")
            label = cell_text(row.get(label_key))
            if not text or (task == "sentiment" and not label):
                skipped.append((number, "no text" if not text else "no label"))
                continue
            if task == "sentiment":  # a bad label is named by its row in the file
                try:
                    normalize_label(label)
                except InputError as e:
                    raise InputError(f"{path}: row {number}: {e}") from None
            texts.append(text)
            labels.append(label)
    if not texts:
        raise InputError(f"{path}: no labelled rows found"
                         + (f" ({len(skipped)} rows left out; row {skipped[0][0]}: {skipped[0][1]})" if skipped else ""))
    skipped.sort()
    return texts, labels, skipped
