"""Every step of the procedure: happy path, wrong order, permission, audit."""

from datetime import date, timedelta

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.normative_docs import services
from fazhi.normative_docs.models import (
    Adoption,
    Comment,
    Consultation,
    DocVersion,
    FilingStatus,
    LegalOpinion,
    MeetingType,
    NormDoc,
    Status,
)
from fazhi.normative_docs.tests.factories import FULL_PACKAGE, TEXT, head_of, issuer_code, make_doc

D = date(2026, 3, 2)


@pytest.fixture
def count():
    def _count():
        return AuditEntry.objects.count()

    return _count


def refused(exc_type, fn, *args, **kw):
    before = AuditEntry.objects.count()
    with pytest.raises(exc_type) as e:
        fn(*args, **kw)
    assert AuditEntry.objects.count() == before, "a refused step must not be audited"
    return e.value


# ------------------------------------------------------------------ drafting

def test_clerk_creates_a_draft_with_its_first_version(nd, actions):
    doc = services.create_draft(unit=nd.a, issuer=nd.a, title="农业补贴资金管理暂行办法", text=TEXT, by=nd.clerk_a,
                                explanation="说明", legal_basis="《预算法》")
    assert doc.status == Status.DRAFTING
    assert doc.drafter_name == "经办人甲"
    assert doc.is_trial
    assert doc.current_version.number == 1
    assert [a["no"] for a in doc.current_version.articles if a["no"]] == ["第一条", "第二条", "第三条", "第四条"]
    assert actions() == ["normative_docs.version.created", "normative_docs.doc.created"]


def test_another_units_clerk_cannot_draft_for_a(nd):
    refused(PermissionDenied, services.create_draft, unit=nd.a, issuer=nd.a, title="x", text=TEXT, by=nd.clerk_b)


@pytest.mark.parametrize("kw,field", [({"title": "  "}, "title"), ({"text": ""}, "text"),
                                      ({"text": "x" * 600_000}, "text")])
def test_bad_draft_input_changes_nothing(nd, kw, field):
    args = {"unit": nd.a, "issuer": nd.a, "title": "办法", "text": TEXT, "by": nd.clerk_a, **kw}
    e = refused(ValidationError, services.create_draft, **args)
    assert field in e.fields
    assert NormDoc.objects.count() == 0


def test_a_new_version_is_numbered_and_split(nd):
    doc = make_doc("drafting", unit=nd.a)
    v = services.add_version(doc, text="第一条 新文本。\n第二条 另一条。", note="修改", by=nd.clerk_a)
    doc.refresh_from_db()
    assert v.number == 2 and doc.current_version == v
    assert [a["no"] for a in v.articles if a["no"]] == ["第一条", "第二条"]


def test_the_text_cannot_change_during_consultation(nd):
    doc = make_doc("consulting", unit=nd.a)
    e = refused(TransitionRefused, services.add_version, doc, text="第一条 新", by=nd.clerk_a)
    assert e.rule == "NDOC-04"


def test_the_text_cannot_change_after_signing(nd):
    doc = make_doc("signed", unit=nd.a)
    refused(TransitionRefused, services.add_version, doc, text="第一条 新", by=nd.clerk_a)
    assert DocVersion.objects.filter(doc=doc).count() == 1


# -------------------------------------------------------------- consultation

def test_start_consultation_non_market_needs_7_working_days(nd, actions):
    doc = make_doc("drafting", unit=nd.a)
    # 2026-02-12 + 7 WD across the Spring Festival (15–23 Feb off, 14 and 28 Feb worked) = 2026-02-28.
    e = refused(ValidationError, services.start_consultation, doc, by=nd.clerk_a, start_on=date(2026, 2, 12),
                end_on=date(2026, 2, 27), today=date(2026, 2, 12))
    assert e.rule == "NDOC-05" and "2026年02月28日" in e.message
    c = services.start_consultation(doc, by=nd.clerk_a, start_on=date(2026, 2, 12), end_on=date(2026, 2, 28), today=date(2026, 2, 12))
    assert c.min_end_on == date(2026, 2, 28) and "NDOC-05" in c.min_rule
    doc.refresh_from_db()
    assert doc.status == Status.CONSULTING
    assert actions()[-1] == "normative_docs.consultation.started"


