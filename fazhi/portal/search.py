"""One search over every published section of the portal (the search box in the header).

Each section searches only what it has published, through the public reads
of its module (``selectors.public_*``), and only the text the public is
shown:

* 规范性文件库 — title and current text (``normative_docs.search``: trigram
  and bigram indexes on PostgreSQL, ``icontains`` on SQLite), 文号 and
  登记号; each hit carries its 有效 / 失效 / 废止 / 已修改 label;
* 重大行政决策 — published decisions (title, 文号, published text) and
  published catalogues (title);
* 行政执法公示 — decisions on display, by decision number and the *masked*
  title (``enforcement.selectors.public_decisions``): a person's full
  name finds nothing;
* 双随机抽查结果 — published results by the *masked* object name or credit
  code (``inspections.selectors.public_results``), and draws by task title;
* 法治政府建设年度报告 — published reports by title.

The query is at most ``MAX_QUERY`` characters; everything shown is escaped
by the templates. A section that fails is logged and reported as unavailable;
it does not take the search page down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

log = logging.getLogger("fazhi.portal")

MAX_QUERY = 50
PER_SECTION = 5  # hits per section on the overview
PAGE_SIZE = 20  # hits per page within one section
SCAN_LIMIT = 2000  # rows a section turns into hits at most (a bound on the work, not on the count shown)


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    number: str = ""  # 文号 / 登记号 / 决定书文号 / 统一社会信用代码
    published: date | None = None
    note: str = ""  # issuing unit, year …
    badge: str = ""  # 有效 / 失效 / 废止 / 已修改 (normative documents)
    badge_class: str = ""


@dataclass
class Group:
    key: str
    title: str
    hits: list[Hit] = field(default_factory=list)
    count: int = 0
    failed: bool = False


def normalize(q: str | None) -> str:
    return " ".join((q or "").split())[:MAX_QUERY]


# ---------------------------------------------------------------- sections
# Each returns the hits for ``q`` (at most ``limit``) and the total count.

ND_BADGES = {"有效": "badge-ok", "尚未施行": "badge-warn", "已修改": "badge-warn", "废止": "badge-danger",
             "失效": "badge-danger"}


def normative_docs(q: str, today: date, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
    from fazhi.normative_docs import search as nd_search
    from fazhi.normative_docs import selectors

    by_text = nd_search.search_documents(q, public=True, today=today).order_by().values("pk")
    qs = selectors.public_docs().filter(Q(pk__in=by_text) | Q(doc_number__icontains=q)
                                        | Q(registration_no__icontains=q))
    total = qs.count()
    hits = []
    for d in qs[offset:offset + limit]:
        label = d.life_label(today)
        number = "　".join(x for x in (d.doc_number, f"登记号 {d.registration_no}" if d.registration_no else "") if x)
        hits.append(Hit(d.title, reverse("normative_docs_portal:detail", args=[d.pk]), number, d.published_on,
                        d.issuer.name if d.issuer_id else "", label, ND_BADGES.get(label, "")))
    return hits, total


def major_decisions(q: str, today: date, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
    from fazhi.major_decisions import selectors

    decisions = selectors.public_decisions().filter(
        Q(title__icontains=q) | Q(decision_no__icontains=q) | Q(public_text__icontains=q))
    catalogues = selectors.public_catalogues().filter(title__icontains=q)
    rows: list[Hit] = [
        Hit(d.title, reverse("major_decisions_portal:decision_detail", args=[d.pk]), d.decision_no, d.published_on,
            d.unit.name) for d in decisions[:SCAN_LIMIT]
    ] + [
        Hit(c.title, reverse("major_decisions_portal:catalogue_detail", args=[c.pk]), "", c.published_on,
            f"{c.year}年度决策事项目录") for c in catalogues[:SCAN_LIMIT]
    ]
    rows.sort(key=lambda h: h.published or date.min, reverse=True)
    return rows[offset:offset + limit], len(rows)


def enforcement(q: str, today: date, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
    from fazhi.enforcement import selectors

    qs = selectors.public_decisions(today, q=q)
    total = qs.count()
    hits = []
    for p in qs[offset:offset + limit]:
        # The title as shown: the person's name and address hidden (ENF-11, core.privacy).
        hits.append(Hit(selectors.shown_title(p), reverse("enforcement_portal:decision", args=[p.pk]),
                        p.case.decision_no, p.published_on, p.unit.name))
    return hits, total


def inspections(q: str, today: date, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
    from fazhi.inspections import selectors

    rows: list[Hit] = []
    for i in selectors.public_results(q=q)[:SCAN_LIMIT]:
        rows.append(Hit(f"{selectors.public_entity_name(i.entity)}：{i.public_result}",
                        reverse("inspections_portal:results") + "?" + _qs(q=i.entity.credit_code),
                        i.entity.credit_code, timezone.localdate(i.published_at) if i.published_at else None,
                        i.unit.name))
    for d in selectors.public_draws().filter(task__title__icontains=q)[:SCAN_LIMIT]:
        rows.append(Hit(d.task.title, reverse("inspections_portal:draw", args=[d.pk]), "",
                        timezone.localdate(d.committed_at) if d.committed_at else None, f"随机抽取 · {d.unit.name}"))
    rows.sort(key=lambda h: h.published or date.min, reverse=True)
    return rows[offset:offset + limit], len(rows)


def reports(q: str, today: date, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
    from fazhi.annual_report import selectors

    qs = selectors.public_reports().filter(Q(title__icontains=q) | Q(public_title__icontains=q))
    total = qs.count()
    hits = [Hit(r.public_title or r.title, reverse("annual_report_portal:detail", args=[r.pk]), "",
                r.published_on, f"{r.unit.name} · {r.year}年度") for r in qs[offset:offset + limit]]
    return hits, total


def _qs(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


SearchFn = Callable[[str, date, int, int], tuple[list[Hit], int]]

SECTIONS: tuple[tuple[str, str, SearchFn], ...] = (
    ("normative-docs", "规范性文件库", normative_docs),
    ("major-decisions", "重大行政决策", major_decisions),
    ("enforcement", "行政执法公示", enforcement),
    ("inspections", "双随机抽查结果", inspections),
    ("reports", "法治政府建设年度报告", reports),
)
TITLES = {key: title for key, title, _ in SECTIONS}


def search(q: str, *, today: date, limit: int = PER_SECTION, only: str = "", offset: int = 0) -> list[Group]:
    """Hits for ``q`` grouped by section (all sections, or ``only`` one), each with its total count."""
    q = normalize(q)
    groups = []
    if not q:
        return groups
    for key, title, fn in SECTIONS:
        if only and key != only:
            continue
        group = Group(key, title)
        try:
            group.hits, group.count = fn(q, today, limit, offset)
        except Exception:
            log.exception("portal search in %s failed", key)
            group.failed = True
        groups.append(group)
    return groups
