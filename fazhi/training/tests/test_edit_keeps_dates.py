"""Saving the session form keeps the dates the person did not touch (issue 13
§2 "Dates"); the form is submitted as a browser would send it."""

from datetime import date

from django.urls import reverse

from fazhi.core.testing import browser_form
from fazhi.training.tests.factories import SessionFactory
from fazhi.training.tests.test_views import client_for


def test_changing_the_location_keeps_the_session_and_law_dates(tr):
    s = SessionFactory(unit=tr.a, date=date(2026, 1, 5), pre_implementation=True, law_name="《种子法》",
                       law_effective_on=date(2026, 3, 1))
    c = client_for(tr.clerk_a)
    page = reverse("training:session_edit", args=[s.pk])
    data = browser_form(c.get(page).content.decode(), "location")
    assert data["date"] == ["2026-01-05"] and data["law_effective_on"] == ["2026-03-01"]
    data["location"] = ["三楼会议室"]
    assert c.post(page, data).status_code == 302
    s.refresh_from_db()
    assert (s.location, s.date, s.law_effective_on) == ("三楼会议室", date(2026, 1, 5), date(2026, 3, 1))
