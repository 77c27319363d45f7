"""Staff screens of 行政规范性文件. Every change goes through ``services``;
every non-trivial read through ``selectors``.

Scope rules (as in org): a record outside what the user may *see* is a 404;
a visible record the user may not *change* is a 403 (the service refuses
with ``PermissionDenied``). Any other refusal (wrong legal order, a period
too short, a missing document) is shown on the page with its rule ID, and
nothing is changed. Sign-in is required by LoginRequiredMiddleware.

The action forms on the detail page are exactly the steps the workflow
table allows now (``selectors.available_actions``), filtered by the user's
permissions; each posts to ``doc_action`` with its step key.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationError
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.normative_docs import forms as f
from fazhi.normative_docs import rules, selectors, services
from fazhi.normative_docs.models import (
    PUBLIC_STATES,
    CleanupCampaign,
    Consultation,
    FilingStatus,
    NormDoc,
    ReviewProposal,
    Status,
)
from fazhi.normative_docs.workflow import EDITABLE_STATES
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Unit

VIEW = "normative_docs.view"




def _refusal(exc: DomainError) -> str:
    """The message shown for a refusal: the reason and the rule that refuses."""
    return str(exc)


def _today():
    return timezone.localdate()


def _unit_by_pk(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def _read_upload(form) -> str:
    """The text of the form: the uploaded file (checked by textio) or the pasted text.

    Raises ``ValidationError`` (Chinese) for a file of the wrong type, too
    large, unreadable or empty."""
    upload = form.cleaned_data.get("upload")
    if upload:
        from fazhi.normative_docs import textio

        return textio.read_text(upload)
    return form.cleaned_data.get("text") or ""


def _place_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where they belong
    (``text`` errors also cover an upload), the message with its rule on top."""
    fields = dict(exc.fields or {})
    if "text" in fields and "upload" in form.fields and form.cleaned_data.get("upload"):
        fields["upload"] = fields.pop("text")
    for name, msg in fields.items():
        if name in form.fields:
            form.add_error(name, msg)
    form.add_error(None, _refusal(exc))


# =================================================================== list

def _yesno(v: bool) -> str:
    return "是" if v else "否"


def _filing_cell(d: NormDoc) -> str:
    if d.status not in PUBLIC_STATES:
        return ""
    if d.filing_status == FilingStatus.NOT_FILED and d.filing_due is None:
        return "历史导入"  # published before the system; filed outside it (services.import_document)
    return d.get_filing_status_display()


DOC_TABLE = Table("规范性文件", [
    Column("文件名称", "title", sort="title", link=lambda d: reverse("normative_docs:detail", args=[d.pk])),
    Column("文号", "doc_number", sort="doc_number"),
    Column("制定机关", "issuer.name", sort="issuer__path"),
    Column("状态", lambda d: d.get_status_display(), sort="status"),
    Column("涉市场", lambda d: "是" if d.touches_market else ""),
    Column("公布日期", "published_on", sort="published_on"),
    Column("有效期至", "valid_until"),
    Column("报备状态", _filing_cell, sort="filing_status"),
    DueColumn("报备期限", "filing_due", sort="filing_due",  # NDOC-12
              done=lambda d: d.filing_status != FilingStatus.NOT_FILED),
], default_sort="-updated_at", per_page=30)

# The export carries every column a ledger (台账) needs; same sort keys as the page.
DOC_EXPORT = Table("规范性文件", [
    Column("文件名称", "title", sort="title"),
    Column("文号", "doc_number", sort="doc_number"),
    Column("登记号", "registration_no"),
    Column("制定机关", "issuer.name", sort="issuer__path"),
    Column("起草单位", "unit.name"),
    Column("状态", lambda d: d.get_status_display(), sort="status"),
    Column("涉及市场主体", lambda d: _yesno(d.touches_market)),
    Column("审议通过日期", "adopted_on"),
    Column("公布日期", "published_on", sort="published_on"),
    Column("施行日期", "effective_on"),
    Column("有效期至", "valid_until"),
    Column("报备状态", _filing_cell, sort="filing_status"),
    Column("报备期限", "filing_due", sort="filing_due"),
    Column("报备期限规则", "filing_rule"),
    Column("废止/失效日期", lambda d: d.repealed_on or d.expired_on or ""),
], default_sort="-updated_at")


@require_http_methods(["GET"])
def doc_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    form = f.DocFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW),
                           years=range(today.year, today.year - 20, -1))
    d = form.cleaned_data if form.is_valid() else {}
    market = d.get("touches_market")
    qs = selectors.doc_list(user, status=d.get("status", ""), filing_status=d.get("filing_status", ""),
                            year=d.get("year"), q=(d.get("q") or "").strip(), unit=_unit_by_pk(d.get("unit")),
                            touches_market={"1": True, "0": False}.get(market), overdue=bool(d.get("overdue")),
                            today=today)
    if request.GET.get("export") == "xlsx":
        return DOC_EXPORT.export(DOC_EXPORT.rows(request, qs))
    return DOC_TABLE.respond(request, qs, "normative_docs/doc_list.html", {
        "filters": form, "today": today,
        "can_create": access.allowed(user, "normative_docs.draft"),
        "can_import": access.allowed(user, "normative_docs.register"),
    })


# ================================================================= create

