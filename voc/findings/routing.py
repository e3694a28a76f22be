"""Routing findings to owners (``owners.tsv``) and the priority rule.

Routing: a finding (topic x product) goes to exactly one owner. The most specific line
of the owners file wins: (1) the topic with a matching product pattern, (2) the topic
for every product, (3) the owner team named for the topic in ``topics.tsv``, (4) ``*``
with a matching product pattern, (5) the default owner (``*`` for every product).
Within a level the first line in the file wins. Without a default line, a built-in
default owner catches the rest, so nothing falls through.

Priority (:class:`PriorityRule`), computed per finding and period:

* **P0**: a safety finding, i.e. a product with at least one safety report in the
  period. Always, whatever its volume.
* Otherwise points, P1 at >= 4 points, P2 at >= 2, else P3:

  - volume: 2 points if the finding's records are >= 2% of the period's feedback,
    1 point if >= 0.5%;
  - negativity: 1 point if >= 80% of the topic's mentions on that product are negative;
  - growth: 2 points for a significant burst (the emerging-issue burst test after
    false-discovery control), else 1 point if it is >= 1.5x its baseline;
  - NPS impact: 2 points if removing the finding's feedback raises NPS by >= 2 points
    with a 95% interval above 0, 1 point if by >= 0.5 point with the interval above 0.

  A resolved finding (back to its baseline) is listed at P3.
"""

from __future__ import annotations

import csv
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voc.errors import LexiconError
from voc.lexicon import Lexicons

OWNERS_FILE = "owners.tsv"
ANY = "*"
HEADER = ("topic", "product", "team", "person", "contact")


@dataclass(frozen=True, order=True)
class Owner:
    """Who receives a finding."""

    team: str
    person: str = ""
    contact: str = ""

    @property
    def name(self) -> str:
        """Team, plus the person when there is one: what the report shows."""
        return f"{self.team}·{self.person}" if self.person else self.team

    def to_json(self) -> dict[str, str]:
        return {"team": self.team, "person": self.person, "contact": self.contact}


DEFAULT_OWNER = Owner("质量管理", "", "")


@dataclass(frozen=True)
class OwnerRule:
    """One line of the owners file."""

    topic: str
    patterns: tuple[str, ...]  # empty: every product
    owner: Owner
    line: int = 0

    def matches_product(self, product: str) -> bool:
        if not self.patterns:
            return True
        name = (product or "").casefold()
        return any(fnmatch.fnmatchcase(name, p.casefold()) for p in self.patterns)


class Router:
    """Routes (topic, product) to exactly one :class:`Owner`."""

    def __init__(self, rules: Sequence[OwnerRule], topic_teams: Mapping[str, str] | None = None):
        self.rules = tuple(rules)
        self.topic_teams = dict(topic_teams or {})
        defaults = [r for r in self.rules if r.topic == ANY and not r.patterns]
        self.default = defaults[0].owner if defaults else DEFAULT_OWNER

    def route(self, topic: str, product: str = "") -> Owner:
        """The owner of a finding on ``topic`` for ``product`` ('' when it spans products)."""
        for rule in self.rules:
            if rule.topic == topic and rule.patterns and product and rule.matches_product(product):
                return rule.owner
        for rule in self.rules:
            if rule.topic == topic and not rule.patterns:
                return rule.owner
        if topic in self.topic_teams:
            return Owner(self.topic_teams[topic])
        for rule in self.rules:
            if rule.topic == ANY and rule.patterns and product and rule.matches_product(product):
                return rule.owner
        return self.default

    def owners(self) -> list[Owner]:
        """Every owner the file names, default last."""
        seen = dict.fromkeys(r.owner for r in self.rules if r.owner != self.default)
        return [*seen, self.default]


def parse_owners(text: str, source: str = OWNERS_FILE) -> list[OwnerRule]:
    """Parse an owners file; errors name the file and line."""
    rules: list[OwnerRule] = []
    header_seen = False
    for lineno, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([raw], delimiter="\t"))
        cells = [c.strip() for c in cells] + [""] * (len(HEADER) - len(cells))
        if not header_seen and [c.lower() for c in cells[:3]] == list(HEADER[:3]):
            header_seen = True
            continue
        topic, product, team, person, contact = cells[:5]
        if not topic:
            raise LexiconError(f"{source}:{lineno}: empty topic (use * for any topic)")
        if not team:
            raise LexiconError(f"{source}:{lineno}: no team for topic '{topic}'")
        if len(cells) > len(HEADER) and any(cells[len(HEADER) :]):
            raise LexiconError(f"{source}:{lineno}: {len(cells)} columns, expected {len(HEADER)}")
        patterns = tuple(p.strip() for p in product.split("|") if p.strip())
        rules.append(OwnerRule(topic, patterns, Owner(team, person, contact), lineno))
    return rules


