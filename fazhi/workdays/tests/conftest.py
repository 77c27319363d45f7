from datetime import date, timedelta
from pathlib import Path

import pytest

from fazhi.org.tests.factories import person_with_role
from fazhi.workdays.models import CalendarYear, Holiday

NOTICES = Path(__file__).parent / "notices"


def d(text: str) -> date:
    return date.fromisoformat(text)


def dates(*texts: str) -> set[date]:
    return {d(t) for t in texts}


def span(first: str, last: str) -> set[date]:
    a, b = d(first), d(last)
    return {date.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)}


# The published arrangements (rules.md CAL-05, CAL-06).
OFF_2025 = (dates("2025-01-01") | span("2025-01-28", "2025-02-04") | span("2025-04-04", "2025-04-06")
            | span("2025-05-01", "2025-05-05") | span("2025-05-31", "2025-06-02") | span("2025-10-01", "2025-10-08"))
WORK_2025 = dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
OFF_2026 = (span("2026-01-01", "2026-01-03") | span("2026-02-15", "2026-02-23") | span("2026-04-04", "2026-04-06")
            | span("2026-05-01", "2026-05-05") | span("2026-06-19", "2026-06-21") | span("2026-09-25", "2026-09-27")
            | span("2026-10-01", "2026-10-07"))
WORK_2026 = dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")


@pytest.fixture
def notice_2025() -> str:
    return (NOTICES / "2025.txt").read_text(encoding="utf-8")


@pytest.fixture
def notice_2026() -> str:
    return (NOTICES / "2026.txt").read_text(encoding="utf-8")


@pytest.fixture
def no_2027(db):
    """2027 has no confirmed arrangement (today is 2026-11-26), whatever the
    installed chinesecalendar version ships."""
    Holiday.objects.filter(date__year=2027).delete()
    Holiday.objects.filter(year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()


def _person(role):
    person = person_with_role(role)
    # The factory sets the password after the INSERT; save it so the
    # session's password-hash check accepts force_login.
    person.user.save()
    return person


@pytest.fixture
def admin_person(db):
    return _person("admin")


@pytest.fixture
def clerk(db):
    return _person("clerk")


# -- an independent count -------------------------------------------------------

# Before the notice: weekends and the fixed-date holidays (CAL-02 estimate).
ESTIMATE_OFF = dates("2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03")
# The hypothetical notice.
NOTICE_OFF = (span("2027-01-01", "2027-01-03") | span("2027-02-05", "2027-02-12") | span("2027-04-03", "2027-04-05")
              | span("2027-05-01", "2027-05-05") | dates("2027-06-09", "2027-09-15") | span("2027-10-01", "2027-10-07"))
NOTICE_WORK = dates("2027-02-20", "2027-05-08", "2027-09-26", "2027-10-09")


def working(day: date, off: set, work: set) -> bool:
    return day in work or (day.weekday() < 5 and day not in off)


def nth_workday(start: date, n: int, off: set, work: set = frozenset()) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if working(day, off, work):
            n -= 1
    return day


def first_workday_from(day: date, off: set, work: set = frozenset()) -> date:
    while not working(day, off, work):
        day += timedelta(days=1)
    return day


# -- records of three and more modules, computed while 2027 was an estimate --------


@pytest.fixture
def notice_2027() -> str:
    """A hypothetical 2027 notice (the real one is not out yet): 春节 5–12
    February off, Saturday 20 February a make-up working day."""
    return (NOTICES / "2027-hypothetical.txt").read_text(encoding="utf-8")


@pytest.fixture
def records(no_2027):
    """Deadlines stored by the modules' own services and rules before the 2027
    notice: each runs across 春节 2027."""
    from fazhi.enforcement.tests.factories import make_case
    from fazhi.inspections import rules as ins_rules
    from fazhi.inspections.tests.factories import InspectionFactory
    from fazhi.ledger import parser
    from fazhi.ledger import services as ledger
    from fazhi.major_decisions import rules as md_rules
    from fazhi.major_decisions.tests.factories import LegalReviewFactory
    from fazhi.normative_docs.tests.factories import make_doc
    from fazhi.org.tests.factories import UnitFactory

    # normative_docs: legality review accepted 2027-01-29 (15 WD), adopted 2027-02-05 (publish in 20 WD).
    doc = make_doc("to_sign", today=date(2026, 12, 17))
    # enforcement: discovered and filed 2027-01-28 (file in 15 WD), notice served 2027-01-29 (5 WD).
    case = make_case("notified", today=date(2027, 1, 28))
    # inspections: checked 2027-01-25, publish within 20 WD (RAND-07).
    unit = UnitFactory()
    due = ins_rules.publish_due(date(2027, 1, 25))
    inspection = InspectionFactory(unit=unit, year=2027, status="recorded", result="corrected", findings="已责令改正",
                                   inspected_on=date(2027, 1, 25), publish_due=due.due,
                                   publish_due_provisional=due.provisional, publish_due_rule=ins_rules.publish_rule_text())
    # major_decisions: submitted for legality review 2027-02-03 (at least 7 WD).
    md_due = md_rules.legal_review_due(date(2027, 2, 3))
    md_review = LegalReviewFactory(submitted_on=date(2027, 2, 3), due=md_due.due, due_provisional=md_due.provisional,
                                   due_rule=md_due.rule_text, opinion="", text="", decided_on=None)
    # ledger: a measure due on Monday 2027-02-08 (a working day until the notice).
    lead = UnitFactory(name="示范区司法局")
    plan = ledger.import_plan(parser.parse_plan(PLAN), unit=UnitFactory(), by=None, source_sha256="b" * 64)
    measure = plan.measures.get(number=1)
    ledger.assign_measures([measure], by=None, lead=lead, deadline=date(2027, 2, 8))
    for obj in (doc, case, measure):
        obj.refresh_from_db()
    return {"doc": doc, "review": doc.legal_reviews.get(), "case": case, "inspection": inspection,
            "md_review": md_review, "measure": measure}


PLAN = """示范区法治政府建设实施方案(2027年)
二、主要任务
(一)依法全面履行政府职能
1.推进权责清单管理。全面梳理权力事项。
牵头单位:示范区司法局
完成时限:2027年2月8日
"""

