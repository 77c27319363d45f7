"""Each indicator's formula against a hand-counted fixture, built with the
modules' own test factories (mostly through their real services)."""

from datetime import date, timedelta

import pytest

from fazhi.assessment.tests.conftest import TODAY, YEAR
from fazhi.core.indicators import Count
from fazhi.enforcement import indicators as enf
from fazhi.enforcement import services as enf_services
from fazhi.enforcement.models import PenaltyCase, PublicationRecord
from fazhi.enforcement.tests.factories import make_case, make_officer
from fazhi.major_decisions import indicators as mdec
from fazhi.major_decisions.models import Discussion, ExpertOpinion, ExpertReview, HeadDecision
from fazhi.major_decisions.tests.factories import (
    ConsultationFactory,
    DecisionFactory,
    EntryFactory,
    ExpertFactory,
    LegalReviewFactory,
    PoolFactory,
    RiskFactory,
)
from fazhi.normative_docs import indicators as ndoc
from fazhi.normative_docs import services as nd_services
from fazhi.normative_docs.models import NormDoc
from fazhi.normative_docs.tests.factories import FULL_PACKAGE, make_doc
from fazhi.org.tests.factories import PersonFactory
from fazhi.training import indicators as training
from fazhi.training.tests.factories import attend

pytestmark = pytest.mark.django_db
START = date(2025, 3, 2)  # make_doc publishes START+60 = 2025-05-01; filing due 2025-05-16


def _counts(func, *units, today=TODAY):
    got = func(YEAR, list(units), today=today)
    return [got[u.pk] for u in units]


# ------------------------------------------------------------ normative docs

@pytest.fixture
def filings(tree):
    """a: filed on time, filed late, never filed; ad (under a): filed on time; b: never filed."""
    d1 = make_doc("filed", unit=tree.a, today=START, title="按期报备的办法")
    d2 = make_doc("published", unit=tree.a, today=START, title="逾期报备的办法")
    nd_services.file_doc(d2, by=None, filed_on=d2.filing_due + timedelta(days=5), package=FULL_PACKAGE,
                         today=d2.filing_due + timedelta(days=5))
    d3 = make_doc("published", unit=tree.a, today=START, title="未报备的办法")
    d4 = make_doc("filed", unit=tree.ad, issuer=tree.a, today=START, title="大队按期报备的办法")
    d5 = make_doc("published", unit=tree.b, today=START, title="乙局未报备的办法")
    return d1, d2, d3, d4, d5


def test_filed_on_time_counts_filings_within_the_deadline_with_subunits(tree, filings):
    a, ad, b, gov, s = _counts(ndoc.filed_on_time_count, tree.a, tree.ad, tree.b, tree.gov, tree.s)
    assert a == Count(2, 4)  # d1, d4 on time; d2 late; d3 missing
    assert ad == Count(1, 1)
    assert b == Count(0, 1)
    assert gov == Count(2, 5)
    assert s == Count(0, 0) and s.ratio is None  # 无数据, not 0 % or 100 %


def test_filed_on_time_notes_say_why(tree, filings):
    recs = {r.title.split("（")[0]: r for r in ndoc.filed_on_time_records(tree.a, YEAR, today=TODAY)}
    assert recs["逾期报备的办法"].counted is False and "逾期 5 日" in recs["逾期报备的办法"].note
    assert "未报备" in recs["未报备的办法"].note
    assert recs["按期报备的办法"].url.endswith(f"/{filings[0].pk}/")


def test_a_filing_not_yet_due_is_not_counted(tree):
    make_doc("published", unit=tree.b, today=START)  # due 2025-05-16
    assert ndoc.filed_on_time_count(YEAR, [tree.b], today=date(2025, 5, 10))[tree.b.pk] == Count(0, 0)
    assert ndoc.filed_on_time_count(YEAR, [tree.b], today=date(2025, 5, 17))[tree.b.pk] == Count(0, 1)


