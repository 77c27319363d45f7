"""Factories of the major-decisions records. Text fields of public records
default to something containing <script> so portal tests check escaping.

    entry = EntryFactory(catalogue__unit=gov, sponsor_unit=dept)   # catalogue published
    d = DecisionFactory(entry=entry, published=True)                 # state traits

For a decision that really went through the procedure (records and all),
use ``conftest.drive`` (it calls the services).
"""

from datetime import date

import factory
from django.utils import timezone

from fazhi.major_decisions.models import (
    Catalogue,
    CatalogueEntry,
    CatalogueStatus,
    Category,
    Comment,
    Consultation,
    Decision,
    Expert,
    ExpertPool,
    LegalOpinion,
    LegalReview,
    PoolKind,
    RiskAssessment,
    RiskLevel,
    Status,
)
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import UnitFactory

XSS = "<script>alert(1)</script>"


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue

    unit = factory.SubFactory(UnitFactory, kind=UnitKind.GOVERNMENT)
    year = 2026
    title = factory.LazyAttribute(lambda o: f"{o.unit.name}{o.year}年度重大行政决策事项目录{XSS}")
    status = CatalogueStatus.PUBLISHED
    party_consent_on = date(2026, 3, 1)
    party_consent_note = "经区委常委会会议同意"
    approved_on = date(2026, 3, 5)
    published_on = date(2026, 3, 10)
    version = 1

    class Params:
        draft = factory.Trait(status=CatalogueStatus.DRAFT, party_consent_on=None, approved_on=None,
                              published_on=None, version=0, party_consent_note="")


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry

    catalogue = factory.SubFactory(CatalogueFactory)
    seq = factory.Sequence(lambda n: n + 100)
    title = factory.Sequence(lambda n: f"决策事项{n}{XSS}")
    category = Category.PUBLIC_POLICY
    sponsor_unit = factory.SubFactory(UnitFactory, parent=factory.SelfAttribute("..catalogue.unit"))
    basis = "《重大行政决策程序暂行条例》"
    needs_participation = True
    needs_expert_review = True
    needs_risk_assessment = True
    expert_field = "城市规划"
    planned_completion = date(2026, 11, 30)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True  # RelatedFactory hooks change nothing on the decision

    entry = factory.SubFactory(EntryFactory)
    unit = factory.SelfAttribute("entry.catalogue.unit")
    sponsor_unit = factory.SelfAttribute("entry.sponsor_unit")
    title = factory.SelfAttribute("entry.title")
    category = factory.SelfAttribute("entry.category")
    needs_participation = factory.SelfAttribute("entry.needs_participation")
    needs_expert_review = factory.SelfAttribute("entry.needs_expert_review")
    needs_risk_assessment = factory.SelfAttribute("entry.needs_risk_assessment")
    expert_field = factory.SelfAttribute("entry.expert_field")
    launched_on = date(2026, 4, 1)
    status = Status.LAUNCHED
    draft_text = ""

    class Params:
        drafting = factory.Trait(status=Status.DRAFTING, draft_text=f"决策草案正文{XSS}")
        in_discussion = factory.Trait(
            status=Status.DISCUSSION, draft_text=f"决策草案正文{XSS}",
            legal=factory.RelatedFactory("fazhi.major_decisions.tests.factories.LegalReviewFactory", "decision"))
        decided = factory.Trait(status=Status.DECIDED, draft_text=f"决策草案正文{XSS}", decided_on=date(2026, 7, 1))
        published = factory.Trait(status=Status.PUBLISHED, draft_text=f"决策草案正文{XSS}",
                                  decided_on=date(2026, 7, 1), party_reported_on=date(2026, 7, 2),
                                  published_on=date(2026, 7, 5), public_text=f"决策公布文本{XSS}",
                                  adoption_explanation=f"采纳情况{XSS}")
        executing = factory.Trait(status=Status.EXECUTING, draft_text=f"决策草案正文{XSS}",
                                  decided_on=date(2026, 7, 1), party_reported_on=date(2026, 7, 2),
                                  published_on=date(2026, 7, 5), public_text=f"决策公布文本{XSS}",
                                  execution_started_on=date(2026, 7, 10))


class LegalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalReview

    decision = factory.SubFactory(DecisionFactory)
    submitted_on = date(2026, 6, 1)
    due = date(2026, 6, 10)
    due_rule = "MDEC-09 7个工作日"
    opinion = LegalOpinion.LAWFUL
    text = "经审查，合法。"
    decided_on = date(2026, 6, 9)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    decision = factory.SubFactory(DecisionFactory, status=Status.PARTICIPATION, draft_text=f"草案{XSS}")
    draft_text = f"征求意见稿{XSS}"
    explanation = f"起草说明{XSS}"
    start_on = date(2026, 5, 1)
    end_on = date(2026, 5, 31)
    min_end_on = date(2026, 5, 31)
    min_rule = "MDEC-04 30个自然日"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    consultation = factory.SubFactory(ConsultationFactory)
    content = f"意见内容{XSS}"
    name = "张三丰"
    contact = "13812345678"
    submitted_at = factory.LazyFunction(timezone.now)


class PoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertPool
        django_get_or_create = ("unit", "kind")

    unit = factory.SubFactory(UnitFactory, kind=UnitKind.GOVERNMENT)
    kind = PoolKind.DECISION
    name = factory.LazyAttribute(lambda o: f"{o.unit.name}{PoolKind(o.kind).label}")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    pool = factory.SubFactory(PoolFactory)
    name = factory.Sequence(lambda n: f"专家{n}")
    fields = factory.LazyFunction(lambda: ["城市规划"])
    affiliation = "某大学"
    title = "教授"
    phone = "13900001111"

    @factory.post_generation
    def conflicts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.conflict_units.set(extracted)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    decision = factory.SubFactory(DecisionFactory, status=Status.RISK_ASSESSMENT, draft_text="草案")
    assessor = "区委政法委"
    assessed_on = date(2026, 6, 1)
    level = RiskLevel.LOW
    risk_points = "风险点"
    measures = "措施"
    contingency_plan = "预案"
