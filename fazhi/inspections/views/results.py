"""检查结果 and their publication (一公开, RAND-07): the list, recording, handover,
attachments, batch publication, non-random inspections (RAND-01)."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.duties import SOD_RULE
from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.inspections import forms as f
from fazhi.inspections import rules, selectors, services
from fazhi.inspections.models import (
    InspectionKind,
    InspectionStatus,
    Result,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import PUBLISH, RECORD, VIEW
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require


def _due_cell(i):
    if i.status == InspectionStatus.PUBLISHED:
        return f"已公示 {timezone.localtime(i.published_at):%Y-%m-%d}" if i.published_at else "已公示"
    return i.publish_due or ""  # coloured by DueColumn: 逾期N天 / 剩余N个工作日 (issue 13 §2)


INSPECTION_TABLE = Table("检查结果", [
    Column("检查对象", lambda i: i.entity.name, sort="entity__name",
           link=lambda i: reverse("inspections:inspection_detail", args=[i.pk])),
    Column("统一社会信用代码", lambda i: i.entity.credit_code),
    Column("检查部门", lambda i: vh.short(i.unit), sort="unit__path"),
    Column("方式", lambda i: i.get_kind_display() if i.kind == InspectionKind.RANDOM
           else f"非随机（{i.get_non_random_reason_display()}）", sort="kind"),
    Column("任务", lambda i: i.task.title if i.task_id else ""),
    Column("检查日期", vh.date_cell("inspected_on"), sort="inspected_on"),
    Column("检查结果", lambda i: i.get_result_display(), sort="result"),
    Column("状态", lambda i: i.get_status_display(), sort="status"),
    DueColumn("公示期限", _due_cell, sort="publish_due", provisional=lambda i: i.publish_due_provisional),
    Column("后续处理", lambda i: i.get_handover_status_display() if i.handover_status != "none" else ""),
], default_sort="", per_page=50)  # default: the work queue (see inspection_list)


@require_GET
def inspection_list(request):
    user = request.user
    _require(user, VIEW)
    today = vh.today()
    form = f.InspectionFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.inspections(user)
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(entity__name__icontains=q) | Q(entity__credit_code__icontains=q.upper()))
    for key in ("status", "result", "kind"):
        if d.get(key):
            qs = qs.filter(**{key: d[key]})
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("task"):
        qs = qs.filter(task_id=d["task"])
    if d.get("due") == "overdue":
        qs = qs.filter(status=InspectionStatus.RECORDED, publish_due__lt=today)
    elif d.get("due") == "pending":
        qs = qs.filter(status=InspectionStatus.RECORDED)
    # Default order, the work queue: recorded (by publication deadline), then pending, then published.
    qs = qs.select_related("entity", "unit", "task").annotate(queue=Case(
        When(status=InspectionStatus.RECORDED, then=Value(0)), When(status=InspectionStatus.PENDING, then=Value(1)),
        default=Value(2), output_field=IntegerField())).order_by("queue", "publish_due", "-inspected_on", "-pk")
    overdue = selectors.overdue_publications(user, today).count()
    task = selectors.tasks(user).filter(pk=d["task"]).first() if d.get("task") else None
    return INSPECTION_TABLE.respond(request, qs, "inspections/inspection_list.html", {
        "task": task,
        "filters": form, "today": today, "overdue": overdue, "can_publish": access.allowed(user, PUBLISH),
        "can_record": access.allowed(user, RECORD), "publish_rule": _publish_rule()})


def _publish_rule() -> str:

    return rules.publish_rule_text()


@require_POST
@domain_errors
def inspection_publish_batch(request):
    """Publish the ticked results, all or none: if one is refused, none is published."""
    user = request.user
    _require(user, PUBLISH)
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
            reverse("inspections:inspection_list")):
        back = reverse("inspections:inspection_list")
    rows = list(selectors.inspections(user).filter(pk__in=ids).select_related("entity", "unit"))
    now = timezone.now()
    if not rows:
        messages.error(request, "请先勾选要公示的检查结果")
        return redirect(back)
    try:
        services.publish_results(rows, by=user, now=now)
    except PermissionDenied as exc:
        if exc.rule != SOD_RULE:
            raise
        messages.error(request, f"未公示任何结果：{exc}")
    except DomainError as exc:
        messages.error(request, format_html("未公示任何结果：{}", exc))
    else:
        messages.success(request, f"已公示 {len(rows)} 条检查结果")
    return redirect(back)


def _inspection(user, pk):
    return vh.one_or_404(selectors.inspections(user).select_related(
        "entity", "unit", "task", "selection__draw", "handover_unit", "result_recorded_by__person"), pk)


def _team(i) -> list:
    if i.selection_id:
        return list(i.selection.team.select_related("inspector__officer__person", "inspector__unit")
                    .order_by("position"))
    return []


def _officer_choices_for(i, team) -> list[tuple[int, str]]:
    seen = {}
    for m in team:
        seen[m.inspector_id] = f"{m.inspector.officer.person.name}（证号 {m.certificate_number}）"
    for ins in i.officers.select_related("officer__person").all():
        seen.setdefault(ins.pk, ins.officer.person.name)
    return list(seen.items())


def _inspection_forms(user, i, team, bound=None) -> dict:
    bound = bound or {}
    today = vh.today()
    officer_choices = _officer_choices_for(i, team)
    officers_now = [o.pk for o in i.officers.all()] or [m.inspector_id for m in team]
    return {
        "record": bound.get("record") or f.ResultForm(prefix="record", officer_choices=officer_choices, initial={
            "result": i.result, "inspected_on": i.inspected_on or today, "findings": i.findings,
            "officers": officers_now}),
        "attach": bound.get("attach") or f.AttachmentForm(prefix="attach"),
        "handover": bound.get("handover") or f.HandoverForm(prefix="handover", initial={
            "handed_over_on": today, "receiving_unit": i.unit_id},
            unit_choices=vh.all_units()),
        "publish": bound.get("publish") or f.PublishForm(prefix="publish"),
    }


def _render_inspection(request, i, *, bound=None, status=200):
    user = request.user
    today = vh.today()
    team = _team(i)
    forms = _inspection_forms(user, i, team, bound)
    can_record = access.allowed(user, RECORD, i.unit)
    can_publish = access.allowed(user, PUBLISH, i.unit)
    steps = []
    if can_record and i.status != InspectionStatus.PUBLISHED:
        steps.append(("record", "录入检查结果" if i.status == InspectionStatus.PENDING else "更正检查结果"))
    if can_record:
        steps.append(("attach", "上传检查记录"))
    if (can_record and i.status != InspectionStatus.PENDING and i.handover_status == "none"
            and i.result != Result.NONE_FOUND):  # nothing to follow up (the service refuses it too)
        steps.append(("handover", "移交执法机构后续处理"))
    if can_publish and i.status == InspectionStatus.RECORDED:
        steps.append(("publish", "公示检查结果"))
    return render(request, "inspections/inspection_detail.html", {
        "i": i, "team": team, "today": today, "officers": list(i.officers.select_related("officer__person")),
        "attachments": list(i.attachments.select_related("uploaded_by__person").order_by("pk")),
        "steps": [{"key": k, "label": label, "form": forms[k], "open": k in (bound or {}),
                   "url": reverse("inspections:inspection_action", args=[i.pk, k])} for k, label in steps],
        "overdue": bool(i.status == InspectionStatus.RECORDED and i.publish_due and i.publish_due < today),
        "publish_rule": _publish_rule(), "portal_url": vh.portal_url("results"),
    }, status=status)


@require_GET
@domain_errors
def inspection_detail(request, pk):
    return _render_inspection(request, _inspection(request.user, pk))


@require_POST
@domain_errors
def inspection_action(request, pk, step):
    user = request.user
    i = _inspection(user, pk)
    if step not in ("record", "attach", "handover", "publish"):
        raise Http404()
    team = _team(i)
    if step == "record":
        form = f.ResultForm(request.POST, prefix="record", officer_choices=_officer_choices_for(i, team))
    elif step == "attach":
        form = f.AttachmentForm(request.POST, request.FILES, prefix="attach")
    elif step == "handover":
        form = f.HandoverForm(request.POST, prefix="handover", unit_choices=vh.all_units())
    else:
        form = f.PublishForm(request.POST, prefix="publish")
    if form.is_valid():
        c = form.cleaned_data
        try:
            if step == "record":
                officers = [m.inspector for m in team if m.inspector_id in c["officers"]]
                officers += [o for o in i.officers.all() if o.pk in c["officers"] and o not in officers]
                services.record_result(i, by=user, result=c["result"], inspected_on=c["inspected_on"],
                                       today=vh.today(), findings=c["findings"], officers=officers or None,
                                       late_reason=c["late_reason"])
                done = "已录入检查结果；请在公示期限内公示（" + _publish_rule() + "）"
            elif step == "attach":
                a = services.attach_record(i, by=user, upload=c["file"], title=c["title"])
                done = f"已上传“{a.title}”（SHA-256 {a.sha256[:16]}…）"
            elif step == "handover":
                services.hand_over(i, by=user, receiving_unit=vh.unit_or_none(c["receiving_unit"]),
                                   handed_over_on=c["handed_over_on"], today=vh.today(), note=c["note"],
                                   register_case=c["register_case"], late_reason=c["late_reason"])
                done = "已移交执法机构后续处理"
            else:
                services.publish_result(i, by=user, now=timezone.now(), content=c["content"] or None)
                done = "已公示检查结果"
        except PermissionDenied as exc:
            if exc.rule != SOD_RULE:
                raise
            vh.place_error(form, exc)  # SYS-01: shown in the form
        except DomainError as exc:
            vh.place_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:inspection_detail", pk=i.pk)
    return _render_inspection(request, _inspection(user, pk), bound={step: form}, status=400)


@require_GET
@domain_errors
def attachment_download(request, pk, att_pk):
    import os

    from django.http import FileResponse

    i = _inspection(request.user, pk)
    a = vh.one_or_404(i.attachments.all(), att_pk)
    # ``services.attach_record`` writes under MEDIA_ROOT (a relative path it chose, never user input).
    try:
        fh = open(os.path.join(settings.MEDIA_ROOT, a.file), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404() from None
    response = FileResponse(fh, as_attachment=True, filename=a.original_name or a.title, content_type=a.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pool_choices(user) -> list[tuple[int, str]]:
    qs = selectors.inspectors(user).filter(active=True).order_by("unit__path", "officer__person__name")
    return [(i.pk, f"{i.officer.person.name}（{vh.short(i.unit)}）") for i in qs]


@require_http_methods(["GET", "POST"])
@domain_errors
def non_random_create(request):
    """A non-random check (投诉举报、转办交办、专项检查…): counted in the share of random inspections (RAND-01)."""
    user = request.user
    _require(user, RECORD)
    unit_choices = org_selectors.unit_choices(user, RECORD)
    form = f.NonRandomForm(vh.posted(request), unit_choices=unit_choices, officer_choices=_pool_choices(user),
                           initial={"unit": unit_choices[0][0] if unit_choices else None, "inspected_on": vh.today()})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        entity = selectors.entities(user).filter(credit_code=c["credit_code"].strip().upper()).first()
        if entity is None:
            form.add_error("credit_code", "名录库中没有该统一社会信用代码的检查对象，请先登记")
        else:
            with refused_onto(form) as outcome:
                i = services.record_non_random(unit=vh.unit_or_none(c["unit"]), by=user, entity=entity, reason=c["reason"],
                                               inspected_on=c["inspected_on"], result=c["result"],
                                               today=vh.today(), late_reason=c["late_reason"],
                                               findings=c["findings"], reason_note=c["reason_note"],
                                               officers=list(selectors.inspectors(user).filter(pk__in=c["officers"])))
            if outcome.ok:
                messages.success(request, "已登记非随机检查")
                return redirect("inspections:inspection_detail", pk=i.pk)
    return render(request, "inspections/non_random_form.html", {"form": form}, status=vh.form_status(form))


# =================================================================== statistics
