"""Every write of 学法用法. Order inside each: lock → authorise → legal order
→ change → audit.record (same transaction).

Authorisation: ``training.manage`` over the organising unit (经办人 /
单位管理员). A refusal names its rule (rules.md §11, ENF-26).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core.actors import Actor
from fazhi.core.dates import DATE_RULE
from fazhi.core.errors import ValidationError, ensure
from fazhi.org import access
from fazhi.org.models import Person, Unit
from fazhi.training import rules
from fazhi.training.importer import Row
from fazhi.training.models import Attendance, Exam, ExamScore, Kind, Status, TrainingSession
from fazhi.training.workflow import SESSION_WORKFLOW

MANAGE = "training.manage"

SESSION_FIELDS = ("topic", "date", "hours", "kind", "pre_implementation", "law_name", "law_effective_on",
                  "location", "lecturer", "note")


def can_manage(user, unit: Unit) -> bool:
    return user is None or access.allowed(user, MANAGE, unit)


def _ensure_manage(by: Actor, unit: Unit) -> None:
    # by=None is the system (demo loader, commands run as the system).
    ensure(can_manage(by, unit), "您没有管理该单位培训的权限（须为组织单位的经办人或单位管理员）")


def _clean_session(data: dict) -> dict:
    """Check a session's fields; raise ValidationError naming the field and rule."""
    errors = {}
    topic = (data.get("topic") or "").strip()
    if not topic:
        errors["topic"] = "请填写培训主题"
    if not data.get("date"):
        errors["date"] = "请填写培训日期"
    hours = data.get("hours")
    if hours is None or Decimal(hours) <= 0:
        errors["hours"] = "学时须大于0"
    elif Decimal(hours) > rules.setting("MAX_SESSION_HOURS"):
        errors["hours"] = f"单次培训学时不能超过 {rules.setting('MAX_SESSION_HOURS')}"
    elif Decimal(hours) != Decimal(hours).quantize(Decimal("0.1")):
        errors["hours"] = "学时最多保留一位小数"
    if data.get("kind") not in Kind.values:
        errors["kind"] = "请选择培训类别"
    if errors:
        raise ValidationError("培训信息有误：" + "；".join(errors.values()), fields=errors)
    data = dict(data, topic=topic, law_name=(data.get("law_name") or "").strip())
    if data.get("pre_implementation"):
        if not data["law_name"] or not data.get("law_effective_on"):
            raise ValidationError("新法施行前培训须填写法律法规名称及其施行日期",
                                  rule=rules.RULE_PRE_IMPLEMENTATION,
                                  fields={"law_name": "请填写法律法规名称及施行日期"})
        if data["date"] >= data["law_effective_on"]:
            raise ValidationError(
                f"新法施行前培训须在《{data['law_name']}》施行日期（{data['law_effective_on']:%Y-%m-%d}）之前举办，"
                f"培训日期 {data['date']:%Y-%m-%d} 不符合", rule=rules.RULE_PRE_IMPLEMENTATION,
                fields={"date": "须早于法律法规施行日期"})
    return data


@transaction.atomic
def create_session(unit: Unit, *, by: Actor, topic: str, date: date, hours, kind: str, pre_implementation: bool = False,
                   law_name: str = "", law_effective_on: date | None = None, location: str = "",
                   lecturer: str = "", note: str = "") -> TrainingSession:
    """Plan a session (status 计划). A 新法施行前培训 must be dated before the
    law's effective date (LAW-02)."""
    _ensure_manage(by, unit)
    data = _clean_session(dict(topic=topic, date=date, hours=Decimal(str(hours)), kind=kind,
                               pre_implementation=pre_implementation, law_name=law_name,
                               law_effective_on=law_effective_on, location=location, lecturer=lecturer,
                               note=note))
    session = TrainingSession.objects.create(unit=unit, **data)
    record(session, "training.session.created", by=by, data=_session_data(session))
    return session


