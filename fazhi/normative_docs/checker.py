"""Pre-review checker for a draft normative document (issue 3 item 5).

Advice for the legality reviewer, not a finding of unlawfulness: it marks the
provisions a reviewer must look at under NDOC-03 (优化营商环境条例 art. 64: no
许可, 处罚, 强制, 收费, new duties or reduced rights without a basis in a higher
law) and NDOC-06 (公平竞争审查条例: no exclusion or restriction of
competition), and warns about citations of repealed laws (``laws.py``).

How a provision is matched, and why it is strict:

* Every pattern is matched within one sentence (split on 。；！？ and line
  breaks), so a rule never joins words from two provisions.
* Negated or protective wording is not a finding: “不得收取任何费用”, “免费”,
  “不得指定…经营者”, “无需审批”.
* 增加义务 and 减损权利 are about duties and rights of citizens and
  enterprises, so they need a private subject: the nearest subject before the
  modal verb must be a citizen-type word (企业, 经营者, 申请人, 任何单位和
  个人…), not an authority (部门, 窗口, 工作人员…). “窗口工作人员应当为企业
  提供咨询服务” is a duty of the administration and is not flagged.

One finding per (article, category); ``matched`` lists the matched words in
text order, joined by “、”. Findings are ordered by article, then by the
category order of ``CATEGORIES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fazhi.normative_docs import laws
from fazhi.normative_docs.articles import Article, split_articles, strip_signature, title_of
from fazhi.normative_docs.textio import repair_extraction

CATEGORIES = ("行政许可", "行政处罚", "行政强制", "收费", "增加义务", "减损权利", "排除限制竞争", "与上位法冲突")
PREAMBLE_LABEL = "正文前部分"

_SENTENCE_END = re.compile(r"(?<=[。；;！!？?\n])")
_CLAUSE_END = re.compile(r"[，,：:]")

# Words for private parties (whose rights and duties NDOC-03 protects) and
# for the administration. The nearest one before a modal verb is its subject.
_CITIZEN = (
    r"公民|法人|其他组织|中介机构|中介服务机构|检测机构|培训机构|金融机构|企业|经营者|经营户|个体工商户|"
    r"个人(?!信息|隐私)|申请人|当事人|商户|业主|从业人员|市场主体|生产者|销售者|经营单位|用人单位|"
    r"建设单位|施工单位|设置人|所有人|使用人|承租人|投标人|供应商|居民|村民|驾驶人|车主"
)
_AUTHORITY = (
    r"行政机关|国家机关|机关|主管部门|部门|人民政府|政府|窗口|工作人员|执法人员|公职人员|机构|办公室|"
    r"乡镇|街道|服务中心|中心|执法局|管理局|城管局|委员会|居委会|村委会"
)
_SUBJECT = re.compile(rf"(?P<c>{_CITIZEN})|(?P<a>{_AUTHORITY})")
_ANYONE = re.compile(r"任何(?:单位|组织|人)(?:和|或者|或|、)?(?:个人)?")

# Negations that make the following words harmless (or protective).
_NEG = r"不得|严禁|禁止|不予|免予|免于|无需|无须|不需|不需要|不再|取消|免收|免除|不收取|不要求|不设|不实行|无偿"
_NEG_BEFORE = re.compile(rf"(?:{_NEG})[^，,。；]{{0,3}}$")
_FEE_NEG = re.compile(r"免费|免收|免除|不收取|不得收取|不另行收取|不另收|无偿|零收费|不收费|免交|免缴|不得向[^，。；]{0,12}收取")

_NUM = r"[\d零〇一二两三四五六七八九十百千万.，,]+"


_MODAL = re.compile(r"应当|必须|(?<![必无])须|不得|禁止|严禁|需要|务必")


def _subject_of(sentence: str, pos: int) -> str | None:
    """'c' (citizen-type), 'a' (authority) or None for the subject of the
    modal at ``pos``: the nearest subject word before the sentence's first
    modal verb. Words after it are objects (“不得指定中介机构，不得…”)."""
    first = _MODAL.search(sentence, 0, pos + 1)
    end = min(pos, first.start()) if first else pos
    last = None
    for m in _SUBJECT.finditer(sentence, 0, end):
        last = "c" if m.group("c") else "a"
    return last


def _clause_before(sentence: str, pos: int) -> str:
    start = 0
    for m in _CLAUSE_END.finditer(sentence, 0, pos):
        start = m.end()
    return sentence[start:pos]


def _negated(sentence: str, m: re.Match) -> bool:
    return bool(_NEG_BEFORE.search(_clause_before(sentence, m.start())))


def _not_negated(sentence: str, m: re.Match) -> bool:
    return not _negated(sentence, m)


def _private_subject(sentence: str, m: re.Match) -> bool:
    """The duty or restriction falls on a citizen or an enterprise."""
    if _negated(sentence, m):
        return False
    if _ANYONE.search(sentence, 0, m.start()):
        return True
    return _subject_of(sentence, m.start()) == "c"


def _not_fee_negated(sentence: str, m: re.Match) -> bool:
    if _negated(sentence, m):
        return False
    clause_start = len(_clause_before(sentence, m.start()))
    clause = sentence[m.start() - clause_start : m.end() + 10]
    return not _FEE_NEG.search(clause)


def _restriction_on_private(sentence: str, m: re.Match) -> bool:
    """不得/禁止 binding citizens or enterprises, outside a 未经…不得 or
    未取得…许可证…不得 licence (those are 行政许可 findings)."""
    if _UNLICENSED.search(sentence, 0, m.start()):
        return False
    return _private_subject(sentence, m)


_UNLICENSED = re.compile(r"未经|未(?:取得|办理|领取|持有)[^。；，]{0,15}?(?:许可证|许可|批准文件)")


def _not_on_authority(sentence: str, m: re.Match) -> bool:
    """A licence wording that is not the administration's own duty
    (“窗口应当为企业办理许可证提供帮办服务” is a service, not a licence)."""
    return not _negated(sentence, m) and _subject_of(sentence, m.start()) != "a"


def _limit_on_private(sentence: str, m: re.Match) -> bool:
    if _negated(sentence, m):
        return False
    return _subject_of(sentence, m.start()) == "c" or bool(re.search(_CITIZEN, m.group(0)))


def _not_after_bude(sentence: str, m: re.Match) -> bool:
    """“不得以…为由不予受理” protects the applicant."""
    return "不得" not in sentence[: m.start()] and not _negated(sentence, m)


def _selective_benefit(sentence: str, m: re.Match) -> bool:
    return (
        not _negated(sentence, m)
        and bool(re.search(r"本地|本县|本市|本区|本镇|本省|辖区内|在本[县市区镇]|特定|指定|注册地", sentence))
        and bool(re.search(r"企业|经营者|供应商|商户|市场主体", sentence))
    )


def _market_context(sentence: str, m: re.Match) -> bool:
    return not _negated(sentence, m) and bool(re.search(r"企业|经营者|市场|供应商|商户|投标|行业", sentence))


def _higher_law(sentence: str, m: re.Match) -> bool:
    return bool(re.search(r"法律|法规|规章|上位法|上级|国家|省|市", m.group(0)))


Condition = Callable[[str, re.Match], bool]


@dataclass(frozen=True)
class _Rule:
    category: str
    pattern: re.Pattern
    when: Condition = _not_negated


def _r(category: str, pattern: str, when: Condition = _not_negated) -> _Rule:
    return _Rule(category, re.compile(pattern), when)


RULES: tuple[_Rule, ...] = (
    # 行政许可 (行政许可法 arts. 14–17: only laws, regulations and provincial rules may create licences)
    _r("行政许可", r"(?:须|需|必须|应当|应)(?:先|事先|预先|依法)?经(?:过)?[^。；，]{0,20}?(?:批准|审批|许可|核准|审核同意|同意)"),
    _r("行政许可", r"(?:应当|须|需|必须)(?:依法)?(?:取得|办理|申领|领取|持有)[^。；，]{0,15}?(?:许可证|许可|批准文件|核准)"),
    # A licence required of a private party: 应当向…申请…许可证, 取得…许可证, 未取得…不得.
    _r("行政许可", r"(?:应当|须|需|必须)[^。；，]{0,15}?(?:申请|申领|办理|取得)[^。；，]{0,15}?(?:许可证|许可)",
       _not_on_authority),
    _r("行政许可", r"(?<![未已])取得[^。；，]{0,15}?许可证", _not_on_authority),
    _r("行政许可", r"未(?:取得|办理|领取|持有)[^。；，]{0,15}?(?:许可证|许可|批准文件)[^。；]{0,20}?不得"),
    _r("行政许可", r"取得[^。；，]{0,15}?(?:许可证|许可|批准)(?:后|之后)?[^。；]{0,6}?(?:方可|才能|方能)"),
    _r("行政许可", r"未经[^。；]{0,20}?(?:批准|许可|审批|核准|登记|备案|验收|(?:部门|机关|政府|机构)(?:书面)?同意)[^。；]{0,20}?不得"),
    _r("行政许可", r"(?:批准|审批|许可|核准|备案|登记|审核)(?:后|之后)[^。；，]{0,8}?(?:方可|才能|方能)"),
    _r("行政许可", r"准予[^。；，、\s]{0,4}"),
    _r("行政许可", r"核准"),
    _r("行政许可", r"实行[^。；，]{0,10}?(?:许可|审批|核准)(?:制度|管理)"),
    # 行政处罚 (行政处罚法 art. 9 lists the kinds; arts. 10–16 who may create them)
    _r("行政处罚", rf"处(?:以)?{_NUM}元(?:以上{_NUM}元)?(?:以下|以上)?(?:的)?罚款"),
    _r("行政处罚", r"罚款"),
    _r("行政处罚", r"(?<!罚)没收(?!入)(?:违法所得|非法财物|违法财物)?"),
    _r("行政处罚", r"吊销(?:[^。；，、]{0,10}?(?:许可证|营业执照|执照|证书|资格证|证照))?"),
    _r("行政处罚", r"暂扣(?:[^。；，、]{0,10}?(?:许可证|执照|证书|证照))?"),
    _r("行政处罚", r"责令停产停业|责令停业整顿|责令停业|责令关闭|降低资质等级|限制从业"),
    _r("行政处罚", r"(?:给予|予以|处以|处)警告"),
    _r("行政处罚", r"行政拘留|拘留"),
    # 行政强制 (行政强制法 arts. 9–13)
    _r("行政强制", r"查封|扣押|冻结|强制执行|强制拆除|强制清除|强制清理|代履行|强制划拨|加处罚款|滞纳金"),
    # 收费
    _r("收费", r"(?:收取|缴纳|交纳|缴交|预交|预缴)[^。；，]{0,10}?(?:费用|费|保证金|押金|金)", _not_fee_negated),
    _r("收费", r"(?<!公开)(?<!公示)(?<!明示)收费标准", _not_fee_negated),
    _r("收费", r"保证金|押金|[^\s。；，、]{0,4}(?:服务费|手续费|工本费|管理费|评审费|检测费)", _not_fee_negated),
    # 增加义务 (NDOC-03)
    _r(
        "增加义务",
        r"(?:应当|必须|(?<![必无])须|需要|务必)[^。；]{0,20}?"
        r"(?:提交|提供|报送|报告|缴纳|出具|签署|签订|作出|承诺|申报|投保|购买|安装|配备|聘请|备案)",
        _private_subject,
    ),
    _r("增加义务", r"必须", _private_subject),
    # 减损权利 (NDOC-03)
    _r("减损权利", r"不得|禁止|严禁", _restriction_on_private),
    _r("减损权利", rf"限制(?:[^。；，]{{0,10}}?(?:{_CITIZEN}))?", _limit_on_private),
    _r("减损权利", r"取消[^。；，]{0,12}?资格|暂停[^。；，]{0,8}?资格"),
    _r("减损权利", r"不予受理|不予办理|不予登记|不予批准|不予发放|不予享受|不再受理", _not_after_bude),
    _r("减损权利", r"(?:列入|纳入)(?:黑名单|失信)|联合惩戒"),
    # 排除限制竞争 (NDOC-06, 公平竞争审查条例 arts. 8–12)
    _r("排除限制竞争", r"指定[^。；，]{0,12}?(?:经营者|供应商|企业|品牌|商家|服务商|产品|厂家|中介机构)"),
    _r(
        "排除限制竞争",
        r"本地企业优先|优先(?:选择|采购|使用|选用|录用)(?:本地|本县|本市|本区|本省)"
        r"|(?:本地|本县|本市|本区|本省)(?:企业|产品|供应商|商品)[^。；]{0,8}?优先",
    ),
    _r("排除限制竞争", r"限定[^。；，]{0,15}?(?:购买|使用|经营|接受|选择)"),
    _r("排除限制竞争", r"(?:外地|外省|外市|外县|外来|非本地|本地以外)[^。；]{0,20}?(?:不得|禁止|限制|须|需|应当)"),
    _r("排除限制竞争", r"设置[^。；，]{0,10}?壁垒"),
    _r("排除限制竞争", r"排斥(?:外地|外来|非本地)|排斥[^。；，]{0,8}?(?:经营者|企业|供应商)"),
    _r("排除限制竞争", r"(?:给予|予以|享受)[^。；]{0,15}?(?:补贴|奖励|奖补|返还|优惠)", _selective_benefit),
    _r(
        "排除限制竞争",
        r"(?:设置|设定|设立|提高|增设|限定)[^。；，]{0,10}?(?:准入|门槛)|准入(?:条件|门槛|限制)",
        _market_context,
    ),
    # 与上位法冲突 (wording; repealed-law citations are added from laws.py)
    _r("与上位法冲突", r"本(?:办法|规定|细则|意见|通知|决定|措施|方案)优先(?:适用)?|优先适用本(?:办法|规定|细则|意见)"),
    _r(
        "与上位法冲突",
        r"与[^。；]{0,20}?(?:不一致|相抵触|不符)[^。；]{0,4}?(?:的)?[，,]?(?:以|按|依|适用)本(?:办法|规定|细则|意见|通知|决定)(?:为准|执行|规定执行)?",
        _higher_law,
    ),
    _r("与上位法冲突", r"不受[^。；]{0,20}?(?:法律|法规|规章|《[^》]+》)[^。；]{0,6}?(?:限制|约束)"),
)

_CITATION = re.compile(r"《([^《》\n]{2,80})》")


@dataclass(frozen=True)
class Finding:
    article: str  # "第十二条", "一、", or PREAMBLE_LABEL
    category: str
    matched: str  # the matched words, "、"-joined
    text: str  # the article text

    def to_dict(self) -> dict:
        return {"article": self.article, "category": self.category, "matched": self.matched, "text": self.text}


@dataclass(frozen=True)
class CitedLaw:
    name: str  # as cited, with 《》
    articles: tuple[str, ...]  # where it is cited
    status: laws.LawStatus | None

    @property
    def warning(self) -> str:
        return self.status.warning if self.status else ""

    @property
    def outdated(self) -> bool:
        return bool(self.status and self.status.is_outdated)


@dataclass
class Report:
    title: str
    articles: list[Article]
    findings: list[Finding] = field(default_factory=list)
    laws_cited: list[CitedLaw] = field(default_factory=list)
    repaired: int = 0  # characters fixed by repair_extraction

    def to_json(self) -> list[dict]:
        """The CLI's ``--json`` shape: [{"article","category","matched","text"}]."""
        return [f.to_dict() for f in self.findings]

    def counts(self) -> dict[str, int]:
        """Findings per category, in ``CATEGORIES`` order (zero counts kept)."""
        out = dict.fromkeys(CATEGORIES, 0)
        for f in self.findings:
            out[f.category] += 1
        return out

    @property
    def warnings(self) -> list[CitedLaw]:
        return [law for law in self.laws_cited if law.status]


