"""python manage.py normdocs_check FILE [--json] — the pre-review checker
(issue 3 item 5) on a .txt (UTF-8, UTF-8 with BOM, GB18030) or .docx file.

``--json`` prints a JSON array of findings, each exactly
``{"article": "第十二条", "category": "收费", "kind": "收费", "matched": "…",
"reason": "…", "rule": "…", "text": "…"}`` (``kind``, ``reason`` and ``rule``
since issue 12). Without it, a readable Chinese report: findings per article
with the reviewer's reason and the rule, the laws cited (with warnings for
repealed or revised ones) and a count per category.
Bad input exits with status 2 and a Chinese message on stderr.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError
from fazhi.normative_docs.checker import CATEGORIES, Report, check
from fazhi.normative_docs.textio import DEFAULT_MAX_BYTES, read_text


class Command(BaseCommand):
    help = "规范性文件合法性审核辅助检查：按条列出涉及许可、处罚、强制、收费等需重点审查的内容，并核对引用的法律是否已废止。"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="待检查的 .txt 或 .docx 文件")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 数组输出检查结果")

    def handle(self, *args, file: str, as_json: bool = False, **options):
        max_bytes = getattr(settings, "NORMDOCS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)
        try:
            text = read_text(file, max_bytes=max_bytes)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc.strerror or exc}", returncode=2)
        report = check(text)
        if as_json:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_report(report))


def render_report(report: Report) -> str:
    """The human-readable report (plain text, Chinese)."""
    out = [f"规范性文件审核辅助检查：{report.title or '（未识别标题）'}"]
    numbered = [a for a in report.articles if not a.is_preamble]
    out.append(f"共识别 {len(numbered)} 条，发现需重点审查的内容 {len(report.findings)} 处。")
    if report.repaired:
        out.append(f"提示：文本疑似由 PDF 提取，已自动更正 {report.repaired} 处错字，以下按更正后的文字列出。")
    out.append("")
    by_article: dict[str, list] = {}
    for f in report.findings:
        by_article.setdefault(f.article, []).append(f)
    for article, findings in by_article.items():
        out.append(f"【{article}】")
        for f in findings:
            out.append(f"  · {f.category}（{f.kind}）：{f.matched}")
            out.append(f"    意见：{f.reason}。依据：{f.rule}")
        out.append("    原文：" + findings[0].text.replace("\n", "\n          "))
        out.append("")
    if not report.findings:
        out.append("未发现涉及行政许可、行政处罚、行政强制、收费、增加义务、减损权利、排除限制竞争或与上位法冲突的内容。")
        out.append("")
    out.append(f"引用的法律、法规和文件（{len(report.laws_cited)} 件）：")
    for law in report.laws_cited:
        mark = "⚠ " if law.outdated else ("ℹ " if law.status else "  ")
        line = f"  {mark}{law.name}（见{'、'.join(law.articles)}）"
        if law.status:
            line += f"：{law.warning}"
        out.append(line)
    if not report.laws_cited:
        out.append("  无")
    out.append("")
    counts = report.counts()
    out.append("汇总：" + "，".join(f"{c} {counts[c]}" for c in CATEGORIES) + f"；合计 {len(report.findings)}。")
    out.append("说明：以上为机器辅助提示，供合法性审核人员参考，不构成审核结论。")
    return "\n".join(out)
