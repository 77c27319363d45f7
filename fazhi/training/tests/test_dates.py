"""Dates in training (SYS-03, issue 12 §0). A session may be planned for
the future, but attendance is dated by a session that was held, so a held
session cannot be moved after the server's today; an exam linked to a
session cannot be dated before it (its scores follow the session). Both
tests failed before the change (any date was accepted)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.errors import ValidationError
from fazhi.training import services
from fazhi.training.models import Exam, Kind, Status

TODAY = date(2026, 11, 26)


def _session(tr, on=date(2026, 3, 10)):
    return services.create_session(tr.a, by=tr.clerk_a.user, topic="行政处罚法培训", date=on, hours=Decimal("8"),
                                   kind=Kind.LAW)


def test_a_planned_session_may_still_be_moved_into_the_future(tr):
    s = _session(tr, on=TODAY + timedelta(days=10))
    s = services.update_session(s, by=tr.clerk_a.user, today=TODAY, date=TODAY + timedelta(days=20))
    assert s.date == TODAY + timedelta(days=20) and s.status == Status.PLANNED


def test_a_held_session_cannot_be_moved_after_today(tr):
    s = services.complete_session(_session(tr), by=tr.clerk_a.user, today=TODAY)
    with pytest.raises(ValidationError) as e:
        services.update_session(s, by=tr.clerk_a.user, today=TODAY, date=TODAY + timedelta(days=1))
    assert e.value.rule == "SYS-03" and "不能晚于今天" in e.value.message
    s.refresh_from_db()
    assert s.date == date(2026, 3, 10)
    moved = services.update_session(s, by=tr.clerk_a.user, today=TODAY, date=date(2026, 3, 11))
    assert moved.date == date(2026, 3, 11)


def test_the_edit_page_shows_the_refusal(tr):
    s = services.complete_session(_session(tr), by=tr.clerk_a.user, today=TODAY)
    c = Client()
    c.force_login(tr.clerk_a.user)
    future = (date.today() + timedelta(days=5)).isoformat()
    resp = c.post(reverse("training:session_edit", args=[s.pk]), {
        "unit": tr.a.pk, "topic": s.topic, "date": future, "hours": "8", "kind": Kind.LAW})
    assert resp.status_code in (200, 400) and "不能晚于今天" in resp.content.decode()
    s.refresh_from_db()
    assert s.date == date(2026, 3, 10)


def test_an_exam_cannot_be_dated_before_its_session(tr):
    s = _session(tr)
    with pytest.raises(ValidationError) as e:
        services.create_exam(tr.a, by=tr.clerk_a.user, title="结业考试", date=date(2026, 3, 9), session=s)
    assert e.value.rule == "SYS-03" and "不能早于" in e.value.message
    assert not Exam.objects.exists()
    assert services.create_exam(tr.a, by=tr.clerk_a.user, title="结业考试", date=date(2026, 3, 10), session=s)
