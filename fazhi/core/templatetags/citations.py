"""Citations on pages (fazhi.core.citations).

``{% cite "ENF-01" %}`` → ``<abbr class="rule" title="ENF-01">《…》第四十二条、第五十五条</abbr>``;
``{{ text|cite_ids }}`` escapes ``text`` and shows every known rule ID in it
(e.g. "（ENF-08）") as its citation with the ID as a tooltip.
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from fazhi.core import citations

register = template.Library()

_ID = re.compile(r"\b([A-Z]{2,5}-)(\d{2})((?:/\d{2})*)\b")  # "ENF-08", and "MDEC-08/09" for MDEC-08 and -09


@register.simple_tag
def cite(rule: str):
    return citations.html(rule)


@register.filter
def cite_ids(value):
    escaped = str(conditional_escape(value))

    def one(m: re.Match) -> str:
        prefix, first, more = m.groups()
        rules = [prefix + n for n in (first, *more.split("/")[1:])]
        if not all(citations.citation(r) for r in rules):
            return m.group(0)
        lead = "依据" if escaped[:m.start()].endswith("（") else ""
        return lead + str(citations.html("、".join(rules)))

    return mark_safe(_ID.sub(one, escaped))  # noqa: S308 — escaped above; citations.html escapes its parts


@register.filter
def cite_text(rule) -> str:
    """Plain-text citation with the rule IDs, for a title attribute where a full
    citation would crowd the page (progress strips): "《…》第十条（MDEC-01）".
    A group "MDEC-08/09" stands for MDEC-08 and MDEC-09."""
    ids = [prefix + n for prefix, first, more in _ID.findall(str(rule or ""))
           for n in (first, *more.split("/")[1:])]
    if not ids:
        return str(rule or "")
    return f"{citations.text('、'.join(ids))}（{'、'.join(ids)}）"
