"""Who acts, and before whom the act can be challenged.

**The enforcing organ** (行政执法主体). A penalty is imposed by an 行政机关 (or an
organisation authorised by law) in its own name (行政处罚法第十七条、第十九条);
an internal unit — a 执法大队, a 科室 (``UnitKind.INTERNAL``) — has no legal
personality of its own and acts in the name of its department. So a case
handled by the 农业农村局执法大队 is filed, decided, sealed and published by the
农业农村局. The organ of a unit is the nearest unit, itself or above, that is
a government, a department or a town, or that is marked
``Unit.is_enforcement_subject`` (e.g. a 综合行政执法局 set up as an institution).

**The 复议机关** (行政复议法 2023, 第二十四条): the county government handles
applications against its departments (and against the organisations they
manage and the town governments below it) — so the 本级人民政府, not the
bureau itself, and not the bureau's superior department (the pre-2024 rule
that let the party choose between them is gone). Exceptions are settings:

* 第二十七条: 海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关 —
  the 上一级主管部门;
* 第二十八条: a 司法行政部门 — the 本级人民政府 or the 上一级司法行政部门;
* a province that arranges it differently.

``settings.FAZHI_ENFORCEMENT["review_bodies"] = {"<organ name>": "<复议机关>"}``.

**The court** (行政诉讼法第十四条、第十八条): the basic people's court of the place
of the organ that made the decision, i.e. "<county>人民法院" (a suit against a
county government itself goes to the intermediate court, 第十五条); where the
province has concentrated administrative cases in another court (集中管辖),
``FAZHI_ENFORCEMENT["court"]`` (all organs) or ``["courts"]`` (by organ name).

Periods: 复议 60 days from knowing of the act (行政复议法第二十条); suit 6 months
(行政诉讼法第四十六条); after a 复议 decision 15 days (第四十五条). On-the-spot
penalties go to 复议 first (行政复议法第二十三条第一款第一项).
"""

from dataclasses import dataclass

from fazhi.core.errors import ValidationError
from fazhi.enforcement import rules
from fazhi.org.models import Unit, UnitKind

SUBJECT_KINDS = (UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWN)
GOVERNMENT_SUFFIX = "人民政府"


def is_subject(unit: Unit) -> bool:
    return unit.is_enforcement_subject or unit.kind in SUBJECT_KINDS


def _lineage(unit: Unit) -> list[Unit]:
    """``unit`` and its ancestors, nearest first (one query)."""
    ids = [int(p) for p in (unit.path or "").split("/") if p]
    if not ids:
        return [unit]
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    by_id[unit.pk] = unit
    return [by_id[i] for i in reversed(ids) if i in by_id]


def legal_subject(unit: Unit) -> Unit | None:
    """The enforcing organ of ``unit``: itself or its nearest ancestor that is an enforcement subject."""
    return next((u for u in _lineage(unit) if is_subject(u)), None)


def organ_of(unit: Unit) -> Unit:
    """The organ, or a refusal naming ENF-10 when the tree has none."""
    organ = legal_subject(unit)
    if organ is None:
        raise ValidationError(f"{unit.name}及其上级单位均不是行政执法主体，不能以其名义立案或作出决定；"
                              "请系统管理员核对单位类型", rule="ENF-10")
    return organ


def display_organ(unit: Unit) -> Unit:
    """For documents and pages: the organ, or the unit itself on a misconfigured tree."""
    return legal_subject(unit) or unit


def _government_above(organ: Unit) -> Unit | None:
    """The nearest government strictly above ``organ`` (本级 for a department, 上一级 for a town)."""
    return next((u for u in _lineage(organ)[1:] if u.kind == UnitKind.GOVERNMENT), None)


@dataclass(frozen=True)
class Remedies:
    """The 复议机关 and the court named in a decision (ENF-10 item 5)."""

    review_body: str
    court: str
    review_rule: str  # why this body, for the module doc and the case page


def review_body(organ: Unit) -> tuple[str, str]:
    """(复议机关, the article it comes from)."""
    override = rules.mapping("review_bodies").get(organ.name)
    if override:
        return override, "本地设置（行政复议法第二十七条等）"
    gov = _government_above(organ)
    if organ.kind == UnitKind.GOVERNMENT:
        # A government's own act: the government one level up (第二十四条第一款第二项).
        return (gov.name if gov else "上一级人民政府"), "行政复议法第二十四条第一款第二项"
    if gov is None:
        return "本级人民政府", "行政复议法第二十四条第一款第一项"
    if organ.is_legal_office:
        return f"{gov.name}或者上一级司法行政部门", "行政复议法第二十八条"
    return gov.name, "行政复议法第二十四条第一款第一项"


def court(organ: Unit) -> str:
    """The basic people's court of the organ's place, or the configured 集中管辖 court."""
    configured = rules.mapping("courts").get(organ.name) or rules.text("court")
    if configured:
        return configured
    if organ.kind == UnitKind.GOVERNMENT:
        # A suit against a county (or higher) government goes to the intermediate court (第十五条第一项).
        return f"{organ.name}所在地的中级人民法院"
    gov = _government_above(organ)
    if gov is not None and gov.name.endswith(GOVERNMENT_SUFFIX) and len(gov.name) > len(GOVERNMENT_SUFFIX):
        return gov.name[: -len(GOVERNMENT_SUFFIX)] + "人民法院"
    return "作出行政处罚决定的行政机关所在地的基层人民法院"


def remedies(organ: Unit) -> Remedies:
    body, rule = review_body(organ)
    return Remedies(review_body=body, court=court(organ), review_rule=rule)
