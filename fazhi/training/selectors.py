"""Every non-trivial read of 学法用法, scoped through fazhi.org.access.

* Sessions: those organised by units where the user holds ``training.view``.
* Hours and the shortfall list: people of units where the user holds
  ``training.view_all`` (经办人/负责人/单位管理员 of their units; 考核员,
  assigned at the government with its subunits, sees every unit).

Hours are aggregated in the database (one query per list, no N+1): a
person's hours in a year are the credited hours of sessions held that
calendar year (LAW-05). The required minimum is ENF-26 for people holding
the 执法人员 role and LAW-04 (default 0 = none) for others.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from fazhi.core.errors import NotFound
from fazhi.core.manifest import DashboardItem
from fazhi.org import access
from fazhi.org.models import Person, Role, RoleAssignment
from fazhi.training import rules
from fazhi.training.models import Attendance, Exam, ExamScore, Status, TrainingSession

VIEW, MANAGE, VIEW_ALL = "training.view", "training.manage", "training.view_all"
HOURS = DecimalField(max_digits=7, decimal_places=1)


# ---------------------------------------------------------------- sessions

def sessions_for(user) -> QuerySet:
    q = access.unit_q(user, VIEW) | access.unit_q(user, VIEW_ALL)
    return (TrainingSession.objects.filter(q).select_related("unit")
            .annotate(attendee_count=Count("attendances", filter=Q(attendances__attended=True))))


def session_list(user, *, year: int | None = None, kind: str = "", unit: int | None = None,
                 status: str = "", q: str = "") -> QuerySet:
    qs = sessions_for(user)
    if year:
        start, end = rules.year_bounds(year)
        qs = qs.filter(date__range=(start, end))
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(unit_id=unit)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(law_name__icontains=q) | Q(lecturer__icontains=q))
    return qs


def get_session(user, pk) -> TrainingSession:
    s = sessions_for(user).filter(pk=pk).first()
    if s is None:
        raise NotFound()
    return s


def attendance_rows(session: TrainingSession) -> QuerySet:
    return session.attendances.select_related("person__unit", "recorded_by__person").order_by(
        "person__unit__path", "person__name", "pk")


def exams_for(user) -> QuerySet:
    q = access.unit_q(user, VIEW) | access.unit_q(user, VIEW_ALL)
    return (Exam.objects.filter(q).select_related("unit", "session")
            .annotate(score_count=Count("scores"), passed_count=Count("scores", filter=Q(scores__passed=True))))


def get_exam(user, pk) -> Exam:
    e = exams_for(user).filter(pk=pk).first()
    if e is None:
        raise NotFound()
    return e


def score_rows(exam: Exam) -> QuerySet:
    return exam.scores.select_related("person__unit").order_by("person__unit__path", "person__name", "pk")


# ------------------------------------------------------------------- hours

def _hours_in_year(year: int):
    """Subquery: a person's credited hours in ``year`` (sessions held that year)."""
    start, end = rules.year_bounds(year)
    sums = (Attendance.objects.filter(person=OuterRef("pk"), attended=True, session__status=Status.HELD,
                                      session__date__range=(start, end))
            .order_by().values("person").annotate(total=Sum("hours")).values("total"))
    return Coalesce(Subquery(sums, output_field=HOURS), Value(Decimal("0"), output_field=HOURS))


def _is_officer():
    return Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role=Role.OFFICER))


def people_with_hours(user, year: int) -> QuerySet:
    """Active people of the user's hours scope, each with ``hours``,
    ``is_officer``, ``required`` and ``missing`` (≥ 0) for ``year``."""
    officer, staff = rules.officer_hours(), rules.staff_hours()
    return (Person.objects.filter(access.unit_q(user, VIEW_ALL), is_active=True)
            .select_related("unit")
            .annotate(hours=_hours_in_year(year),
                      is_officer=ExpressionWrapper(_is_officer(), output_field=BooleanField()))
            .annotate(required=Case(When(is_officer=True, then=Value(officer)), default=Value(staff),
                                    output_field=HOURS))
            .annotate(missing=Case(When(hours__lt=F("required"),
                                        then=ExpressionWrapper(F("required") - F("hours"), output_field=HOURS)),
                                   default=Value(Decimal("0")), output_field=HOURS)))


