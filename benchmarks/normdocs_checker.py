"""How many of the problems a reviewer would raise does the pre-review checker find (issue 12 §3)?

Runs the checker on the corpus of published normative documents in
``fazhi/normative_docs/tests/corpus/`` (expectations written by reading each
text as a reviewer, before the checker was changed) and prints, per flag
kind, what it found, missed and flagged wrongly — for the checker of a
baseline revision (the one before issue 12, loaded from git) and for the
checker in the working tree. Scoring: ``fazhi/normative_docs/tests/corpus_eval.py``.

    .venv/bin/python benchmarks/normdocs_checker.py [--before REV] [--details]

The last line is recall after / recall before.
"""

import argparse
import importlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fazhi.normative_docs.tests.corpus_eval import CORPUS, KIND_CATEGORY, Score, load_corpus, score  # noqa: E402

# The checker before issue 12 (main when the work started).
BASELINE = "9293430"
_MODULES = ("articles", "checker", "laws", "textio")


def checker_at(rev: str):
    """The ``check`` function of revision ``rev``, loaded from git into a
    throw-away package so it does not clash with the working tree's."""
    tmp = Path(tempfile.mkdtemp(prefix="nd_before_"))
    pkg = tmp / "nd_before"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name in _MODULES:
        source = subprocess.run(
            ["git", "show", f"{rev}:fazhi/normative_docs/{name}.py"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
        (pkg / f"{name}.py").write_text(source.replace("fazhi.normative_docs", "nd_before"))
    sys.path.insert(0, str(tmp))
    return importlib.import_module("nd_before.checker").check


def table(before: Score, after: Score) -> str:
    head = "| 类型 | 预期 | 找到 前→后 | 漏报 前→后 | 误报 前→后 | 类型准确 后 |"
    rows = [head, "|---|---|---|---|---|---|"]
    for kind in KIND_CATEGORY:
        n = after.expected[kind]
        if not (n or before.false_alarms[kind] or after.false_alarms[kind]):
            continue
        rows.append(
            f"| {kind} | {n} | {before.found[kind]}→{after.found[kind]} | "
            f"{n - before.found[kind]}→{n - after.found[kind]} | "
            f"{before.false_alarms[kind]}→{after.false_alarms[kind]} | {after.strict[kind]} |"
        )
    total = sum(after.expected.values())
    rows.append(
        f"| 合计 | {total} | {sum(before.found.values())}→{sum(after.found.values())} | "
        f"{total - sum(before.found.values())}→{total - sum(after.found.values())} | "
        f"{sum(before.false_alarms.values())}→{sum(after.false_alarms.values())} | {sum(after.strict.values())} |"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BASELINE, help="git revision of the baseline checker")
    parser.add_argument("--details", action="store_true", help="list every miss and false alarm of the current checker")
    args = parser.parse_args()

    from fazhi.normative_docs.checker import check

    old_check = checker_at(args.before)
    for label, docs in (("语料", load_corpus()), ("留出检验集（收集于规则写成之后）", load_corpus(CORPUS / "heldout"))):
        b, a = score(docs, old_check), score(docs, check)
        print(f"{label}：{len(docs)} 件文件，预期提示 {sum(a.expected.values())} 处；基线 {args.before}，当前工作区。")
        print()
        print(table(b, a))
        print()
        for name, s in (("前", b), ("后", a)):
            print(f"{name}：召回率 {s.recall:.2f}，精确率 {s.precision:.2f}（提示 {s.flagged} 处，误报 {sum(s.false_alarms.values())} 处）")
        print(f"后：按类型严格计的召回率 {a.strict_recall:.2f}")
        if args.details:
            print()
            for doc, article, kind in a.misses:
                print(f"漏报  {doc}  {article}  {kind}")
            for doc, article, kind, matched in a.alarms:
                print(f"误报  {doc}  {article}  {kind}  {matched}")
        print()
        if label == "语料":
            before, after = b, a
    ratio = after.recall / before.recall if before.recall else float("inf")
    print(f"召回率 后/前 = {after.recall:.2f}/{before.recall:.2f} = {ratio:.1f}")


if __name__ == "__main__":
    main()
