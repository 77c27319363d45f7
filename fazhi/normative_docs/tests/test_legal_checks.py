"""Issue 12 §0 for normative documents: dates a person enters (SYS-03), people
recorded in a legal capacity (SYS-02), separation of duties (SYS-01), who may
issue (NDOC-01, 国办发〔2018〕37号) and re-filing after 退回补正 (NDOC-14)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.normative_docs import selectors, services
from fazhi.normative_docs.models import Filing, FilingStatus, MeetingType, Status
from fazhi.normative_docs.tests.factories import FULL_PACKAGE, TEXT, head_of, make_doc
from fazhi.org import access
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def T() -> date:
    return timezone.localdate()


def audit_count() -> int:
    return AuditEntry.objects.filter(action__startswith="normative_docs.").count()


def refused(exc, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    return info.value


def discuss(doc, *, by, chair, held_on, **kw):
    return services.record_discussion(doc, meeting_type=MeetingType.OFFICE, meeting_name="局长办公会议",
                                      held_on=held_on, outcome="adopted", by=by, chair=chair, today=T(), **kw)


# ------------------------------------------------------------- SYS-02 capacity

def test_a_clerk_cannot_be_recorded_as_the_chair_of_the_collective_discussion(nd):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=60))
    before = audit_count()
    e = refused(ValidationError, discuss, doc, by=nd.clerk_a, chair=access.person_of(nd.clerk_a),
                held_on=T() - timedelta(days=1))
    assert e.rule == "SYS-02" and "单位负责人" in e.message
    doc.refresh_from_db()
    assert doc.status == Status.DISCUSSION and not doc.discussions.exists() and audit_count() == before


def test_the_head_of_the_issuing_organ_chairs_and_is_named_in_the_trail(nd, actions):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=60))
    d = discuss(doc, by=nd.clerk_a, chair=access.person_of(nd.head_a), held_on=T() - timedelta(days=1))
    assert d.chair_name == "局长甲"
    entry = AuditEntry.objects.filter(action="normative_docs.discussion.recorded").latest("seq")
    assert entry.data["chair"] == "局长甲"


def test_the_head_of_another_organ_cannot_chair(nd):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=60))
    e = refused(ValidationError, discuss, doc, by=nd.clerk_a, chair=access.person_of(nd.head_gov),
                held_on=T() - timedelta(days=1))
    assert e.rule == "SYS-02"


# ------------------------------------------------------------ SYS-03 entered dates

def test_a_meeting_before_the_legality_opinion_is_refused(nd):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=60))  # opinion on T-15
    e = refused(ValidationError, discuss, doc, by=nd.clerk_a, chair=head_of(nd.a), held_on=T() - timedelta(days=16))
    assert e.rule == "SYS-03" and "合法性审核日期" in e.message


def test_a_meeting_in_the_future_is_refused(nd):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=60))
    e = refused(ValidationError, discuss, doc, by=nd.clerk_a, chair=head_of(nd.a), held_on=T() + timedelta(days=1))
    assert e.rule == "SYS-03" and "不能晚于今天" in e.message


def test_a_meeting_entered_long_after_needs_a_reason_and_is_flagged(nd):
    doc = make_doc("discussion", unit=nd.a, today=T() - timedelta(days=100))  # opinion on T-55
    held = T() - timedelta(days=40)
    e = refused(ValidationError, discuss, doc, by=nd.clerk_a, chair=head_of(nd.a), held_on=held)
    assert e.rule == "SYS-03" and "须说明理由" in e.message
    discuss(doc, by=nd.clerk_a, chair=head_of(nd.a), held_on=held, late_reason="会议纪要迟送")
    entry = AuditEntry.objects.filter(action="normative_docs.discussion.recorded").latest("seq")
    assert entry.data["backdated_days"] == 40 and entry.data["backdate_reason"] == "会议纪要迟送"


def test_a_consultation_cannot_start_in_the_future(nd):
    doc = make_doc("drafting", unit=nd.a)
    e = refused(ValidationError, services.start_consultation, doc, by=nd.clerk_a, start_on=T() + timedelta(days=3),
                end_on=T() + timedelta(days=60), today=T())
    assert e.rule == "SYS-03"


def test_publication_cannot_precede_signing(nd):
    doc = make_doc("registered", unit=nd.a, today=T() - timedelta(days=60))  # signed T-8, registered T-5
    e = refused(ValidationError, services.publish, doc, by=nd.reviewer, today=T(), published_on=T() - timedelta(days=9),
                effective_on=T() + timedelta(days=30))
    assert e.rule == "SYS-03" and "签发日期" in e.message


# ----------------------------------------------------- SYS-01 separation of duties

def test_a_reviewer_cannot_review_a_document_they_drafted(nd):
    doc = make_doc("legal_review", unit=nd.a, today=T() - timedelta(days=60))
    doc.drafter = access.person_of(nd.reviewer)
    doc.save(update_fields=["drafter"])
    before = audit_count()
    e = refused(PermissionDenied, services.decide_legal_review, doc.legal_reviews.get(), opinion="pass", text="",
                by=nd.reviewer, today=T())
    assert e.rule == "SYS-01"
    doc.refresh_from_db()
    assert doc.status == Status.LEGAL_REVIEW and audit_count() == before


def test_a_head_cannot_sign_a_document_they_drafted(nd):
    doc = make_doc("to_sign", unit=nd.a, today=T() - timedelta(days=60))
    doc.drafter = access.person_of(nd.head_a)
    doc.save(update_fields=["drafter"])
    e = refused(PermissionDenied, services.sign, doc, by=nd.head_a)
    assert e.rule == "SYS-01"
    doc.drafter = access.person_of(nd.clerk_a)
    doc.save(update_fields=["drafter"])
    services.sign(doc, by=nd.head_a)
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and doc.signer_name == "局长甲"


# ------------------------------------------------------------- NDOC-01 issuers

@pytest.mark.parametrize("kind", [UnitKind.INTERNAL, UnitKind.INSTITUTION])
def test_an_internal_unit_or_institution_cannot_issue(nd, kind):
    squad = UnitFactory(name="示范区农业综合行政执法大队", kind=kind, parent=nd.a)
    e = refused(ValidationError, services.create_draft, unit=nd.a, issuer=squad, title="执法大队管理办法",
                text=TEXT, by=nd.clerk_a)
    assert e.rule == "NDOC-01" and "37号" in e.message


def test_the_issuer_choices_offer_only_bodies_that_may_issue(nd):
    squad = UnitFactory(name="示范区农业综合行政执法大队", kind=UnitKind.INTERNAL, parent=nd.a)
    clerk = PersonFactoryWithRoleOn(squad)
    names = dict(selectors.issuer_choices(clerk)).values()
    assert "示范区农业综合行政执法大队" not in names
    assert "示范区农业农村局" in names and "示范区人民政府" in names


def PersonFactoryWithRoleOn(unit):
    from fazhi.org.tests.factories import PersonFactory

    return PersonFactory(unit=unit, roles=[("clerk", unit, False), ("clerk", unit.parent, False)]).user


# --------------------------------------------------------- NDOC-14 re-filing

def test_a_returned_filing_is_corrected_refiled_and_accepted_with_both_rounds_in_the_trail(nd, actions):
    doc = make_doc("filed", unit=nd.a, today=T() - timedelta(days=80))  # published T-20, filed T-15
    services.return_filing(doc.filings.get(), reason="缺少起草说明", by=nd.reviewer, today=T() - timedelta(days=10))
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.RETURNED
    e = refused(ValidationError, services.file_doc, doc, by=nd.clerk_a, filed_on=T() - timedelta(days=12),
                package=FULL_PACKAGE, today=T())
    assert e.rule == "SYS-03" and "退回补正日期" in e.message
    api = APIClient()
    api.force_authenticate(nd.clerk_a)
    url = reverse("api:normdocs:doc_action", args=[doc.pk, "file"])
    resp = api.post(url, {"filed_on": str(T() - timedelta(days=2)), "package": list(FULL_PACKAGE)}, format="json")
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.FILED
    api.force_authenticate(nd.reviewer)
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "accept_filing"]), {"receipt_no": "BA-2"},
                    format="json")
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.ACCEPTED
    rounds = list(doc.filings.order_by("pk").values_list("state", flat=True))
    assert rounds == [Filing.State.RETURNED, Filing.State.ACCEPTED]
    assert actions()[-4:] == ["normative_docs.filing.filed", "normative_docs.filing.returned",
                              "normative_docs.filing.refiled", "normative_docs.filing.accepted"]
    refiled = AuditEntry.objects.filter(action="normative_docs.filing.refiled").get()
    assert refiled.data["round"] == 2
