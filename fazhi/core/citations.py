"""Rule IDs → legal citations (issue 13 §2: "citations, not codes").

A refusal names the rule it enforces by its ID (``ValidationError(...,
rule="ENF-08")``). Staff and the public read the citation instead —
"依据《中华人民共和国行政处罚法》第六十条" — with the ID kept in a tooltip
(``<abbr title="ENF-08">``); the audit log and the API keep the bare ID.

Each module declares the citations of its own rules in
``fazhi/<app>/citations.py`` as ``CITATIONS = {"ENF-08": "《…》第六十条"}``;
``fazhi.modules.citations()`` lists those tables by hand. The rules that
hold in every module (SYS-xx, CAL-xx) are declared here. A rule with no
citation shows its ID, as before.
"""

import re
from functools import cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# The rules of every module (docs/architecture.md "Internal rules"; rules.md §0).
CITATIONS = {
    "SYS-01": "《行政事业单位内部控制规范（试行）》第十二条（不相容岗位相互分离）",
    "SYS-02": "《中华人民共和国行政处罚法》第五十七条、《重大行政决策程序暂行条例》第三十条（法定身份）",
    "SYS-03": "本平台日期规则（以系统日期为准，录入日期不得晚于当日、不得早于前序环节）",
    "SYS-04": "《信息安全技术 网络安全等级保护基本要求》（GB/T 22239-2019）8.1.4.2（最小权限、权限分离）",
    "CAL-01": "《国务院关于职工工作时间的规定》第七条",
    "CAL-02": "《全国年节及纪念日放假办法》第二条",
    "CAL-04": "《全国年节及纪念日放假办法》第七条",
    "CAL-07": "《全国年节及纪念日放假办法》第四条（少数民族习惯的节日由地方人民政府规定放假日期）",
    "CAL-08": "《中华人民共和国民事诉讼法》第八十五条（经《行政复议法》第八十八条、《行政诉讼法》第一百零一条适用：开始的当日不计入；最后一日是法定休假日的顺延）",
}

# "ENF-01, ENF-25", "ENF-01、ENF-25", "ENF-12/14": several rules in one.
_SPLIT = re.compile(r"\s*[,，、;；]\s*")


@cache
def table() -> dict[str, str]:
    """Every declared citation, by rule ID. A rule declared twice is an error."""
    from fazhi.modules import citations

    merged: dict[str, str] = {}
    for declared in citations():
        for rule, text in declared.items():
            if rule in merged:
                raise ValueError(f"citation of {rule} declared twice")
            merged[rule] = text
    return merged


def _parts(rule: str) -> list[str]:
    return [p for p in _SPLIT.split(rule.strip()) if p]


def citation(rule: str | None) -> str:
    """The citation of one rule ID, or "" if none is declared."""
    return table().get((rule or "").strip(), "")


def text(rule: str | None) -> str:
    """Plain text: "《…》第六十条" for a known rule, else the rule as written."""
    if not rule:
        return ""
    return "、".join(citation(p) or p for p in _parts(rule))


def html(rule: str | None) -> SafeString:
    """The citation with the rule ID in a tooltip: ``<abbr title="ENF-08">《…》第六十条</abbr>``.
    An unknown rule is shown as written."""
    if not rule:
        return SafeString("")
    return format_html_join(
        "、", "{}",
        ((format_html('<abbr class="rule" title="{}">{}</abbr>', p, citation(p)) if citation(p)
          else format_html('<span class="rule">{}</span>', p),) for p in _parts(rule)))


class Cited(str):
    """A refusal's message with the citation of its rule, as plain text
    ("…（依据《…》第六十条）") for commands, logs and f-strings, and with the
    rule ID in a tooltip wherever Django escapes it for a page (``__html__``).
    ``str()`` keeps it (form errors call ``str`` on their messages)."""

    message: str
    rule: str

    def __new__(cls, message: str, rule: str):
        obj = super().__new__(cls, f"{message}（依据{text(rule)}）")
        obj.message, obj.rule = message, rule
        return obj

    def __str__(self):
        return self

    def __reduce__(self):  # copy and pickle rebuild it from its parts
        return (Cited, (self.message, self.rule))

    def __html__(self) -> str:
        return format_html("{}（依据{}）", self.message, html(self.rule))
