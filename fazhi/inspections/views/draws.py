"""The draw ceremony (随机抽取, RAND-05; docs/draw-algorithm.md): witnesses, freeze,
reveal, publication, receipt and print page, the list of draws."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, Table
from fazhi.inspections import forms as f
from fazhi.inspections import rules, selectors, services
from fazhi.inspections.models import (
    DrawStatus,
    TaskStatus,
    WitnessKind,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import DRAW, PUBLISH, VIEW
from fazhi.org import access
from fazhi.org.access import require_page as _require

SHOWN_SELECTIONS = 1000  # the rest: print page and receipt


def _witness_rows(task, draw, bound: tuple | None = None) -> list[dict]:
    """Each 监督人 with the form they may fill now: a commitment before the
    freeze (secret kind), their value after it until the draw. ``bound``:
    (witness id, the bound form that was refused) to show its errors."""
    rows = []
    for w in task.witnesses.order_by("position"):
        form = None
        if draw is None and task.status == TaskStatus.DRAFT and w.kind == WitnessKind.SECRET:
            form = f.WitnessCommitForm(prefix=f"w{w.pk}")
        elif draw is not None and draw.status == DrawStatus.COMMITTED and w.revealed_at is None:
            form = f.WitnessRevealForm(prefix=f"w{w.pk}", kind=w.kind)
        if bound and bound[0] == w.pk:
            form = bound[1]
        rows.append({"w": w, "form": form})
    return rows


def _draw_ctx(user, task, *, bound=None) -> dict:
    draw = selectors.draws(user).filter(task=task).select_related("committed_by__person", "drawn_by__person").first()
    ctx = {"task": task, "draw": draw, "can_draw": access.allowed(user, DRAW, task.unit),
           "can_publish": access.allowed(user, PUBLISH, task.unit) or access.allowed(user, DRAW, task.unit)}
    if draw is None:
        ctx["preview"], ctx["preview_error"] = vh.pool_preview(task) if task.status == TaskStatus.DRAFT else (None, "")
        ctx["witness_form"] = f.WitnessForm(prefix="witness")
    else:
        # The commitment and pool hashes are public from the commit on.
        ctx["portal_url"] = vh.portal_url("draw", draw.pk)
    ctx["witnesses"] = _witness_rows(task, draw, bound)
    ctx["min_witnesses"] = int(rules.get("min_witnesses"))
    ctx["all_revealed"] = all(r["w"].revealed_at for r in ctx["witnesses"])
    if draw is not None and draw.status != DrawStatus.COMMITTED:
        selections = selectors.draw_selections(draw)
        ctx["selection_count"], ctx["shown"] = len(selections), SHOWN_SELECTIONS
        ctx["selections"] = selections[:SHOWN_SELECTIONS]
        ctx["strata"] = draw.strata or []
    ctx["step"] = 1 if draw is None else 2 if draw.status == DrawStatus.COMMITTED else 3
    return ctx


def _draw_page(request, task, *, status: int = 200, reveal_form=None, **ctx_kw):
    ctx = _draw_ctx(request.user, task, bound=ctx_kw.pop("bound", None))
    ctx.update(ctx_kw)
    ctx["reveal_form"] = reveal_form or f.RevealForm(prefix="reveal")
    return render(request, "inspections/draw.html", ctx, status=status)


@require_GET
@domain_errors
def draw_page(request, pk):
    return _draw_page(request, vh.task_or_404(request.user, pk))


def _ceremony_step(request, task, form, act, *, witness=None):
    """Run ``act(cleaned data) -> message`` for a valid form and go back to the
    draw page; a step out of order (frozen, drawn) is refused as a message like
    the other steps; any other refusal shows on the form (400)."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except PermissionDenied:
            raise
        except Conflict as exc:
            vh.refused(request, exc)
            return redirect("inspections:draw_page", pk=task.pk)
        except DomainError as exc:
            vh.place_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:draw_page", pk=task.pk)
    if witness is None:
        return _draw_page(request, task, status=400, witness_form=form)
    return _draw_page(request, task, status=400, bound=(witness.pk, form))


def _witness(user, task, wpk):
    return vh.one_or_404(selectors.witnesses(user).filter(task=task), wpk)


@require_POST
@domain_errors
def draw_witness_add(request, pk):
    """登记监督人 (before the freeze)."""
    task = vh.task_or_404(request.user, pk)

    def add(c):
        w = services.add_witness(task, by=request.user, **c)
        return f"已登记监督人{w.name}" + ("，请其当场提交承诺值" if w.kind == WitnessKind.SECRET else "")

    return _ceremony_step(request, task, f.WitnessForm(request.POST, prefix="witness"), add)


@require_POST
@domain_errors
def draw_witness_commit(request, pk, wpk):
    """A secret witness commits (before the freeze): the secret is hashed, not kept."""
    task = vh.task_or_404(request.user, pk)
    w = _witness(request.user, task, wpk)

    def commit(c):
        services.commit_witness(w, by=request.user, **c)
        return f"已记录监督人{w.name}的承诺值；请其记下秘密值，揭示时须原样输入"

    return _ceremony_step(request, task, f.WitnessCommitForm(request.POST, prefix=f"w{w.pk}"), commit, witness=w)