@require_http_methods(["GET", "POST"])
@domain_errors
def doc_create(request):
    user = request.user
    _require(user, "normative_docs.draft")
    form = f.DocCreateForm(request.POST or None, request.FILES or None,
                           unit_choices=org_selectors.unit_choices(user, "normative_docs.draft"),
                           issuer_choices=selectors.issuer_choices(user))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with refused_onto(form, place=_place_error) as outcome:
            text = _read_upload(form)
            doc = services.create_draft(
                unit=_unit_by_pk(c["unit"]), issuer=_unit_by_pk(c["issuer"]), title=c["title"], text=text,
                by=user, touches_market=c["touches_market"], explanation=c["explanation"],
                legal_basis=c["legal_basis"], issuer_level=c["issuer_level"] or None,
            )
        if outcome.ok:
            messages.success(request, f"已创建文件草稿《{doc.title}》")
            return redirect("normative_docs:detail", pk=doc.pk)
    return render(request, "normative_docs/doc_form.html", {"form": form}, status=400 if form.errors else 200)


# =================================================================== edit

def _same_text(a: str, b: str) -> bool:
    return (a or "").replace("\r\n", "\n").strip() == (b or "").replace("\r\n", "\n").strip()


@require_http_methods(["GET", "POST"])
@domain_errors
def doc_edit(request, pk):
    """起草信息 of a draft (services.update_draft); a changed text becomes a
    new version (services.add_version). Both or neither are saved."""
    user = request.user
    doc = selectors.get_doc(user, pk)
    if not selectors.can_draft(user, doc):
        raise HttpForbidden("您没有修改该文件的权限")
    if doc.status not in EDITABLE_STATES:
        messages.error(request, f"文件处于“{doc.get_status_display()}”状态，不能修改起草信息（NDOC-10）")
        return redirect("normative_docs:detail", pk=doc.pk)
    current_text = doc.current_version.text if doc.current_version_id else ""
    choices = selectors.issuer_choices(user)
    if doc.issuer_id not in {pk for pk, _ in choices}:
        choices = [(doc.issuer_id, doc.issuer.name), *choices]
    auto_level = services.issuer_level_for(doc.issuer)
    form = f.DocEditForm(request.POST or None, request.FILES or None, issuer_choices=choices, initial={
        "title": doc.title, "issuer": doc.issuer_id, "touches_market": doc.touches_market,
        "issuer_level": "" if doc.issuer_level == auto_level else doc.issuer_level,
        "explanation": doc.explanation, "legal_basis": doc.legal_basis, "text": current_text,
    })
    if doc.status != Status.DRAFTING:  # fixed once the procedure has moved on (NDOC-06, NDOC-09)
        form.fields["issuer"].disabled = True
        form.fields["touches_market"].disabled = True
    status = 200
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            text = _read_upload(form)
            issuer = _unit_by_pk(c["issuer"]) or doc.issuer
            with transaction.atomic():
                services.update_draft(
                    doc, by=user, title=c["title"], issuer=issuer,
                    issuer_level=c["issuer_level"] or services.issuer_level_for(issuer),
                    touches_market=c["touches_market"], explanation=c["explanation"],
                    legal_basis=c["legal_basis"])
                changed = not _same_text(text, current_text)
                if changed:
                    services.add_version(doc, text=text, by=user, note=c["note"] or "修改起草信息时修改正文")
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
            status = exc.status
        else:
            messages.success(request, "已保存起草信息" + ("，正文已保存为新版本" if changed else ""))
            return redirect("normative_docs:detail", pk=doc.pk)
    if form.errors and status == 200:
        status = 400
    doc.refresh_from_db()  # a refused edit changed nothing: show what is stored
    return render(request, "normative_docs/doc_edit.html", {"form": form, "doc": doc}, status=status)


# ========================================================= issuer codes

@require_http_methods(["GET"])
def issuer_codes(request):
    """机关代字 and registration prefixes of the units the user registers for (NDOC-10)."""
    _require(request.user, "normative_docs.register")
    return render(request, "normative_docs/issuer_codes.html", {"rows": selectors.issuer_codes_for(request.user)})


@require_http_methods(["GET", "POST"])
@domain_errors
def issuer_code_edit(request, unit_pk):
    user = request.user
    _require(user, "normative_docs.register")
    unit = selectors.get_issuer_unit(user, unit_pk)
    code = selectors.issuer_code(unit)
    form = f.IssuerCodeForm(request.POST or None, initial={
        "number_prefix": code.number_prefix if code else "",
        "registration_prefix": code.registration_prefix if code else ""})
    if request.method == "POST" and form.is_valid():
        with refused_onto(form, place=_place_error) as outcome:
            services.set_issuer_code(unit, by=user, number_prefix=form.cleaned_data["number_prefix"],
                                     registration_prefix=form.cleaned_data["registration_prefix"])
        if outcome.ok:
            messages.success(request, f"已设置“{unit.name}”的机关代字")
            return redirect("normative_docs:issuer_codes")
    return render(request, "normative_docs/issuer_code_form.html", {"form": form, "unit": unit, "code": code},
                  status=400 if form.errors else 200)


# ================================================================= detail

@dataclass(frozen=True)
class Step:
    """One action form on the detail page."""

    key: str
    label: str
    form: type
    run: Callable[[Any, NormDoc, dict], Any]  # (user, doc, cleaned_data) -> result
    done: str  # success message
    danger: bool = False
    intro: str = ""


