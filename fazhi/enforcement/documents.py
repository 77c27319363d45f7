"""The case documents of 行政处罚 as .docx (python-docx), filled from the case.

Every document is issued in the name of the enforcing organ (``unit_name`` is
the organ, never its 执法大队 or 科室: organs.py) and sealed by it. Layout as
county bureaus use it (GB/T 9704-style page: A4, title centred in 宋体 二号,
body in 仿宋 三号, fonts set through the East-Asian attribute so Word shows
them). Where each element comes from (docs/modules/enforcement.md "文书"):

- 立案审批表: 案由, source, parties, brief facts, the officers with their
  certificate numbers (处罚法第四十二条、第五十五条, ENF-01), the approval by
  the organ's head with its date (第五十四条第二款);
- 行政处罚事先告知书 (处罚法第四十四条, ENF-06): the intended penalty with its
  facts, reasons and basis, the rights to state a case and defend (第四十五条)
  and, where ENF-07 applies, to ask for a hearing within 5 working days
  (第六十三、六十四条, 第八十五条);
- 行政处罚决定书 (处罚法第五十九条, ENF-10): (一) party name and address;
  (二) facts and evidence; (三) the penalty and its basis; (四) how and by when
  to perform — 15 days, 3% a day on late payment capped at the fine
  (第六十七条、第七十二条, ENF-14); (五) the route and periods of 复议 (60
  days, 行政复议法第二十条) and 诉讼 (6 months, 行政诉讼法第四十六条) with the
  competent 复议机关 (行政复议法第二十四条) and court (行政诉讼法第十八条);
  (六) the organ and the date, under its seal;
- 当场行政处罚决定书 (处罚法第五十二条): the violation, the penalty and its
  basis, the fine, the time and place, the remedies — 复议 first (行政复议法
  第二十三条) — the organ, and the officers' signatures;
- 送达回证 (ENF-09, 民事诉讼法第八十七条): the receipt form.

The layout code works on plain data (``CaseDocData``); ``views.data_from_case``
maps a case onto it, so the layout does not depend on the model's shape.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fazhi.core.text import clean

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 12  # 小四, for the forms

DOCUMENTS: dict[str, str] = {
    "filing": "立案审批表",
    "notice": "行政处罚事先告知书",
    "decision": "行政处罚决定书",
    "service": "送达回证",
}


@dataclass
class PartyData:
    kind: str  # "person" | "org"
    name: str
    id_number: str = ""  # 身份证号 or 统一社会信用代码
    address: str = ""
    legal_rep: str = ""  # 法定代表人 (organisations)
    phone: str = ""

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def id_label(self) -> str:
        return "身份证号码" if self.is_person else "统一社会信用代码"


@dataclass
class CaseDocData:
    unit_name: str
    case_no: str
    cause: str  # 案由
    parties: list[PartyData] = field(default_factory=list)
    source: str = ""  # 案件来源
    filed_on: date | None = None
    discovered_on: date | None = None
    officers: list[tuple[str, str]] = field(default_factory=list)  # (name, certificate number)
    facts: str = ""
    evidence: list[str] = field(default_factory=list)
    notice_evidence: list[str] = field(default_factory=list)  # the evidence on file when the notice was served
    violated: str = ""  # the provision broken
    basis: str = ""  # the provision the penalty rests on
    penalty: str = ""  # the penalty decided, in words
    intended_penalty: str = ""  # the penalty notified (告知), in words
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    notice_no: str = ""
    notice_on: date | None = None
    hearing_offered: bool = False
    decision_no: str = ""
    decision_on: date | None = None
    statement_summary: str = ""  # 陈述申辩 and how it was taken
    waived_on: date | None = None  # the party waived statement, defence and hearing in writing
    reviewed_on: date | None = None  # 法制审核 passed (ENF-04)
    discussed_on: date | None = None  # 负责人集体讨论 (ENF-05)
    hearing_on: date | None = None  # 听证举行日期
    hearing_summary: str = ""  # what the party said at the hearing
    reasons: str = ""  # 处罚理由 (认定、适用依据和裁量的理由)
    notice_reasons: str = ""  # 告知的事实、理由及依据 (used when no structured basis exists)
    review_organ: str = ""  # 行政复议机关
    court: str = ""  # 人民法院
    bank: str = ""  # 代收罚款银行
    contact: str = ""  # 联系人及电话
    summary: bool = False  # 简易程序（当场处罚）
    spot_place: str = ""  # 当场处罚地点
    filing_approver: str = ""  # 批准立案的负责人
    service_on: date | None = None
    service_method: str = ""
    service_place: str = ""
    server_names: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ helpers

def money(v: Decimal | None) -> str:
    """40000 -> "40000元", 12.5 -> "12.5元" (no digit grouping, as official documents write it)."""
    if v is None:
        return ""
    q = Decimal(v).quantize(Decimal("0.01"))
    text = f"{q:.2f}".rstrip("0").rstrip(".")
    return f"{text}元"


def cite(basis: str) -> str:
    """A provision as cited in a sentence: "《种子法》第四十八条：禁止……。" becomes
    "《种子法》第四十八条“禁止……”", so "违反了…的规定" reads as one sentence."""
    basis = (basis or "").strip().rstrip("。；;")
    article, sep, words = basis.partition("：")
    if sep and words.strip():
        return f"{article.strip()}“{words.strip().rstrip('。；;')}”"
    return basis


# The officer's own lead-in, which the document's sentence already says.
_LEAD_INS = ("经调查查明：", "经调查查明，", "经查明：", "经查明，", "经查：", "经查，")


def facts_text(facts: str) -> str:
    """The facts without a leading "经查，" (the document says "经查明：" itself)."""
    text = (facts or "").strip()
    for lead in _LEAD_INS:
        if text.startswith(lead):
            return text[len(lead):].lstrip()
    return text


def cn_date(d: date | None, blank: str = "　　年　　月　　日") -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def _set_font(run_or_style, name: str, size_pt: float, *, bold: bool = False) -> None:
    """Latin and East-Asian font; Word ignores ``font.name`` for Chinese."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run_or_style.font.name = name
    run_or_style.font.size = Pt(size_pt)
    run_or_style.font.bold = bold
    rpr = run_or_style._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


