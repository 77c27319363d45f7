from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, PortalSection, ReportFact, deferred

CLERK, HEAD, REVIEWER, ASSESSOR = "clerk", "head", "reviewer", "assessor"


# Who may do what (scoped by org.access: a role held over a unit and, with
# include_subunits, the units below it). Checked against the drafting unit
# (NormDoc.unit) except signing and repeal, checked against the issuer.
PERMISSIONS = (
    Permission("normative_docs.view", "查看规范性文件", (CLERK, HEAD, REVIEWER, ASSESSOR)),
    # 起草单位经办人: drafting, versions, consultation and answers, submissions, meeting records.
    Permission("normative_docs.draft", "起草规范性文件", (CLERK, HEAD)),
    # 制定机关负责人: signing (签发) and repeal (废止).
    Permission("normative_docs.sign", "签发、废止规范性文件", (HEAD,)),
    # 法制机构: legality review (NDOC-07) and unified registration, numbering and publication (NDOC-10).
    Permission("normative_docs.legal_review", "合法性审核", (REVIEWER,)),
    Permission("normative_docs.register", "统一登记、编号、公布", (REVIEWER,)),
    # 报备 by the maker (NDOC-12).
    Permission("normative_docs.file", "报备规范性文件", (CLERK, HEAD)),
    # 备案审查 by the legal office of the higher level (NDOC-15/19) and answering review proposals (NDOC-16).
    Permission("normative_docs.filing_review", "备案审查、答复审查建议", (REVIEWER,)),
    # 清理 (NDOC-18), organised by the legal office.
    Permission("normative_docs.cleanup", "组织清理规范性文件", (REVIEWER,)),
)

MANIFEST = Manifest(
    label="normative_docs",
    title="行政规范性文件",
    menu=(
        MenuItem("规范性文件", "normative_docs:list", "normative_docs.view"),
        MenuItem("清理活动", "normative_docs:cleanup_list", "normative_docs.cleanup"),
        MenuItem("审查建议", "normative_docs:proposal_list", "normative_docs.filing_review"),
        MenuItem("机关代字", "normative_docs:issuer_codes", "normative_docs.register"),
    ),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.normative_docs.selectors.dashboard_items"),),
    report_facts=(ReportFact("normative_docs", deferred("fazhi.normative_docs.report_facts.year_facts")),),
    portal_sections=(
        PortalSection(
            "normative-docs", "规范性文件库",
            "本级政府及其部门依法制定并统一登记、编号、公布的行政规范性文件，含有效性状态。",
            latest=deferred("fazhi.normative_docs.selectors.portal_latest"),
        ),
    ),
)


class NormativeDocsConfig(AppConfig):
    name = "fazhi.normative_docs"
    label = "normative_docs"
    verbose_name = "行政规范性文件"

    def ready(self):
        from django.urls import reverse

        from fazhi.consultations import services as consultations
        from fazhi.core import privacy
        from fazhi.normative_docs import jobs, services
        from fazhi.normative_docs.models import NormDoc
        from fazhi.org import access

        jobs.register()
        # The shared consultation services find this module's rules (and the privacy check its permission).
        consultations.register(services.CONSULTATION)
        privacy.register(
            NormDoc, texts=services.publication_texts,
            can_decide=lambda user, d: access.allowed(user, "normative_docs.register", d.unit),
            page=lambda d: reverse("normative_docs:detail", args=[d.pk]), title=lambda d: d.title,
            queryset=lambda: NormDoc.objects.select_related("unit", "current_version"))
