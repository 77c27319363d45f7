"""Every write of the normative-documents module, one function per use case.

Order inside each service (STYLE.md): lock → authorise → check the legal
order (workflow.py) → validate → change → ``audit.record`` in the same
transaction. Refusals raise ``fazhi.core.errors`` with a Chinese message
and, where a legal rule refuses, its ID (docs/rules.md §1).

Actors: ``by`` is the acting user. ``by=None`` is the system (scheduled
jobs, demo loader, trusted commands) and is recorded as "系统". Public
submissions (comments, review proposals) take no ``by``: they come from the
portal and are recorded as the system with ``{"source": "portal"}``.

Dates: services that compute a deadline take ``today`` (or the date of the
act) explicitly; no deadline code reads the clock. Timestamps (``now``)
default to ``timezone.now()``.

Audit action codes: ``normative_docs.<object>.<verb>``, objects ``doc``,
``version``, ``consultation``, ``comment``, ``fair_review``,
``legal_review``, ``discussion``, ``filing``, ``filing_review``,
``correction``, ``cleanup``, ``proposal``, ``issuer_code``.
"""

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.consultations import services as consultations
from fazhi.core import privacy
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import Conflict, DomainError, PermissionDenied, TransitionRefused, ValidationError
from fazhi.core.models import allocate_number
from fazhi.normative_docs import rules
from fazhi.normative_docs.models import (
    PACKAGE_ITEMS,
    PROCEDURE_STATES,
    CleanupCampaign,
    CleanupDecision,
    CleanupVerdict,
    Comment,
    Consultation,
    CorrectionOrder,
    Discussion,
    DiscussionOutcome,
    DocVersion,
    FairCompetitionReview,
    Filing,
    FilingReview,
    FilingStatus,
    IssuerCode,
    IssuerLevel,
    LegalOpinion,
    LegalReview,
    MeetingType,
    NormDoc,
    ReviewFinding,
    ReviewProposal,
    Status,
)
from fazhi.normative_docs.workflow import DOC_WORKFLOW, EDITABLE_STATES, FILING_WORKFLOW, check_filing_allowed
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Person, Role, Unit, UnitKind


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()  # "leave this field as it is" in update services

MAX_TEXT = 500_000  # characters of one document text
ACTION = "normative_docs.{}.{}"


# ------------------------------------------------------------------ helpers

def _act(obj, what: str, verb: str, *, by, data: dict | None = None, unit=None):
    return record(obj, ACTION.format(what, verb), by=by, data=data or {}, unit=unit)


# The system actor (by=None) may do everything: org.access.may / require_actor.
may = access.may
_require = access.require_actor


def _person(by) -> Person | None:
    return access.person_of(by) if by is not None else None


def _snapshot(by) -> tuple[str, str, str]:
    """(name, post, unit name) of the acting user as they are now (DESIGN invariant 3)."""
    p = _person(by)
    if p is not None:
        return p.name, p.post, p.unit.name
    if by is not None:
        return by.get_username(), "", ""
    return "系统", "", ""


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _check_text(text) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError("文件正文不能为空", fields={"text": "请填写正文"})
    if len(text) > MAX_TEXT:
        raise ValidationError(f"文件正文过长（最多{MAX_TEXT}字）", fields={"text": "正文过长"})
    return text


def _check_date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """A date typed by a person (SYS-03): not after the server's ``today``,
    not before the steps it follows, and more than FAZHI_BACKDATE_DAYS back
    only with ``late_reason`` (then flagged in the trail)."""
    today = _check_date(today, "today", "今天")
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=_clean(reason, 500, "late_reason", "补录理由"))


# 国办发〔2018〕37号 (NDOC-01): a normative document is made by an administrative
# organ — a people's government (county, township) or one of its departments;
# never an internal 科室/站所, a 执法大队 or a public institution.
ISSUER_KINDS = (UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWN)


def may_issue(unit: Unit) -> bool:
    return unit is not None and unit.kind in ISSUER_KINDS


def check_issuer(unit: Unit) -> None:
    """Refuse an issuer that may not make normative documents (NDOC-01)."""
    if not may_issue(unit):
        kind = unit.get_kind_display() if unit is not None else "（未指定）"
        raise ValidationError(
            f"“{unit.name if unit else ''}”是{kind}，不能作为规范性文件的制定机关：规范性文件只能由人民政府及其部门"
            "（乡镇人民政府、街道办事处）制定，内设机构、执法大队、事业单位不得以自己名义制发（国办发〔2018〕37号）",
            rule="NDOC-01", fields={"issuer": "不能作为制定机关"})


def _last_step_date(doc: NormDoc) -> tuple[date | None, str]:
    """The date of the last procedure step before collective discussion
    (the legality opinion), which a meeting may not precede."""
    legal = doc.legal_reviews.exclude(opinion="").order_by("-decided_on", "-pk").first()
    return (legal.decided_on if legal else None), "合法性审核日期"


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _lock_doc(doc: NormDoc) -> NormDoc:
    return NormDoc.objects.select_for_update().select_related("unit", "issuer").get(pk=doc.pk)


def split_articles(text: str) -> list[dict]:
    """Articles of a text as [{"no", "chapter", "text"}].

    Uses the text-tools splitter (``articles.split_articles``) when present;
    otherwise a minimal fallback that recognises 第X条 and 第X章 headings.
    """
    try:
        from fazhi.normative_docs.articles import split_articles as _split
    except ImportError:
        return _fallback_split(text)
    out = []
    for a in _split(text):
        out.append({"no": getattr(a, "no", ""), "chapter": getattr(a, "chapter", ""), "text": getattr(a, "text", "")})
    return out


_NUM = "零〇一二三四五六七八九十百千两0-9"
_ART = re.compile(rf"(第[{_NUM}]+条)")
_CHAP = re.compile(rf"(第[{_NUM}]+章[^\n第]*)")


def _fallback_split(text: str) -> list[dict]:
    parts = _ART.split(text)
    chapter = ""
    out: list[dict] = []
    for i in range(1, len(parts), 2):
        body = parts[i + 1] if i + 1 < len(parts) else ""
        next_chapter = ""
        m = _CHAP.search(body)
        if m:
            next_chapter = m.group(1).strip()
            body = body[: m.start()]
        out.append({"no": parts[i], "chapter": chapter, "text": body.strip()})
        if next_chapter:
            chapter = next_chapter
    if not out and text.strip():
        out.append({"no": "", "chapter": "", "text": text.strip()})
    m = _CHAP.search(parts[0]) if parts else None
    if m and out:
        for a in out:
            if a["chapter"] == "":
                a["chapter"] = m.group(1).strip()
            else:
                break
    return out


def issuer_level_for(unit: Unit) -> str:
    """The default issuer level from the unit kind (NDOC-09 meeting rules)."""
    if unit.kind == UnitKind.GOVERNMENT:
        return IssuerLevel.GOVERNMENT
    if unit.kind == UnitKind.TOWN:
        return IssuerLevel.TOWN
    return IssuerLevel.DEPARTMENT


# -------------------------------------------------------------- guard facts

def workflow_context(doc: NormDoc) -> dict:
    """The database facts the workflow guards read (see workflow.py)."""
    consultations = list(doc.consultations.all())
    open_c = any(c.state == Consultation.State.OPEN for c in consultations)
    done = False
    for c in consultations:
        if c.state == Consultation.State.CLOSED and c.summary_published_on is not None:
            if not c.comments.filter(adoption="").exists():
                done = True
                break
    fair = doc.fair_reviews.order_by("-reviewed_on", "-pk").first()
    legal = doc.legal_reviews.exclude(opinion="").order_by("-decided_on", "-pk").first()
    return {
        "has_text": doc.current_version_id is not None,
        "consultation_open": open_c,
        "consultation_done": done,
        "fair_review_passed": bool(fair and fair.passed),
        "legal_review_passed": bool(legal and legal.passed),
    }