def test_legal_review_rate_counts_published_documents_reviewed_before_publication(tree):
    make_doc("published", unit=tree.a, today=START)  # reviewed (passed) before publication
    # Published without a legality review (e.g. entered around the procedure): not counted.
    NormDoc.objects.create(unit=tree.a, issuer=tree.a, issuer_level="department", title="未经审核的办法",
                           status="published", published_on=date(2025, 6, 1), doc_number="测发〔2025〕99号",
                           registration_no="T-2025-099")
    # Imported historical document: made outside the system, not counted at all.
    nd_services.import_document(unit=tree.a, issuer=tree.a, title="历史文件", text="第一条 历史。",
                                doc_number="测发〔2025〕1号", published_on=date(2025, 2, 1), by=None)
    # Published in another year: not counted in 2025.
    make_doc("published", unit=tree.a, today=date(2024, 3, 1))
    assert ndoc.legal_reviewed_count(YEAR, [tree.a])[tree.a.pk] == Count(1, 2)
    notes = [r.note for r in ndoc.legal_reviewed_records(tree.a, YEAR)]
    assert any("无合法性审核记录" in n for n in notes)


# ------------------------------------------------------------ major decisions

def _complete(d, *, risk=True, experts=True):
    """Record every procedure of ``d`` before its decision day (2026-07-01 factory default moved to 2025)."""
    ConsultationFactory(decision=d, state="closed", closed_on=date(2025, 5, 31),
                        summary="采纳情况", summary_published_on=date(2025, 6, 1))
    if experts:
        review = ExpertReview.objects.create(decision=d, pool=PoolFactory(unit=d.unit), field="城市规划",
                                             method="choice", selected_on=date(2025, 5, 1),
                                             completed_on=date(2025, 5, 20))
        for _ in range(3):
            e = ExpertFactory(pool=review.pool)
            ExpertOpinion.objects.create(review=review, expert=e, expert_name=e.name, stance="agree", opinion="同意", signed=True,
                                         signed_on=date(2025, 5, 20))
    if risk:
        RiskFactory(decision=d, assessed_on=date(2025, 6, 2))
    LegalReviewFactory(decision=d, submitted_on=date(2025, 6, 3), due=date(2025, 6, 12), decided_on=date(2025, 6, 12))
    Discussion.objects.create(decision=d, meeting_type="standing", meeting_name="常务会议", held_on=d.decided_on,
                              head_decision=HeadDecision.ADOPT)


def test_procedure_rate_requires_every_procedure_of_the_entry_before_the_decision(tree):
    entry = EntryFactory(catalogue__unit=tree.gov, catalogue__year=YEAR, sponsor_unit=tree.a)
    full = DecisionFactory(entry=entry, decided=True, decided_on=date(2025, 7, 1))
    _complete(full)
    no_risk = DecisionFactory(entry=EntryFactory(catalogue=entry.catalogue, sponsor_unit=tree.a),
                              decided=True, decided_on=date(2025, 7, 1))
    _complete(no_risk, risk=False)
    # Risk assessment required only by the entry (adjusted after launch): still required.
    late_req = DecisionFactory(entry=EntryFactory(catalogue=entry.catalogue, sponsor_unit=tree.b,
                                                  needs_risk_assessment=True),
                               decided=True, decided_on=date(2025, 7, 1), needs_risk_assessment=False)
    _complete(late_req, risk=False)
    # Not required: no expert review, no risk assessment -> complete without them.
    light = DecisionFactory(entry=EntryFactory(catalogue=entry.catalogue, sponsor_unit=tree.b,
                                               needs_expert_review=False, needs_risk_assessment=False),
                            decided=True, decided_on=date(2025, 7, 1))
    _complete(light, risk=False, experts=False)
    DecisionFactory(entry=EntryFactory(catalogue=entry.catalogue, sponsor_unit=tree.b), drafting=True)  # undecided
    a, b, gov = _counts(mdec.procedure_complete_count, tree.a, tree.b, tree.gov)
    assert a == Count(1, 2)
    assert b == Count(1, 2)
    assert gov == Count(2, 4)
    notes = {r.counted: r.note for r in mdec.procedure_complete_records(tree.a, YEAR)}
    assert "风险评估（MDEC-07）" in notes[False]


def test_a_procedure_done_after_the_decision_does_not_count(tree):
    entry = EntryFactory(catalogue__unit=tree.gov, catalogue__year=YEAR, sponsor_unit=tree.a,
                         needs_expert_review=False, needs_risk_assessment=False)
    d = DecisionFactory(entry=entry, decided=True, decided_on=date(2025, 7, 1))
    _complete(d, risk=False, experts=False)
    d.legal_reviews.update(decided_on=date(2025, 7, 5))
    assert mdec.procedure_complete_count(YEAR, [tree.a])[tree.a.pk] == Count(0, 1)


# ------------------------------------------------------------ enforcement

