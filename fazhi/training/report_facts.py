"""Facts of 学法用法 for the annual 法治政府建设情况报告 (fazhi.annual_report).

Read-only, a fixed number of queries whatever the number of units: the scope
is a unit and the units below it (prefix match on the materialised path).
Years are calendar years by the session date (rules.year_bounds).
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse

from fazhi.org.models import Person, Role, RoleAssignment
from fazhi.training import rules
from fazhi.training.models import Attendance, ExamScore, Status, TrainingSession
from fazhi.training.selectors import _hours_in_year


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def year_facts(unit, year: int, *, today: date) -> dict:
    """Sessions held in ``year`` by ``unit`` and the units below it (count,
    hours, attendances), exams (sat, passed), enforcement officers meeting the
    yearly minimum (ENF-26), and the study of the unit's heads (单位负责人 of
    ``unit`` itself: hours and sessions attended; LAW-05). Five queries."""
    path = unit.path
    start, end = rules.year_bounds(year)
    sessions = TrainingSession.objects.filter(unit__path__startswith=path, status=Status.HELD,
                                              date__range=(start, end)).aggregate(n=Count("pk"), hours=Sum("hours"))
    attendances = Attendance.objects.filter(session__unit__path__startswith=path, session__status=Status.HELD,
                                            session__date__range=(start, end), attended=True).count()
    exams = ExamScore.objects.filter(exam__unit__path__startswith=path, exam__date__range=(start, end)).aggregate(
        sat=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    required = rules.officer_hours()
    hours = list(Person.objects.filter(unit__path__startswith=path, is_active=True)
                 .filter(Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role=Role.OFFICER)))
                 .annotate(hours=_hours_in_year(year)).values_list("hours", flat=True))
    officers = {"n": len(hours), "met": sum(1 for h in hours if (h or 0) >= required)}
    heads = list(
        Person.objects.filter(is_active=True, roles__role=Role.HEAD, roles__unit=unit).distinct()
        .annotate(hours=_hours_in_year(year),
                  sessions=Count("training_attendances", distinct=True,
                                 filter=Q(training_attendances__attended=True,
                                          training_attendances__session__status=Status.HELD,
                                          training_attendances__session__date__range=(start, end))))
        .order_by("name").values("name", "post", "hours", "sessions")
    )
    return {
        "list_url": _url("training:session_list", query=f"unit={unit.pk}&year={year}"),
        "shortfall_url": _url("training:shortfall", query=f"year={year}"),
        "sessions": sessions["n"],
        "hours": sessions["hours"] or Decimal("0"),
        "attendances": attendances,
        "exam_scores": exams["sat"],
        "exam_passed": exams["passed"],
        "officers": officers["n"],
        "officers_met": officers["met"],
        "required_hours": required,
        "heads": [{"name": h["name"], "post": h["post"], "hours": h["hours"] or Decimal("0"),
                   "sessions": h["sessions"]} for h in heads],
    }