def test_market_documents_need_30_days_of_comment(nd):
    doc = make_doc("drafting", unit=nd.a, touches_market=True)
    e = refused(ValidationError, services.start_consultation, doc, by=nd.clerk_a, start_on=D, end_on=D + timedelta(29), today=D)
    assert e.rule == "NDOC-04"
    c = services.start_consultation(doc, by=nd.clerk_a, start_on=D, end_on=D + timedelta(30), today=D)
    assert c.min_end_on == date(2026, 4, 1)


def test_a_shorter_period_needs_an_exception_reason(nd):
    doc = make_doc("drafting", unit=nd.a, touches_market=True)
    c = services.start_consultation(doc, by=nd.clerk_a, start_on=D, end_on=D + timedelta(10),
                                    exception_reason="应对突发疫情", today=D)
    assert c.exception_reason == "应对突发疫情"


def test_only_one_open_consultation(nd):
    doc = make_doc("consulting", unit=nd.a)
    e = refused(TransitionRefused, services.start_consultation, doc, by=nd.clerk_a, start_on=D,
                end_on=D + timedelta(40), today=D)
    assert e.rule == "NDOC-04"


def test_another_unit_cannot_start_a_consultation(nd):
    doc = make_doc("drafting", unit=nd.a)
    refused(PermissionDenied, services.start_consultation, doc, by=nd.clerk_b, start_on=D, end_on=D + timedelta(40), today=D)


def test_public_comment_on_an_article(nd, actions):
    doc = make_doc("consulting", unit=nd.a, comments=0)
    c = doc.consultations.get()
    cm = services.submit_comment(c, content="建议延长期限", article_no="第三条", name="李四", contact="13900001111",
                                 now=_at(D + timedelta(3)))
    assert cm.name == "李四" and cm.contact == "13900001111"  # kept as given; masked on the way out (core.masking)
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "normative_docs.comment.submitted"
    assert "李四" not in str(entry.data) and "13900001111" not in str(entry.data)


def test_comment_on_an_unknown_article_is_refused(nd):
    c = make_doc("consulting", unit=nd.a, comments=0).consultations.get()
    e = refused(ValidationError, services.submit_comment, c, content="x", article_no="第九十条", now=_at(D + timedelta(1)))
    assert "第九十条" in e.message


def test_comment_on_a_closed_consultation_is_refused(nd):
    doc = make_doc("consulted", unit=nd.a)
    c = doc.consultations.get()
    e = refused(TransitionRefused, services.submit_comment, c, content="晚到的意见", now=_at(D + timedelta(50)))
    assert e.rule == "NDOC-04" and "已结束" in e.message
    assert c.comments.count() == 1


def test_comment_after_the_end_date_is_refused(nd):
    c = make_doc("consulting", unit=nd.a).consultations.get()
    e = refused(TransitionRefused, services.submit_comment, c, content="x", now=_at(c.end_on + timedelta(1)))
    assert "截止" in e.message


def test_closing_before_the_minimum_period_is_refused(nd):
    doc = make_doc("drafting", unit=nd.a)
    c = services.start_consultation(doc, by=nd.clerk_a, start_on=date(2026, 2, 12), end_on=date(2026, 2, 28), today=date(2026, 2, 12))
    e = refused(TransitionRefused, services.close_consultation, c, by=nd.clerk_a, today=date(2026, 2, 27))
    assert e.rule == "NDOC-05" and "最短期限" in e.message
    c = services.close_consultation(c, by=nd.clerk_a, today=date(2026, 2, 27), exception_reason="上级要求限期出台")
    assert c.state == Consultation.State.CLOSED and "上级要求限期出台" in c.exception_reason


def test_closing_after_the_end_date(nd, actions):
    c = make_doc("consulting", unit=nd.a).consultations.get()
    services.close_consultation(c, by=nd.clerk_a, today=c.end_on + timedelta(1))
    assert actions()[-1] == "normative_docs.consultation.closed"


