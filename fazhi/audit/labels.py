"""Chinese labels for action codes ``<app>.<object>.<verb>``.

Every action code the services write has its label in ``ACTION_LABELS``
(``tests/test_action_labels.py`` collects them from the source and checks).
For any other code the label is built from the verb (``VERB_LABELS``) and
the object model's verbose name, e.g. ``org.unit.deleted`` -> 删除单位.
Unknown codes show the code alone.

Pages show the label with the code in a tooltip; exports and the API keep
the code (``display_action``).
"""

from functools import cache

from django.apps import apps
from django.utils.html import format_html

ACTION_LABELS: dict[str, str] = {
    # org
    "org.unit.created": "新增单位",
    "org.unit.updated": "修改单位信息",
    "org.unit.deactivated": "停用单位",
    "org.person.created": "新增人员",
    "org.person.updated": "修改人员信息",
    "org.person.deactivated": "人员离岗停用",
    "org.person.moved": "人员调动",
    "org.person.password_reset": "重置密码",
    "org.role.granted": "授予角色",
    "org.role.revoked": "撤销角色",
    # accounts
    "accounts.password.changed": "修改密码",
    "accounts.password.set_by_link": "通过链接设置密码",
    "accounts.lockout.reset": "解除登录锁定",
    "accounts.sessions.ended": "退出全部登录",
    "accounts.token.issued": "签发接口令牌",
    "accounts.token.revoked": "吊销接口令牌",
    "accounts.token.revoked_all": "吊销全部接口令牌",
    # core, workdays
    "core.personal_data.decided": "确认公开内容中的个人信息",
    "core.local_rule.set": "在管理界面设置地方规则",
    "core.local_rule.reset": "地方规则恢复默认",
    "workdays.calendar.imported": "导入节假日安排",
    "workdays.day.corrected": "更正节假日安排",
    "workdays.deadline.recomputed": "按新节假日安排重算期限",
    "workdays.deadline.confirmed": "确认期限不变",
    "workdays.deadline.flagged": "期限已届满，待人工处理",
    "workdays.deadline.kept": "保留原期限",
    "workdays.deadline.applied": "采用重算后的期限",
    "workdays.deadline.acknowledged": "知悉期限变化",
    "workdays.deadlines.recomputed": "批量重算期限",
    # normative_docs
    "normative_docs.doc.created": "起草规范性文件",
    "normative_docs.doc.updated": "修改文件信息",
    "normative_docs.doc.imported": "导入历史文件",
    "normative_docs.version.created": "保存正文新版本",
    "normative_docs.consultation.started": "公开征求意见",
    "normative_docs.consultation.closed": "征求意见截止",
    "normative_docs.consultation.summary_published": "公布意见采纳情况",
    "normative_docs.comment.submitted": "收到公众意见",
    "normative_docs.comment.answered": "答复公众意见",
    "normative_docs.doc.fair_review_submitted": "送公平竞争审查",
    "normative_docs.fair_review.recorded": "记录公平竞争审查结论",
    "normative_docs.legal_review.submitted": "送合法性审核",
    "normative_docs.legal_review.decided": "作出合法性审核意见",
    "normative_docs.discussion.recorded": "记录集体审议",
    "normative_docs.doc.signed": "主要负责人签发",
    "normative_docs.doc.registered": "统一登记、编号",
    "normative_docs.doc.published": "公布文件",
    "normative_docs.filing.filed": "报送备案",
    "normative_docs.filing.refiled": "补正后重新报送备案",
    "normative_docs.filing.returned": "备案材料退回补正",
    "normative_docs.filing.accepted": "备案登记",
    "normative_docs.filing_review.decided": "作出备案审查结论",
    "normative_docs.correction.reported": "报告纠错处理情况",
    "normative_docs.doc.amendment_started": "启动修改",
    "normative_docs.doc.amended": "修改后重新公布",
    "normative_docs.doc.renewed": "有效期届满评估后继续施行",
    "normative_docs.doc.repealed": "废止文件",
    "normative_docs.doc.expired": "文件失效",
    "normative_docs.doc.abandoned": "终止制定程序",
    "normative_docs.cleanup.started": "启动文件清理",
    "normative_docs.cleanup.docs_added": "将文件纳入清理",
    "normative_docs.cleanup.decided": "作出清理结论",
    "normative_docs.cleanup.published": "公布清理结果",
    "normative_docs.proposal.submitted": "收到审查建议",
    "normative_docs.proposal.replied": "答复审查建议",
    "normative_docs.issuer_code.set": "设置机关代字",
    # major_decisions
    "major_decisions.catalogue.created": "编制决策事项目录",
    "major_decisions.catalogue.approved": "批准决策事项目录",
    "major_decisions.catalogue.published": "公布决策事项目录",
    "major_decisions.catalogue.adjusted": "调整决策事项目录",
    "major_decisions.catalogue.entries_imported": "导入目录事项",
    "major_decisions.catalogue.completion_published": "公布目录完成情况",
    "major_decisions.entry.added": "目录新增事项",
    "major_decisions.entry.updated": "修改目录事项",
    "major_decisions.entry.deleted": "删除目录事项",
    "major_decisions.entry.completion_set": "登记事项完成情况",
    "major_decisions.decision.launched": "启动决策程序",
    "major_decisions.decision.drafting_started": "开始拟订草案",
    "major_decisions.decision.draft_saved": "保存决策草案",
    "major_decisions.consultation.started": "公开征求意见",
    "major_decisions.consultation.closed": "征求意见截止",
    "major_decisions.consultation.summary_published": "公布意见采纳情况",
    "major_decisions.comment.submitted": "收到公众意见",
    "major_decisions.comment.answered": "答复公众意见",
    "major_decisions.decision.expert_review_started": "开展专家论证",
    "major_decisions.pool.created": "建立专家库",
    "major_decisions.expert.added": "专家入库",
    "major_decisions.expert.updated": "修改专家信息",
    "major_decisions.expert_draw.committed": "专家抽取：公开种子承诺值",
    "major_decisions.expert_draw.revealed": "专家抽取：揭示种子并抽取",
    "major_decisions.expert_review.selected": "确定论证专家",
    "major_decisions.expert_review.redrawn": "重新抽取论证专家",
    "major_decisions.expert_opinion.signed": "专家签署论证意见",
    "major_decisions.expert_review.completed": "专家论证完成",
    "major_decisions.decision.risk_assessment_started": "开展风险评估",
    "major_decisions.risk.assessed": "记录风险评估结论",
    "major_decisions.risk.mitigated": "登记风险防范措施",
    "major_decisions.legal_review.submitted": "送合法性审查",
    "major_decisions.legal_review.decided": "作出合法性审查意见",
    "major_decisions.discussion.recorded": "记录集体讨论决定",
    "major_decisions.decision.published": "公布决策",
    "major_decisions.decision.execution_started": "组织实施",
    "major_decisions.execution.reported": "报告执行情况",
    "major_decisions.post_evaluation.started": "启动决策后评估",
    "major_decisions.post_evaluation.finished": "完成决策后评估",
    "major_decisions.post_evaluation.published": "公布决策后评估报告",
    "major_decisions.decision.adjusted": "调整决策",
    "major_decisions.decision.stopped": "停止执行决策",
    "major_decisions.decision.abandoned": "终止决策程序",
    "major_decisions.attachment.added": "上传附件材料",
    # enforcement
    "enforcement.officer.registered": "登记执法人员",
    "enforcement.officer.updated": "修改执法人员信息",
    "enforcement.certificate.issued": "登记执法证件",
    "enforcement.certificate.status_changed": "变更执法证件状态",
    "enforcement.certificate.annual_check": "执法证件年度审验",
    "enforcement.code.set": "设置机关代字",
    "enforcement.violation_type.created": "新增违法行为",
    "enforcement.violation_type.updated": "修改违法行为",
    "enforcement.benchmark.set": "设置裁量基准",
    "enforcement.case.created": "登记案件",
    "enforcement.case.updated": "修改案件信息",
    "enforcement.case.officers_assigned": "指派承办人员",
    "enforcement.case.filed": "批准立案",
    "enforcement.case.filing_rejected": "不予立案",
    "enforcement.evidence.attached": "上传证据、记录",
    "enforcement.case.notified": "送达事先告知书",
    "enforcement.case.statement_recorded": "记录陈述申辩",
    "enforcement.case.rights_waived": "当事人放弃陈述申辩和听证",
    "enforcement.case.hearing_requested": "当事人申请听证",
    "enforcement.case.hearing_scheduled": "通知听证时间、地点",
    "enforcement.case.hearing_held": "举行听证",
    "enforcement.case.legal_review_submitted": "提交法制审核",
    "enforcement.case.legal_reviewed": "作出法制审核意见",
    "enforcement.case.discussion_submitted": "提请集体讨论",
    "enforcement.case.discussion_recorded": "记录集体讨论",
    "enforcement.case.extension_requested": "申请延长办案期限",
    "enforcement.case.deadline_extended": "批准延长办案期限",
    "enforcement.case.clock_stopped": "登记不计入办案期限的期间",
    "enforcement.case.clock_resumed": "恢复计算办案期限",
    "enforcement.case.decided": "作出处罚决定",
    "enforcement.case.summary_decided": "当场作出处罚决定",
    "enforcement.case.decision_changed": "变更、撤销处罚决定",
    "enforcement.case.served": "送达处罚决定书",
    "enforcement.case.payment_recorded": "登记缴款",
    "enforcement.case.executed": "执行完毕",
    "enforcement.case.closed": "结案",
    "enforcement.case.archived": "归档",
    "enforcement.case.terminated": "撤销立案、终止调查",
    "enforcement.case.transferred": "移送公安机关",
    "enforcement.case.transfer_declined": "公安机关不予立案，恢复办理",
    "enforcement.case.terminated_by_transfer": "公安机关已立案，行政案件终止",
    "enforcement.case.transfer_outcome": "登记移送处理结果",
    "enforcement.transfer.created": "移送公安机关",
    "enforcement.transfer.replied": "登记公安机关回复",
    "enforcement.transfer.outcome": "登记移送处理结果",
    "enforcement.publication.published": "公示处罚决定",
    "enforcement.publication.withdrawn": "撤回公示",
    "enforcement.publication.taken_down": "公示期满撤下",
    # inspections
    "inspections.item.created": "新增抽查事项",
    "inspections.item.updated": "修改抽查事项",
    "inspections.item.revised": "抽查事项修订为新版本",
    "inspections.item.published": "公布抽查事项",
    "inspections.item.retired": "停用抽查事项",
    "inspections.entity.created": "新增检查对象",
    "inspections.entity.updated": "修改检查对象",
    "inspections.import.created": "上传检查对象名录",
    "inspections.import.started": "开始导入检查对象名录",
    "inspections.import.succeeded": "检查对象名录导入完成",
    "inspections.import.failed": "检查对象名录导入失败",
    "inspections.import.interrupted": "检查对象名录导入中断",
    "inspections.inspector.added": "检查人员入库",
    "inspections.inspector.updated": "修改检查人员信息",
    "inspections.absence.added": "登记检查人员不可用时段",
    "inspections.absence.removed": "删除检查人员不可用时段",
    "inspections.recusal.added": "登记回避关系",
    "inspections.recusal.removed": "删除回避关系",
    "inspections.plan.created": "编制抽查计划",
    "inspections.plan.updated": "修改抽查计划",
    "inspections.plan.approved": "批准抽查计划",
    "inspections.task.created": "新增抽查任务",
    "inspections.task.updated": "修改抽查任务",
    "inspections.task.closed": "抽查任务完成",
    "inspections.witness.added": "登记监督人",
    "inspections.witness.removed": "删除监督人",
    "inspections.witness.committed": "监督人提交承诺值",
    "inspections.witness.revealed": "监督人揭示秘密值",
    "inspections.draw.committed": "冻结名录并公开种子承诺值",
    "inspections.draw.revealed": "揭示种子并随机抽取",
    "inspections.draw.published": "公布抽取结果",
    "inspections.inspection.created": "登记检查",
    "inspections.inspection.result_recorded": "录入检查结果",
    "inspections.inspection.published": "公示检查结果",
    "inspections.inspection.handed_over": "发现问题移交执法",
    "inspections.attachment.added": "上传检查笔录等材料",
    # training
    "training.session.created": "登记学法培训",
    "training.session.updated": "修改学法培训",
    "training.session.completed": "确认培训已举办",
    "training.attendance.recorded": "登记培训考勤",
    "training.attendance.removed": "删除培训考勤",
    "training.exam.created": "登记学法考试",
    "training.exam.scores_recorded": "登记考试成绩",
    # ledger
    "ledger.plan.imported": "导入实施方案",
    "ledger.plan.activated": "启用实施方案",
    "ledger.task.created": "新增分解任务",
    "ledger.measure.assigned": "分派工作措施",
    "ledger.report.submitted": "报送落实情况",
    "ledger.report.returned": "退回落实情况",
    "ledger.report.confirmed": "确认落实情况",
    "ledger.reminders.logged": "发送催办提醒",
    "ledger.supervision.created": "发出督办",
    "ledger.supervision.responded": "回复督办",
    "ledger.supervision.closed": "督办办结",
    # assessment
    "assessment.weights.set": "设置考核指标权重",
    "assessment.weights.defaulted": "恢复默认指标权重",
    "assessment.settlement.created": "年度考核结果定稿",
    # annual_report
    "annual_report.report.generated": "生成年度报告初稿",
    "annual_report.report.regenerated": "重新生成年度报告初稿",
    "annual_report.section.edited": "修改报告章节",
    "annual_report.report.reviewed": "审核通过年度报告",
    "annual_report.report.returned": "退回修改年度报告",
    "annual_report.report.submitted": "报送年度报告",
    "annual_report.report.published": "公开年度报告",
}

