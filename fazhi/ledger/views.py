"""Staff screens of the ledger. Writes go through ``services``; reads through
``selectors``. A record outside what the user may see is a 404; a visible
record the user may not change is a 403; other refusals are shown on the
page and change nothing."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto, safe_next
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.ledger import forms as f
from fazhi.ledger import parser, selectors, services
from fazhi.ledger import status as st
from fazhi.ledger.models import COUNTED_REPORTS, PlanStatus, ProgressReport, ReportStatus, SupervisionStatus
from fazhi.ledger.permissions import MANAGE, VIEW, can_approve, can_manage_plan, can_report
from fazhi.ledger.workflow import PLAN_WORKFLOW
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.models import Unit

SESSION_KEY = "ledger_import"
MAX_PLAN_BYTES = 10 * 1024 * 1024


def _today():
    return timezone.localdate()


def _require_view(user):
    if not access.allowed(user, VIEW):
        raise HttpForbidden("您没有查看任务台账的权限")


def _units(ids=None):
    qs = Unit.objects.filter(is_active=True).order_by("path")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return [(u.pk, f"{'　' * u.depth}{u.name}") for u in qs]


def _partners(m) -> str:
    return "、".join(a.unit.name for a in getattr(m, "partner_rows", []))


def _iso(d) -> str:
    return d.isoformat() if d else ""


def _state(m) -> str:
    return st.label(m.state)


# ================================================================ plans

PLAN_TABLE = Table("实施方案", [
    Column("方案名称", "title", sort="title", link=lambda p: reverse("ledger:plan_detail", args=[p.pk])),
    Column("制定单位", "unit.name", sort="unit__path"),
    Column("实施年度", lambda p: f"{p.year_start}—{p.year_end}", sort="year_start"),
    Column("状态", lambda p: p.get_status_display(), sort="status"),
    Column("措施数", "measure_count", sort="measure_count"),
    Column("导入时间", lambda p: timezone.localtime(p.created_at).strftime("%Y-%m-%d"), sort="created_at"),
], default_sort="-year_start")


@require_http_methods(["GET"])
def plan_list(request):
    _require_view(request.user)
    from django.db.models import Count

    qs = selectors.plans_for(request.user).annotate(measure_count=Count("measures"))
    return PLAN_TABLE.respond(request, qs, "ledger/plan_list.html", {"can_manage": access.allowed(request.user, MANAGE)})


def _manage_unit_choices(user):
    from fazhi.ledger.permissions import managed_unit_ids

    return _units(managed_unit_ids(user))


def _read_upload(upload) -> tuple[str, str, bytes]:
    """(text, sha256, bytes) of a plan upload (.txt or .docx). A .docx is
    checked for bombs in ``parser.read_docx``; characters XML cannot carry
    are removed from the text (they would break the exports)."""
    from fazhi.core import uploads
    from fazhi.core.text import clean

    data = upload.read(MAX_PLAN_BYTES + 1)
    if len(data) > MAX_PLAN_BYTES:
        raise parser.PlanParseError("文件过大（上限10MB）")
    sha = hashlib.sha256(data).hexdigest()
    if data[:4] == b"PK\x03\x04":
        if uploads.detect_type(data) != "docx":
            raise parser.PlanParseError("只接受 .txt 文本或 .docx 文件")
        return parser.read_docx(data), sha, data
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return clean(text), sha, data
    raise parser.PlanParseError("无法识别文件内容：只接受 UTF-8/GB18030 文本或 .docx 文件")


@require_http_methods(["GET", "POST"])
@domain_errors
def plan_upload(request):
    """Upload → parse preview (areas, measures, units, warnings) → confirm."""
    user = request.user
    choices = _manage_unit_choices(user)
    if not choices:
        raise HttpForbidden("您没有导入方案的权限")
    form = f.UploadForm(request.POST or None, request.FILES or None, unit_choices=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            text, sha, _ = _read_upload(d["file"])
            parsed = parser.parse_plan(text, part=d.get("part"))
            pv = services.preview(parsed)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            request.session[SESSION_KEY] = {"text": text, "sha": sha, "name": d["file"].name[-255:],
                                            "unit": d["unit"], "part": d.get("part"),
                                            "year_start": d.get("year_start"), "year_end": d.get("year_end")}
            unit = Unit.objects.get(pk=d["unit"])
            return render(request, "ledger/plan_preview.html", {"pv": pv, "parsed": parsed, "unit": unit,
                                                                "source": d["file"].name})
    return render(request, "ledger/plan_upload.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@domain_errors
def plan_confirm(request):
    data = request.session.get(SESSION_KEY)
    if not data:
        messages.error(request, "导入预览已失效，请重新上传")
        return redirect("ledger:plan_upload")
    unit = Unit.objects.get(pk=data["unit"])
    try:
        parsed = parser.parse_plan(data["text"], part=data["part"])
        plan = services.import_plan(parsed, unit=unit, by=request.user, source_sha256=data["sha"],
                                    source_name=data["name"], source_text=parsed.text,
                                    year_start=data["year_start"], year_end=data["year_end"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:plan_upload")
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"已导入 {plan.measures.count()} 项措施，请分工并确定完成时限后下达")
    return redirect("ledger:plan_detail", pk=plan.pk)


@require_http_methods(["GET"])
@domain_errors
def plan_detail(request, pk):
    plan = selectors.get_plan(request.user, pk)
    today = _today()
    return render(request, "ledger/plan_detail.html", {
        "plan": plan, "areas": selectors.plan_areas(plan, today), "counts": selectors.plan_counts(plan, today),
        "can_manage": can_manage_plan(request.user, plan.unit), "today": today, "badges": st.BADGES,
        "can_activate": PLAN_WORKFLOW.refusal(plan, "activate") is None,
    })


@require_http_methods(["GET"])
@domain_errors
def plan_print(request, pk):
    """The printable 推进台账 of a plan."""
    plan = selectors.get_plan(request.user, pk)
    today = _today()
    return render(request, "ledger/plan_print.html", {
        "plan": plan, "areas": selectors.plan_areas(plan, today), "counts": selectors.plan_counts(plan, today),
        "today": today})


@require_POST
@domain_errors
def plan_activate(request, pk):
    plan = selectors.get_plan(request.user, pk)
    try:
        services.activate_plan(plan, by=request.user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "方案已下达，各责任单位可以报送推进情况")
    return redirect("ledger:plan_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@domain_errors
def plan_assign(request, pk):
    """Bulk assignment: pick many measures, set lead, partners, deadline."""
    plan = selectors.get_plan(request.user, pk)
    if not can_manage_plan(request.user, plan.unit):
        raise HttpForbidden("您没有管理该方案的权限")
    today = _today()
    areas = selectors.plan_areas(plan, today)
    measure_choices = [(m.pk, f"{m.number}. {m.title}") for a in areas for m in a.measure_rows]
    units = _units(Unit.objects.filter(path__startswith=plan.unit.path).values_list("pk", flat=True))
    form = f.AssignForm(request.POST or None, measure_choices=measure_choices, unit_choices=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by_pk = {u.pk: u for u in Unit.objects.filter(pk__in=[d["lead"] or 0, *d["partners"]])}
        measures = plan.measures.filter(pk__in=d["measures"])
        try:
            n = services.assign_measures(measures, by=request.user, lead=by_pk.get(d["lead"]),
                                         partners=[by_pk[i] for i in d["partners"]] or None,
                                         deadline=d["deadline"], clear_partners=d["clear_partners"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已为 {n} 项措施更新分工")
            return redirect("ledger:plan_assign", pk=pk)
    return render(request, "ledger/plan_assign.html", {"plan": plan, "areas": areas, "form": form,
                                                       "badges": st.BADGES, "today": today},
                  status=400 if form.errors else 200)


# ================================================================ measures

MEASURE_COLUMNS = [
    Column("序号", "number", sort="number"),
    Column("措施", "title", sort="title", link=lambda m: reverse("ledger:measure_detail", args=[m.pk])),
    Column("领域", "area.title", sort="area__seq"),
    Column("方案", "plan.title"),
    Column("牵头单位", "lead_unit.name", sort="lead_unit__path"),
    Column("配合单位", _partners),
    DueColumn("完成时限", "deadline", sort="deadline", done=lambda m: m.state == st.COMPLETED,
              judged=lambda m: m.due_on),
    Column("状态", _state, sort="state"),
    Column("进度（%）", "progress", sort="progress"),
    Column("最近报送", lambda m: _iso(m.last_reported_on), sort="last_reported_on"),
]
MEASURE_TABLE = Table("任务台账", MEASURE_COLUMNS, default_sort="number")
MY_TABLE = Table("本单位任务", [Column("本单位", lambda m: "牵头" if m.is_lead else "配合")]
                 + [c for c in MEASURE_COLUMNS if c.label != "方案"],
                 default_sort="deadline")
OVERDUE_TABLE = Table("逾期措施", MEASURE_COLUMNS, default_sort="deadline")


def _measure_filters(request, user, today):
    years = range(today.year + 1, today.year - 8, -1)
    form = f.MeasureFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW) or _units(),
                               years=years)
    return form, (form.cleaned_data if form.is_valid() else {})


@require_http_methods(["GET"])
def measure_list(request):
    """The ledger of all visible measures (filters, sort, Excel export)."""
    user = request.user
    _require_view(user)
    today = _today()
    form, d = _measure_filters(request, user, today)
    plan = request.GET.get("plan")
    qs = selectors.measure_list(user, today, plan=int(plan) if plan and plan.isdigit() else None,
                                unit=d.get("unit"), status=d.get("status", ""), year=d.get("year"),
                                q=(d.get("q") or "").strip())
    return MEASURE_TABLE.respond(request, qs, "ledger/measure_list.html",
                                 {"filters": form, "title": "任务台账", "today": today})


@require_http_methods(["GET"])
def my_measures(request):
    user = request.user
    _require_view(user)
    today = _today()
    form, d = _measure_filters(request, user, today)
    qs = selectors.my_measures(user, today)
    if d.get("status"):
        qs = qs.filter(state=d["status"])
    if d.get("q"):
        qs = qs.filter(title__icontains=d["q"])
    pending = list(selectors.pending_reports(user).exclude(created_by=user)[:50])  # not one's own (SYS-01)
    return MY_TABLE.respond(request, qs, "ledger/my_measures.html", {"filters": form, "pending": pending,
                                                                   "today": today})


@require_http_methods(["GET"])
def overdue(request):
    user = request.user
    _require_view(user)
    today = _today()
    return OVERDUE_TABLE.respond(request, selectors.overdue_list(user, today), "ledger/measure_list.html",
                                 {"title": "逾期措施", "today": today,
                                  "note": f"截至 {today:%Y-%m-%d} 已过期限仍未报送完成的措施"})


def _detail(request, measure, *, report_form=None, task_form=None, sup_form=None, status=200):
    user, today = request.user, _today()
    data = selectors.measure_detail(measure)
    rep_units = selectors.reporting_units(user, measure)
    manage = can_manage_plan(user, measure.plan.unit)
    unit_ids = [a.unit_id for a in data["assignments"]] + [t.unit_id for t in data["tasks"]]
    task_choices = [(t.pk, f"{measure.number}-{t.seq} {t.title[:30]}") for t in data["tasks"]
                    if any(u.pk in (t.unit_id, measure.lead_unit_id) for u in rep_units)]
    progress = st.status(due=measure.due_on, today=today,
                         reports=[(r.report_date, r.percent) for r in data["reports"]
                                  if r.task_id is None and r.status in COUNTED_REPORTS])
    # Reports the unit head has not confirmed yet: shown, not counted.
    unconfirmed = sum(1 for r in data["reports"] if r.status == ReportStatus.SUBMITTED)
    can_split = manage or (measure.lead_unit and can_report(user, measure.lead_unit))
    # No buttons on one's own reports: someone else confirms them (SYS-01).
    approvable = {r.pk for r in data["reports"]
                  if r.status == "submitted" and can_approve(user, r.unit) and r.created_by_id != user.pk}
    return render(request, "ledger/measure_detail.html", {
        "m": measure, **data, "progress": progress,
        "partner_names": [a.unit.name for a in data["assignments"] if a.role == "partner"], "badges": st.BADGES, "today": today,
        "can_report": bool(rep_units) and measure.plan.status == PlanStatus.ACTIVE, "can_manage": manage,
        "can_split": can_split, "approvable": approvable, "unconfirmed": unconfirmed,
        "report_form": report_form or f.ReportForm(unit_choices=[(u.pk, u.name) for u in rep_units],
                                                   task_choices=task_choices, initial={"report_date": today}),
        "task_form": task_form or f.TaskForm(unit_choices=_units(unit_ids or None)),
        "sup_form": sup_form or f.SupervisionForm(unit_choices=_units(unit_ids) if unit_ids else [],
                                                  initial={"issued_on": today}),
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def measure_detail(request, pk):
    return _detail(request, selectors.get_measure(request.user, pk))


@require_POST
@domain_errors
def measure_report(request, pk):
    user = request.user
    measure = selectors.get_measure(user, pk)
    rep_units = selectors.reporting_units(user, measure)
    if not rep_units:
        raise HttpForbidden("本单位不是该措施的牵头或配合单位，不能报送")
    tasks = list(measure.tasks.all())
    form = f.ReportForm(request.POST, request.FILES, unit_choices=[(u.pk, u.name) for u in rep_units],
                        task_choices=[(t.pk, t.title) for t in tasks])
    if form.is_valid():
        d = form.cleaned_data
        unit = next(u for u in rep_units if u.pk == d["unit"])
        task = next((t for t in tasks if t.pk == d["task"]), None)
        with refused_onto(form) as outcome:
            services.report_progress(measure, by=user, unit=unit, text=d["text"], percent=d["percent"],
                                     report_date=d["report_date"], today=_today(), task=task,
                                     files=[d["files"]] if d.get("files") else [],
                                     late_reason=d.get("late_reason", ""))
        if outcome.ok:
            messages.success(request, "推进情况已报送，经本单位负责人确认后计入完成进度")
            return redirect("ledger:measure_detail", pk=pk)
    return _detail(request, measure, report_form=form, status=400)


@require_POST
@domain_errors
def report_review(request, pk, report_pk):
    measure = selectors.get_measure(request.user, pk)
    report = ProgressReport.objects.filter(pk=report_pk, measure=measure).first()
    if report is None:
        raise Http404()
    form = f.TextForm(request.POST)
    form.is_valid()
    try:
        services.review_report(report, by=request.user, confirm=request.POST.get("action") == "confirm",
                               note=form.cleaned_data.get("text", ""), today=_today())
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "审核意见已保存")
    return redirect(safe_next(request, reverse("ledger:measure_detail", args=[pk])))


@require_POST
@domain_errors
def measure_task(request, pk):
    measure = selectors.get_measure(request.user, pk)
    form = f.TaskForm(request.POST, unit_choices=_units(Unit.objects.filter(path__startswith=measure.plan.unit.path)
                                                        .values_list("pk", flat=True)))
    if form.is_valid():
        d = form.cleaned_data
        with refused_onto(form) as outcome:
            services.add_task(measure, by=request.user, unit=Unit.objects.get(pk=d["unit"]), title=d["title"],
                              deadline=d["deadline"])
        if outcome.ok:
            messages.success(request, "已分解任务")
            return redirect("ledger:measure_detail", pk=pk)
    return _detail(request, measure, task_form=form, status=400)


@require_POST
@domain_errors
def measure_supervise(request, pk):
    measure = selectors.get_measure(request.user, pk)
    if not can_manage_plan(request.user, measure.plan.unit):
        raise HttpForbidden("您没有督办的权限")
    form = f.SupervisionForm(request.POST, unit_choices=_units())
    if form.is_valid():
        d = form.cleaned_data
        with refused_onto(form) as outcome:
            a = services.create_supervision(measure, by=request.user, unit=Unit.objects.get(pk=d["unit"]),
                                            kind=d["kind"], reason=d["reason"], issued_on=d["issued_on"],
                                            deadline=d["deadline"], today=_today(),
                                            late_reason=d.get("late_reason", ""))
        if outcome.ok:
            messages.success(request, f"已{a.get_kind_display()}，回复期限 {a.deadline:%Y-%m-%d}")
            return redirect("ledger:measure_detail", pk=pk)
    return _detail(request, measure, sup_form=form, status=400)


@require_http_methods(["GET"])
@domain_errors
def attachment_download(request, pk, att_pk):
    measure = selectors.get_measure(request.user, pk)
    from fazhi.ledger.models import ReportAttachment

    att = ReportAttachment.objects.filter(pk=att_pk, report__measure=measure).first()
    if att is None:
        raise Http404()
    try:
        fh = att.file.open("rb")
    except FileNotFoundError:
        raise Http404()
    resp = FileResponse(fh, content_type=att.content_type, as_attachment=True, filename=att.original_name)
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


# ================================================================ supervision

SUP_TABLE = Table("督办问责", [
    Column("作出日期", "issued_on", sort="issued_on"),
    Column("方式", lambda a: a.get_kind_display(), sort="kind",
           link=lambda a: reverse("ledger:supervision_detail", args=[a.pk])),
    Column("被督办单位", "unit.name", sort="unit__path"),
    Column("措施", lambda a: f"{a.measure.number}. {a.measure.title}"),
    DueColumn("期限", "deadline", sort="deadline", done=lambda a: a.status != SupervisionStatus.OPEN),
    Column("状态", lambda a: a.get_status_display(), sort="status"),
    Column("回复日期", "responded_on", sort="responded_on"),
], default_sort="-issued_on")


@require_http_methods(["GET"])
def supervision_list(request):
    _require_view(request.user)
    form = f.SupervisionFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.supervision_list(request.user, kind=d.get("kind", ""), status=d.get("status", ""))
    return SUP_TABLE.respond(request, qs, "ledger/supervision_list.html", {"filters": form, "today": _today()})


@require_http_methods(["GET"])
@domain_errors
def supervision_detail(request, pk):
    a = selectors.get_supervision(request.user, pk)
    return render(request, "ledger/supervision_detail.html", {
        # 回复 and 办结 can both be on the page: each form its own ids.
        "a": a, "form": f.TextForm(), "close_form": f.TextForm(auto_id="close_%s"), "today": _today(),
        "can_respond": a.status != SupervisionStatus.CLOSED and can_report(request.user, a.unit),
        "can_close": a.status != SupervisionStatus.CLOSED and can_manage_plan(request.user, a.measure.plan.unit),
    })


@require_POST
@domain_errors
def supervision_act(request, pk, action):
    a = selectors.get_supervision(request.user, pk)
    form = f.TextForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("text", "")
    try:
        if action == "respond":
            services.respond_supervision(a, by=request.user, response=text, today=_today())
        elif action == "close":
            services.close_supervision(a, by=request.user, note=text, today=_today())
        else:
            raise Http404()
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已保存")
    return redirect("ledger:supervision_detail", pk=pk)


