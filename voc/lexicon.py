"""The lexicons in effect (:class:`Lexicons`), the readers of lexicon files, and their version.

One :class:`Lexicons` object is resolved, read and hashed once and handed to every stage
(jieba's ``Tokenizer(dictionary=...)`` idea): the analysis components are built from it
with their ``from_lexicons`` constructors, and reports read the taxonomy and the owner
routing through it. Nothing else resolves a lexicon folder or hashes lexicon files.

All lexicon files are UTF-8 text (a leading BOM is ignored). Blank lines and lines whose
first non-blank character is ``#`` are skipped. Three line formats are used:

* **weighted lexicons** (``sentiment/positive.txt`` …): ``term<TAB>weight[<TAB>tag]``;
  the weight may be omitted when the reader is given a default weight;
* **word lists** (``stopwords.txt``, ``sentiment/negation.txt`` …): one term per line;
* **the user dictionary** (``userdict.txt``): jieba's ``word [freq] [tag]`` separated by
  spaces, or the same three fields separated by tabs. Only the tab form can hold a term
  that contains a space (``ThinkPad X1``); see :mod:`voc.analysis.segment` for what such a
  term means to the segmenter.

Every error raises :class:`voc.errors.LexiconError` naming the file and the line, in the
form ``negative.txt:14: weight 'x' is not a number``.

A lexicon folder may hold only some files; :func:`lexicon_file` falls back to the
packaged copy of a file the folder lacks, so users override file by file (an empty file
switches a default list off).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from voc.errors import LexiconError

__all__ = [
    "Lexicons",
    "LexiconEntry",
    "UserWord",
    "lexicon_file",
    "lexicon_version",
    "read_lines",
    "read_terms",
    "read_weighted",
    "read_userdict",
]

#: Suffixes of files that count towards :func:`lexicon_version`.
LEXICON_SUFFIXES = (".txt", ".tsv", ".csv", ".json")

# jieba's own user-dictionary pattern (jieba/__init__.py, ``re_userdict``).
_JIEBA_USERDICT_RE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")
#: The largest user-dictionary frequency (jieba's whole dictionary sums to about 6e7;
#: above 2**53 a frequency is no longer exact as a float).
MAX_USER_FREQ = 2**53


@dataclass(frozen=True)
class LexiconEntry:
    """One line of a weighted lexicon."""

    term: str
    weight: float
    tag: str | None
    line: int


@dataclass(frozen=True)
class UserWord:
    """One user-dictionary word: jieba's ``word [freq] [tag]``."""

    word: str
    freq: int | None
    tag: str | None


def packaged_lexicon_dir() -> Path:
    """The lexicons shipped with the package.

    In a wheel they live in ``voc/lexicons`` (pyproject's package-dir); in an editable
    checkout they are the top-level ``lexicons/`` folder, the editable source.
    """
    here = Path(__file__).resolve().parent
    inside = here / "lexicons"
    if inside.is_dir():
        return inside
    return here.parent / "lexicons"