def load_router(lexicons: Lexicons | None = None) -> Router:
    """The router of ``owners.tsv`` in effect, with the topic teams of ``topics.tsv``
    (``None``: the packaged lexicons); only the default owner when there is no owners file."""
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    teams = load_topic_teams(lexicons)
    path = lexicons.path(OWNERS_FILE)
    if not path.is_file():
        return Router([], teams)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read owners file ({e})") from None
    return Router(parse_owners(text, str(path)), teams)


def load_topic_teams(lexicons: Lexicons) -> dict[str, str]:
    """Topic id -> owner team from ``topics.tsv`` (column ``owner``), if present.

    A topic's team is read from its first row that names one; a note in brackets
    (``供应链 (not R&D)``) is dropped.
    """
    from voc.analysis.topics import taxonomy

    teams = {t: d.owner.split("(")[0].split("（")[0].strip() for t, d in taxonomy(lexicons).items()}
    return {t: team for t, team in teams.items() if team}


# -- priority ------------------------------------------------------------------------
@dataclass(frozen=True)
class PriorityRule:
    """The documented priority rule (see the module docstring); thresholds are fields."""

    volume_high: float = 0.02
    volume_low: float = 0.005
    negativity: float = 0.8
    growth: float = 1.5
    impact_high: float = 2.0
    impact_low: float = 0.5
    p1_points: int = 4
    p2_points: int = 2

    def points(
        self,
        *,
        share: float,
        negative_share: float | None,
        burst: bool,
        growth: float | None,
        impact: float | None,
        impact_low: float | None,
    ) -> int:
        pts = 0
        pts += 2 if share >= self.volume_high else 1 if share >= self.volume_low else 0
        pts += 1 if negative_share is not None and negative_share >= self.negativity else 0
        pts += 2 if burst else 1 if growth is not None and growth >= self.growth else 0
        if impact is not None and impact_low is not None and impact_low > 0:
            pts += 2 if impact >= self.impact_high else 1 if impact >= self.impact_low else 0
        return pts

    def priority(self, *, safety: int, **signals: object) -> str:
        """'P0' .. 'P3' for a finding (``signals`` are :meth:`points`' keywords)."""
        if safety > 0:
            return "P0"
        pts = self.points(**signals)  # type: ignore[arg-type]
        return "P1" if pts >= self.p1_points else "P2" if pts >= self.p2_points else "P3"

    def describe(self, lang: str = "zh") -> list[str]:
        """The rule as lines of text for the report."""
        if lang == "en":
            return [
                "P0: a safety finding: the product has a safety report (whatever the count), until a person closes it; it stays P0 in weeks with no new report.",
                f"Points: volume >= {self.volume_high:.0%} of feedback 2, >= {self.volume_low:.1%} 1; "
                f"negative >= {self.negativity:.0%} of mentions 1; significant burst 2, "
                f"growth >= {self.growth}x 1; NPS impact >= {self.impact_high} pts 2, "
                f">= {self.impact_low} 1 (95% CI above 0).",
                f"P1 >= {self.p1_points} points, P2 >= {self.p2_points}, else P3.",
            ]
        return [
            "P0：安全发现，即该产品有安全报告（无论数量），直到有人处理后关闭；本期没有新报告也保持 P0。",
            f"积分：数量占反馈 ≥{self.volume_high:.0%} 得2分、≥{self.volume_low:.1%} 得1分；"
            f"负面提及 ≥{self.negativity:.0%} 得1分；显著突增 2分，增长 ≥{self.growth} 倍 1分；"
            f"NPS 影响 ≥{self.impact_high} 分 2分、≥{self.impact_low} 分 1分（95%区间高于0）。",
            f"P1 ≥{self.p1_points} 分，P2 ≥{self.p2_points} 分，其余 P3。",
        ]
