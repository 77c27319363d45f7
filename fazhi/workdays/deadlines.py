"""Stored deadlines that follow the calendar: one mechanism for every module.

A module that stores a deadline computed through working days (or a
calendar-day period that rolls over a day off) declares it once, in its own
``deadlines.py``, as a ``DeadlineKind``: the model, the fields holding the
start, the due date, the rule text and the provisional flag, and a pure
function recomputing the due date from the start through ``workdays``::

    KINDS = (
        DeadlineKind(
            key="normative_docs.publication", label="公布期限（NDOC-20）",
            model="normative_docs.NormDoc", start="adopted_on", due="publication_due",
            provisional="publication_provisional", rule="publication_rule",
            # compute: omitted = recompute from the stored start and rule text
            # (``from_rule``); or the module's own function(record, calendar).
            permission="normative_docs.view", decide_permission="normative_docs.draft",
            url=lambda doc: reverse("normative_docs:detail", args=[doc.pk]),
        ),
    )

``fazhi/modules.py`` lists the modules' ``KINDS`` by hand
(``deadline_kinds()``); nothing is discovered.

When the calendar changes (a notice imported, the built-in calendar
re-synced, one day corrected), ``services`` calls ``recompute`` **inside the
transaction of the change**. For every registered deadline whose period runs
over a day whose working status changed, or over a year whose arrangement
became confirmed (design note 2: a provisional deadline is recomputed once
the notice is loaded):

* the due date and provisional flag are recomputed with the new calendar;
* a deadline whose stored date has not passed yet (``today`` is the
  server's date at the change) is moved: the record is updated, an audit
  entry ``workdays.deadline.recomputed`` is written on the record with the
  old and the new date, and a ``DeadlineChange`` (state 已重新计算) tells the
  people responsible on their dashboard;
* a deadline whose stored date has already passed is **not** moved: a
  ``DeadlineChange`` (state 待人工确认) and an audit entry
  ``workdays.deadline.flagged`` ask a person to decide (keep the date that
  applied, or apply the new one: ``resolve``);
* a deadline whose date stays but that was provisional becomes confirmed
  (audit entry ``workdays.deadline.confirmed``);
* a confirmed deadline whose stored date is not what its rule gave with the
  old calendar (set by hand, extended, a clock stop) is left to its module
  and only counted (``skipped``): the mechanism never overwrites a date it
  cannot reproduce.

One batch audit entry ``workdays.deadlines.recomputed`` on the
``CalendarChange`` row carries the counts. Re-importing the same notice
changes no day, so it recomputes nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core.errors import Conflict, NotFound, ValidationError, ensure
from fazhi.org.access import allowed, is_admin, person_of
from fazhi.workdays.calendar import Calendar, Deadline

ACTION_RECOMPUTED = "workdays.deadline.recomputed"
ACTION_CONFIRMED = "workdays.deadline.confirmed"
ACTION_FLAGGED = "workdays.deadline.flagged"
ACTION_KEPT = "workdays.deadline.kept"
ACTION_APPLIED = "workdays.deadline.applied"
ACTION_ACKNOWLEDGED = "workdays.deadline.acknowledged"
ACTION_BATCH = "workdays.deadlines.recomputed"


@dataclass(frozen=True)
class Recomputed:
    """What a ``compute`` function returns when it does not return a
    ``workdays.calendar.Deadline``: the due date and whether it is provisional."""

    due: date
    provisional: bool


@dataclass(frozen=True)
class DeadlineKind:
    """One stored deadline of one model.

    ``compute(record, calendar)`` is pure: it reads the record's own fields
    (the start, the stored rule) and the calendar, never the clock, and
    returns a ``Deadline`` or a ``Recomputed`` — or None when this record's
    deadline cannot be recomputed (then it is left alone). Without
    ``compute`` the stored rule text says how (``from_rule``).
    ``unit(record)`` is the unit responsible (default ``record.unit``);
    ``permission`` who sees a change on the dashboard, ``decide_permission``
    who decides on a flagged one. ``select_related`` serves ``unit``,
    ``title`` and ``url`` without a query per record.
    """

    key: str  # "<app>.<name>", unique
    label: str  # "公布期限（NDOC-20）"
    model: str  # "<app_label>.<Model>"
    start: str
    due: str
    permission: str
    decide_permission: str
    provisional: str = ""
    rule: str = ""
    compute: Callable | None = None  # None: from_rule(start, rule text)
    unit: Callable | None = None
    title: Callable = str
    url: Callable | None = None
    select_related: tuple[str, ...] = ()
    # Narrows a shared model to this kind's records, e.g. (("doc__isnull", False),)
    # for one module's rows of fazhi.consultations.
    where: tuple[tuple[str, object], ...] = ()

    def model_class(self):
        return apps.get_model(self.model)

    def unit_of(self, obj):
        return self.unit(obj) if self.unit else getattr(obj, "unit", None)

    def rule_of(self, obj) -> str:
        return getattr(obj, self.rule, "") if self.rule else ""

    def provisional_of(self, obj) -> bool:
        return bool(getattr(obj, self.provisional)) if self.provisional else False

    def url_of(self, obj) -> str:
        return self.url(obj) if self.url else ""


def kinds() -> tuple[DeadlineKind, ...]:
    """The registered kinds, from the explicit list in ``fazhi/modules.py``."""
    from fazhi.modules import deadline_kinds

    return deadline_kinds()


def kind(key: str) -> DeadlineKind:
    for k in kinds():
        if k.key == key:
            return k
    raise NotFound(f"未登记的期限类型“{key}”")


# ------------------------------------------------------------ computing from a rule

_RULE_RE = re.compile(r"(\d+)\s*(个工作日|个自然日|日)")


def from_rule(start: date, rule_text: str, calendar: Calendar) -> Deadline | None:
    """Recompute from the stored rule text ("NDOC-20 20个工作日",
    "ENF-14 15日", "30个自然日（末日遇节假日顺延）"): the number of days
    and how they count are the ones the deadline was computed with, so a
    later change of a setting never rewrites an old deadline. None when
    the text names no period."""
    m = _RULE_RE.search(rule_text or "")
    if not m or start is None:
        return None
    n = int(m.group(1))
    if m.group(2) == "个工作日":
        return calendar.add_workdays(start, n)
    return calendar.add_calendar_days(start, n, roll_over="顺延" in rule_text)


# ------------------------------------------------------------ what a change touched


@dataclass(frozen=True)
class CalendarDiff:
    """Days whose working status differs between two calendars, and years whose
    confirmation changed (their provisional deadlines must be recomputed)."""

    days: tuple[date, ...]
    confirmed_years: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return not self.days and not self.confirmed_years

    def span(self) -> tuple[date, date] | None:
        points = list(self.days)
        for y in self.confirmed_years:
            points += [date(y, 1, 1), date(y, 12, 31)]
        return (min(points), max(points)) if points else None


def snapshot(years) -> Calendar:
    """The calendar of ``years`` as it is now, loaded into memory (call before the change)."""
    cal = Calendar(years)
    for y in years:
        cal.year(y)
    return cal


def diff(before: Calendar, after: Calendar, years) -> CalendarDiff:
    days, confirmed = [], []
    for y in sorted(set(years)):
        if before.year(y).confirmed != after.year(y).confirmed:
            confirmed.append(y)
        d = date(y, 1, 1)
        while d.year == y:
            if before.is_workday(d) != after.is_workday(d):
                days.append(d)
            d += timedelta(days=1)
    return CalendarDiff(tuple(days), tuple(confirmed))


# ------------------------------------------------------------ recomputing


@dataclass
class RecomputeResult:
    change: object = None  # models.CalendarChange, or None when nothing changed
    checked: int = 0
    moved: int = 0
    confirmed: int = 0
    flagged: int = 0
    skipped: int = 0  # stored date not reproducible by its rule: left to its module
    by_kind: dict = field(default_factory=dict)  # key -> {"moved": n, "flagged": n, "confirmed": n}

    def summary(self) -> str:
        text = (f"重新计算期限：核对 {self.checked} 项，调整 {self.moved} 项，"
                f"由暂定转为确定 {self.confirmed} 项，已过期限待人工确认 {self.flagged} 项")
        if self.skipped:
            text += f"，非按规则计算（如经人工调整）未改动 {self.skipped} 项"
        return text


def _count(result: RecomputeResult, key: str, what: str) -> None:
    setattr(result, what, getattr(result, what) + 1)
    row = result.by_kind.setdefault(key, {"moved": 0, "confirmed": 0, "flagged": 0})
    row[what] += 1


def _candidates(k: DeadlineKind, lo: date, hi: date):
    """Records of kind ``k`` whose period (start, due] may include a day of [lo, hi]."""
    model = k.model_class()
    qs = model._default_manager.filter(**{f"{k.start}__isnull": False, f"{k.due}__isnull": False,
                                          f"{k.start}__lt": hi, f"{k.due}__gte": lo})
    if k.where:
        qs = qs.filter(**dict(k.where))
    if k.select_related:
        qs = qs.select_related(*k.select_related).select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    return qs.order_by("pk")


def _result_of(k: DeadlineKind, obj, calendar: Calendar):
    if k.compute is not None:
        r = k.compute(obj, calendar)
    else:
        r = from_rule(getattr(obj, k.start), k.rule_of(obj), calendar)
    return None if r is None else Recomputed(r.due, bool(r.provisional))


def _audit_data(k, obj, old_due, old_prov, new, change) -> dict:
    return {"kind": k.key, "label": k.label, "field": k.due, "start": getattr(obj, k.start),
            "rule": k.rule_of(obj), "old_due": old_due, "new_due": new.due,
            "old_provisional": old_prov, "new_provisional": new.provisional,
            "cause": change.cause, "calendar_change": change.pk}


def _write(k: DeadlineKind, obj, new: Recomputed) -> None:
    setattr(obj, k.due, new.due)
    fields = [k.due]
    if k.provisional:
        setattr(obj, k.provisional, new.provisional)
        fields.append(k.provisional)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)


def _new_change_row(k, obj, change, old_due, old_prov, new, state):
    from fazhi.workdays.models import DeadlineChange

    unit = k.unit_of(obj)
    # A newer flag on the same deadline replaces an older one still open.
    DeadlineChange.objects.filter(kind=k.key, object_id=obj.pk, state__in=DeadlineChange.OPEN_STATES).update(
        state=DeadlineChange.State.SUPERSEDED, updated_at=timezone.now())
    return DeadlineChange.objects.create(
        change=change, kind=k.key, kind_label=k.label[:100], object_type=obj._meta.label_lower,
        object_id=obj.pk, object_repr=str(k.title(obj))[:200], url=k.url_of(obj)[:300],
        unit=unit, permission=k.permission, decide_permission=k.decide_permission, rule=k.rule_of(obj)[:100],
        start=getattr(obj, k.start), old_due=old_due, new_due=new.due, old_provisional=old_prov,
        new_provisional=new.provisional, state=state)


def recompute(before: Calendar, years, *, cause: str, today: date | None, by) -> RecomputeResult:
    """Recompute every registered deadline touched by the change from
    ``before`` to the calendar now in the database. Runs inside the
    caller's transaction (the calendar change), so the change, the moved
    deadlines and their audit entries commit or roll back together.

    ``today`` is the server's date; with ``today=None`` (a caller that does
    not know it) no deadline is moved silently: every move is flagged.
    """
    from fazhi.workdays.models import CalendarChange, DeadlineChange

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("deadlines.recompute must run inside the transaction of the calendar change")
    years = sorted(set(years))
    after = snapshot(years)
    d = diff(before, after, years)
    result = RecomputeResult()
    span = d.span()
    if span is None:
        return result
    lo, hi = span
    change = CalendarChange.objects.create(
        cause=cause[:200], years=years, changed_days=[x.isoformat() for x in d.days],
        today=today, by=by if getattr(by, "is_authenticated", False) else None)
    result.change = change
    for k in kinds():
        for obj in _candidates(k, lo, hi):
            result.checked += 1
            new = _result_of(k, obj, after)
            if new is None:
                continue
            old_due, old_prov = getattr(obj, k.due), k.provisional_of(obj)
            if new.due == old_due and new.provisional == old_prov:
                continue
            if not old_prov:
                was = _result_of(k, obj, before)
                if was is None or was.due != old_due:
                    # The stored date is not what the rule gave with the old calendar: it was
                    # set another way (by hand, an extension, a clock stop). Its module owns it.
                    result.skipped += 1
                    continue
            data = _audit_data(k, obj, old_due, old_prov, new, change)
            if new.due == old_due:
                _write(k, obj, new)
                record(obj, ACTION_CONFIRMED, by=by, data=data, unit=k.unit_of(obj))
                _count(result, k.key, "confirmed")
            elif today is None or old_due < today:
                row = _new_change_row(k, obj, change, old_due, old_prov, new, DeadlineChange.State.FLAGGED)
                record(obj, ACTION_FLAGGED, by=by, data={**data, "deadline_change": row.pk}, unit=k.unit_of(obj))
                _count(result, k.key, "flagged")
            else:
                _write(k, obj, new)
                row = _new_change_row(k, obj, change, old_due, old_prov, new, DeadlineChange.State.MOVED)
                record(obj, ACTION_RECOMPUTED, by=by, data={**data, "deadline_change": row.pk},
                       unit=k.unit_of(obj))
                _count(result, k.key, "moved")
    change.checked, change.moved = result.checked, result.moved
    change.confirmed, change.flagged, change.skipped = result.confirmed, result.flagged, result.skipped
    change.save(update_fields=["checked", "moved", "confirmed", "flagged", "skipped", "updated_at"])
    record(change, ACTION_BATCH, by=by, data={
        "cause": change.cause, "years": years, "changed_days": change.changed_days, "today": today,
        "checked": result.checked, "moved": result.moved, "confirmed": result.confirmed,
        "flagged": result.flagged, "skipped": result.skipped, "by_kind": result.by_kind})
    return result


# ------------------------------------------------------------ a person's answer


def can_decide(user, row) -> bool:
    """Holders of the kind's deciding permission over the record's unit. A row
    whose unit is gone is for administrators only (``allowed`` without a unit
    would mean "anywhere at all")."""
    if row.unit_id is None:
        return is_admin(user)
    return allowed(user, row.decide_permission, row.unit)


def _lock_row(row):
    from fazhi.workdays.models import DeadlineChange

    try:
        return DeadlineChange.objects.select_for_update().get(pk=row.pk)
    except DeadlineChange.DoesNotExist:
        raise NotFound("该期限调整记录不存在")


def _resolved(row, state, by, now, note):
    person = person_of(by)
    row.state, row.resolved_at, row.resolved_by = state, now, by
    row.resolved_by_name = (person.name if person else by.get_username())[:100]
    row.note = note[:500]
    row.save(update_fields=["state", "resolved_at", "resolved_by", "resolved_by_name", "note", "updated_at"])


@transaction.atomic
def acknowledge(row, *, by, now=None):
    """知悉: the person responsible has seen a recomputed deadline; it leaves the dashboard."""
    from fazhi.workdays.models import DeadlineChange

    row = _lock_row(row)
    ensure(can_decide(by, row), "只有该期限的责任人员可以确认知悉")
    if row.state != DeadlineChange.State.MOVED:
        raise Conflict(f"该期限调整已处理（{row.get_state_display()}）")
    _resolved(row, DeadlineChange.State.ACKNOWLEDGED, by, now or timezone.now(), "")
    record(row, ACTION_ACKNOWLEDGED, by=by, unit=row.unit_id, data={
        "kind": row.kind, "object": f"{row.object_type}:{row.object_id}", "old_due": row.old_due,
        "new_due": row.new_due})
    return row


KEEP, APPLY = "keep", "apply"
DECISIONS = {KEEP: "保留原期限", APPLY: "按新日历调整"}


@transaction.atomic
def resolve(row, *, by, decision: str, note: str, now=None):
    """A person's decision on a flagged deadline (one that had passed when the
    calendar changed): keep the date that applied, or apply the date the new
    calendar gives. Either way the reason is required and the record's own
    trail gets an entry; ``apply`` recomputes with the calendar of today, not
    the one of the flag."""
    from fazhi.workdays.models import DeadlineChange

    row = _lock_row(row)
    ensure(can_decide(by, row), "只有该期限的责任人员可以处理")
    if row.state != DeadlineChange.State.FLAGGED:
        raise Conflict(f"该期限已处理（{row.get_state_display()}）")
    if decision not in DECISIONS:
        raise ValidationError("请选择处理方式：保留原期限或按新日历调整", fields={"decision": "请选择处理方式"})
    note = (note or "").strip()
    if not note:
        raise ValidationError("请填写处理理由", fields={"note": "请填写处理理由"})
    k = kind(row.kind)
    obj = k.model_class()._default_manager.select_for_update().filter(pk=row.object_id).first()
    if obj is None:
        raise NotFound("该期限所属的记录已不存在")
    old_due, old_prov = getattr(obj, k.due), k.provisional_of(obj)
    if decision == APPLY:
        new = _result_of(k, obj, Calendar())
        if new is None:
            raise Conflict("该期限已无法按规则重新计算，请保留原期限")
    else:
        # The person confirms the date that applied: it is no longer an estimate.
        new = Recomputed(old_due, False)
    if (new.due, new.provisional) != (old_due, old_prov):
        _write(k, obj, new)
    now = now or timezone.now()
    _resolved(row, DeadlineChange.State.APPLIED if decision == APPLY else DeadlineChange.State.KEPT, by, now, note)
    record(obj, ACTION_APPLIED if decision == APPLY else ACTION_KEPT, by=by, unit=row.unit_id, data={
        "kind": k.key, "label": k.label, "field": k.due, "old_due": old_due, "new_due": new.due,
        "old_provisional": old_prov, "new_provisional": new.provisional, "note": note,
        "deadline_change": row.pk, "decision": DECISIONS[decision]})
    return row