def _label(article: Article) -> str:
    return article.no or PREAMBLE_LABEL


def _merge(words: list[tuple[int, str]]) -> str:
    """Words in text order, duplicates and words inside longer matches dropped."""
    ordered = [w for _, w in sorted(words)]
    kept: list[str] = []
    for w in ordered:
        if w in kept or any(w in other for other in ordered if other != w):
            continue
        kept.append(w)
    return "、".join(kept)


def check_article(article: Article) -> list[Finding]:
    """Findings for one article, in ``CATEGORIES`` order."""
    hits: dict[str, list[tuple[int, str]]] = {}
    offset = 0
    for sentence in _SENTENCE_END.split(article.text):
        fee_hit = False
        for rule in RULES:
            for m in rule.pattern.finditer(sentence):
                if not m.group(0) or not rule.when(sentence, m):
                    continue
                if rule.category == "收费":
                    fee_hit = True
                if rule.category == "增加义务" and fee_hit and re.search(r"缴纳|交纳", m.group(0)):
                    continue  # the payment is already a 收费 finding
                hits.setdefault(rule.category, []).append((offset + m.start(), m.group(0)))
        offset += len(sentence)
    for m in _CITATION.finditer(article.text):
        status = laws.lookup(m.group(1))
        if status and status.is_outdated:
            hits.setdefault("与上位法冲突", []).append((m.start(), m.group(0)))
    return [
        Finding(_label(article), category, _merge(hits[category]), article.text)
        for category in CATEGORIES
        if category in hits
    ]


def cited_laws(articles: list[Article]) -> list[CitedLaw]:
    """Every 《…》 name in the text, in order of first citation."""
    where: dict[str, list[str]] = {}
    for article in articles:
        for m in _CITATION.finditer(article.text):
            places = where.setdefault(m.group(0), [])
            if _label(article) not in places:
                places.append(_label(article))
    return [CitedLaw(name, tuple(places), laws.lookup(name)) for name, places in where.items()]


def check(text: str, *, repair: bool = True) -> Report:
    """Split ``text`` into articles and check each one (see module docstring).

    With ``repair`` (the default), a text garbled by PDF extraction (觃定 for
    规定…) is repaired first (``textio.repair_extraction``; it leaves clean
    text alone) and ``Report.repaired`` counts the characters changed; the
    report then shows the repaired text. The signature is not an article."""
    repaired = 0
    if repair:
        text, repaired = repair_extraction(text)
    articles, _, _ = strip_signature(split_articles(text))
    report = Report(title=title_of(text), articles=articles, repaired=repaired)
    for article in articles:
        report.findings.extend(check_article(article))
    report.laws_cited = cited_laws(articles)
    return report