class Lexicons:
    """The lexicon files in effect: a folder's files over the packaged ones.

    ``folder`` holds the user's files (``None``: the packaged lexicons alone); a file the
    folder lacks comes from the packaged copy (:meth:`path`). Files are read once and
    their parsed lines kept (:meth:`lines`), and :attr:`version` (what analysis results
    are stamped with) is hashed once. Picklable: worker processes get the folder and
    read again.
    """

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else None
        self._lines: dict[str, list[tuple[int, str]]] = {}
        self._parsed: dict[tuple[str, object], object] = {}

    @classmethod
    def packaged(cls) -> Lexicons:
        """The lexicons shipped with voc."""
        return cls(None)

    @classmethod
    def resolve(cls, flag: str | os.PathLike | None = None) -> Lexicons:
        """The command line's choice: ``--lexicons`` > ``$VOC_LEXICON_DIR`` > ``./lexicons``
        (when it has a ``topics.tsv``) > the packaged lexicons. A folder the user named
        must exist (a typo must not quietly fall back to the packaged lexicons)."""
        if flag:
            return cls(_named_folder(Path(flag), "--lexicons"))
        env = os.environ.get("VOC_LEXICON_DIR")
        if env:
            return cls(_named_folder(Path(env), "VOC_LEXICON_DIR"))
        local = Path.cwd() / "lexicons"
        if (local / "topics.tsv").is_file():
            return cls(local)
        return cls(None)

    @property
    def dir(self) -> Path:
        """The folder looked in first (the packaged folder when none was given)."""
        return self.folder if self.folder is not None else packaged_lexicon_dir()

    def path(self, name: str) -> Path:
        """Path of lexicon file ``name`` in effect (see :func:`lexicon_file`)."""
        return lexicon_file(name, self.folder)

    def has(self, name: str) -> bool:
        return self.path(name).is_file()

    def check_files(self) -> None:
        """Raise :class:`LexiconError` when the folder holds something that is not a file
        where a lexicon file is looked up (what reading it would raise; a stage built
        from a cache reads none)."""
        if self.folder is not None:
            for name in _lexicon_files(packaged_lexicon_dir()):
                self.path(name)

    def lines(self, name: str) -> list[tuple[int, str]]:
        """``(line number, text)`` of the file's non-blank, non-comment lines, read once."""
        if name not in self._lines:
            self._lines[name] = read_lines(self.path(name))
        return self._lines[name]

    def parsed(self, name: str, reader):
        """``reader(path)`` of lexicon file ``name``, parsed once (every stage that needs
        the taxonomy, say, shares one parse of ``topics.tsv``)."""
        key = (name, reader)
        if key not in self._parsed:
            self._parsed[key] = reader(self.path(name))
        return self._parsed[key]

    def terms(self, name: str) -> list[str]:
        """A word list (one term per line; [] when the file does not exist)."""
        if not self.has(name):
            return []
        return [text.split("\t", 1)[0].strip() for _, text in self.lines(name)]

    @cached_property
    def version(self) -> str:
        """:func:`lexicon_version` of these lexicons, hashed once."""
        return lexicon_version(self.folder)

    def digest(self, *names: str) -> str:
        """A short hash of what the named files say (a component's own version)."""
        digest = hashlib.sha256()
        for name in names:
            path = self.path(name)
            digest.update(path.name.encode("utf-8"))
            digest.update(b"\0")
            digest.update(content_bytes(path) if path.is_file() else b"")
            digest.update(b"\0")
        return digest.hexdigest()[:12]

    def __getstate__(self) -> dict:
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicons) and self.folder == other.folder

    def __hash__(self) -> int:
        return hash(self.folder)

    def __repr__(self) -> str:
        return f"Lexicons({str(self.folder) if self.folder else 'packaged'!r})"


def _named_folder(path: Path, source: str) -> Path:
    if not path.is_dir():
        what = "a file, not a folder" if path.exists() else "no such folder"
        raise LexiconError(f"{source} {path}: {what}")
    return path


def lexicon_file(name: str, lexicon_dir: str | Path | None = None) -> Path:
    """Path of lexicon file ``name`` (e.g. ``"sentiment/negative.txt"``).

    Looked up in ``lexicon_dir`` first, then in the packaged lexicons. The packaged path
    is returned even when it does not exist, so the caller's error names it.
    """
    if lexicon_dir is not None:
        candidate = Path(lexicon_dir) / name
        if candidate.is_file():
            return candidate
        if candidate.exists():
            raise LexiconError(f"{candidate} is not a file")
    return packaged_lexicon_dir() / name


