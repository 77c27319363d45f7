"""双随机、一公开 on the public portal (/portal/inspections/, namespace inspections_portal).

No sign-in. What the public sees (RAND-02, RAND-05, RAND-07, ENF-28):

* 抽查事项清单 — the published current version of every item, per department
  (RAND-04: number, item, sub-item, inspecting body, basis, method, content,
  object scope, frequency, 一般 / 重点). Drafts, superseded and retired
  versions never appear.
* 抽查计划 — approved annual and joint plans (综合查一次) with their tasks.
* 随机抽取 — every draw from the moment it is committed: the commitment,
  the server seed's commitment, the SHA-256 of the frozen pools and of the
  parameters (params.json, downloadable from the freeze on), the witnesses
  with their commitments or announced public sources — all public *before*
  any secret is revealed (that is what makes the draw checkable). From the
  reveal on: the server's seed, each witness's value and the final seed.
  Once the draw is published (``publish_draw``): the receipt (receipt.json),
  the frozen pool files and the selected objects with their teams —
  everything ``manage.py draw_verify`` needs, and the reference algorithm
  (docs/draw-algorithm.md, ``draw.py``) to recompute it without our software.
* 抽查结果 — published results per object (企业名称, 统一社会信用代码, 检查事项,
  结果, 检查日期). For an individual business (个体工商户, credit code 92…)
  the operator is a natural person: their name is partly hidden wherever it
  appears and phone and ID numbers are masked in any text
  (``fazhi.core.masking``; the same name on the portal home, the results
  page and the API). Search looks only at what is shown: an operator's full
  name finds nothing. Unpublished results never appear.

The views read only ``fazhi.inspections.selectors`` (``public_*``,
``PublicDraw``, ``PublicResult``, the draw's downloads), the same reads as
the API's public endpoints. Templates escape everything (no ``|safe``).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.core import draw as algorithm
from fazhi.inspections import selectors
from fazhi.inspections.selectors import PublicDraw, PublicResult, PublicSelection
from fazhi.portal.views import query_id

SECTION_KEY = "inspections"
PAGE_SIZE = 20
SELECTION_PAGE_SIZE = 100
Q_MAX = selectors.Q_MAX
ALGORITHM_DOC = Path(settings.BASE_DIR) / "docs" / "draw-algorithm.md"
ALGORITHM_SOURCE = Path(algorithm.__file__)

# The steps of a verification, as the public reads them (docs/draw-algorithm.md).
VERIFY_STEPS = (
    ("监督人承诺", "冻结之前登记监督人（如纪检监察人员、公众代表）。每位监督人自行想好一段秘密值，只提交其 SHA-256 "
     "承诺值；或写明冻结后将采用的公开随机数来源（如某日彩票开奖号码）。"),
    ("冻结与承诺", "系统按任务条件列出符合条件的检查对象、检查人员和回避关系，按规范顺序写成名录文件；"
     "任务参数（分层、配额或抽取数量/比例、每组人数、对象范围、各层对象数、监督人及其承诺值）写成 params.json。"
     "服务器种子不保存、工作人员无法读取，只公布其 SHA-256；总承诺值 = SHA-256(服务器种子承诺值、"
     "三个名录文件和参数文件的哈希)。这些在揭示之前即在本页公开，此后任何一项都不能更改。"),
    ("揭示", "冻结后每位监督人当场输入其秘密值（与承诺值不符的一律拒绝）或公开随机数，系统随后公布服务器种子。"
     "任何人可核对各项的 SHA-256 与事先公开的承诺值一致。"),
    ("计算", "最终种子由总承诺值、服务器种子和各监督人输入按顺序依次 SHA-256 得出，任何一方都无法单独决定。"
     "以最终种子生成确定的随机数流，按冻结参数计算各层配额，在每一层内用 Fisher–Yates 洗牌均匀抽取检查对象，"
     "再为每个对象从未回避的检查人员中抽取检查组。"),
    ("复核", "下载抽取凭证（receipt.json）、冻结的名录文件和 params.json，核对凭证中的承诺值与本页冻结时公开的一致，"
     "再按公开的算法重新计算：配额和结果都应与凭证完全一致。"),
)


def public_draw(pk: int):
    d = selectors.public_draw(pk)
    if d is None:
        raise Http404("该随机抽取不存在或尚未公开")
    return d


def algorithm_text() -> str:
    try:
        return ALGORITHM_DOC.read_text(encoding="utf-8")
    except OSError:
        return ""


# ====================================================================== views


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


def _query_no_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_not_required
@require_GET
def index(request):
    draws = [PublicDraw.of(d) for d in selectors.public_draws()[:8]]
    results = PublicResult.many(selectors.public_results()[:10])
    items = list(selectors.public_items())
    return render(request, "portal/inspections/index.html", _ctx(
        by_unit=[(u, len(rows)) for u, rows in selectors.items_by_unit(items)], item_count=len(items),
        plans=list(selectors.public_plans()[:6]), draws=draws, results=results, steps=VERIFY_STEPS,
    ))


@login_not_required
@require_GET
def items(request):
    unit_id = query_id(request.GET.get("unit"))
    rows = list(selectors.public_items(unit_id=unit_id))
    return render(request, "portal/inspections/items.html", _ctx(
        groups=selectors.items_by_unit(rows), count=len(rows), units=selectors.units_of(selectors.public_items()), unit_id=unit_id,
    ))


@login_not_required
@require_GET
def plans(request):
    year = query_id(request.GET.get("year"))
    page = Paginator(selectors.public_plans(year=year), PAGE_SIZE).get_page(request.GET.get("page"))
    years = selectors.public_plan_years()
    return render(request, "portal/inspections/plans.html", _ctx(
        page=page, years=years, year=year, query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draws(request):
    unit_id = query_id(request.GET.get("unit"))
    page = Paginator(selectors.public_draws(unit_id=unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/inspections/draws.html", _ctx(
        page=page, rows=[PublicDraw.of(d) for d in page.object_list], units=selectors.units_of(selectors.public_draws()),
        unit_id=unit_id, query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draw_detail(request, pk: int):
    d = public_draw(pk)
    pd = PublicDraw.of(d)
    page, rows = None, []
    if pd.published:
        page = Paginator(selectors.public_selections(d), SELECTION_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [PublicSelection.of(sel) for sel in page.object_list]
    return render(request, "portal/inspections/draw.html", _ctx(
        d=pd, page=page, rows=rows, steps=VERIFY_STEPS, files=selectors.draw_files(d), query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draw_receipt(request, pk: int):
    resp = HttpResponse(selectors.receipt_bytes(public_draw(pk)), content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}-receipt.json"'
    return resp


@login_not_required
@require_GET
def draw_file(request, pk: int, name: str):
    kind = "application/json; charset=utf-8" if name == algorithm.PARAMS_FILE else "application/gzip"
    resp = HttpResponse(selectors.pool_file_bytes(public_draw(pk), name), content_type=kind)
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}-{name}"'
    return resp


@login_not_required
@require_GET
def draw_bundle(request, pk: int):
    resp = HttpResponse(selectors.bundle_bytes(public_draw(pk)), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}.zip"'
    return resp


@login_not_required
@require_GET
def results(request):
    unit_id = query_id(request.GET.get("unit"))
    q = (request.GET.get("q") or "").strip()[:Q_MAX]
    page = Paginator(selectors.public_results(q=q, unit_id=unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/inspections/results.html", _ctx(
        page=page, rows=PublicResult.many(page.object_list), units=selectors.units_of(selectors.public_results()),
        unit_id=unit_id, q=q, searched=bool(q or unit_id), query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def verify(request):
    # The algorithm is explained in Chinese by the template (_algorithm.html); the
    # full technical specification (docs/draw-algorithm.md) is a download, never
    # shown as raw markdown.
    return render(request, "portal/inspections/verify.html", _ctx(
        steps=VERIFY_STEPS, version=algorithm.ALGORITHM_VERSION))


@login_not_required
@require_GET
def algorithm_spec(request):
    """docs/draw-algorithm.md: the full specification, as a text download."""
    text = algorithm_text()
    if not text:
        raise Http404("技术规范暂未发布")
    resp = HttpResponse(text.encode("utf-8"), content_type="text/markdown; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="draw-algorithm.md"'
    return resp


@login_not_required
@require_GET
def algorithm_source(request):
    """draw.py: the reference implementation (standard library only)."""
    resp = HttpResponse(ALGORITHM_SOURCE.read_bytes(), content_type="text/x-python; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="draw.py"'
    return resp
