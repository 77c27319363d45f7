"""Demo data for 行政执法: officers and certificates (valid, expiring,
suspended), discretion benchmarks for agriculture (种子法, 农药管理条例) and
综合执法 (城市市容和环境卫生管理条例), penalty cases at every step of the
general procedure, a summary-procedure case, an overdue case, a case with an
approved extension, two transfers to the police (one pending, one answered),
published (masked) decisions and a withdrawn one.

Called by ``manage.py load_demo`` after org's loader (the demo district), in
one transaction. Idempotent: officers are looked up by person, certificates
by number, violation types by (unit, code), cases by (unit, cause); only
what is missing is created. Everything goes through ``services`` with the
demo people as actors where their roles allow it (the system otherwise), so
every step is audited and checked against the legal order.

Dates are explicit: the demo's "today" is ``TODAY`` (the project's
reference date); every step of a case is dated relative to its filing date
and taken "on" that date (the services' ``today`` is the step's own day, as
the server's clock would have been), so each case sits where its story says
it does on that day and no date is back-filled.

The lawful story (案卷评查): the 执法大队 handles the agriculture cases, but
they are filed, decided and published by the 区农业农村局 (its 代字, its
seal; organs.py); the 局长 approves and decides, the 局长 and the 分管副局长
discuss collectively, the 区司法局 reviewer (not an officer of the case)
signs the 法制审核; remedies name the 区人民政府 and the 区人民法院.
"""

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.core import privacy
from fazhi.enforcement import organs, rules, services
from fazhi.enforcement.models import (
    AnnualCheck,
    Benchmark,
    Certificate,
    EnforcementCode,
    Officer,
    PenaltyCase,
    PoliceTransfer,
    PublicationRecord,
    PublicationStatus,
    ViolationType,
)
from fazhi.org import services as org_services
from fazhi.org.demo import DEMO_PASSWORD, DemoLogin, credit_code, unit_name
from fazhi.org.models import Person, Role, RoleAssignment, Unit

TODAY = date(2026, 11, 26)

ISSUER = "示范省人民政府"  # 行政执法证 are issued by the provincial government (ENF-25)


# ================================================================ officers

@dataclass(frozen=True)
class DemoOfficer:
    username: str
    name: str  # used only when the person is created here
    unit: str  # org.demo unit key
    post: str
    number: str
    field: str
    valid_from: date
    valid_to: date
    category: str
    suspended: bool = False  # 2026 annual check failed → 暂扣


AGRI, CITY = "农业综合行政执法", "城市管理综合行政执法"

OFFICERS = (
    DemoOfficer("zhifa_officer", "何建军", "nyj_zfdd", "", "99010120210015", AGRI, date(2021, 3, 1),
                date(2027, 2, 28), "农业综合执法"),
    # Expires within 60 days of TODAY: on the dashboard of the unit administrator (ENF-25).
    DemoOfficer("zhifa_officer2", "罗鹏", "nyj_zfdd", "", "99010120210032", AGRI, date(2021, 1, 11),
                date(2027, 1, 10), "农业综合执法"),
    DemoOfficer("zhifa_officer3", "张立华", "nyj_zfdd", "执法队员", "99010120240107", AGRI, date(2024, 4, 1),
                date(2030, 3, 31), "农业综合执法"),
    DemoOfficer("zhifa_officer4", "钱伟", "nyj_zfdd", "执法队员", "99010120230088", AGRI, date(2023, 6, 1),
                date(2029, 5, 31), "农业综合执法", suspended=True),
    DemoOfficer("zonghe_officer", "唐刚", "zhzf", "", "99010320220021", CITY, date(2022, 5, 1),
                date(2028, 4, 30), "城市管理综合执法"),
    DemoOfficer("zonghe_officer2", "韦国栋", "zhzf", "执法一中队队员", "99010320230046", CITY, date(2023, 9, 1),
                date(2029, 8, 31), "城市管理综合执法"),
    DemoOfficer("zonghe_officer3", "蒙丽", "zhzf", "执法二中队队员", "99010320250013", CITY, date(2025, 2, 1),
                date(2031, 1, 31), "城市管理综合执法"),
)

# The 代字 belong to the enforcing organ of each demo unit (organs.py): the
# 农业农村局 for its 执法大队, the 综合行政执法局 itself.
CODES = {"nyj_zfdd": ("示范农罚立", "示范农罚决"), "zhzf": ("示范综执罚立", "示范综执罚决")}

# The second leader of each organ for collective discussions (ENF-05/08): the
# org demo has one head per organ. (username, name, org.demo unit key, post)
DEPUTIES = {"nyj_zfdd": ("nongye_deputy", "黄志刚", "nyj", "分管执法工作的副局长"),
            "zhzf": ("zonghe_deputy", "莫少华", "zhzf", "副局长")}

# Who acts for each unit (org.demo usernames); the system acts where the role is missing.
ACTORS = {
    "nyj_zfdd": {"officer": "zhifa_officer", "head": "nongye_head", "clerk": "nongye_clerk",
                 "admin": "nongye_admin", "presider": "陈晓燕"},
    "zhzf": {"officer": "zonghe_officer", "head": "zonghe_head", "clerk": "zonghe_head", "admin": "admin",
             "presider": "冯立新"},
}
REVIEWER = "sifa_reviewer"


# ============================================================ benchmarks

