"""考核指标 of 双随机、一公开, declared beside the records they read (see
``fazhi.core.indicators`` for the contract; ``fazhi.assessment`` shows them).

Every inspection is placed under its inspecting department (``unit``; for a
joint task, the lead department); a unit's figure covers its sub-units.

* ``INS_RANDOM_SHARE`` 双随机抽查占比 (RAND-01): inspections carried out in the
  year (result recorded, ``inspected_on`` in the year) — counted when done by
  double-random draw (``kind = random``); the others are 非随机检查 (投诉举报、
  转办交办、专项检查…).
* ``INS_PUBLISHED_ON_TIME`` 抽查结果按期公示率 (RAND-07): results whose
  publication deadline (``publish_due``, N working days after the check)
  falls in the year and has passed — or that were already published —;
  counted when published on or before the deadline (local date).
"""

from collections.abc import Sequence
from datetime import date

from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.core.indicators import Count, IndicatorSource, RecordRef, count_by_unit
from fazhi.inspections.models import Inspection, InspectionKind, InspectionStatus


def _url(pk) -> str:
    try:
        return reverse("inspections:inspection_detail", args=[pk])
    except NoReverseMatch:
        return ""


def _title(i: Inspection) -> str:
    what = i.task.title if i.task_id else i.get_non_random_reason_display()
    return f"{i.entity.name}（{what}，{i.unit.name}）"


# --------------------------------------------------------------- 双随机抽查占比

def _random_qs(year: int) -> QuerySet:
    return Inspection.objects.exclude(status=InspectionStatus.PENDING).filter(
        inspected_on__gte=date(year, 1, 1), inspected_on__lte=date(year, 12, 31))


RANDOM_OK = Q(kind=InspectionKind.RANDOM)


def random_share_count(year: int, units: Sequence) -> dict[int, Count]:
    return count_by_unit(_random_qs(year), units, RANDOM_OK)


def random_share_records(unit, year: int) -> list[RecordRef]:
    qs = (_random_qs(year).filter(unit__path__startswith=unit.path).select_related("entity", "unit", "task")
          .order_by("inspected_on", "pk"))
    return [RecordRef(title=_title(i), url=_url(i.pk), counted=i.kind == InspectionKind.RANDOM,
                      note="双随机抽查" if i.kind == InspectionKind.RANDOM
                      else f"非随机检查：{i.get_non_random_reason_display()}", date=i.inspected_on) for i in qs]


# ---------------------------------------------------------- 抽查结果按期公示率

def _published_qs(year: int, today: date) -> QuerySet:
    return Inspection.objects.filter(publish_due__gte=date(year, 1, 1), publish_due__lte=date(year, 12, 31)).filter(
        Q(status=InspectionStatus.PUBLISHED) | Q(publish_due__lt=today))


PUBLISHED_OK = Q(status=InspectionStatus.PUBLISHED)


def published_on_time_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    today = today or timezone.localdate()
    # published on or before the deadline (local date of the publication)
    ok = PUBLISHED_OK & Q(published_at__date__lte=F("publish_due"))
    return count_by_unit(_published_qs(year, today), units, ok)


def published_on_time_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    today = today or timezone.localdate()
    qs = (_published_qs(year, today).filter(unit__path__startswith=unit.path)
          .select_related("entity", "unit", "task").order_by("publish_due", "pk"))
    out = []
    for i in qs:
        published = timezone.localdate(i.published_at) if i.published_at else None
        counted = published is not None and published <= i.publish_due
        if published is None:
            note = f"逾期未公示（期限{i.publish_due}）"
        elif counted:
            note = f"{published}公示（期限{i.publish_due}）"
        else:
            note = f"逾期公示：{published}公示，期限{i.publish_due}"
        out.append(RecordRef(title=_title(i), url=_url(i.pk), counted=counted, note=note, date=i.publish_due))
    return out


INDICATORS = (
    IndicatorSource(
        code="INS_RANDOM_SHARE", name="双随机抽查占比", module="inspections",
        description="本年度以双随机方式完成的检查数 ÷ 本年度完成的全部检查数（含投诉举报、转办交办、专项检查等非随机"
                    "检查）。以检查日期归年；按检查部门统计，含下级单位；联合抽查计入牵头部门。",
        rule="RAND-01", default_target=0.3, count=random_share_count, records=random_share_records),
    IndicatorSource(
        code="INS_PUBLISHED_ON_TIME", name="抽查结果按期公示率", module="inspections",
        description="在公示期限（检查之日起20个工作日，可设置）内公示的抽查结果数 ÷ 公示期限在本年度内届满（或已公示）"
                    "的抽查结果数。以公示期限所在年度归年。",
        rule="RAND-07", default_target=1.0, count=published_on_time_count, records=published_on_time_records),
)


# ------------------------------------------------------------ overdue (cockpit)

def _results_unpublished(today: date) -> QuerySet:
    # The same rule as selectors.overdue_publications, without a user's scope:
    # the cockpit narrows by the units the viewer may see.
    return Inspection.objects.filter(status=InspectionStatus.RECORDED, publish_due__lt=today)


# (title, rule, query(today) -> QuerySet, unit field, list URL name), read by the cockpit.
OVERDUE = (
    ("逾期未公示的抽查检查结果", "RAND-07", _results_unpublished, "unit", "inspections:inspection_list"),
)
