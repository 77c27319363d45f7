"""考核指标 of 行政规范性文件, declared beside the records they read (see
``fazhi.core.indicators`` for the contract; ``fazhi.assessment`` shows them).

Both indicators place a document under its **drafting unit** (``NormDoc.unit``):
that is the unit that files it (``normative_docs.file`` is checked on it) and
the unit whose staff see it, so the drill-down links open for them. A unit's
figure covers its sub-units (``Unit.path`` prefix).

* ``NDOC_FILED_ON_TIME`` 规范性文件按期报备率 (NDOC-12, NDOC-16): documents
  whose filing deadline (``filing_due``, 15 days after publication by
  default) falls in the year and has passed — or that were already filed —;
  counted when a filing was submitted on or before the deadline (a package
  returned for correction still counts as submitted on time: 报备及时率
  measures the submission). Imported historical documents have no tracked
  deadline and are not counted.
* ``NDOC_LEGAL_REVIEWED`` 合法性审查率 (NDOC-07): documents published in the
  year (``published_on``); counted when a legality review passed (通过 /
  修改后通过) on or before the publication date. Imported historical
  documents (made outside the system) are not counted.

``count`` runs one query whatever the number of units (group by the unit's
path in the database, roll up by path prefix in Python).
"""

from collections.abc import Sequence
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from fazhi.core.indicators import Count, IndicatorSource, RecordRef, count_by_unit, subtree_q
from fazhi.normative_docs.models import PUBLIC_STATES, Filing, LegalOpinion, LegalReview, NormDoc
from fazhi.normative_docs.services import IMPORTED_FILING_RULE


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _doc_url(pk) -> str:
    return reverse("normative_docs:detail", args=[pk])


# ------------------------------------------------------------ 按期报备率

def _filing_qs(year: int, today: date) -> QuerySet:
    start, end = _bounds(year)
    any_filing = Filing.objects.filter(doc=OuterRef("pk"))
    return (NormDoc.objects.filter(filing_due__range=(start, end))
            .annotate(filed=Exists(any_filing),
                      ok=Exists(any_filing.filter(filed_on__lte=OuterRef("filing_due"))))
            .filter(Q(filing_due__lt=today) | Q(filed=True)))


def filed_on_time_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_filing_qs(year, today or timezone.localdate()), units, Q(ok=True))


def filed_on_time_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    first = Filing.objects.filter(doc=OuterRef("pk")).order_by("filed_on", "pk").values("filed_on")[:1]
    qs = (_filing_qs(year, today or timezone.localdate()).filter(subtree_q([unit], "unit"))
          .annotate(first_filed=Subquery(first)).select_related("unit").order_by("filing_due", "pk"))
    out = []
    for d in qs:
        if d.ok:
            note = f"按期报备：{d.first_filed} 报备，期限 {d.filing_due}"
        elif d.first_filed:
            note = f"逾期报备：{d.first_filed} 报备，期限 {d.filing_due}，逾期 {(d.first_filed - d.filing_due).days} 日"
        else:
            note = f"截至统计日未报备，期限 {d.filing_due} 已过"
        out.append(RecordRef(f"{d}（{d.unit.name}）", _doc_url(d.pk), bool(d.ok), note, d.filing_due))
    return out


# ------------------------------------------------------------ 合法性审查率

def _review_qs(year: int) -> QuerySet:
    start, end = _bounds(year)
    passed = LegalReview.objects.filter(doc=OuterRef("pk"),
                                        opinion__in=[LegalOpinion.PASS, LegalOpinion.PASS_WITH_CHANGES],
                                        decided_on__lte=OuterRef("published_on"))
    return (NormDoc.objects.filter(status__in=PUBLIC_STATES, published_on__range=(start, end))
            .exclude(filing_rule=IMPORTED_FILING_RULE)
            .annotate(ok=Exists(passed)))


def legal_reviewed_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_review_qs(year), units, Q(ok=True))


def legal_reviewed_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    last = (LegalReview.objects.filter(doc=OuterRef("pk")).exclude(opinion="")
            .order_by("-decided_on", "-pk"))
    qs = (_review_qs(year).filter(subtree_q([unit], "unit"))
          .annotate(review_on=Subquery(last.values("decided_on")[:1]),
                    review_opinion=Subquery(last.values("opinion")[:1]))
          .select_related("unit").order_by("published_on", "pk"))
    labels = dict(LegalOpinion.choices)
    out = []
    for d in qs:
        if d.ok:
            note = f"公布前经合法性审核（{labels.get(d.review_opinion, '通过')}，{d.review_on}）"
        elif d.review_on:
            note = f"公布前无通过的合法性审核（最近一次：{labels.get(d.review_opinion, '')}，{d.review_on}）"
        else:
            note = "无合法性审核记录"
        out.append(RecordRef(f"{d}（{d.unit.name}）", _doc_url(d.pk), bool(d.ok), note, d.published_on))
    return out


INDICATORS = (
    IndicatorSource(
        code="NDOC_FILED_ON_TIME", name="规范性文件按期报备率", module="normative_docs",
        description="按期报备的文件数 ÷ 报备期限在本年度内届满（或已报备）的文件数。以报备期限（公布后15日，"
                    "可配置）所在年度归年；在期限内提交报备即为按期（退回补正不影响）。历史导入文件无报备期限，不计入。"
                    "按起草单位统计，含下级单位。",
        rule="NDOC-12, NDOC-16", default_target=1.0,
        count=filed_on_time_count, records=filed_on_time_records),
    IndicatorSource(
        code="NDOC_LEGAL_REVIEWED", name="规范性文件合法性审查率", module="normative_docs",
        description="公布前经合法性审核通过（通过/修改后通过）的文件数 ÷ 本年度公布的文件数。以公布日期归年；"
                    "历史导入文件不计入。按起草单位统计，含下级单位。",
        rule="NDOC-07", default_target=1.0,
        count=legal_reviewed_count, records=legal_reviewed_records),
)


# ------------------------------------------------------------ overdue (cockpit)

def _publication_overdue(today: date) -> QuerySet:
    """Adopted documents not published by their NDOC-20 due date."""
    from fazhi.normative_docs.models import Status

    return NormDoc.objects.filter(status__in=[Status.TO_SIGN, Status.SIGNED, Status.REGISTERED],
                                  publication_due__lt=today)


def _filings_overdue(today: date) -> QuerySet:
    from fazhi.normative_docs.selectors import filings_overdue

    return filings_overdue(today)


# (title, rule, query(today) -> QuerySet, unit field, list URL name), read by the cockpit.
OVERDUE = (
    ("逾期未报备的规范性文件", "NDOC-12", _filings_overdue, "unit", "normative_docs:list"),
    ("审议通过后逾期未公布的规范性文件", "NDOC-20", _publication_overdue, "unit", "normative_docs:list"),
)