def _check(doc: NormDoc, action: str, **extra):
    ctx = workflow_context(doc)
    ctx.update(extra)
    return DOC_WORKFLOW.check(doc, action, ctx)


def _apply(doc: NormDoc, action: str, **extra) -> tuple[str, str]:
    before = doc.status
    _check(doc, action, **extra)
    doc.status = DOC_WORKFLOW.get(action).target
    return before, doc.status


# ------------------------------------------------------------ issuer codes

@transaction.atomic
def set_issuer_code(unit: Unit, *, by, number_prefix: str, registration_prefix: str) -> IssuerCode:
    """Set an issuing organ's 机关代字 and registration prefix (法制机构 or 系统管理员)."""
    _require(by, "normative_docs.register", unit, "您无权设置该机关的发文代字")
    number_prefix = _clean(number_prefix, 50, "number_prefix", "机关代字", required=True)
    registration_prefix = _clean(registration_prefix, 20, "registration_prefix", "登记号前缀", required=True)
    if not re.fullmatch(r"[A-Za-z0-9]+", registration_prefix):
        raise ValidationError("登记号前缀只能由字母和数字组成", fields={"registration_prefix": "只能用字母和数字"})
    registration_prefix = registration_prefix.upper()
    clash = IssuerCode.objects.exclude(unit=unit).filter(
        Q(number_prefix=number_prefix) | Q(registration_prefix=registration_prefix)).first()
    if clash:
        raise ValidationError(f"代字或前缀已由“{clash.unit}”使用", fields={"number_prefix": "已被使用"})
    code, created = IssuerCode.objects.update_or_create(
        unit=unit, defaults={"number_prefix": number_prefix, "registration_prefix": registration_prefix})
    _act(code, "issuer_code", "set", by=by, unit=unit,
         data={"number_prefix": number_prefix, "registration_prefix": registration_prefix, "created": created})
    return code


# ----------------------------------------------------------------- drafting

@transaction.atomic
def create_draft(*, unit: Unit, issuer: Unit, title: str, text: str, by, touches_market: bool = False,
                 explanation: str = "", legal_basis: str = "", issuer_level: str | None = None,
                 drafter: Person | None = None) -> NormDoc:
    """Start drafting a document (起草) with its first text version."""
    _require(by, "normative_docs.draft", unit, "您无权为该单位起草规范性文件")
    check_issuer(issuer)
    title = _clean(title, 200, "title", "文件名称", required=True)
    text = _check_text(text)
    level = issuer_level or issuer_level_for(issuer)
    if level not in IssuerLevel.values:
        raise ValidationError("制定机关层级无效", fields={"issuer_level": "请选择"})
    drafter = drafter or _person(by)
    doc = NormDoc.objects.create(
        unit=unit, issuer=issuer, issuer_level=level, title=title, touches_market=bool(touches_market),
        drafter=drafter, drafter_name=drafter.name if drafter else "",
        explanation=_clean(explanation, 20_000, "explanation", "起草说明"),
        legal_basis=_clean(legal_basis, 20_000, "legal_basis", "制定依据"),
        is_trial=rules.is_trial_title(title),
    )
    _new_version(doc, text=text, note="起草稿", by=by)
    _act(doc, "doc", "created", by=by, data={"title": title, "issuer": issuer.name,
                                            "touches_market": doc.touches_market})
    return doc


@transaction.atomic
def update_draft(doc: NormDoc, *, by, title: str = UNSET, touches_market: bool = UNSET,
                 explanation: str = UNSET, legal_basis: str = UNSET, issuer_level: str = UNSET,
                 issuer: Unit = UNSET) -> NormDoc:
    """Change the drafting data while the document is still editable.

    The issuer (and with it the meeting that must adopt the document,
    NDOC-09) and whether it touches market entities (NDOC-06) can change only
    while drafting: later steps were taken for the original ones. The issuer
    is the drafting unit or a unit above it. A new issuer without a level
    takes the issuer's own level."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权修改该文件")
    if doc.status not in EDITABLE_STATES:
        raise TransitionRefused(f"文件处于“{doc.get_status_display()}”状态，不能修改起草信息", rule="NDOC-10")
    changes = {}
    if title is not UNSET:
        changes["title"] = _clean(title, 200, "title", "文件名称", required=True)
        changes["is_trial"] = rules.is_trial_title(changes["title"])
    if touches_market is not UNSET:
        if bool(touches_market) != doc.touches_market and doc.status != Status.DRAFTING:
            raise TransitionRefused("是否涉及市场主体只能在起草阶段修改", rule="NDOC-06")
        changes["touches_market"] = bool(touches_market)
    if issuer is not UNSET and issuer.pk != doc.issuer_id:
        if doc.status != Status.DRAFTING:
            raise TransitionRefused("制定机关只能在起草阶段修改", rule="NDOC-09")
        if not doc.unit.path.startswith(issuer.path):  # the drafting unit or a unit above it
            raise ValidationError("制定机关应为起草单位本身或其上级机关", fields={"issuer": "不是起草单位或其上级"})
        check_issuer(issuer)
        changes["issuer"] = issuer
        if issuer_level is UNSET:
            changes["issuer_level"] = issuer_level_for(issuer)
    if explanation is not UNSET:
        changes["explanation"] = _clean(explanation, 20_000, "explanation", "起草说明")
    if legal_basis is not UNSET:
        changes["legal_basis"] = _clean(legal_basis, 20_000, "legal_basis", "制定依据")
    if issuer_level is not UNSET:
        if issuer_level not in IssuerLevel.values:
            raise ValidationError("制定机关层级无效", fields={"issuer_level": "请选择"})
        changes["issuer_level"] = issuer_level
    for k, v in changes.items():
        setattr(doc, k, v)
    if changes:
        doc.save(update_fields=[*changes, "updated_at"])
        _act(doc, "doc", "updated", by=by,
             data={k: (v.name if isinstance(v, Unit) else v) for k, v in changes.items()})
    return doc


def _new_version(doc: NormDoc, *, text: str, note: str, by) -> DocVersion:
    last = doc.versions.order_by("-number").values_list("number", flat=True).first() or 0
    name = _snapshot(by)[0] if by is not None else "系统"
    v = DocVersion.objects.create(doc=doc, number=last + 1, text=text, articles=split_articles(text),
                                  note=note[:500], created_by=by, created_by_name=name)
    doc.current_version = v
    doc.save(update_fields=["current_version", "updated_at"])
    _act(v, "version", "created", by=by, unit=doc.unit, data={"doc": doc.pk, "number": v.number, "note": note})
    return v


@transaction.atomic
def add_version(doc: NormDoc, *, text: str, by, note: str = "") -> DocVersion:
    """A revised text (e.g. after comments or a 修改后通过 opinion). Not while a consultation is open."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权修改该文件")
    if doc.status not in EDITABLE_STATES:
        raise TransitionRefused(f"文件处于“{doc.get_status_display()}”状态，不能修改文本", rule="NDOC-10")
    if doc.consultations.filter(state=Consultation.State.OPEN).exists():
        raise TransitionRefused("征求意见期间不能修改征求意见稿", rule="NDOC-04")
    text = _check_text(text)
    return _new_version(doc, text=text, note=_clean(note, 500, "note", "修改说明"), by=by)


