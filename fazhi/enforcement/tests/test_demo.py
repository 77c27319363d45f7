"""The enforcement demo: idempotent, audited, and a case at every step."""

import io
import re

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import demo, models, selectors
from fazhi.enforcement.models import CaseStatus, CertificateStatus, PublicationStatus, TransferStatus
from fazhi.org import demo as org_demo

COUNTED = (models.Officer, models.Certificate, models.AnnualCheck, models.EnforcementCode, models.ViolationType,
           models.Benchmark, models.PenaltyCase, models.CaseOfficer, models.CaseExtension, models.LegalReview,
           models.Payment, models.EvidenceFile, models.PublicationRecord, models.PoliceTransfer)


def counts():
    return {m.__name__: m.objects.count() for m in COUNTED}


@pytest.fixture
def loaded(db):
    out = io.StringIO()
    org_demo.load(out)
    demo.load(out)
    return out.getvalue()


def test_second_load_changes_nothing_and_writes_no_audit(loaded):
    before, audit = counts(), AuditEntry.objects.count()
    out = io.StringIO()
    demo.load(out)
    assert counts() == before
    assert AuditEntry.objects.count() == audit
    assert "新增案件 0 件" in out.getvalue()


def test_it_prints_a_one_line_summary(loaded):
    line = loaded.split("行政执法：", 1)[1]
    assert "\n" not in line.strip() and "新增案件" in line


def test_every_case_state_is_present(loaded):
    present = set(models.PenaltyCase.objects.values_list("status", flat=True))
    assert present == {s.value for s in CaseStatus}


def test_every_step_is_audited(loaded):
    actions = set(AuditEntry.objects.filter(action__startswith="enforcement.").values_list("action", flat=True))
    for verb in ("filed", "notified", "hearing_held", "legal_reviewed", "discussion_recorded", "decided", "served",
                 "payment_recorded", "executed", "closed", "archived", "summary_decided", "deadline_extended"):
        assert f"enforcement.case.{verb}" in actions
    assert {"enforcement.evidence.attached", "enforcement.publication.published",
            "enforcement.publication.withdrawn", "enforcement.transfer.created",
            "enforcement.transfer.replied"} <= actions


def test_steps_are_taken_by_the_demo_people(loaded):
    decided = AuditEntry.objects.filter(action="enforcement.case.decided")
    assert decided.exists() and not decided.filter(actor__isnull=True).exists()
    assert set(AuditEntry.objects.filter(action="enforcement.case.legal_reviewed")
               .values_list("actor__username", flat=True)) == {"sifa_reviewer"}


def test_exactly_one_case_is_overdue_and_it_has_no_extension(loaded):
    overdue = list(selectors.cases_overdue(demo.TODAY))
    assert len(overdue) == 1
    assert not overdue[0].extensions.exists() and not overdue[0].decided_on


def test_one_case_has_an_approved_extension(loaded):
    ext = models.CaseExtension.objects.get()
    assert ext.case.decision_due == ext.new_due > demo.TODAY
    assert ext.case.status in {s.value for s in models.UNDECIDED_STATES}


def test_one_case_is_transferred_and_one_transfer_is_answered(loaded):
    pending = models.PoliceTransfer.objects.get(status=TransferStatus.PENDING)
    assert pending.case.status == CaseStatus.TRANSFERRED and pending.case.suspended_from == CaseStatus.INVESTIGATING
    answered = models.PoliceTransfer.objects.get(status=TransferStatus.ACCEPTED)
    assert answered.reply and answered.reply_on and answered.case.status == CaseStatus.TERMINATED


def test_summary_case_and_hearing_cases(loaded):
    assert models.PenaltyCase.objects.filter(procedure="summary", status=CaseStatus.CLOSED).exists()
    assert models.PenaltyCase.objects.filter(status=CaseStatus.HEARING, hearing_held_on__isnull=True,
                                             hearing_date__gt=demo.TODAY).exists()
    assert models.PenaltyCase.objects.filter(status=CaseStatus.ARCHIVED, hearing_held_on__isnull=False).exists()


def test_executed_cases_were_paid_at_the_bank(loaded):
    paid = models.Payment.objects.all()
    assert paid.exists() and all(p.method == "bank" and p.bank_receipt_no for p in paid)


def test_published_decisions_are_masked_and_one_is_withdrawn(loaded):
    published = list(selectors.public_decisions(demo.TODAY))
    assert len(published) >= 4
    people = models.PenaltyCase.objects.filter(party_kind="person")
    for pub in published:
        assert not re.search(r"\d{17}[\dXx]", pub.content)
        for case in people:
            assert case.party_name not in pub.content and case.party_address not in pub.content
    assert any("张**" in p.content for p in published)
    withdrawn = models.PublicationRecord.objects.get(status=PublicationStatus.WITHDRAWN)
    assert withdrawn.withdraw_reason and withdrawn.case.decision_changed_on
    assert models.PublicationRecord.objects.filter(status=PublicationStatus.PENDING).exists()


def test_every_case_has_two_certified_officers(loaded):
    for case in models.PenaltyCase.objects.all():
        assert len(case.case_officers.all()) >= 2
        assert all(co.certificate.status == CertificateStatus.VALID for co in case.case_officers.all())


def test_certificates_valid_expiring_and_suspended(loaded):
    expiring = list(selectors.certificates_expiring(demo.TODAY))
    assert [c.officer.person.name for c in expiring] == ["罗鹏"]
    assert models.Certificate.objects.filter(status=CertificateStatus.SUSPENDED).count() == 1
    for unit in ("nyj_zfdd", "zhzf"):
        from fazhi.org.models import Unit

        assert len(selectors.certified_officers(Unit.objects.get(name=org_demo.unit_name(unit)), demo.TODAY)) >= 2


def test_evidence_files_are_stored_with_their_hash(loaded):
    import hashlib

    ev = models.EvidenceFile.objects.filter(kind="photo").first()
    data = ev.file.read()
    assert hashlib.sha256(data).hexdigest() == ev.sha256 and len(data) == ev.size
    assert models.EvidenceFile.objects.filter(content_type="application/pdf").exists()
