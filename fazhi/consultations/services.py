"""The writes of 公开征求意见, shared by every owning module.

The owning module's service keeps the law's order: it locks its record,
checks who may act and that its workflow allows the step, computes the
minimum period by its own rule (through ``fazhi.workdays``), and then calls
one of these with its ``Policy``. These do what every consultation does —
validate, change, and write the audit entry in the same transaction (the
caller's ``@transaction.atomic``, or their own).

Audit action codes stay the owning module's (``<policy.app>.consultation.*``,
``<policy.app>.comment.*``): a consultation is a step of the module's
procedure, and its history reads with the rest of the record's.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.consultations.models import Adoption, Comment, Consultation
from fazhi.core import privacy
from fazhi.core.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from fazhi.org import access


@dataclass(frozen=True)
class Policy:
    """What one module's law says about its consultations.

    ``permission`` is checked on ``owner_unit(owner)`` for every staff step;
    ``rule`` is cited by the consultation's own refusals; ``period_rule(owner)``
    names the rule of the minimum period (NDOC-04 or NDOC-05 by the document,
    MDEC-04). ``per_article``: comments may name an article of the version
    consulted on. ``early_close``: the consultation may end before its
    announced date with a recorded reason (NDOC-04/05); otherwise only after
    it (MDEC-04). ``reason_for_adopted``: an adopted comment needs a reason too.
    """

    app: str
    owner_field: str  # the owning key on Consultation ("doc", "decision")
    permission: str
    rule: str
    subject: str  # "该文件" — the owner as refusals name it
    owner_unit: Callable[[Any], Any]  # owner -> the Unit whose permission it takes
    period_rule: Callable[[Any], str]  # owner -> rule ID of the minimum period
    per_article: bool = False
    early_close: bool = False
    reason_for_adopted: bool = True
    short_period_hint: str = "须说明理由"  # ends the "period too short" refusal
    owner_page: Callable[[Consultation], str] | None = None  # the staff page where it is run
    # What publishing with unanswered comments raises: a refusal of the order
    # (409), or in major decisions an invalid submission (400), as their API says.
    unanswered_error: type[DomainError] = TransitionRefused


_POLICIES: dict[str, Policy] = {}


def register(policy: Policy) -> None:
    """Called by each owning module's ``AppConfig.ready``."""
    _POLICIES[policy.owner_field] = policy


def policy_of(consultation: Consultation) -> Policy:
    for field, policy in _POLICIES.items():
        if getattr(consultation, f"{field}_id") is not None:
            return policy
    raise LookupError(f"no consultation policy for {consultation!r}")


def _audit_step(policy: Policy, obj, what: str, verb: str, *, by, data: dict, unit):
    return record(obj, f"{policy.app}.{what}.{verb}", by=by, data=data, unit=unit)


def _require(policy: Policy, by, owner, message: str) -> None:
    # by=None is the system (jobs, demo loader), which may do everything.
    if by is not None and not access.allowed(by, policy.permission, policy.owner_unit(owner)):
        raise PermissionDenied(message)


def clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    text = text.replace("\r\n", "\n")
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def check_date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _answerer_name(by) -> str:
    person = access.person_of(by) if by is not None else None
    if person is not None:
        return person.name
    return by.get_username() if by is not None else "系统"


def _lock(consultation: Consultation) -> Consultation:
    return (Consultation.objects.select_for_update(of=("self",))
            .select_related("doc__unit", "decision__unit", "decision__sponsor_unit", "version")
            .get(pk=consultation.pk))