@transaction.atomic
def start_amendment(doc: NormDoc, *, by, title: str | None = None, text: str | None = None) -> NormDoc:
    """Start amending a document in force: a new NormDoc (``amendment_of=doc``) in 起草,
    its first version the current text; it goes through the whole procedure again.
    When it is published the amended document becomes 已修改."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权修改该文件")
    DOC_WORKFLOW.check(doc, "amend")  # the amended one must be in force (published)
    if doc.amendments.filter(status__in=PROCEDURE_STATES).exists():
        raise Conflict("该文件已有正在办理的修改", rule="NDOC-17")
    base = doc.current_version.text if doc.current_version_id else ""
    new = NormDoc.objects.create(
        unit=doc.unit, issuer=doc.issuer, issuer_level=doc.issuer_level,
        title=_clean(title or doc.title, 200, "title", "文件名称", required=True),
        touches_market=doc.touches_market, drafter=_person(by), drafter_name=_snapshot(by)[0] if by else "",
        legal_basis=doc.legal_basis, amendment_of=doc,
    )
    new.is_trial = rules.is_trial_title(new.title)
    new.save(update_fields=["is_trial"])
    _new_version(new, text=_check_text(text if text is not None else base), note=f"据{doc}修改", by=by)
    _act(new, "doc", "amendment_started", by=by, data={"amends": doc.pk, "amends_number": doc.doc_number})
    return new


@transaction.atomic
def abandon(doc: NormDoc, *, by, reason: str) -> NormDoc:
    """终止制定 a draft that will not be issued."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权终止该文件的制定")
    before, _ = _apply(doc, "abandon")
    reason = _clean(reason, 500, "reason", "终止理由", required=True)
    doc.end_reason = reason
    doc.save(update_fields=["status", "end_reason", "updated_at"])
    _act(doc, "doc", "abandoned", by=by, data={"from": before, "reason": reason})
    return doc


# ------------------------------------------------------------ consultation

# NDOC-04/05 as the shared consultation services apply them: comments per
# article of the version consulted on; an end before the announced date only
# with a reason; an adopted comment needs no reason.
CONSULTATION = consultations.Policy(
    app="normative_docs", owner_field="doc", permission="normative_docs.draft", rule="NDOC-04",
    subject="该文件", owner_unit=lambda doc: doc.unit,
    period_rule=lambda doc: "NDOC-04" if doc.touches_market else "NDOC-05",
    per_article=True, early_close=True, reason_for_adopted=False,
    owner_page=lambda c: reverse("normative_docs:detail", args=[c.doc_id]))


@transaction.atomic
def start_consultation(doc: NormDoc, *, by, start_on: date, end_on: date, today: date,
                       exception_reason: str = "", late_reason: str = "") -> Consultation:
    """Open public comment on the current version (NDOC-04: ≥30 days when the
    document touches market entities; NDOC-05: otherwise ≥7 working days).
    A shorter period needs a recorded exception reason."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权对该文件征求意见")
    started = _entered(start_on, today=today, label="征求意见开始日期", field="start_on", reason=late_reason)
    start_on = started.value
    end_on = _check_date(end_on, "end_on", "截止日期")
    before, _ = _apply(doc, "start_consultation")
    c = consultations.start(
        doc, policy=CONSULTATION, by=by, start_on=start_on, end_on=end_on,
        minimum=rules.comment_min_end(start_on, touches_market=doc.touches_market),
        exception_reason=exception_reason, version=doc.current_version,
        audit_data={"doc": doc.pk, "from": before, **started.audit_data()})
    doc.save(update_fields=["status", "updated_at"])
    return c


def submit_comment(consultation: Consultation, *, content: str, article_no: str = "", name: str = "",
                   contact: str = "", now: datetime | None = None) -> Comment:
    """A public comment from the portal, on an article or the whole text (NDOC-04)."""
    return consultations.submit_comment(consultation, policy=CONSULTATION, content=content, article_no=article_no,
                                        name=name, contact=contact, now=now)


def answer_comment(comment: Comment, *, adoption: str, reason: str, by, now: datetime | None = None) -> Comment:
    """Answer one comment: 采纳 / 部分采纳 / 不采纳, with a reason (NDOC-04 feedback)."""
    return consultations.answer_comment(comment, policy=CONSULTATION, adoption=adoption, reason=reason, by=by,
                                        now=now)


def close_consultation(consultation: Consultation, *, by, today: date, exception_reason: str = "") -> Consultation:
    """End public comment. Before the announced end date (and so possibly
    before the legal minimum, NDOC-04/05) only with a recorded reason."""
    return consultations.close(consultation, policy=CONSULTATION, by=by, today=today,
                               exception_reason=exception_reason)


def publish_consultation_summary(consultation: Consultation, *, summary: str, by, today: date) -> Consultation:
    """Publish the adoption summary (NDOC-04 反馈), dated ``today``."""
    return consultations.publish_summary(consultation, policy=CONSULTATION, summary=summary, by=by,
                                         published_on=today)


# -------------------------------------------------------------- fair review

@transaction.atomic
def submit_fair_review(doc: NormDoc, *, by) -> NormDoc:
    """Send a market-related document to fair-competition review (NDOC-06)."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权提交该文件")
    before, _ = _apply(doc, "submit_fair_review")
    doc.save(update_fields=["status", "updated_at"])
    _act(doc, "doc", "fair_review_submitted", by=by, data={"from": before})
    return doc


@transaction.atomic
def record_fair_review(doc: NormDoc, *, passed: bool, opinion: str, reviewed_on: date, by, today: date,
                       reviewing_unit: Unit | None = None, reviewing_unit_name: str = "",
                       late_reason: str = "") -> FairCompetitionReview:
    """Record the market regulator's review (NDOC-06). Failing sends the draft
    back to 起草; it cannot go on until a new review passes."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权录入该文件的公平竞争审查结果")
    before, _ = _apply(doc, "fair_review_pass" if passed else "fair_review_fail")
    closed = doc.consultations.exclude(closed_on=None).order_by("-closed_on").first()
    reviewed = _entered(reviewed_on, today=today, label="公平竞争审查日期", field="reviewed_on",
                        after=[(closed.closed_on if closed else None, "征求意见结束日期")], reason=late_reason)
    name = reviewing_unit.name if reviewing_unit else _clean(reviewing_unit_name, 100, "reviewing_unit_name",
                                                              "审查单位", required=True)
    review = FairCompetitionReview.objects.create(
        doc=doc, reviewing_unit=reviewing_unit, reviewing_unit_name=name, passed=bool(passed),
        opinion=_clean(opinion, 20_000, "opinion", "审查意见", required=True),
        reviewed_on=reviewed.value, recorded_by=by)
    doc.save(update_fields=["status", "updated_at"])
    _act(review, "fair_review", "recorded", by=by, unit=doc.unit,
         data={"doc": doc.pk, "passed": review.passed, "reviewing_unit": name, "from": before, "to": doc.status,
               "reviewed_on": reviewed.value, **reviewed.audit_data()})
    return review


# ------------------------------------------------------------- legal review

@transaction.atomic
def submit_legal_review(doc: NormDoc, *, by, today: date) -> LegalReview:
    """Submit to the legal-affairs office; the review window runs from
    ``today`` (acceptance): due = today + 15 working days (NDOC-08)."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权提交该文件")
    today = _check_date(today, "today", "受理日期")
    before, _ = _apply(doc, "submit_legal_review")
    due = rules.legal_review_due(today)
    review = LegalReview.objects.create(doc=doc, version=doc.current_version, accepted_on=today, due=due.due,
                                        due_provisional=due.provisional, due_rule=due.rule_text, submitted_by=by)
    doc.save(update_fields=["status", "updated_at"])
    _act(review, "legal_review", "submitted", by=by, unit=doc.unit,
         data={"doc": doc.pk, "from": before, "accepted_on": today, "due": due.due, "rule": due.rule_text,
               "provisional": due.provisional, "version": doc.current_version.number})
    return review