def _need(obj, message: str, rule: str):
    if obj is None:
        raise Conflict(message, rule=rule)
    return obj


def _run_decide_legal(user, doc, c):
    review = _need(selectors.pending_legal_review(doc), "当前没有待审核的合法性审核", "NDOC-07")
    return services.decide_legal_review(review, opinion=c["opinion"], text=c["text"], by=user, today=_today())


def _run_filing_review(user, doc, c):
    filing = _need(selectors.current_filing(doc), "当前没有报备记录", "NDOC-15")
    review = _need(getattr(filing, "review", None), "报备尚未受理，不能作出审查结论", "NDOC-15")
    return services.decide_filing_review(review, finding=c["finding"], opinion=c["opinion"], by=user,
                                         today=_today(), order_text=c["order_text"])


def _run_version(user, doc, c):
    raise NotImplementedError  # handled in doc_action (needs the upload)


STEPS: dict[str, Step] = {s.key: s for s in [
    Step("add_version", "提交修改稿", f.VersionForm, _run_version, "已保存新版本文本",
         intro="修改后的全文作为新版本保存，可与此前版本逐条对比。"),
    Step("start_consultation", "公开征求意见", f.ConsultationForm,
         lambda u, d, c: services.start_consultation(d, by=u, start_on=c["start_on"], end_on=c["end_on"],
                                                     exception_reason=c["exception_reason"], today=_today(),
                                                     late_reason=c["late_reason"]),
         "已发布征求意见，公众可在门户网站逐条提出意见",
         intro="涉及市场主体的不少于30日（NDOC-04），其他文件一般不少于7个工作日（NDOC-05）。"),
    Step("close_consultation", "结束征求意见", f.CloseConsultationForm,
         lambda u, d, c: services.close_consultation(
             _need(selectors.open_consultation(d), "没有正在进行的征求意见", "NDOC-04"), by=u, today=_today(),
             exception_reason=c["exception_reason"]),
         "征求意见已结束，请逐条答复意见并公布采纳情况"),
    Step("publish_summary", "公布意见采纳情况", f.SummaryForm,
         lambda u, d, c: services.publish_consultation_summary(
             _need(selectors.pending_summary(d), "没有待公布采纳情况的征求意见", "NDOC-04"), summary=c["summary"], by=u,
             today=_today()),
         "意见采纳情况已公布", intro="须先逐条答复全部意见（NDOC-04）。"),
    Step("submit_fair_review", "送公平竞争审查", f.NoFieldsForm,
         lambda u, d, c: services.submit_fair_review(d, by=u), "已送公平竞争审查"),
    Step("record_fair_review", "录入公平竞争审查结论", f.FairReviewForm,
         lambda u, d, c: services.record_fair_review(
             d, passed=c["passed"], opinion=c["opinion"], reviewed_on=c["reviewed_on"], by=u,
             reviewing_unit_name=c["reviewing_unit_name"], today=_today(), late_reason=c["late_reason"]),
         "已录入公平竞争审查结论", intro="未通过审查的不得出台，退回起草（NDOC-06）。"),
    Step("submit_legal_review", "送合法性审核", f.NoFieldsForm,
         lambda u, d, c: services.submit_legal_review(d, by=u, today=_today()),
         "已送法制机构合法性审核", intro="审核期限自受理之日起15个工作日（NDOC-08）。"),
    Step("decide_legal_review", "出具合法性审核意见", f.LegalDecisionForm, _run_decide_legal,
         "已出具合法性审核意见"),
    Step("record_discussion", "录入集体讨论决定", f.DiscussionForm,
         lambda u, d, c: services.record_discussion(
             d, meeting_type=c["meeting_type"], meeting_name=c["meeting_name"], held_on=c["held_on"],
             outcome=c["outcome"], by=u, minutes=c["minutes"], chair=c["chair"], today=_today(),
             late_reason=c["late_reason"]),
         "已录入集体讨论决定",
         intro="政府文件经常务会议或全体会议，部门文件经办公会议，乡镇（街道）文件经乡镇长办公会议（NDOC-09）。"),
    Step("sign", "签发", f.NoFieldsForm, lambda u, d, c: services.sign(d, by=u), "文件已签发"),
    Step("register", "统一登记、编号", f.RegisterForm,
         lambda u, d, c: services.register(d, by=u, today=_today(), number_prefix=c["number_prefix"] or None),
         "已统一登记、编号", intro="登记号和文号按制定机关、年度连续编号，不留空号（NDOC-10）。"),
    Step("publish", "统一公布", f.PublishForm,
         lambda u, d, c: services.publish(
             d, by=u, today=_today(), effective_on=c["effective_on"], published_on=c["published_on"],
             urgent_reason=c["urgent_reason"], valid_until=c["valid_until"], late_reason=c["late_reason"]),
         "文件已统一公布，报备期限开始计算"),
    Step("file", "报备", f.FilingForm,
         lambda u, d, c: services.file_doc(d, by=u, filed_on=c["filed_on"], today=_today(),
                                           package={k: True for k in c["package"]}, to_name=c["to_name"],
                                           late_reason=c["late_reason"]),
         "已报备", intro="自公布之日起按期报送备案审查机关（NDOC-12），材料须齐全（NDOC-14）。"),
    Step("return_filing", "退回补正", f.ReturnFilingForm,
         lambda u, d, c: services.return_filing(
             _need(selectors.current_filing(d), "当前没有报备记录", "NDOC-14"), reason=c["reason"], by=u,
             today=_today()),
         "已退回补正", danger=True),
    Step("accept_filing", "受理报备", f.AcceptFilingForm,
         lambda u, d, c: services.accept_filing(
             _need(selectors.current_filing(d), "当前没有报备记录", "NDOC-15"), receipt_no=c["receipt_no"], by=u,
             today=_today()),
         "已受理报备，备案审查期限开始计算", intro="备案审查自受理之日起30日内完成（NDOC-15）。"),
    Step("decide_filing_review", "作出备案审查结论", f.FilingReviewForm, _run_filing_review,
         "已作出备案审查结论"),
    Step("report_correction", "报告纠正情况", f.CorrectionReportForm,
         lambda u, d, c: services.report_correction(
             _need(selectors.open_correction(d), "没有待报告的纠错通知", "NDOC-19"), report_text=c["report_text"],
             by=u, today=_today()),
         "已报告纠正情况", intro="收到纠错通知之日起30日内报告处理情况（NDOC-19）。"),
    Step("renew", "评估后延续有效期", f.RenewForm,
         lambda u, d, c: services.renew(d, by=u, today=_today(), evaluation=c["evaluation"]),
         "已延续有效期并重新登记、编号、公布", intro="有效期届满前6个月内评估（NDOC-17）。"),
    Step("amend", "启动修改", f.AmendForm,
         lambda u, d, c: services.start_amendment(d, by=u, title=c["title"] or None),
         "已启动修改：修改稿须重新履行制定程序"),
    Step("repeal", "废止", f.RepealForm,
         lambda u, d, c: services.repeal(d, by=u, repealed_on=c["repealed_on"], reason=c["reason"],
                                         today=_today(), late_reason=c["late_reason"]),
         "文件已废止", danger=True),
    Step("abandon", "终止制定", f.ReasonForm,
         lambda u, d, c: services.abandon(d, by=u, reason=c["reason"]), "已终止制定", danger=True),
]}