def start(owner, *, policy: Policy, by, start_on: date, end_on: date, minimum, exception_reason: str = "",
          audit_data: dict | None = None, **fields) -> Consultation:
    """Open the consultation on ``owner`` (already locked, authorised and moved
    on by its workflow). ``minimum`` is the module's ``Deadline`` of the
    shortest lawful period; an earlier end needs a reason. ``fields`` are the
    text consulted on (``version=`` or ``draft_text=``, ``explanation=``, …)."""
    end_on = check_date(end_on, "end_on", "截止日期")
    if end_on < start_on:
        raise ValidationError("截止日期不能早于开始日期", fields={"end_on": "截止日期早于开始日期"})
    reason = clean(exception_reason, 500, "exception_reason", "缩短期限理由")
    if end_on < minimum.due and not reason:
        raise ValidationError(
            f"征求意见期限不足：按{minimum.rule_text}，截止日期不得早于{minimum.due:%Y年%m月%d日}；"
            f"确需缩短的{policy.short_period_hint}",
            rule=policy.period_rule(owner), fields={"end_on": f"不得早于{minimum.due.isoformat()}"})
    if end_on >= minimum.due:
        reason = ""  # the period is long enough: there is nothing to justify
    c = Consultation(start_on=start_on, end_on=end_on, min_end_on=minimum.due, min_rule=minimum.rule_text,
                     min_provisional=minimum.provisional, exception_reason=reason, **fields)
    setattr(c, policy.owner_field, owner)
    c.save()
    _audit_step(policy, c, "consultation", "started", by=by, unit=owner.unit, data={
        **(audit_data or {}), "start_on": start_on, "end_on": end_on, "min_end_on": minimum.due,
        "rule": minimum.rule_text, "provisional": minimum.provisional, "exception_reason": reason})
    return c


@transaction.atomic
def submit_comment(consultation: Consultation, *, policy: Policy, content: str, article_no: str = "",
                   name: str = "", contact: str = "", now: datetime | None = None) -> Comment:
    """A public comment from the portal (anonymous allowed; the views rate-limit
    by address). Refused on a closed consultation or outside its period."""
    c = _lock(consultation)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if c.state != Consultation.State.OPEN:
        raise TransitionRefused(f"{policy.subject}的征求意见已结束，不再接收意见", rule=policy.rule)
    if today < c.start_on:
        raise TransitionRefused(f"征求意见自{c.start_on:%Y年%m月%d日}开始", rule=policy.rule)
    if today > c.end_on:
        raise TransitionRefused(f"征求意见已于{c.end_on:%Y年%m月%d日}截止，不再接收意见", rule=policy.rule)
    content = clean(content, 5000, "content", "意见内容", required=True)
    article_no = clean(article_no, 30, "article_no", "条款") if policy.per_article else ""
    if article_no and c.version is not None:
        known = {a.get("no") for a in (c.version.articles or [])}
        if known and article_no not in known:
            raise ValidationError(f"征求意见稿中没有“{article_no}”", fields={"article_no": "条款不存在"})
    comment = Comment.objects.create(
        consultation=c, article_no=article_no, content=content, submitted_at=now,
        name=clean(name, 100, "name", "姓名"), contact=clean(contact, 100, "contact", "联系方式"))
    # Personal data stays out of the audit chain (it cannot be erased there).
    data = {"consultation": c.pk, "source": "portal"}
    if policy.per_article:
        data["article_no"] = article_no
    _audit_step(policy, comment, "comment", "submitted", by=None, unit=c.owner.unit, data=data)
    return comment


