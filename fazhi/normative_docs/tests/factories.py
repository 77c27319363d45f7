"""Factories and state helpers for normative-documents tests.

``make_doc(state, ...)`` drives a document through the real services (as the
system, ``by=None``) up to the state asked for, so every record a state
implies exists (consultation, reviews, discussion, numbers). Text fields of
public records contain ``<script>`` by default so every portal test also
checks escaping.

    doc = make_doc("legal_review", unit=tree.a, issuer=tree.a)
    doc = make_doc("published", touches_market=True, today=date(2026, 3, 2))
"""

from datetime import date, timedelta

import factory

from fazhi.normative_docs import services
from fazhi.normative_docs.models import (
    PACKAGE_ITEMS,
    Adoption,
    DiscussionOutcome,
    IssuerCode,
    LegalOpinion,
    MeetingType,
    NormDoc,
    Status,
)
from fazhi.normative_docs.workflow import ALLOWED_MEETINGS
from fazhi.org.capacity import holders_on
from fazhi.org.models import Role, UnitKind
from fazhi.org.tests.factories import UnitFactory, person_with_role

SCRIPT = "<script>alert('x')</script>"

TEXT = (
    "第一章 总则\n"
    "第一条 为了规范农业补贴资金管理，根据《中华人民共和国预算法》等规定，制定本办法。\n"
    "第二条 本办法适用于本区农业补贴资金的申报、审核和发放。\n"
    "第二章 申报与发放\n"
    f"第三条 申请人应当如实提交材料。{SCRIPT}\n"
    "第四条 本办法自印发之日起施行。\n"
)

FULL_PACKAGE = {k: True for k in PACKAGE_ITEMS}


def head_of(unit):
    """A person who holds the head role over ``unit`` (held since before records: any date)."""
    heads = holders_on(Role.HEAD, unit, date(2000, 1, 1))
    return heads[0] if heads else person_with_role(Role.HEAD, unit, name=f"{unit.name[:8]}负责人")


class NormDocFactory(factory.django.DjangoModelFactory):
    """A bare document row in 起草 (no version); prefer ``make_doc``."""

    class Meta:
        model = NormDoc

    unit = factory.SubFactory(UnitFactory)
    issuer = factory.SelfAttribute("unit")
    issuer_level = "department"
    title = factory.Sequence(lambda n: f"测试管理办法{n}{SCRIPT}")
    status = Status.DRAFTING


def issuer_code(unit, number_prefix=None, registration_prefix=None) -> IssuerCode:
    code, _ = IssuerCode.objects.get_or_create(
        unit=unit, defaults={"number_prefix": number_prefix or f"测{unit.pk}发",
                             "registration_prefix": registration_prefix or f"T{unit.pk}GS"})
    return code


ORDER = ["drafting", "consulting", "consulted", "fair_review", "legal_review", "discussion", "to_sign", "signed",
         "registered", "published", "filed", "accepted", "correcting"]