def test_answering_comments_and_publishing_the_summary(nd, actions):
    c = make_doc("consulting", unit=nd.a, comments=2).consultations.get()
    services.close_consultation(c, by=nd.clerk_a, today=c.end_on + timedelta(1))
    e = refused(TransitionRefused, services.publish_consultation_summary, c, summary="说明", by=nd.clerk_a,
                today=c.end_on + timedelta(2))
    assert "2条意见未答复" in e.message
    for cm in c.comments.all():
        services.answer_comment(cm, adoption=Adoption.REJECTED, reason="与上位法不符", by=nd.clerk_a)
    services.publish_consultation_summary(c, summary="采纳情况", by=nd.clerk_a, today=c.end_on + timedelta(2))
    assert actions()[-1] == "normative_docs.consultation.summary_published"
    assert Comment.objects.filter(answered_by_name="经办人甲").count() == 2


def test_a_rejection_needs_a_reason(nd):
    cm = make_doc("consulting", unit=nd.a).consultations.get().comments.get()
    e = refused(ValidationError, services.answer_comment, cm, adoption=Adoption.REJECTED, reason="", by=nd.clerk_a)
    assert "reason" in e.fields


def test_another_unit_cannot_answer_comments(nd):
    cm = make_doc("consulting", unit=nd.a).consultations.get().comments.get()
    refused(PermissionDenied, services.answer_comment, cm, adoption=Adoption.ADOPTED, reason="", by=nd.clerk_b)


# -------------------------------------------------------------- fair review

def test_market_document_goes_through_fair_review(nd, actions):
    doc = make_doc("consulted", unit=nd.a, touches_market=True)
    services.submit_fair_review(doc, by=nd.clerk_a)
    r = services.record_fair_review(doc, passed=True, opinion="通过", reviewed_on=D + timedelta(45), by=nd.clerk_a,
                                    reviewing_unit=nd.b, today=D + timedelta(45))
    assert r.reviewing_unit_name == nd.b.name
    services.submit_legal_review(doc, by=nd.clerk_a, today=D + timedelta(46))
    assert "normative_docs.fair_review.recorded" in actions()


def test_market_document_cannot_skip_fair_review(nd):
    doc = make_doc("consulted", unit=nd.a, touches_market=True)
    e = refused(TransitionRefused, services.submit_legal_review, doc, by=nd.clerk_a, today=D + timedelta(46))
    assert e.rule == "NDOC-06"


def test_a_failed_fair_review_blocks_issuance(nd):
    doc = make_doc("consulted", unit=nd.a, touches_market=True)
    services.submit_fair_review(doc, by=nd.clerk_a)
    services.record_fair_review(doc, passed=False, opinion="设置地方保护", reviewed_on=D + timedelta(45),
                                by=nd.clerk_a, reviewing_unit=nd.b, today=D + timedelta(45))
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING
    e = refused(TransitionRefused, services.submit_legal_review, doc, by=nd.clerk_a, today=D + timedelta(46))
    assert e.rule == "NDOC-06"


def test_non_market_document_has_no_fair_review(nd):
    doc = make_doc("consulted", unit=nd.a)
    assert refused(TransitionRefused, services.submit_fair_review, doc, by=nd.clerk_a).rule == "NDOC-06"


# ------------------------------------------------------------- legal review

def test_legal_review_before_consultation_is_refused(nd):
    doc = make_doc("drafting", unit=nd.a)
    e = refused(TransitionRefused, services.submit_legal_review, doc, by=nd.clerk_a, today=D)
    assert e.rule == "NDOC-04"


def test_legal_review_is_submitted_with_its_window(nd, actions):
    doc = make_doc("consulted", unit=nd.a)
    r = services.submit_legal_review(doc, by=nd.clerk_a, today=date(2026, 9, 24))
    assert r.due == date(2026, 10, 22) and not r.due_provisional and "NDOC-08" in r.due_rule
    assert actions()[-1] == "normative_docs.legal_review.submitted"