@transaction.atomic
def update_session(session: TrainingSession, *, by: Actor, today: date | None = None, **changes) -> TrainingSession:
    """Change a session's details. Its hours cannot fall below hours already
    credited to someone (LAW-05); credited hours follow a lowered session
    only by re-recording attendance. A session already held (its attendance
    dated by it) cannot be moved after the server's ``today`` (SYS-03): a
    planned session may be. ``today=None`` only for the system (``by=None``)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _ensure_manage(by, session.unit)
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    data = {f: getattr(session, f) for f in SESSION_FIELDS}
    data.update(changes)
    if "hours" in changes:
        data["hours"] = Decimal(str(changes["hours"]))
    data = _clean_session(data)
    if session.status == Status.HELD and data["date"] != session.date and by is not None:
        if today is None or data["date"] > today:
            message = (f"该培训已确认举办，培训日期（{data['date']:%Y-%m-%d}）不能晚于今天"
                       + (f"（{today:%Y-%m-%d}）" if today else ""))
            raise ValidationError(message, rule=DATE_RULE, fields={"date": message})
    top = session.attendances.aggregate(m=Max("hours"))["m"]
    if top is not None and data["hours"] < top:
        raise ValidationError(f"已有人员认定 {top} 学时，培训学时不能改为少于该数",
                              rule=rules.RULE_RECORD, fields={"hours": f"不能少于 {top}"})
    before = _session_data(session)
    for f, v in data.items():
        setattr(session, f, v)
    session.save()
    session.attendances.update(session_hours=session.hours)
    record(session, "training.session.updated", by=by, data={"before": before, "after": _session_data(session)})
    return session


@transaction.atomic
def complete_session(session: TrainingSession, *, by: Actor, today: date) -> TrainingSession:
    """计划 → 已举办; not before the session's date (LAW-05)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _ensure_manage(by, session.unit)
    SESSION_WORKFLOW.apply(session, "complete", {"today": today})
    session.held_at = timezone.now()
    session.save(update_fields=["status", "held_at", "updated_at"])
    record(session, "training.session.completed", by=by, data={"date": session.date})
    return session


# ------------------------------------------------------------- people by name

def _people_by_name(names: set[str]) -> dict[str, list[Person]]:
    out: dict[str, list[Person]] = {}
    for p in Person.objects.filter(name__in=names, is_active=True).select_related("unit"):
        out.setdefault(p.name, []).append(p)
    return out


def _match(row: Row, found: dict[str, list[Person]]) -> tuple[Person | None, str]:
    """The one person a row names, or an error message."""
    candidates = found.get(row.name, [])
    if row.unit:
        candidates = [p for p in candidates if row.unit in (p.unit.name, p.unit.short_name)]
    if not candidates:
        where = f"（{row.unit}）" if row.unit else ""
        return None, f"找不到在职人员“{row.name}”{where}"
    if len(candidates) > 1:
        units = "、".join(p.unit.display_name for p in candidates)
        return None, f"“{row.name}”有重名（{units}），请注明单位"
    return candidates[0], ""


@dataclass
class Report:
    """What a bulk step saved."""

    created: int = 0
    updated: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated


def _refuse_rows(errors: dict, what: str) -> None:
    if errors:
        raise ValidationError(f"有 {len(errors)} 行无法{what}，未做任何更改：" +
                              "；".join(f"{k}：{v}" for k, v in list(errors.items())[:5]) +
                              ("……" if len(errors) > 5 else ""), fields=errors, rule=rules.RULE_RECORD)