@require_POST
@domain_errors
def draw_witness_reveal(request, pk, wpk):
    """A witness types their value after the freeze (a secret must match its commitment)."""
    task = vh.task_or_404(request.user, pk)
    w = _witness(request.user, task, wpk)

    def reveal(c):
        services.reveal_witness(w, by=request.user, value=c["value"])
        return f"监督人{w.name}已揭示"

    form = f.WitnessRevealForm(request.POST, prefix=f"w{w.pk}", kind=w.kind)
    return _ceremony_step(request, task, form, reveal, witness=w)


@require_POST
@domain_errors
def draw_witness_remove(request, pk, wpk):
    task = vh.task_or_404(request.user, pk)
    w = _witness(request.user, task, wpk)
    try:
        services.remove_witness(w, by=request.user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, f"已删除监督人{w.name}")
    return redirect("inspections:draw_page", pk=task.pk)


@require_POST
@domain_errors
def draw_commit(request, pk):
    user = request.user
    task = vh.task_or_404(user, pk)
    try:
        draw = services.commit_draw(task, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, f"已冻结名录和参数，承诺值 {draw.commitment[:16]}… 已公开；"
                                  "请各监督人当场揭示后抽取")
    return redirect("inspections:draw_page", pk=task.pk)


@require_POST
@domain_errors
def draw_reveal(request, pk):
    """The draw once every witness has revealed (``fazhi-draw/1``: with the witness's input)."""
    user = request.user
    task = vh.task_or_404(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    if draw is None:
        raise Http404()
    form = f.RevealForm(request.POST, prefix="reveal") if draw.is_v1 else None
    if form is None or form.is_valid():
        c = form.cleaned_data if form is not None else {"witness_input": "", "witness_name": ""}
        try:
            services.reveal_draw(draw, by=user, witness_input=c["witness_input"], witness_name=c["witness_name"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            if form is None:
                vh.refused(request, exc)
                return redirect("inspections:draw_page", pk=task.pk)
            vh.place_error(form, exc)
        else:
            messages.success(request, "已揭示服务器种子并完成抽取；抽取凭证可下载，任何人可据此复核")
            return redirect("inspections:draw_page", pk=task.pk)
    return _draw_page(request, task, status=400, reveal_form=form)


@require_POST
@domain_errors
def draw_publish(request, pk):
    user = request.user
    task = vh.task_or_404(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    if draw is None:
        raise Http404()
    try:
        services.publish_draw(draw, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, "抽取结果和凭证已在门户网站公开")
    return redirect("inspections:draw_page", pk=task.pk)


@require_GET
def draw_detail(request, pk):
    """A draw by its own number (dashboard links): its task's draw page."""
    draw = vh.one_or_404(selectors.draws(request.user), pk)
    return redirect("inspections:draw_page", pk=draw.task_id)


def _drawn(user, pk) -> tuple:
    task = vh.task_or_404(user, pk)
    draw = selectors.draws(user).filter(task=task).exclude(status=DrawStatus.COMMITTED).first()
    if draw is None:
        raise Http404()
    return task, draw


@require_GET
@domain_errors
def draw_receipt(request, pk):
    task, draw = _drawn(request.user, pk)
    receipt = selectors.draw_receipt(draw)
    if receipt is None:
        raise Http404()
    resp = HttpResponse(json.dumps(receipt, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                        content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="receipt-{draw.pk}.json"'
    return resp


@require_GET
@domain_errors
def draw_print(request, pk):
    task, draw = _drawn(request.user, pk)
    return render(request, "inspections/draw_print.html", {
        "task": task, "draw": draw, "selections": selectors.draw_selections(draw), "strata": draw.strata or [],
        "today": vh.today()})


DRAW_TABLE = Table("随机抽取记录", [
    Column("任务", lambda d: d.task.title, link=lambda d: reverse("inspections:draw_page", args=[d.task_id])),
    Column("牵头部门", lambda d: vh.short(d.unit), sort="unit__path"),
    Column("状态", lambda d: d.get_status_display(), sort="status"),
    Column("对象名录", "object_count", sort="object_count"),
    Column("人员名录", "inspector_count"),
    Column("承诺值", lambda d: d.commitment[:16] + "…"),
    Column("冻结时间", vh.date_cell("committed_at", "%Y-%m-%d %H:%M"), sort="committed_at"),
    Column("抽取时间", vh.date_cell("drawn_at", "%Y-%m-%d %H:%M"), sort="drawn_at"),
], default_sort="-committed_at", per_page=50)


@require_GET
def draw_list(request):
    user = request.user
    _require(user, VIEW)
    qs = selectors.draws(user).select_related("task", "unit")
    status = request.GET.get("status", "")
    if status in DrawStatus.values:
        qs = qs.filter(status=status)
    return DRAW_TABLE.respond(request, qs, "inspections/draw_list.html", {
        "status": status, "statuses": DrawStatus.choices})


# =================================================================== results
