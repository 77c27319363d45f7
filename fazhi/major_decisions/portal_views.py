"""The public pages of 重大行政决策 (/portal/decisions/).

No sign-in; only what was deliberately published, read through the public
selectors (``selectors.public_*``, ``selectors.open_consultations``):

* the annual catalogue (MDEC-02) as last published — each published version
  keeps its snapshot, so the public sees exactly what was published then —
  with every adjustment (date, kind, reason) and, once published, the
  year-end completion status;
* published decisions (MDEC-13): matter, 承办单位, basis, decision date and
  text, how public and expert opinions were adopted, later adjustments or
  stops (MDEC-16);
* consultations (MDEC-04): the draft and its explanation, the period, a
  comment form, and — once published — the adoption summary with the
  commenters' names masked (contacts are never shown).

Drafts, internal opinions, expert names, risk details, legality opinions and
minutes are never read here. Comments go through ``services.submit_comment``;
a refusal (period over, bad input) is shown in Chinese with its rule and
nothing is saved.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.consultations import selectors as consultation_reads
from fazhi.consultations.forms import CommentForm
from fazhi.core.errors import DomainError
from fazhi.core.ratelimit import rate_limited
from fazhi.major_decisions import selectors, services
from fazhi.major_decisions.models import (
    Catalogue,
    CatalogueAdjustment,
    Consultation,
    Decision,
    PublicationKind,
    Status,
)

SECTION_KEY = "major-decisions"

STATUS_BADGES = {
    Status.PUBLISHED: ("已公布", "badge-ok"),
    Status.EXECUTING: ("执行中", "badge-ok"),
    Status.EVALUATING: ("决策后评估中", "badge-warn"),
    Status.ADJUSTED: ("已调整", "badge-warn"),
    Status.STOPPED: ("已停止执行", "badge-danger"),
}


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


def _get_or_404(qs, pk, message: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message)


def _badge(decision: Decision) -> tuple[str, str]:
    return STATUS_BADGES.get(decision.status, ("已公布", "badge-ok"))


def _published_adjustments(catalogue_ids) -> dict[int, list[CatalogueAdjustment]]:
    """Adjustments that were republished (every adjustment is, MDEC-02), by catalogue."""
    out: dict[int, list[CatalogueAdjustment]] = {}
    rows = (CatalogueAdjustment.objects.filter(catalogue_id__in=catalogue_ids, publication__isnull=False)
            .select_related("entry", "publication").order_by("adjusted_on", "pk"))
    for a in rows:
        out.setdefault(a.catalogue_id, []).append(a)
    return out


def _catalogue_view(c: Catalogue, adjustments: list, version: int | None = None) -> dict:
    """A published catalogue as the public sees it: a published version's snapshot."""
    pubs = list(c.publications.all())  # prefetched, newest version first
    shown = next((p for p in pubs if p.version == version), None) if version else None
    shown = shown or (pubs[0] if pubs else None)
    completion = next((p for p in pubs if p.kind == PublicationKind.COMPLETION), None)
    return {
        "catalogue": c, "publication": shown, "rows": shown.snapshot if shown else [],
        "publications": pubs, "adjustments": adjustments,
        "show_completion": bool(shown and completion and shown.version >= completion.version),
        "latest": bool(shown and pubs and shown.version == pubs[0].version),
    }


# ------------------------------------------------------------------ index


@login_not_required
@require_GET
def index(request):
    """This year's (or the chosen year's) published catalogues, open consultations, recent decisions."""
    today = timezone.localdate()
    all_catalogues = selectors.public_catalogues()
    years = sorted({y for y in all_catalogues.values_list("year", flat=True)}, reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    catalogues = list(all_catalogues.filter(year=year)) if year else []
    adjustments = _published_adjustments([c.pk for c in catalogues])
    return render(request, "major_decisions/portal/index.html", _ctx(
        year=year, years=years,
        catalogues=[_catalogue_view(c, adjustments.get(c.pk, [])) for c in catalogues],
        open_now=list(selectors.open_consultations(today)[:20]),
        decisions=[(d, *_badge(d)) for d in selectors.public_decisions()[:20]],
    ))


@login_not_required
@require_GET
def catalogue(request, pk: int):
    c = _get_or_404(selectors.public_catalogues(), pk, "目录不存在或尚未公布")
    try:
        version = int(request.GET.get("version", ""))
    except ValueError:
        version = None
    view = _catalogue_view(c, _published_adjustments([c.pk]).get(c.pk, []), version)
    decisions = [(d, *_badge(d)) for d in selectors.public_decisions().filter(entry__catalogue=c)]
    return render(request, "major_decisions/portal/catalogue.html", _ctx(decisions=decisions, **view))


# ------------------------------------------------------------------ decisions


@login_not_required
@require_GET
def decision(request, pk: int):
    d = _get_or_404(selectors.public_decisions().select_related("entry__catalogue"), pk, "决策不存在或尚未公布")
    label, badge = _badge(d)
    consultations = list(d.consultations.order_by("start_on", "pk"))
    return render(request, "major_decisions/portal/decision.html", _ctx(
        d=d, status_label=label, badge=badge, consultations=consultations,
        changes=list(d.changes.order_by("decided_on", "pk")),
        evaluations=list(selectors.public_post_evaluations(d)),
    ))


# ------------------------------------------------------------------ consultations


@login_not_required
@require_GET
def consultations(request):
    today = timezone.localdate()
    base = selectors.public_consultations().prefetch_related(None)
    return render(request, "major_decisions/portal/consultations.html", _ctx(
        today=today,
        open_now=list(selectors.open_consultations(today)),
        upcoming=list(base.filter(state=Consultation.State.OPEN, start_on__gt=today)),
        concluded=list(base.filter(summary_published_on__isnull=False)[:50]),
    ))


@login_not_required
@rate_limited("portal.comment")
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    c = _get_or_404(selectors.public_consultations(), pk, "征求意见不存在")
    status, error, done = 200, "", False
    form = CommentForm()
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.submit_comment(c, **form.cleaned_data)
            except DomainError as exc:
                error, status = str(exc), 400  # the message with its rule (依据 MDEC-04)
            else:
                done, form = True, CommentForm()
        else:
            error, status = form.errors_text(), 400
    today = timezone.localdate()
    accepting = consultation_reads.accepting(c, today)
    d = c.decision
    return render(request, "major_decisions/portal/consultation.html", _ctx(
        c=c, d=d, form=form, error=error, done=done, accepting=accepting, today=today,
        not_started=c.state == Consultation.State.OPEN and today < c.start_on,
        comments=consultation_reads.public_rows(c),
        decision_public=d.status in (*STATUS_BADGES,) and d.published_on is not None,
    ), status=status)
