"""`voc train sentiment|topics FILE` and `voc evaluate sentiment|topics FILE`."""

from pathlib import Path
from typing import Annotated

import typer

from voc.cli.app import JsonOption, LexiconOption, QuietOption, app, handle_errors, print_json
from voc.errors import UsageError
from voc.lexicon import Lexicons

TASKS = ("sentiment", "topics")
TaskArg = Annotated[str, typer.Argument(help="sentiment or topics.", show_default=False, metavar="[sentiment|topics]")]
FileArg = Annotated[Path, typer.Argument(help="Labelled CSV, TSV, XLSX, JSON or JSONL file.", exists=True, dir_okay=False, show_default=False, metavar="FILE")]
TextCol = Annotated[str | None, typer.Option("--text-col", help="Column with the text (default: guessed: text, review, content, 评论内容 …).", metavar="COLUMN")]
LabelCol = Annotated[str | None, typer.Option("--label-col", help="Column with the gold label (default: guessed: label, sentiment, topics …).", metavar="COLUMN")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Text encoding (default: detected).", metavar="NAME")]


def _report_skipped(file: Path, skipped: list[tuple[int, str]]) -> int:
    """Say on stderr how many rows were left out (and the first), return how many."""
    if skipped:
        row, reason = skipped[0]
        typer.echo(f"{file}: {len(skipped)} rows left out (row {row}: {reason})", err=True)
    return len(skipped)


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise UsageError(f"unknown task '{task}': use sentiment or topics")


def _render(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    head = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    console.print("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in head.items()))
    per = result.get("per_class") or result.get("per_topic") or {}
    table = Table("label", "precision", "recall", "f1", "support")
    for name, m in per.items():
        table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"]))
    console.print(table)
    conf = result.get("confusion")
    if isinstance(conf, dict) and conf:
        labels = list(conf)
        t = Table("gold \\ predicted", *labels)
        for gold in labels:
            t.add_row(gold, *(str(conf[gold].get(p, 0)) for p in labels))
        console.print(t)


@app.command()
@handle_errors
def evaluate(
    task: TaskArg,
    file: FileArg,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    model: Annotated[Path | None, typer.Option(help="Model from `voc train` (default: the built-in one).", exists=True, dir_okay=False, metavar="FILE")] = None,
    encoding: EncodingOpt = None,
    kind: Annotated[str, typer.Option("--kind", help="What the texts are: review or ticket (customer-service chats), read as `voc analyze` reads that kind.", metavar="[review|ticket]")] = "review",
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """Score the current (or --model) sentiment or topic model on labelled data."""
    from voc.analysis import registry
    from voc.io.labelled import read_labelled

    _check_task(task)
    texts, gold, skipped = read_labelled(file, task, text_col, label_col, encoding)
    result = registry.evaluate(task, texts, gold, model=model, lexicons=Lexicons.resolve(lexicons), kind=kind)
    result["skipped"] = _report_skipped(file, skipped)
    if json_:
        print_json(result)
    else:
        _render(result)


@app.command()
@handle_errors
def train(
    task: TaskArg,
    file: FileArg,
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (a data-only .npz archive, whatever the name).", metavar="FILE")],
    text_col: TextCol = None,
    label_col: LabelCol = None,
    encoding: EncodingOpt = None,
    quiet: QuietOption = False,
    lexicons: LexiconOption = None,
    json_: JsonOption = False,
) -> None:
    """Train a sentiment or topic model on your own labelled data; use it with `voc analyze --model`."""
    from voc.analysis import registry
    from voc.io.labelled import read_labelled

    _check_task(task)
    texts, gold, skipped = read_labelled(file, task, text_col, label_col, encoding)
    summary = registry.train(task, texts, gold, out=out, lexicons=Lexicons.resolve(lexicons))
    summary["skipped"] = _report_skipped(file, skipped)
    if json_:
        print_json(summary)
    elif not quiet:
        extra = " (words and character n-grams)" if summary.get("chars") else ""
        print(f"trained {task} model{extra} on {summary['n']} texts -> {out}")
