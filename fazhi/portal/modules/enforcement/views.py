"""行政执法公示 on the public portal (/portal/enforcement/, namespace enforcement_portal).

No sign-in. What the public sees (ENF-02, ENF-19):

* 事前公示 — the enforcing bodies, their officers (name, certificate number,
  field: nothing more), the enforcement matters (violation types with their
  legal basis and the discretion benchmarks), the procedure and the remedies.
* 事后公示 — penalty decisions *currently on display*: published, not
  withdrawn (ENF-11), not past their display period (ENF-20/21). A natural
  person's name is partly hidden and their ID number, address and phone never
  shown (``fazhi.core.masking``); organisations appear by name. Search looks
  only at what is shown (the decision number and the masked title), so a
  person's full name finds nothing.
* 执法证查询 — one certificate by its exact number: name, unit, field,
  status. No list, no partial match, a per-client rate limit: the registry
  cannot be enumerated through this page.

The views read only ``fazhi.enforcement.selectors`` (``public_*``,
``PublicDecision``, ``verify_certificate``), the same reads as the API's
public endpoints. They only ever return public data, and templates escape
everything (no ``|safe``).
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from rest_framework.throttling import BaseThrottle

from fazhi.core import masking
from fazhi.enforcement import selectors
from fazhi.enforcement.selectors import CERT_NO_MAX, PublicDecision
from fazhi.portal.views import query_id

SECTION_KEY = "enforcement"
CERT_SECTION_KEY = "certificates"  # its own entry in the portal navigation
PAGE_SIZE = 20

# Certificate look-ups per client address and minute; above it the page
# answers 429 with a Chinese message (the registry is not for harvesting).
CERT_LOOKUPS_PER_MINUTE = 30

# ENF-02 (公示 of the procedure and remedies): the procedure as the public reads
# it, and the remedies (ENF-06/07; 行政复议 REC-01; 行政诉讼 LIT-08).
PROCEDURE = (
    ("立案", "发现涉嫌违法行为后，经执法机关负责人批准立案；执法人员不少于两人，并出示行政执法证件（ENF-01）。"),
    ("调查取证", "全面、客观、公正地调查，收集证据；执法全过程依法记录（ENF-03）。"),
    ("告知", "作出决定前，告知拟作出的行政处罚内容及事实、理由、依据，以及陈述、申辩、要求听证的权利（ENF-06）。"),
    ("陈述申辩、听证", "当事人可以陈述、申辩；符合条件的，可以在告知书送达之日起5个工作日内要求听证（ENF-07）。"),
    ("法制审核", "重大执法决定在作出前须经法制审核，未经审核或审核未通过的，不得作出决定（ENF-04）。"),
    ("集体讨论", "情节复杂或者重大违法行为给予行政处罚的，由行政机关负责人集体讨论决定（ENF-05）。"),
    ("决定", "自立案之日起90日内作出行政处罚决定（ENF-08）。"),
    ("送达", "决定书当场交付；当事人不在场的，在7个工作日内送达（ENF-09）。"),
    ("执行", "当事人自收到决定书之日起15日内到指定银行或者通过电子支付缴纳罚款；逾期每日按罚款数额的3%加处罚款（ENF-14）。"),
)
REMEDIES = (
    ("陈述、申辩", "在行政处罚决定作出前，对拟作出的处罚陈述意见、进行申辩；行政机关不得因当事人陈述、申辩而给予更重的处罚。"),
    ("听证", "拟作出较大数额罚款、没收较大数额违法所得、降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等处罚的，可以要求听证。"),
    ("行政复议", "对行政处罚决定不服的，可以自知道或者应当知道之日起60日内依法申请行政复议（REC-01）。"),
    ("行政诉讼", "可以自知道或者应当知道作出行政行为之日起6个月内依法向人民法院提起行政诉讼（LIT-08）。"),
)


# ====================================================================== views


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


@login_not_required
@require_GET
def index(request):
    today = timezone.localdate()
    latest = PublicDecision.many(selectors.public_decisions(today)[:PAGE_SIZE])
    return render(request, "portal/enforcement/index.html", _ctx(
        today=today, bodies=selectors.public_bodies(today), matters=list(selectors.public_matters()), decisions=latest,
        procedure=PROCEDURE, remedies=REMEDIES,
    ))


@login_not_required
@require_GET
def decisions(request):
    today = timezone.localdate()
    unit_id = query_id(request.GET.get("unit"))
    q = (request.GET.get("q") or "").strip()[:50]
    page = Paginator(selectors.public_decisions(today, unit_id=unit_id, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "portal/enforcement/decisions.html", _ctx(
        page=page, rows=PublicDecision.many(page.object_list), units=selectors.public_decision_units(today),
        unit_id=unit_id, q=q, query_no_page=params.urlencode(), searched=bool(unit_id or q),
    ))


@login_not_required
@require_GET
def decision(request, pk: int):
    p = selectors.public_decision(pk, timezone.localdate())
    if p is None:
        raise Http404("该执法决定不存在或已不在公示期内")
    return render(request, "portal/enforcement/decision.html", _ctx(d=PublicDecision.of(p)))


@login_not_required
@require_GET
def certificates(request):
    """执法证查询 (ENF-01, ENF-19): by exact number; name, unit, field, status."""
    raw = request.GET.get("no")
    if raw is None:
        return render(request, "portal/enforcement/certificates.html", _ctx(
            active=CERT_SECTION_KEY, number="", result=None, error=""))
    return certificate_result(request, raw, masked=False)


def certificate_result(request, raw: str, *, masked: bool = True):
    """The check of one certificate number. ``masked``: the holder's name partly
    hidden — the short URL /c/<证件号>/ printed as a QR code on the certificate
    shows only masked personal data."""
    status, result, error = 200, None, ""
    number = (raw or "").strip()
    if not number:
        error, status = "请输入执法证件编号", 400
    elif len(number) > CERT_NO_MAX:
        error, status = f"执法证件编号不能超过{CERT_NO_MAX}个字符", 400
    elif not lookup_allowed(request):
        error, status = "查询过于频繁，请稍后再试", 429
    else:
        result = selectors.verify_certificate(number, today=timezone.localdate())
        if result is None:
            error = "未查询到该执法证，请核对证件编号。"
        elif masked:
            result = replace(result, name=masking.mask_name(result.name))
    return render(request, "portal/enforcement/certificates.html", _ctx(
        active=CERT_SECTION_KEY, number=number[:CERT_NO_MAX], result=result, error=error, masked=masked),
        status=status)


def lookup_allowed(request) -> bool:
    """At most CERT_LOOKUPS_PER_MINUTE look-ups per client address and minute."""
    # The client as DRF's throttles identify it, so the page and the API count alike.
    key = f"enf-cert-lookup:{BaseThrottle().get_ident(request)}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        return cache.incr(key) <= CERT_LOOKUPS_PER_MINUTE
    except ValueError:  # expired in between
        cache.add(key, 1, timeout=70)
        return True
