"""全过程归档: the whole file of one decision, in the order the law lays down.

MDEC-14: the whole decision procedure is recorded and archived promptly and
completely. ``build_dossier_docx`` writes one .docx with a cover page and
one chapter per step, in the legal order of 重大行政决策程序暂行条例
(arts. 10–38): catalogue entry (MDEC-02), launch (MDEC-03), draft, public
participation (MDEC-04), expert review (MDEC-06), risk assessment (MDEC-07),
legality review (MDEC-08/09), collective discussion (MDEC-10/11), the
decision (MDEC-12), publication (MDEC-13), execution and post-evaluation
(MDEC-15), adjustment/stop (MDEC-16) and the responsible persons (MDEC-17).

A step the catalogue entry does not require still has its chapter, saying
so, so the file shows that the step was considered rather than forgotten;
a step not reached yet says "尚未进行".

Each chapter ends with the list of the files attached to its step
(``Attachment``: name, file, size, SHA-256); files filed under 其他 are
listed after the last chapter.

``build_dossier_zip`` packs the .docx, the decision's audit trail (CSV,
with each entry's chain hash), every attachment under a folder per step
(``附件/05-合法性审查/<id>-<原文件名>``) and a ``manifest.json`` giving the
SHA-256 of every file, so a receiving archive can check the package is
complete. An attachment whose stored bytes no longer match the SHA-256
recorded at upload is still packed, and flagged ``"intact": false``.

Nothing here reads the clock except the cover's "归档生成时间".
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

from django.utils import timezone

from fazhi.core.spreadsheets import csv_bytes
from fazhi.core.text import clean
from fazhi.major_decisions.models import (
    STEP_ORDER,
    Attachment,
    AttachmentStep,
    Consultation,
    Decision,
    Step,
)

# Chapter headings, in order. Tests check the .docx against this list.
SECTIONS: list[tuple[str, str]] = [
    ("catalogue", "一、决策事项目录"),
    ("launch", "二、决策启动"),
    ("draft", "三、决策草案拟订"),
    ("participation", "四、公众参与"),
    ("expert_review", "五、专家论证"),
    ("risk_assessment", "六、风险评估"),
    ("legal_review", "七、合法性审查"),
    ("discussion", "八、集体讨论"),
    ("decision", "九、决定"),
    ("publication", "十、决策公布"),
    ("execution", "十一、决策执行"),
    ("post_evaluation", "十二、决策后评估"),
    ("change", "十三、决策调整和停止执行"),
    ("responsibility", "十四、决策责任人名单"),
]
HEADINGS = [h for _, h in SECTIONS]

BODY_FONT, TITLE_FONT = "仿宋", "宋体"
NOT_YET = "尚未进行。"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _d(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def _yes(value: bool) -> str:
    return "是" if value else "否"


class _Writer:
    """A thin layer over python-docx: East-Asian fonts set so Word shows them."""

    def __init__(self):
        import docx
        from docx.shared import Mm, Pt

        self.Pt = Pt
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(30), Mm(28)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        self._font(self.doc.styles["Normal"], BODY_FONT, 12)
        for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13)):
            self._font(self.doc.styles[name], TITLE_FONT if name == "Title" else "黑体", size)

    @staticmethod
    def _east_asian(element, name: str) -> None:
        from docx.oxml.ns import qn

        rpr = element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), name)

    def _font(self, style, name: str, size: int) -> None:
        style.font.name = name
        style.font.size = self.Pt(size)
        self._east_asian(style.element, name)

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(clean(text), style="Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def center(self, text: str, *, bold: bool = False, size: int | None = None) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(clean(text))
        run.bold = bold
        if size:
            run.font.size = self.Pt(size)

    def h1(self, text: str) -> None:
        self.doc.add_heading(clean(text), level=1)

    def h2(self, text: str) -> None:
        self.doc.add_heading(clean(text), level=2)

    def para(self, text: str) -> None:
        for line in (text or "").splitlines() or [""]:
            self.doc.add_paragraph(clean(line))

    def kv(self, rows: list[tuple[str, str]]) -> None:
        rows = [(k, v) for k, v in rows if v not in (None,)]
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in rows:
            cells = table.add_row().cells
            cells[0].text = clean(key)
            cells[1].text = clean(str(value)) if value != "" else "—"
            cells[0].paragraphs[0].runs[0].bold = True
        self.doc.add_paragraph()

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = clean(text)
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=False):
                cell.text = clean(str(text or ""))
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_page_break()

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _load(decision: Decision) -> Decision:
    """The decision with every record of its file, in few queries."""
    return (Decision.objects
            .select_related("unit", "sponsor_unit", "execution_unit", "entry", "entry__catalogue",
                            "entry__sponsor_unit", "entry__catalogue__unit")
            .prefetch_related("entry__adjustments", "consultations__comments", "expert_reviews__opinions",
                              "expert_reviews__pool", "expert_reviews__draws", "risk_assessments__experts",
                              "legal_reviews", "discussions__votes", "discussions__head",
                              "execution_reports__reporting_unit", "post_evaluations", "changes",
                              "responsibilities", "attachments")
            .get(pk=decision.pk))


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}MB"
    return f"{max(1, round(n / 1024))}KB"


def _attachments_of(d: Decision, step: str) -> list[Attachment]:
    return sorted((a for a in d.attachments.all() if a.step == step), key=lambda a: (a.uploaded_at, a.pk))


def _attachment_list(w: _Writer, d: Decision, step: str, heading: str = "本环节附件") -> None:
    items = _attachments_of(d, step)
    if not items:
        return
    w.h2(f"{heading}（{len(items)}件，见归档包“{attachment_folder(step)}”）")
    w.table(["序号", "材料名称", "文件", "大小", "上传人", "上传时间", "SHA-256"], [
        [str(i), a.title, a.original_name, _size(a.size), a.uploaded_by_name,
         timezone.localtime(a.uploaded_at).strftime("%Y-%m-%d %H:%M"), a.sha256]
        for i, a in enumerate(items, 1)])


def _not_required(w: _Writer, what: str, rule: str) -> None:
    w.para(f"本事项列入目录时确定不需{what}（{rule}）。")


# ------------------------------------------------------------------ sections

def _cover(w: _Writer, d: Decision, now) -> None:
    w.center(d.unit.name, size=16)
    w.doc.add_paragraph()
    w.title("重大行政决策全过程档案")
    w.center(d.title, bold=True, size=18)
    w.doc.add_paragraph()
    w.kv([
        ("决策机关", d.unit.name),
        ("承办单位", d.sponsor_unit.name),
        ("目录年度", f"{d.entry.catalogue.year}年（第{d.entry.seq}项）"),
        ("事项类别", d.get_category_display()),
        ("程序状态", d.get_status_display()),
        ("文号", d.decision_no or "—"),
        ("启动日期", _d(d.launched_on)),
        ("决定日期", _d(d.decided_on)),
        ("公布日期", _d(d.published_on)),
        ("归档生成时间", timezone.localtime(now).strftime("%Y-%m-%d %H:%M")),
    ])
    w.para("依据《重大行政决策程序暂行条例》第三十三条，决策全过程记录、材料按程序顺序归档（MDEC-14）。")
    w.h2("目录")
    for _, heading in SECTIONS:
        w.para(heading)
    w.page_break()


def _show(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def _change_text(key: str, value) -> str:
    """One change of a catalogue adjustment: 中文字段名：原值→新值."""
    from fazhi.major_decisions.models import CatalogueEntry

    if key in ("added", "removed"):
        return f"{'增加' if key == 'added' else '调出'}：{value}"
    try:
        label = str(CatalogueEntry._meta.get_field(key).verbose_name)
    except Exception:  # a field renamed since: the stored key
        label = key
    if isinstance(value, list) and len(value) == 2:
        return f"{label}：{_show(value[0])}→{_show(value[1])}"
    return f"{label}：{_show(value)}"


def _catalogue(w: _Writer, d: Decision) -> None:
    e, c = d.entry, d.entry.catalogue
    w.kv([
        ("所属目录", c.title),
        ("目录公布日期", _d(c.published_on)),
        ("党委同意情况", " ".join(x for x in (_d(c.party_consent_on) if c.party_consent_on else "",
                                         c.party_consent_note) if x) or "—"),
        ("序号", str(e.seq)),
        ("事项名称", e.title),
        ("事项类别", e.get_category_display()),
        ("承办单位", e.sponsor_unit.name),
        ("法律政策依据", e.basis),
        ("事项概述", e.description),
        ("应履行程序", "、".join(e.required_steps())),
        ("计划完成时间", _d(e.planned_completion)),
        ("年度完成情况", e.get_completion_display() + (f"（{e.completion_note}）" if e.completion_note else "")),
    ])
    adjustments = sorted(e.adjustments.all(), key=lambda a: (a.adjusted_on, a.pk))
    if adjustments:
        w.h2("目录调整记录")
        w.table(["调整日期", "调整类型", "调整内容", "理由"], [
            [_d(a.adjusted_on), a.get_kind_display(),
             "；".join(_change_text(k, v) for k, v in (a.changes or {}).items()), a.reason] for a in adjustments])


def _launch(w: _Writer, d: Decision) -> None:
    required = "、".join(Step(s).label for s in d.required_steps())
    w.kv([
        ("启动日期", _d(d.launched_on)),
        ("承办单位", d.sponsor_unit.name),
        ("应履行程序", required),
        ("涉及市场主体经济活动", _yes(d.touches_market)),
    ])
    w.h2("决策启动说明")
    w.para(d.launch_note or "—")


def _draft(w: _Writer, d: Decision) -> None:
    if not d.draft_text:
        w.para(NOT_YET)
        return
    w.kv([("草案修改日期", _d(d.draft_updated_on))])
    w.h2("起草说明")
    w.para(d.draft_explanation or "—")
    w.h2("决策草案")
    w.para(d.draft_text)


def _participation(w: _Writer, d: Decision) -> None:
    if not d.needs_participation:
        _not_required(w, "公众参与", "MDEC-04")
        reason = d.entry.no_participation_reason
        if reason:
            w.para(f"理由：{reason}")
        return
    consultations = sorted(d.consultations.all(), key=lambda c: (c.start_on, c.pk))
    if not consultations:
        w.para(NOT_YET)
        return
    for n, c in enumerate(consultations, 1):
        w.h2(f"（{n}）征求意见公告 {_d(c.start_on)}至{_d(c.end_on)}")
        w.kv([
            ("征求意见期间", f"{_d(c.start_on)}至{_d(c.end_on)}"),
            ("法定最短期限", f"至{_d(c.min_end_on)}（{c.min_rule}{'，暂定' if c.min_provisional else ''}）"),
            ("缩短期限理由", c.exception_reason or "—"),
            ("意见提交方式", c.how_to_comment or "—"),
            ("状态", c.get_state_display()),
            ("结束日期", _d(c.closed_on)),
        ])
        if c.explanation:
            w.h2("起草说明")
            w.para(c.explanation)
        w.h2("征求意见稿")
        w.para(c.draft_text)
        comments = list(c.comments.all())
        w.h2(f"公众意见及采纳情况（共{len(comments)}条）")
        if comments:
            w.table(["序号", "意见内容", "提出人", "提交时间", "采纳情况", "理由"], [
                [str(i), x.content, x.name or "匿名", timezone.localtime(x.submitted_at).strftime("%Y-%m-%d %H:%M"),
                 x.get_adoption_display() or "未答复", x.reason]
                for i, x in enumerate(comments, 1)])
        else:
            w.para("征求意见期间未收到意见。")
        w.h2("意见采纳情况说明")
        if c.summary_published_on:
            w.para(f"{_d(c.summary_published_on)}公布：")
            w.para(c.summary)
        else:
            w.para("尚未公布。" if c.state == Consultation.State.CLOSED else "征求意见尚未结束。")


def _experts(w: _Writer, d: Decision) -> None:
    if not d.needs_expert_review:
        _not_required(w, "专家论证", "MDEC-06")
        return
    reviews = sorted(d.expert_reviews.all(), key=lambda r: (r.selected_on, r.pk))
    if not reviews:
        w.para(NOT_YET)
        return
    for n, r in enumerate(reviews, 1):
        w.h2(f"（{n}）专家论证（{r.field}）")
        rows = [
            ("专家库", r.pool.name),
            ("专业领域", r.field),
            ("选取方式", r.get_method_display()),
            ("选取日期", _d(r.selected_on)),
            ("论证日期", _d(r.held_on)),
            ("完成日期", _d(r.completed_on)),
        ]
        draws = sorted(r.draws.all(), key=lambda x: x.number)
        if r.method == "random" and draws:
            last = draws[-1]
            rows += [("承诺值", last.commitment), ("服务器种子", last.seed or "待揭示"),
                     ("最终种子", last.final_seed or "待揭示"), ("候选专家数", str(len(r.candidates or []))),
                     ("抽取人数", str(r.draw_count)),
                     ("重新抽取", "；".join(f"第{x.number}次：{x.reason}" for x in draws[1:]) or "无")]
        elif r.method == "random":
            rows += [("随机种子", r.seed), ("候选专家数", str(len(r.candidates or []))),
                     ("抽取人数", str(r.draw_count))]
        elif r.choice_reason:
            rows.append(("指定理由", r.choice_reason))
        if r.excluded:
            rows.append(("回避排除", "；".join(
                f"{x.get('name', x.get('id', ''))}：{x.get('reason', '')}" if isinstance(x, dict) else str(x)
                for x in r.excluded)))
        w.kv(rows)
        opinions = list(r.opinions.all())
        w.table(["专家", "工作单位", "职称/职务", "论证结论", "签署", "采纳情况"], [
            [o.expert_name, o.expert_affiliation, o.expert_title, o.get_stance_display() or "待提交",
             _d(o.signed_on) if o.signed else "未签署", o.handling] for o in opinions])
        for o in opinions:
            w.h2(f"{o.expert_name}书面论证意见")
            w.para(o.opinion or "尚未提交。")
            if o.signed:
                w.para(f"签名：{o.expert_name}　{_d(o.signed_on)}")
        if r.summary:
            w.h2("论证意见汇总及采纳情况")
            w.para(r.summary)


def _risk(w: _Writer, d: Decision) -> None:
    if not d.needs_risk_assessment:
        _not_required(w, "风险评估", "MDEC-07")
        return
    items = sorted(d.risk_assessments.all(), key=lambda r: (r.assessed_on, r.pk))
    if not items:
        w.para(NOT_YET)
        return
    for n, r in enumerate(items, 1):
        w.h2(f"（{n}）风险评估 {_d(r.assessed_on)}")
        w.kv([
            ("评估主体", r.assessor),
            ("参与评估专家", "、".join(e.name for e in r.experts.all()) or "—"),
            ("风险等级", r.get_level_display()),
            ("化解后风险等级", r.get_residual_level_display() or "—"),
            ("化解措施记录日期", _d(r.mitigated_on)),
        ])
        for label, text in (("风险点", r.risk_points), ("防范化解措施", r.measures),
                            ("应急处置预案", r.contingency_plan), ("评估报告", r.report),
                            ("风险化解/草案调整情况", r.mitigation)):
            if text:
                w.h2(label)
                w.para(text)


def _legal(w: _Writer, d: Decision) -> None:
    items = sorted(d.legal_reviews.all(), key=lambda r: (r.submitted_on, r.pk))
    if not items:
        w.para(NOT_YET)
        return
    for n, r in enumerate(items, 1):
        w.h2(f"（{n}）合法性审查 {_d(r.submitted_on)}送审")
        w.kv([
            ("送审日期", _d(r.submitted_on)),
            ("送审材料", "、".join(str(m) for m in (r.materials or [])) or "—"),
            ("审查期限（不早于）", f"{_d(r.due)}（{r.due_rule}{'，暂定' if r.due_provisional else ''}）"),
            ("审查人", r.reviewer_name or "—"),
            ("审查意见", r.get_opinion_display() or "审查中"),
            ("审查日期", _d(r.decided_on)),
        ])
        if r.procedures_account:
            w.h2("履行决策程序情况说明")
            w.para(r.procedures_account)
        w.h2("合法性审查意见书")
        w.para(r.text or "尚未出具。")


def _discussion(w: _Writer, d: Decision) -> None:
    items = sorted(d.discussions.all(), key=lambda x: (x.held_on, x.pk))
    if not items:
        w.para(NOT_YET)
        return
    for n, x in enumerate(items, 1):
        w.h2(f"（{n}）{x.meeting_name}（{_d(x.held_on)}）")
        w.kv([
            ("会议类型", x.get_meeting_type_display()),
            ("会议日期", _d(x.held_on)),
            ("提交审议材料", "、".join(str(m) for m in (x.package or [])) or "—"),
            ("行政首长决定", x.get_head_decision_display()),
            ("与多数意见不一致", _yes(x.against_majority)),
        ])
        votes = list(x.votes.all())
        w.h2("参会人员意见")
        if votes:
            w.table(["姓名", "职务", "意见", "发表意见"],
                    [[v.name, v.post, v.get_view_display(), v.remarks] for v in votes])
        else:
            w.para("—")
        if x.against_majority:
            w.h2("行政首长决定与多数意见不一致的理由")
            w.para(x.head_reasons)
        w.h2("会议纪要")
        w.para(x.minutes or "—")


def _decision(w: _Writer, d: Decision) -> None:
    if not d.decided_on:
        w.para(NOT_YET)
        return
    meeting = max((x for x in d.discussions.all() if x.head_decision != "reject"),
                  key=lambda x: (x.held_on, x.pk), default=None)
    w.kv([
        ("决定日期", _d(d.decided_on)),
        ("决定会议", f"{meeting.meeting_name}（{meeting.get_meeting_type_display()}）" if meeting else "—"),
        ("行政首长", meeting.head.name if meeting and meeting.head else "—"),
        ("行政首长决定", meeting.get_head_decision_display() if meeting else "—"),
        ("与多数意见不一致的理由", meeting.head_reasons if meeting and meeting.against_majority else "—"),
        ("向党委请示报告日期", _d(d.party_reported_on)),
        ("公平竞争审查情况", d.fair_competition_note or ("—" if not d.touches_market else "未说明")),
    ])


def _publication(w: _Writer, d: Decision) -> None:
    if not d.published_on:
        w.para(NOT_YET)
        return
    w.kv([("公布日期", _d(d.published_on)), ("文号", d.decision_no or "—")])
    w.h2("公布文本")
    w.para(d.public_text or "—")
    if d.adoption_explanation:
        w.h2("公众及专家意见采纳情况说明")
        w.para(d.adoption_explanation)


def _execution(w: _Writer, d: Decision) -> None:
    reports = sorted(d.execution_reports.all(), key=lambda r: (r.reported_on, r.pk))
    if not d.execution_started_on and not reports:
        w.para(NOT_YET)
        return
    w.kv([("执行单位", d.execution_unit.name if d.execution_unit else "—"),
          ("开始执行日期", _d(d.execution_started_on))])
    for r in reports:
        w.h2(f"执行情况报告（{_d(r.reported_on)}，{r.reporting_unit.name}）")
        w.para(r.content)
        if r.problems:
            w.para(f"存在问题及建议：{r.problems}")


def _post_evaluation(w: _Writer, d: Decision) -> None:
    items = sorted(d.post_evaluations.all(), key=lambda x: (x.started_on, x.pk))
    if not items:
        w.para("未启动决策后评估。" if d.published_on else NOT_YET)
        return
    for n, x in enumerate(items, 1):
        w.h2(f"（{n}）决策后评估 {_d(x.started_on)}启动")
        w.kv([
            ("评估主体", x.evaluator + ("（第三方）" if x.third_party else "")),
            ("启动日期", _d(x.started_on)),
            ("计划完成日期", _d(x.due_on)),
            ("完成日期", _d(x.finished_on)),
            ("评估结论", x.get_conclusion_display() or "评估中"),
        ])
        w.h2("启动评估原因")
        w.para(x.reason)
        if x.participants:
            w.h2("人大代表、政协委员等参与情况")
            w.para(x.participants)
        if x.report:
            w.h2("评估报告")
            w.para(x.report)


def _change(w: _Writer, d: Decision) -> None:
    items = sorted(d.changes.all(), key=lambda x: (x.decided_on, x.pk))
    if not items:
        w.para("未调整或停止执行。")
        return
    for x in items:
        w.h2(f"{x.get_kind_display()}（{_d(x.decided_on)}）")
        w.kv([("类型", x.get_kind_display()), ("决定日期", _d(x.decided_on)),
              ("紧急情况先行暂停", _yes(x.emergency))])
        w.para(f"理由：{x.reason}")
        if x.content:
            w.para(f"调整内容：{x.content}")


def _responsibility(w: _Writer, d: Decision) -> None:
    rows = sorted(d.responsibilities.all(), key=lambda r: (STEP_ORDER.get(r.step, 99), r.acted_on, r.pk))
    w.para("下列人员的姓名、职务和单位为参与决策时的记录，不因其后调动、离职或退休而改变（MDEC-17）。")
    if not rows:
        w.para("—")
        return
    w.table(["程序环节", "角色", "姓名", "时任职务", "时任单位", "日期", "不同意见", "说明"], [
        [r.get_step_display(), r.get_capacity_display(), r.name, r.post, r.unit_name, _d(r.acted_on),
         "是" if r.dissent else "", r.note] for r in rows])


WRITERS = {
    "catalogue": _catalogue, "launch": _launch, "draft": _draft, "participation": _participation,
    "expert_review": _experts, "risk_assessment": _risk, "legal_review": _legal, "discussion": _discussion,
    "decision": _decision, "publication": _publication, "execution": _execution,
    "post_evaluation": _post_evaluation, "change": _change, "responsibility": _responsibility,
}


_ATTACHMENT_STEPS = {s.value for s in AttachmentStep}


def build_dossier_docx(decision: Decision, *, now=None) -> bytes:
    """The whole file of ``decision`` as a .docx, steps in legal order (MDEC-14),
    each chapter listing the files attached to its step."""
    d = _load(decision)
    w = _Writer()
    _cover(w, d, now or timezone.now())
    for key, heading in SECTIONS:
        w.h1(heading)
        WRITERS[key](w, d)
        if key in _ATTACHMENT_STEPS:
            _attachment_list(w, d, key)
    _attachment_list(w, d, AttachmentStep.OTHER, "附：其他材料")
    return w.bytes()


def attachment_folder(step: str) -> str:
    """The zip folder of a step's attachments, numbered in legal order."""
    n = list(AttachmentStep.values).index(step) + 1
    return f"附件/{n:02d}-{AttachmentStep(step).label}"


