"""Facts of 行政执法 for the annual 法治政府建设情况报告 (fazhi.annual_report).

Read-only, a fixed number of queries whatever the number of units: the scope
is an enforcing unit and the units below it (prefix match on the materialised
path). Cases count in the year of the act (立案日期 / 决定日期); publications
by the decision date.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse

from fazhi.enforcement.models import (
    UNDECIDED_STATES,
    Benchmark,
    Certificate,
    CertificateStatus,
    LegalReview,
    Officer,
    PenaltyCase,
    PoliceTransfer,
    PublicationRecord,
    PublicationStatus,
    ViolationType,
)


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def year_facts(unit, year: int, *, today: date) -> dict:
    """Cases filed and decided in ``year``, fines, 法制审核 of major decisions
    (ENF-04), hearings (ENF-07), collective discussions (ENF-05), 事后公示 on
    time (ENF-19), transfers to the police, officers holding a valid
    certificate at the end of the year (or today, if earlier; ENF-01),
    violation types with discretion benchmarks (ENF-24), and what is overdue
    today (publications; cases whose 90-day limit ran out by the end of the year). Six queries."""
    path = unit.path
    in_scope = Q(unit__path__startswith=path)
    passed = LegalReview.objects.filter(case=OuterRef("pk"), result=LegalReview.Result.PASSED)
    cases = PenaltyCase.objects.filter(in_scope).aggregate(
        filed=Count("pk", filter=Q(filed_on__year=year)),
        decided=Count("pk", filter=Q(decided_on__year=year)),
        fines=Sum("fine_amount", filter=Q(decided_on__year=year)),
        review_required=Count("pk", filter=Q(decided_on__year=year, legal_review_required=True)),
        reviewed=Count("pk", filter=Q(Exists(passed), decided_on__year=year, legal_review_required=True)),
        hearings=Count("pk", filter=Q(hearing_held_on__year=year)),
        discussed=Count("pk", filter=Q(discussed_on__year=year)),
        # past the limit and still undecided — a limit that ran out in the next year is not this year's
        overdue=Count("pk", filter=Q(status__in=UNDECIDED_STATES, decision_due__lt=min(today, date(year + 1, 1, 1)))),
    )
    pubs = PublicationRecord.objects.filter(in_scope, decision_date__year=year).aggregate(
        total=Count("pk"),
        published=Count("pk", filter=Q(published_on__isnull=False)),
        on_time=Count("pk", filter=Q(published_on__isnull=False, published_on__lte=F("due"))),
    )
    transfers = PoliceTransfer.objects.filter(in_scope, transferred_on__year=year).count()
    on = min(date(year, 12, 31), today)
    valid = Certificate.objects.filter(officer=OuterRef("pk"), status=CertificateStatus.VALID,
                                       valid_from__lte=on, valid_to__gte=on)
    officers = Officer.objects.filter(in_scope, is_active=True).aggregate(
        total=Count("pk"), certified=Count("pk", filter=Q(Exists(valid))))
    types = ViolationType.objects.filter(in_scope, is_active=True).aggregate(
        total=Count("pk"),
        with_benchmark=Count("pk", filter=Q(Exists(Benchmark.objects.filter(violation_type=OuterRef("pk"))))))
    late = list(
        PublicationRecord.objects.filter(in_scope, status=PublicationStatus.PENDING, due__lt=today)
        .order_by("due", "pk").values("title", "due", "case_id")
    )
    return {
        "list_url": _url("enforcement:case_list", query=f"unit={unit.pk}"),
        "officer_url": _url("enforcement:officer_list", query=f"unit={unit.pk}"),
        "benchmark_url": _url("enforcement:benchmark_list"),
        "transfer_url": _url("enforcement:transfer_list"),
        "cases_filed": cases["filed"],
        "cases_decided": cases["decided"],
        "fines": cases["fines"] or Decimal("0"),
        "review_required": cases["review_required"],
        "reviewed": cases["reviewed"],
        "hearings": cases["hearings"],
        "discussed": cases["discussed"],
        "cases_overdue": cases["overdue"],
        "publications": pubs["total"],
        "published": pubs["published"],
        "published_on_time": pubs["on_time"],
        "transfers": transfers,
        "officers": officers["total"],
        "certified": officers["certified"],
        "violation_types": types["total"],
        "with_benchmark": types["with_benchmark"],
        "late_publications": [
            {"title": p["title"] or "行政执法决定", "due": p["due"],
             "url": _url("enforcement:case_detail", p["case_id"])}
            for p in late
        ],
    }

