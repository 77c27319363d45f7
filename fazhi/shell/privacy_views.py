"""个人信息确认: the staff page where a person decides each piece of personal data
found in a text about to be published (``fazhi.core.privacy``).

``review`` lists every hit of a record with its decision; ``decide`` records
one decision (hide it, or keep it: not personal data) through
``privacy.decide`` — authorised by the record's module, audited — and goes
back to the page the person came from. Works without JavaScript; with htmx
the row is replaced in place, so text typed into a publication form stays.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from fazhi.core import privacy
from fazhi.core.errors import DomainError, NotFound, PermissionDenied


def _subject(label: str, pk: int, user):
    try:
        s, obj = privacy.load(label, pk)
    except NotFound:
        raise Http404("公开对象不存在")
    if not s.can_decide(user, obj):
        raise DjangoPermissionDenied("您无权确认该公开内容中的个人信息")
    return s, obj


@require_GET
def review(request, label: str, pk: int):
    s, obj = _subject(label, pk, request.user)
    findings = privacy.review(obj, s.texts(obj))
    return render(request, "shell/privacy_review.html", {
        "record": obj, "record_title": s.title(obj), "label": label, "findings": findings,
        "back": s.page(obj), "pending": sum(1 for f in findings if f.decision is None), "law": privacy.LAW,
        "here": request.get_full_path(),
    })


@require_POST
def decide(request, label: str, pk: int):
    s, obj = _subject(label, pk, request.user)
    value, decision = request.POST.get("value", ""), request.POST.get("decision", "")
    error = ""
    try:
        row = privacy.decide(obj, value=value, decision=decision, by=request.user)
    except PermissionDenied:
        raise DjangoPermissionDenied("您无权确认该公开内容中的个人信息")
    except DomainError as exc:
        error, row = str(exc), None
    if request.headers.get("HX-Request"):
        return render(request, "shell/_privacy_decided.html", {"row": row, "error": error},
                      status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已确认：{row.preview} {row.get_decision_display()}")
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        nxt = reverse("shell:privacy_review", args=[label, pk])
    return redirect(nxt)
