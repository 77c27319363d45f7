"""Demo data of the ledger: seed document 5 (大渡口区法治政府建设实施方案,
42 measures) imported for the 区政府, assigned to the demo units with
deadlines across the current year and issued; a year of progress reports —
some measures completed on time, some late, some overdue, some not started —
a split measure, and supervision actions (督办, 约谈, 责令整改, 通报批评).

Also a 依法治区办 clerk (``fazhiban_clerk``, 区司法局) who manages the plan.

The plan text comes from ../shared/seeds when present, else from the copy
of document 5 in ``fixtures/`` (so a fresh machine works). Idempotent: when
the 区政府 already has a plan of that title nothing is added. Everything goes
through the services as the system (audited).
"""

import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.ledger import parser, services
from fazhi.ledger.models import Plan, ProgressReport, SupervisionKind
from fazhi.org import services as org_services
from fazhi.org.demo import DEMO_PASSWORD, unit_name
from fazhi.org.models import Person, Role, RoleAssignment, Unit

FIXTURE = Path(__file__).parent / "fixtures" / "dadukou_plan_2017_2020.txt"
SEED_FILE = "000_3639c4cfda99f003.txt"

# measure number -> lead unit key (fazhi/org/demo.py UNITS)
LEADS = {
    1: "sfj", 2: "sfj", 3: "sfj", 4: "nyj", 5: "scj", 6: "zhzf", 7: "longfeng", 8: "sthj",
    9: "sfj", 10: "sfj", 11: "sfj", 12: "baisha", 13: "sthj", 14: "sfj", 15: "longfeng", 16: "sfj",
    17: "zhzf", 18: "nyj", 19: "scj", 20: "sfj", 21: "sfj", 22: "zhzf",
    23: "sfj", 24: "sfj", 25: "scj", 26: "longfeng", 27: "baisha", 28: "sfj",
    29: "longfeng", 30: "sfj", 31: "sfj", 32: "nyj", 33: "baisha", 34: "longfeng",
    35: "sfj", 36: "sfj", 37: "sfj", 38: "nyj", 39: "sfj", 40: "sfj", 41: "sfj", 42: "sfj",
}
PARTNERS = {"sfj": ("scj", "nyj"), "nyj": ("sfj",), "scj": ("sfj", "zhzf"), "zhzf": ("scj",),
            "sthj": ("zhzf", "nyj"), "longfeng": ("baisha",), "baisha": ("longfeng",)}
CLERK = ("fazhiban_clerk", "蒋文", "依法治区办综合科科员")


def _plan_text() -> str:
    seed = Path(settings.BASE_DIR).parent / "shared" / "seeds" / SEED_FILE
    if seed.is_file():
        return seed.read_text(encoding="utf-8")
    return FIXTURE.read_text(encoding="utf-8")


def _clerk(units):
    """The 依法治区办 clerk at the 区司法局 (the government's 法制机构)."""
    person = Person.objects.filter(user__username=CLERK[0]).first()
    if person is None:
        person, _ = org_services.create_person(units["sfj"], by=None, username=CLERK[0], name=CLERK[1],
                                               post=CLERK[2], password=DEMO_PASSWORD)
    if not RoleAssignment.objects.filter(person=person, role=Role.CLERK, unit=units["sfj"]).exists():
        org_services.grant_role(person, by=None, role=Role.CLERK, unit=units["sfj"])
    return person


def _deadline(n: int, year: int) -> date:
    if n == 40:  # the annual report: first quarter (RPT-04)
        return date(year, 3, 31)
    month = (n - 1) % 12 + 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


LATE = "演示数据：按当年实际推进情况补录"


def _clamp(d: date, year: int, today: date) -> date:
    return max(min(d, today), date(year, 1, 2))


def load(out) -> None:
    keys = set(LEADS.values()) | {"gov"}
    units = {k: Unit.objects.filter(name=unit_name(k)).first() for k in keys}
    if any(u is None for u in units.values()):
        out.write("任务台账：缺少演示单位（请先加载组织演示数据），已跳过")
        return
    with transaction.atomic():
        _clerk(units)
        text = _plan_text()
        parsed = parser.parse_plan(text)
        if Plan.objects.filter(unit=units["gov"], title=parsed.title[:200]).exists():
            out.write("任务台账：演示方案已存在，未重复导入")
            return
        _load(out, units, parsed, text)


