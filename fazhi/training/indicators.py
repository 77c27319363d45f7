"""考核指标 of 学法用法, declared beside the records they read (see
``fazhi.core.indicators`` for the contract; ``fazhi.assessment`` shows them).

``TRAIN_OFFICER_HOURS`` 执法人员培训学时达标率 (ENF-26): active people
holding the 执法人员 role (org), counted when their credited hours of
sessions held in the year (the same sum as the shortfall list: 已举办
sessions, 出勤 attendance, by session date) reach ``rules.officer_hours()``
(60 by default). For the current year the figure is the hours so far.
The roster is today's (org keeps no history of roles). A person is placed
under their own unit; a unit's figure covers its sub-units.
"""

from collections.abc import Sequence
from datetime import date

from django.db.models import Count as N
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from fazhi.core.indicators import Count, IndicatorSource, RecordRef, rollup, subtree_q
from fazhi.org.models import Person, Role, RoleAssignment
from fazhi.training import rules
from fazhi.training.selectors import _hours_in_year


def _officers(year: int) -> QuerySet:
    is_officer = Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role=Role.OFFICER))
    return Person.objects.filter(is_officer, is_active=True).annotate(hours=_hours_in_year(year))


def officer_hours_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    if not units:
        return {}
    rows = (_officers(year).filter(subtree_q(units, "unit")).order_by().values("unit__path")
            .annotate(den=N("pk"), num=N("pk", filter=Q(hours__gte=rules.officer_hours()))))
    return rollup(((r["unit__path"], r["num"], r["den"]) for r in rows), units)


def officer_hours_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    required = rules.officer_hours()
    qs = _officers(year).filter(subtree_q([unit], "unit")).select_related("unit").order_by("unit__path", "name")
    out = []
    for p in qs:
        ok = p.hours >= required
        note = (f"{year}年度已完成 {p.hours} 学时，达到 {required} 学时" if ok
                else f"{year}年度已完成 {p.hours} 学时，尚差 {required - p.hours} 学时（应达 {required}）")
        out.append(RecordRef(f"{p.name}（{p.unit.name}）", reverse("training:person_record", args=[p.pk]), ok, note,
                             date(year, 12, 31)))
    return out


INDICATORS = (
    IndicatorSource(
        code="TRAIN_OFFICER_HOURS", name="执法人员培训学时达标率", module="training",
        description="本年度已举办培训的认定学时达到年度要求（默认60学时，可配置）的执法人员数 ÷ 在职执法人员数"
                    "（具有执法人员角色）。按培训日期归年；本年度为截至今日的学时。按人员所在单位统计，含下级单位。",
        rule="ENF-26", default_target=1.0, count=officer_hours_count, records=officer_hours_records),
)