class _Writer:
    """A document in the official layout, paragraph by paragraph."""

    def __init__(self):
        import docx
        from docx.shared import Mm

        self.doc = docx.Document()
        s = self.doc.sections[0]
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(37), Mm(35)
        s.left_margin, s.right_margin = Mm(28), Mm(26)
        _set_font(self.doc.styles["Normal"], BODY_FONT, BODY_PT)

    def para(self, text: str = "", *, align: str = "", font: str = BODY_FONT, size: float = BODY_PT,
             bold: bool = False, indent: bool = True, spacing: float = 28):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        if align:
            p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(spacing)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if text:
            _set_font(p.add_run(clean(text)), font, size, bold=bold)
        return p

    def labelled(self, label: str, text: str):
        """A paragraph starting with a bold label (“当事人：”)."""
        p = self.para()
        _set_font(p.add_run(clean(label)), BODY_FONT, BODY_PT, bold=True)
        _set_font(p.add_run(clean(text)), BODY_FONT, BODY_PT)
        return p

    def lines(self, text: str):
        for line in (text or "").splitlines():
            if line.strip():
                self.para(line.strip())

    def header(self, unit_name: str, title: str, number: str = ""):
        self.para(unit_name, align="center", font=TITLE_FONT, size=TITLE_PT, bold=True, indent=False, spacing=36)
        self.para(title, align="center", font=TITLE_FONT, size=TITLE_PT, bold=True, indent=False, spacing=36)
        if number:
            self.para(number, align="right" if title.endswith("表") else "center", indent=False)
        self.para(indent=False)

    def signature(self, unit_name: str, on: date | None, *, seal: bool = True):
        self.para(indent=False)
        self.para(f"{unit_name}{'（印章）' if seal else ''}", align="right", indent=False)
        self.para(cn_date(on), align="right", indent=False)

    def table(self, rows: list[tuple[str, str]], *, widths=(38, 118), min_height: dict | None = None):
        """A two-column form: label | content (bold labels, 宋体 小四)."""
        from docx.shared import Mm

        t = self.doc.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for label, text in rows:
            cells = t.add_row().cells
            cells[0].width, cells[1].width = Mm(widths[0]), Mm(widths[1])
            self._cell(cells[0], label, bold=True)
            self._cell(cells[1], text)
            if min_height and label in min_height:
                row = t.rows[-1]
                row.height = Mm(min_height[label])
        return t

    def _cell(self, cell, text: str, *, bold: bool = False):
        p = cell.paragraphs[0]
        for i, line in enumerate((text or "").split("\n")):
            if i:
                p = cell.add_paragraph()
            _set_font(p.add_run(clean(line)), TITLE_FONT, TABLE_PT, bold=bold)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _party_lines(p: PartyData) -> list[str]:
    lines = [f"当事人：{p.name}"]
    if p.id_number:
        lines.append(f"{p.id_label}：{p.id_number}")
    if p.legal_rep:
        lines.append(f"法定代表人（负责人）：{p.legal_rep}")
    if p.address:
        lines.append(f"{'住址' if p.is_person else '住所（经营场所）'}：{p.address}")
    if p.phone:
        lines.append(f"联系电话：{p.phone}")
    return lines


