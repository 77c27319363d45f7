"""考核指标 of 行政执法, declared beside the records they read (see
``fazhi.core.indicators`` for the contract; ``fazhi.assessment`` shows them).

Every record is placed under its enforcing unit (``unit``); a unit's figure
covers its sub-units (e.g. a bureau includes its 执法大队).

* ``ENF_CERTIFIED`` 执法人员持证率 (ENF-01, ENF-25): active officers (在岗, person
  在职) with a certificate valid on the reference day — 31 December of the
  year, or today for the current year. A certificate counts as 有效 on that
  day if it is 有效 now, or was suspended/revoked only after that day
  (``status_changed_on``). Officers are today's roster: the system keeps no
  history of postings.
* ``ENF_MAJOR_REVIEWED`` 重大执法决定法制审核率 (ENF-04): general-procedure
  decisions made in the year (``decided_on``) on a 重大 case — the triggers of
  ``rules.major_reasons`` (fine or confiscation at the thresholds, licence
  revoked, business stopped, hearing held, complex, major public interest) or
  sent to review — counted when a 法制审核 with 同意 is dated on or before
  the decision.
* ``ENF_CLOSED_ON_TIME`` 行政处罚案件按期办结率 (ENF-08): general-procedure
  cases closed (结案) in the year; counted when the decision was made within
  the case's limit — 90 days from 立案 plus every recorded, approved extension
  (``decision_due`` as extended by ``CaseExtension``). Summary (当场) cases
  have no such limit and are not counted.
* ``ENF_PUBLISHED_ON_TIME`` 处罚决定按期公示率 (ENF-19): penalty-decision
  publications whose deadline (7 WD after the decision) falls in the year and
  has passed — or that were already published —; counted when published on or
  before the deadline. A decision withdrawn before it was ever published is no
  longer due and is not counted.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from fazhi.core.indicators import Count, IndicatorSource, RecordRef, count_by_unit, subtree_q
from fazhi.enforcement import rules
from fazhi.enforcement.models import (
    CaseExtension,
    Certificate,
    CertificateStatus,
    LegalReview,
    Officer,
    PartyKind,
    PenaltyCase,
    Procedure,
    PublicationRecord,
    PublicationStatus,
)


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _bool(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _case_url(pk) -> str:
    return reverse("enforcement:case_detail", args=[pk])


def _today(today):
    return today or timezone.localdate()


# ------------------------------------------------------------ 执法人员持证率

def reference_day(year: int, today: date) -> date:
    """31 December of a past year; today for the current (or a future) year."""
    return min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31)


def _certified_qs(year: int, today: date) -> QuerySet:
    on = reference_day(year, today)
    valid = Certificate.objects.filter(officer=OuterRef("pk"), valid_from__lte=on, valid_to__gte=on).filter(
        Q(status=CertificateStatus.VALID) | Q(status_changed_on__gt=on))
    return Officer.objects.filter(is_active=True, person__is_active=True).annotate(ok=Exists(valid))


def certified_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_certified_qs(year, _today(today)), units, Q(ok=True))


def certified_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    today = _today(today)
    on = reference_day(year, today)
    qs = (_certified_qs(year, today).filter(subtree_q([unit], "unit"))
          .select_related("person", "unit").prefetch_related("certificates").order_by("unit__path", "person__name"))
    out = []
    for o in qs:
        certs = sorted(o.certificates.all(), key=lambda c: c.valid_to, reverse=True)
        if o.ok:
            c = next(c for c in certs if c.valid_from <= on <= c.valid_to)
            note = f"{on} 持有效执法证 {c.number}（有效期至 {c.valid_to}）"
        elif certs:
            c = certs[0]
            note = f"{on} 无有效执法证（最近证件 {c.number}：{c.display_status(on)}，有效期 {c.valid_from}—{c.valid_to}）"
        else:
            note = "未领取执法证"
        out.append(RecordRef(f"{o.person.name}（{o.unit.name}）", reverse("enforcement:officer_detail", args=[o.pk]),
                             bool(o.ok), note, on))
    return out


# ------------------------------------------------------- 重大执法决定法制审核率

def major_q() -> Q:
    """The 重大 triggers of ``rules.major_reasons`` as a filter (ENF-04)."""
    return (Q(legal_review_required=True) | Q(revoke_licence=True) | Q(order_stop_business=True)
            | Q(is_complex=True) | Q(major_public_interest=True) | Q(hearing_held_on__isnull=False)
            | Q(confiscation_amount__gte=Decimal(rules.get("major_confiscation")))
            | Q(party_kind=PartyKind.PERSON, fine_amount__gte=rules.major_fine_threshold(PartyKind.PERSON))
            | Q(party_kind=PartyKind.ORG, fine_amount__gte=rules.major_fine_threshold(PartyKind.ORG)))


def _major_qs(year: int) -> QuerySet:
    passed = LegalReview.objects.filter(case=OuterRef("pk"), result=LegalReview.Result.PASSED,
                                        reviewed_on__lte=OuterRef("decided_on"))
    return (PenaltyCase.objects.filter(major_q(), procedure=Procedure.GENERAL, decided_on__range=_bounds(year))
            .annotate(ok=Exists(passed)))


def major_reviewed_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_major_qs(year), units, Q(ok=True))


def major_reviewed_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    qs = _major_qs(year).filter(subtree_q([unit], "unit")).select_related("unit").order_by("decided_on", "pk")
    out = []
    for c in qs:
        why = "、".join(rules.major_reasons(c)) or "已提交法制审核"
        note = ("决定前经法制审核同意" if c.ok else "决定前无同意的法制审核") + f"；重大情形：{why}"
        out.append(RecordRef(f"{c.decision_no or c.display_no} {c.cause}（{c.unit.name}）", _case_url(c.pk),
                             bool(c.ok), note, c.decided_on))
    return out


# ------------------------------------------------------- 行政处罚案件按期办结率

def _closed_qs(year: int) -> QuerySet:
    return (PenaltyCase.objects.filter(procedure=Procedure.GENERAL, closed_on__range=_bounds(year))
            .annotate(ok=_bool(Q(decided_on__lte=F("decision_due")))))


def closed_on_time_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_closed_qs(year), units, Q(decided_on__lte=F("decision_due")))


def closed_on_time_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    ext = (CaseExtension.objects.filter(case=OuterRef("pk")).order_by().values("case")
           .annotate(t=Sum("days")).values("t"))
    qs = (_closed_qs(year).filter(subtree_q([unit], "unit")).annotate(ext_days=Subquery(ext))
          .select_related("unit").order_by("closed_on", "pk"))
    out = []
    for c in qs:
        limit = f"办案期限 {c.decision_due}" + (f"（含经批准延长 {c.ext_days} 日）" if c.ext_days else "")
        if c.ok:
            note = f"立案 {c.filed_on}，{c.decided_on} 作出决定，在{limit}内"
        else:
            late = (c.decided_on - c.decision_due).days if c.decided_on and c.decision_due else 0
            note = f"立案 {c.filed_on}，{c.decided_on} 作出决定，超过{limit} {late} 日"
        out.append(RecordRef(f"{c.case_no or c.display_no} {c.cause}（{c.unit.name}）", _case_url(c.pk),
                             bool(c.ok), note, c.closed_on))
    return out


# ------------------------------------------------------- 处罚决定按期公示率

def _publication_qs(year: int, today: date) -> QuerySet:
    return (PublicationRecord.objects.filter(kind=PublicationRecord.Kind.PENALTY, due__range=_bounds(year))
            .exclude(status=PublicationStatus.WITHDRAWN, published_on__isnull=True)
            .filter(Q(due__lt=today) | Q(published_on__isnull=False))
            .annotate(ok=_bool(Q(published_on__lte=F("due")))))


def published_on_time_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    return count_by_unit(_publication_qs(year, _today(today)), units, Q(published_on__lte=F("due")))


def published_on_time_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    qs = (_publication_qs(year, _today(today)).filter(subtree_q([unit], "unit"))
          .select_related("unit", "case").order_by("due", "pk"))
    out = []
    for p in qs:
        if p.ok:
            note = f"{p.published_on} 公示，期限 {p.due}（{p.due_rule}）"
        elif p.published_on:
            note = f"逾期公示：{p.published_on} 公示，期限 {p.due}（{p.due_rule}）"
        else:
            note = f"截至统计日未公示，期限 {p.due} 已过（{p.due_rule}）"
        title = p.title or f"{p.case.decision_no} 行政处罚决定"
        out.append(RecordRef(f"{title}（{p.unit.name}）", _case_url(p.case_id), bool(p.ok), note, p.due))
    return out


INDICATORS = (
    IndicatorSource(
        code="ENF_CERTIFIED", name="执法人员持证率", module="enforcement",
        description="统计日（往年为12月31日，本年度为今日）持有效执法证的在岗执法人员数 ÷ 在岗执法人员数。"
                    "按执法人员所在单位统计，含下级单位。",
        rule="ENF-01, ENF-25", default_target=1.0, count=certified_count, records=certified_records),
    IndicatorSource(
        code="ENF_MAJOR_REVIEWED", name="重大执法决定法制审核率", module="enforcement",
        description="决定前经法制审核同意的重大执法决定数 ÷ 本年度作出的重大执法决定数（普通程序；重大情形按"
                    "较大数额罚没、吊销许可、责令停产停业、经过听证、案情复杂、涉及重大公共利益认定）。以决定日期归年。",
        rule="ENF-04", default_target=1.0, count=major_reviewed_count, records=major_reviewed_records),
    IndicatorSource(
        code="ENF_CLOSED_ON_TIME", name="行政处罚案件按期办结率", module="enforcement",
        description="在办案期限（立案之日起90日，含经批准并记录的延长）内作出处罚决定的案件数 ÷ 本年度结案的"
                    "普通程序案件数。以结案日期归年；简易程序不计入。",
        rule="ENF-08", default_target=1.0, count=closed_on_time_count, records=closed_on_time_records),
    IndicatorSource(
        code="ENF_PUBLISHED_ON_TIME", name="处罚决定按期公示率", module="enforcement",
        description="在公示期限（决定之日起7个工作日）内公示的行政处罚决定数 ÷ 公示期限在本年度内届满（或已公示）"
                    "的处罚决定数。以公示期限所在年度归年；公示前已撤回的决定不计入。",
        rule="ENF-19", default_target=1.0, count=published_on_time_count, records=published_on_time_records),
)


# ------------------------------------------------------------ overdue (cockpit)

def _cases_overdue(today: date) -> QuerySet:
    from fazhi.enforcement.selectors import cases_overdue

    return cases_overdue(today)


def _payments_overdue(today: date) -> QuerySet:
    from fazhi.enforcement.selectors import payments_overdue

    return payments_overdue(today)


def _publications_overdue(today: date) -> QuerySet:
    return PublicationRecord.objects.filter(status=PublicationStatus.PENDING, due__lt=today)


# (title, rule, query(today) -> QuerySet, unit field, list URL name), read by the cockpit.
OVERDUE = (
    ("超过办案期限未作出决定的案件", "ENF-08", _cases_overdue, "unit", "enforcement:case_list"),
    ("逾期未公示的行政处罚决定", "ENF-19", _publications_overdue, "unit", "enforcement:case_list"),
    ("逾期未缴纳罚款的案件", "ENF-14", _payments_overdue, "unit", "enforcement:case_list"),
)
