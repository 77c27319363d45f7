"""Automatic expiry, renewal (NDOC-17) and clean-up campaigns (NDOC-18)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.normative_docs import services
from fazhi.normative_docs.models import CleanupCampaign, FilingStatus, Status
from fazhi.normative_docs.selectors import cleanup_lists, documents_in_force, valid_basis
from fazhi.normative_docs.tests.factories import make_doc


def at(d: date):
    return timezone.make_aware(datetime(d.year, d.month, d.day, 3, 0))


@pytest.fixture
def in_force(nd):
    doc = make_doc("published", unit=nd.a)
    assert doc.valid_until == date(2031, 5, 30)  # effective 2026-05-31, 5 years
    return doc


# ------------------------------------------------------------------ expiry

def test_expiry_on_the_day_after_valid_until(in_force):
    assert services.expire_due(at(in_force.valid_until)) == 0
    in_force.refresh_from_db()
    assert in_force.status == Status.PUBLISHED
    assert services.expire_due(at(in_force.valid_until + timedelta(1))) == 1
    in_force.refresh_from_db()
    assert in_force.status == Status.EXPIRED and in_force.expired_on == date(2031, 5, 31)
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "normative_docs.doc.expired" and entry.actor_name == "系统"
    assert entry.data["automatic"] is True


def test_expiry_is_idempotent(in_force):
    services.expire_due(at(date(2032, 1, 1)))
    n = AuditEntry.objects.count()
    assert services.expire_due(at(date(2032, 1, 2))) == 0
    assert AuditEntry.objects.count() == n


def test_an_expired_document_is_no_basis(in_force):
    assert valid_basis(in_force, date(2031, 5, 30))
    assert not valid_basis(in_force, date(2031, 5, 31))  # even before the job ran
    assert in_force not in documents_in_force(date(2031, 5, 31))


def test_the_job_is_registered():
    from fazhi.core import jobs
    from fazhi.normative_docs.jobs import EXPIRE_JOB

    assert EXPIRE_JOB in {j.name for j in jobs.registry.jobs()}


def test_the_job_runs_expiry(in_force):
    from fazhi.normative_docs.jobs import expire_due

    expire_due(at(date(2031, 6, 1)))
    in_force.refresh_from_db()
    assert in_force.status == Status.EXPIRED


# ----------------------------------------------------------------- renewal

def test_renewal_within_the_evaluation_window(nd, in_force):
    old_number = in_force.doc_number
    services.renew(in_force, by=nd.reviewer, today=date(2031, 3, 1), evaluation="评估后继续有效")
    in_force.refresh_from_db()
    assert in_force.status == Status.PUBLISHED
    assert in_force.doc_number != old_number and in_force.doc_number.endswith("〔2031〕1号")
    assert in_force.published_on == date(2031, 3, 1) and in_force.valid_until == date(2036, 2, 29)
    assert in_force.previous_numbers[0]["doc_number"] == old_number
    assert in_force.filing_status == FilingStatus.NOT_FILED and in_force.filing_due == date(2031, 3, 16)
    assert AuditEntry.objects.latest("seq").action == "normative_docs.doc.renewed"


def test_renewal_before_the_window_is_refused(nd, in_force):
    with pytest.raises(TransitionRefused) as e:
        services.renew(in_force, by=nd.reviewer, today=date(2030, 11, 29), evaluation="x")
    assert e.value.rule == "NDOC-17"


def test_renewal_after_expiry_is_refused(nd, in_force):
    services.expire_due(at(date(2031, 6, 1)))
    with pytest.raises(TransitionRefused):
        services.renew(in_force, by=nd.reviewer, today=date(2031, 6, 1), evaluation="x")


def test_a_clerk_cannot_renew(nd, in_force):
    with pytest.raises(PermissionDenied):
        services.renew(in_force, by=nd.clerk_a, today=date(2031, 3, 1), evaluation="x")


# ----------------------------------------------------------------- clean-up

@pytest.fixture
def three(nd):
    return [make_doc("published", unit=nd.a, title=f"办法{i}") for i in range(3)]


def test_a_campaign_selects_the_documents_in_force(nd, three):
    make_doc("drafting", unit=nd.a)
    c = services.start_cleanup(unit=nd.gov, name="2026年度规范性文件清理", kind="periodic",
                               started_on=date(2026, 9, 1), by=nd.reviewer)
    assert c.decisions.count() == 3
    assert AuditEntry.objects.latest("seq").action == "normative_docs.cleanup.started"


def test_a_special_campaign_names_the_law(nd):
    with pytest.raises(ValidationError) as e:
        services.start_cleanup(unit=nd.gov, name="专项清理", kind="special", started_on=date(2026, 9, 1),
                               by=nd.reviewer)
    assert "trigger_law" in e.value.fields
    assert not CleanupCampaign.objects.exists()


def test_a_clerk_cannot_start_a_campaign(nd):
    with pytest.raises(PermissionDenied):
        services.start_cleanup(unit=nd.gov, name="x", kind="periodic", started_on=date(2026, 9, 1), by=nd.clerk_a)


def test_publishing_the_three_lists(nd, three):
    keep, drop, dead = three
    c = services.start_cleanup(unit=nd.gov, name="《行政处罚法》修订专项清理", kind="special",
                               trigger_law="中华人民共和国行政处罚法", started_on=date(2026, 9, 1), by=nd.reviewer)
    services.decide_cleanup(c, keep, decision="continue", reason="", by=nd.reviewer)
    services.decide_cleanup(c, drop, decision="repeal", reason="与修订后的上位法不一致", by=nd.reviewer)
    with pytest.raises(TransitionRefused) as e:
        services.publish_cleanup(c, by=nd.reviewer, today=date(2026, 10, 1))
    assert e.value.rule == "NDOC-18" and "1件" in e.value.message
    services.decide_cleanup(c, dead, decision="expire", reason="调整对象已消失", by=nd.reviewer)
    services.publish_cleanup(c, by=nd.reviewer, today=date(2026, 10, 1))
    for d in three:
        d.refresh_from_db()
    assert (keep.status, drop.status, dead.status) == (Status.PUBLISHED, Status.REPEALED, Status.EXPIRED)
    lists = cleanup_lists(c)
    assert [d.doc for d in lists["continuing"]] == [keep]
    assert [d.doc for d in lists["repeal"]] == [drop]
    assert [d.doc for d in lists["expire"]] == [dead]
    c.refresh_from_db()
    assert c.state == CleanupCampaign.State.PUBLISHED
    with pytest.raises(TransitionRefused):
        services.decide_cleanup(c, keep, decision="repeal", reason="x", by=nd.reviewer)


def test_a_repeal_decision_needs_a_reason(nd, three):
    c = services.start_cleanup(unit=nd.gov, name="清理", kind="periodic", started_on=date(2026, 9, 1), by=nd.reviewer)
    with pytest.raises(ValidationError):
        services.decide_cleanup(c, three[0], decision="repeal", reason="", by=nd.reviewer)


def test_only_documents_in_force_can_be_added(nd):
    c = services.start_cleanup(unit=nd.gov, name="清理", kind="periodic", started_on=date(2026, 9, 1), by=nd.reviewer)
    with pytest.raises(ValidationError) as e:
        services.add_to_cleanup(c, [make_doc("signed", unit=nd.a)], by=nd.reviewer)
    assert e.value.rule == "NDOC-18"