def _party_names(d: CaseDocData) -> str:
    return "、".join(p.name for p in d.parties) or "（未登记当事人）"


def _you(d: CaseDocData) -> str:
    return "你" if d.parties and all(p.is_person for p in d.parties) else "你单位" if d.parties else "你（单位）"


def _case_name(cause: str) -> str:
    """"销售假种子案" stays, "销售假种子" becomes "销售假种子一案"."""
    return cause if cause.endswith("案") else f"{cause}一案"


def _penalty_text(d: CaseDocData, *, intended: bool = False) -> str:
    if intended and d.intended_penalty:
        return d.intended_penalty
    if d.penalty:
        return d.penalty
    parts = []
    if d.fine:
        parts.append(f"罚款人民币{money(d.fine)}")
    if d.confiscation:
        parts.append(f"没收违法所得人民币{money(d.confiscation)}")
    return "；".join(parts) or "（拟处罚内容未填写）"


# ---------------------------------------------------------------- documents

def filing_form(d: CaseDocData) -> bytes:
    """立案审批表 (ENF-01: at least two certified officers are named)."""
    w = _Writer()
    w.header(d.unit_name, "立案审批表", f"案件编号：{d.case_no}")
    parties = "\n".join("；".join(_party_lines(p)) for p in d.parties) or "—"
    officers = "\n".join(f"{name}（执法证号：{no}）" for name, no in d.officers) or "—"
    w.table([
        ("案由", d.cause),
        ("案件来源", d.source or "—"),
        ("发现/受理日期", cn_date(d.discovered_on, "—")),
        ("当事人", parties),
        ("简要案情", d.facts or "—"),
        ("承办人员", officers),
        ("承办人意见", "经初步核实，当事人涉嫌违法，符合立案条件，建议立案调查。\n\n承办人签名：　　　　　　　　　　年　　月　　日"),
        ("审核意见", "\n\n审核人签名：　　　　　　　　　　年　　月　　日"),
        ("负责人审批意见", (f"同意立案。\n\n负责人：{d.filing_approver}　　{cn_date(d.filed_on)}"
                            if d.filed_on else "\n\n负责人签名：　　　　　　　　　　年　　月　　日")),
        ("立案日期", cn_date(d.filed_on, "—")),
    ], min_height={"简要案情": 40})
    w.para("注：立案后应由两名以上具有行政执法资格的执法人员调查处理（《中华人民共和国行政处罚法》第四十二条）。",
           size=TABLE_PT, indent=False, spacing=20)
    return w.bytes()


