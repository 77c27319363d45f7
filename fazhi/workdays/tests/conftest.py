from datetime import date
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
