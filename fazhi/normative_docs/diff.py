"""Article-by-article comparison of two versions of a document (issue 3 item 2).

Articles are matched by content, not by number: inserting an article in the
middle renumbers every article after it, yet those articles did not change.
So the comparison works in two passes:

1. identical texts (whitespace ignored) are matched in order with difflib's
   longest-matching-blocks algorithm — these are 未变, renumbered or not;
2. in each stretch between those anchors, the remaining old and new articles
   are paired in order so that the total similarity is highest, counting
   only pairs at least ``MODIFIED_MIN_SIMILARITY`` alike — those are 修改;
   what is left over is 删除 (old) or 新增 (new).

A modified article carries a character-level diff as ``segments``: a tuple of
``(op, text)`` with op in ``equal`` / ``insert`` / ``delete``. No HTML is
produced here; the template renders segments with <ins>/<del> and escapes
the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from fazhi.normative_docs.articles import Article

ADDED, DELETED, MODIFIED, UNCHANGED = "新增", "删除", "修改", "未变"
KINDS = (ADDED, DELETED, MODIFIED, UNCHANGED)
MODIFIED_MIN_SIMILARITY = 0.5
# Equal runs this short between two edits are folded into the edit, so the
# reader sees “<del>按月</del><ins>按季度</ins>” rather than a one-character
# island of common text.
_SHORT_EQUAL = 2


@dataclass(frozen=True)
class ArticleChange:
    kind: str  # 新增 / 删除 / 修改 / 未变
    old: Article | None
    new: Article | None
    similarity: float = 1.0
    segments: tuple[tuple[str, str], ...] = field(default=())

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.no != self.new.no)

    @property
    def label(self) -> str:
        """“第五条”, “第五条（原第四条）”, or “原第四条” for a deletion."""
        if self.new is None:
            return f"原{self.old.no or '正文前部分'}"
        name = self.new.no or "正文前部分"
        return f"{name}（原{self.old.no}）" if self.renumbered else name


def _key(article: Article) -> str:
    return re.sub(r"\s+", "", article.text)


def similarity(a: str, b: str) -> float:
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < MODIFIED_MIN_SIMILARITY or m.quick_ratio() < MODIFIED_MIN_SIMILARITY:
        return 0.0
    return m.ratio()


def inline_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Character-level diff of two texts as ``(op, text)`` segments."""
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            ops.append(("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            ops.append(("insert", new[j1:j2]))
        if tag == "equal":
            ops.append(("equal", old[i1:i2]))
    # Fold short equal islands between edits into the edits.
    folded: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(ops):
        inner = 0 < i < len(ops) - 1
        if op == "equal" and inner and len(text) <= _SHORT_EQUAL and ops[i - 1][0] != "equal" and ops[i + 1][0] != "equal":
            folded += [("delete", text), ("insert", text)]
        else:
            folded.append((op, text))
    # Coalesce each run of edits into one delete followed by one insert.
    out: list[tuple[str, str]] = []
    pending = {"delete": "", "insert": ""}

    def flush():
        for op in ("delete", "insert"):
            if pending[op]:
                out.append((op, pending[op]))
                pending[op] = ""

    for op, text in folded:
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append((op, text))
        else:
            pending[op] += text
    flush()
    return tuple(out)


def _align(olds: list[Article], news: list[Article]) -> list[ArticleChange]:
    """Order-preserving pairing with the highest total similarity."""
    n, m = len(olds), len(news)
    sims = [[similarity(_key(o), _key(w)) for w in news] for o in olds]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            s = sims[i - 1][j - 1]
            if s >= MODIFIED_MIN_SIMILARITY:
                best = max(best, score[i - 1][j - 1] + s)
            score[i][j] = best
    out: list[ArticleChange] = []
    i, j = n, m
    while i or j:
        s = sims[i - 1][j - 1] if i and j else 0.0
        if i and j and s >= MODIFIED_MIN_SIMILARITY and score[i][j] == score[i - 1][j - 1] + s:
            o, w = olds[i - 1], news[j - 1]
            if _key(o) == _key(w):
                out.append(ArticleChange(UNCHANGED, o, w))
            else:
                out.append(ArticleChange(MODIFIED, o, w, s, inline_diff(o.text, w.text)))
            i, j = i - 1, j - 1
        elif j and (not i or score[i][j] == score[i][j - 1]):
            out.append(ArticleChange(ADDED, None, news[j - 1], 0.0))
            j -= 1
        else:
            out.append(ArticleChange(DELETED, olds[i - 1], None, 0.0))
            i -= 1
    return out[::-1]


def diff_articles(old: list[Article], new: list[Article]) -> list[ArticleChange]:
    """Changes from ``old`` to ``new`` in reading order of the new version,
    each deletion placed where the article stood in the old one."""
    matcher = SequenceMatcher(None, [_key(a) for a in old], [_key(a) for a in new], autojunk=False)
    changes: list[ArticleChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [ArticleChange(UNCHANGED, o, w) for o, w in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            changes += _align(old[i1:i2], new[j1:j2])
    return changes


def summary(changes: list[ArticleChange]) -> dict[str, int]:
    """Count per kind, in ``KINDS`` order, plus ``"重新编号"`` for renumbered ones."""
    out = dict.fromkeys(KINDS, 0)
    for c in changes:
        out[c.kind] += 1
    out["重新编号"] = sum(1 for c in changes if c.renumbered)
    return out
