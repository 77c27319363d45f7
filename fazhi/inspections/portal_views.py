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

The public reads are ``selectors.public_*``; the functions below only shape
them for display, and the API's public endpoints use the same functions.
Templates escape everything (no ``|safe``).
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fazhi.core import draw as algorithm
from fazhi.core import masking, privacy
from fazhi.inspections import selectors
from fazhi.inspections.models import Draw, DrawStatus, Inspection, InspectionItem, Plan, PlanStatus

SECTION_KEY = "inspections"
PAGE_SIZE = 20
SELECTION_PAGE_SIZE = 100
Q_MAX = 50
POOL_FILES = (algorithm.OBJECTS_FILE, algorithm.INSPECTORS_FILE, algorithm.RECUSALS_FILE)
V2_FILES = POOL_FILES + (algorithm.PARAMS_FILE,)
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


# ================================================================ public reads
# Built on selectors.public_*; the API's public endpoints use these same functions.


def public_items(*, unit_id: int | None = None) -> QuerySet[InspectionItem]:
    qs = selectors.public_items().select_related("unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("unit__path", "unit_id", "number", "pk")


def items_by_unit(items) -> list[tuple[object, list[InspectionItem]]]:
    out: list[tuple[object, list[InspectionItem]]] = []
    for item in items:
        if out and out[-1][0].pk == item.unit_id:
            out[-1][1].append(item)
        else:
            out.append((item.unit, [item]))
    return out


def public_plans(*, year: int | None = None) -> QuerySet[Plan]:
    """Approved plans (RAND-09) with their tasks; drafts are internal."""
    fn = getattr(selectors, "public_plans", None)
    qs = fn() if fn else Plan.objects.filter(status=PlanStatus.APPROVED)
    if year:
        qs = qs.filter(year=year)
    return (qs.select_related("unit").prefetch_related("participating_units", "tasks__items", "tasks__draw")
            .order_by("-year", "unit__path", "pk"))


def public_draws(*, unit_id: int | None = None) -> QuerySet[Draw]:
    qs = selectors.public_draws().select_related("unit", "task", "task__plan").prefetch_related("task__witnesses")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-committed_at", "-pk")


def public_draw(pk: int) -> Draw:
    d = selectors.public_draw(pk)
    if d is None:
        raise Http404("该随机抽取不存在或尚未公开")
    return d


def is_revealed(d: Draw) -> bool:
    """The seed, the witness's input and the final seed are public from the reveal on."""
    return d.status in (DrawStatus.DRAWN, DrawStatus.PUBLISHED)


def is_published(d: Draw) -> bool:
    """The receipt, the pool files and the selection are public once the draw
    is published (publish_draw, a deliberate act)."""
    return d.status == DrawStatus.PUBLISHED


def public_results(*, q: str = "", unit_id: int | None = None) -> QuerySet[Inspection]:
    qs = selectors.public_results().select_related("unit", "entity", "task")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    q = (q or "").strip()[:Q_MAX]
    qs = qs.prefetch_related("task__items").order_by("-published_at", "-pk")
    if q:
        code = q.upper()
        # The database narrows on the stored name; the shown (masked) name decides.
        qs = privacy.search_shown(qs.filter(Q(entity__name__icontains=q) | Q(entity__credit_code__startswith=code)),
                                  q, lambda i: (public_entity_name(i.entity), i.entity.credit_code[:len(code)]))
    return qs


def _units_of(qs) -> list:
    from fazhi.org.models import Unit

    return list(Unit.objects.filter(pk__in=qs.order_by().values("unit_id")).order_by("path", "pk"))


is_individual = selectors.is_individual
public_entity_name = selectors.public_entity_name


@dataclass(frozen=True)
class PublicResult:
    """A published inspection result as the public sees it (RAND-07)."""

    id: int
    entity_name: str
    credit_code: str
    legal_rep: str  # an individual business's operator: partly hidden
    items: str
    result: str
    findings: str
    inspected_on: date | None
    unit: str
    kind: str
    published_on: date | None

    @classmethod
    def many(cls, inspections) -> list["PublicResult"]:
        """``of`` for a page of results, the confirmed non-personal values read in one query."""
        rows = list(inspections)
        keep = privacy.kept_for(Inspection, [i.pk for i in rows])
        return [cls.of(i, keep=keep.get(str(i.pk), set())) for i in rows]

    @classmethod
    def of(cls, i: Inspection, *, keep=None) -> "PublicResult":
        e = i.entity
        person = is_individual(e)
        names = [n for n in ([e.legal_rep] if person else []) + [e.contact] if n]
        keep = privacy.kept(i) if keep is None else keep

        def clean(text: str) -> str:
            return privacy.public_text(text, keep=keep, names=names, addresses=[e.address] if person else [])

        items = "、".join(str(it.name) for it in i.task.items.all()) if i.task_id else ""
        published = timezone.localtime(i.published_at).date() if i.published_at else None
        return cls(
            id=i.pk, entity_name=public_entity_name(e), credit_code=e.credit_code,
            legal_rep=masking.mask_name(e.legal_rep) if person else (e.legal_rep or ""),
            items=items or (i.reason_note and clean(i.reason_note)) or i.get_kind_display(),
            result=i.public_result or i.get_result_display(),
            findings=clean(i.public_findings), inspected_on=i.inspected_on, unit=i.unit.name,
            kind=i.get_kind_display(), published_on=published,
        )


@dataclass
class PublicDraw:
    """A draw as the public sees it: hashes always, the seed from the reveal, the receipt once published."""

    id: int
    title: str
    unit: str
    plan: str
    status: str
    revealed: bool
    published: bool
    algorithm_version: str
    commitment: str
    committed_at: datetime
    objects_hash: str
    inspectors_hash: str
    recusals_hash: str
    object_count: int
    inspector_count: int
    strata: list
    team_size: int
    task: dict = field(default_factory=dict)
    seed: str = ""
    witness_name: str = ""
    witness_input: str = ""
    final_seed: str = ""
    drawn_at: datetime | None = None
    published_at: datetime | None = None
    receipt_sha256: str = ""
    live_pool_changed: bool = False
    live_pool_note: str = ""
    server_commitment: str = ""
    params_hash: str = ""
    witnesses: list = field(default_factory=list)  # fazhi-draw/2: [PublicWitness as dict]

    @classmethod
    def of(cls, d: Draw) -> "PublicDraw":
        t = d.task
        out = cls(
            id=d.pk, title=t.title, unit=d.unit.name, plan=t.plan.title if t.plan_id else "",
            status=d.get_status_display(), revealed=is_revealed(d), published=is_published(d),
            algorithm_version=d.algorithm_version,
            commitment=d.commitment, committed_at=d.committed_at, objects_hash=d.objects_hash,
            inspectors_hash=d.inspectors_hash, recusals_hash=d.recusals_hash, object_count=d.object_count,
            inspector_count=d.inspector_count, strata=list(d.strata or []), team_size=t.team_size,
            task=task_terms(t),
        )
        if not d.is_v1:
            out.server_commitment, out.params_hash = d.server_commitment, d.params_hash
            out.witnesses = [public_witness(w, revealed=out.revealed) for w in d.task.witnesses.all()]
        if out.revealed:
            out.seed, out.witness_name, out.witness_input = d.seed, d.witness_name, d.witness_input
            out.final_seed, out.drawn_at = d.final_seed, d.drawn_at
            out.live_pool_changed, out.live_pool_note = d.live_pool_changed, d.live_pool_note
        if out.published:
            out.published_at, out.receipt_sha256 = d.published_at, d.receipt_sha256
        return out


def public_witness(w, *, revealed: bool) -> dict:
    """A 监督人 as the public sees them: who, how, the commitment or announced
    source from the freeze on; the value once the draw is revealed."""
    return {"position": w.position, "name": w.name, "capacity": w.capacity, "kind": w.kind,
            "kind_label": w.get_kind_display(), "commitment": w.commitment, "source": w.source,
            "value": w.value if revealed else ""}


def draw_files(d: Draw) -> tuple:
    """The files a draw publishes: params.json from the freeze (fazhi-draw/2),
    the pool files too once published."""
    if d.is_v1:
        return POOL_FILES if is_published(d) else ()
    return V2_FILES if is_published(d) else (algorithm.PARAMS_FILE,)


def task_terms(t) -> dict:
    """The published terms of a task (what was drawn from, how many, by whom)."""
    risk = dict(_risk_labels())
    if t.sample_size is not None:
        sample = f"{t.sample_size} 户"
    elif t.sample_ratio is not None:
        sample = f"{(t.sample_ratio * 100).normalize():f}%"
    else:
        sample = ""
    labels = {"industry": "行业", "region": "区域", "risk_level": "风险等级"}
    return {
        "industries": "、".join(t.industries or []) or "不限",
        "regions": "、".join(t.regions or []) or "不限",
        "risk_levels": "、".join(risk.get(r, r) for r in (t.risk_levels or [])) or "不限",
        "sample": sample,
        "stratify_by": "、".join(labels.get(s, s) for s in (t.stratify_by or [])) or "不分层",
        "team_size": t.team_size,
        "exclude_recent_months": t.exclude_recent_months,
        "planned_start": t.planned_start,
        "planned_end": t.planned_end,
    }


def _risk_labels():
    from fazhi.inspections.models import RiskLevel

    return RiskLevel.choices


def receipt_bytes(d: Draw) -> bytes:
    """receipt.json exactly as ``draw_export`` writes it (canonical JSON)."""
    if not is_published(d) or not d.receipt:
        raise Http404("抽取凭证尚未公开")
    return algorithm.canonical_json(d.receipt).encode("utf-8")


def pool_file_bytes(d: Draw, name: str) -> bytes:
    """One frozen pool file (gzip, once published) or params.json (from the freeze), as stored."""
    if name not in draw_files(d) or not d.pool_dir:
        raise Http404("名录文件不存在或尚未公开")
    # services.commit_draw writes the frozen files under MEDIA_ROOT/<pool_dir>/.
    try:
        return (Path(settings.MEDIA_ROOT) / d.pool_dir / name).read_bytes()
    except OSError:
        raise Http404("名录文件不存在")


def bundle_bytes(d: Draw) -> bytes:
    """A zip of the draw folder: receipt.json and the three pool files
    (``manage.py draw_verify`` runs on it once unpacked)."""
    buf = io.BytesIO()
    folder = f"draw-{d.pk}"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{folder}/{algorithm.RECEIPT_FILE}", receipt_bytes(d))
        for name in draw_files(d):
            z.writestr(f"{folder}/{name}", pool_file_bytes(d, name))
    return buf.getvalue()


def selections(d: Draw):
    """The selected objects of a published draw, in draw order, with their teams."""
    if not is_published(d):
        return d.selections.none()
    return (d.selections.select_related("entity")
            .prefetch_related("team__inspector__officer__person").order_by("position"))


@dataclass(frozen=True)
class PublicSelection:
    position: int
    name: str
    credit_code: str
    stratum: str
    team: list  # [(inspector name, certificate number)]

    @classmethod
    def of(cls, sel) -> "PublicSelection":
        team = [(m.inspector.officer.person.name, m.certificate_number)
                for m in sorted(sel.team.all(), key=lambda m: m.position)]
        return cls(sel.position, public_entity_name(sel.entity), sel.credit_code, sel.stratum, team)


def algorithm_text() -> str:
    try:
        return ALGORITHM_DOC.read_text(encoding="utf-8")
    except OSError:
        return ""


# ====================================================================== views


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


def _int(value) -> int | None:
    """An id or year from the query string; out of range (a database integer) is no filter."""
    try:
        n = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return n if n is None or 0 < n < 2**62 else None


def _query_no_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_not_required
@require_GET
def index(request):
    draws = [PublicDraw.of(d) for d in public_draws()[:8]]
    results = PublicResult.many(public_results()[:10])
    items = list(public_items())
    return render(request, "inspections/portal/index.html", _ctx(
        by_unit=[(u, len(rows)) for u, rows in items_by_unit(items)], item_count=len(items),
        plans=list(public_plans()[:6]), draws=draws, results=results, steps=VERIFY_STEPS,
    ))


@login_not_required
@require_GET
def items(request):
    unit_id = _int(request.GET.get("unit"))
    rows = list(public_items(unit_id=unit_id))
    return render(request, "inspections/portal/items.html", _ctx(
        groups=items_by_unit(rows), count=len(rows), units=_units_of(selectors.public_items()), unit_id=unit_id,
    ))


@login_not_required
@require_GET
def plans(request):
    year = _int(request.GET.get("year"))
    page = Paginator(public_plans(year=year), PAGE_SIZE).get_page(request.GET.get("page"))
    years = sorted({y for y in public_plans().values_list("year", flat=True)}, reverse=True)
    return render(request, "inspections/portal/plans.html", _ctx(
        page=page, years=years, year=year, query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draws(request):
    unit_id = _int(request.GET.get("unit"))
    page = Paginator(public_draws(unit_id=unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/portal/draws.html", _ctx(
        page=page, rows=[PublicDraw.of(d) for d in page.object_list], units=_units_of(selectors.public_draws()),
        unit_id=unit_id, query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draw_detail(request, pk: int):
    d = public_draw(pk)
    pd = PublicDraw.of(d)
    page, rows = None, []
    if pd.published:
        page = Paginator(selections(d), SELECTION_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [PublicSelection.of(sel) for sel in page.object_list]
    return render(request, "inspections/portal/draw.html", _ctx(
        d=pd, page=page, rows=rows, steps=VERIFY_STEPS, files=draw_files(d), query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def draw_receipt(request, pk: int):
    resp = HttpResponse(receipt_bytes(public_draw(pk)), content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}-receipt.json"'
    return resp


@login_not_required
@require_GET
def draw_file(request, pk: int, name: str):
    kind = "application/json; charset=utf-8" if name == algorithm.PARAMS_FILE else "application/gzip"
    resp = HttpResponse(pool_file_bytes(public_draw(pk), name), content_type=kind)
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}-{name}"'
    return resp


@login_not_required
@require_GET
def draw_bundle(request, pk: int):
    resp = HttpResponse(bundle_bytes(public_draw(pk)), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="draw-{pk}.zip"'
    return resp


@login_not_required
@require_GET
def results(request):
    unit_id = _int(request.GET.get("unit"))
    q = (request.GET.get("q") or "").strip()[:Q_MAX]
    page = Paginator(public_results(q=q, unit_id=unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/portal/results.html", _ctx(
        page=page, rows=PublicResult.many(page.object_list), units=_units_of(selectors.public_results()),
        unit_id=unit_id, q=q, searched=bool(q or unit_id), query_no_page=_query_no_page(request)))


@login_not_required
@require_GET
def verify(request):
    # The algorithm is explained in Chinese by the template (_algorithm.html); the
    # full technical specification (docs/draw-algorithm.md) is a download, never
    # shown as raw markdown.
    return render(request, "inspections/portal/verify.html", _ctx(
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
