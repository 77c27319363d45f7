"""两法衔接 transfers: the list and the reply/outcome page.
"""


from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, Table
from fazhi.enforcement import forms as f
from fazhi.enforcement import selectors, services
from fazhi.enforcement.models import PoliceTransfer, TransferStatus
from fazhi.enforcement.views import common
from fazhi.enforcement.views.common import HANDLE, VIEW, _place_error
from fazhi.org import access
from fazhi.org.access import require_page as _require

# ================================================================ transfers

TRANSFER_TABLE = Table("两法衔接移送", [
    Column("案件", lambda t: t.case.display_no, sort="case__case_no",
           link=lambda t: reverse("enforcement:transfer_detail", args=[t.pk])),
    Column("案由", "case.cause"),
    Column("当事人", "case.party_name"),
    Column("移送单位", "unit.name", sort="unit__path"),
    Column("接收公安机关", "receiving_organ", sort="receiving_organ"),
    Column("涉嫌罪名", "suspected_crime"),
    Column("移送日期", "transferred_on", sort="transferred_on"),
    Column("状态", lambda t: t.get_status_display(), sort="status"),
    Column("回复日期", "reply_on", sort="reply_on"),
], default_sort="-transferred_on")


@require_http_methods(["GET"])
def transfer_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.TransferFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.transfers(user)
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    return TRANSFER_TABLE.respond(request, qs, "enforcement/transfer_list.html", {"filters": form})


def _get_transfer(user, pk) -> PoliceTransfer:
    t = selectors.transfers(user).filter(pk=pk).first()
    if t is None:
        raise Http404()
    return t


@require_http_methods(["GET", "POST"])
@domain_errors
def transfer_detail(request, pk):
    user = request.user
    t = _get_transfer(user, pk)
    can_handle = access.allowed(user, HANDLE, t.unit)
    pending = t.status == TransferStatus.PENDING
    reply_form = f.TransferReplyForm(request.POST if request.POST.get("form") == "reply" else None,
                                     initial={"reply_on": common.today()}, prefix="reply")
    outcome_form = f.TransferOutcomeForm(request.POST if request.POST.get("form") == "outcome" else None,
                                         initial={"outcome": t.outcome}, prefix="outcome")
    if request.method == "POST":
        which = request.POST.get("form")
        form = reply_form if which == "reply" else outcome_form if which == "outcome" else None
        if form is None:
            raise Http404()
        if form.is_valid():
            c = form.cleaned_data
            try:
                if which == "reply":
                    services.record_transfer_reply(t, by=user, today=common.today(), reply_on=c["reply_on"],
                                                   accepted=c["accepted"], reply=c["reply"], outcome=c["outcome"],
                                                   late_reason=c["late_reason"])
                else:
                    services.record_transfer_outcome(t, by=user, outcome=c["outcome"])
            except PermissionDenied:
                raise
            except DomainError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, "已登记公安机关回复" if which == "reply" else "已登记处理结果")
                return redirect("enforcement:transfer_detail", pk=t.pk)
        if not can_handle:
            raise HttpForbidden("您没有执行此操作的权限")
    return render(request, "enforcement/transfer_detail.html", {
        "t": t, "case": t.case, "can_handle": can_handle, "pending": pending,
        "reply_form": reply_form, "outcome_form": outcome_form,
    }, status=400 if request.method == "POST" else 200)