@dataclass(frozen=True)
class DemoViolation:
    unit: str
    code: str
    name: str
    field: str
    legal_basis: str
    penalty_basis: str
    # (severity, fine_min, fine_max, circumstances, other penalties)
    ranges: tuple[tuple[str, int, int, str, str], ...]


SEED_BASIS = "《中华人民共和国种子法》"
PESTICIDE = "《农药管理条例》"
CITY_RULE = "《城市市容和环境卫生管理条例》"

VIOLATIONS = (
    DemoViolation(
        "nyj_zfdd", "NY-ZZ-001", "销售假种子", "种子",
        f"{SEED_BASIS}第四十八条第一款：禁止生产经营假、劣种子。",
        f"{SEED_BASIS}第七十四条：由县级以上人民政府农业农村主管部门责令停止生产经营，没收违法所得和种子，"
        "吊销种子生产经营许可证；违法生产经营的货值金额不足二万元的，并处二万元以上二十万元以下罚款；"
        "货值金额二万元以上的，并处货值金额十倍以上二十倍以下罚款。",
        (("minor", 20000, 50000, "货值金额不足二千元，首次违法，主动停止销售并召回", "没收违法所得和种子"),
         ("general", 50000, 100000, "货值金额二千元以上不足一万元", "没收违法所得和种子"),
         ("serious", 100000, 150000, "货值金额一万元以上不足二万元，或造成一定减产损失", "没收违法所得和种子"),
         ("grave", 150000, 200000, "货值金额接近二万元，或造成较大面积减产、绝收",
          "没收违法所得和种子，吊销种子生产经营许可证"))),
    DemoViolation(
        "nyj_zfdd", "NY-ZZ-002", "未取得种子生产经营许可证生产经营种子", "种子",
        f"{SEED_BASIS}第三十二条第一款：从事种子进出口业务、主要农作物和主要林木种子生产经营的，应当取得种子生产经营许可证。",
        f"{SEED_BASIS}第七十七条第一款第（一）项：责令改正，没收违法所得和种子；违法生产经营的货值金额不足一万元的，"
        "并处三千元以上三万元以下罚款；货值金额一万元以上的，并处货值金额三倍以上五倍以下罚款。",
        (("minor", 3000, 8000, "货值金额不足二千元，及时改正", "没收违法所得和种子"),
         ("general", 8000, 15000, "货值金额二千元以上不足五千元", "没收违法所得和种子"),
         ("serious", 15000, 25000, "货值金额五千元以上不足八千元", "没收违法所得和种子"),
         ("grave", 25000, 30000, "货值金额八千元以上不足一万元，或拒不改正", "没收违法所得和种子"))),
    DemoViolation(
        "nyj_zfdd", "NY-NY-001", "经营假农药", "农药",
        f"{PESTICIDE}第二十八条第一款、第四十四条：农药经营者不得经营假农药。",
        f"{PESTICIDE}第五十五条第一款第（二）项：责令停止经营，没收违法所得、违法经营的农药和用于违法经营的工具、设备等，"
        "违法经营的农药货值金额不足1万元的，并处5000元以上5万元以下罚款，货值金额1万元以上的，"
        "并处货值金额5倍以上10倍以下罚款；情节严重的，由发证机关吊销农药经营许可证。",
        (("minor", 5000, 15000, "货值金额不足二千元，首次违法", "没收违法所得和违法经营的农药"),
         ("general", 15000, 30000, "货值金额二千元以上不足五千元", "没收违法所得和违法经营的农药"),
         ("serious", 30000, 40000, "货值金额五千元以上不足八千元", "没收违法所得和违法经营的农药"),
         ("grave", 40000, 50000, "货值金额八千元以上不足一万元，或造成药害事故",
          "没收违法所得和违法经营的农药，吊销农药经营许可证"))),
    DemoViolation(
        "nyj_zfdd", "NY-NY-002", "未按规定建立农药采购、销售台账", "农药",
        f"{PESTICIDE}第二十四条、第二十五条：农药经营者应当建立采购台账、销售台账，如实记录并保存不少于2年。",
        f"{PESTICIDE}第五十七条第一款第（三）项：责令改正；拒不改正或者情节严重的，处2000元以上2万元以下罚款，"
        "并由发证机关吊销农药经营许可证。",
        (("minor", 0, 0, "首次发现且立即改正（责令改正，不予罚款）", ""),
         ("general", 2000, 8000, "拒不改正，台账缺失三个月以内", ""),
         ("serious", 8000, 15000, "拒不改正，台账缺失三个月以上", ""),
         ("grave", 15000, 20000, "拒不改正且导致问题农药无法追溯", "吊销农药经营许可证"))),
    DemoViolation(
        "zhzf", "ZH-SR-001", "擅自设置大型户外广告", "市容环境卫生",
        f"{CITY_RULE}第十一条：大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后，"
        "按照有关规定办理审批手续。",
        f"{CITY_RULE}第三十六条第（一）项、《示范省城市市容和环境卫生管理条例》第四十二条第（一）项："
        "未经批准擅自设置大型户外广告的，责令停止违法行为，限期拆除，并处一万元以下罚款。",
        (("minor", 500, 1000, "面积10平方米以下，责令后及时拆除", "责令限期拆除"),
         ("general", 1000, 3000, "面积10至30平方米", "责令限期拆除"),
         ("serious", 3000, 6000, "面积30平方米以上，或逾期不拆除", "责令限期拆除"),
         ("grave", 6000, 10000, "影响交通、存在安全隐患或多次违法", "责令限期拆除"))),
    DemoViolation(
        "zhzf", "ZH-SR-002", "在街道两侧和公共场地乱堆乱放物料", "市容环境卫生",
        f"{CITY_RULE}第十七条第一款：一切单位和个人，都不得在城市道路两侧和公共场地堆放物料。",
        f"{CITY_RULE}第三十六条第（三）项、《示范省城市市容和环境卫生管理条例》第四十二条第（三）项："
        "在城市道路两侧和公共场地堆放物料的，责令停止违法行为，限期清理，并处二千元以下罚款。",
        (("minor", 50, 200, "占用面积5平方米以下，当场清理", "责令当场清理"),
         ("general", 200, 500, "占用面积5至20平方米", "责令限期清理"),
         ("serious", 500, 1000, "占用面积20平方米以上，或影响通行", "责令限期清理"),
         ("grave", 1000, 2000, "多次违法或拒不清理", "责令限期清理"))),
)


