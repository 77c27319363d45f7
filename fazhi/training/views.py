"""Staff screens of 学法用法. Every change goes through ``services``; every
non-trivial read through ``selectors``.

A record outside what the user may *see* is a 404; a visible record the
user may not *change* is a 403. Any other refusal (bad rows in an import, a
pre-implementation session dated after the law takes effect) is shown on
the page with its rule ID, and nothing is changed.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Unit
from fazhi.training import forms as f
from fazhi.training import importer, rules, selectors, services
from fazhi.training.models import Status, TrainingSession
from fazhi.training.selectors import MANAGE, VIEW, VIEW_ALL


def _today():
    return timezone.localdate()


def _years(today):
    return range(today.year + 1, today.year - 10, -1)


# ================================================================ sessions

SESSION_TABLE = Table("培训", [
    # a planned session is due on its date: amber as it nears, red 逾期N天 while not confirmed held (issue 13 §2)
    DueColumn("培训日期", "date", sort="date", done=lambda s: s.status == Status.HELD),
    Column("培训主题", "topic", sort="topic", link=lambda s: reverse("training:session_detail", args=[s.pk])),
    Column("类别", lambda s: s.get_kind_display() + ("（施行前）" if s.pre_implementation else ""), sort="kind"),
    Column("学时", "hours", sort="hours"),
    Column("组织单位", "unit.name", sort="unit__path"),
    Column("主讲人", "lecturer"),
    Column("地点", "location"),
    Column("状态", lambda s: s.get_status_display(), sort="status"),
    Column("出勤人数", "attendee_count", sort="attendee_count"),
], default_sort="-date")


@require_http_methods(["GET"])
def session_list(request):
    user = request.user
    if not (access.allowed(user, VIEW) or access.allowed(user, VIEW_ALL)):
        raise HttpForbidden("您没有查看培训的权限")
    today = _today()
    units = org_selectors.unit_choices(user, VIEW) or org_selectors.unit_choices(user, VIEW_ALL)
    form = f.SessionFilterForm(request.GET or None, years=_years(today), unit_choices=units)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.session_list(user, year=d.get("year"), kind=d.get("kind", ""), unit=d.get("unit"),
                                status=d.get("status", ""), q=(d.get("q") or "").strip())
    return SESSION_TABLE.respond(request, qs, "training/session_list.html", {
        "filters": form, "can_manage": access.allowed(user, MANAGE), "today": today,
    })


def _manage_units(user):
    return org_selectors.unit_choices(user, MANAGE)


@require_http_methods(["GET", "POST"])
@domain_errors
def session_create(request):
    user = request.user
    _require(user, MANAGE)
    form = f.SessionForm(request.POST or None, unit_choices=_manage_units(user))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        unit = Unit.objects.get(pk=d.pop("unit"))
        with refused_onto(form) as outcome:
            session = services.create_session(unit, by=user, **d)
        if outcome.ok:
            messages.success(request, "培训已登记")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "title": "登记培训"},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@domain_errors
def session_edit(request, pk):
    user = request.user
    session = selectors.get_session(user, pk)
    _require(user, MANAGE, session.unit)
    initial = {k: getattr(session, k) for k in services.SESSION_FIELDS}
    initial["unit"] = session.unit_id
    form = f.SessionForm(request.POST or None, initial=initial,
                         unit_choices=[(session.unit_id, session.unit.name)])
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d.pop("unit")
        with refused_onto(form) as outcome:
            services.update_session(session, by=user, today=_today(), **d)
        if outcome.ok:
            messages.success(request, "培训信息已修改")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "title": "修改培训", "session": session},
                  status=400 if form.errors else 200)


def _render_detail(request, session: TrainingSession, *, attendance_form=None, upload_form=None,
                   status: int = 200):
    user = request.user
    can_manage = access.allowed(user, MANAGE, session.unit)
    return render(request, "training/session_detail.html", {
        "session": session,
        "attendances": selectors.attendance_rows(session),
        "exams": session.exams.all(),
        "can_manage": can_manage,
        "can_record": can_manage and session.status == Status.HELD,
        "can_complete": can_manage and session.status == Status.PLANNED,
        "attendance_form": attendance_form or f.AttendanceForm(),
        "upload_form": upload_form or f.UploadForm(),
        "rule_record": rules.RULE_RECORD,
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def session_detail(request, pk):
    return _render_detail(request, selectors.get_session(request.user, pk))


@require_POST
@domain_errors
def session_complete(request, pk):
    session = selectors.get_session(request.user, pk)
    try:
        services.complete_session(session, by=request.user, today=_today())
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已确认举办，可以登记考勤")
    return redirect("training:session_detail", pk=pk)


@require_POST
@domain_errors
def attendance_record(request, pk):
    session = selectors.get_session(request.user, pk)
    _require(request.user, MANAGE, session.unit)
    form = f.AttendanceForm(request.POST)
    if form.is_valid():
        with refused_onto(form) as outcome:
            rows = importer.parse_lines(form.cleaned_data["lines"])
            report = services.record_attendance(session, by=request.user, rows=rows)
        if not outcome.ok:
            return _render_detail(request, session, attendance_form=form, status=400)
        messages.success(request, f"已登记考勤：新增 {report.created} 人，更正 {report.updated} 人")
        return redirect("training:session_detail", pk=pk)
    return _render_detail(request, session, attendance_form=form, status=400)


@require_POST
@domain_errors
def attendance_import(request, pk):
    session = selectors.get_session(request.user, pk)
    _require(request.user, MANAGE, session.unit)
    form = f.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        with refused_onto(form) as outcome:
            rows = importer.read_sheet(form.cleaned_data["upload"])
            report = services.record_attendance(session, by=request.user, rows=rows)
        if not outcome.ok:
            return _render_detail(request, session, upload_form=form, status=400)
        messages.success(request, f"已导入考勤：新增 {report.created} 人，更正 {report.updated} 人")
        return redirect("training:session_detail", pk=pk)
    return _render_detail(request, session, upload_form=form, status=400)


@require_POST
@domain_errors
def attendance_remove(request, pk, att_pk):
    session = selectors.get_session(request.user, pk)
    att = session.attendances.filter(pk=att_pk).select_related("person").first()
    if att is None:
        raise Http404()
    services.remove_attendance(att, by=request.user)
    messages.success(request, f"已删除 {att.person.name} 的考勤记录")
    return redirect("training:session_detail", pk=pk)


# =================================================================== exams

EXAM_TABLE = Table("学法考试", [
    Column("考试日期", "date", sort="date"),
    Column("考试名称", "title", sort="title", link=lambda e: reverse("training:exam_detail", args=[e.pk])),
    Column("组织单位", "unit.name", sort="unit__path"),
    Column("所属培训", lambda e: e.session.topic if e.session else "（单独组织）"),
    Column("及格分/满分", lambda e: f"{e.pass_mark}/{e.full_mark}"),
    Column("参考人数", "score_count", sort="score_count"),
    Column("合格人数", "passed_count", sort="passed_count"),
], default_sort="-date")


@require_http_methods(["GET"])
def exam_list(request):
    user = request.user
    if not (access.allowed(user, VIEW) or access.allowed(user, VIEW_ALL)):
        raise HttpForbidden("您没有查看考试的权限")
    return EXAM_TABLE.respond(request, selectors.exams_for(user), "training/exam_list.html", {
        "can_manage": access.allowed(user, MANAGE)})


@require_http_methods(["GET", "POST"])
@domain_errors
def exam_create(request, pk=None):
    user = request.user
    session = selectors.get_session(user, pk) if pk else None
    _require(user, MANAGE, session.unit if session else None)
    units = [(session.unit_id, session.unit.name)] if session else _manage_units(user)
    initial = {"title": f"{session.topic}考试", "date": session.date} if session else None
    form = f.ExamForm(request.POST or None, unit_choices=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        unit = Unit.objects.get(pk=d.pop("unit"))
        with refused_onto(form) as outcome:
            exam = services.create_exam(unit, by=user, session=session, **d)
        if outcome.ok:
            messages.success(request, "考试已登记")
            return redirect("training:exam_detail", pk=exam.pk)
    return render(request, "training/exam_form.html", {"form": form, "session": session},
                  status=400 if form.errors else 200)


def _render_exam(request, exam, *, scores_form=None, upload_form=None, status=200):
    return render(request, "training/exam_detail.html", {
        "exam": exam, "scores": selectors.score_rows(exam),
        "can_manage": access.allowed(request.user, MANAGE, exam.unit),
        "scores_form": scores_form or f.ScoresForm(), "upload_form": upload_form or f.UploadForm(),
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def exam_detail(request, pk):
    return _render_exam(request, selectors.get_exam(request.user, pk))


def _save_scores(request, pk, form, read_rows, which: str):
    exam = selectors.get_exam(request.user, pk)
    _require(request.user, MANAGE, exam.unit)
    if form.is_valid():
        with refused_onto(form) as outcome:
            rows = read_rows(form.cleaned_data)
            report = services.record_scores(exam, by=request.user, rows=rows, today=_today())
        if outcome.ok:
            messages.success(request, f"已登记成绩：新增 {report.created} 人，更正 {report.updated} 人")
            return redirect("training:exam_detail", pk=pk)
    return _render_exam(request, exam, status=400, **{which: form})


@require_POST
@domain_errors
def exam_scores(request, pk):
    return _save_scores(request, pk, f.ScoresForm(request.POST),
                        lambda d: importer.parse_lines(d["lines"]), "scores_form")


@require_POST
@domain_errors
def exam_scores_import(request, pk):
    return _save_scores(request, pk, f.UploadForm(request.POST, request.FILES),
                        lambda d: importer.read_sheet(d["upload"]), "upload_form")


# =============================================================== shortfall

SHORTFALL_TABLE = Table("学时未达标人员", [
    Column("单位", "unit.name", sort="unit__path"),
    Column("姓名", "name", sort="name", link=lambda p: reverse("training:person_record", args=[p.pk])),
    Column("职务", "post"),
    Column("类别", lambda p: "执法人员" if p.is_officer else "其他工作人员"),
    Column("应完成学时", "required"),
    Column("已完成学时", "hours", sort="hours"),
    Column("尚差学时", "missing", sort="missing"),
], default_sort="", per_page=50)


@require_http_methods(["GET"])
def shortfall(request):
    """Who is short of the yearly hours, per unit (ENF-26; LAW-04 if set)."""
    user = request.user
    _require(user, VIEW_ALL)
    today = _today()
    form = f.ShortfallFilterForm(request.GET or None, years=_years(today),
                                 unit_choices=org_selectors.unit_choices(user, VIEW_ALL))
    d = form.cleaned_data if form.is_valid() else {}
    year = d.get("year") or today.year
    qs = selectors.shortfall(user, year, unit=d.get("unit"))
    return SHORTFALL_TABLE.respond(request, qs, "training/shortfall.html", {
        "filters": form, "year": year, "summary": selectors.shortfall_by_unit(user, year),
        # the hours are due by the year's end (the dashboard's deadline); a past year is closed
        "today": today, "year_end": date(year, 12, 31), "year_closed": year < today.year,
        "officer_hours": rules.officer_hours(), "staff_hours": rules.staff_hours(),
        "rule_officer": rules.RULE_OFFICER_HOURS, "rule_staff": rules.RULE_STAFF_HOURS,
    })


# ================================================================= records

def _render_record(request, person, *, own: bool):
    records = selectors.training_record(person)
    return render(request, "training/record.html", {
        "person": person, "records": records, "own": own,
        "officer": selectors.is_officer(person), "rule_record": rules.RULE_RECORD,
        "rule_officer": rules.RULE_OFFICER_HOURS,
    })


@require_http_methods(["GET"])
def my_record(request):
    person = access.person_of(request.user)
    if person is None:
        return render(request, "training/record.html", {"person": None, "records": [], "own": True})
    return _render_record(request, person, own=True)


@require_http_methods(["GET"])
@domain_errors
def person_record(request, pk):
    person = selectors.get_person(request.user, pk)
    me = access.person_of(request.user)
    return _render_record(request, person, own=me is not None and me.pk == person.pk)
