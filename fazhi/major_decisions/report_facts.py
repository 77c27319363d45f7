"""Facts of 重大行政决策 for the annual 法治政府建设情况报告 (fazhi.annual_report).

Read-only, a fixed number of queries whatever the number of units: the scope
is a decision-making unit and the units below it (prefix match on the
materialised path). A decision counts in the year it was decided
(``decided_on``); discussions in the year they were held.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from fazhi.major_decisions.models import (
    CatalogueEntry,
    CatalogueStatus,
    Completion,
    Consultation,
    Decision,
    Discussion,
    ExpertReview,
    LegalOpinion,
    LegalReview,
    RiskAssessment,
)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def year_facts(unit, year: int, *, today: date) -> dict:
    """Decisions decided in ``year``, each with whether its statutory steps
    were done (MDEC-04 participation, MDEC-05 experts, MDEC-06 risk, MDEC-09
    legality review, MDEC-10 collective discussion); the year's catalogue
    (entries, completed); the collective discussions held and who chaired
    them; entries planned for completion before ``today`` and not completed;
    next year's catalogue entries. Five queries."""
    path = unit.path
    decisions = list(
        Decision.objects.filter(unit__path__startswith=path, decided_on__year=year)
        .annotate(
            legal_ok=Exists(LegalReview.objects.filter(
                decision=OuterRef("pk"), opinion__in=[LegalOpinion.LAWFUL, LegalOpinion.LAWFUL_AFTER_CHANGES])),
            discussed=Exists(Discussion.objects.filter(decision=OuterRef("pk"))),
            consulted=Exists(Consultation.objects.filter(decision=OuterRef("pk"),
                                                         state=Consultation.State.CLOSED)),
            experts_ok=Exists(ExpertReview.objects.filter(decision=OuterRef("pk"), completed_on__isnull=False)),
            risk_ok=Exists(RiskAssessment.objects.filter(decision=OuterRef("pk"))),
        )
        .order_by("decided_on", "pk")
        .values("pk", "title", "decision_no", "decided_on", "needs_participation", "needs_expert_review",
                "needs_risk_assessment", "legal_ok", "discussed", "consulted", "experts_ok", "risk_ok")
    )

    def complete(d) -> bool:
        return (d["legal_ok"] and d["discussed"]
                and (d["consulted"] or not d["needs_participation"])
                and (d["experts_ok"] or not d["needs_expert_review"])
                and (d["risk_ok"] or not d["needs_risk_assessment"]))

    entries = CatalogueEntry.objects.filter(catalogue__unit__path__startswith=path, removed=False)
    catalogue = entries.filter(catalogue__year=year, catalogue__status=CatalogueStatus.PUBLISHED).aggregate(
        total=Count("pk"), completed=Count("pk", filter=Q(completion=Completion.COMPLETED)),
        catalogues=Count("catalogue", distinct=True))
    hosts = list(
        Discussion.objects.filter(decision__unit__path__startswith=path, held_on__year=year)
        .values("host__name", "host__post").annotate(n=Count("pk")).order_by("-n", "host__name")
    )
    late = list(
        entries.filter(catalogue__year=year, planned_completion__lt=today)
        .exclude(completion__in=[Completion.COMPLETED, Completion.REMOVED, Completion.CARRIED_OVER])
        .order_by("planned_completion", "pk").values("title", "planned_completion", "catalogue_id")
    )
    upcoming = list(
        entries.filter(catalogue__year=year + 1).order_by("seq", "pk").values("title", "planned_completion")
    )
    return {
        "list_url": _url("major_decisions:decision_list"),
        "catalogue_url": _url("major_decisions:catalogue_list"),
        "decided": [
            {"title": d["title"], "number": d["decision_no"], "url": _url("major_decisions:decision_detail", d["pk"]),
             "complete": complete(d), "legal_ok": d["legal_ok"], "discussed": d["discussed"]}
            for d in decisions
        ],
        "decided_count": len(decisions),
        "procedure_complete_count": sum(1 for d in decisions if complete(d)),
        "legal_ok_count": sum(1 for d in decisions if d["legal_ok"]),
        "catalogue_entries": catalogue["total"],
        "catalogue_completed": catalogue["completed"],
        "catalogues": catalogue["catalogues"],
        "discussions": sum(h["n"] for h in hosts),
        "hosts": [{"name": h["host__name"] or "", "post": h["host__post"] or "", "count": h["n"]} for h in hosts],
        "late_entries": [
            {"title": e["title"], "due": e["planned_completion"],
             "url": _url("major_decisions:catalogue_detail", e["catalogue_id"])}
            for e in late
        ],
        "next_year_entries": [{"title": e["title"], "due": e["planned_completion"]} for e in upcoming],
    }