@transaction.atomic
def decide_legal_review(review: LegalReview, *, opinion: str, text: str, by, today: date) -> LegalReview:
    """The legality opinion (NDOC-07): 通过 / 修改后通过 -> 集体讨论;
    不予通过 -> back to 起草 (and a new review is needed)."""
    review = LegalReview.objects.select_for_update().get(pk=review.pk)
    doc = _lock_doc(review.doc)
    _require(by, "normative_docs.legal_review", doc.unit, "您无权进行合法性审核（须由法制审核人员审核）")
    if review.opinion:
        raise TransitionRefused("该合法性审核已作出意见", rule="NDOC-07")
    if opinion not in LegalOpinion.values:
        raise ValidationError("请选择审核意见（通过、修改后通过、不予通过）", fields={"opinion": "请选择"})
    action = "legal_review_reject" if opinion == LegalOpinion.REJECT else "legal_review_pass"
    before, _ = _apply(doc, action)
    text = _clean(text, 50_000, "text", "审核意见书", required=opinion != LegalOpinion.PASS)
    today = _check_date(today, "today", "审核日期")
    if today < review.accepted_on:
        raise ValidationError("审核日期不能早于受理日期", fields={"today": "早于受理日期"})
    if by is not None:
        ensure_not_own(by, review.submitted_by, doc.drafter, what="审核本人起草或送审的文件")
        require_capacity(_person(by), Role.REVIEWER, doc.unit, on=today, what="合法性审核人员")
    name, post, unit_name = _snapshot(by)
    review.opinion, review.text, review.decided_on = opinion, text, today
    review.reviewer, review.reviewer_name, review.reviewer_post, review.reviewer_unit = by, name, post, unit_name
    review.save()
    doc.save(update_fields=["status", "updated_at"])
    _act(review, "legal_review", "decided", by=by, unit=doc.unit,
         data={"doc": doc.pk, "opinion": opinion, "decided_on": today, "late": today > review.due,
               "from": before, "to": doc.status})
    return review


# --------------------------------------------------------------- discussion

@transaction.atomic
def record_discussion(doc: NormDoc, *, meeting_type: str, meeting_name: str, held_on: date, outcome: str, by,
                      today: date, chair: Person | None = None, minutes: str = "",
                      late_reason: str = "") -> Discussion:
    """集体讨论决定 (NDOC-09), only after a passed legality review (NDOC-07).
    通过 / 修改后通过 -> 待签发, and the NDOC-20 publication deadline starts;
    不通过 -> back to 起草."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.draft", doc.unit, "您无权录入该文件的集体讨论结果")
    if outcome not in DiscussionOutcome.values:
        raise ValidationError("请选择审议结果", fields={"outcome": "请选择"})
    if meeting_type not in MeetingType.values:
        raise ValidationError("请选择会议类型", fields={"meeting_type": "请选择"})
    action = "discussion_reject" if outcome == DiscussionOutcome.REJECTED else "discussion_adopt"
    before, _ = _apply(doc, action, meeting_type=meeting_type)
    held = _entered(held_on, today=today, label="会议日期", field="held_on", after=[_last_step_date(doc)],
                    reason=late_reason)
    held_on = held.value
    # MDEC-11 / NDOC-09: the meeting is chaired by the issuing organ's head (行政首长 / 主要负责人).
    require_capacity(chair, Role.HEAD, doc.issuer, on=held_on, what="集体讨论的主持人（制定机关负责人）",
                     field="chair")
    d = Discussion.objects.create(chair=chair, chair_name=chair.name,
        doc=doc, meeting_type=meeting_type, meeting_name=_clean(meeting_name, 200, "meeting_name", "会议名称",
                                                                 required=True),
        held_on=held_on, outcome=outcome, minutes=_clean(minutes, 50_000, "minutes", "会议纪要"), recorded_by=by)
    fields = ["status", "updated_at"]
    data = {"doc": doc.pk, "meeting_type": meeting_type, "held_on": held_on, "outcome": outcome,
            "from": before, "to": doc.status, "chair": chair.name, **held.audit_data()}
    if outcome != DiscussionOutcome.REJECTED:
        due = rules.publication_due(held_on)
        doc.adopted_on, doc.publication_due = held_on, due.due
        doc.publication_provisional, doc.publication_rule = due.provisional, due.rule_text
        fields += ["adopted_on", "publication_due", "publication_provisional", "publication_rule"]
        data.update(publication_due=due.due, publication_rule=due.rule_text)
    doc.save(update_fields=fields)
    _act(d, "discussion", "recorded", by=by, unit=doc.unit, data=data)
    return d


# ------------------------------------------------- signing, registration

@transaction.atomic
def sign(doc: NormDoc, *, by, now: datetime | None = None) -> NormDoc:
    """签发 by the head of the issuing organ; the signer is recorded as they are now."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.sign", doc.issuer, "只有制定机关负责人可以签发")
    before, _ = _apply(doc, "sign")
    now = now or timezone.now()
    if by is not None:
        ensure_not_own(by, doc.drafter, what="签发本人起草的文件")
        require_capacity(_person(by), Role.HEAD, doc.issuer, on=timezone.localdate(now), what="签发人（制定机关负责人）")
    name, post, _unit = _snapshot(by)
    doc.signed_at, doc.signer, doc.signer_name, doc.signer_post = now, by, name, post
    doc.save(update_fields=["status", "signed_at", "signer", "signer_name", "signer_post", "updated_at"])
    _act(doc, "doc", "signed", by=by, data={"from": before, "signer": name, "post": post})
    return doc


def _allocate_numbers(doc: NormDoc, *, year: int, number_prefix: str | None) -> tuple[str, str]:
    try:
        code = IssuerCode.objects.get(unit=doc.issuer)
    except IssuerCode.DoesNotExist:
        raise ValidationError(f"“{doc.issuer}”尚未设置机关代字和登记号前缀，无法统一登记编号",
                              rule="NDOC-10", fields={"issuer": "请先设置机关代字"})
    reg = allocate_number(issuer=doc.issuer.name, prefix=f"{code.registration_prefix}登", year=year,
                          purpose=f"规范性文件登记号：{doc.title}")
    registration_no = f"{code.registration_prefix}-{year}-{reg.seq:03d}"
    num = allocate_number(issuer=doc.issuer.name, prefix=number_prefix or code.number_prefix, year=year,
                          purpose=f"规范性文件文号：{doc.title}")
    taken = NormDoc.objects.exclude(pk=doc.pk).filter(
        Q(doc_number=num.text) | Q(registration_no=registration_no)).first()
    if taken:
        # Only imported documents can carry numbers the allocator did not hand out.
        raise Conflict(f"文号或登记号“{num.text} / {registration_no}”已被“{taken.title}”使用，请核对编号序列",
                       rule="NDOC-10")
    return registration_no, num.text


