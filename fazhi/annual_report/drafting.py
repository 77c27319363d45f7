"""The draft of a report, built from ``facts.Facts`` — pure, no database.

``build(facts)`` returns the sections in the order of RPT-02, with part 一 in
the eight areas of the 纲要 as seed document 1 arranges them, and every
figure the text states as a ``FigureDraft``. The text refers to figures by
key (``{{nd_published}}``); ``rendering`` fills in the values.

What the records cannot say is not made up: an area whose module is not
installed says so, and every part that needs the staff's own account
(causes of shortcomings, what the heads did beyond the records, next year's
plan, other matters) carries a “【待补充：…】” placeholder that must be
replaced before the report can be reviewed (workflow, RPT-02).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.annual_report.workflow import PLACEHOLDER
from fazhi.org.models import UnitKind

NAMES_SHOWN = 10  # documents/decisions named in the text; the figure keeps them all

AREAS = (
    ("p1_1", "依法全面履行政府职能"),
    ("p1_2", "完善依法行政制度体系"),
    ("p1_3", "推进行政决策科学化、民主化、法治化"),
    ("p1_4", "健全行政执法体制机制"),
    ("p1_5", "强化对行政权力的制约和监督"),
    ("p1_6", "健全矛盾纠纷多元化解机制"),
    ("p1_7", "全面提高政府工作人员法治思维和依法行政能力"),
    ("p1_8", "组织保障和落实机制"),
)
AREA_NUMERALS = "一二三四五六七八"

# Where an assessment indicator is reported, by the module owning its records.
INDICATOR_AREA = {
    "inspections": "p1_1",
    "normative_docs": "p1_2",
    "major_decisions": "p1_3",
    "enforcement": "p1_4",
    "training": "p1_7",
    "ledger": "p1_8",
}

SOURCES = {
    "normative_docs": "行政规范性文件",
    "major_decisions": "重大行政决策",
    "enforcement": "行政执法",
    "training": "学法用法",
    "assessment": "考核评价",
    "ledger": "任务清单与推进台账",
    "org": "组织与人员",
}


@dataclass
class FigureDraft:
    key: str
    section_key: str
    label: str
    value: str
    number: Decimal | None
    source: str
    source_url: str = ""
    indicator_code: str = ""
    items: list = field(default_factory=list)


@dataclass
class SectionDraft:
    key: str
    level: int
    heading: str
    text: str
    needs_staff: bool = False


@dataclass
class Draft:
    title: str
    sections: list[SectionDraft]
    figures: list[FigureDraft]


# ------------------------------------------------------------------ values

def fmt_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(str(round(value, 2)))
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01")).normalize()
        text = format(value, "f")
        return text
    return str(value)


def fmt_rate(numerator: int, denominator: int) -> tuple[str, Decimal | None]:
    if not denominator:
        return "", None
    pct = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
    return fmt_percent(pct), pct


def fmt_percent(pct: Decimal) -> str:
    pct = Decimal(pct).quantize(Decimal("0.1"))
    text = format(pct.normalize(), "f") if pct == pct.to_integral() else format(pct, "f")
    return f"{text}%"


def ratio_to_percent(value) -> Decimal | None:
    """Indicator values are ratios 0..1 (fazhi.core.indicators)."""
    if value is None:
        return None
    return (Decimal(str(value)) * 100).quantize(Decimal("0.1"))


def book(title: str) -> str:
    title = (title or "").strip()
    return title if title.startswith("《") else f"《{title}》"


def names(rows: list[dict]) -> str:
    shown = "、".join(book(r["title"]) for r in rows[:NAMES_SHOWN])
    return shown + ("等" if len(rows) > NAMES_SHOWN else "")


def todo(what: str) -> str:
    return f"{PLACEHOLDER}：{what}】"


class Builder:
    def __init__(self):
        self.figures: list[FigureDraft] = []
        self.section = ""

    def fig(self, key: str, label: str, value, *, source: str, url: str = "", number=None, code: str = "",
            items: list | None = None) -> str:
        text = value if isinstance(value, str) else fmt_number(value)
        if number is None and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        self.figures.append(FigureDraft(key=key, section_key=self.section, label=label, value=text,
                                        number=number, source=SOURCES.get(source, source), source_url=url or "",
                                        indicator_code=code, items=list(items or [])))
        return "{{" + key + "}}"

    def rate(self, key: str, label: str, numerator: int, denominator: int, *, source: str, url: str = "") -> str:
        text, pct = fmt_rate(numerator, denominator)
        return self.fig(key, label, text, source=source, url=url, number=pct)


def scope_word(unit) -> str:
    if unit.kind == UnitKind.GOVERNMENT:
        return "全区"
    if unit.kind == UnitKind.TOWN:
        return "全镇"
    return "本单位"


def _absent(what: str) -> str:
    return f"平台尚未启用{what}模块，本部分无系统数据。"


# ------------------------------------------------------------------ build

def build(facts) -> Draft:
    unit, year = facts.unit, facts.year
    b = Builder()
    scope = scope_word(unit)
    by_area = _indicators_by_area(facts.indicators or [])
    sections: list[SectionDraft] = []

    def add(key, level, heading, text, needs_staff=False):
        sections.append(SectionDraft(key, level, heading, text.strip(),
                                     needs_staff=needs_staff or PLACEHOLDER in text))

    b.section = "intro"
    add("intro", 0, "", f"根据《法治政府建设与责任落实督察工作规定》，现将{unit.name}{year}年度法治政府建设情况报告如下。")
    b.section = "p1"
    add("p1", 1, f"一、{year}年度推进法治政府建设的主要举措和成效", "")

    writers = {
        "p1_1": _area_functions, "p1_2": _area_rules, "p1_3": _area_decisions, "p1_4": _area_enforcement,
        "p1_5": _area_supervision, "p1_6": _area_disputes, "p1_7": _area_training, "p1_8": _area_organisation,
    }
    for i, (key, title) in enumerate(AREAS):
        b.section = key
        text = writers[key](b, facts, scope)
        ind = _indicator_sentence(b, by_area.get(key, []))
        add(key, 2, f"（{AREA_NUMERALS[i]}）{title}", "\n".join(p for p in (text, ind) if p))

    b.section = "p2"
    add("p2", 1, "二、存在的不足和原因", _shortcomings(b, facts))
    b.section = "p3"
    add("p3", 1, "三、党政主要负责人履行推进法治建设第一责任人职责情况", _heads(b, facts))
    b.section = "p4"
    add("p4", 1, f"四、{year + 1}年度推进法治政府建设的主要安排", _plan(b, facts))
    b.section = "p5"
    add("p5", 1, "五、其他需要报告的事项", todo("其他需要报告的事项；没有的，填写“无”。"))
    title = f"{unit.name}{year}年度法治政府建设情况报告"
    return Draft(title=title, sections=sections, figures=b.figures)


# ------------------------------------------------------------ part 一 areas

def _area_functions(b: Builder, facts, scope: str) -> str:
    return ("权责清单动态调整、行政审批制度改革、“放管服”改革和优化营商环境等事项，平台尚无相应记录。"
            + todo("依法全面履行政府职能的主要举措和成效，如权责清单、“放管服”改革、优化营商环境等。"))


def _area_rules(b: Builder, facts, scope: str) -> str:
    nd = facts.get("normative_docs")
    if nd is None:
        return _absent("行政规范性文件") + todo("行政规范性文件制定、审核、备案和清理情况。")
    src, url = "normative_docs", nd["list_url"]
    n = nd["published_count"]
    parts = []
    if n:
        count = b.fig("nd_published", "制定公布行政规范性文件（件）", n, source=src, url=url)
        titles = b.fig("nd_titles", "制定公布的行政规范性文件", names(nd["published"]), source=src, url=url,
                       items=[{"title": d["title"], "url": d["url"]} for d in nd["published"]])
        sentence = f"全年{scope}制定并公布行政规范性文件{count}件（{titles}）"
        row = indicator(facts, "NDOC_LEGAL_REVIEWED")
        if row is not None:
            # The same query as the 合法性审查率 beside it (imported documents are not counted there).
            due, done = row["denominator"], row["numerator"]
            if due:
                d = b.fig("nd_review_due", "纳入合法性审查率统计的规范性文件（件）", due, source=src, url=_ind_url(row))
                r = b.fig("nd_reviewed", "公布前经合法性审核的规范性文件（件）", done, source=src, url=_ind_url(row))
                sentence += (f"，{d}件均在公布前经合法性审核" if done == due == n else
                             f"，纳入合法性审查统计的{d}件中公布前经合法性审核{r}件")
        else:
            reviewed = b.fig("nd_reviewed", "经合法性审核的规范性文件（件）", nd["reviewed_count"], source=src, url=url)
            if nd["reviewed_count"] == n:
                sentence += f"，{reviewed}件均经合法性审核" if n > 1 else f"，经合法性审核（{reviewed}件）"
            else:
                sentence += f"，其中经合法性审核{reviewed}件"
        if nd["filing_due_count"] and not facts_has_indicators(facts, "normative_docs"):
            rate = b.rate("nd_filing_rate", "规范性文件按期报备率", nd["filed_on_time_count"], nd["filing_due_count"],
                          source=src, url=url)
            sentence += f"，按期报备率{rate}"
        parts.append(sentence + "。")
    else:
        parts.append(f"全年{scope}在平台登记公布的行政规范性文件为"
                     f"{b.fig('nd_published', '制定公布行政规范性文件（件）', 0, source=src, url=url)}件。")
    if nd["discussions"]:
        parts.append(f"规范性文件经集体审议{b.fig('nd_discussions', '规范性文件集体审议（次）', nd['discussions'], source=src, url=url)}次。")
    if nd["repealed"] or nd["expired"]:
        rep = b.fig("nd_repealed", "废止规范性文件（件）", nd["repealed"], source=src, url=url)
        exp = b.fig("nd_expired", "宣布失效规范性文件（件）", nd["expired"], source=src, url=url)
        parts.append(f"开展规范性文件清理，废止{rep}件、宣布失效{exp}件。")
    return "".join(parts)


def _area_decisions(b: Builder, facts, scope: str) -> str:
    md = facts.get("major_decisions")
    if md is None:
        return _absent("重大行政决策") + todo("重大行政决策程序执行情况。")
    src, url = "major_decisions", md["list_url"]
    parts = []
    n = md["decided_count"]
    if n:
        count = b.fig("md_decided", "作出重大行政决策（项）", n, source=src, url=url)
        titles = b.fig("md_titles", "作出的重大行政决策", names(md["decided"]), source=src, url=url,
                       items=[{"title": d["title"], "url": d["url"]} for d in md["decided"]])
        complete = b.fig("md_complete", "完整履行法定程序的决策（项）", md["procedure_complete_count"], source=src,
                         url=url)
        legal = b.fig("md_legal", "经合法性审查的决策（项）", md["legal_ok_count"], source=src, url=url)
        parts.append(f"全年{scope}作出重大行政决策{count}项（{titles}），其中完整履行公众参与、专家论证、风险评估、"
                     f"合法性审查、集体讨论决定等法定程序的{complete}项，经合法性审查的{legal}项。")
    else:
        parts.append(f"全年{scope}在平台登记作出的重大行政决策为"
                     f"{b.fig('md_decided', '作出重大行政决策（项）', 0, source=src, url=url)}项。")
    if md["catalogue_entries"]:
        entries = b.fig("md_catalogue", "年度决策事项目录事项（项）", md["catalogue_entries"], source=src,
                        url=md["catalogue_url"])
        done = b.fig("md_catalogue_done", "目录事项已完成（项）", md["catalogue_completed"], source=src,
                     url=md["catalogue_url"])
        parts.append(f"编制并公布年度重大行政决策事项目录，列入事项{entries}项，已完成{done}项。")
    return "".join(parts)


def _area_enforcement(b: Builder, facts, scope: str) -> str:
    enf = facts.get("enforcement")
    if enf is None:
        return _absent("行政执法") + todo("行政执法体制改革和严格规范公正文明执法情况。")
    src, url = "enforcement", enf["list_url"]
    with_rates = not facts_has_indicators(facts, "enforcement")
    parts = []
    filed = b.fig("enf_filed", "立案查处行政处罚案件（件）", enf["cases_filed"], source=src, url=url)
    decided = b.fig("enf_decided", "作出行政处罚决定（件）", enf["cases_decided"], source=src, url=url)
    sentence = f"全年{scope}立案查处行政处罚案件{filed}件，作出行政处罚决定{decided}件"
    if enf["cases_decided"]:
        fines = b.fig("enf_fines", "罚款金额（元）", enf["fines"], source=src, url=url)
        sentence += f"，罚款{fines}元"
    parts.append(sentence + "。")
    review = indicator(facts, "ENF_MAJOR_REVIEWED")
    review_required, reviewed = ((review["denominator"], review["numerator"]) if review is not None
                                 else (enf["review_required"], enf["reviewed"]))
    if review_required:
        rurl = _ind_url(review) if review is not None else url
        req = b.fig("enf_review_required", "须法制审核的重大执法决定（件）", review_required, source=src, url=rurl)
        rev = b.fig("enf_reviewed", "经法制审核的重大执法决定（件）", reviewed, source=src, url=rurl)
        s = f"严格落实重大执法决定法制审核制度，须法制审核的{req}件，经法制审核{rev}件"
        if with_rates:
            s += f"（法制审核率{b.rate('enf_review_rate', '重大执法决定法制审核率', reviewed, review_required, source=src, url=url)}）"
        parts.append(s + "。")
    if enf["hearings"] or enf["discussed"]:
        h = b.fig("enf_hearings", "举行听证（次）", enf["hearings"], source=src, url=url)
        d = b.fig("enf_discussed", "负责人集体讨论案件（件）", enf["discussed"], source=src, url=url)
        parts.append(f"依法举行听证{h}次，负责人集体讨论案件{d}件。")
    if enf["transfers"]:
        t = b.fig("enf_transfers", "向公安机关移送涉嫌犯罪案件（件）", enf["transfers"], source=src,
                  url=enf["transfer_url"])
        parts.append(f"向公安机关移送涉嫌犯罪案件{t}件。")
    cert = indicator(facts, "ENF_CERTIFIED")
    officers, certified = ((cert["denominator"], cert["numerator"]) if cert is not None
                           else (enf["officers"], enf["certified"]))
    if officers:
        ourl = _ind_url(cert) if cert is not None else enf["officer_url"]
        o = b.fig("enf_officers", "在岗执法人员（人）", officers, source=src, url=ourl)
        c = b.fig("enf_certified", "持有效执法证件人员（人）", certified, source=src, url=ourl)
        s = f"{scope}在岗行政执法人员{o}人，持有效行政执法证件{c}人"
        if with_rates:
            s += f"，持证率{b.rate('enf_cert_rate', '执法人员持证率', certified, officers, source=src, url=ourl)}"
        parts.append(s + "。")
    if enf["violation_types"]:
        vt = b.fig("enf_types", "执法事项（违法行为）（项）", enf["violation_types"], source=src,
                   url=enf["benchmark_url"])
        bm = b.fig("enf_benchmarks", "已制定裁量基准的事项（项）", enf["with_benchmark"], source=src,
                   url=enf["benchmark_url"])
        parts.append(f"梳理公布执法事项{vt}项，其中已制定行政裁量权基准的{bm}项。")
    return "".join(parts)


def _area_supervision(b: Builder, facts, scope: str) -> str:
    parts = []
    enf = facts.get("enforcement")
    pub = indicator(facts, "ENF_PUBLISHED_ON_TIME")
    pubs, pubs_on_time = ((pub["denominator"], pub["numerator"]) if pub is not None
                          else ((enf or {}).get("publications"), (enf or {}).get("published_on_time")))
    if enf and pubs:
        src, url = "enforcement", (_ind_url(pub) if pub is not None else enf["list_url"])
        total = b.fig("enf_pubs", "应公示的行政执法决定（件）", pubs, source=src, url=url)
        on_time = b.fig("enf_pub_on_time", "按期公示的行政执法决定（件）", pubs_on_time, source=src, url=url)
        s = f"落实行政执法公示制度，全年应公示行政执法决定{total}件，按期公示{on_time}件"
        if not facts_has_indicators(facts, "enforcement"):
            s += (f"（按期公示率{b.rate('enf_pub_rate', '处罚决定按期公示率', pubs_on_time, pubs, source=src, url=url)}）")
        parts.append(s + "。")
    summary = facts.ledger_summary if isinstance(facts.ledger_summary, dict) else {}
    sup = summary.get("supervision")
    total = sup.get("total") if isinstance(sup, dict) else sup
    if isinstance(total, int) and total:
        kinds = [(k, v) for k, v in sup.items() if k not in ("total", "open") and isinstance(v, int) and v] \
            if isinstance(sup, dict) else []
        detail = "（" + "、".join(f"{k}{v}次" for k, v in kinds) + "）" if kinds else ""
        parts.append(f"对法治政府建设任务落实情况开展督办、约谈、责令整改、通报等督察"
                     f"{b.fig('lg_supervision', '督察督办（次）', total, source='ledger', url=summary.get('url', ''))}次"
                     f"{detail}。")
    parts.append(todo("自觉接受人大监督、民主监督、司法监督（行政应诉）、审计监督、社会监督和舆论监督，"
                      "全面推进政务公开等情况。"))
    return "".join(parts)


def _area_disputes(b: Builder, facts, scope: str) -> str:
    return ("行政复议、行政应诉、信访、行政调解等工作平台尚未建立相应模块，本部分无系统数据。"
            + todo("行政复议、行政应诉、信访和行政调解等矛盾纠纷化解情况。"))


def _area_training(b: Builder, facts, scope: str) -> str:
    tr = facts.get("training")
    if tr is None:
        return _absent("学法用法") + todo("政府工作人员学法用法和法治培训情况。")
    src, url = "training", tr["list_url"]
    parts = []
    if tr["sessions"]:
        n = b.fig("tr_sessions", "组织法治培训（期）", tr["sessions"], source=src, url=url)
        h = b.fig("tr_hours", "培训学时（学时）", tr["hours"], source=src, url=url)
        a = b.fig("tr_attendances", "参训（人次）", tr["attendances"], source=src, url=url)
        parts.append(f"全年{scope}组织法治培训{n}期、共{h}学时，参训{a}人次。")
    else:
        parts.append(f"全年{scope}在平台登记的法治培训为"
                     f"{b.fig('tr_sessions', '组织法治培训（期）', 0, source=src, url=url)}期。")
    if tr["exam_scores"]:
        e = b.fig("tr_exams", "参加学法考试（人次）", tr["exam_scores"], source=src, url=url)
        p = b.fig("tr_exam_passed", "学法考试合格（人次）", tr["exam_passed"], source=src, url=url)
        parts.append(f"组织学法考试{e}人次，合格{p}人次。")
    hours = indicator(facts, "TRAIN_OFFICER_HOURS")
    t_officers, t_met = ((hours["denominator"], hours["numerator"]) if hours is not None
                         else (tr["officers"], tr["officers_met"]))
    if t_officers:
        turl = _ind_url(hours) if hours is not None else tr["shortfall_url"]
        o = b.fig("tr_officers", "执法人员（人）", t_officers, source=src, url=turl)
        m = b.fig("tr_officers_met", "培训学时达标的执法人员（人）", t_met, source=src, url=turl)
        s = f"行政执法人员{o}人，年度培训达到{fmt_number(tr['required_hours'])}学时的{m}人"
        if not facts_has_indicators(facts, "training"):
            s += (f"（达标率{b.rate('tr_officer_rate', '执法人员培训学时达标率', t_met, t_officers, source=src, url=turl)}）")
        parts.append(s + "。")
    return "".join(parts)


def _area_organisation(b: Builder, facts, scope: str) -> str:
    parts = []
    summary = facts.ledger_summary
    if summary is None:
        parts.append(_absent("任务清单与推进台账"))
    elif isinstance(summary, dict):
        url = summary.get("url", "") or ""
        total = summary.get("total")
        if isinstance(total, int) and total:
            s = f"将法治政府建设任务分解为{b.fig('lg_total', '任务台账措施（项）', total, source='ledger', url=url)}项措施"
            completed = summary.get("completed")
            if isinstance(completed, int):
                s += f"，已完成{b.fig('lg_completed', '已完成措施（项）', completed, source='ledger', url=url)}项"
            in_progress = summary.get("in_progress")
            if isinstance(in_progress, int):
                s += f"，推进中{b.fig('lg_in_progress', '推进中措施（项）', in_progress, source='ledger', url=url)}项"
            overdue = summary.get("overdue")
            if isinstance(overdue, int):
                s += f"，逾期{b.fig('lg_overdue', '逾期措施（项）', overdue, source='ledger', url=url)}项"
            parts.append(s + "。")
    inds = facts.indicators
    if inds:
        with_value = [r for r in inds if r.get("value") is not None]
        met = [r for r in with_value if r.get("met")]
        n = b.fig("ind_count", "有数据的考核指标（项）", len(with_value), source="assessment",
                  url=_first_url(inds))
        m = b.fig("ind_met", "达到目标值的考核指标（项）", len(met), source="assessment", url=_first_url(inds))
        parts.append(f"对照法治政府建设考核指标，有数据的{n}项中达到目标值的{m}项。")
    parts.append(todo("党委（党组）统一领导法治政府建设、研究部署、法治督察和考核评价等组织保障情况。"))
    return "".join(parts)


# ------------------------------------------------------------- indicators

def facts_has_indicators(facts, module: str) -> bool:
    return any(r.get("module") == module for r in (facts.indicators or []))


def indicator(facts, code: str) -> dict | None:
    """The assessment row of ``code`` when it is reported beside the text; a
    sentence stating the counts behind that share takes them from this row
    (its numerator and denominator), never from a second query, so the text and
    the rate beside it cannot disagree."""
    row = next((r for r in (facts.indicators or []) if r.get("code") == code), None)
    if row is None or not isinstance(row.get("numerator"), int) or not isinstance(row.get("denominator"), int):
        return None
    return row


def _first_url(rows) -> str:
    return next((_ind_url(r) for r in rows if _ind_url(r)), "")


def _ind_url(row: dict) -> str:
    return row.get("url") or row.get("drilldown_url") or row.get("drill_url") or ""


def _indicators_by_area(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(INDICATOR_AREA.get(r.get("module", ""), "p1_8"), []).append(r)
    return out


def _ind_fig(b: Builder, r: dict) -> str:
    pct = ratio_to_percent(r.get("value"))
    text = fmt_percent(pct) if pct is not None else ""
    if text and r.get("denominator"):
        text += f"（{r['numerator']}/{r['denominator']}）"  # the counts behind the share, as the table shows them
    return b.fig(f"ind_{r['code']}", r.get("name", r["code"]), text, number=pct, source="assessment",
                 url=_ind_url(r), code=r["code"])


def _target_text(r: dict) -> str:
    pct = ratio_to_percent(r.get("target"))
    return fmt_percent(pct) if pct is not None else "—"


def _indicator_sentence(b: Builder, rows: list[dict]) -> str:
    if not rows:
        return ""
    bits = []
    for r in rows:
        ref = _ind_fig(b, r)
        if r.get("value") is None:
            bits.append(f"{r.get('name', r['code'])}{ref}")
        else:
            state = "达标" if r.get("met") else "未达标"
            bits.append(f"{r.get('name', r['code'])}{ref}，目标{_target_text(r)}，{state}")
    return "考核指标：" + "；".join(bits) + "。"


# ---------------------------------------------------------- parts 二 to 四

def _shortcomings(b: Builder, facts) -> str:
    lines = []
    below = [r for r in (facts.indicators or []) if r.get("value") is not None and r.get("met") is False]
    for r in below:
        key = f"ind_{r['code']}"
        ref = "{{" + key + "}}" if any(f.key == key for f in b.figures) else _ind_fig(b, r)
        lines.append(f"{r.get('name', r['code'])}为{ref}，低于目标值{_target_text(r)}。")
    year = facts.year
    overdue = [m for m in (facts.ledger_overdue or []) if due_in_year(m, year)]
    if overdue:
        titles = [_measure_title(m) for m in overdue]
        n = b.fig("lg_overdue_list", "逾期未完成的任务措施", "、".join(titles[:NAMES_SHOWN])
                  + ("等" if len(titles) > NAMES_SHOWN else ""), source="ledger",
                  url=_measure_url(overdue[0]), number=Decimal(len(titles)),
                  items=[{"title": _measure_title(m), "url": _measure_url(m)} for m in overdue])
        lines.append(f"法治政府建设任务台账中有{len(titles)}项措施逾期未完成（{n}）。")
    nd = facts.get("normative_docs")
    nd_overdue = [d for d in (nd or {}).get("overdue", []) if due_in_year(d, year)]
    if nd_overdue:
        items = [{"title": d["title"], "url": d["url"]} for d in nd_overdue]
        text = "、".join(f"{book(d['title'])}{d['what']}" for d in nd_overdue[:NAMES_SHOWN])
        ref = b.fig("nd_overdue", "逾期未报备/未公布的规范性文件", text, source="normative_docs",
                    url=nd["list_url"], number=Decimal(len(items)), items=items)
        lines.append(f"行政规范性文件有{len(items)}件未按期报备或公布（{ref}）。")
    md = facts.get("major_decisions")
    md_late = [e for e in (md or {}).get("late_entries", []) if due_in_year(e, year)]
    if md_late:
        items = [{"title": e["title"], "url": e["url"]} for e in md_late]
        ref = b.fig("md_late", "未按计划完成的决策目录事项", names(md_late), source="major_decisions",
                    url=md["catalogue_url"], number=Decimal(len(items)), items=items)
        lines.append(f"重大行政决策事项目录中有{len(items)}项未按计划时间完成（{ref}）。")
    enf = facts.get("enforcement")
    late_pubs = [p for p in (enf or {}).get("late_publications", []) if due_in_year(p, year)]
    if late_pubs:
        items = [{"title": p["title"], "url": p["url"]} for p in late_pubs]
        ref = b.fig("enf_late_pubs", "逾期未公示的行政执法决定（件）", len(items), source="enforcement",
                    url=enf["list_url"], items=items)
        lines.append(f"行政执法决定逾期未公示{ref}件。")
    if enf and enf["cases_overdue"]:
        ref = b.fig("enf_cases_overdue", "超过办案期限未作决定的案件（件）", enf["cases_overdue"], source="enforcement",
                    url=enf["list_url"])
        lines.append(f"超过办案期限尚未作出决定的行政处罚案件{ref}件。")
    if not lines:
        lines.append("经对照考核指标和任务台账，平台记录未显示未达标指标或逾期事项。")
    lines.append(todo("存在的不足及其原因分析。"))
    return "\n".join(lines)


def _heads(b: Builder, facts) -> str:
    lines = []
    heads = facts.heads
    if heads:
        lines.append("单位主要负责人：" + "、".join(f"{h['name']}（{h['post']}）" if h["post"] else h["name"]
                                             for h in heads) + "。")
    md = facts.get("major_decisions")
    if md and md["hosts"]:
        for i, h in enumerate(md["hosts"]):
            if not h["name"]:
                continue
            ref = b.fig(f"md_host_{i + 1}", f"{h['name']}主持集体讨论重大行政决策（次）", h["count"],
                        source="major_decisions", url=md["list_url"])
            lines.append(f"{h['name']}{('（' + h['post'] + '）') if h['post'] else ''}主持召开会议集体讨论重大行政决策{ref}次。")
    tr = facts.get("training")
    if tr:
        for i, h in enumerate(tr["heads"]):
            if not h["sessions"]:
                continue  # no record is not a fact to publish; the staff account says what they did
            s = b.fig(f"tr_head_sessions_{i + 1}", f"{h['name']}参加学法培训（次）", h["sessions"], source="training",
                      url=tr["list_url"])
            hrs = b.fig(f"tr_head_hours_{i + 1}", f"{h['name']}学法学时（学时）", h["hours"], source="training",
                        url=tr["list_url"])
            lines.append(f"{h['name']}带头学法，全年参加法治培训{s}次、{hrs}学时。")
    if not lines:
        lines.append("平台未记录主要负责人履职的相关数据。")
    lines.append(todo("党政主要负责人研究部署法治建设、带头尊法学法守法用法、推动解决重大问题和年终述法等情况。"))
    return "\n".join(lines)


def _plan(b: Builder, facts) -> str:
    lines = []
    nxt = facts.ledger_next or []
    if nxt:
        items = [{"title": _measure_title(m), "url": _measure_url(m)} for m in nxt]
        ref = b.fig("lg_next", f"{facts.year + 1}年度到期的任务措施", "、".join(i["title"] for i in items[:NAMES_SHOWN])
                    + ("等" if len(items) > NAMES_SHOWN else ""), source="ledger", url=items[0]["url"],
                    number=Decimal(len(items)), items=items)
        lines.append(f"按照法治政府建设任务台账，{facts.year + 1}年度须完成的措施{len(items)}项：{ref}。")
    md = facts.get("major_decisions")
    if md and md["next_year_entries"]:
        items = [{"title": e["title"], "url": ""} for e in md["next_year_entries"]]
        ref = b.fig("md_next", f"{facts.year + 1}年度重大行政决策事项", names(md["next_year_entries"]),
                    source="major_decisions", url=md["catalogue_url"], number=Decimal(len(items)), items=items)
        lines.append(f"{facts.year + 1}年度重大行政决策事项目录已列入事项{len(items)}项：{ref}。")
    lines.append(todo(f"{facts.year + 1}年度推进法治政府建设的主要安排。"))
    return "\n".join(lines)


def due_in_year(item, year: int) -> bool:
    """Whether an overdue item fell due in the report year (or before): a
    deadline in the next year is next year's business, not this year's
    shortcoming, however late the report is drafted. An item without a date is kept."""
    for name in ("due_on", "due", "deadline"):
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value.year <= year
    return True


def _measure_title(m) -> str:
    if isinstance(m, dict):
        return str(m.get("title") or m.get("name") or "")
    return str(getattr(m, "title", "") or m)


def _measure_url(m) -> str:
    if isinstance(m, dict):
        return str(m.get("url") or "")
    url = getattr(m, "url", "")
    if callable(url):
        url = url()
    if not url and hasattr(m, "get_absolute_url"):
        url = m.get_absolute_url()
    return str(url or "")