def read_lines(path: str | Path) -> list[tuple[int, str]]:
    """Return ``(line_number, text)`` for every non-blank, non-comment line of a file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon file ({exc.strerror})") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError(f"{path.name}:{line}: not UTF-8 text") from exc
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        lines.append((number, line.rstrip("\r\n").strip(" ")))
    return lines


def read_terms(path: str | Path) -> list[str]:
    """Read a word list: one term per line (anything after a tab is ignored)."""
    return [text.split("\t", 1)[0].strip() for _, text in read_lines(path)]


def read_weighted(path: str | Path, default_weight: float | None = None) -> list[LexiconEntry]:
    """Read ``term<TAB>weight[<TAB>tag]`` lines.

    Args:
        path: the file.
        default_weight: weight of a line that has no weight field; when ``None`` a
            missing weight is an error.

    Raises:
        LexiconError: a line has no term, a missing or non-numeric weight, or too many fields.
    """
    path = Path(path)
    entries: list[LexiconEntry] = []
    for number, text in read_lines(path):
        fields = [field.strip() for field in text.split("\t")]
        where = f"{path.name}:{number}"
        if not fields[0]:
            raise LexiconError(f"{where}: empty term")
        if len(fields) > 3:
            raise LexiconError(f"{where}: expected term<TAB>weight[<TAB>tag], got {len(fields)} fields")
        if len(fields) == 1 or not fields[1]:
            if default_weight is None:
                raise LexiconError(f"{where}: missing weight for {fields[0]!r}")
            weight = default_weight
        else:
            try:
                weight = float(fields[1])
            except ValueError:
                raise LexiconError(f"{where}: weight {fields[1]!r} is not a number") from None
            if not math.isfinite(weight):
                raise LexiconError(f"{where}: weight {fields[1]!r} is not a finite number")
        tag = fields[2] if len(fields) == 3 and fields[2] else None
        entries.append(LexiconEntry(fields[0], weight, tag, number))
    return entries


def read_userdict(path: str | Path) -> list[UserWord]:
    """Read a jieba user dictionary (``word [freq] [tag]``; tab-separated also accepted)."""
    path = Path(path)
    words: list[UserWord] = []
    for number, text in read_lines(path):
        where = f"{path.name}:{number}"
        if "\t" in text:
            fields = [field.strip() for field in text.split("\t")]
            if len(fields) > 3:
                raise LexiconError(f"{where}: expected word<TAB>freq<TAB>tag, got {len(fields)} fields")
            word = fields[0]
            freq_text = fields[1] if len(fields) > 1 else ""
            tag = fields[2] if len(fields) > 2 and fields[2] else None
        else:
            match = _JIEBA_USERDICT_RE.match(text.strip())
            if match is None:  # pragma: no cover - the pattern matches any non-empty line
                raise LexiconError(f"{where}: cannot parse {text!r}")
            word, freq_part, tag_part = match.groups()
            freq_text = freq_part.strip() if freq_part else ""
            tag = tag_part.strip() if tag_part else None
        if not word:
            raise LexiconError(f"{where}: empty word")
        freq: int | None = None
        if freq_text:
            if not freq_text.isdigit():
                raise LexiconError(f"{where}: frequency {freq_text!r} is not a whole number")
            freq = int(freq_text)
            if freq > MAX_USER_FREQ:
                raise LexiconError(f"{where}: frequency {freq_text} is too large (at most {MAX_USER_FREQ})")
        words.append(UserWord(word, freq, tag))
    return words


def _lexicon_files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in LEXICON_SUFFIXES
    }


def lexicon_version(lexicon_dir: str | Path | None = None) -> str:
    """A short hash of the name and content of every lexicon file in effect.

    Analysis results store it, so a change to any lexicon marks them stale (a change to
    a comment does not, nor does routing: :data:`NOT_ANALYSIS`). The files in
    effect are those of ``lexicon_dir`` plus the packaged files it does not override (the
    same fallback as :func:`lexicon_file`), taken recursively (suffixes in
    :data:`LEXICON_SUFFIXES`) in sorted order of their relative paths.
    """
    files = _lexicon_files(packaged_lexicon_dir())
    if lexicon_dir is not None:
        files.update(_lexicon_files(Path(lexicon_dir)))
    digest = hashlib.sha256()
    for name in sorted(files):
        if name in NOT_ANALYSIS:
            continue
        digest.update(name.encode("utf-8"))
        digest.update(b"\0")
        digest.update(content_bytes(files[name]))
        digest.update(b"\0")
    return digest.hexdigest()[:12]


#: Lexicon files that analysis results do not depend on (routing is read by reports).
NOT_ANALYSIS = frozenset({"owners.tsv"})


def content_bytes(path: Path) -> bytes:
    """What a lexicon file says: its lines as the readers see them (comments, blank lines
    and line ends left out), so that editing a comment marks no result stale. A JSON file,
    or one that is not UTF-8 text, counts byte for byte."""
    if path.suffix != ".json":
        try:
            return "\n".join(text for _, text in read_lines(path)).encode("utf-8")
        except LexiconError:
            pass
    return path.read_bytes()