# ================================================================= cases

STEPS = ("pending", "investigating", "notified", "hearing", "legal_review", "reviewed", "discussion", "decided",
         "served", "executed", "closed", "archived")


@dataclass(frozen=True)
class DemoCase:
    unit: str
    cause: str
    vt: str  # violation type code
    severity: str
    target: str  # a STEPS value
    filed_on: date
    party_kind: str
    party_name: str
    facts: str
    fine: int
    source: str = "日常检查"
    party_id_no: str = ""
    party_address: str = ""
    party_phone: str = ""
    party_legal_rep: str = ""
    hearing: bool = False  # the party asks for a hearing (intended fine ≥ the ENF-07 threshold)
    statement: str = ""  # a statement recorded in the window
    is_complex: bool = False
    extension_days: int = 0
    testing_days: int = 0  # a 检测 period excluded from the case period (ENF-08), from filing + 9 days
    transfer: str = ""  # "", "pending" (已移送待回复), "accepted" (公安立案 → terminated)
    withdrawn: bool = False  # the decision is revoked on 复议 and its publication withdrawn
    other_penalties: str = ""


PERSON, ORG = "person", "org"

CASES = (
    DemoCase("nyj_zfdd", "孙某某未取得种子生产经营许可证经营玉米种子案", "NY-ZZ-002", "minor", "pending",
             TODAY - timedelta(days=2), PERSON, "孙德明",
             "孙德明在龙凤镇集市摆摊销售散装玉米种子，未能出示种子生产经营许可证。",
             5000, source="投诉举报", party_id_no="990101197803124417", party_address="示范区龙凤镇新华村3组",
             party_phone="13985001234"),
    DemoCase("nyj_zfdd", "龙凤镇丰收农资店未取得种子生产经营许可证经营水稻种子案", "NY-ZZ-002", "general",
             "investigating", date(2026, 11, 16), ORG, "示范区龙凤镇丰收农资店",
             "丰收农资店未取得种子生产经营许可证，销售杂交水稻种子120千克，货值金额3600元。",
             10000, party_id_no=credit_code("92", "MA6H0K1X"), party_address="示范区龙凤镇兴隆街18号",
             party_legal_rep="黄秀英"),
    DemoCase("nyj_zfdd", "白沙镇绿源农药经营部未按规定建立农药销售台账案", "NY-NY-002", "general", "notified",
             date(2026, 11, 13), ORG, "示范区白沙镇绿源农药经营部",
             "经营部2026年7月至9月未建立农药销售台账，经责令改正后仍未改正。",
             5000, party_id_no=credit_code("92", "MA6H2M3Y"), party_address="示范区白沙镇白沙街45号",
             party_legal_rep="韦明"),
    DemoCase("nyj_zfdd", "李某某销售假玉米种子案（听证）", "NY-ZZ-001", "minor", "hearing",
             date(2026, 11, 9), PERSON, "李长青",
             "李长青在白沙镇销售标注品种与实际不符的玉米种子40袋，经检验为假种子，货值金额1200元。",
             30000, source="投诉举报", party_id_no="990101198511203318", party_address="示范区白沙镇和平村7组",
             party_phone="13698005678", hearing=True),
    DemoCase("nyj_zfdd", "兴农农资有限公司经营假农药案", "NY-NY-001", "minor", "legal_review",
             date(2026, 10, 30), ORG, "示范区兴农农资有限公司",
             "该公司销售的“吡虫啉”可湿性粉剂经检验有效成分与标签不符，属假农药，货值金额1500元。",
             12000, party_id_no=credit_code("91", "MA6H3P4Y"), party_address="示范区城关镇农贸路9号",
             party_legal_rep="周国强"),
    DemoCase("nyj_zfdd", "城关镇惠民种业门市未取得种子生产经营许可证案", "NY-ZZ-002", "general", "reviewed",
             date(2026, 10, 23), ORG, "示范区城关镇惠民种业门市",
             "惠民种业门市未取得种子生产经营许可证，销售玉米种子和油菜种子，货值金额4200元。",
             12000, party_id_no=credit_code("92", "MA6H4Q5A"), party_address="示范区城关镇建设路66号",
             party_legal_rep="蒙春燕", statement="当事人称系代朋友销售，请求从轻处罚。"),
    DemoCase("nyj_zfdd", "王某某销售假水稻种子案", "NY-ZZ-001", "minor", "discussion",
             date(2026, 10, 12), PERSON, "王福贵",
             "王福贵销售无标签水稻种子冒充“黔优88”，经鉴定为假种子，货值金额900元。",
             25000, party_id_no="990101196907158832", party_address="示范区龙凤镇团结村2组",
             party_phone="13508012345", statement="当事人对违法事实无异议，称不知是假种子，请求减轻处罚。"),
    DemoCase("nyj_zfdd", "丰登农资经营部未按规定建立农药采购台账案", "NY-NY-002", "general", "decided",
             date(2026, 11, 2), ORG, "示范区丰登农资经营部",
             "经营部采购农药未建立采购台账，无法提供2026年上半年进货来源，责令改正后逾期未改正。",
             4000, party_id_no=credit_code("92", "MA6H5R6B"), party_address="示范区白沙镇农贸市场2号",
             party_legal_rep="杨德胜"),
    DemoCase("zhzf", "鑫源商贸有限公司擅自设置大型户外广告案", "ZH-SR-001", "general", "served",
             date(2026, 10, 22), ORG, "示范区鑫源商贸有限公司",
             "该公司未经批准在人民路与解放路交叉口楼顶设置户外广告牌一块，面积约24平方米。",
             2000, party_id_no=credit_code("91", "MA6H6R7C"), party_address="示范区人民路102号",
             party_legal_rep="刘晓东", other_penalties="责令限期拆除"),
    DemoCase("nyj_zfdd", "谷丰合作社经营假农药案", "NY-NY-001", "minor", "executed",
             date(2026, 9, 14), ORG, "示范区谷丰种植专业合作社",
             "合作社向社员销售的草甘膦水剂经检验有效成分含量为零，属假农药，货值金额800元。",
             8000, party_id_no=credit_code("93", "MA6H7T8D"), party_address="示范区白沙镇谷丰村",
             party_legal_rep="罗建华"),
    DemoCase("nyj_zfdd", "田园农资店未按规定建立农药销售台账案", "NY-NY-002", "general", "closed",
             date(2026, 8, 10), ORG, "示范区田园农资店",
             "农资店销售限制使用农药未建立销售台账，责令改正后仍未改正。",
             3000, party_id_no=credit_code("92", "MA6H8U9E"), party_address="示范区城关镇东门街21号",
             party_legal_rep="何秀兰", statement="当事人表示已补建台账，请求从轻处罚。"),
    DemoCase("nyj_zfdd", "张某某销售假玉米种子案", "NY-ZZ-001", "minor", "archived",
             date(2026, 6, 8), PERSON, "张海涛",
             "张海涛在龙凤镇销售假冒“正大619”玉米种子60袋，经检验为假种子，货值金额1800元，造成部分农户出苗率低。",
             40000, source="投诉举报", party_id_no="990101197512086619", party_address="示范区龙凤镇石桥村5组",
             party_phone="13885012233", hearing=True),
    # Overdue: filed more than 90 days before TODAY, not decided, no extension (ENF-08).
    DemoCase("nyj_zfdd", "赵某某未按规定建立农药经营台账案", "NY-NY-002", "general", "notified",
             date(2026, 7, 20), PERSON, "赵永福",
             "赵永福经营农药未建立采购、销售台账，经责令改正后拒不改正。",
             3000, party_id_no="990101198203045516", party_address="示范区白沙镇长岭村4组",
             party_phone="15885014455", statement="当事人称不识字，不会记台账。"),
    # An approved extension of the 90-day limit (ENF-08).
    DemoCase("nyj_zfdd", "金穗种业有限公司销售假种子案", "NY-ZZ-001", "general", "investigating",
             date(2026, 8, 24), ORG, "示范区金穗种业有限公司",
             "该公司销售的杂交玉米种子涉嫌为假种子，涉及三个乡镇的农户，需委托省级检验机构进行真实性检测。",
             80000, party_id_no=credit_code("91", "MA6H9W1F"), party_address="示范区工业园区8号",
             party_legal_rep="陈志远", is_complex=True, extension_days=30, testing_days=28),
    # 两法衔接: transferred, awaiting the police's reply (the case is suspended).
    DemoCase("nyj_zfdd", "宏达种业经营部销售假种子案（涉嫌犯罪）", "NY-ZZ-001", "grave", "investigating",
             date(2026, 10, 26), ORG, "示范区宏达种业经营部",
             "该经营部销售假玉米种子货值金额约8.6万元，造成农户玉米大面积减产，涉嫌销售伪劣种子罪。",
             200000, source="上级交办", party_id_no=credit_code("92", "MA6HA2G1"), party_address="示范区城关镇北门街3号",
             party_legal_rep="吴宏达", transfer="pending"),
    # 两法衔接: transferred, the police filed a criminal case; the administrative case ends.
    DemoCase("nyj_zfdd", "刘某某经营假农药案（涉嫌犯罪）", "NY-NY-001", "grave", "investigating",
             date(2026, 9, 1), PERSON, "刘金山",
             "刘金山销售假除草剂，造成农户水稻药害绝收约60亩，直接经济损失约12万元，涉嫌销售伪劣农药罪。",
             50000, source="投诉举报", party_id_no="990101197009237713", party_address="示范区龙凤镇龙凤村1组",
             party_phone="13985016677", transfer="accepted"),
    # A published decision later revoked on 行政复议 and withdrawn from the portal (ENF-11).
    DemoCase("zhzf", "鸿运酒楼擅自设置大型户外广告案", "ZH-SR-001", "serious", "closed",
             date(2026, 7, 6), ORG, "示范区鸿运酒楼",
             "该酒楼未经批准在临街外墙设置户外广告牌，面积约36平方米，逾期不拆除。",
             4000, party_id_no=credit_code("92", "MA6HB3H3"), party_address="示范区解放路58号",
             party_legal_rep="覃志明", other_penalties="责令限期拆除", withdrawn=True),
    DemoCase("zhzf", "建安建筑工程公司在公共场地乱堆乱放建筑材料案", "ZH-SR-002", "serious", "archived",
             date(2026, 5, 11), ORG, "示范区建安建筑工程有限公司",
             "该公司在滨河路人行道堆放砂石和钢管，占用面积约40平方米，影响行人通行，经责令后逾期未清理。",
             800, party_id_no=credit_code("91", "MA6HC4J5"), party_address="示范区滨河路200号",
             party_legal_rep="莫建安"),
)


