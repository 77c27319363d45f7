"""Filling in figures: ``{{key}}`` in a section's text becomes the figure's value.

* ``resolve(text, figures)`` — plain text (docx, the published copy).
* ``resolve_html(text, figures, links=True)`` — escaped HTML; with ``links``
  each value links to its source records (staff pages only).

A key that names no figure (staff typed or kept a stale one) stays visible
as “〔未知数据项：key〕” so it is noticed, never silently dropped.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

TOKEN = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
TODO = re.compile(r"【待补充[^】]*】")


def _value(fig) -> str:
    return fig.value if fig.value else "无数据"


def resolve(text: str, figures: dict) -> str:
    def sub(m):
        fig = figures.get(m.group(1))
        return _value(fig) if fig is not None else f"〔未知数据项：{m.group(1)}〕"

    return TOKEN.sub(sub, text or "")


def unknown_keys(text: str, figures: dict) -> list[str]:
    return [k for k in TOKEN.findall(text or "") if k not in figures]


def resolve_html(text: str, figures: dict, *, links: bool = True) -> str:
    """Escaped HTML, paragraphs as <p>; figures as links (staff) or plain text (public)."""
    out = []
    for para in (text or "").split("\n"):
        if not para.strip():
            continue
        pieces, pos = [], 0
        for m in TOKEN.finditer(para):
            pieces.append(escape(para[pos:m.start()]))
            fig = figures.get(m.group(1))
            if fig is None:
                pieces.append(format_html('<mark class="ar-unknown">〔未知数据项：{}〕</mark>', m.group(1)))
            elif links and fig.source_url:
                pieces.append(format_html('<a class="ar-fig" href="{}" title="{}（来源：{}）">{}</a>',
                                          fig.source_url, fig.label, fig.source, _value(fig)))
            elif links:
                pieces.append(format_html('<span class="ar-fig" title="{}（来源：{}）">{}</span>',
                                          fig.label, fig.source, _value(fig)))
            else:
                pieces.append(escape(_value(fig)))
            pos = m.end()
        pieces.append(escape(para[pos:]))
        html = "".join(str(p) for p in pieces)
        html = TODO.sub(lambda m: f'<mark class="ar-todo">{m.group(0)}</mark>', html)
        out.append(f"<p>{html}</p>")
    return mark_safe("".join(out))  # every piece above is escaped or format_html


def blocks(report, sections=None, figures=None) -> list[dict]:
    """The report as a list of {level, heading, text} with figures filled in.
    A published report gives its fixed public copy."""
    if report.status == "published" and report.public_sections:
        return list(report.public_sections)
    sections = list(report.sections.all()) if sections is None else sections
    figures = {f.key: f for f in report.figures.all()} if figures is None else figures
    return [{"level": s.level, "heading": s.heading, "text": resolve(s.text, figures)} for s in sections]