def _safe(name: str) -> str:
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip(". ") or "file"


def _attachment_files(d: Decision) -> list[tuple[str, bytes, Attachment]]:
    order = {s: i for i, s in enumerate(AttachmentStep.values)}
    rows = []
    for a in sorted(d.attachments.all(), key=lambda a: (order.get(a.step, 99), a.uploaded_at, a.pk)):
        with a.file.open("rb") as fh:
            data = fh.read()
        rows.append((f"{attachment_folder(a.step)}/{a.pk}-{_safe(a.original_name)}", data, a))
    return rows


def dossier_name(decision: Decision) -> str:
    stem = f"{decision.title}-全过程档案"
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in stem)


def _audit_csv(decision: Decision) -> bytes:
    """The decision's audit trail, each entry with its chain hash (verifiable
    with ``manage.py audit_verify`` against the live chain)."""
    from fazhi.audit.labels import ActionDisplay
    from fazhi.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(object_type=f"{Decision._meta.app_label}.{Decision._meta.model_name}",
                                        object_id=str(decision.pk)).order_by("seq")
    # One CSV writer (UTF-8 with BOM for Excel; no cell read as a formula).
    return csv_bytes(["序号", "时间", "操作", "操作人", "职务", "单位", "对象", "内容", "哈希"], (
        [e.seq, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), str(ActionDisplay(e.action)), e.actor_name, e.actor_post,
         e.actor_unit, e.object_repr, json.dumps(e.data, ensure_ascii=False), e.hash] for e in entries))