def test_reviewer_passes_and_is_recorded_as_they_were(nd, actions):
    doc = make_doc("legal_review", unit=nd.a)
    r = services.decide_legal_review(doc.legal_reviews.get(), opinion=LegalOpinion.PASS_WITH_CHANGES,
                                     text="第三条须修改", by=nd.reviewer, today=D + timedelta(50))
    assert (r.reviewer_name, r.reviewer_post, r.reviewer_unit) == ("审核员", "法制审核员", nd.s.name)
    doc.refresh_from_db()
    assert doc.status == Status.DISCUSSION
    assert actions()[-1] == "normative_docs.legal_review.decided"


def test_a_clerk_cannot_do_a_legal_review(nd):
    doc = make_doc("legal_review", unit=nd.a)
    refused(PermissionDenied, services.decide_legal_review, doc.legal_reviews.get(), opinion=LegalOpinion.PASS,
            text="", by=nd.clerk_a, today=D + timedelta(50))


def test_a_rejected_document_never_reaches_discussion(nd):
    doc = make_doc("legal_review", unit=nd.a)
    services.decide_legal_review(doc.legal_reviews.get(), opinion=LegalOpinion.REJECT, text="无上位法依据",
                                 by=nd.reviewer, today=D + timedelta(50))
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING
    e = refused(TransitionRefused, services.record_discussion, doc, meeting_type=MeetingType.OFFICE,
                meeting_name="办公会", held_on=D + timedelta(51), outcome="adopted", by=nd.clerk_a, today=D + timedelta(51), chair=head_of(doc.issuer))
    assert e.rule == "NDOC-07"


# --------------------------------------------------------------- discussion

def test_discussion_before_legal_review_is_refused(nd):
    doc = make_doc("consulted", unit=nd.a)
    e = refused(TransitionRefused, services.record_discussion, doc, meeting_type=MeetingType.OFFICE,
                meeting_name="办公会", held_on=D, outcome="adopted", by=nd.clerk_a, today=D, chair=head_of(doc.issuer))
    assert e.rule == "NDOC-07" and "集体讨论" in e.message


def test_discussion_records_the_meeting_and_the_publication_deadline(nd, actions):
    doc = make_doc("discussion", unit=nd.a)
    services.record_discussion(doc, meeting_type=MeetingType.OFFICE, meeting_name="局务会", held_on=date(2026, 9, 24),
                               outcome="adopted", by=nd.clerk_a, today=date(2026, 9, 24), chair=head_of(doc.issuer))
    doc.refresh_from_db()
    assert doc.status == Status.TO_SIGN and doc.adopted_on == date(2026, 9, 24)
    # 20 WD after 2026-09-24 across National Day: 15 WD end 10-22 (see test_deadlines), +5 -> 10-29.
    assert doc.publication_due == date(2026, 10, 29) and "NDOC-20" in doc.publication_rule
    assert actions()[-1] == "normative_docs.discussion.recorded"


def test_government_document_needs_the_standing_or_plenary_meeting(nd):
    doc = make_doc("discussion", unit=nd.s, issuer=nd.gov)
    e = refused(TransitionRefused, services.record_discussion, doc, meeting_type=MeetingType.OFFICE,
                meeting_name="办公会", held_on=D + timedelta(50), outcome="adopted", by=None, today=D + timedelta(50), chair=head_of(doc.issuer))
    assert e.rule == "NDOC-09"
    services.record_discussion(doc, meeting_type=MeetingType.STANDING, meeting_name="区政府第5次常务会议",
                               held_on=D + timedelta(50), outcome="adopted", by=None, today=D + timedelta(50), chair=head_of(doc.issuer))


def test_a_rejecting_meeting_sends_it_back(nd):
    doc = make_doc("discussion", unit=nd.a)
    services.record_discussion(doc, meeting_type=MeetingType.OFFICE, meeting_name="局务会", held_on=D + timedelta(50),
                               outcome="rejected", by=nd.clerk_a, today=D + timedelta(50), chair=head_of(doc.issuer))
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING and doc.publication_due is None


# ---------------------------------------------------------------- signing

def test_head_of_the_issuer_signs(nd, actions):
    doc = make_doc("to_sign", unit=nd.a)
    services.sign(doc, by=nd.head_a)
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and (doc.signer_name, doc.signer_post) == ("局长甲", "局长")
    assert actions()[-1] == "normative_docs.doc.signed"


