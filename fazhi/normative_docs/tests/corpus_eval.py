"""Scoring the pre-review checker against the corpus in ``corpus/`` (issue 12 §3).

Used by ``test_corpus.py`` and ``benchmarks/normdocs_checker.py``. Pure: no
database.

Matching rule (the same for every version of the checker, so that before and
after are comparable): a finding *finds* an expected item when it is on the
same article and of the same category (行政许可, 行政处罚, 收费, …) as the
item's kind — the reviewer is sent to the right provision for the right kind
of problem. A finding that finds nothing is a false alarm; findings are
counted once per (article, category). ``strict`` additionally requires the
exact kind (一律禁止 rather than 其他减损权利), which only the kind-aware
checker can meet.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"

# Kind -> category, in the order the tables list them.
KIND_CATEGORY = {
    "收费": "收费",
    "许可审批": "行政许可",
    "备案义务": "增加义务",
    "资质资格": "增加义务",
    "其他新增义务": "增加义务",
    "一律禁止": "减损权利",
    "无偿收回": "减损权利",
    "其他减损权利": "减损权利",
    "自设处罚": "行政处罚",
    "行政强制": "行政强制",
    "排除限制竞争": "排除限制竞争",
    "效力优先": "与上位法冲突",
    "引用失效法律": "与上位法冲突",
}
# A finding without a kind (the checker before issue 12) is tallied under the
# kind its category most often meant.
_DEFAULT_KIND = {
    "收费": "收费",
    "行政许可": "许可审批",
    "增加义务": "其他新增义务",
    "减损权利": "其他减损权利",
    "行政处罚": "自设处罚",
    "行政强制": "行政强制",
    "排除限制竞争": "排除限制竞争",
    "与上位法冲突": "效力优先",
}


@dataclass(frozen=True)
class Document:
    name: str
    title: str
    source: str
    form: str  # 全文 / 片段… / 各条连排在一行
    text: str  # without the ``# `` header
    expected: tuple[tuple[str, str], ...]  # (article, kind)


def load_corpus(root: Path = CORPUS) -> list[Document]:
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    docs = []
    for path in sorted(root.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        header = {}
        while lines and lines[0].startswith("# "):
            key, _, value = lines.pop(0)[2:].partition("：")
            header[key] = value
        items = tuple((a, k) for a, k, _reason in expected[path.name])
        docs.append(Document(path.name, header.get("标题", ""), header.get("来源", ""), header.get("形式", ""),
                             "\n".join(lines), items))
    missing = set(expected) - {d.name for d in docs} - {k for k in expected if k.startswith("_")}
    if missing:
        raise ValueError(f"expected.json names missing files: {sorted(missing)}")
    return docs


def _kind_of(finding) -> str:
    kind = getattr(finding, "kind", "")
    if kind:
        return kind
    if finding.category == "与上位法冲突" and finding.matched.startswith("《"):
        return "引用失效法律"
    return _DEFAULT_KIND[finding.category]


@dataclass
class Score:
    expected: Counter = field(default_factory=Counter)  # per kind
    found: Counter = field(default_factory=Counter)  # per expected kind
    strict: Counter = field(default_factory=Counter)  # found with the exact kind
    false_alarms: Counter = field(default_factory=Counter)  # per finding kind
    flagged: int = 0  # findings, once per (article, category)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, article, kind)
    alarms: list[tuple[str, str, str, str]] = field(default_factory=list)  # (doc, article, kind, matched)

    @property
    def recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.found.values()) / total if total else 1.0

    @property
    def precision(self) -> float:
        if not self.flagged:
            return 1.0
        return (self.flagged - sum(self.false_alarms.values())) / self.flagged

    @property
    def strict_recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.strict.values()) / total if total else 1.0


def score(docs: Iterable[Document], check: Callable) -> Score:
    """Run ``check(text) -> report`` on each document and tally the result."""
    s = Score()
    for doc in docs:
        findings = check(doc.text).findings
        by_place: dict[tuple[str, str], list] = {}
        for f in findings:
            by_place.setdefault((f.article, f.category), []).append(f)
        for article, kind in doc.expected:
            s.expected[kind] += 1
            hits = by_place.get((article, KIND_CATEGORY[kind]), [])
            if hits:
                s.found[kind] += 1
                if any(_kind_of(f) == kind for f in hits):
                    s.strict[kind] += 1
            else:
                s.misses.append((doc.name, article, kind))
        wanted = {(a, KIND_CATEGORY[k]) for a, k in doc.expected}
        for (article, category), hits in by_place.items():
            s.flagged += 1
            if (article, category) not in wanted:
                kind = _kind_of(hits[0])
                s.false_alarms[kind] += 1
                s.alarms.append((doc.name, article, kind, hits[0].matched))
    return s
