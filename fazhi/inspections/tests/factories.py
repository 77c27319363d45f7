"""Factories for the inspections tests, shared with the UI and portal helpers.

A factory per model and a trait per state. Text fields of public records
contain ``<script>`` so every portal test also checks escaping.

    item = InspectionItemFactory(published=True, unit=unit)
    entity = EntityFactory()                        # valid credit code (GB 32100)
    inspector = InspectorFactory(unit=unit)         # an officer with a valid certificate
    task = TaskFactory(plan__unit=unit, plan__approved=True, items=[item])   # + two 监督人 (witnesses=False)
    draw = make_draw("drawn", unit=unit)            # "committed" | "drawn" | "published"
    draw = reveal(draw)                             # the witnesses reveal, then the draw
    ins = InspectionFactory(recorded=True)          # pending | recorded | published (+ non_random)
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal

import factory
from django.utils import timezone

from fazhi.enforcement.tests.factories import make_officer
from fazhi.inspections import services
from fazhi.inspections.models import (
    Draw,
    DrawWitness,
    Entity,
    EntityImport,
    HandoverStatus,
    ImportStatus,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionStatus,
    Inspector,
    InspectorAbsence,
    ItemStatus,
    NonRandomReason,
    Plan,
    PlanStatus,
    Recusal,
    Result,
    RiskLevel,
    Task,
)
from fazhi.org.credit_code import check_char
from fazhi.org.tests.factories import UnitFactory

SCRIPT = "<script>alert('x')</script>"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_default_timezone())


def credit_code(n: int, prefix: str = "91500104") -> str:
    """A valid 统一社会信用代码 numbered ``n`` (GB 32100 check digit)."""
    first17 = f"{prefix}{n:09d}"[:17]
    return first17 + check_char(first17)


def bad_check_digit(code: str) -> str:
    """The same code with a wrong check character."""
    return code[:17] + ("0" if code[17] != "0" else "1")


class InspectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionItem

    unit = factory.SubFactory(UnitFactory)
    number = factory.Sequence(lambda n: f"SX-{n:04d}")
    name = factory.Sequence(lambda n: f"食品经营许可事项检查{n}{SCRIPT}")
    sub_item = f"经营场所检查{SCRIPT}"
    inspecting_body = "示范区市场监督管理局"
    basis = f"《食品安全法》第八十七条{SCRIPT}"
    method = "实地核查"
    content = f"检查许可证件、经营场所、从业人员健康证明{SCRIPT}"
    object_scope = "辖区食品经营者"
    frequency = "每年不少于5%"
    field = ""
    status = ItemStatus.DRAFT

    class Params:
        published = factory.Trait(status=ItemStatus.PUBLISHED, published_at=NOW)
        retired = factory.Trait(status=ItemStatus.RETIRED, published_at=NOW, retired_at=NOW)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"示范商贸有限公司{n}{SCRIPT}")
    credit_code = factory.Sequence(lambda n: credit_code(n + 1))
    entity_type = "有限责任公司"
    industry = "餐饮"
    region = "龙凤镇"
    address = f"示范区人民路1号{SCRIPT}"
    legal_rep = "李四"
    contact = "王五"
    phone = "13800000000"
    risk_level = RiskLevel.LOW

    class Params:
        high_risk = factory.Trait(risk_level=RiskLevel.HIGH)
        inactive = factory.Trait(active=False)


class EntityImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntityImport

    unit = factory.SubFactory(UnitFactory)
    file = "inspections/imports/missing.csv"
    original_name = "对象.csv"
    format = "csv"
    status = ImportStatus.PENDING

    class Params:
        running = factory.Trait(status=ImportStatus.RUNNING, total_rows=100, processed_rows=40)
        succeeded = factory.Trait(status=ImportStatus.SUCCEEDED, total_rows=10, processed_rows=10, created_rows=10)
        failed = factory.Trait(status=ImportStatus.FAILED, total_rows=3, processed_rows=3, error_count=1,
                               errors=[{"row": 2, "column": "统一社会信用代码", "value": "X",
                                        "message": "统一社会信用代码应为18位，当前为1位"}])


class InspectorFactory(factory.django.DjangoModelFactory):
    """An inspector whose officer holds a certificate valid 2024–2029 (``cert_number`` optional)."""

    class Meta:
        model = Inspector
        exclude = ("cert_number",)

    class Params:
        inactive = factory.Trait(active=False)

    unit = factory.SubFactory(UnitFactory)
    cert_number = None
    officer = factory.LazyAttribute(lambda o: make_officer(o.unit, number=o.cert_number))
    fields = "市场监管"


class InspectorAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectorAbsence

    inspector = factory.SubFactory(InspectorFactory)
    unit = factory.LazyAttribute(lambda o: o.inspector.unit)
    start = date(2026, 4, 1)
    end = date(2026, 4, 30)
    reason = "休假"


class RecusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recusal

    inspector = factory.SubFactory(InspectorFactory)
    unit = factory.LazyAttribute(lambda o: o.inspector.unit)
    entity = factory.SubFactory(EntityFactory)
    reason = "近亲属任职"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"2026年度双随机抽查计划{n}{SCRIPT}")
    random_target = Decimal("0.300")
    description = f"计划说明{SCRIPT}"
    status = PlanStatus.DRAFT

    class Params:
        approved = factory.Trait(status=PlanStatus.APPROVED, approved_at=NOW)
        joint = factory.Trait(kind="joint")

    @factory.post_generation
    def participating_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participating_units.set(extracted)


class TaskFactory(factory.django.DjangoModelFactory):
    """``items=[...]`` (default: one published item of the plan's unit)."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    unit = factory.LazyAttribute(lambda o: o.plan.unit)
    title = factory.Sequence(lambda n: f"食品经营者抽查任务{n}{SCRIPT}")
    sample_size = 3
    team_size = 2
    planned_start = date(2026, 4, 1)
    planned_end = date(2026, 6, 30)

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.items.set(extracted if extracted is not None
                      else [InspectionItemFactory(unit=obj.unit, published=True)])

    @factory.post_generation
    def witnesses(obj, create, extracted, **kwargs):
        """The draw's two 监督人 (``witnesses=False``: none), as ``add_witnesses``
        leaves them but written directly (no audit entries)."""
        if create and extracted is not False:
            DrawWitness.objects.create(task=obj, position=1, name="纪检监察员", capacity="区纪委监委派驻纪检监察组",
                                       kind="secret", commitment=hashlib.sha256(WITNESS_SECRET.encode()).hexdigest(),
                                       committed_at=NOW)
            DrawWitness.objects.create(task=obj, position=2, name="公众代表", capacity="人大代表", kind="public",
                                       source="2026年3月2日福彩3D开奖号码")


def pool(unit, *, objects: int = 10, inspectors: int = 4, **entity_kw):
    """Objects in the pool and inspectors of ``unit``; returns (entities, inspectors)."""
    entities = [EntityFactory(**entity_kw) for _ in range(objects)]
    people = [InspectorFactory(unit=unit) for _ in range(inspectors)]
    return entities, people


WITNESS_SECRET = "纪检监察员自选秘密 4-1-6-6-2-3"


def add_witnesses(task, *, secret: str = WITNESS_SECRET, public_source: str | None = "2026年3月2日福彩3D开奖号码"):
    """The usual two 监督人 of a draw through the services (by=None): a 纪检 officer
    committing ``secret``, and (``public_source``) a public representative who
    will type a public random number after the freeze."""
    w = services.add_witness(task, by=None, name="纪检监察员", capacity="区纪委监委派驻纪检监察组",
                             kind="secret")
    services.commit_witness(w, by=None, secret=secret, now=NOW)
    if public_source:
        services.add_witness(task, by=None, name="公众代表", capacity="人大代表", kind="public",
                             source=public_source)


def reveal_witnesses(task, *, secret: str = WITNESS_SECRET, public: str = "监督人输入 20260302"):
    for w in task.witnesses.filter(revealed_at__isnull=True):
        services.reveal_witness(w, by=None, value=secret if w.kind == "secret" else public, now=NOW)


def reveal(draw, *, by=None, now: datetime = NOW, public: str = "监督人输入 20260302") -> Draw:
    """Every witness reveals, then the draw (the ceremony after the freeze)."""
    reveal_witnesses(draw.task, public=public)
    return services.reveal_draw(draw, by=by, now=now)


def server_seed(draw) -> str:
    """What the server's seed of ``draw`` is (tests know SECRET_KEY; staff do not)."""
    from fazhi.core import draw_seed

    return draw_seed.server_seed(services.DRAW_PURPOSE, draw.pk, draw.seed_salt)


def make_draw(state: str = "drawn", *, unit=None, task=None, objects: int = 10, inspectors: int = 4,
              sample_size: int = 3, witness_input: str = "监督人输入 20260302", now: datetime = NOW) -> Draw:
    """A draw in ``state`` ("committed" | "drawn" | "published") through the real
    services (by=None), with the two witnesses of ``add_witnesses`` (unless the
    task already has witnesses); ``witness_input``: the public witness's value."""
    if task is None:
        unit = unit or UnitFactory()
        pool(unit, objects=objects, inspectors=inspectors)
        task = TaskFactory(plan=PlanFactory(unit=unit, approved=True), sample_size=sample_size)
    if not task.witnesses.exists():
        add_witnesses(task)
    draw = services.commit_draw(task, by=None, now=now)
    if state in ("drawn", "published"):
        reveal_witnesses(task, public=witness_input)
        draw = services.reveal_draw(draw, by=None, now=now)
    if state == "published":
        draw = services.publish_draw(draw, by=None, now=now)
    return draw


class InspectionFactory(factory.django.DjangoModelFactory):
    """A random inspection (no draw) or ``non_random=True``; traits per state."""

    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    entity = factory.SubFactory(EntityFactory)
    kind = InspectionKind.RANDOM
    year = 2026
    status = InspectionStatus.PENDING

    class Params:
        non_random = factory.Trait(kind=InspectionKind.NON_RANDOM, non_random_reason=NonRandomReason.COMPLAINT)
        recorded = factory.Trait(status=InspectionStatus.RECORDED, result=Result.CORRECTED,
                                 findings=f"发现未公示年报，已责令改正{SCRIPT}", inspected_on=date(2026, 3, 2),
                                 result_recorded_at=NOW, publish_due=date(2026, 3, 30),
                                 publish_due_rule="RAND-07 20个工作日")
        published = factory.Trait(status=InspectionStatus.PUBLISHED, result=Result.CORRECTED,
                                  findings=f"发现未公示年报，已责令改正{SCRIPT}", inspected_on=date(2026, 3, 2),
                                  result_recorded_at=NOW, publish_due=date(2026, 3, 30),
                                  publish_due_rule="RAND-07 20个工作日", published_at=NOW,
                                  public_result="发现问题已责令改正", public_findings=f"已责令改正{SCRIPT}")
        handed_over = factory.Trait(handover_status=HandoverStatus.HANDED_OVER, handed_over_on=date(2026, 3, 5),
                                    handover_unit=factory.SelfAttribute("unit"))

    @factory.post_generation
    def officers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.officers.set(extracted)