# workflow action (selectors.available_actions) -> step key on the page
ACTION_STEP = {
    "start_consultation": "start_consultation",
    "submit_fair_review": "submit_fair_review",
    "fair_review_pass": "record_fair_review",
    "fair_review_fail": "record_fair_review",
    "submit_legal_review": "submit_legal_review",
    "legal_review_pass": "decide_legal_review",
    "legal_review_reject": "decide_legal_review",
    "discussion_adopt": "record_discussion",
    "discussion_reject": "record_discussion",
    "sign": "sign",
    "register": "register",
    "publish": "publish",
    "amend": "amend",
    "repeal": "repeal",
    "renew": "renew",
    "abandon": "abandon",
    "file": "file",
    "return_filing": "return_filing",
    "accept_filing": "accept_filing",
    "review_lawful": "decide_filing_review",
    "review_correct": "decide_filing_review",
    "report_correction": "report_correction",
    "close_consultation": "close_consultation",
    "publish_summary": "publish_summary",
}


def _available_steps(user, doc: NormDoc, detail: dict, today: date) -> list[str]:
    """Step keys offered now: ``selectors.available_actions`` (what the API
    lists too), plus editing the text (no API action)."""
    keys: list[str] = []
    consultations = detail["consultations"]
    has_open = any(c.state == Consultation.State.OPEN for c in consultations)
    may_draft = selectors.can_draft(user, doc)
    if may_draft and doc.status in EDITABLE_STATES and not has_open:
        keys.append("add_version")
    for a in selectors.available_actions(user, doc, today):
        key = ACTION_STEP.get(a.action)
        if key is not None and key not in keys:
            keys.append(key)
    return keys


def _for_doc(form, doc: NormDoc, today: date):
    """Forms whose choices depend on the document (the meeting's chair) get them here."""
    return form.for_doc(doc, today) if hasattr(form, "for_doc") else form


def _initial(key: str, doc: NormDoc, today: date) -> dict:
    if key == "start_consultation":
        minimum = rules.comment_min_end(today, touches_market=doc.touches_market)
        return {"start_on": today, "end_on": minimum.due}
    if key in ("record_fair_review",):
        return {"reviewed_on": today, "reviewing_unit_name": "市场监督管理局"}
    if key == "record_discussion":
        return {"held_on": today}
    if key == "publish":
        return {"published_on": today, "effective_on": rules.earliest_effective(today).due}
    if key == "file":
        return {"filed_on": today, "package": []}
    if key == "repeal":
        return {"repealed_on": today}
    return {}


# The legal steps of the procedure, for the progress strip: (label, rule, status that means "here").
PROGRESS = [
    ("起草", "NDOC-01", Status.DRAFTING),
    ("征求意见", "NDOC-04/05", Status.CONSULTING),
    ("公平竞争审查", "NDOC-06", Status.FAIR_REVIEW),
    ("合法性审核", "NDOC-07/08", Status.LEGAL_REVIEW),
    ("集体讨论", "NDOC-09", Status.DISCUSSION),
    ("签发", "NDOC-09", Status.TO_SIGN),
    ("登记编号", "NDOC-10", Status.SIGNED),
    ("统一公布", "NDOC-10/20", Status.REGISTERED),
]
_ORDER = [s for _, _, s in PROGRESS]