def notice(d: CaseDocData) -> bytes:
    """行政处罚事先告知书 (ENF-06, ENF-07)."""
    you = _you(d)
    w = _Writer()
    w.header(d.unit_name, "行政处罚事先告知书", d.notice_no or f"案件编号：{d.case_no}")
    w.para(f"{_party_names(d)}：", indent=False)
    w.para(f"本机关在办理{_case_name(d.cause)}中，经调查查明：{facts_text(d.facts) or d.notice_reasons}")
    if d.notice_evidence:
        w.para(f"以上事实有{'、'.join(d.notice_evidence)}等证据为证。")
    if d.violated and d.basis:
        w.para(f"{you}的上述行为违反了{cite(d.violated)}的规定。依据{cite(d.basis)}的规定，"
               f"本机关拟对{you}作出如下行政处罚：{_penalty_text(d, intended=True)}。")
    else:  # no catalogued basis: the facts, reasons and basis as notified (第四十四条)
        w.para(f"本机关认为：{d.notice_reasons}")
        w.para(f"本机关拟对{you}作出如下行政处罚：{_penalty_text(d, intended=True)}。")
    w.para(f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。"
           f"{you}可在收到本告知书之日起五个工作日内向本机关提出陈述、申辩意见；逾期未提出的，视为放弃此权利。")
    if d.hearing_offered:
        w.para(f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。"
               f"要求听证的，应当在收到本告知书之日起五个工作日内提出；逾期未提出的，视为放弃听证权利。")
    if d.contact:
        w.para(f"联系人及电话：{d.contact}")
    w.signature(d.unit_name, d.notice_on)
    return w.bytes()


def _remedies(d: CaseDocData, you: str) -> str:
    review = d.review_organ or "本级人民政府"
    court = d.court or "有管辖权的人民法院"
    if d.summary:
        # 当场作出的行政处罚决定: 复议 first (行政复议法第二十三条第一款第一项).
        return (f"如不服本处罚决定，{you}可以自收到本决定书之日起六十日内向{review}申请行政复议；"
                f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court}提起行政诉讼。")
    return (f"如不服本处罚决定，{you}可以自收到本决定书之日起六十日内向{review}申请行政复议，"
            f"也可以自收到本决定书之日起六个月内依法向{court}提起行政诉讼。")


def _payment(d: CaseDocData, you: str) -> str:
    bank = d.bank or "指定的银行或者通过电子支付系统"
    return (f"{you}应当自收到本决定书之日起十五日内，到{bank}缴纳罚款。"
            f"到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额"
            f"（《中华人民共和国行政处罚法》第六十七条、第七十二条）。")


def _no_statement(d: CaseDocData, you: str) -> str:
    """What the party did with the rights told in the notice, when no statement was made."""
    if d.waived_on:
        return (f"{you}于{cn_date(d.waived_on)}书面表示放弃陈述、申辩"
                f"{'和要求听证' if d.hearing_offered else ''}的权利。")
    return f"{you}在规定期限内未提出陈述、申辩意见{'，也未要求听证' if d.hearing_offered else ''}。"


def decision(d: CaseDocData) -> bytes:
    """行政处罚决定书 with the fields of 处罚法第五十九条 (ENF-10); for a summary
    case the 当场行政处罚决定书 of 第五十二条."""
    if d.summary:
        return _spot_decision(d)
    you = _you(d)
    w = _Writer()
    w.header(d.unit_name, "行政处罚决定书", d.decision_no or "（草稿，决定书文号待编）")
    w.para(f"案件编号：{d.case_no}", align="right", size=TABLE_PT, indent=False, spacing=20)
    for p in d.parties:  # (一) 当事人的姓名或者名称、地址
        for line in _party_lines(p):
            w.para(line, indent=False)
    w.para()
    filed = cn_date(d.filed_on, "")
    w.para(f"本机关于{filed}对{_case_name(d.cause)}立案调查。" if filed else f"本机关对{_case_name(d.cause)}立案调查。")
    w.labelled("经查明：", facts_text(d.facts) or "（违法事实未填写）")  # (二) 违法事实
    if d.evidence:  # (二) 证据
        w.para(f"以上事实有下列证据证明：{'；'.join(d.evidence)}。")
    if d.notice_on:
        w.para(f"本机关于{cn_date(d.notice_on)}向{you}送达了{'《行政处罚事先告知书》' + (f'（{d.notice_no}）' if d.notice_no else '')}，"
               f"告知了拟作出行政处罚的事实、理由、依据及{you}依法享有的陈述、申辩{'、要求听证' if d.hearing_offered else ''}权利。"
               + (f"本机关于{cn_date(d.hearing_on)}依法举行了听证，{d.hearing_summary.rstrip('。') or '听取了陈述、申辩'}。"
                  if d.hearing_on else "")
               + (d.statement_summary or ("" if d.hearing_on else _no_statement(d, you))))
    if d.reviewed_on or d.discussed_on:  # ENF-04, ENF-05 (处罚法第五十七条第二款、第五十八条)
        steps = ([f"于{cn_date(d.reviewed_on)}经法制审核"] if d.reviewed_on else []) + (
            [f"于{cn_date(d.discussed_on)}经本机关负责人集体讨论决定"] if d.discussed_on else [])
        w.para(f"本案{'，并'.join(steps)}。")
    if d.reasons:
        w.labelled("本机关认为：", d.reasons)
    w.para(f"{you}的上述行为违反了{cite(d.violated) or '（违反的规定未填写）'}的规定。"  # (三) 依据
           f"依据{cite(d.basis) or '（处罚依据未填写）'}的规定，本机关决定对{you}作出如下行政处罚：")
    w.para(f"{_penalty_text(d)}。")  # (三) 种类
    if d.fine:  # (四) 履行方式和期限
        w.para(_payment(d, you))
    w.para(_remedies(d, you)  # (五) 复议、诉讼的途径和期限
           + "行政复议或者行政诉讼期间，本处罚决定不停止执行，法律另有规定的除外。"
           f"{you}逾期不申请行政复议、不提起行政诉讼又不履行本决定的，本机关将依法申请人民法院强制执行。")
    w.signature(d.unit_name, d.decision_on)  # (六) 机关名称、日期，印章
    return w.bytes()