def _load(out, units, parsed, text) -> None:
    today = timezone.localdate()
    year = today.year
    plan = services.import_plan(parsed, unit=units["gov"], by=None,
                                source_sha256=hashlib.sha256(text.encode()).hexdigest(),
                                source_name=SEED_FILE, source_text=parsed.text,
                                year_start=year, year_end=year)
    measures = {m.number: m for m in plan.measures.all()}
    for n, m in measures.items():
        lead = units[LEADS[n]]
        services.assign_measures([m], by=None, lead=lead, partners=[units[k] for k in PARTNERS[LEADS[n]]],
                                 deadline=_deadline(n, year))
    task_measure = measures[21]
    services.add_task(task_measure, by=None, unit=units["nyj"], title="农业综合执法人员持证情况清理",
                      deadline=_deadline(21, year) - timedelta(days=20))
    services.add_task(task_measure, by=None, unit=units["scj"], title="市场监管执法人员持证情况清理",
                      deadline=_deadline(21, year) - timedelta(days=20))
    services.activate_plan(plan, by=None)
    # The demo tells a year already under way: the plan was issued on 1 January
    # (every report and supervision date follows it, SYS-03).
    Plan.objects.filter(pk=plan.pk).update(
        activated_at=timezone.make_aware(datetime.combine(date(year, 1, 1), time(9))))
    plan.refresh_from_db()

    reports = 0
    for n, m in sorted(measures.items()):
        m.refresh_from_db()
        lead, due = units[LEADS[n]], m.due_on

        def rep(d, pct, txt, m=m, lead=lead):
            nonlocal reports
            services.report_progress(m, by=None, unit=lead, text=txt, percent=pct, report_date=d, today=today,
                                     late_reason=LATE)
            reports += 1

        pattern = n % 5
        start = _clamp(due - timedelta(days=75), year, today)
        if due < today:
            if pattern in (0, 3, 4):  # completed on time
                rep(start, 40, f"已制定工作方案，明确责任分工，完成{m.title}前期工作。")
                rep(_clamp(due - timedelta(days=5), year, today), 100, f"{m.title}各项工作已按期完成，形成工作总结。")
            elif pattern == 1:  # completed late, or still open when that is after today
                rep(start, 50, "正在推进，部分工作因机构调整有所滞后。")
                late = due + timedelta(days=12)
                if late <= today:
                    rep(late, 100, "滞后事项已整改到位，全部完成。")
            else:  # overdue
                rep(start, 30, "已启动，相关制度草案正在征求意见。")
        elif start < today and pattern in (0, 1, 2):
            rep(start, 20 + 10 * pattern, "按计划推进中，已完成调研和方案起草。")
    # 单位负责人审核报送: only confirmed reports count toward progress; the newest
    # report of every fourth measure still waits for its head (待确认).
    waiting = set()
    for n, m in measures.items():
        last = ProgressReport.objects.filter(measure=m).order_by("-report_date", "-pk").first()
        if n % 4 == 0 and last is not None:
            waiting.add(last.pk)
    for r in ProgressReport.objects.filter(measure__plan=plan).exclude(pk__in=waiting).order_by("pk"):
        services.review_report(r, by=None, confirm=True, note="情况属实", today=today)

    overdue = [m for m in plan.measures.filter(completed_on__isnull=True, due_on__lt=today).order_by("number")]
    sups = 0
    kinds = [SupervisionKind.URGE, SupervisionKind.TALK, SupervisionKind.RECTIFY, SupervisionKind.CRITICISE]
    for m, kind in zip(overdue, kinds, strict=False):
        issued = _clamp(m.due_on + timedelta(days=7), year, today)
        a = services.create_supervision(m, by=None, unit=m.lead_unit, kind=kind, issued_on=issued, today=today,
                                        late_reason=LATE,
                                        reason=f"措施{m.number}“{m.title}”已超过完成时限仍未完成，请限期报告原因并整改。")
        sups += 1
        if kind in (SupervisionKind.RECTIFY, SupervisionKind.CRITICISE):
            services.respond_supervision(a, by=None, response="已召开专题会议研究整改，明确完成时间。", today=today)
            if kind == SupervisionKind.CRITICISE:
                services.close_supervision(a, by=None, note="整改情况已核实", today=today)
    out.write(f"任务台账：导入方案“{plan.title}”{len(measures)} 项措施并下达，推进情况报送 {reports} 条，"
              f"督办问责 {sups} 项（方案管理账号 {CLERK[0]}）")