def progress(doc: NormDoc) -> list[dict]:
    """Each legal step as done / current / pending (abandoned: the steps reached stay done)."""
    steps = [p for p in PROGRESS if doc.touches_market or p[2] != Status.FAIR_REVIEW]
    if doc.status in PUBLIC_STATES:
        here = len(_ORDER)
    elif doc.status in _ORDER:
        here = _ORDER.index(doc.status)
    else:  # abandoned
        here = -1
    out = []
    for label, rule, s in steps:
        i = _ORDER.index(s)
        state = "done" if i < here else "current" if i == here else "pending"
        out.append({"label": label, "rule": rule, "state": state})
    if doc.status in PUBLIC_STATES:
        fs = doc.filing_status
        filed = fs not in (FilingStatus.NOT_FILED, FilingStatus.RETURNED)
        out.append({"label": "报备", "rule": "NDOC-12/14", "state": "done" if filed else "current"})
        reviewed = fs in (FilingStatus.REVIEWED, FilingStatus.CORRECTED)
        out.append({"label": "备案审查", "rule": "NDOC-15/19",
                    "state": "done" if reviewed else "current" if filed else "pending"})
    else:
        out.append({"label": "报备", "rule": "NDOC-12/14", "state": "pending"})
        out.append({"label": "备案审查", "rule": "NDOC-15/19", "state": "pending"})
    return out


def _articles(version) -> list[dict]:
    """The stored articles of a version (split when it was saved), with the
    chapter heading shown once where a chapter starts."""
    if version is None:
        return []
    arts = version.articles or services.split_articles(version.text)
    out, chapter = [], None
    for a in arts:
        ch = a.get("chapter", "")
        out.append({"no": a.get("no", ""), "text": a.get("text", ""),
                    "chapter": ch if ch and ch != chapter else ""})
        chapter = ch
    return out


def _checker_report(doc: NormDoc):
    if doc.current_version is None:
        return None
    from fazhi.normative_docs import checker

    return checker.check(doc.current_version.text)


def _render_detail(request, doc: NormDoc, *, bound: dict | None = None, error: str = "", status: int = 200):
    user = request.user
    today = _today()
    detail = selectors.doc_detail(doc)
    keys = _available_steps(user, doc, detail, today)
    bound = bound or {}
    steps = []
    for key in keys:
        step = STEPS[key]
        form = _for_doc(bound.get(key) or step.form(initial=_initial(key, doc, today), prefix=key), doc, today)
        steps.append({"step": step, "form": form, "url": reverse("normative_docs:action", args=[doc.pk, key]),
                      "open": key in bound,
                      # what the step would publish, for the personal-data check (core.privacy)
                      "privacy_record": (selectors.pending_summary(doc) if key == "publish_summary"
                                         else doc if key == "publish" else None)})
    comments = {}
    for c in detail["consultations"]:
        comments[c.pk] = list(selectors.comments_of(c))
    consultations = [{"c": c, "comments": comments[c.pk],
                      "can_answer": selectors.can_draft(user, doc) and c.summary_published_on is None}
                     for c in detail["consultations"]]
    in_review = doc.status == Status.LEGAL_REVIEW
    report = _checker_report(doc) if in_review else None
    ctx = {
        **detail,
        "today": today,
        "steps": steps,
        "waiting": selectors.waiting_actions(user, doc),
        "error": error,
        "progress": progress(doc),
        "articles": _articles(doc.current_version),
        "consultation_rows": consultations,
        "answer_form": f.AnswerCommentForm(),
        "report": report,
        "flagged_articles": {x.article for x in report.findings} if report else set(),
        "in_review": in_review,
        "filing_overdue": bool(doc.filing_due and doc.filing_due < today
                               and doc.status in PUBLIC_STATES
                               and doc.filing_status in (FilingStatus.NOT_FILED, FilingStatus.RETURNED)),
        "publication_overdue": bool(doc.publication_due and doc.publication_due < today
                                    and doc.status in (Status.TO_SIGN, Status.SIGNED, Status.REGISTERED)),
        "life_label": doc.life_label(today) if doc.is_public else "",
        "can_edit": selectors.can_edit_text(user, doc),
        "package_items": services.PACKAGE_ITEMS,
    }
    return render(request, "normative_docs/doc_detail.html", ctx, status=status)


@require_http_methods(["GET"])
@domain_errors
def doc_detail(request, pk):
    return _render_detail(request, selectors.get_doc(request.user, pk))


