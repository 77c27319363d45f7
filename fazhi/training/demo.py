"""Demo data of 学法用法: a year of sessions (a 新法施行前培训, 法律知识, 业务),
attendance of the demo officers — 何建军 above the 60 学时 of ENF-26, 罗鹏 and
唐刚 short — and an exam with scores.

Called by ``manage.py load_demo`` after org's loader. Idempotent: a session
is looked up by (unit, topic, date), an exam by (unit, title); everything
goes through the services as the system, so every step is audited. Dates
are in the current year, so the shortfall screen and the dashboard show
something; sessions later than today stay 计划.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from fazhi.org.demo import unit_name
from fazhi.org.models import Person, Unit
from fazhi.training import services
from fazhi.training.importer import Row
from fazhi.training.models import Exam, Kind, Status, TrainingSession

OFFICERS = ("何建军", "罗鹏", "唐刚")


def _sessions(year: int):
    """(unit key, topic, date, hours, kind, law, effective, lecturer, location, attendance)."""
    if year == 2026:
        # 行政执法监督条例 (国务院令第825号) takes effect 2026-02-01 (ENF-27).
        law, effective, pre_date = "行政执法监督条例", date(2026, 2, 1), date(2026, 1, 16)
    else:
        law, effective, pre_date = "行政执法公示办法（修订）", date(year, 3, 1), date(year, 2, 20)
    return (
        ("sfj", f"《{law}》施行前专题培训", pre_date, "6", Kind.NEW_LAW, law, effective, "杨帆", "区政府三楼会议室",
         [("何建军", None), ("罗鹏", None), ("唐刚", None), ("杨帆", None), ("马丽华", None)]),
        ("sfj", "《行政处罚法》专题培训班", date(year, 3, 12), "16", Kind.LAW, "", None, "马丽华", "区委党校",
         [("何建军", None), ("罗鹏", None), ("唐刚", None)]),
        ("nyj", "农业综合行政执法业务能力提升培训", date(year, 5, 20), "24", Kind.BUSINESS, "", None,
         "刘洪军", "区农业农村局培训中心", [("何建军", None), ("罗鹏", False)]),
        ("sfj", "《行政复议法》（2023年修订）解读", date(year, 7, 8), "8", Kind.LAW, "", None, "杨帆",
         "区政府三楼会议室", [("何建军", None), ("唐刚", None)]),
        ("nyj", "行政执法案卷评查标准与文书制作", date(year, 9, 16), "12", Kind.BUSINESS, "", None, "陈晓燕",
         "区农业农村局五楼会议室", [("何建军", None), ("罗鹏", "6")]),
        ("sfj", "年度学法考试考前辅导", date(year, 12, 10), "4", Kind.LAW, "", None, "马丽华", "区委党校", []),
    )


def load(out=None):
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.filter(name__in=[unit_name("sfj"), unit_name("nyj")])}
    if len(units) < 2 or not Person.objects.filter(name__in=OFFICERS).exists():
        if out:
            out.write("学法用法：未找到演示单位或人员，跳过")
        return None
    created = 0
    by_topic = {}
    for key, topic, when, hours, kind, law, effective, lecturer, location, people in _sessions(today.year):
        unit = units[unit_name(key)]
        session = TrainingSession.objects.filter(unit=unit, topic=topic, date=when).first()
        if session is None:
            session = services.create_session(
                unit, by=None, topic=topic, date=when, hours=Decimal(hours), kind=kind,
                pre_implementation=bool(law), law_name=law, law_effective_on=effective,
                location=location, lecturer=lecturer)
            created += 1
            if when <= today:
                session = services.complete_session(session, by=None, today=today)
                rows = [Row(line=i, name=n, attended=att is not False,
                            hours=Decimal(att) if isinstance(att, str) else None)
                        for i, (n, att) in enumerate(people, start=1)]
                rows = [r for r in rows if Person.objects.filter(name=r.name, is_active=True).count() == 1]
                if rows:
                    services.record_attendance(session, by=None, rows=rows)
        by_topic[topic] = session
    held = by_topic["《行政处罚法》专题培训班"]
    exam_title = "《行政处罚法》专题培训结业考试"
    if held.status == Status.HELD and not Exam.objects.filter(unit=held.unit, title=exam_title).exists():
        exam = services.create_exam(held.unit, by=None, session=held, title=exam_title, date=held.date,
                                    pass_mark=Decimal("60"))
        scores = [Row(line=i, name=n, score=Decimal(v)) for i, (n, v) in
                  enumerate((("何建军", "92"), ("罗鹏", "58"), ("唐刚", "75")), start=1)]
        services.record_scores(exam, by=None, rows=scores, today=today)
    if out:
        out.write(f"学法用法：新增培训 {created} 场")
    return None