def _spot_decision(d: CaseDocData) -> bytes:
    """当场行政处罚决定书 (处罚法第五十二条)."""
    you = _you(d)
    w = _Writer()
    w.header(d.unit_name, "当场行政处罚决定书", d.decision_no or "（决定书文号待编）")
    for p in d.parties:
        for line in _party_lines(p):
            w.para(line, indent=False)
    w.para()
    w.para(f"{cn_date(d.decision_on)}，在{d.spot_place or '（地点未填写）'}，经查：{d.facts or '（违法事实未填写）'}")
    w.para(f"{you}的上述行为违反了{cite(d.violated) or '（违反的规定未填写）'}的规定。"
           f"依据{cite(d.basis) or '（处罚依据未填写）'}及《中华人民共和国行政处罚法》第五十一条的规定，"
           f"当场对{you}作出如下行政处罚：{_penalty_text(d)}。")
    if d.fine:
        w.para(_payment(d, you))
    w.para(_remedies(d, you) + "行政复议或者行政诉讼期间，本处罚决定不停止执行，法律另有规定的除外。")
    officers = "　".join(f"{name}（执法证号：{no}）" for name, no in d.officers) or "　"
    w.para(f"执法人员（签名）：{officers}", indent=False)
    w.para("当事人（签名）：　　　　　　　　　　年　　月　　日", indent=False)
    w.signature(d.unit_name, d.decision_on)
    return w.bytes()


def service_receipt(d: CaseDocData) -> bytes:
    """送达回证 (ENF-09: served within 7 working days when not handed over on the spot)."""
    w = _Writer()
    w.header(d.unit_name, "送达回证", f"案件编号：{d.case_no}")
    doc_name = f"《{'当场' if d.summary else ''}行政处罚决定书》" + (f"（{d.decision_no}）" if d.decision_no else "")
    w.table([
        ("案由", d.cause),
        ("送达文书名称及文号", doc_name),
        ("受送达人", _party_names(d)),
        ("送达地点", d.service_place or (d.parties[0].address if d.parties else "")),
        ("送达方式", d.service_method or "直接送达"),
        ("送达人", "、".join(d.server_names) or "　"),
        ("送达日期", cn_date(d.service_on)),
        ("受送达人签名或盖章", "\n\n　　　　　　　　　　　　　　年　　月　　日"),
        ("代收人及代收理由", "\n"),
        ("见证人签名", "\n"),
        ("备注", "受送达人拒绝签收的，送达人应当记明拒收事由和日期，由送达人、见证人签名，把文书留在受送达人的住所，即视为送达。"),
    ], min_height={"受送达人签名或盖章": 25})
    w.signature(d.unit_name, None)
    return w.bytes()


WRITERS = {"filing": filing_form, "notice": notice, "decision": decision, "service": service_receipt}


def render(kind: str, data: CaseDocData) -> bytes:
    return WRITERS[kind](data)