@require_POST
@domain_errors
def doc_action(request, pk, step):
    user = request.user
    doc = selectors.get_doc(user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404()
    form = _for_doc(spec.form(request.POST, request.FILES or None, prefix=step), doc, _today())
    if not form.is_valid():
        return _render_detail(request, doc, bound={step: form}, error=f"“{spec.label}”未完成：请检查填写的内容",
                              status=400)
    try:
        if step == "add_version":
            result = services.add_version(doc, text=_read_upload(form), by=user, note=form.cleaned_data["note"])
        else:
            result = spec.run(user, doc, form.cleaned_data)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _place_error(form, exc)
        doc = selectors.get_doc(user, pk)  # re-read: nothing was changed
        return _render_detail(request, doc, bound={step: form}, error=format_html("“{}”未完成：{}", spec.label, _refusal(exc)),
                              status=exc.status)
    messages.success(request, spec.done)
    if step == "amend" and isinstance(result, NormDoc):
        return redirect("normative_docs:detail", pk=result.pk)
    return redirect("normative_docs:detail", pk=doc.pk)


@require_POST
@domain_errors
def comment_answer(request, pk, comment_pk):
    user = request.user
    doc = selectors.get_doc(user, pk)
    comment = selectors.get_comment(doc, comment_pk)
    form = f.AnswerCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳情况")
        return redirect(f"{reverse('normative_docs:detail', args=[doc.pk])}#comment-{comment.pk}")
    try:
        services.answer_comment(comment, adoption=form.cleaned_data["adoption"], reason=form.cleaned_data["reason"],
                                by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, format_html("答复未保存：{}", _refusal(exc)))
    else:
        messages.success(request, "已答复该条意见")
    return redirect(f"{reverse('normative_docs:detail', args=[doc.pk])}#comment-{comment.pk}")


# ============================================================ diff / print

def _version_label(v, doc: NormDoc) -> str:
    if v.doc_id == doc.pk:
        return f"本文件第{v.number}版" + (f"（{v.note[:12]}）" if v.note else "")
    name = v.doc.doc_number or v.doc.title[:20]
    return f"{name} 第{v.number}版（{v.doc.get_status_display()}）"


@require_http_methods(["GET"])
@domain_errors
def doc_diff(request, pk):
    doc = selectors.get_doc(request.user, pk)
    versions = selectors.version_chain(doc)
    by_pk = {v.pk: v for v in versions}
    own = [v for v in versions if v.doc_id == doc.pk]
    # Default: the last two texts of this document; else this text and the
    # one it amends; else this text and the one amending it.
    first, last = versions.index(own[0]), versions.index(own[-1])
    if len(own) > 1:
        default_a, default_b = own[-2], own[-1]
    elif first > 0:
        default_a, default_b = versions[first - 1], own[-1]
    else:
        default_a, default_b = own[-1], versions[min(last + 1, len(versions) - 1)]

    def pick(name, default):
        raw = request.GET.get(name)
        if raw is None:
            return default
        try:
            return by_pk[int(raw)]
        except (KeyError, TypeError, ValueError):
            return None

    old, new = pick("a", default_a), pick("b", default_b)
    changes, counts = None, {}
    if old and new:
        from fazhi.normative_docs import diff
        from fazhi.normative_docs.articles import split_articles

        changes = diff.diff_articles(split_articles(old.text), split_articles(new.text))
        counts = diff.summary(changes)
    only_changed = request.GET.get("all") != "1"
    return render(request, "normative_docs/doc_diff.html", {
        "doc": doc, "options": [(v.pk, _version_label(v, doc)) for v in versions], "old": old, "new": new,
        "old_label": _version_label(old, doc) if old else "", "new_label": _version_label(new, doc) if new else "",
        "changes": changes, "counts": counts, "only_changed": only_changed,
        "shown": [c for c in changes or [] if not only_changed or c.kind != "未变"],
    })


@require_http_methods(["GET"])
@domain_errors
def doc_print(request, pk):
    doc = selectors.get_doc(request.user, pk)
    return render(request, "normative_docs/doc_print.html", {
        "doc": doc, "articles": _articles(doc.current_version), "today": _today(),
    })


@require_http_methods(["GET"])
@domain_errors
def doc_docx(request, pk):
    from fazhi.normative_docs import textio

    doc = selectors.get_doc(request.user, pk)
    if doc.current_version is None:
        raise Http404()
    from fazhi.normative_docs.articles import split_articles

    when = doc.published_on or doc.signed_at and timezone.localdate(doc.signed_at)
    data = textio.write_docx(doc.title, doc.doc_number, doc.issuer.name,
                             f"{when.year}年{when.month}月{when.day}日" if when else "",
                             split_articles(doc.current_version.text))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = f"{doc.doc_number or doc.title}.docx".replace("/", "-")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


# ================================================================ checker

@require_http_methods(["GET", "POST"])
@domain_errors
def check(request):
    _require(request.user, VIEW)
    form = f.CheckForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            text = _read_upload(form)
            if not text.strip():
                raise ValidationError("请粘贴正文或上传文件", fields={"text": "正文为空"})
        except DomainError as exc:
            _place_error(form, exc)
        else:
            from fazhi.normative_docs import checker

            report = checker.check(text)
    return render(request, "normative_docs/check.html", {"form": form, "report": report},
                  status=400 if form.errors else 200)


# ================================================================= import

IMPORT_SESSION = "normative_docs.import"
MAX_IMPORT_FILES = 50


def _parsed_item(name: str, parsed) -> dict:
    """What the preview shows and the confirm step saves (plain data for the session).

    ``warnings`` are the importer's notes (e.g. a repaired PDF extraction);
    ``errors`` block the import (no title, 文号 or publication date)."""

    def iso(v):
        return v.isoformat() if isinstance(v, date) else ""

    published = parsed.published_on or parsed.issued_on
    errors = []
    if not parsed.title:
        errors.append("未识别出文件名称")
    if not parsed.doc_number:
        errors.append("未识别出文号")
    if not published:
        errors.append("未识别出公布（印发）日期")
    return {
        "name": name, "title": parsed.title, "doc_number": parsed.doc_number, "issuer_name": parsed.issuer,
        "published_on": iso(published), "effective_on": iso(parsed.effective_on),
        "valid_until": iso(parsed.expires_on), "text": parsed.text, "n_articles": len(parsed.articles),
        "warnings": [str(p) for p in parsed.problems], "errors": errors,
    }


def _failed_item(name: str, message: str) -> dict:
    return {"name": name, "title": "", "doc_number": "", "issuer_name": "", "published_on": "",
            "effective_on": "", "valid_until": "", "text": "", "n_articles": 0, "warnings": [],
            "errors": [message]}


@require_http_methods(["GET", "POST"])
@domain_errors
def import_docs(request):
    user = request.user
    _require(user, "normative_docs.register")
    unit_choices = org_selectors.unit_choices(user, "normative_docs.register")
    form = f.ImportForm(request.POST or None, unit_choices=unit_choices)
    items = None
    results = None
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.get(IMPORT_SESSION)
        if not stash:
            messages.error(request, "导入预览已失效，请重新上传文件")
            return redirect("normative_docs:import")
        results = services.import_documents(
            [{**it, "issuer_id": it.get("issuer_id") or stash["unit"]} for it in stash["items"]], by=user)
        items = stash["items"]
        if results["ok"]:
            request.session.pop(IMPORT_SESSION, None)
            messages.success(request, f"已导入{len(items)}件文件")
            return redirect("normative_docs:list")
        form = f.ImportForm(initial={"unit": stash["unit"]}, unit_choices=unit_choices)
    elif request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files")
        if not files:
            form.add_error(None, "请选择要导入的 .docx 或 .txt 文件")
        elif len(files) > MAX_IMPORT_FILES:
            form.add_error(None, f"一次最多导入{MAX_IMPORT_FILES}个文件")
        else:
            from fazhi.normative_docs import importer, textio

            items = []
            for upload in files:
                try:
                    text = textio.read_text(upload)
                except DomainError as exc:
                    items.append(_failed_item(upload.name, _refusal(exc)))
                else:
                    items.append(_parsed_item(upload.name, importer.parse_document(text, filename=upload.name)))
            _resolve_issuers(items, unit_choices, form.cleaned_data["unit"])
            request.session[IMPORT_SESSION] = {"unit": form.cleaned_data["unit"], "items": items}
    ready = bool(items) and not any(it["errors"] for it in items)
    return render(request, "normative_docs/import.html", {
        "form": form, "items": items, "ready": ready, "results": results,
    }, status=400 if form.errors or (results and not results["ok"]) else 200)


def _resolve_issuers(items: list[dict], unit_choices, default_pk: int) -> None:
    """The unit each file is saved under: the issuer named in the file when it
    is one of the units the user registers for, else the unit chosen on the form."""
    allowed = {pk for pk, _ in unit_choices}
    units = list(Unit.objects.filter(pk__in=allowed))
    default = next((u for u in units if u.pk == default_pk), None)
    for it in items:
        name = it["issuer_name"]
        match = next((u for u in units if name and name in (u.name, u.short_name)), None)
        chosen = match or default
        it["issuer_id"] = chosen.pk if chosen else default_pk
        it["issuer_saved"] = chosen.name if chosen else ""
        if name and not match:
            it["warnings"].append(f"文件写明的制定机关“{name}”不在您可登记的单位中，将按“{it['issuer_saved']}”保存")


# =============================================================== clean-up

CAMPAIGN_TABLE = Table("清理活动", [
    Column("清理活动", "name", sort="name", link=lambda c: reverse("normative_docs:cleanup_detail", args=[c.pk])),
    Column("类型", lambda c: c.get_kind_display(), sort="kind"),
    Column("所涉上位法", "trigger_law"),
    Column("组织单位", "unit.name"),
    Column("开始日期", "started_on", sort="started_on"),
    Column("纳入文件", "n_docs"),
    Column("未定结论", "n_open"),
    Column("状态", lambda c: c.get_state_display(), sort="state"),
    Column("结果公布日期", "published_on", sort="published_on"),
], default_sort="-started_on")


@require_http_methods(["GET", "POST"])
@domain_errors
def cleanup_list(request):
    user = request.user
    _require(user, "normative_docs.cleanup")
    unit_choices = org_selectors.unit_choices(user, "normative_docs.cleanup")
    form = f.CleanupStartForm(request.POST or None, unit_choices=unit_choices,
                              initial={"started_on": _today(), "include_in_force": True,
                                       "unit": unit_choices[0][0] if unit_choices else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            c = form.cleaned_data
            with refused_onto(form, place=_place_error) as outcome:
                campaign = services.start_cleanup(
                    unit=_unit_by_pk(c["unit"]), name=c["name"], kind=c["kind"], started_on=c["started_on"],
                    by=user, trigger_law=c["trigger_law"], include_in_force=c["include_in_force"])
            if outcome.ok:
                messages.success(request, f"已启动清理活动“{campaign.name}”")
                return redirect("normative_docs:cleanup_detail", pk=campaign.pk)
        status = 400
    qs = selectors.campaigns_for(user).select_related("unit")
    response = CAMPAIGN_TABLE.respond(request, qs, "normative_docs/cleanup_list.html", {"form": form})
    response.status_code = status
    return response


def _render_campaign(request, campaign: CleanupCampaign, *, status: int = 200, bound: dict | None = None):
    lists = selectors.cleanup_lists(campaign)
    running = campaign.state == CleanupCampaign.State.RUNNING
    bound = bound or {}
    rows = []
    for d in campaign.decisions.select_related("doc", "doc__issuer").order_by("doc__published_on", "doc_id"):
        rows.append({"d": d, "form": bound.get(d.doc_id) or f.CleanupDecideForm(
            initial={"decision": d.decision, "reason": d.reason}, prefix=f"d{d.doc_id}")})
    candidates = list(selectors.cleanup_candidates(campaign).select_related("issuer")[:500]) if running else []
    add_form = bound.get("add") or f.CleanupAddForm(
        doc_choices=[(d.pk, f"{d.title}（{d.doc_number}）") for d in candidates])
    return render(request, "normative_docs/cleanup_detail.html", {
        "campaign": campaign, "lists": lists, "rows": rows, "running": running, "add_form": add_form,
        "candidates": candidates, "undecided": len(lists["undecided"]),
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def cleanup_detail(request, pk):
    return _render_campaign(request, selectors.get_campaign(request.user, pk))


@require_POST
@domain_errors
def cleanup_add(request, pk):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    candidates = list(selectors.cleanup_candidates(campaign))
    form = f.CleanupAddForm(request.POST, doc_choices=[(d.pk, d.title) for d in candidates])
    if not form.is_valid():
        return _render_campaign(request, campaign, status=400, bound={"add": form})
    chosen = [d for d in candidates if d.pk in set(form.cleaned_data["docs"])]
    try:
        n = services.add_to_cleanup(campaign, chosen, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, f"已纳入{n}件文件")
    return redirect("normative_docs:cleanup_detail", pk=campaign.pk)


@require_POST
@domain_errors
def cleanup_decide(request, pk, doc_pk):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    decision = campaign.decisions.select_related("doc").filter(doc_id=doc_pk).first()
    if decision is None:
        raise Http404()
    form = f.CleanupDecideForm(request.POST, prefix=f"d{doc_pk}")
    if form.is_valid():
        with refused_onto(form, place=_place_error) as outcome:
            services.decide_cleanup(campaign, decision.doc, decision=form.cleaned_data["decision"],
                                    reason=form.cleaned_data["reason"], by=user)
        if outcome.ok:
            messages.success(request, f"已作出《{decision.doc.title}》的清理结论")
            return redirect(f"{reverse('normative_docs:cleanup_detail', args=[campaign.pk])}#doc-{doc_pk}")
    campaign = selectors.get_campaign(user, pk)
    return _render_campaign(request, campaign, status=400, bound={decision.doc_id: form})


@require_POST
@domain_errors
def cleanup_publish(request, pk):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    try:
        services.publish_cleanup(campaign, by=user, today=_today())
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, format_html("清理结果未公布：{}", _refusal(exc)))
    else:
        messages.success(request, "清理结果已公布：继续有效、废止、失效三类目录")
    return redirect("normative_docs:cleanup_detail", pk=campaign.pk)


# ============================================================== proposals

def _proposal_overdue(p: ReviewProposal, today: date) -> bool:
    return p.state == ReviewProposal.State.PENDING and p.reply_due < today


PROPOSAL_TABLE = Table("审查建议", [
    Column("所涉文件", "doc.title", sort="doc__title",
           link=lambda p: reverse("normative_docs:proposal_detail", args=[p.pk])),
    Column("文号", "doc.doc_number"),
    Column("建议人", "name"),
    Column("提出日期", "submitted_on", sort="submitted_on"),
    DueColumn("答复期限", "reply_due", sort="reply_due", done=lambda p: p.state != ReviewProposal.State.PENDING,
              provisional=lambda p: p.reply_provisional),
    Column("状态", lambda p: p.get_state_display(), sort="state"),
    Column("答复日期", "replied_on", sort="replied_on"),
], default_sort="reply_due")


@require_http_methods(["GET"])
def proposal_list(request):
    user = request.user
    _require(user, "normative_docs.filing_review")
    today = _today()
    form = f.ProposalFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.proposals_for(user)
    if d.get("state"):
        qs = qs.filter(state=d["state"])
    if d.get("overdue"):
        qs = qs.filter(state=ReviewProposal.State.PENDING, reply_due__lt=today)
    response = PROPOSAL_TABLE.respond(request, qs, "normative_docs/proposal_list.html",
                                      {"filters": form, "today": today})
    return response


@require_http_methods(["GET", "POST"])
@domain_errors
def proposal_detail(request, pk):
    user = request.user
    proposal = selectors.get_proposal(user, pk)
    today = _today()
    form = f.ProposalReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused_onto(form, place=_place_error) as outcome:
            services.reply_proposal(proposal, reply=form.cleaned_data["reply"], by=user, today=today)
        if outcome.ok:
            messages.success(request, "已答复审查建议")
            return redirect("normative_docs:proposal_detail", pk=proposal.pk)
    return render(request, "normative_docs/proposal_detail.html", {
        "p": proposal, "form": form, "today": today, "overdue": _proposal_overdue(proposal, today),
        "can_reply": proposal.state == ReviewProposal.State.PENDING
        and selectors.can_filing_review(user, proposal.doc),
    }, status=400 if form.errors else 200)
