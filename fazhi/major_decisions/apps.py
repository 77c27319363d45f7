from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, PortalSection, ReportFact, deferred
from fazhi.core.stored_files import field_files

CLERK, HEAD, REVIEWER, ASSESSOR = "clerk", "head", "reviewer", "assessor"


# Who may do what (org.access scopes each role to a unit and, with
# include_subunits, the units below it). Sponsor steps are checked against
# the 承办单位 (Decision.sponsor_unit), the others against the deciding
# government (Decision.unit / Catalogue.unit).
PERMISSIONS = (
    Permission("major_decisions.view", "查看重大行政决策", (CLERK, HEAD, REVIEWER, ASSESSOR)),
    # 政府办公室经办人/负责人: catalogue (MDEC-02), publication of completion, post-evaluation (MDEC-15).
    Permission("major_decisions.manage_catalogue", "编制、公布决策目录，组织决策后评估", (CLERK, HEAD)),
    # 承办单位: launch, draft, consultation, expert review, risk assessment, submissions, execution (MDEC-03..09, 15).
    Permission("major_decisions.sponsor", "承办重大行政决策", (CLERK, HEAD)),
    # 法制审核机构: legality review (MDEC-08/09).
    Permission("major_decisions.legal_review", "重大行政决策合法性审查", (REVIEWER,)),
    # 政府负责人: approve the catalogue, collective decision, publication, adjustment/stop (MDEC-02, 11..16).
    Permission("major_decisions.decide", "集体讨论决定、公布、调整停止决策", (HEAD,)),
    # 专家库 management (MDEC-06).
    Permission("major_decisions.manage_experts", "管理决策咨询专家库", (CLERK, HEAD, REVIEWER)),
)

MANIFEST = Manifest(
    label="major_decisions",
    title="重大行政决策",
    menu=(
        MenuItem("决策事项", "major_decisions:decision_list", "major_decisions.view"),
        MenuItem("决策目录", "major_decisions:catalogue_list", "major_decisions.view"),
        MenuItem("专家库", "major_decisions:expert_list", "major_decisions.view"),
        MenuItem("决策责任查询", "major_decisions:person_history", "major_decisions.view"),
    ),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.major_decisions.selectors.dashboard_items"),),
    report_facts=(ReportFact("major_decisions", deferred("fazhi.major_decisions.report_facts.year_facts")),),
    portal_sections=(
        PortalSection(
            "major-decisions", "重大行政决策目录",
            "年度重大行政决策事项目录及其调整、完成情况，决策草案公开征求意见及决策结果。",
            latest=deferred("fazhi.major_decisions.selectors.portal_latest"),
        ),
    ),
    stored_files=(field_files("major_decisions.Attachment", "重大行政决策程序材料"),),
)


class MajorDecisionsConfig(AppConfig):
    name = "fazhi.major_decisions"
    label = "major_decisions"
    verbose_name = "重大行政决策"

    def ready(self):
        from django.urls import reverse

        from fazhi.consultations import services as consultations
        from fazhi.core import privacy
        from fazhi.major_decisions import jobs, services
        from fazhi.major_decisions.models import Decision, PostEvaluation
        from fazhi.org import access

        jobs.register()
        # The shared consultation services find this module's rules (and the privacy check its permission).
        consultations.register(services.CONSULTATION)
        privacy.register(
            Decision, texts=lambda d: {"公布文本": d.public_text or d.draft_text,
                                       "意见采纳情况说明": d.adoption_explanation},
            can_decide=lambda user, d: access.allowed(user, "major_decisions.decide", d.unit),
            page=lambda d: reverse("major_decisions:decision_detail", args=[d.pk]), title=lambda d: d.title,
            queryset=lambda: Decision.objects.select_related("unit"))
        privacy.register(
            PostEvaluation, texts=lambda ev: {"评估报告": ev.report},
            can_decide=lambda user, ev: access.allowed(user, "major_decisions.manage_catalogue", ev.decision.unit),
            page=lambda ev: reverse("major_decisions:decision_detail", args=[ev.decision_id]),
            title=lambda ev: f"{ev.decision.title} 决策后评估",
            queryset=lambda: PostEvaluation.objects.select_related("decision__unit"))
