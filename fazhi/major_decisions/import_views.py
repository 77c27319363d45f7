"""导入目录: a catalogue notice → preview → the matters saved, all or none.

Upload (.docx / .xlsx / .txt, judged by content, at most 10 MB) → a preview
of every row with its problems, where the clerk corrects the title, the
承办单位, the 配合单位, the date and the category or leaves a row out →
确认导入 saves through ``services.import_catalogue_entries``. Nothing is
saved while any row has a problem. The parsed rows wait in the session
between the steps (like the ledger's plan import); the corrections come
with each POST.

Scope as on the catalogue page: a catalogue the user may not see is a 404;
one they may see but not compile (``manage_catalogue`` on its government) a 403.
"""

import hashlib
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fazhi.core.errors import DomainError, PermissionDenied, ValidationError
from fazhi.core.http import domain_errors
from fazhi.ledger.parser import split_units
from fazhi.major_decisions import catalogue_import as reader
from fazhi.major_decisions import forms as f
from fazhi.major_decisions import services
from fazhi.major_decisions.models import Catalogue, CatalogueStatus
from fazhi.major_decisions.views import CATALOGUE, _catalogue_for, _sponsor_choices
from fazhi.org import access
from fazhi.org.matching import match_unit_names
from fazhi.org.models import Unit

MAX_BYTES = 10 * 1024 * 1024
SESSION_KEY = "major_decisions.catalogue_import.{}"


def _may_import(user, c: Catalogue) -> None:
    if not access.allowed(user, CATALOGUE, c.unit):
        raise HttpForbidden("您没有编制该目录的权限")


def _read(upload) -> bytes:
    reader.check_filename(upload.name)
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError("文件过大（上限10MB）", fields={"file": "文件过大"})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("文件过大（上限10MB）", fields={"file": "文件过大"})
    return data


def _stash_rows(parsed, default_category: str) -> list[dict]:
    """The parsed rows as plain data for the session."""
    return [{
        "line": r.line, "seq": r.seq, "title": r.title, "unit_text": r.unit_text, "lead": r.lead,
        "partners": "、".join(r.partners), "deadline_text": r.deadline_text,
        "deadline": r.deadline.isoformat() if r.deadline else "", "basis": r.basis, "note": r.note,
        "category": r.category or default_category,
    } for r in parsed.rows]


def _units(c: Catalogue) -> list[Unit]:
    return list(Unit.objects.filter(is_active=True, path__startswith=c.unit.path))


def _names(text: str) -> list[str]:
    return split_units(text or "")[1]


class _Row:
    """A preview row: the file's text, the form the clerk corrects, its problems."""

    def __init__(self, index: int, src: dict, form: f.ImportRowForm):
        self.index, self.src, self.form = index, src, form
        self.problems: list[str] = []
        self.sponsor: Unit | None = None
        self.partners: list[Unit] = []

    @property
    def skipped(self) -> bool:
        return bool(self.form.is_bound and self.form.is_valid() and self.form.cleaned_data["skip"])


def _rows(c: Catalogue, stash: list[dict], data=None) -> list[_Row]:
    """The preview rows: from the file (first view) or as corrected (``data``), each checked."""
    units = _units(c)
    choices = _sponsor_choices(c)
    names = [s["lead"] for s in stash] + [n for s in stash for n in _names(s["partners"])]
    if data is not None:
        names += [n for i in range(len(stash)) for n in _names(data.get(f"r{i}-partners", ""))]
    found, unresolved = match_unit_names(names, units)
    by_pk = {u.pk: u for u in units}
    rows = []
    for i, s in enumerate(stash):
        lead = found.get(s["lead"])
        initial = {"title": s["title"], "sponsor_unit": lead.pk if lead else None, "partners": s["partners"],
                   "planned_completion": s["deadline"] or None, "category": s["category"]}
        form = f.ImportRowForm(data, prefix=f"r{i}", initial=initial, unit_choices=choices, row_label=s["line"])
        rows.append(_Row(i, s, form))
    titles = set(c.entries.values_list("title", flat=True))
    for row in rows:
        _check(row, c, found, unresolved, by_pk, titles)
    return rows


