"""Every step has its form on the case page, and 两法衔接 is in the case's own trail.

On main the notice step never appeared (its guard read the fields only the
notice form fills), the facts and violation type could not be changed after
registration, and transfers, replies and the resulting termination were
recorded on the transfer only."""

from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.tests.factories import default_type, make_case

D = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin(monkeypatch):
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: D)
    monkeypatch.setattr("fazhi.enforcement.views.common.now", lambda: timezone.make_aware(datetime.combine(D, time(18))))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def page(user, case) -> str:
    return client_for(user).get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()


def url(case, step) -> str:
    return reverse("enforcement:case_action", args=[case.pk, step])


def test_the_notice_step_is_offered_once_the_case_is_filed(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    text = page(enf.officer_a, case)
    assert url(case, "notify") in text and "notify-served_on" not in text


def test_the_facts_and_the_violation_type_have_a_form_and_make_the_decision_possible(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D, violation_type=None, facts="",
                     with_records=True)
    assert url(case, "case_info") in page(enf.officer_a, case)  # the page offers the form …
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    text = page(enf.head_a, case)
    assert "作出处罚决定须有违法事实" in text  # … and tells why the decision waits (ENF-10)
    # Before the notice the facts and the type can be set through that form:
    fresh = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D, violation_type=None,
                      facts="")
    vt = default_type(enf.a)
    resp = client_for(enf.officer_a).post(url(fresh, "case_info"), {
        "case_info-cause": fresh.cause, "case_info-facts": "在集市销售假种子20袋", "case_info-violation_type": vt.pk,
        "case_info-severity": "general"})
    assert resp.status_code == 302
    fresh.refresh_from_db()
    assert fresh.facts == "在集市销售假种子20袋" and fresh.violation_type == vt and fresh.severity == "general"


def test_the_discussion_form_offers_the_organs_heads(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    services.submit_discussion(case, by=None, today=case.notice_served_on)
    text = page(enf.head_a, case)
    assert url(case, "record_discussion") in text and "局长甲" in text


def test_a_transfer_its_reply_and_the_termination_are_in_the_cases_trail(enf, monkeypatch):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    t = services.transfer_to_police(case, by=enf.officer_a, today=D, transferred_on=D, receiving_organ="示范区公安分局",
                                    suspected_crime="销售伪劣种子罪", reason="货值金额较大")
    reply_on = D + timedelta(days=3)
    services.record_transfer_reply(t, by=enf.officer_a, today=reply_on, reply_on=reply_on, accepted=True,
                                   reply="已立案侦查", outcome="移交公安机关")
    services.record_transfer_outcome(t, by=enf.officer_a, outcome="已判决")
    trail = list(AuditEntry.objects.filter(object_type="enforcement.penaltycase", object_id=str(case.pk))
                 .values_list("action", flat=True))
    assert {"enforcement.case.transferred", "enforcement.case.terminated_by_transfer",
            "enforcement.case.transfer_outcome"} <= set(trail)
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED and case.terminated_on == reply_on
    text = page(enf.officer_a, case)
    assert "本案留痕" in text and "公安机关已立案，行政案件终止" in text and "移送示范区公安分局" in text