@dataclass(frozen=True)
class DemoSummaryCase:
    unit: str
    cause: str
    vt: str
    severity: str
    on: date
    party_kind: str
    party_name: str
    facts: str
    fine: int
    party_address: str = ""
    place: str = ""


SUMMARY_CASES = (
    DemoSummaryCase("zhzf", "覃某某在人行道乱堆乱放杂物案（当场处罚）", "ZH-SR-002", "minor", date(2026, 11, 5), PERSON,
                    "覃小军", "覃小军在滨河路人行道堆放废旧纸箱，占用面积约4平方米，经劝导未当场清理。", 100,
                    party_address="示范区滨河路12号", place="示范区滨河路12号门前人行道"),
)


# ============================================================ files

def _png(seed: str) -> bytes:
    """A small valid PNG (a 16×16 tile whose colour depends on ``seed``)."""
    r, g, b = hashlib.sha256(seed.encode()).digest()[:3]
    raw = b"".join(b"\x00" + bytes((r, g, b)) * 16 for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) — a stand-in for a scanned record."""
    text = text.encode("ascii", "replace").decode().replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# What each record looks like: (carrier, title, PNG or PDF).
RECORDS = {
    "filing_form": ("scan", "立案审批表", "pdf"),
    "inspection": ("photo", "现场检查照片", "png"),
    "inquiry": ("minutes", "询问笔录", "pdf"),
    "notice_service": ("scan", "行政处罚事先告知书送达回证", "pdf"),
    "statement": ("minutes", "陈述申辩笔录", "pdf"),
    "hearing_record": ("minutes", "听证笔录", "pdf"),
    "legal_review": ("scan", "法制审核意见书", "pdf"),
    "discussion": ("minutes", "集体讨论记录", "pdf"),
    "decision": ("scan", "行政处罚决定书", "pdf"),
    "spot_decision": ("scan", "当场行政处罚决定书", "pdf"),
    "decision_service": ("scan", "行政处罚决定书送达回证", "pdf"),
    "payment": ("photo", "银行缴款回单", "png"),
    "closing": ("scan", "结案报告", "pdf"),
    "transfer": ("scan", "涉嫌犯罪案件移送书", "pdf"),
}


def _at(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


# ============================================================ the loader

class _Loader:
    def __init__(self, out, today: date):
        self.out, self.today = out, today
        self.now = _at(today, 20)
        self.units = {key: Unit.objects.get(name=unit_name(key)) for key in ("nyj_zfdd", "zhzf")}
        self.users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
        self.logins: list[DemoLogin] = []
        self.created = {"officers": 0, "cases": 0}

    # ---------------------------------------------------------- actors

    def by(self, unit_key: str, who: str, permission: str):
        """The demo user acting as ``who`` for the unit, if their roles allow; else the system."""
        username = REVIEWER if who == "reviewer" else ACTORS[unit_key][who]
        user = self.users.get(username)
        unit = self.units[unit_key]
        return user if user is not None and services.may(user, permission, unit) else None

    # --------------------------------------------------------- officers

    def person(self, spec: DemoOfficer) -> Person | None:
        person = Person.objects.filter(user__username=spec.username).first()
        if person is None:
            if get_user_model().objects.filter(username=spec.username).exists():
                return None  # an account without a person: leave it alone, as org.demo does
            person, _ = org_services.create_person(self.units[spec.unit], by=None, username=spec.username,
                                                   name=spec.name, post=spec.post, password=DEMO_PASSWORD)
            self.users[spec.username] = person.user
            if not RoleAssignment.objects.filter(person=person, role=Role.OFFICER).exists():
                org_services.grant_role(person, by=None, role=Role.OFFICER, unit=self.units[spec.unit])
            self.logins.append(DemoLogin(spec.username, person.name, person.unit.display_name,
                                         f"执法人员@{person.unit.display_name}", DEMO_PASSWORD))
        return person

    def officers(self) -> dict[str, list[Officer]]:
        by_unit: dict[str, list[Officer]] = {k: [] for k in self.units}
        for spec in OFFICERS:
            person = self.person(spec)
            if person is None or person.unit_id != self.units[spec.unit].pk:
                continue
            admin = self.by(spec.unit, "admin", "enforcement.manage_officers")
            officer = Officer.objects.filter(person=person).first()
            if officer is None:
                officer = services.register_officer(person, by=admin, category=spec.category)
                self.created["officers"] += 1
            cert = Certificate.objects.filter(number=spec.number).first()
            if cert is None:
                cert = services.issue_certificate(officer, by=admin, number=spec.number, issuing_authority=ISSUER,
                                                  field=spec.field, valid_from=spec.valid_from,
                                                  valid_to=spec.valid_to)
            for year in range(max(spec.valid_from.year + 1, 2024), self.today.year + 1):
                if AnnualCheck.objects.filter(certificate=cert, year=year).exists():
                    continue
                failed = spec.suspended and year == self.today.year
                services.record_annual_check(
                    cert, by=admin, year=year, checked_on=date(year, 3, 20),
                    result=AnnualCheck.Result.FAILED if failed else AnnualCheck.Result.PASSED,
                    note="年度执法案卷评查不合格，暂扣执法证件，待培训考试合格后恢复" if failed else "")
            if not spec.suspended:
                by_unit[spec.unit].append(officer)
        for key, (case_prefix, decision_prefix) in CODES.items():
            organ = organs.organ_of(self.units[key])
            if not EnforcementCode.objects.filter(case_prefix=case_prefix).exists():
                admin = self.users.get(ACTORS[key]["admin"])
                admin = admin if admin is not None and services.may(admin, "enforcement.manage_officers", organ) \
                    else None
                services.set_enforcement_code(organ, by=admin, case_prefix=case_prefix,
                                              decision_prefix=decision_prefix)
        return by_unit

    def leaders(self, unit_key: str) -> list[Person]:
        """The organ's head and a deputy head (created here if missing), for collective discussions."""
        organ = organs.organ_of(self.units[unit_key])
        head = Person.objects.filter(user__username=ACTORS[unit_key]["head"]).first()
        username, name, org_key, post = DEPUTIES[unit_key]
        deputy = Person.objects.filter(user__username=username).first()
        if deputy is None and not get_user_model().objects.filter(username=username).exists():
            deputy, _ = org_services.create_person(Unit.objects.get(name=unit_name(org_key)), by=None,
                                                   username=username, name=name, post=post, password=DEMO_PASSWORD)
            org_services.grant_role(deputy, by=None, role=Role.HEAD, unit=organ, include_subunits=True)
            self.users[username] = deputy.user
            self.logins.append(DemoLogin(username, name, deputy.unit.display_name,
                                         f"单位负责人@{organ.display_name}", DEMO_PASSWORD))
        return [p for p in (head, deputy) if p is not None]

    # ------------------------------------------------------- benchmarks

    def violations(self) -> dict[str, ViolationType]:
        out = {}
        for spec in VIOLATIONS:
            unit = self.units[spec.unit]
            head = self.by(spec.unit, "head", "enforcement.manage_benchmarks")
            vt = ViolationType.objects.filter(unit=unit, code=spec.code).first()
            if vt is None:
                vt = services.create_violation_type(unit=unit, by=head, code=spec.code, name=spec.name,
                                                    field=spec.field, legal_basis=spec.legal_basis,
                                                    penalty_basis=spec.penalty_basis)
            for severity, lo, hi, circumstances, other in spec.ranges:
                if not Benchmark.objects.filter(violation_type=vt, severity=severity).exists():
                    services.set_benchmark(vt, by=head, severity=severity, fine_min=lo, fine_max=hi,
                                           circumstances=circumstances, other_penalties=other)
            out[spec.code] = vt
        return out

    # ------------------------------------------------------------ cases

    def attach(self, case: PenaltyCase, record_type: str, on: date, officer: Officer) -> None:
        kind, title, fmt = RECORDS[record_type]
        label = f"fazhi demo {record_type} case {case.pk} {on.isoformat()}"
        data = _png(label) if fmt == "png" else _pdf(label)
        services.attach_evidence(  # uploaded the evening it was made
            case, by=self.by_unit_of(case, "officer", "enforcement.handle_case"),
            upload=ContentFile(data, name=f"{title}.{fmt}"), record_type=record_type, kind=kind, title=title,
            captured_at=_at(on, 15), captured_by=officer.person, now=_at(on, 20))

    def by_unit_of(self, case, who, permission):
        key = next(k for k, u in self.units.items() if u.pk == case.unit_id)
        return self.by(key, who, permission)

    def case(self, spec: DemoCase, officers: list[Officer], vts: dict[str, ViolationType]) -> None:
        unit = self.units[spec.unit]
        if PenaltyCase.objects.filter(unit=unit, cause=spec.cause).exists() or len(officers) < 2:
            return
        officer = self.by(spec.unit, "officer", "enforcement.handle_case")
        head = self.by(spec.unit, "head", "enforcement.approve")
        reviewer = self.by(spec.unit, "reviewer", "enforcement.legal_review")
        clerk = self.by(spec.unit, "clerk", "enforcement.publish")
        i = CASES.index(spec)  # rotate the pairs so every certified officer handles cases
        team = [officers[i % len(officers)], officers[(i + 1) % len(officers)]]
        lead = team[0]
        target = STEPS.index(spec.target)
        discovered = spec.filed_on - timedelta(days=2)
        vt = vts[spec.vt]
        case = services.create_case(
            unit=unit, by=officer, cause=spec.cause, source=spec.source, party_kind=spec.party_kind,
            party_name=spec.party_name, party_id_no=spec.party_id_no, party_address=spec.party_address,
            party_phone=spec.party_phone, party_legal_rep=spec.party_legal_rep, facts=spec.facts,
            discovered_on=discovered, today=discovered, violation_ended_on=discovered, violation_type=vt,
            severity=spec.severity, is_complex=spec.is_complex)
        self.created["cases"] += 1
        services.assign_officers(case, by=officer, officers=team, lead=lead, today=discovered)
        if target == 0:
            return
        f = spec.filed_on
        services.file_case(case, by=head, today=f)
        self.attach(case, "filing_form", f, lead)
        self.attach(case, "inspection", f + timedelta(days=1), lead)
        self.attach(case, "inquiry", f + timedelta(days=2), lead)
        if spec.testing_days:
            sent = f + timedelta(days=9)
            stop = services.start_clock_stop(
                case, by=officer, today=sent, kind="testing", starts_on=sent,
                reason="涉案种子送省级种子质量检验机构进行真实性（DNA指纹）检测",
                basis="《农业行政处罚程序规定》关于检测、检验、鉴定期间不计入办案期限的规定")
            back = sent + timedelta(days=spec.testing_days)
            services.end_clock_stop(stop, by=officer, today=back, ends_on=back)
        if spec.extension_days:
            approved = date(2026, 11, 20)
            services.extend_deadline(
                case, by=head, today=approved, days=spec.extension_days,
                reason="检测报告确认为假种子，涉及三个乡镇的受损农户须逐户调查取证、核定损失，案情复杂，需延长办案期限。",
                basis="《中华人民共和国行政处罚法》第六十条；《农业行政处罚程序规定》关于案情复杂的案件经负责人批准延长办案期限的规定")
        if spec.transfer:
            self.transfer(case, spec, officer)
            return
        if target == 1:
            return
        notice_on = f + timedelta(days=10)
        services.notify(case, by=officer, today=notice_on, intended_fine=spec.fine,
                        intended_penalty=f"罚款人民币{spec.fine}元" + (f"，{spec.other_penalties}"
                                                                      if spec.other_penalties else ""),
                        notice_reasons=f"{spec.facts}上述行为违反了{vt.legal_basis}依据{vt.penalty_basis}")
        self.attach(case, "notice_service", notice_on, lead)
        case.refresh_from_db()
        after = case.statement_due + timedelta(days=1)
        if spec.statement:
            said = notice_on + timedelta(days=2)
            services.record_statement(case, by=officer, today=said, received_on=said, text=spec.statement,
                                      answer="经复核，当事人陈述的情况已在裁量时予以考虑。")
            self.attach(case, "statement", said, lead)
        if spec.hearing:
            asked = notice_on + timedelta(days=2)
            services.request_hearing(case, by=officer, today=asked, requested_on=asked)
            notified = notice_on + timedelta(days=3)
            hearing_on = rules.earliest_hearing_date(notified)
            services.schedule_hearing(case, by=officer, today=notified, notified_on=notified, hearing_date=hearing_on,
                                      place=f"{organs.organ_of(unit).name}听证室",
                                      presider=ACTORS[spec.unit]["presider"])
            if spec.target == "hearing":
                return
            services.hold_hearing(case, by=officer, today=hearing_on, held_on=hearing_on,
                                  summary="当事人到场陈述申辩，承认销售事实，但称不知种子为假，请求减轻处罚。")
            self.attach(case, "hearing_record", hearing_on, lead)
            after = max(after, hearing_on + timedelta(days=1))
        if target == 2:
            return
        case.refresh_from_db()
        major = rules.is_major(case, fine=spec.fine)
        if major or spec.target in ("legal_review", "reviewed"):
            services.submit_legal_review(case, by=officer, today=after)
            if spec.target == "legal_review":
                return
            services.legal_review(case, by=reviewer, today=after + timedelta(days=2), passed=True,
                                  opinion="主体适格，事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度在裁量基准范围内，同意。")
            self.attach(case, "legal_review", after + timedelta(days=2), lead)
            if spec.target == "reviewed":
                return
        if major or spec.target == "discussion":
            met = after + timedelta(days=4)
            services.submit_discussion(case, by=officer, today=after + timedelta(days=3))
            services.record_discussion(case, by=head, today=met, discussed_on=met, members=self.leaders(spec.unit),
                                       attendees="执法大队大队长、政策法规科科长" if spec.unit == "nyj_zfdd" else "执法一中队中队长",
                                       conclusion=f"同意按裁量基准处以罚款{spec.fine}元。")
            self.attach(case, "discussion", met, lead)
            if spec.target == "discussion":
                return
        decided = after + timedelta(days=5)
        services.decide(case, by=head, today=decided, penalty_kinds="罚款" + ("、责令限期拆除" if spec.other_penalties
                                                                             else ""),
                        fine_amount=spec.fine, other_penalties=spec.other_penalties,
                        reasons=self.reasons(case, spec, vt))
        self.attach(case, "decision", decided, lead)
        if spec.target == "decided":
            return
        served = decided + timedelta(days=2)
        services.serve(case, by=officer, today=served, served_on=served, method="direct")
        self.attach(case, "decision_service", served, lead)
        pub = PublicationRecord.objects.get(case=case, status=PublicationStatus.PENDING)
        privacy.decide_pending(pub, decision="mask", by=clerk)  # e.g. the place of the violation
        services.publish(pub, by=clerk, today=decided + timedelta(days=3))
        if spec.target == "served":
            return
        paid = decided + timedelta(days=9)
        services.record_payment(case, by=officer, today=paid, paid_on=paid, amount=spec.fine,
                                bank_receipt_no=f"NSH{paid:%Y%m%d}{case.pk:05d}")
        self.attach(case, "payment", paid, lead)
        services.complete_execution(case, by=officer, today=paid)
        if spec.target == "executed":
            return
        services.close_case(case, by=officer, today=paid + timedelta(days=3),
                            summary="当事人已履行处罚决定，罚款已缴入国库，案件执行完毕，建议结案。")
        self.attach(case, "closing", paid + timedelta(days=3), lead)
        if spec.withdrawn:
            changed = date(2026, 11, 16)
            services.record_decision_change(case, by=head, today=changed, changed_on=changed,
                                            reason="区人民政府行政复议决定撤销原处罚决定（示范府复决〔2026〕12号）")
            services.withdraw_publication(PublicationRecord.objects.get(case=case, status=PublicationStatus.PUBLISHED),
                                          by=clerk, today=changed + timedelta(days=2),
                                          reason="原处罚决定已被行政复议决定撤销")
        if spec.target == "closed":
            return
        services.archive_case(case, by=officer, today=paid + timedelta(days=10),
                              archive_no=f"{paid.year}-{spec.unit}-{case.pk:04d}")

    @staticmethod
    def reasons(case: PenaltyCase, spec: DemoCase, vt: ViolationType) -> str:
        """The 处罚理由 of a demo decision: the benchmark applied and why (ENF-10, ENF-24)."""
        bm = Benchmark.objects.get(violation_type=vt, severity=spec.severity)
        text = (f"当事人的上述行为事实清楚、证据确凿。根据本机关公布的行政处罚裁量基准，本案属“{bm.get_severity_display()}”"
                f"情形（{bm.circumstances}），在罚款{bm.fine_min:.0f}元至{bm.fine_max:.0f}元的幅度内，"
                f"决定处以罚款{spec.fine}元。")
        if spec.statement:
            text += "当事人提出的陈述、申辩意见经复核已在裁量时予以考虑。"
        if spec.hearing:
            text += "当事人在听证中称不知种子为假，但不能提供种子的合法来源，其不予处罚的意见不予采纳。"
        return text

    def transfer(self, case: PenaltyCase, spec: DemoCase, officer) -> None:
        on = spec.filed_on + timedelta(days=11)
        t = services.transfer_to_police(
            case, by=officer, today=on, transferred_on=on, receiving_organ="示范区公安分局",
            suspected_crime="销售伪劣种子罪" if spec.vt.startswith("NY-ZZ") else "销售伪劣农药罪",
            reason=f"{spec.facts}依据《中华人民共和国刑法》第一百四十七条及《行政执法机关移送涉嫌犯罪案件的规定》，移送公安机关。",
            materials="涉嫌犯罪案件移送书、案件调查报告、检验报告、现场检查笔录、询问笔录、涉案物品清单")
        lead = case.case_officers.select_related("officer__person").order_by("role", "pk").first().officer
        self.attach(case, "transfer", on, lead)
        if spec.transfer == "accepted":
            replied = on + timedelta(days=20)
            services.record_transfer_reply(
                t, by=officer, today=replied, reply_on=replied, accepted=True,
                reply="示范区公安分局《立案告知书》：经审查，认为有犯罪事实需要追究刑事责任，决定立案侦查。",
                outcome="公安机关已立案侦查，行政处罚案件终止办理；涉案农药已移交公安机关。")

    def summary_case(self, spec: DemoSummaryCase, officers: list[Officer], vts) -> None:
        unit = self.units[spec.unit]
        if PenaltyCase.objects.filter(unit=unit, cause=spec.cause).exists() or len(officers) < 2:
            return
        officer = self.by(spec.unit, "officer", "enforcement.handle_case")
        case = services.summary_decide(
            unit=unit, by=officer, today=spec.on, officers=officers[:2], cause=spec.cause,
            party_kind=spec.party_kind, party_name=spec.party_name, party_address=spec.party_address,
            penalty_kinds="罚款", fine_amount=spec.fine, facts=spec.facts, place=spec.place,
            violation_type=vts[spec.vt], severity=spec.severity)
        self.created["cases"] += 1
        lead = officers[0]
        self.attach(case, "spot_decision", spec.on, lead)
        paid = spec.on + timedelta(days=3)
        services.record_payment(case, by=officer, today=paid, paid_on=paid, amount=spec.fine,
                                bank_receipt_no=f"NSH{paid:%Y%m%d}{case.pk:05d}")
        self.attach(case, "payment", paid, lead)
        services.complete_execution(case, by=officer, today=paid)
        services.close_case(case, by=officer, today=paid + timedelta(days=1),
                            summary="当事人已当场清理并到银行缴纳罚款，结案。")

    # ------------------------------------------------------------- run

    def run(self) -> list[DemoLogin]:
        officers = self.officers()
        vts = self.violations()
        # In filing order, so case and decision numbers follow the calendar.
        for spec in sorted(CASES, key=lambda c: c.filed_on):
            self.case(spec, officers[spec.unit], vts)
        for spec in SUMMARY_CASES:
            self.summary_case(spec, officers[spec.unit], vts)
        published = PublicationRecord.objects.filter(status=PublicationStatus.PUBLISHED).count()
        self.out.write(
            f"行政执法：新增执法人员 {self.created['officers']} 名（共 {Officer.objects.count()} 名），"
            f"违法行为类型 {ViolationType.objects.count()} 个，新增案件 {self.created['cases']} 件"
            f"（共 {PenaltyCase.objects.count()} 件，移送公安 {PoliceTransfer.objects.count()} 件），"
            f"已公示决定 {published} 件（演示日期 {self.today.isoformat()}）")
        return self.logins


def load(out, *, today: date = TODAY) -> list[DemoLogin]:
    """Create what is missing of the enforcement demo; return the log-ins of
    the officers created here (the others are org's)."""
    return _Loader(out, today).run()