def test_a_clerk_cannot_sign(nd):
    refused(PermissionDenied, services.sign, make_doc("to_sign", unit=nd.a), by=nd.clerk_a)


def test_the_drafting_units_head_cannot_sign_a_government_document(nd):
    doc = make_doc("to_sign", unit=nd.a, issuer=nd.gov)
    refused(PermissionDenied, services.sign, doc, by=nd.head_a)
    services.sign(doc, by=nd.head_gov)


def test_signing_before_discussion_is_refused(nd):
    e = refused(TransitionRefused, services.sign, make_doc("discussion", unit=nd.a), by=nd.head_a)
    assert e.rule == "NDOC-09"


# ----------------------------------------------------------- registration

def test_registration_allocates_both_numbers(nd, actions):
    issuer_code(nd.a, "示范农发", "SFNY")
    doc = make_doc("signed", unit=nd.a)
    services.register(doc, by=nd.reviewer, today=date(2026, 5, 6))
    doc.refresh_from_db()
    assert (doc.registration_no, doc.doc_number) == ("SFNY-2026-001", "示范农发〔2026〕1号")
    assert actions()[-1] == "normative_docs.doc.registered"


def test_registration_needs_an_issuer_code(nd):
    doc = make_doc("signed", unit=nd.b)
    e = refused(ValidationError, services.register, doc, by=nd.reviewer, today=D)
    assert e.rule == "NDOC-10" and "机关代字" in e.message


def test_only_the_legal_office_registers(nd):
    issuer_code(nd.a)
    refused(PermissionDenied, services.register, make_doc("signed", unit=nd.a), by=nd.head_a, today=D)


def test_registration_before_signing_is_refused(nd):
    issuer_code(nd.a)
    e = refused(TransitionRefused, services.register, make_doc("to_sign", unit=nd.a), by=nd.reviewer, today=D)
    assert e.rule == "NDOC-10"


def test_numbers_are_gap_free_when_a_registration_rolls_back(nd, monkeypatch):
    issuer_code(nd.a, "示范农发", "SFNY")
    first, second = make_doc("signed", unit=nd.a), make_doc("signed", unit=nd.a)
    real = services._act

    def fail_on_register(obj, what, verb, **kw):
        if verb == "registered":
            raise RuntimeError("boom")
        return real(obj, what, verb, **kw)

    monkeypatch.setattr(services, "_act", fail_on_register)
    with pytest.raises(RuntimeError):
        services.register(first, by=nd.reviewer, today=D)
    monkeypatch.setattr(services, "_act", real)
    first.refresh_from_db()
    assert first.status == Status.SIGNED and first.doc_number == ""
    services.register(second, by=nd.reviewer, today=D)
    second.refresh_from_db()
    assert second.doc_number == "示范农发〔2026〕1号" and second.registration_no == "SFNY-2026-001"


def test_an_imported_number_collision_is_refused(nd):
    issuer_code(nd.a, "示范农发", "SFNY")
    services.import_document(unit=nd.a, issuer=nd.a, title="旧办法", text=TEXT, doc_number="示范农发〔2026〕1号",
                             published_on=date(2026, 1, 5), by=nd.reviewer)
    doc = make_doc("signed", unit=nd.a)
    e = refused(Conflict, services.register, doc, by=nd.reviewer, today=D)
    assert e.rule == "NDOC-10" and "已被" in e.message
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and doc.doc_number == ""


def test_importing_a_number_twice_is_refused(nd):
    kw = {"unit": nd.a, "issuer": nd.a, "title": "旧办法", "text": TEXT, "doc_number": "示范农发〔2020〕1号",
          "published_on": date(2020, 1, 5), "by": nd.reviewer}
    services.import_document(**kw)
    e = refused(Conflict, services.import_document, **kw)
    assert "已存在" in e.message
    assert NormDoc.objects.count() == 1


# ------------------------------------------------------------- publication

