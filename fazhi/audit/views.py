import json
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from fazhi.audit.forms import EntryFilterForm
from fazhi.audit.labels import ActionDisplay, object_type_label
from fazhi.audit.models import AuditEntry
from fazhi.audit.selectors import can_view_all, covers_everything, entries_for_list, trail_visible_to
from fazhi.audit.verify import verify_chain
from fazhi.core.tables import Column, Table


def trail_url(object_type: str, object_id) -> str:
    return reverse("audit:object_trail", args=[object_type, str(object_id)])


def display_action(entry: AuditEntry) -> str:
    """The Chinese label (the code in a tooltip on the page, beside it in an export)."""
    return ActionDisplay(entry.action)


def _display_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def data_items(data) -> list[tuple[str, str]]:
    """The entry's data as (key, readable value) pairs, keys sorted."""
    if not isinstance(data, dict):
        return [("", _display_value(data))]
    return [(str(k), _display_value(data[k])) for k in sorted(data)]


@dataclass
class TrailRow:
    entry: AuditEntry
    action: str
    items: list[tuple[str, str]]


@require_GET
def object_trail(request, object_type: str, object_id: str):
    entries = list(trail_visible_to(request.user, object_type, object_id))
    if not entries:
        raise Http404("没有该记录的留痕，或您无权查看")
    rows = [TrailRow(e, display_action(e), data_items(e.data)) for e in entries]
    return render(request, "audit/object_trail.html", {
        "rows": rows,
        "object_type": object_type,
        "object_type_label": object_type_label(object_type),
        "object_id": object_id,
        "object_repr": entries[-1].object_repr,
    })


ENTRY_TABLE = Table("留痕记录", [
    Column("序号", "seq", sort="seq"),
    Column("时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), sort="at"),
    Column("操作人", "actor_name", sort="actor_name"),
    Column("职务", "actor_post"),
    Column("操作人单位", "actor_unit", sort="actor_unit"),
    Column("操作", display_action, sort="action"),
    Column("对象", lambda e: e.object_repr or e.object_id, link=lambda e: trail_url(e.object_type, e.object_id)),
    Column("对象类型", lambda e: object_type_label(e.object_type), sort="object_type"),
    Column("所属单位", "unit.name"),
], default_sort="-seq")


def _require_view_all(user) -> None:
    if not can_view_all(user):
        raise PermissionDenied("只有系统管理员和考核员可以查看全部留痕记录")


@require_GET
def entry_list(request):
    _require_view_all(request.user)
    form = EntryFilterForm(request.GET or None)
    queryset = entries_for_list(request.user, **(form.filters() if form.is_bound else {}))
    return ENTRY_TABLE.respond(request, queryset, "audit/entry_list.html", {"form": form})


@require_POST
def verify(request):
    if not covers_everything(request.user):
        raise PermissionDenied("只有系统管理员和全区范围的考核员可以校验整条留痕链")
    result = verify_chain()
    if result.ok:
        messages.success(request, f"留痕链完整：共 {result.count} 条记录，逐条校验通过。")
    else:
        where = f"第 {result.bad_seq} 号" + (f"（ID {result.bad_id}）" if result.bad_id else "")
        messages.error(request, f"留痕链校验未通过：{where}，{result.reason}。此前 {result.count} 条记录完好。")
    return redirect("audit:entry_list")