def shortfall(user, year: int, *, unit: int | None = None) -> QuerySet:
    """People short of the yearly minimum (ENF-26 for officers; LAW-04 for
    other staff when a local minimum is set), ordered by unit then name."""
    qs = people_with_hours(user, year).filter(hours__lt=F("required"), required__gt=0)
    if unit:
        qs = qs.filter(unit_id=unit)
    return qs.order_by("unit__path", "name")


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    unit_name: str
    required_people: int
    short_people: int


def shortfall_by_unit(user, year: int) -> list[UnitSummary]:
    """Per unit: people with a requirement and how many are short (one query)."""
    rows = (people_with_hours(user, year).filter(required__gt=0).order_by()
            .values("unit_id", "unit__name", "unit__path")
            .annotate(n=Count("pk"), short=Count("pk", filter=Q(hours__lt=F("required"))))
            .order_by("unit__path"))
    return [UnitSummary(r["unit_id"], r["unit__name"], r["n"], r["short"]) for r in rows]


def person_hours(person: Person, year: int) -> Decimal:
    start, end = rules.year_bounds(year)
    total = Attendance.objects.filter(person=person, attended=True, session__status=Status.HELD,
                                      session__date__range=(start, end)).aggregate(t=Sum("hours"))["t"]
    return total or Decimal("0")


def is_officer(person: Person) -> bool:
    return RoleAssignment.objects.filter(person=person, role=Role.OFFICER).exists()


@dataclass
class YearRecord:
    year: int
    hours: Decimal
    required: Decimal
    sessions: list
    scores: list

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.hours, Decimal("0"))


def training_record(person: Person) -> list[YearRecord]:
    """A person's record (LAW-05): hours, sessions and exam results by year,
    newest first (two queries)."""
    officer = is_officer(person)
    required = rules.required_hours(is_officer=officer)
    atts = list(Attendance.objects.filter(person=person, session__status=Status.HELD)
                .select_related("session__unit").order_by("-session__date", "-pk"))
    scores = list(ExamScore.objects.filter(person=person).select_related("exam").order_by("-exam__date", "-pk"))
    years: dict[int, YearRecord] = {}
    for a in atts:
        y = years.setdefault(a.session.date.year, YearRecord(a.session.date.year, Decimal(0), required, [], []))
        y.sessions.append(a)
        if a.attended:
            y.hours += a.hours
    for s in scores:
        y = years.setdefault(s.exam.date.year, YearRecord(s.exam.date.year, Decimal(0), required, [], []))
        y.scores.append(s)
    return sorted(years.values(), key=lambda y: -y.year)


def get_person(user, pk) -> Person:
    """A person whose record the user may read: themself, or in the hours scope."""
    me = access.person_of(user)
    if me is not None and str(me.pk) == str(pk):
        return me
    p = Person.objects.filter(access.unit_q(user, VIEW_ALL), pk=pk).select_related("unit").first()
    if p is None:
        raise NotFound()
    return p


# --------------------------------------------------------------- dashboard

def dashboard_items(user, today: date) -> list[DashboardItem]:
    """An officer short of hours this year: hours done vs required (ENF-26).
    In Q4, a unit admin or assessor: how many people are still short in
    their units."""
    items = []
    me = access.person_of(user)
    if me is not None and access.has_role(user, Role.OFFICER) and is_officer(me):
        required = rules.officer_hours()
        done = person_hours(me, today.year)
        if required > 0 and done < required:
            items.append(DashboardItem(
                "due_soon", f"本年度学法培训已完成 {done} / {required} 学时，尚差 {required - done} 学时",
                reverse("training:my_record"), due=date(today.year, 12, 31), module="学法用法",
                note=f"依据 {rules.RULE_OFFICER_HOURS}"))
    if rules.in_last_quarter(today) and (access.has_role(user, Role.UNIT_ADMIN)
                                         or access.has_role(user, Role.ASSESSOR)):
        n = shortfall(user, today.year).count()
        if n:
            items.append(DashboardItem(
                "due_soon", f"所辖单位有 {n} 人本年度学时未达标",
                reverse("training:shortfall") + f"?year={today.year}", due=date(today.year, 12, 31),
                module="学法用法", note=f"依据 {rules.RULE_OFFICER_HOURS}"))
    return items