def test_publication_sets_dates_validity_and_filing_due(nd, actions):
    doc = make_doc("registered", unit=nd.a)
    services.publish(doc, by=nd.reviewer, today=date(2026, 9, 24), effective_on=date(2026, 11, 1))
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.published_on == date(2026, 9, 24)
    assert doc.valid_until == date(2031, 10, 31) and "NDOC-17 5年" in doc.validity_rule
    assert doc.filing_due == date(2026, 10, 9) and "NDOC-12" in doc.filing_rule
    assert actions()[-1] == "normative_docs.doc.published"


def test_trial_documents_are_valid_for_two_years(nd):
    doc = make_doc("registered", unit=nd.a, title="农业补贴试行办法")
    services.publish(doc, by=nd.reviewer, today=date(2026, 6, 1), effective_on=date(2026, 7, 1))
    doc.refresh_from_db()
    assert doc.valid_until == date(2028, 6, 30)


def test_publishing_before_registration_is_refused(nd):
    doc = make_doc("signed", unit=nd.a)
    e = refused(TransitionRefused, services.publish, doc, by=nd.reviewer, today=D, effective_on=D + timedelta(40))
    assert e.rule == "NDOC-10"


def test_effective_within_30_days_needs_an_urgent_reason(nd):
    doc = make_doc("registered", unit=nd.a)
    day = date(2026, 6, 1)
    e = refused(ValidationError, services.publish, doc, by=nd.reviewer, today=day, effective_on=day + timedelta(29))
    assert e.rule == "NDOC-11"
    services.publish(doc, by=nd.reviewer, today=day, effective_on=day, urgent_reason="防汛救灾急需")
    doc.refresh_from_db()
    assert doc.urgent_reason == "防汛救灾急需"


def test_a_clerk_cannot_publish(nd):
    refused(PermissionDenied, services.publish, make_doc("registered", unit=nd.a), by=nd.clerk_a, today=D,
            effective_on=D + timedelta(40))


def test_an_unpublished_document_is_never_a_valid_basis(nd):
    from fazhi.normative_docs.selectors import documents_in_force, valid_basis

    signed = make_doc("signed", unit=nd.a)
    published = make_doc("published", unit=nd.a)
    later = published.effective_on + timedelta(days=1)
    assert not valid_basis(signed, later)
    assert not valid_basis(published, published.published_on)  # not yet effective
    assert valid_basis(published, later)
    assert list(documents_in_force(later)) == [published]


# ------------------------------------------------------------------ filing

def test_filing_before_publication_is_refused(nd):
    e = refused(TransitionRefused, services.file_doc, make_doc("registered", unit=nd.a), by=nd.clerk_a, filed_on=D,
                package=FULL_PACKAGE, today=D)
    assert e.rule == "NDOC-12"


def test_filing_needs_the_full_package(nd):
    doc = make_doc("published", unit=nd.a)
    e = refused(ValidationError, services.file_doc, doc, by=nd.clerk_a, filed_on=doc.published_on,
                package={**FULL_PACKAGE, "basis": False, "legal_opinion": False}, today=doc.published_on)
    assert e.rule == "NDOC-14" and "合法性审核意见" in e.message and "制定依据" in e.message


def test_filing_goes_to_the_government_and_is_on_time(nd, actions):
    doc = make_doc("published", unit=nd.a)
    f = services.file_doc(doc, by=nd.clerk_a, filed_on=doc.published_on + timedelta(3), package=FULL_PACKAGE, today=doc.published_on + timedelta(3))
    assert f.to_unit == nd.gov and nd.s.name in f.to_name and f.on_time
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.FILED
    assert actions()[-1] == "normative_docs.filing.filed"


def test_a_late_filing_is_recorded_as_late(nd):
    doc = make_doc("published", unit=nd.a)
    f = services.file_doc(doc, by=nd.clerk_a, filed_on=doc.filing_due + timedelta(1), package=FULL_PACKAGE, today=doc.filing_due + timedelta(1))
    assert not f.on_time


def test_another_unit_cannot_file(nd):
    doc = make_doc("published", unit=nd.a)
    refused(PermissionDenied, services.file_doc, doc, by=nd.clerk_b, filed_on=doc.published_on, package=FULL_PACKAGE, today=doc.published_on)


