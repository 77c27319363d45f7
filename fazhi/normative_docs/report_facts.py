"""Facts of 行政规范性文件 for the annual 法治政府建设情况报告 (fazhi.annual_report).

Read-only, a fixed number of queries whatever the number of units: the scope
is a unit and the units below it (one prefix match on the materialised path),
matched on the 制定机关 (issuer). Years are calendar years by the date of the
act (公布日期 for documents, 废止/失效日期 for clean-up).
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from fazhi.normative_docs.models import (
    PUBLIC_STATES,
    Discussion,
    Filing,
    FilingStatus,
    LegalOpinion,
    LegalReview,
    NormDoc,
    Status,
)


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def year_facts(unit, year: int, *, today: date) -> dict:
    """Documents published in ``year`` by ``unit`` and the units below it:
    how many, which (title, number, link), how many passed the legality review
    (NDOC-08), how many were filed on time (NDOC-12), how many collective
    discussions (NDOC-09), clean-up (repealed/expired in the year), and the
    documents overdue today for filing or publication. Four queries."""
    scope = Q(issuer__path__startswith=unit.path)
    passed = LegalReview.objects.filter(doc=OuterRef("pk"),
                                        opinion__in=[LegalOpinion.PASS, LegalOpinion.PASS_WITH_CHANGES])
    on_time = Filing.objects.filter(doc=OuterRef("pk"), on_time=True)
    docs = list(
        NormDoc.objects.filter(scope, status__in=PUBLIC_STATES, published_on__year=year)
        .annotate(reviewed=Exists(passed), filed_on_time=Exists(on_time))
        .order_by("published_on", "pk")
        .values("pk", "title", "doc_number", "published_on", "filing_due", "reviewed", "filed_on_time")
    )
    with_due = [d for d in docs if d["filing_due"] is not None]
    ended = NormDoc.objects.filter(scope).aggregate(
        repealed=Count("pk", filter=Q(repealed_on__year=year)),
        expired=Count("pk", filter=Q(expired_on__year=year)),
    )
    discussions = Discussion.objects.filter(doc__issuer__path__startswith=unit.path, held_on__year=year).count()
    overdue = list(
        NormDoc.objects.filter(scope).filter(
            Q(status__in=PUBLIC_STATES, filing_due__lt=today,
              filing_status__in=[FilingStatus.NOT_FILED, FilingStatus.RETURNED])
            | Q(status__in=[Status.TO_SIGN, Status.SIGNED, Status.REGISTERED], publication_due__lt=today)
        ).order_by("pk").values("pk", "title", "status", "filing_due", "publication_due")
    )
    return {
        "list_url": _url("normative_docs:list", query=f"unit={unit.pk}&year={year}"),
        "published": [
            {"title": d["title"], "number": d["doc_number"], "url": _url("normative_docs:detail", d["pk"]),
             "reviewed": d["reviewed"], "filed_on_time": d["filed_on_time"]}
            for d in docs
        ],
        "published_count": len(docs),
        "reviewed_count": sum(1 for d in docs if d["reviewed"]),
        "filing_due_count": len(with_due),
        "filed_on_time_count": sum(1 for d in with_due if d["filed_on_time"]),
        "discussions": discussions,
        "repealed": ended["repealed"],
        "expired": ended["expired"],
        "overdue": [
            {"title": d["title"], "url": _url("normative_docs:detail", d["pk"]),
             "what": "逾期未报备" if d["status"] in PUBLIC_STATES else "逾期未公布",
             "due": (d["filing_due"] if d["status"] in PUBLIC_STATES else d["publication_due"])}
            for d in overdue
        ],
    }