@transaction.atomic
def register(doc: NormDoc, *, by, today: date, number_prefix: str | None = None) -> NormDoc:
    """统一登记、统一编号 (NDOC-10): registration number (e.g. SFGS-2026-003)
    and document number (示范府发〔2026〕3号), both gap-free per issuer and
    year. A rolled-back registration leaves no gap."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.register", doc.unit, "只有法制机构可以统一登记、编号")
    before, _ = _apply(doc, "register")
    today = _check_date(today, "today", "登记日期")
    doc.registration_no, doc.doc_number = _allocate_numbers(doc, year=today.year, number_prefix=number_prefix)
    doc.registered_on = today
    doc.save(update_fields=["status", "registration_no", "doc_number", "registered_on", "updated_at"])
    _act(doc, "doc", "registered", by=by, data={"from": before, "registration_no": doc.registration_no,
                                               "doc_number": doc.doc_number, "on": today})
    return doc


# -------------------------------------------------------------- publication

def _validity(effective_on: date, trial: bool, valid_until: date | None) -> tuple[date, str]:
    longest, rule = rules.valid_until(effective_on, trial=trial)
    if valid_until is None:
        return longest, rule
    if valid_until < effective_on or valid_until > longest:
        raise ValidationError(f"有效期至须在施行日期与{longest:%Y年%m月%d日}之间（{rule}）",
                              rule="NDOC-17", fields={"valid_until": f"不得晚于{longest.isoformat()}"})
    return valid_until, f"{rule}（制定机关确定至{valid_until.isoformat()}）"


def publication_texts(doc: NormDoc) -> dict[str, str]:
    """What 统一公布 puts on the portal: the title and the current text."""
    return {"标题": doc.title, "正文": doc.current_version.text if doc.current_version_id else ""}


@transaction.atomic
def publish(doc: NormDoc, *, by, today: date, effective_on: date, published_on: date | None = None,
            late_reason: str = "",
            urgent_reason: str = "", valid_until: date | None = None) -> NormDoc:
    """统一公布 on the portal (NDOC-10), only after registration. The
    effective date is normally ≥30 days after publication (NDOC-11; earlier
    only with an urgent reason). Sets the validity end (NDOC-17: 5 years, 2
    for 暂行/试行, or an earlier date chosen) and the filing deadline
    (NDOC-12). Publishing an amendment marks the amended document 已修改.
    Publication later than 20 WD after adoption (NDOC-20) is allowed and
    recorded as late. Refused while the text holds an ID, card or phone
    number or an address nobody has decided on (``fazhi.core.privacy``)."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.register", doc.unit, "只有法制机构可以统一公布")
    before, _ = _apply(doc, "publish")
    today = _check_date(today, "today", "日期")
    published = _entered(published_on or today, today=today, label="公布日期", field="published_on", after=[
        (doc.adopted_on, "审议通过日期"),
        (timezone.localdate(doc.signed_at) if doc.signed_at else None, "签发日期"),
        (doc.registered_on, "登记日期")], reason=late_reason)
    published_on = published.value
    effective_on = _check_date(effective_on, "effective_on", "施行日期")
    if effective_on < published_on:
        raise ValidationError("施行日期不能早于公布日期", rule="NDOC-11", fields={"effective_on": "早于公布日期"})
    earliest = rules.earliest_effective(published_on)
    urgent_reason = _clean(urgent_reason, 500, "urgent_reason", "立即施行理由")
    if effective_on < earliest.due and not urgent_reason:
        raise ValidationError(
            f"施行日期一般应在公布之日起30日后（{earliest.rule_text}，即不早于{earliest.due:%Y年%m月%d日}）；"
            "因紧急情况需提前施行的须说明理由",
            rule="NDOC-11", fields={"effective_on": f"不早于{earliest.due.isoformat()}"})
    # The text goes public as it is (a normative document is not rewritten); any
    # number or address in it is confirmed by a person first (core.privacy).
    privacy.publishable(doc, publication_texts(doc), rule=privacy.rule_for("NDOC-10"))
    doc.valid_until, doc.validity_rule = _validity(effective_on, doc.is_trial, valid_until)
    filing = rules.filing_due(published_on)
    doc.published_on, doc.effective_on, doc.urgent_reason = published_on, effective_on, urgent_reason
    doc.filing_due, doc.filing_provisional, doc.filing_rule = filing.due, filing.provisional, filing.rule_text
    doc.filing_status = FilingStatus.NOT_FILED
    late = bool(doc.publication_due and published_on > doc.publication_due)
    doc.save()
    _act(doc, "doc", "published", by=by, data={
        "from": before, "published_on": published_on, "effective_on": effective_on,
        "valid_until": doc.valid_until, "validity_rule": doc.validity_rule, "urgent_reason": urgent_reason,
        "filing_due": filing.due, "filing_rule": filing.rule_text, "late_publication": late,
        **published.audit_data()})
    if doc.amendment_of_id:
        old = _lock_doc(doc.amendment_of)
        if old.status == Status.PUBLISHED:
            old_before, _ = _apply(old, "amend")
            old.end_reason = f"已被《{doc.title}》（{doc.doc_number}）修改"
            old.save(update_fields=["status", "end_reason", "updated_at"])
            _act(old, "doc", "amended", by=by, data={"from": old_before, "by_doc": doc.pk,
                                                    "by_number": doc.doc_number, "on": published_on})
    return doc


# ------------------------------------------------------------------ filing

def _check_package(package: dict) -> dict:
    package = {k: bool((package or {}).get(k)) for k in PACKAGE_ITEMS}
    missing = [PACKAGE_ITEMS[k] for k, v in package.items() if not v]
    if missing:
        raise ValidationError("报备材料不齐全，缺少：" + "、".join(missing), rule="NDOC-14",
                              fields={"package": "缺少" + "、".join(missing)})
    return package


def default_filing_target(doc: NormDoc) -> tuple[Unit | None, str]:
    """Where a document is filed: a department's or town's with the
    government above it (its 法制机构 reviews); the government's own with the
    higher government (outside this system, a name)."""
    unit = doc.issuer
    gov = unit.parent
    while gov is not None and gov.kind != UnitKind.GOVERNMENT:
        gov = gov.parent
    if unit.kind != UnitKind.GOVERNMENT and gov is not None:
        office = Unit.objects.filter(parent=gov, is_legal_office=True).first()
        return gov, f"{gov.name}（{office.name if office else '法制机构'}）"
    return None, "上一级人民政府司法行政部门"