def test_returned_filing_is_filed_again(nd, actions):
    doc = make_doc("filed", unit=nd.a)
    services.return_filing(doc.filings.get(), reason="起草说明不完整", by=nd.reviewer, today=D + timedelta(66))
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.RETURNED
    services.file_doc(doc, by=nd.clerk_a, filed_on=D + timedelta(68), package=FULL_PACKAGE, today=D + timedelta(68))
    assert doc.filings.count() == 2
    assert actions()[-2:] == ["normative_docs.filing.returned", "normative_docs.filing.refiled"]


def test_filing_review_lawful(nd, actions):
    doc = make_doc("filed", unit=nd.a)
    review = services.accept_filing(doc.filings.get(), receipt_no="BA-2026-1", by=nd.reviewer,
                                    today=date(2026, 9, 24))
    assert review.due == date(2026, 10, 24) and "NDOC-15" in review.due_rule
    services.decide_filing_review(review, finding="lawful", opinion="", by=nd.reviewer, today=date(2026, 10, 10))
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.REVIEWED
    assert actions()[-1] == "normative_docs.filing_review.decided"


def test_a_clerk_cannot_review_a_filing(nd):
    doc = make_doc("filed", unit=nd.a)
    refused(PermissionDenied, services.accept_filing, doc.filings.get(), receipt_no="x", by=nd.clerk_a,
            today=D + timedelta(66))


def test_returning_an_accepted_filing_is_refused(nd):
    doc = make_doc("accepted", unit=nd.a)
    e = refused(TransitionRefused, services.return_filing, doc.filings.get(), reason="x", by=nd.reviewer,
                today=D + timedelta(70))
    assert e.rule == "NDOC-14"


def test_correction_report_without_an_order_is_refused(nd):
    doc = make_doc("accepted", unit=nd.a)
    services.decide_filing_review(doc.filings.get().review, finding="lawful", opinion="", by=nd.reviewer,
                                  today=D + timedelta(70))
    e = refused(TransitionRefused, services.file_doc, doc, by=nd.clerk_a, filed_on=D + timedelta(71),
                package=FULL_PACKAGE, today=D + timedelta(71))
    assert e.rule == "NDOC-12"


def test_unlawful_finding_orders_a_correction_and_the_maker_reports(nd, actions):
    doc = make_doc("accepted", unit=nd.a)
    review = doc.filings.get().review
    services.decide_filing_review(review, finding="unlawful", opinion="第三条增设义务", by=nd.reviewer,
                                  today=date(2026, 9, 24))
    order = doc.corrections.get()
    assert order.due == date(2026, 10, 24) and "NDOC-19" in order.due_rule
    refused(PermissionDenied, services.report_correction, order, report_text="已修改", by=nd.clerk_b,
            today=date(2026, 10, 1))
    services.report_correction(order, report_text="已删除第三条", by=nd.clerk_a, today=date(2026, 10, 1))
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.CORRECTED
    assert actions()[-1] == "normative_docs.correction.reported"
    e = refused(TransitionRefused, services.report_correction, order, report_text="再报", by=nd.clerk_a,
                today=date(2026, 10, 2))
    assert e.rule == "NDOC-19"


# -------------------------------------------------------------- legal life

def test_head_repeals_a_document(nd, actions):
    doc = make_doc("published", unit=nd.a)
    refused(PermissionDenied, services.repeal, doc, by=nd.clerk_a, repealed_on=D, reason="x", today=D)
    services.repeal(doc, by=nd.head_a, repealed_on=date(2026, 12, 1), reason="上位法已废止", today=date(2026, 12, 1))
    doc.refresh_from_db()
    assert doc.status == Status.REPEALED and doc.repealed_on == date(2026, 12, 1)
    assert actions()[-1] == "normative_docs.doc.repealed"


def test_repealing_a_draft_is_refused(nd):
    e = refused(TransitionRefused, services.repeal, make_doc("drafting", unit=nd.a), by=nd.head_a, repealed_on=D,
                reason="x", today=D)
    assert e.rule == "NDOC-18"