VERB_LABELS: dict[str, str] = {
    "created": "创建",
    "updated": "修改",
    "changed": "修改",
    "deleted": "删除",
    "removed": "移除",
    "moved": "调整",
    "activated": "启用",
    "deactivated": "停用",
    "submitted": "提交",
    "reviewed": "审查",
    "approved": "批准",
    "rejected": "退回",
    "returned": "退回",
    "signed": "签发",
    "published": "公布",
    "filed": "报备",
    "registered": "登记",
    "numbered": "编号",
    "discussed": "集体讨论",
    "repealed": "废止",
    "amended": "修改",
    "expired": "失效",
    "closed": "结案",
    "assigned": "分派",
    "granted": "授予",
    "revoked": "撤销",
    "imported": "导入",
    "exported": "导出",
    "drawn": "抽取",
    "completed": "完成",
    "cancelled": "取消",
    "reopened": "重新打开",
}


@cache
def _model_name(app_label: str, model: str) -> str | None:
    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name)
    except (LookupError, ValueError):
        return None


def action_label(code: str) -> str:
    """The Chinese label of an action code, or "" if none is known."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    parts = code.split(".")
    if len(parts) < 3:
        return ""
    verb = VERB_LABELS.get(parts[-1])
    if verb is None:
        return ""
    name = _model_name(parts[0], parts[1])
    return f"{verb}{name}" if name else verb


# Object types of entries written before their model moved (the chain cannot
# be rewritten): the consultations of normative documents and major decisions
# now live in fazhi.consultations, where ``legacy_ref`` names the old record.
MOVED_OBJECT_TYPES = {
    "normative_docs.consultation": "公开征求意见",
    "normative_docs.comment": "公众意见",
    "major_decisions.consultation": "公开征求意见",
    "major_decisions.comment": "公众意见",
}


def object_type_label(object_type: str) -> str:
    app_label, _, model = object_type.partition(".")
    return (_model_name(app_label, model) if model else None) or MOVED_OBJECT_TYPES.get(object_type) or object_type


class ActionDisplay(str):
    """An action as people read it: "作出处罚决定（enforcement.case.decided）" in
    exports, and on a page the label alone with the code as a tooltip
    (``__html__``). ``str()`` keeps it."""

    label: str
    code: str

    def __new__(cls, code: str):
        label = action_label(code)
        obj = super().__new__(cls, f"{label}（{code}）" if label else code)
        obj.label, obj.code = label, code
        return obj

    def __str__(self):
        return self

    def __reduce__(self):
        return (ActionDisplay, (self.code,))

    def __html__(self) -> str:
        if not self.label:
            return format_html("{}", self.code)
        return format_html('<span class="action" title="{}">{}</span>', self.code, self.label)