@transaction.atomic
def file_doc(doc: NormDoc, *, by, filed_on: date, package: dict, today: date, to_unit: Unit | None = None,
             to_name: str = "", late_reason: str = "") -> Filing:
    """报备 after publication (NDOC-12) with the full package (NDOC-14). A
    filing after the due date is accepted and recorded as late (报备及时率,
    NDOC-16)."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.file", doc.unit, "您无权报备该文件")
    check_filing_allowed(doc)
    before = doc.filing_status
    FILING_WORKFLOW.apply(doc, "file")
    returned = doc.filings.filter(state=Filing.State.RETURNED).exclude(returned_on=None).order_by("-returned_on").first()
    filed = _entered(filed_on, today=today, label="报备日期", field="filed_on", after=[
        (doc.published_on, "公布日期"), (returned.returned_on if returned else None, "上次退回补正日期")],
        reason=late_reason)
    filed_on = filed.value
    package = _check_package(package)
    if to_unit is None and not to_name:
        to_unit, to_name = default_filing_target(doc)
    to_name = to_name or to_unit.name
    # An imported document has no tracked deadline; its filing is measured against the legal term.
    due = doc.filing_due or rules.filing_due(doc.published_on or filed_on).due
    round_no = doc.filings.count() + 1
    f = Filing.objects.create(doc=doc, to_unit=to_unit, to_name=_clean(to_name, 100, "to_name", "备案审查机关"),
                              filed_on=filed_on, due=due, on_time=filed_on <= due,
                              package=package, filed_by=by)
    doc.save(update_fields=["filing_status", "updated_at"])
    _act(f, "filing", "refiled" if returned else "filed", by=by, unit=doc.unit,
         data={"doc": doc.pk, "from": before, "filed_on": filed_on, "due": due, "on_time": f.on_time,
               "to": to_name, "round": round_no, **({"after_return": returned.pk} if returned else {}),
               **filed.audit_data()})
    return f


def _filing_reviewer_unit(filing: Filing) -> Unit:
    """The unit a filing reviewer's grant must cover: the filed document's unit."""
    return filing.doc.unit


@transaction.atomic
def return_filing(filing: Filing, *, reason: str, by, today: date) -> Filing:
    """退回补正 / 暂缓登记 an incomplete or defective package (NDOC-14)."""
    filing = Filing.objects.select_for_update().select_related("doc").get(pk=filing.pk)
    doc = _lock_doc(filing.doc)
    _require(by, "normative_docs.filing_review", doc.unit, "您无权办理该文件的备案审查")
    ensure_not_own(by, filing.filed_by, what="审查本人报备的文件")
    FILING_WORKFLOW.apply(doc, "return_filing")
    today = _check_date(today, "today", "退回日期")
    filing.state, filing.returned_on = Filing.State.RETURNED, today
    filing.return_reason = _clean(reason, 5000, "reason", "退回理由", required=True)
    filing.save(update_fields=["state", "return_reason", "returned_on", "updated_at"])
    doc.save(update_fields=["filing_status", "updated_at"])
    _act(filing, "filing", "returned", by=by, unit=doc.unit, data={"doc": doc.pk, "reason": filing.return_reason,
                                                                  "on": today})
    return filing


@transaction.atomic
def accept_filing(filing: Filing, *, receipt_no: str, by, today: date) -> FilingReview:
    """受理 a filing and start the review (有备必审), due in 30 days (NDOC-15)."""
    filing = Filing.objects.select_for_update().select_related("doc").get(pk=filing.pk)
    doc = _lock_doc(filing.doc)
    _require(by, "normative_docs.filing_review", doc.unit, "您无权办理该文件的备案审查")
    ensure_not_own(by, filing.filed_by, what="受理本人报备的文件")
    FILING_WORKFLOW.apply(doc, "accept_filing")
    today = _check_date(today, "today", "受理日期")
    if today < filing.filed_on:
        raise ValidationError("受理日期不能早于报备日期", fields={"today": "早于报备日期"})
    due = rules.filing_review_due(today)
    filing.state, filing.accepted_on = Filing.State.ACCEPTED, today
    filing.receipt_no = _clean(receipt_no, 60, "receipt_no", "受理回执号", required=True)
    filing.save(update_fields=["state", "accepted_on", "receipt_no", "updated_at"])
    review = FilingReview.objects.create(filing=filing, due=due.due, due_provisional=due.provisional,
                                         due_rule=due.rule_text)
    doc.save(update_fields=["filing_status", "updated_at"])
    _act(filing, "filing", "accepted", by=by, unit=doc.unit,
         data={"doc": doc.pk, "receipt_no": filing.receipt_no, "on": today, "review_due": due.due,
               "rule": due.rule_text})
    return review


@transaction.atomic
def decide_filing_review(review: FilingReview, *, finding: str, opinion: str, by, today: date,
                         order_text: str = "") -> FilingReview:
    """The filing review's finding (NDOC-15). 不合法 / 不适当 issues a
    correction order; the maker reports within 30 days (有错必纠, NDOC-19)."""
    review = FilingReview.objects.select_for_update().select_related("filing__doc").get(pk=review.pk)
    doc = _lock_doc(review.filing.doc)
    _require(by, "normative_docs.filing_review", doc.unit, "您无权办理该文件的备案审查")
    if review.finding:
        raise TransitionRefused("该备案审查已作出结论", rule="NDOC-15")
    if finding not in ReviewFinding.values:
        raise ValidationError("请选择审查结论（合法、不合法、不适当）", fields={"finding": "请选择"})
    ensure_not_own(by, review.filing.filed_by, what="审查本人报备的文件")
    FILING_WORKFLOW.apply(doc, "review_lawful" if finding == ReviewFinding.LAWFUL else "review_correct")
    today = _check_date(today, "today", "审查日期")
    opinion = _clean(opinion, 50_000, "opinion", "审查意见", required=finding != ReviewFinding.LAWFUL)
    review.finding, review.opinion, review.decided_on = finding, opinion, today
    review.reviewer, review.reviewer_name = by, _snapshot(by)[0]
    review.save()
    filing = review.filing
    filing.state = Filing.State.REVIEWED
    filing.save(update_fields=["state", "updated_at"])
    doc.save(update_fields=["filing_status", "updated_at"])
    data = {"doc": doc.pk, "finding": finding, "on": today, "late": today > review.due}
    if finding != ReviewFinding.LAWFUL:
        text = _clean(order_text or opinion, 50_000, "order_text", "纠错意见", required=True)
        due = rules.correction_due(today)
        order = CorrectionOrder.objects.create(review=review, doc=doc, order_text=text, ordered_on=today,
                                               due=due.due, due_provisional=due.provisional, due_rule=due.rule_text)
        data.update(correction=order.pk, correction_due=due.due, rule=due.rule_text)
    _act(review, "filing_review", "decided", by=by, unit=doc.unit, data=data)
    return review


@transaction.atomic
def report_correction(order: CorrectionOrder, *, report_text: str, by, today: date) -> CorrectionOrder:
    """The maker's report of how it corrected the document (NDOC-19)."""
    order = CorrectionOrder.objects.select_for_update().get(pk=order.pk)
    doc = _lock_doc(order.doc)
    _require(by, "normative_docs.file", doc.unit, "您无权报告该文件的纠正情况")
    if order.reported_on:
        raise TransitionRefused("纠正情况已经报告", rule="NDOC-19")
    FILING_WORKFLOW.apply(doc, "report_correction")
    order.report_text = _clean(report_text, 50_000, "report_text", "处理情况报告", required=True)
    order.reported_on, order.reported_by = _check_date(today, "today", "报告日期"), by
    order.save(update_fields=["report_text", "reported_on", "reported_by", "updated_at"])
    doc.save(update_fields=["filing_status", "updated_at"])
    _act(order, "correction", "reported", by=by, unit=doc.unit,
         data={"doc": doc.pk, "on": today, "late": today > order.due})
    return order


# -------------------------------------------------------------- legal life