def make_doc(state: str = "drafting", *, unit=None, issuer=None, touches_market: bool = False,
             title: str | None = None, text: str = TEXT, today: date = date(2026, 3, 2),
             effective_on: date | None = None, comments: int = 1) -> NormDoc:
    """A document in ``state`` (one of ORDER, or "amended"/"repealed"/"expired").

    Dates: consultation starts ``today`` and runs 40 days; later steps
    follow on the days after it, publication on ``today + 60``.
    """
    unit = unit or UnitFactory(name=f"测试局{UnitFactory._meta.model.objects.count()}")
    issuer = issuer or unit
    doc = services.create_draft(unit=unit, issuer=issuer, title=title or f"关于农业补贴的管理办法{SCRIPT}",
                                text=text, by=None, touches_market=touches_market,
                                explanation=f"起草说明{SCRIPT}", legal_basis="《中华人民共和国预算法》")
    target = state
    if target in ("amended", "repealed", "expired"):
        target = "published"
    steps = ORDER[: ORDER.index(target) + 1]
    if "consulting" in steps:
        c = services.start_consultation(doc, by=None, start_on=today, end_on=today + timedelta(days=40), today=today)
        for i in range(comments):
            services.submit_comment(c, content=f"建议修改{SCRIPT}", article_no="第二条", name="王五",
                                    contact="13812345678", now=_noon(today + timedelta(days=1 + i)))
    if "consulted" in steps:
        for cm in c.comments.all():
            services.answer_comment(cm, adoption=Adoption.PARTLY, reason="部分合理", by=None)
        services.close_consultation(c, by=None, today=today + timedelta(days=41))
        services.publish_consultation_summary(c, summary=f"采纳情况{SCRIPT}", by=None, today=today + timedelta(days=41))
    if "fair_review" in steps and touches_market:
        services.submit_fair_review(doc, by=None)
        services.record_fair_review(doc, passed=True, opinion="未发现排除、限制竞争内容", by=None,
                                    reviewed_on=today + timedelta(days=42), reviewing_unit_name="区市场监督管理局",
                                    today=today + timedelta(days=42))
    if "legal_review" in steps:
        services.submit_legal_review(doc, by=None, today=today + timedelta(days=43))
    if "discussion" in steps:
        services.decide_legal_review(doc.legal_reviews.get(opinion=""), opinion=LegalOpinion.PASS, text="",
                                     by=None, today=today + timedelta(days=45))
    doc.refresh_from_db()
    if "to_sign" in steps:
        meeting = ALLOWED_MEETINGS[doc.issuer_level][0]
        services.record_discussion(doc, meeting_type=meeting, meeting_name="第1次办公会议",
                                   held_on=today + timedelta(days=50), outcome=DiscussionOutcome.ADOPTED, by=None,
                                   chair=head_of(doc.issuer), today=today + timedelta(days=50))
    if "signed" in steps:
        services.sign(doc, by=None, now=_noon(today + timedelta(days=52)))
    if "registered" in steps:
        issuer_code(issuer)
        services.register(doc, by=None, today=today + timedelta(days=55))
    if "published" in steps:
        pub = today + timedelta(days=60)
        services.publish(doc, by=None, today=pub, effective_on=effective_on or pub + timedelta(days=30))
    if "filed" in steps:
        services.file_doc(doc, by=None, filed_on=today + timedelta(days=65), package=FULL_PACKAGE,
                          today=today + timedelta(days=65))
    if "accepted" in steps:
        services.accept_filing(doc.filings.get(), receipt_no="BA-1", by=None, today=today + timedelta(days=66))
    if "correcting" in steps:
        review = doc.filings.get().review
        services.decide_filing_review(review, finding="unlawful", opinion="第三条增设义务", by=None,
                                      today=today + timedelta(days=70))
    doc.refresh_from_db()
    if state == "repealed":
        services.repeal(doc, by=None, repealed_on=today + timedelta(days=100), reason="不再适用",
                        today=today + timedelta(days=100))
    elif state == "expired":
        services._end(doc, "expire", on=today + timedelta(days=100), reason="测试", by=None)
    elif state == "amended":
        new = services.start_amendment(doc, by=None)
        make_rest(new, today=today + timedelta(days=120))
    doc.refresh_from_db()
    return doc


def make_rest(doc: NormDoc, *, today: date) -> NormDoc:
    """Drive an amendment draft to publication."""
    c = services.start_consultation(doc, by=None, start_on=today, end_on=today + timedelta(days=40), today=today)
    services.close_consultation(c, by=None, today=today + timedelta(days=41))
    services.publish_consultation_summary(c, summary="无意见", by=None, today=today + timedelta(days=41))
    if doc.touches_market:
        services.submit_fair_review(doc, by=None)
        services.record_fair_review(doc, passed=True, opinion="通过", by=None, reviewed_on=today + timedelta(days=42),
                                    reviewing_unit_name="区市场监督管理局", today=today + timedelta(days=42))
    r = services.submit_legal_review(doc, by=None, today=today + timedelta(days=43))
    services.decide_legal_review(r, opinion=LegalOpinion.PASS, text="", by=None, today=today + timedelta(days=45))
    doc.refresh_from_db()
    services.record_discussion(doc, meeting_type=ALLOWED_MEETINGS[doc.issuer_level][0], meeting_name="办公会议",
                               held_on=today + timedelta(days=50), outcome=DiscussionOutcome.ADOPTED, by=None,
                               chair=head_of(doc.issuer), today=today + timedelta(days=50))
    services.sign(doc, by=None, now=_noon(today + timedelta(days=52)))
    issuer_code(doc.issuer)
    services.register(doc, by=None, today=today + timedelta(days=55))
    pub = today + timedelta(days=60)
    services.publish(doc, by=None, today=pub, effective_on=pub + timedelta(days=30))
    doc.refresh_from_db()
    return doc


def _noon(d: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(d, time(12, 0)))


def government(**kw):
    return UnitFactory(kind=UnitKind.GOVERNMENT, **kw)


__all__ = ["FULL_PACKAGE", "MeetingType", "NormDocFactory", "SCRIPT", "TEXT", "issuer_code", "make_doc",
           "make_rest", "government"]