@transaction.atomic
def record_attendance(session: TrainingSession, *, by: Actor, rows: list[Row]) -> Report:
    """Record (or correct) attendance of a held session, all or nothing.

    Each row names a person (name, and the unit when names repeat); hours
    default to the session's hours, are 0 for an absence, and never exceed
    the session's hours (LAW-05; also a DB check). Any bad row — a name not
    found, an ambiguous name, too many hours, the same person twice — refuses
    the whole batch with a per-row report."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _ensure_manage(by, session.unit)
    SESSION_WORKFLOW.check(session, "record_attendance")
    if not rows:
        raise ValidationError("请至少填写一名人员")
    found = _people_by_name({r.name for r in rows})
    errors, resolved = {}, []
    seen: dict[int, int] = {}  # person -> the row that named them first
    for row in rows:
        key = f"第{row.line}行"
        person, msg = _match(row, found)
        if person is None:
            errors[key] = msg
            continue
        if person.pk in seen:
            errors[key] = f"“{row.name}”与第{seen[person.pk]}行重复"
            continue
        seen[person.pk] = row.line
        hours = session.hours if row.hours is None else row.hours
        if not row.attended:
            if row.hours not in (None, Decimal(0)):
                errors[key] = "缺勤人员不能认定学时"
                continue
            hours = Decimal(0)
        if hours < 0:
            errors[key] = "学时不能为负数"
            continue
        if hours > session.hours:
            errors[key] = f"认定学时 {hours} 超过本次培训学时 {session.hours}"
            continue
        if hours != hours.quantize(Decimal("0.1")):
            errors[key] = "学时最多保留一位小数"
            continue
        resolved.append((person, row.attended, hours))
    _refuse_rows(errors, "登记")
    existing = {a.person_id: a for a in session.attendances.select_for_update()}
    report = Report()
    new = []
    for person, attended, hours in resolved:
        a = existing.get(person.pk)
        if a is None:
            new.append(Attendance(session=session, person=person, attended=attended, hours=hours,
                                  session_hours=session.hours, recorded_by=_user(by)))
            report.created += 1
        elif a.attended != attended or a.hours != hours:
            a.attended, a.hours, a.session_hours, a.recorded_by = attended, hours, session.hours, _user(by)
            a.save(update_fields=["attended", "hours", "session_hours", "recorded_by", "updated_at"])
            report.updated += 1
    Attendance.objects.bulk_create(new)
    record(session, "training.attendance.recorded", by=by, data={
        "created": report.created, "updated": report.updated,
        "rows": [{"person": p.pk, "name": p.name, "attended": att, "hours": h} for p, att, h in resolved],
    })
    return report


@transaction.atomic
def remove_attendance(attendance: Attendance, *, by: Actor) -> None:
    session = TrainingSession.objects.select_for_update().get(pk=attendance.session_id)
    _ensure_manage(by, session.unit)
    data = {"person": attendance.person_id, "name": attendance.person.name, "hours": attendance.hours}
    attendance.delete()
    record(session, "training.attendance.removed", by=by, data=data)


def _user(by: Actor):
    return by if getattr(by, "is_authenticated", False) else None


# ------------------------------------------------------------------ exams

@transaction.atomic
def create_exam(unit: Unit, *, by: Actor, title: str, date: date, pass_mark=Decimal("60"), full_mark=Decimal("100"),
                session: TrainingSession | None = None) -> Exam:
    """An exam after a session (organised by the same unit) or standalone (LAW-05)."""
    _ensure_manage(by, unit)
    title = (title or "").strip()
    pass_mark, full_mark = Decimal(str(pass_mark)), Decimal(str(full_mark))
    errors = {}
    if not title:
        errors["title"] = "请填写考试名称"
    if not date:
        errors["date"] = "请填写考试日期"
    if full_mark <= 0:
        errors["full_mark"] = "满分须大于0"
    if pass_mark <= 0 or pass_mark > full_mark:
        errors["pass_mark"] = "及格分须大于0且不超过满分"
    if session is not None and session.unit_id != unit.pk:
        errors["session"] = "只能关联本单位组织的培训"
    if errors:
        raise ValidationError("考试信息有误：" + "；".join(errors.values()), fields=errors)
    if session is not None and date < session.date:
        # SYS-03: the exam of a session follows it (its scores are dated by the exam).
        message = f"考试日期（{date:%Y-%m-%d}）不能早于所关联培训的日期（{session.date:%Y-%m-%d}）"
        raise ValidationError(message, rule=DATE_RULE, fields={"date": message})
    exam = Exam.objects.create(unit=unit, session=session, title=title, date=date, pass_mark=pass_mark,
                               full_mark=full_mark)
    record(exam, "training.exam.created", by=by, data={"title": title, "date": date, "pass_mark": pass_mark,
                                                        "full_mark": full_mark, "session": session and session.pk})
    return exam


@transaction.atomic
def record_scores(exam: Exam, *, by: Actor, rows: list[Row], today: date) -> Report:
    """Record (or correct) exam scores, all or nothing, with a per-row report.
    合格 = score ≥ the pass mark. Not before the exam's date (LAW-05)."""
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    _ensure_manage(by, exam.unit)
    if exam.date > today:
        raise ValidationError("考试日期尚未到，不能登记成绩", rule=rules.RULE_RECORD)
    if not rows:
        raise ValidationError("请至少填写一名人员的成绩")
    found = _people_by_name({r.name for r in rows})
    errors, resolved = {}, []
    seen: dict[int, int] = {}  # person -> the row that named them first
    for row in rows:
        key = f"第{row.line}行"
        person, msg = _match(row, found)
        score = row.score if row.score is not None else row.hours  # bulk box: the number is the score
        if person is None:
            errors[key] = msg
        elif person.pk in seen:
            errors[key] = f"“{row.name}”与第{seen[person.pk]}行重复"
        elif score is None:
            errors[key] = "未填写成绩"
        elif score < 0 or score > exam.full_mark:
            errors[key] = f"成绩须在 0 至 {exam.full_mark} 之间"
        else:
            seen[person.pk] = row.line
            resolved.append((person, score.quantize(Decimal("0.1"))))
    _refuse_rows(errors, "登记成绩")
    existing = {s.person_id: s for s in exam.scores.select_for_update()}
    report, new = Report(), []
    for person, score in resolved:
        passed = score >= exam.pass_mark
        s = existing.get(person.pk)
        if s is None:
            new.append(ExamScore(exam=exam, person=person, score=score, passed=passed, recorded_by=_user(by)))
            report.created += 1
        elif s.score != score:
            s.score, s.passed, s.recorded_by = score, passed, _user(by)
            s.save(update_fields=["score", "passed", "recorded_by", "updated_at"])
            report.updated += 1
    ExamScore.objects.bulk_create(new)
    record(exam, "training.exam.scores_recorded", by=by, data={
        "created": report.created, "updated": report.updated,
        "rows": [{"person": p.pk, "name": p.name, "score": s} for p, s in resolved],
    })
    return report


def _session_data(s: TrainingSession) -> dict:
    return {"topic": s.topic, "date": s.date, "hours": s.hours, "kind": s.kind,
            "pre_implementation": s.pre_implementation, "law_name": s.law_name,
            "law_effective_on": s.law_effective_on, "status": s.status}