@transaction.atomic
def repeal(doc: NormDoc, *, by, repealed_on: date, reason: str, today: date, late_reason: str = "") -> NormDoc:
    """废止 a document in force (by the issuing organ's head, SYS-02)."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.sign", doc.issuer, "只有制定机关负责人可以废止文件")
    ended = _entered(repealed_on, today=today, label="废止日期", field="repealed_on",
                     after=[(doc.published_on, "公布日期")], reason=late_reason)
    if by is not None:
        require_capacity(_person(by), Role.HEAD, doc.issuer, on=ended.value, what="废止决定人（制定机关负责人）")
    return _end(doc, "repeal", on=ended.value,
                reason=_clean(reason, 500, "reason", "废止理由", required=True), by=by, data=ended.audit_data())


def _end(doc: NormDoc, action: str, *, on: date, reason: str, by, data: dict | None = None) -> NormDoc:
    before, _ = _apply(doc, action)
    if action == "repeal":
        doc.repealed_on = on
    else:
        doc.expired_on = on
    doc.end_reason = reason
    doc.save(update_fields=["status", "repealed_on", "expired_on", "end_reason", "updated_at"])
    verb = {"repeal": "repealed", "expire": "expired"}[action]
    _act(doc, "doc", verb, by=by, data={"from": before, "on": on, "reason": reason, **(data or {})})
    return doc


def expire_due(now: datetime) -> int:
    """Automatic expiry (NDOC-17): every published document whose validity
    ended before today becomes 失效, recorded by the system. Idempotent."""
    today = timezone.localdate(now)
    n = 0
    with transaction.atomic():
        ids = list(NormDoc.objects.filter(status=Status.PUBLISHED, valid_until__lt=today)
                   .values_list("pk", flat=True))
        for pk in ids:
            doc = NormDoc.objects.select_for_update().get(pk=pk)
            if doc.status != Status.PUBLISHED or not doc.valid_until or doc.valid_until >= today:
                continue
            _end(doc, "expire", on=doc.valid_until + timedelta(days=1),
                 reason=f"有效期届满（{doc.validity_rule}，有效期至{doc.valid_until.isoformat()}）", by=None,
                 data={"automatic": True})
            n += 1
    return n


@transaction.atomic
def renew(doc: NormDoc, *, by, today: date, evaluation: str) -> NormDoc:
    """Continue a document after its evaluation (NDOC-17): only within the
    evaluation window before expiry; re-registers, renumbers and republishes
    it today, restarts the validity period and the filing deadline. The old
    numbers are kept in ``previous_numbers``."""
    doc = _lock_doc(doc)
    _require(by, "normative_docs.register", doc.unit, "只有法制机构可以重新登记、编号、公布")
    _check(doc, "renew")
    today = _check_date(today, "today", "日期")
    evaluation = _clean(evaluation, 20_000, "evaluation", "评估意见", required=True)
    if not doc.valid_until:
        raise TransitionRefused("该文件未设有效期，无需延续", rule="NDOC-17")
    window = rules.evaluation_starts(doc.valid_until)
    if today < window:
        raise TransitionRefused(
            f"有效期届满前{rules.get('evaluation_months')}个月内（{window:%Y年%m月%d日}起）方可评估延续", rule="NDOC-17")
    if today > doc.valid_until:
        raise TransitionRefused("有效期已届满，不能延续；需要的应重新制定", rule="NDOC-17")
    old = {"registration_no": doc.registration_no, "doc_number": doc.doc_number,
           "published_on": doc.published_on.isoformat(), "effective_on": doc.effective_on.isoformat(),
           "valid_until": doc.valid_until.isoformat()}
    doc.registration_no, doc.doc_number = _allocate_numbers(doc, year=today.year, number_prefix=None)
    doc.registered_on = doc.published_on = doc.effective_on = today
    doc.valid_until, doc.validity_rule = rules.valid_until(today, trial=doc.is_trial)
    filing = rules.filing_due(today)
    doc.filing_status = FilingStatus.NOT_FILED
    doc.filing_due, doc.filing_provisional, doc.filing_rule = filing.due, filing.provisional, filing.rule_text
    doc.previous_numbers = [*doc.previous_numbers, old]
    doc.renewed_count += 1
    doc.save()
    _act(doc, "doc", "renewed", by=by, data={"previous": old, "registration_no": doc.registration_no,
                                            "doc_number": doc.doc_number, "valid_until": doc.valid_until,
                                            "evaluation": evaluation, "filing_due": filing.due})
    return doc


IMPORTED_FILING_RULE = "历史导入：报备情况在系统外"


@transaction.atomic
def import_document(*, unit: Unit, issuer: Unit, title: str, text: str, doc_number: str, published_on: date,
                    by, effective_on: date | None = None, valid_until: date | None = None,
                    registration_no: str = "", legal_basis: str = "", status: str = Status.PUBLISHED,
                    end_date: date | None = None) -> NormDoc:
    """Bring an existing, already published document into the library
    (imports from .docx/.txt). Its numbers are taken as they are; a
    collision is refused. ``status`` may be 已公布, 废止 or 失效."""
    _require(by, "normative_docs.register", unit, "只有法制机构可以导入已公布的文件")
    check_issuer(issuer)
    title = _clean(title, 200, "title", "文件名称", required=True)
    text = _check_text(text)
    doc_number = _clean(doc_number, 120, "doc_number", "文号", required=True)
    registration_no = _clean(registration_no, 60, "registration_no", "登记号") or f"导入-{doc_number}"
    published_on = _check_date(published_on, "published_on", "公布日期")
    effective_on = effective_on or published_on
    if effective_on < published_on:
        raise ValidationError("施行日期不能早于公布日期", fields={"effective_on": "早于公布日期"})
    if status not in (Status.PUBLISHED, Status.REPEALED, Status.EXPIRED):
        raise ValidationError("导入文件的状态只能是已公布、废止或失效", fields={"status": "状态无效"})
    trial = rules.is_trial_title(title)
    if valid_until is None:
        until, rule = rules.valid_until(effective_on, trial=trial)
    elif valid_until < effective_on:
        raise ValidationError("有效期至不能早于施行日期", fields={"valid_until": "早于施行日期"})
    else:
        until, rule = valid_until, "导入文件载明"
    if NormDoc.objects.filter(Q(doc_number=doc_number) | Q(registration_no=registration_no)).exists():
        raise Conflict(f"文号“{doc_number}”或登记号已存在，未导入", rule="NDOC-10",
                       fields={"doc_number": "文号已存在"})
    # A document published before the system was filed (or not) outside it:
    # no filing deadline is tracked for it, so it is never an overdue filing
    # (docs/modules/normative_docs.md, "Imported documents"). A filing can
    # still be recorded later; it is then measured against the legal term.
    try:
        with transaction.atomic():
            doc = NormDoc.objects.create(
                unit=unit, issuer=issuer, issuer_level=issuer_level_for(issuer), title=title, status=status,
                legal_basis=_clean(legal_basis, 20_000, "legal_basis", "制定依据"),
                registration_no=registration_no, doc_number=doc_number, registered_on=published_on,
                published_on=published_on, effective_on=effective_on, is_trial=trial,
                valid_until=until, validity_rule=rule, filing_due=None, filing_rule=IMPORTED_FILING_RULE,
                repealed_on=end_date if status == Status.REPEALED else None,
                expired_on=end_date if status == Status.EXPIRED else None,
            )
    except IntegrityError:
        raise Conflict(f"文号“{doc_number}”或登记号已存在，未导入", rule="NDOC-10",
                       fields={"doc_number": "文号已存在"})
    _new_version(doc, text=text, note="导入", by=by)
    _act(doc, "doc", "imported", by=by, data={"doc_number": doc_number, "registration_no": registration_no,
                                             "published_on": published_on, "status": status})
    return doc


def _iso_date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(value) if value else None


class _ImportRollback(Exception):
    pass


def import_documents(items: list[dict], *, by) -> dict:
    """A batch import, all or nothing: each item is saved through
    ``import_document`` in one transaction; if one is refused (or was not
    parsed: ``item["errors"]``), none is kept. Returns the per-file report
    ``{"ok": bool, "rows": [{"name", "ok", "message"}]}`` (``ok`` None: not
    saved because of another file).

    An item: ``name`` (the file), ``issuer_id`` (the unit it is saved under),
    ``title``, ``text``, ``doc_number``, ``published_on``, ``effective_on``,
    ``valid_until`` (dates or ISO strings), ``errors`` (parse errors)."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in={it.get("issuer_id") for it in items} - {None})}
    report: list[dict] = []
    try:
        with transaction.atomic():
            for it in items:
                try:
                    if it.get("errors"):
                        raise ValidationError("；".join(it["errors"]))
                    unit = units.get(it.get("issuer_id"))
                    if unit is None:
                        raise ValidationError("未指定制定机关", fields={"issuer": "请选择"})
                    doc = import_document(
                        unit=unit, issuer=unit, title=it["title"], text=it["text"], doc_number=it["doc_number"],
                        published_on=_iso_date(it.get("published_on")), by=by,
                        effective_on=_iso_date(it.get("effective_on")), valid_until=_iso_date(it.get("valid_until")))
                except PermissionDenied:
                    raise
                except DomainError as exc:
                    report.append({"name": it["name"], "ok": False, "message": str(exc)})
                else:
                    report.append({"name": it["name"], "ok": True, "message": f"已导入（{doc.doc_number}）"})
            if not all(r["ok"] for r in report):
                raise _ImportRollback()
    except _ImportRollback:
        for r in report:
            if r["ok"]:
                r["ok"], r["message"] = None, "未导入：其他文件有错误，本批全部未保存"
        return {"ok": False, "rows": report}
    return {"ok": True, "rows": report}


# ----------------------------------------------------------------- clean-up

