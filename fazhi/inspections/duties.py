"""Dates, capacities and separation of duties in 双随机、一公开 (issue 12 §0, issue 11 §1).

What ``services`` asks before it records an act a person did:

* ``inspection_date`` — the day a check was carried out (SYS-03): never after
  the server's ``today``, never before the draw that selected the object nor
  before the task's planned start; after the planned end only with a reason,
  flagged in the trail like any late entry (``fazhi.core.dates.entered_date``).
* ``check_team`` — the inspectors recorded on a result: members of the team
  drawn for that object (RAND-05), each with an enforcement certificate valid
  on the day of the check (ENF-01, as ``enforcement`` checks its officers).
* ``approver`` — a plan is approved by a head of the lead unit on that day
  (SYS-02, ``require_capacity``) who did not draft it or its tasks (SYS-01).
* ``publication_day`` — a result is not published before the check, and not by the person who recorded it (SYS-01).

Nothing here reads the clock: callers pass ``today`` / the day of the act.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from fazhi.core.dates import DATE_RULE, EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import ValidationError
from fazhi.inspections import rules
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Role


def local_day(value: date | datetime | None) -> date | None:
    """The local calendar day of a stored timestamp (a date passes through)."""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _reason(value) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > 500:
        raise ValidationError("补录理由过长（最多500字）", fields={"late_reason": "最多500字"})
    return text


@dataclass(frozen=True)
class InspectionDate:
    """The checked day of an inspection and what the trail records about it."""

    entered: EnteredDate
    after_window_days: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def value(self) -> date:
        return self.entered.value

    @property
    def late(self) -> bool:
        return self.entered.late

    def audit_data(self) -> dict:
        data = self.entered.audit_data()
        if self.after_window_days:
            data["after_window_days"] = self.after_window_days
        return data


def inspection_date(inspection, value, *, today: date, reason: str = "", field_name: str = "inspected_on",
                    label: str = "检查日期") -> InspectionDate:
    """SYS-03: the day a check was carried out, typed by a person.

    Never after ``today`` (the server's), never before the draw that selected
    the object nor before the task's planned start; after the planned end (or
    more than ``FAZHI_BACKDATE_DAYS`` back) only with ``reason``, then flagged.
    """
    if not isinstance(today, date) or isinstance(today, datetime):
        raise ValidationError("今天的日期无效", fields={"today": "请由服务器提供日期"})
    reason = _reason(reason)
    after: list[tuple[date | None, str]] = []
    selection = getattr(inspection, "selection", None) if inspection.selection_id else None
    if selection is not None and selection.draw.drawn_at:
        after.append((local_day(selection.draw.drawn_at), "抽中该对象的随机抽取日期"))
    task = inspection.task if inspection.task_id else None
    if task is not None:
        after.append((task.planned_start, "抽查任务计划开始日期"))
    entered = entered_date(value, today=today, label=label, field=field_name, after=after, reason=reason)
    if task is not None and entered.value > task.planned_end:
        days = (entered.value - task.planned_end).days
        if not reason:
            message = (f"{label}（{entered.value.isoformat()}）晚于抽查任务计划结束日期"
                       f"（{task.planned_end.isoformat()}）{days}天，须说明理由")
            raise ValidationError(message, rule=DATE_RULE, fields={field_name: [message], "late_reason": [message]})
        entered = EnteredDate(entered.value, entered.days_back, reason)
        return InspectionDate(entered, after_window_days=days)
    return InspectionDate(entered)


def check_team(inspection, team, *, on: date, field_name: str = "officers") -> None:
    """The inspectors recorded on a result (RAND-05, ENF-01): for a drawn
    object, members of the team drawn for it; each holding an enforcement
    certificate valid on ``on``, the day of the check."""
    if inspection.selection_id:
        from fazhi.inspections.models import TeamMember

        drawn = set(TeamMember.objects.filter(selection_id=inspection.selection_id)
                    .values_list("inspector_id", flat=True))
        outside = [i for i in team if i.pk not in drawn]
        if outside:
            names = "、".join(str(i) for i in outside)
            message = f"{names}不是抽取的检查组成员，不能记录为本次检查的检查人员"
            raise ValidationError(message, rule=rules.RULE_DRAW, fields={field_name: [message]})
    for i in team:
        if i.officer.valid_certificate(on) is None:
            message = f"{i}在{on.isoformat()}没有有效的行政执法证件，不能记录为检查人员"
            raise ValidationError(message, rule="ENF-01", fields={field_name: [message]})


def approver(plan, by, *, on: date) -> None:
    """A plan is approved (RAND-09) by a head of its lead unit on ``on``
    (SYS-02) who did not draft the plan or any of its tasks (SYS-01)."""
    if by is None:
        return
    drafters = [plan.created_by_id, *plan.tasks.values_list("created_by_id", flat=True)]
    ensure_not_own(by, *drafters, what="批准本人编制的抽查计划或任务")
    require_capacity(access.person_of(by), Role.HEAD, plan.unit, on=on, what="批准抽查计划的部门负责人")


def publication_day(inspection, by, *, on: date) -> None:
    """一公开 (RAND-07): the publisher did not record the result (SYS-01); the
    publication is not dated before the check (SYS-03)."""
    ensure_not_own(by, inspection.result_recorded_by_id, what="公示本人录入的检查结果")
    if inspection.inspected_on is not None and on < inspection.inspected_on:
        raise ValidationError(f"公示日期（{on.isoformat()}）不能早于检查日期（{inspection.inspected_on.isoformat()}）",
                              rule=DATE_RULE)


def task_window(plan, planned_start: date, planned_end: date) -> None:
    """A task's planned window lies in its plan's year (SYS-03): the plan is
    an annual programme; a window in another year is a typing error."""
    for d, name, key in ((planned_start, "计划开始日期", "planned_start"), (planned_end, "计划结束日期", "planned_end")):
        if d.year != plan.year:
            message = f"{name}（{d.isoformat()}）不在计划年度（{plan.year}年）内"
            raise ValidationError(message, rule=DATE_RULE, fields={key: [message]})
