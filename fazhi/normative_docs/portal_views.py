"""The public library of normative documents and public consultations (/portal/normdocs/).

No sign-in; reads only what was published, through the public selectors
(``selectors.public_*``) and ``search.search_documents(public=True)``.
Citizens' comments and review proposals go through the same services as
everywhere else; a refusal (closed consultation, bad input) is shown in
Chinese and nothing is saved. Personal data of commenters is shown masked.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.consultations import selectors as consultation_reads
from fazhi.consultations.forms import ArticleCommentForm
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.ratelimit import rate_limited
from fazhi.normative_docs import search, selectors, services
from fazhi.normative_docs.models import Consultation, Status

SECTION_KEY = "normative-docs"

BADGES = {"有效": "badge-ok", "尚未施行": "badge-warn", "已修改": "badge-warn", "废止": "badge-danger",
          "失效": "badge-danger"}

REQUIRED = {"required": "此项为必填项"}


class ProposalForm(forms.Form):
    name = forms.CharField(label="姓名或单位名称", max_length=100,
                           error_messages={"required": "请填写姓名或单位名称", "max_length": "姓名不能超过100个字"})
    contact = forms.CharField(label="联系方式（电话或电子邮箱）", max_length=100,
                              error_messages={"required": "请填写联系方式，以便答复", "max_length": "联系方式不能超过100个字"})
    content = forms.CharField(label="审查建议（认为文件违法或不适当的条款及理由）", max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "请填写审查建议内容", "max_length": "审查建议不能超过10000个字"})


def tracking_number(proposal) -> str:
    """The number a citizen quotes when asking about a proposal."""
    return f"SCJY-{proposal.submitted_on:%Y%m%d}-{proposal.pk:06d}"


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


def _public_doc(pk):
    try:
        return selectors.public_doc(pk)
    except NotFound:
        raise Http404("文件不存在或尚未公布")


def _badge(doc, today) -> tuple[str, str]:
    label = doc.life_label(today)
    return label, BADGES.get(label, "")


# ------------------------------------------------------------------ library


@login_not_required
@require_GET
def library(request):
    today = timezone.localdate()
    q = search.normalize_query(request.GET.get("q"))
    filters = search.Filters.from_params(request.GET)
    qs = with_number_matches(search.search_documents(q, filters=filters, public=True, today=today),
                             q, filters=filters, today=today)
    page = search.CappedPaginator(qs, search.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, *_badge(d, today)) for d in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "normative_docs/portal/library.html", _ctx(
        q=q, filters=filters, page=page, rows=rows, query_no_page=params.urlencode(),
        issuers=search.public_issuers(), years=search.public_years(), statuses=search.STATUS_CHOICES,
        searched=bool(q) or filters != search.Filters(),
    ))


def with_number_matches(qs, q: str, *, filters, today):
    """The library's matches plus documents whose 文号 or 登记号 contains ``q`` (NDOC-10:
    the public quotes a document by its number), with the same filters, newest first."""
    if not q:
        return qs
    by_number = search.search_documents("", filters=filters, public=True, today=today).filter(
        Q(doc_number__icontains=q) | Q(registration_no__icontains=q))
    combined = (qs | by_number).order_by("-published_on", "-pk")
    lower_bound = getattr(qs, "nd_lower_bound", None)
    if lower_bound is not None:  # the text matches alone still bound the count from below
        combined.nd_lower_bound = lower_bound
    return combined


@login_not_required
@require_GET
def detail(request, pk: int):
    doc = _public_doc(pk)
    return render(request, "normative_docs/portal/detail.html", _detail_context(doc, ProposalForm()))


def _detail_context(doc, form, **extra) -> dict:
    today = timezone.localdate()
    label, badge = _badge(doc, today)
    version = doc.current_version
    return _ctx(
        doc=doc, status_label=label, badge=badge, articles=(version.articles if version else []),
        versions=[(v, v.doc) for v in selectors.public_versions(doc)], form=form, **extra,
    )


@login_not_required
@require_GET
def download(request, pk: int):
    from fazhi.normative_docs.articles import Article
    from fazhi.normative_docs.textio import write_docx

    doc = _public_doc(pk)
    version = doc.current_version
    articles = [Article(no=a.get("no", ""), chapter=a.get("chapter", ""), text=a.get("text", ""),
                        section=a.get("section", "")) for a in (version.articles if version else [])]
    data = write_docx(doc.title, doc.doc_number, doc.issuer.name,
                      _cn_date(doc.published_on), articles)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.title[:80] + '.docx')}"
    return resp


@login_not_required
@rate_limited("portal.proposal")
@require_POST
def propose(request, pk: int):
    """审查建议: saved through services.submit_proposal; the answer is an acknowledgement
    with a tracking number and the reply deadline (the reply itself goes to the contact given)."""
    doc = _public_doc(pk)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.submit_proposal(doc, today=timezone.localdate(), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "normative_docs/portal/proposal_done.html", _ctx(
                doc=doc, proposal=proposal, tracking=tracking_number(proposal)))
    return render(request, "normative_docs/portal/detail.html",
                  _detail_context(doc, form, proposal_error=True), status=400)


# ------------------------------------------------------------ consultations


@login_not_required
@require_GET
def consultations(request):
    today = timezone.localdate()
    open_now = list(selectors.open_consultations(today))
    concluded = list(selectors.public_consultations().filter(summary_published_on__isnull=False)[:50])
    return render(request, "normative_docs/portal/consultations.html", _ctx(
        open_now=open_now, concluded=concluded, today=today))


def _consultation(pk) -> Consultation:
    try:
        return selectors.public_consultation(pk)
    except NotFound:
        raise Http404("征求意见不存在")


@login_not_required
@rate_limited("portal.comment")
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    c = _consultation(pk)
    status, error, done, bound = 200, "", False, None
    if request.method == "POST":
        bound = ArticleCommentForm(request.POST)
        if bound.is_valid():
            try:
                services.submit_comment(c, **bound.cleaned_data)
            except DomainError as exc:
                error, status = exc.message, 400
            else:
                done, bound = True, None
        else:
            error, status = bound.errors_text(), 400
    accepting = consultation_reads.accepting(c, timezone.localdate())
    articles = c.version.articles or [{"no": "", "chapter": "", "text": c.version.text}]
    posted_no = bound.data.get("article_no", "") if bound is not None else None
    rows = []
    for n, a in enumerate(articles, 1):
        mine = bound is not None and posted_no == a.get("no", "")
        form = bound if mine else ArticleCommentForm(initial={"article_no": a.get("no", "")})
        form.auto_id = f"a{n}_%s"  # one form per article: the ids must stay unique on the page
        rows.append({"article": a, "form": form, "error": error if mine else ""})
    general_error = error if error and not any(r["error"] for r in rows) else ""
    return render(request, "normative_docs/portal/consultation.html", _ctx(
        c=c, doc=c.doc, rows=rows, accepting=accepting, done=done, error=general_error,
        comments=consultation_reads.public_rows(c), closed=c.state == Consultation.State.CLOSED,
        draft_public=c.doc.status in (Status.PUBLISHED, Status.AMENDED, Status.REPEALED, Status.EXPIRED),
    ), status=status)


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