def test_certified_rate_uses_certificates_valid_at_year_end(tree):
    make_officer(tree.ad)  # valid 2024–2029
    make_officer(tree.ad, valid_to=date(2025, 6, 30))  # expired during the year
    make_officer(tree.a, status="revoked")  # revoked
    make_officer(tree.b)
    gone = make_officer(tree.b)
    enf_services.update_officer(gone, by=None, is_active=False)  # not in post: not counted
    a, ad, b = _counts(enf.certified_count, tree.a, tree.ad, tree.b)
    assert a == Count(1, 3) and ad == Count(1, 2) and b == Count(1, 1)
    # The current year is judged today: the officer expiring on 2025-06-30 was still certified on 2025-03-01.
    assert enf.certified_count(YEAR, [tree.ad], today=date(2025, 3, 1))[tree.ad.pk] == Count(2, 2)


def test_major_decisions_need_a_legal_review_before_the_decision(tree):
    major = make_case("closed", unit=tree.a, major=True, today=START)
    minor = make_case("closed", unit=tree.a, today=START)
    unreviewed = make_case("closed", unit=tree.b, today=START)
    # A major fact recorded for a case decided without review (bypassing the service): not counted.
    PenaltyCase.objects.filter(pk=unreviewed.pk).update(revoke_licence=True)
    a, b, gov = _counts(enf.major_reviewed_count, tree.a, tree.b, tree.gov)
    assert a == Count(1, 1)  # the minor case is not a major decision
    assert b == Count(0, 1)
    assert gov == Count(1, 2)
    rec = enf.major_reviewed_records(tree.b, YEAR)[0]
    assert not rec.counted and "吊销许可证件" in rec.note
    assert minor.pk not in [int(r.url.rstrip("/").split("/")[-1]) for r in enf.major_reviewed_records(tree.a, YEAR)]
    assert major.decided_on.year == YEAR


def test_closed_on_time_compares_the_decision_with_the_extended_limit(tree):
    make_case("closed", unit=tree.a, today=START)
    late = make_case("closed", unit=tree.a, today=START)
    PenaltyCase.objects.filter(pk=late.pk).update(decision_due=late.decided_on - timedelta(days=1))
    make_case("served", unit=tree.a, today=START)  # not closed: not counted
    assert enf.closed_on_time_count(YEAR, [tree.a])[tree.a.pk] == Count(1, 2)
    notes = sorted(r.note for r in enf.closed_on_time_records(tree.a, YEAR))
    assert any("超过办案期限" in n for n in notes)


def test_published_on_time_counts_penalty_decisions_published_by_the_deadline(tree):
    on_time = make_case("decided", unit=tree.a, today=START)
    late = make_case("decided", unit=tree.a, today=START)
    make_case("decided", unit=tree.a, today=START)  # never published, deadline passed
    p1 = PublicationRecord.objects.get(case=on_time)
    enf_services.publish(p1, by=None, today=p1.decision_date + timedelta(days=1))
    p2 = PublicationRecord.objects.get(case=late)
    enf_services.publish(p2, by=None, today=p2.due + timedelta(days=3))
    assert enf.published_on_time_count(YEAR, [tree.a])[tree.a.pk] == Count(1, 3)
    # Before the deadlines passed only what was already published is due.
    early = p1.decision_date + timedelta(days=2)
    PublicationRecord.objects.filter(pk=p2.pk).update(published_on=None, status="pending")
    assert enf.published_on_time_count(YEAR, [tree.a], today=early)[tree.a.pk] == Count(1, 1)


# ------------------------------------------------------------ training

def test_training_rate_counts_officers_reaching_the_yearly_hours(tree):
    ok = PersonFactory(unit=tree.ad, roles=[("officer", tree.ad, False)])
    short = PersonFactory(unit=tree.ad, roles=[("officer", tree.ad, False)])
    other = PersonFactory(unit=tree.b, roles=[("officer", tree.b, False)])
    attend(ok, 40, on=date(2025, 3, 10))
    attend(ok, 20, on=date(2025, 9, 10))  # 60 学时 in 2025
    attend(short, 50, on=date(2025, 3, 10))
    attend(short, 30, on=date(2024, 3, 10))  # another year
    attend(tree.staff, 80, on=date(2025, 3, 10))  # not an officer: not counted
    a, b, gov = _counts(training.officer_hours_count, tree.a, tree.b, tree.gov)
    assert a == Count(1, 2) and b == Count(0, 1) and gov == Count(1, 3)
    notes = {r.counted: r.note for r in training.officer_hours_records(tree.a, YEAR)}
    assert "尚差 10" in notes[False]
    assert other.pk