@transaction.atomic
def answer_comment(comment: Comment, *, policy: Policy, adoption: str, reason: str, by,
                   now: datetime | None = None) -> Comment:
    """采纳 / 部分采纳 / 不采纳, with a reason; fixed once the summary is published."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related(
        "consultation__doc__unit", "consultation__decision__unit", "consultation__decision__sponsor_unit").get(
        pk=comment.pk)
    c = comment.consultation
    _require(policy, by, c.owner, f"您无权答复{policy.subject}的意见")
    if c.summary_published_on is not None:
        raise TransitionRefused("意见采纳情况已公布，不能再修改答复", rule=policy.rule)
    if adoption not in Adoption.values:
        raise ValidationError("请选择采纳情况（采纳、部分采纳、不采纳）", fields={"adoption": "请选择"})
    reason = clean(reason, 5000, "reason", "理由",
                   required=policy.reason_for_adopted or adoption != Adoption.ADOPTED)
    before = comment.adoption
    comment.adoption, comment.reason = adoption, reason
    comment.answered_by, comment.answered_by_name = by, _answerer_name(by)[:50]
    comment.answered_at = now or timezone.now()
    comment.save()
    _audit_step(policy, comment, "comment", "answered", by=by, unit=c.owner.unit,
         data={"adoption": adoption, "reason": reason, "before": before})
    return comment


@transaction.atomic
def close(consultation: Consultation, *, policy: Policy, by, today: date, exception_reason: str = "") -> Consultation:
    """End public comment. After the announced end date always; before it only
    where the policy allows an early end, and then with a recorded reason."""
    c = _lock(consultation)
    _require(policy, by, c.owner, f"您无权结束{policy.subject}的征求意见")
    today = check_date(today, "today", "日期")
    if c.state != Consultation.State.OPEN:
        raise TransitionRefused("征求意见已经结束", rule=policy.rule)
    reason = clean(exception_reason, 500, "exception_reason", "提前结束理由") if policy.early_close else ""
    if today <= c.end_on and not reason:
        if not policy.early_close:
            msg = f"征求意见期至{c.end_on:%Y年%m月%d日}，期满后方可结束"
        elif today <= c.min_end_on:
            msg = (f"征求意见不足法定最短期限（{c.min_rule}，至{c.min_end_on:%Y年%m月%d日}），"
                   "不能结束；确需提前结束的须说明理由")
        else:
            msg = f"征求意见公告的截止日期为{c.end_on:%Y年%m月%d日}，提前结束须说明理由"
        raise TransitionRefused(msg, rule=policy.period_rule(c.owner) if policy.early_close else policy.rule)
    _close(c, policy=policy, by=by, today=today, reason=reason)
    return c


def _close(c: Consultation, *, policy: Policy, by, today: date, reason: str = "", automatic: bool = False):
    c.state, c.closed_on = Consultation.State.CLOSED, today
    if reason:
        c.exception_reason = (c.exception_reason + "；" if c.exception_reason else "") + f"提前结束：{reason}"
    c.save()
    data = {"closed_on": today, "comments": c.comments.count()}
    if policy.early_close:
        data.update(early=today <= c.end_on, reason=reason)
    if automatic:
        data["automatic"] = True
    _audit_step(policy, c, "consultation", "closed", by=by, unit=c.owner.unit, data=data)


def close_due(today: date, *, policy: Policy) -> int:
    """Close, as the system, every open consultation of the policy's module
    whose period ended before ``today``. Idempotent."""
    n = 0
    with transaction.atomic():
        ids = list(Consultation.objects.filter(**{f"{policy.owner_field}__isnull": False}, state=Consultation.State.OPEN,
                                               end_on__lt=today).values_list("pk", flat=True))
        for pk in ids:
            c = _lock(Consultation(pk=pk))
            if c.state != Consultation.State.OPEN or c.end_on >= today:
                continue
            _close(c, policy=policy, by=None, today=today, automatic=True)
            n += 1
    return n


@transaction.atomic
def publish_summary(consultation: Consultation, *, policy: Policy, summary: str, by,
                    published_on: date) -> Consultation:
    """Publish how the comments were adopted (意见采纳情况). Needs the
    consultation closed, every comment answered, and every ID, card or phone
    number or address in the summary, the comments and the answers decided by
    a person (``fazhi.core.privacy``)."""
    c = _lock(consultation)
    _require(policy, by, c.owner, f"您无权公布{policy.subject}的意见采纳情况")
    if c.state != Consultation.State.CLOSED:
        raise TransitionRefused("征求意见尚未结束，不能公布采纳情况", rule=policy.rule)
    if c.summary_published_on is not None:
        raise TransitionRefused("意见采纳情况已经公布", rule=policy.rule)
    unanswered = c.comments.filter(adoption="").count()
    if unanswered:
        raise policy.unanswered_error(f"还有{unanswered}条意见未答复采纳情况", rule=policy.rule)
    published_on = check_date(published_on, "published_on", "公布日期")
    assert c.closed_on is not None  # a closed consultation has its closing date
    if published_on < c.closed_on:
        raise ValidationError("公布日期不能早于征求意见结束日期", fields={"published_on": "早于结束日期"})
    summary = clean(summary, 20_000, "summary", "意见采纳情况说明", required=True)
    # The comments and answers go public with the summary: each number or address in them is decided first.
    public = privacy.publishable(c, privacy.consultation_texts(summary, c.comments.all()),
                                 rule=privacy.rule_for(policy.rule))
    c.summary = public["采纳情况说明"]
    c.summary_published_on = published_on
    c.save(update_fields=["summary", "summary_published_on", "updated_at"])
    _audit_step(policy, c, "consultation", "summary_published", by=by, unit=c.owner.unit,
         data={"published_on": published_on})
    return c
