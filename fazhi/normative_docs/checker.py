"""Pre-review checker for a draft normative document (issue 3 item 5, issue 12 §3).

Advice for the legality reviewer, not a finding of unlawfulness: it marks the
provisions a reviewer must look at under NDOC-03 (优化营商环境条例 art. 64: no
许可, 处罚, 强制, 收费, new duties or reduced rights without a basis in a higher
law) and NDOC-06 (公平竞争审查条例: no exclusion or restriction of
competition), and warns about citations of repealed laws (``laws.py``).

Each finding names the article, a *kind* (收费, 许可审批, 备案义务, 资质资格,
一律禁止, 无偿收回, 自设处罚, 效力优先 …, see ``KINDS``) grouped under one of
the eight ``CATEGORIES``, the matched words, the reason a reviewer would write
and the rule it rests on (行政处罚法 art. 16, 行政许可法 art. 17, 行政强制法
art. 10, NDOC-03, NDOC-06).

How a provision is matched, and why it is strict:

* Every pattern is matched within one sentence (split on 。；！？ and line
  breaks), so a rule never joins words from two provisions.
* Negated or protective wording is not a finding: “不得收取任何费用”, “免费”,
  “不得指定…经营者”, “无需审批”, “依法给予补偿”.
* A provision that states its legal basis is accepted as a reviewer would:
  “依照《公路法》第七十七条…处以五千元以下罚款” is not 自设处罚, nor is a
  penalty named only generically (“依法给予警告、罚款、拘留等行政处罚”, no
  amount, no term). Fixing the level of a penalty (“一律顶格处罚”) is flagged
  even with a basis: it removes the discretion the law gives.
* 增加义务 and 减损权利 are about duties and rights of citizens and
  enterprises, so they need a private subject: the nearest subject before the
  modal verb must be a citizen-type word (企业, 经营者, 申请人, 任何单位和
  个人…), not an authority (部门, 窗口, 工作人员…). “窗口工作人员应当为企业
  提供咨询服务” is a duty of the administration and is not flagged. Words
  after 向/报/经/会同 are objects (“应向县民政部门申请”), not subjects.
* Prohibitions of what is already unlawful (非法、擅自、未经许可…) are not
  一律禁止; a ban on lawful business (“禁止销售烟花爆竹”, “全面关停棺木市场”)
  is.

One finding per (article, kind); ``matched`` lists the matched words in text
order, joined by “、”. Findings are ordered by article, then by the order of
``KINDS``. Title lines of the preamble (“…关于禁止…的通告”) are headings, not
provisions, and are not checked.
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

_NDOC03 = "NDOC-03（优化营商环境条例第六十四条）"


@dataclass(frozen=True)
class Kind:
    name: str
    category: str  # one of CATEGORIES
    reason: str  # what a reviewer writes
    rule: str  # the rule it rests on


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("许可审批", "行政许可",
             "以批准、核准、同意或取得许可证、证明作为从事活动的前提，实为设定行政许可；"
             "行政规范性文件不得设定行政许可，条文未写明法律、法规依据",
             "行政许可法第十七条；" + _NDOC03),
        Kind("自设处罚", "行政处罚",
             "由文件自行规定罚款数额、没收、拘留、吊销等处罚，条文未写明法律、法规依据；"
             "行政规范性文件不得设定行政处罚，应删除或写明所依据的条款",
             "行政处罚法第十六条"),
        Kind("行政强制", "行政强制",
             "规定查封、扣押、强制拆除等行政强制措施或强制执行；行政规范性文件不得设定行政强制",
             "行政强制法第十条、第十三条"),
        Kind("收费", "收费",
             "由文件设立收费项目或要求缴纳费用、保证金、有偿使用费；收费须有法律、法规依据并经批准",
             _NDOC03),
        Kind("备案义务", "增加义务",
             "新设备案、报备义务，增加了公民、法人和其他组织的义务，须有法律、法规依据",
             _NDOC03),
        Kind("资质资格", "增加义务",
             "设定资质、资格或申办条件，增加了准入条件，须有法律、法规依据",
             _NDOC03 + "；行政许可法第十七条"),
        Kind("其他新增义务", "增加义务",
             "要求公民、法人或者其他组织履行的义务，须核对上位法依据",
             _NDOC03),
        Kind("一律禁止", "减损权利",
             "一律或全面禁止、关停依法可以从事的活动，条文未写明法律依据，属减损权利",
             _NDOC03),
        Kind("无偿收回", "减损权利",
             "收回权利、许可或设施而不予补偿；依法变更、撤回已生效的许可造成损失的，应当依法给予补偿",
             "行政许可法第八条；" + _NDOC03),
        Kind("其他减损权利", "减损权利",
             "限制公民、法人或者其他组织的权利，须核对上位法依据",
             _NDOC03),
        Kind("排除限制竞争", "排除限制竞争",
             "对特定经营者给予优惠、与税收挂钩的奖励或限定交易，可能排除、限制竞争，应经公平竞争审查",
             "NDOC-06（公平竞争审查条例第八条至第十二条）"),
        Kind("效力优先", "与上位法冲突",
             "规定本文件优先于其他规定适用；规范性文件不能自定优先效力，只能就本机关此前文件作出衔接规定",
             _NDOC03),
        Kind("引用失效法律", "与上位法冲突",
             "引用的法律、法规已废止或被替代，不能作为依据，应改引现行规定",
             _NDOC03),
    )
}  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[。；;！!？?\n])")
_CLAUSE_END = re.compile(r"[，,：:]")

# Words for private parties (whose rights and duties NDOC-03 protects) and
# for the administration. The nearest one before a modal verb is its subject.
_CITIZEN = (
    r"公民|法人|其他组织|中介机构|中介服务机构|检测机构|培训机构|金融机构|企业|经营者|经营户|个体工商户|"
    r"个人(?!信息|隐私)|申请人|当事人|商户|业主|从业人员|市场主体|生产者|销售者|经营单位|用人单位|"
    r"建设单位|施工单位|设置人|所有人|使用人|承租人|投标人|供应商|居民|村民|驾驶人|车主|"
    r"华侨|外籍华人|港澳台胞|丧户|养殖户|养殖专业户|农户|投资者|投资方|驾驶员|经营业户|摊主|出租人|户主"
)
_AUTHORITY = (
    r"行政机关|国家机关|机关|主管部门|部门|人民政府|政府|窗口|工作人员|执法人员|公职人员|机构|办公室|"
    r"乡镇|街道|服务中心|中心|执法局|管理局|城管局|委员会|居委会|村委会"
)
_SUBJECT = re.compile(rf"(?P<c>{_CITIZEN})|(?P<a>{_AUTHORITY})")
_ANYONE = re.compile(r"任何(?:单位|组织|人)(?:和|或者|或|、)?(?:个人)?")
# A subject word after one of these is an object or an addressee
# (“应向县民政部门申请”, “报县人民政府批准”), not the one bound.
_OBJECT_MARK = re.compile(r"(?:向|到|报|经|对|给|与|会同|通过|委托)[^，,。；;、]{0,14}$")

# Negations that make the following words harmless (or protective).
_NEG = r"不得|严禁|禁止|不予|免予|免于|无需|无须|不需|不需要|不再|取消|免收|免除|不收取|不要求|不设|不实行|无偿|不准"
_NEG_BEFORE = re.compile(rf"(?:{_NEG})[^，,。；]{{0,3}}$")
_FEE_NEG = re.compile(r"免费|免收|免除|不收取|不得收取|不另行收取|不另收|无偿|零收费|不收费|免交|免缴|不得向[^，。；]{0,12}收取")
# Sentences that discipline how fees are collected rather than set one.
_FEE_DISCIPLINE = re.compile(r"收费许可证|许可证制度|收费票据|收费批准文件|专款专用|挪作他用|拒付|拒缴|明码标价")

_NUM = r"[\d零〇一二两三四五六七八九十百千万.，,]+"

# A legal basis stated in the sentence: 依照《公路法》第七十七条, 依据国务院
# 《烟花爆竹安全管理条例》. A document that is not a law (…实施方案) is no basis.
_BASIS = re.compile(
    r"(?:依照|依据|根据|按照|按|适用)[^。；;，,]{0,6}?《[^《》]{1,40}?(?:法|条例|规定|办法|决定|细则|规则)"
    r"(?:（[^）]*）|\([^)]*\))?》"
)
# A penalty stated with its measure: an amount, a multiple, a term.
_MEASURE = re.compile(rf"{_NUM}\s*(?:万)?元|{_NUM}\s*倍|{_NUM}\s*(?:日|天|个月)|一定数额|顶格")
_GENERIC = re.compile(r"依法|依照|依据|按照|根据|按有关|相关法律|有关法律|有关规定")
# Objects of a prohibition that are unlawful anyway.
_UNLAWFUL = re.compile(
    r"非法|违法|无证|无照|未经|未获得|未取得|未列入|擅自|私自|乱|随意|假冒|伪劣|伪造|涂改|倒卖|国家明令|危险品|有毒|有害|封建迷信"
    r"|不符合[^。；，,]{0,4}?标准|不合格|病死|毒死|死因不明|腐烂|变质|未经检疫"
)
# Lawful economic activity (a verb, not 经营者/经营户).
_ECONOMIC = r"(?:经营|销售|生产|制造|从事|开展|设立|开办|营业|出租|养殖|种植|运输|储存|摆摊|出摊)(?!者|户|单位|主体|场所|权)"
_TITLE_LINE = re.compile(
    r"^[^。；;，,：:]{4,80}(?:通告|公告|通知|办法|规定|细则|意见|决定|方案|政策|规则|条例)(?:（[^）]*）|\([^)]*\))?\s*$"
)

_MODAL = re.compile(r"应当|必须|(?<![必无])须|不得|禁止|严禁|需要|务必")


def _subject_of(sentence: str, pos: int) -> str | None:
    """'c' (citizen-type), 'a' (authority) or None for the subject of the
    modal at ``pos``: the nearest subject word before the sentence's first
    modal verb. Words after it are objects (“不得指定中介机构，不得…”), so
    are words after 向/报/经 (“应向县外事管理部门申请”)."""
    first = _MODAL.search(sentence, 0, pos + 1)
    end = min(pos, first.start()) if first else pos
    last = None
    for m in _SUBJECT.finditer(sentence, 0, end):
        if _OBJECT_MARK.search(sentence, 0, m.start()):
            continue
        last = "c" if m.group("c") else "a"
    return last


def _clause_before(sentence: str, pos: int) -> str:
    start = 0
    for m in _CLAUSE_END.finditer(sentence, 0, pos):
        start = m.end()
    return sentence[start:pos]


def _negated(sentence: str, m: re.Match) -> bool:
    return bool(_NEG_BEFORE.search(_clause_before(sentence, m.start())))


def _cites_basis(sentence: str) -> bool:
    return bool(_BASIS.search(sentence))


def _not_negated(sentence: str, m: re.Match) -> bool:
    return not _negated(sentence, m)


def _without_basis(sentence: str, m: re.Match) -> bool:
    """Not negated, and the sentence does not state its legal basis."""
    return not _negated(sentence, m) and not _cites_basis(sentence)


def _private_subject(sentence: str, m: re.Match) -> bool:
    """The duty or restriction falls on a citizen or an enterprise."""
    if _negated(sentence, m) or _cites_basis(sentence):
        return False
    if _ANYONE.search(sentence, 0, m.start()):
        return True
    return _subject_of(sentence, m.start()) == "c"


def _duty_on_private(sentence: str, m: re.Match) -> bool:
    """A private duty not merely restating the law (“必须依法办理”)."""
    return _private_subject(sentence, m) and not re.match(r"(?:应当|必须|须|需要|务必)(?:依法|依照)", m.group(0))


def _not_fee_negated(sentence: str, m: re.Match) -> bool:
    if _negated(sentence, m) or _cites_basis(sentence) or _FEE_DISCIPLINE.search(sentence):
        return False
    clause_start = len(_clause_before(sentence, m.start()))
    clause = sentence[m.start() - clause_start : m.end() + 10]
    return not _FEE_NEG.search(clause)


def _restriction_on_private(sentence: str, m: re.Match) -> bool:
    """不得/禁止 binding citizens or enterprises in lawful business, outside a
    未经…不得 or 未取得…许可证…不得 licence (those are 行政许可 findings)
    and not about what is unlawful anyway (不得擅自…, 禁止非法…)."""
    if _UNLICENSED.search(sentence, 0, m.start()):
        return False
    tail = sentence[m.end() : m.end() + 20]
    if _UNLAWFUL.search(tail[:8]) or not re.match(rf"[^。；;，,]{{0,14}}?(?:{_ECONOMIC})", tail):
        return False
    return _private_subject(sentence, m)


_UNLICENSED = re.compile(r"未经|未(?:取得|办理|领取|持有)[^。；，]{0,15}?(?:许可证|许可|批准文件|《)")


def _not_on_authority(sentence: str, m: re.Match) -> bool:
    """A licence wording that is not the administration's own duty
    (“窗口应当为企业办理许可证提供帮办服务” is a service, not a licence)."""
    return _without_basis(sentence, m) and _subject_of(sentence, m.start()) != "a"


def _limit_on_private(sentence: str, m: re.Match) -> bool:
    if _negated(sentence, m) or _cites_basis(sentence):
        return False
    return _subject_of(sentence, m.start()) == "c" or bool(re.search(_CITIZEN, m.group(0)))


def _not_after_bude(sentence: str, m: re.Match) -> bool:
    """“不得以…为由不予受理” protects the applicant."""
    return "不得" not in sentence[: m.start()] and not _negated(sentence, m)


def _own_penalty(sentence: str, m: re.Match) -> bool:
    """A penalty the document states itself: not negated, no legal basis in
    the sentence, and not a generic reference (“依法给予警告、罚款等行政处罚”
    with no amount or term)."""
    if not _without_basis(sentence, m):
        return False
    if not _MEASURE.search(sentence) and _GENERIC.search(sentence, 0, m.start()):
        return False
    return True


def _blanket(sentence: str, m: re.Match) -> bool:
    """A ban on lawful activity: no basis stated, not about unlawful acts,
    not the administration restraining itself."""
    if not _without_basis(sentence, m):
        return False
    if _UNLAWFUL.search(sentence[max(0, m.start() - 6) : m.end() + 12]):
        return False  # 国家明令禁止销售的, 禁止非法生产
    return _subject_of(sentence, m.start()) != "a" or bool(_ANYONE.search(sentence))


def _uncompensated(sentence: str, m: re.Match) -> bool:
    """Taking back without compensation: the sentence does not promise
    compensation (“依法给予补偿”, “给予适当补偿”)."""
    if _cites_basis(sentence):
        return False
    if re.search(r"(?<!不)(?<!不予)(?:给予|予以)(?:合理|适当|相应|一定)?(?:的)?补偿|依法补偿", sentence) and "不" not in m.group(0):
        return False
    return True


def _selective_benefit(sentence: str, m: re.Match) -> bool:
    return (
        not _negated(sentence, m)
        and bool(re.search(r"本地|本县|本市|本区|本镇|本省|辖区内|在本[县市区镇]|特定|指定|注册地|纳入[^。；，,]{0,8}?(?:范畴|范围|名录|目录)", sentence))
        and bool(re.search(r"企业|经营者|供应商|商户|市场主体", sentence))
    )


def _market_context(sentence: str, m: re.Match) -> bool:
    return not _negated(sentence, m) and bool(re.search(r"企业|经营者|市场|供应商|商户|投标|行业", sentence))


Condition = Callable[[str, re.Match], bool]


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern
    when: Condition = _without_basis
    reason: str = ""  # overrides the kind's reason
    rule: str = ""  # overrides the kind's rule

    @property
    def category(self) -> str:
        return KINDS[self.kind].category


def _r(kind: str, pattern: str, when: Condition = _without_basis, reason: str = "", rule: str = "") -> _Rule:
    return _Rule(kind, re.compile(pattern), when, reason, rule)


_DOC = r"(?:办法|规定|细则|意见|通知|通告|公告|决定|措施|方案|规则)"

RULES: tuple[_Rule, ...] = (
    # 许可审批 (行政许可法 arts. 14–17: only laws, regulations and provincial rules may create licences)
    _r("许可审批", r"(?:须|需|必须|应当|应)(?:先|事先|预先|依法)?报?经(?:过)?[^。；，,]{0,20}?(?:批准|审批|许可|核准|审核同意|同意)"),
    _r("许可审批", r"(?:应当|须|需|必须)(?:依法)?(?:取得|办理|申领|领取|持有)[^。；，,]{0,15}?(?:许可证|许可|批准文件|核准)"),
    # A licence required of a private party: 应当向…申请…许可证, 取得…许可证, 未取得…不得.
    _r("许可审批", r"(?:应当|须|需|必须)[^。；，,]{0,15}?(?:申请|申领|办理|取得)[^。；，,]{0,15}?(?:许可证|许可)",
       _not_on_authority),
    _r("许可审批", r"(?<![未已])取得[^。；，,]{0,15}?许可证", _not_on_authority),
    _r("许可审批", r"未(?:取得|办理|领取|持有)[^。；，,]{0,15}?(?:许可证|许可|批准文件|《[^》]{1,20}》)[^。；]{0,20}?不得"),
    _r("许可审批", r"取得[^。；，,]{0,15}?(?:许可证|许可|批准)(?:后|之后)?[^。；]{0,6}?(?:方可|才能|方能)"),
    _r("许可审批", r"未经[^。；]{0,20}?(?:批准|许可|审批|核准|登记|备案|验收|(?:部门|机关|政府|机构)(?:书面)?同意)[^。；]{0,20}?不得"),
    _r("许可审批", r"(?:批准|审批|许可|核准|备案|登记|审核)(?:后|之后)[，,]?[^。；，,]{0,8}?(?:方可|才能|方能|凭)"),
    _r("许可审批", r"(?:须|需|必须|应当|应)凭[^。；，,]{0,15}?(?:证明|许可证|批准文件)", _not_on_authority),
    _r("许可审批", r"经(?![营济费常])[^。；]{0,30}?(?:批准|审批|许可|核准|审核|审查|同意)(?:后|之后)[，,]?[^。；，,]{0,10}?(?:方可|才能|方能)"),
    _r("许可审批", r"报[^。；，,]{0,15}?(?:批准|审批|核准)(?:后|之后)", _not_on_authority),
    _r("许可审批", r"(?:取得|提交|出具)[^。；，,]{0,25}?(?:同意|许可|批准)[^。；，,]{0,6}?(?:的)?证明", _not_on_authority,
       reason="要求取得或提交有关部门同意的证明，实为以审批作为前提，属文件自设的证明事项和变相许可"),
    _r("许可审批", r"准予[^。；，,、\s]{0,4}"),
    _r("许可审批", r"(?:申请|予以|办理)[^。；，,]{0,12}?核准|核准(?:后|之后)"),
    _r("许可审批", r"实行[^。；，,]{0,10}?(?:许可|审批|核准)(?:制度|管理)"),
    # 自设处罚 (行政处罚法 art. 9 lists the kinds; arts. 10–16 who may create them)
    _r("自设处罚", r"(?:处(?![置理分])|罚)[^。；;]{0,25}?元[^。；;，,]{0,8}?(?:罚款|处罚)", _own_penalty),
    _r("自设处罚", rf"{_NUM}倍(?:以下|以上)?(?:的)?罚款|一定数额(?:的)?罚款|罚款{_NUM}元", _own_penalty),
    _r("自设处罚", r"(?:处(?:以)?|并处|可处|给予|予以)罚款", _own_penalty),
    _r("自设处罚", rf"{_NUM}日(?:以上{_NUM}日)?以下(?:的)?(?:行政)?拘留|(?:行政)?拘留", _own_penalty,
       reason="限制人身自由的行政处罚只能由法律设定，文件不得规定拘留", rule="行政处罚法第十条、第十六条"),
    _r("自设处罚", r"(?<!罚)没收(?!入)(?:违法所得|非法财物|违法财物)?", _own_penalty),
    _r("自设处罚", r"吊销(?:[^。；，,、]{0,10}?(?:许可证|营业执照|执照|证书|资格证|证照))?", _own_penalty),
    _r("自设处罚", r"暂扣(?:[^。；，,、]{0,10}?(?:许可证|执照|证书|证照))?", _own_penalty),
    _r("自设处罚", r"责令停产停业|责令停业整顿|责令停业|责令关闭|降低资质等级|限制从业", _own_penalty),
    _r("自设处罚", r"(?:给予|予以|处以|处)警告", _own_penalty),
    _r("自设处罚", r"顶格(?:处罚|处理)|一律从重(?:处罚|处理)?", _not_negated,
       reason="规定一律顶格或从重处罚，限定了法定的处罚幅度和裁量，违反过罚相当",
       rule="行政处罚法第五条、第十六条"),
    # 行政强制 (行政强制法 arts. 9–13)
    _r("行政强制", r"查封|扣押|扣留|冻结|强制执行|强制拆除|强制清除|强制清理|代履行|强制划拨|加处罚款|滞纳金|捕捉|捕杀"),
    # 收费
    _r("收费", r"(?:收取|缴纳|交纳|缴交|预交|预缴|征收)[^。；，,]{0,10}?(?:费用|费|保证金|押金|金)", _not_fee_negated),
    _r("收费", r"实行收费制度|收费标准(?=由)|核定[^。；，,]{0,6}?收费标准", _not_fee_negated),
    _r("收费", r"(?:收取|缴纳|交纳)[^。；，,]{0,12}?(?:保证金|押金)|有偿(?:出让|使用)(?!金|后)", _not_fee_negated),
    # 备案义务 and 资质资格 (NDOC-03: new duties and entry conditions)
    _r("备案义务", r"(?:应当|必须|(?<![必无])须|需要|务必|应)[^。；]{0,25}?(?:备案|报备)(?!后)", _private_subject),
    _r("备案义务", r"(?:应当|必须|(?<![必无])须|务必|应)(?:到|向)[^。；，,]{0,15}?(?:部门|机构|局|站|所)登记", _without_basis),
    _r("资质资格", r"(?:具有|具备|取得|持有)[^。；，,]{0,12}?(?:(?:从业|执业)?资格证书?|从业资格|执业资格|资质|上岗证|执业证)",
       _not_on_authority),
    _r("资质资格", r"(?:须|需|必须|应当|应)具备(?:以下|下列|相应的?)?(?:条件|资质|资格)", _not_on_authority),
    # 其他新增义务 (NDOC-03)
    _r(
        "其他新增义务",
        r"(?:应当|必须|(?<![必无])须|需要|务必)[^。；]{0,20}?"
        r"(?:提交|提供|报送|报告|缴纳|出具|签署|签订|作出|承诺|申报|投保|购买|安装|配备|聘请)",
        _duty_on_private,
    ),
    # 一律禁止 (NDOC-03: reducing rights)
    _r("一律禁止", r"一律(?!由|免|按|以|为|凭|向|在|给予|予以|不收|不得收|视为)[\u4e00-\u9fa5]{1,2}", _blanket),
    _r("一律禁止", rf"全面(?:关停|关闭|取缔|清退)|(?:全面|全域|全时段|常态化)[^。；]{{0,12}}?(?:禁止|停止)[^。；，,]{{0,4}}?(?:{_ECONOMIC})",
       _blanket),
    _r("一律禁止", rf"禁止(?:{_ECONOMIC}|新建)|严禁[^。；，,]{{0,20}}?(?:销售|经营|生产|制造|养殖)|不得从事[^。；，,]{{0,15}}?(?:经营|活动|业务)",
       _blanket),
    # 无偿收回 (行政许可法 art. 8)
    _r("无偿收回", r"(?:不予|不给予|不作|不再给予|不对[^。；，,]{0,8}?给予)[^。；，,]{0,4}?(?:任何)?(?:经济)?补偿", _uncompensated),
    _r("无偿收回", r"无偿收回|收回(?!的)[^。；，,]{0,12}?(?:经营权|使用权|承包权|许可证|执照|摊位|资格|指标)"
       r"|(?:将|把)[^。；，,]{0,8}?(?:摊位|经营权|使用权|许可证)收回", _uncompensated),
    # 其他减损权利 (NDOC-03)
    _r("其他减损权利", r"不得|禁止|严禁", _restriction_on_private),
    _r("其他减损权利", rf"限制(?:[^。；，,]{{0,10}}?(?:{_CITIZEN}))?", _limit_on_private),
    _r("其他减损权利", r"取消[^。；，,]{0,12}?资格|暂停[^。；，,]{0,8}?资格"),
    _r("其他减损权利", r"不予受理|不予办理|不予登记|不予批准|不予发放|不予享受|不再受理", _not_after_bude),
    _r("其他减损权利", r"(?:列入|纳入)(?:黑名单|失信)|联合惩戒"),
    # 排除限制竞争 (NDOC-06, 公平竞争审查条例 arts. 8–12)
    _r("排除限制竞争", r"指定[^。；，,]{0,12}?(?:经营者|供应商|企业|品牌|商家|服务商|产品|厂家|中介机构)", _not_negated),
    _r(
        "排除限制竞争",
        r"本地企业优先|优先(?:选择|采购|使用|选用|录用)(?:本地|本县|本市|本区|本省)"
        r"|(?:本地|本县|本市|本区|本省)(?:企业|产品|供应商|商品)[^。；]{0,8}?优先",
        _not_negated,
    ),
    _r("排除限制竞争", r"限定[^。；，,]{0,15}?(?:购买|使用|经营|接受|选择)", _not_negated),
    _r("排除限制竞争", r"(?:外地|外省|外市|外县|外来|非本地|本地以外)[^。；]{0,20}?(?:不得|禁止|限制|须|需|应当)", _not_negated),
    _r("排除限制竞争", r"设置[^。；，,]{0,10}?壁垒", _not_negated),
    _r("排除限制竞争", r"排斥(?:外地|外来|非本地)|排斥[^。；，,]{0,8}?(?:经营者|企业|供应商)", _not_negated),
    _r("排除限制竞争", r"(?:给予|予以|享受)[^。；]{0,15}?(?:补贴|奖励|奖补|返还|优惠|扶持)", _selective_benefit),
    _r("排除限制竞争", r"(?:税收|税金|地方留成|县级留存|财政所得|所得税|增值税|实缴税)[^。；]{0,40}?(?:奖励|补助|返还|补贴|奖补)",
       _not_negated, reason="按企业缴纳的税收给予奖励或补助，属变相税收返还，排除、限制竞争"),
    _r("排除限制竞争", r"一事一议", _not_negated, reason="“一事一议”给予特定经营者特殊优惠，应经公平竞争审查"),
    _r(
        "排除限制竞争",
        r"(?:设置|设定|设立|提高|增设|限定)[^。；，,]{0,10}?(?:准入|门槛)|准入(?:条件|门槛|限制)",
        _market_context,
    ),
    # 效力优先 (wording; repealed-law citations are added from laws.py)
    _r("效力优先", rf"本{_DOC}优先(?:适用)?|优先适用本{_DOC}", _not_negated),
    _r("效力优先", rf"与[^。；]{{0,20}}?(?:不一致|相抵触|不符)[^。；]{{0,4}}?(?:的)?[，,]?(?:以|按|依|依照|按照|适用)本{_DOC}(?:为准|执行|的规定执行|规定执行)?",
       _not_negated),
    _r("效力优先", rf"以本{_DOC}为准", _not_negated),
    _r("效力优先", r"不受[^。；]{0,20}?(?:法律|法规|规章|《[^》]+》)[^。；]{0,6}?(?:限制|约束)", _not_negated),
)

_CITATION = re.compile(r"《([^《》\n]{2,80})》")


@dataclass(frozen=True)
class Finding:
    article: str  # "第十二条", "一、", or PREAMBLE_LABEL
    category: str  # one of CATEGORIES
    matched: str  # the matched words, "、"-joined
    text: str  # the article text
    kind: str = ""  # one of KINDS
    reason: str = ""  # what a reviewer would write
    rule: str = ""  # the rule it rests on

    def to_dict(self) -> dict:
        return {"article": self.article, "category": self.category, "kind": self.kind, "matched": self.matched,
                "reason": self.reason, "rule": self.rule, "text": self.text}


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
        """The CLI's ``--json`` shape:
        [{"article","category","kind","matched","reason","rule","text"}]."""
        return [f.to_dict() for f in self.findings]

    def counts(self) -> dict[str, int]:
        """Findings per category, in ``CATEGORIES`` order (zero counts kept)."""
        out = dict.fromkeys(CATEGORIES, 0)
        for f in self.findings:
            out[f.category] += 1
        return out

    def kind_counts(self) -> dict[str, int]:
        """Findings per kind, in ``KINDS`` order (zero counts dropped)."""
        out = dict.fromkeys(KINDS, 0)
        for f in self.findings:
            out[f.kind] += 1
        return {k: n for k, n in out.items() if n}

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


_HEADING_START = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|第[一二三四五六七八九十百\d]+[章节条]")


def _sentences(text: str) -> list[str]:
    """``text`` split into sentences. A line break inside a sentence (a long
    line that stops without punctuation, as web pages and PDFs wrap them:
    “…给予警告、罚\n款、拘留…”) is joined first; a short line (a title) and a
    line followed by a heading or item stay apart."""
    lines = text.split("\n")
    joined = [lines[0]] if lines else []
    for line in lines[1:]:
        prev = joined[-1]
        if len(prev) >= 20 and re.search(r"[\u4e00-\u9fa5]$", prev) and not _HEADING_START.match(line):
            joined[-1] = prev + line
        else:
            joined.append(line)
    return _SENTENCE_END.split("\n".join(joined))


def check_article(article: Article) -> list[Finding]:
    """Findings for one article, one per kind, in ``KINDS`` order."""
    hits: dict[str, list[tuple[int, str]]] = {}
    why: dict[str, _Rule] = {}  # the first rule that matched, for its reason
    offset = 0
    for sentence in _sentences(article.text):
        if article.is_preamble and _TITLE_LINE.match(sentence):
            offset += len(sentence)
            continue  # the document's title is a heading, not a provision
        fee_hit = False
        for rule in RULES:
            for m in rule.pattern.finditer(sentence):
                if not m.group(0) or not rule.when(sentence, m):
                    continue
                if rule.kind == "收费":
                    fee_hit = True
                if rule.kind == "其他新增义务" and fee_hit and re.search(r"缴纳|交纳", m.group(0)):
                    continue  # the payment is already a 收费 finding
                hits.setdefault(rule.kind, []).append((offset + m.start(), m.group(0)))
                why.setdefault(rule.kind, rule)
        offset += len(sentence)
    for m in _CITATION.finditer(article.text):
        status = laws.lookup(m.group(1))
        if status and status.is_outdated:
            hits.setdefault("引用失效法律", []).append((m.start(), m.group(0)))
    out = []
    for name, kind in KINDS.items():
        if name not in hits:
            continue
        rule = why.get(name)
        reason = (rule and rule.reason) or kind.reason
        out.append(Finding(_label(article), kind.category, _merge(hits[name]), article.text, name, reason,
                           (rule and rule.rule) or kind.rule))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(out, key=lambda f: order[f.category])  # stable: KINDS order within a category


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
