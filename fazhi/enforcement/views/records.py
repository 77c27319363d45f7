"""The full-process record (ENF-03): upload and download, and the printable case.
"""


from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.enforcement import forms as f
from fazhi.enforcement import organs, services
from fazhi.enforcement.views import common
from fazhi.enforcement.views.case_page import _benchmark_check, _render_case, progress
from fazhi.enforcement.views.common import HANDLE, _get_case, _place_error
from fazhi.org.access import require_page as _require

# ---------------------------------------------------------------- evidence

@require_POST
@domain_errors
def evidence_upload(request, pk):
    """A file of the full-process record (ENF-03); type and size checked by the service."""
    user = request.user
    case = _get_case(user, pk)
    form = f.EvidenceForm(request.POST, request.FILES, prefix="ev")
    if form.is_valid():
        c = form.cleaned_data
        try:
            ev = services.attach_evidence(case, by=user, upload=c["file"], record_type=c["record_type"],
                                          kind=c["kind"], captured_at=c["captured_at"],
                                          captured_by_name=c["captured_by_name"], title=c["title"], note=c["note"],
                                          late_reason=c["late_reason"], now=common.now())
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已上传“{ev.get_record_type_display()}”（SHA-256 {ev.sha256[:16]}…）")
            return redirect(reverse("enforcement:case_detail", args=[case.pk]) + "#evidence")
    _require(user, HANDLE, case.unit)
    return _render_case(request, _get_case(user, pk), bound={"evidence": form}, error="文件未上传：" + "；".join(
        str(e) for e in form.non_field_errors()) if form.non_field_errors() else "文件未上传：请检查填写的内容",
        status=400)


@require_http_methods(["GET"])
@domain_errors
def evidence_download(request, pk, file_pk):
    case = _get_case(request.user, pk)
    ev = next((e for e in case.evidence.all() if e.pk == file_pk), None)
    if ev is None:
        raise Http404()
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404()
    response = FileResponse(fh, content_type=ev.content_type, as_attachment=True, filename=ev.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response

@require_http_methods(["GET"])
@domain_errors
def case_print(request, pk):
    case = _get_case(request.user, pk)
    today = common.today()
    return render(request, "enforcement/case_print.html", {
        "case": case, "today": today, "organ": organs.display_organ(case.unit), "progress": progress(case, today), "officers": list(case.case_officers.all()),
        "evidence": list(case.evidence.all()), "benchmark": _benchmark_check(case),
        "payments": list(case.payments.all()), "legal_reviews": list(case.legal_reviews.all()),
    })