def test_an_amendment_is_a_new_document_and_the_old_one_becomes_amended(nd, actions):
    old = make_doc("published", unit=nd.a)
    new = services.start_amendment(old, by=nd.clerk_a, title="关于修改农业补贴管理办法的决定")
    assert new.amendment_of == old and new.status == Status.DRAFTING
    assert new.current_version.text == old.current_version.text
    e = refused(Conflict, services.start_amendment, old, by=nd.clerk_a)
    assert e.rule == "NDOC-17"
    old.refresh_from_db()
    assert old.status == Status.PUBLISHED  # still in force while the amendment is drafted
    from fazhi.normative_docs.tests.factories import make_rest

    make_rest(new, today=date(2026, 7, 1))
    old.refresh_from_db()
    assert old.status == Status.AMENDED and new.doc_number in old.end_reason
    assert "normative_docs.doc.amended" in actions()


def test_amending_a_draft_is_refused(nd):
    refused(TransitionRefused, services.start_amendment, make_doc("drafting", unit=nd.a), by=nd.clerk_a)


def test_abandoning_a_draft(nd):
    doc = make_doc("drafting", unit=nd.a)
    services.abandon(doc, by=nd.clerk_a, reason="不再需要")
    doc.refresh_from_db()
    assert doc.status == Status.ABANDONED


# ------------------------------------------------------------- proposals

def test_citizen_proposal_and_reply(nd, actions):
    doc = make_doc("published", unit=nd.a)
    p = services.submit_proposal(doc, name="赵六", contact="13700000000", content="第三条违法增设义务",
                                 today=date(2026, 9, 24))
    assert p.reply_due == date(2026, 10, 24) and "NDOC-16" in p.reply_rule
    refused(PermissionDenied, services.reply_proposal, p, reply="x", by=nd.clerk_a, today=date(2026, 10, 1))
    services.reply_proposal(p, reply="经审查，合法", by=nd.reviewer, today=date(2026, 10, 1))
    assert actions()[-2:] == ["normative_docs.proposal.submitted", "normative_docs.proposal.replied"]


def test_proposal_on_a_draft_is_refused(nd):
    e = refused(TransitionRefused, services.submit_proposal, make_doc("drafting", unit=nd.a), name="a",
                contact="b", content="c", today=D)
    assert e.rule == "NDOC-16"


def test_proposal_needs_content(nd):
    doc = make_doc("published", unit=nd.a)
    e = refused(ValidationError, services.submit_proposal, doc, name="a", contact="b", content="  ", today=D)
    assert "content" in e.fields


def _at(d):
    from fazhi.normative_docs.tests.factories import _noon

    return _noon(d)


# -------------------------------------------------------------------- demo

def test_demo_loads_every_state_and_is_idempotent(db):
    import io

    from fazhi.normative_docs import demo
    from fazhi.normative_docs.selectors import filings_overdue, open_consultations
    from fazhi.org import demo as org_demo

    out = io.StringIO()
    org_demo.load(out)
    demo.load(out)
    n = NormDoc.objects.count()
    states = set(NormDoc.objects.values_list("status", flat=True))
    assert states >= {"drafting", "consulting", "legal_review", "discussion", "to_sign", "signed", "registered",
                      "published", "amended", "repealed", "expired"}
    from django.utils import timezone

    today = timezone.localdate()
    assert filings_overdue(today).exists()
    assert open_consultations(today).get().comments.count() == 3
    from fazhi.normative_docs.models import CleanupCampaign, ReviewProposal

    assert CleanupCampaign.objects.filter(state="running").count() == 1
    assert ReviewProposal.objects.count() == 1
    entries = AuditEntry.objects.count()
    demo.load(out)
    assert NormDoc.objects.count() == n and AuditEntry.objects.count() == entries


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gap_free_numbers(nd):
    import threading

    from django.db import connection

    issuer_code(nd.a, "示范农发", "SFNY")
    docs = [make_doc("signed", unit=nd.a) for _ in range(4)]
    errors = []

    def run(doc):
        try:
            services.register(doc, by=None, today=D)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(NormDoc.objects.values_list("doc_number", flat=True))
    assert numbers == [f"示范农发〔2026〕{i}号" for i in range(1, 5)]