@transaction.atomic
def start_cleanup(*, unit: Unit, name: str, kind: str, started_on: date, by, trigger_law: str = "",
                  include_in_force: bool = True) -> CleanupCampaign:
    """Start a clean-up (NDOC-18): periodic, or special when a higher law
    changed (name the law). With ``include_in_force`` every document in force
    issued within ``unit``'s subtree is selected."""
    _require(by, "normative_docs.cleanup", unit, "您无权组织清理")
    if kind not in CleanupCampaign.Kind.values:
        raise ValidationError("请选择清理类型", fields={"kind": "请选择"})
    trigger_law = _clean(trigger_law, 200, "trigger_law", "所涉上位法", required=kind == CleanupCampaign.Kind.SPECIAL)
    campaign = CleanupCampaign.objects.create(
        unit=unit, name=_clean(name, 200, "name", "清理活动名称", required=True), kind=kind,
        trigger_law=trigger_law, started_on=_check_date(started_on, "started_on", "开始日期"))
    added = []
    if include_in_force:
        docs = NormDoc.objects.filter(status=Status.PUBLISHED).filter(
            Q(issuer=unit) | Q(issuer__path__startswith=unit.path))
        CleanupDecision.objects.bulk_create([CleanupDecision(campaign=campaign, doc=d) for d in docs])
        added = [d.pk for d in docs]
    _act(campaign, "cleanup", "started", by=by, data={"kind": kind, "trigger_law": trigger_law, "docs": added})
    return campaign


@transaction.atomic
def add_to_cleanup(campaign: CleanupCampaign, docs, *, by) -> int:
    """Select more documents in force for a running campaign."""
    campaign = _lock(CleanupCampaign, campaign)
    _require(by, "normative_docs.cleanup", campaign.unit, "您无权组织清理")
    if campaign.state != CleanupCampaign.State.RUNNING:
        raise TransitionRefused("清理结果已公布，不能再增加文件", rule="NDOC-18")
    docs = list(docs)
    bad = [d for d in docs if d.status != Status.PUBLISHED]
    if bad:
        raise ValidationError(f"《{bad[0].title}》不是现行有效的文件，不能纳入清理", rule="NDOC-18")
    have = set(campaign.decisions.values_list("doc_id", flat=True))
    new = [CleanupDecision(campaign=campaign, doc=d) for d in docs if d.pk not in have]
    CleanupDecision.objects.bulk_create(new)
    if new:
        _act(campaign, "cleanup", "docs_added", by=by, data={"docs": [d.doc_id for d in new]})
    return len(new)


@transaction.atomic
def decide_cleanup(campaign: CleanupCampaign, doc: NormDoc, *, decision: str, reason: str, by) -> CleanupDecision:
    """One document's clean-up verdict: 继续有效 / 修改 / 废止 / 宣布失效, with reasons."""
    campaign = _lock(CleanupCampaign, campaign)
    _require(by, "normative_docs.cleanup", campaign.unit, "您无权作出清理结论")
    if campaign.state != CleanupCampaign.State.RUNNING:
        raise TransitionRefused("清理结果已公布，不能再修改结论", rule="NDOC-18")
    if decision not in CleanupVerdict.values:
        raise ValidationError("请选择清理结论", fields={"decision": "请选择"})
    reason = _clean(reason, 5000, "reason", "理由", required=decision != CleanupVerdict.CONTINUE)
    try:
        d = CleanupDecision.objects.select_for_update().get(campaign=campaign, doc=doc)
    except CleanupDecision.DoesNotExist:
        raise ValidationError("该文件未纳入本次清理", fields={"doc": "未纳入清理"})
    before = d.decision
    d.decision, d.reason, d.decided_by = decision, reason, by
    d.save()
    _act(d, "cleanup", "decided", by=by, unit=campaign.unit,
         data={"campaign": campaign.pk, "doc": doc.pk, "decision": decision, "reason": reason, "before": before})
    return d


@transaction.atomic
def publish_cleanup(campaign: CleanupCampaign, *, by, today: date) -> CleanupCampaign:
    """Publish the results (NDOC-18): the 继续有效, 废止 and 失效 lists (修改
    goes with the continuing list, marked for amendment). Every selected
    document needs a verdict; 废止 and 宣布失效 take effect today."""
    campaign = _lock(CleanupCampaign, campaign)
    _require(by, "normative_docs.cleanup", campaign.unit, "您无权公布清理结果")
    if campaign.state != CleanupCampaign.State.RUNNING:
        raise TransitionRefused("清理结果已经公布", rule="NDOC-18")
    today = _check_date(today, "today", "公布日期")
    decisions = list(campaign.decisions.select_related("doc"))
    if not decisions:
        raise TransitionRefused("本次清理没有纳入任何文件", rule="NDOC-18")
    open_ = [d for d in decisions if not d.decision]
    if open_:
        raise TransitionRefused(f"还有{len(open_)}件文件未作出清理结论（如《{open_[0].doc.title}》）", rule="NDOC-18")
    for d in decisions:
        if d.decision in (CleanupVerdict.REPEAL, CleanupVerdict.DECLARE_EXPIRED):
            doc = _lock_doc(d.doc)
            if doc.status != Status.PUBLISHED:
                continue  # ended meanwhile (e.g. expired); the list still shows it
            action = "repeal" if d.decision == CleanupVerdict.REPEAL else "expire"
            _end(doc, action, on=today, reason=f"{campaign.name}：{d.reason}", by=by,
                 data={"cleanup": campaign.pk})
    campaign.state, campaign.published_on = CleanupCampaign.State.PUBLISHED, today
    campaign.save(update_fields=["state", "published_on", "updated_at"])
    counts = {v: sum(1 for d in decisions if d.decision == v) for v in CleanupVerdict.values}
    _act(campaign, "cleanup", "published", by=by, data={"on": today, "counts": counts})
    return campaign


# ---------------------------------------------------------- review proposals

@transaction.atomic
def submit_proposal(doc: NormDoc, *, name: str, contact: str, content: str, today: date) -> ReviewProposal:
    """A citizen's 审查建议 about a published document (NDOC-16), with a reply deadline."""
    doc = NormDoc.objects.get(pk=doc.pk)
    if not doc.is_public:
        raise TransitionRefused("只能对已公布的文件提出审查建议", rule="NDOC-16")
    today = _check_date(today, "today", "日期")
    due = rules.proposal_reply_due(today)
    p = ReviewProposal.objects.create(
        doc=doc, name=_clean(name, 100, "name", "姓名", required=True),
        contact=_clean(contact, 100, "contact", "联系方式", required=True),
        content=_clean(content, 10_000, "content", "审查建议", required=True), submitted_on=today,
        reply_due=due.due, reply_provisional=due.provisional, reply_rule=due.rule_text)
    _act(p, "proposal", "submitted", by=None, unit=doc.unit,
         data={"doc": doc.pk, "on": today, "reply_due": due.due, "source": "portal"})
    return p


@transaction.atomic
def reply_proposal(proposal: ReviewProposal, *, reply: str, by, today: date) -> ReviewProposal:
    """Answer a review proposal (the filing-review office)."""
    p = ReviewProposal.objects.select_for_update().select_related("doc__unit").get(pk=proposal.pk)
    _require(by, "normative_docs.filing_review", p.doc.unit, "您无权答复该审查建议")
    if p.state == ReviewProposal.State.REPLIED:
        raise TransitionRefused("该审查建议已答复", rule="NDOC-16")
    today = _check_date(today, "today", "答复日期")
    if today < p.submitted_on:
        raise ValidationError("答复日期不能早于提出日期", fields={"today": "早于提出日期"})
    p.reply = _clean(reply, 20_000, "reply", "答复内容", required=True)
    p.state, p.replied_on, p.replied_by = ReviewProposal.State.REPLIED, today, by
    p.save(update_fields=["reply", "state", "replied_on", "replied_by", "updated_at"])
    _act(p, "proposal", "replied", by=by, unit=p.doc.unit, data={"on": today, "late": today > p.reply_due})
    return p