def _check(row: _Row, c: Catalogue, found, unresolved, by_pk, titles: set) -> None:
    """The problems of one row, in Chinese (nothing is saved while there is one)."""
    form, s, p = row.form, row.src, row.problems
    if form.is_bound:
        if not form.is_valid():
            p += [f"{form.fields[k].label}：{e}" for k, errs in form.errors.items() if k in form.fields for e in errs]
            return
        d = form.cleaned_data
        if d["skip"]:
            return
    else:
        d = {k: form.initial.get(k) for k in ("title", "sponsor_unit", "partners", "planned_completion")}
        if isinstance(d["planned_completion"], str):
            d["planned_completion"] = date.fromisoformat(d["planned_completion"])
    title = (d["title"] or "").strip()
    if not title:
        p.append("缺少决策事项名称")
    elif title in titles:
        p.append(f"目录中已有事项“{title}”（与上文重复或已在目录中）")
    titles.add(title)
    row.sponsor = by_pk.get(d["sponsor_unit"]) if d["sponsor_unit"] else None
    if row.sponsor is None:
        if not s["lead"]:
            p.append("缺少承办单位，请选择")
        elif unresolved.get(s["lead"]):
            p.append(f"承办单位“{s['lead']}”对应多个单位（{'、'.join(u.name for u in unresolved[s['lead']])}），请选择")
        else:
            p.append(f"承办单位“{s['lead']}”不是本级政府或其所属单位的名称，请选择")
    row.partners = []
    for n in _names(d["partners"]):
        if n in found:
            row.partners.append(found[n])
        elif unresolved.get(n):
            p.append(f"配合单位“{n}”对应多个单位（{'、'.join(u.name for u in unresolved[n])}），请写全称")
        else:
            p.append(f"配合单位“{n}”找不到，请改正或删去")
    deadline = d["planned_completion"]
    if deadline is None and s["deadline_text"]:
        p.append(f"无法识别完成时限“{s['deadline_text']}”，请填写日期")
    elif deadline is not None and deadline.year < c.year:
        p.append(f"完成时限{deadline.isoformat()}早于目录年度{c.year}年")


def _render(request, c, rows, source: str, *, error: str = "", status: int = 200):
    bad = [r for r in rows if r.problems]
    return render(request, "major_decisions/catalogue_import_preview.html", {
        "c": c, "rows": rows, "bad": bad, "source": source, "error": error,
        "n_import": sum(1 for r in rows if not r.skipped),
    }, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors
def catalogue_import(request, pk):
    """Upload a notice (GET: the form; POST: parse and show the preview)."""
    user = request.user
    c = _catalogue_for(user, pk)
    _may_import(user, c)
    if c.status != CatalogueStatus.DRAFT:
        messages.error(request, "目录已批准，不能再导入事项；增加事项须通过目录调整并重新公布（MDEC-02）")
        return redirect("major_decisions:catalogue_detail", pk=c.pk)
    form = f.CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = _read(upload)
            parsed = reader.parse_catalogue(data, upload.name, year=c.year)
            if parsed.problems:
                raise ValidationError("；".join(parsed.problems), fields={"file": "未读到目录事项"})
            if len(parsed.rows) > services.IMPORT_MAX_ROWS:
                raise ValidationError(f"文件中有{len(parsed.rows)}行，一次最多导入{services.IMPORT_MAX_ROWS}项事项，请拆分后导入",
                                      fields={"file": "行数过多"})
        except DomainError as exc:
            form.add_error("file" if "file" in (exc.fields or {}) else None, str(exc))
        else:
            stash = {"rows": _stash_rows(parsed, form.cleaned_data["category"]), "source": upload.name[-255:],
                     "sha256": hashlib.sha256(data).hexdigest()}
            request.session[SESSION_KEY.format(c.pk)] = stash
            return _render(request, c, _rows(c, stash["rows"]), stash["source"])
    return render(request, "major_decisions/catalogue_import.html", {"c": c, "form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["POST"])
@domain_errors
def catalogue_import_confirm(request, pk):
    """重新检查 (``action=check``) or 确认导入: the corrected rows checked again;
    saved only when no row has a problem."""
    user = request.user
    c = _catalogue_for(user, pk)
    _may_import(user, c)
    stash = request.session.get(SESSION_KEY.format(c.pk))
    if not stash:
        messages.error(request, "导入预览已失效，请重新上传")
        return redirect("major_decisions:catalogue_import", pk=c.pk)
    rows = _rows(c, stash["rows"], request.POST)
    bad = [r for r in rows if r.problems]
    if request.POST.get("action") == "check" or bad:
        error = f"仍有{len(bad)}行存在问题，未保存任何事项：请逐行改正或勾选“不导入”" if bad else ""
        return _render(request, c, rows, stash["source"], error=error, status=400 if bad else 200)
    todo = [r for r in rows if not r.skipped]
    try:
        entries = services.import_catalogue_entries(c, by=user, source_name=stash["source"], rows=[{
            "line": r.src["line"], "title": r.form.cleaned_data["title"], "category": r.form.cleaned_data["category"],
            "sponsor_unit": r.sponsor, "partner_units": r.partners,
            "planned_completion": r.form.cleaned_data["planned_completion"], "basis": r.src["basis"],
            "description": r.src["note"]} for r in todo])
    except PermissionDenied:
        raise
    except DomainError as exc:
        return _render(request, c, rows, stash["source"], error=str(exc), status=exc.status)
    request.session.pop(SESSION_KEY.format(c.pk), None)
    messages.success(request, f"已导入{len(entries)}项事项（第{entries[0].seq}—{entries[-1].seq}项）")
    return redirect("major_decisions:catalogue_detail", pk=c.pk)