def build_dossier_zip(decision: Decision, *, now=None) -> bytes:
    """A zip of the dossier .docx, the audit trail, every attachment (a folder
    per step) and ``manifest.json`` (file name, size and SHA-256 of every
    other file in the zip; the attachments also with their step, title and
    the SHA-256 recorded at upload)."""
    now = now or timezone.now()
    name = dossier_name(decision)
    files = {
        f"{name}.docx": build_dossier_docx(decision, now=now),
        "留痕记录.csv": _audit_csv(decision),
    }
    attachments = _attachment_files(_load(decision))
    for path, data, _ in attachments:
        files[path] = data
    manifest = {
        "decision": {"id": decision.pk, "title": decision.title, "unit": decision.unit.name,
                     "status": decision.get_status_display(), "decision_no": decision.decision_no},
        "generated_at": timezone.localtime(now).isoformat(),
        "rule": "MDEC-14",
        "files": [{"name": fn, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for fn, data in files.items()],
        "attachments": [{
            "name": path, "step": a.get_step_display(), "title": a.title, "original_name": a.original_name,
            "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            "intact": hashlib.sha256(data).hexdigest() == a.sha256,
            "uploaded_by": a.uploaded_by_name, "uploaded_at": timezone.localtime(a.uploaded_at).isoformat(),
        } for path, data, a in attachments],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for fn, data in files.items():
            zf.writestr(fn, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buf.getvalue()
