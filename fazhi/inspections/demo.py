"""Demo data for 双随机、一公开 (一单两库, plans, verifiable draws, results).

Called by ``manage.py load_demo`` after org and enforcement, in one
transaction. Everything goes through ``services`` (and the enforcement and
org services for the market-regulation officers), with the demo people as
actors where their roles allow it (the system otherwise), so every step is
audited and checked against the legal order. Idempotent: people are looked
up by user name, officers by person, certificates by number, inspectors by
officer, items by (unit, number), entities by credit code, plans by (unit,
year, title), tasks by (plan, title), draws by task; a draw or a result is
only moved forward from where it stands.

What it builds (demo "today" ``TODAY`` = the enforcement demo's):

* 区市场监管局 gets six certified officers (the org demo has its head and
  clerk only), so teams of 2 can be drawn there and across departments.
* 检查人员名录库: those officers plus the certified officers of the
  enforcement demo (农业农村局执法大队, 综合执法局); an absence and recusals.
* 抽查事项清单 of 区市场监管局, 区农业农村局, 区综合执法局 and 区生态环境局, published.
* 检查对象名录库: ``ENTITIES`` entities from a deterministic generator
  (valid credit codes, industries, towns, risk and credit levels), loaded
  through the import service (start_import + run_import, all or nothing).
* Plans: 区市场监管局's annual plan (a completed and published draw with all
  results published; a draw whose results are recorded but not published
  past the RAND-07 deadline — it is on the dashboard; a committed draw
  awaiting its reveal), a joint plan (综合查一次) led by 区市场监管局 with
  区农业农村局 and 区综合执法局, and 区农业农村局's annual plan; a few
  non-random inspections (投诉举报) for the share of random inspections.
"""

import csv
import hashlib
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.core import privacy
from fazhi.core.errors import DomainError
from fazhi.enforcement import services as enforcement
from fazhi.enforcement.models import Certificate, Officer
from fazhi.inspections import services
from fazhi.inspections.models import (
    Draw,
    DrawStatus,
    Entity,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionStatus,
    Inspector,
    InspectorAbsence,
    ItemStatus,
    NonRandomReason,
    Plan,
    PlanKind,
    PlanStatus,
    Recusal,
    Result,
    Task,
)
from fazhi.org import services as org_services
from fazhi.org.demo import DEMO_PASSWORD, DemoLogin, credit_code, district, unit_name
from fazhi.org.models import Person, Role, RoleAssignment, Unit

TODAY = date(2026, 11, 26)
ENTITIES = 3000
ISSUER = "示范省人民政府"

# ============================================================== people


@dataclass(frozen=True)
class DemoOfficer:
    username: str
    name: str
    unit: str
    post: str
    number: str
    valid_from: date
    valid_to: date


MARKET = "市场监管综合行政执法"

SCJ_OFFICERS = (
    DemoOfficer("shichang_officer", "林志远", "scj", "执法稽查科科长", "99010220200031", date(2020, 6, 1),
                date(2026, 5, 31)),
    DemoOfficer("shichang_officer2", "覃海燕", "scj", "执法稽查科科员", "99010220220017", date(2022, 3, 1),
                date(2028, 2, 29)),
    DemoOfficer("shichang_officer3", "陆建平", "scj", "食品安全监管科科员", "99010220230052", date(2023, 1, 1),
                date(2028, 12, 31)),
    DemoOfficer("shichang_officer4", "黄晓峰", "scj", "城关市场监管所所长", "99010220210044", date(2021, 9, 1),
                date(2027, 8, 31)),
    DemoOfficer("shichang_officer5", "莫春兰", "scj", "龙凤市场监管所科员", "99010220240009", date(2024, 2, 1),
                date(2030, 1, 31)),
    DemoOfficer("shichang_officer6", "蓝天明", "scj", "白沙市场监管所科员", "99010220250026", date(2025, 4, 1),
                date(2031, 3, 31)),
)
# 林志远's certificate ran out on 2026-05-31 and was renewed (a second certificate).
RENEWALS = {"shichang_officer": ("99010220260008", date(2026, 6, 1), date(2032, 5, 31))}

# Who acts for each department (org.demo user names); the system acts where the role is missing.
ACTORS = {
    "scj": {"clerk": "shichang_clerk", "head": "shichang_head"},
    "nyj": {"clerk": "nongye_clerk", "head": "nongye_head"},
    "zhzf": {"clerk": "zonghe_head", "head": "zonghe_head"},
    "sthj": {},
}

# Inspector pool: enforcement fields per unit key (as the items' ``field``).
FIELDS = {"scj": "市场监管", "nyj_zfdd": "农业", "zhzf": "城市管理"}

# ================================================================ items


@dataclass(frozen=True)
class DemoItem:
    unit: str
    number: str
    name: str
    sub_item: str
    basis: str
    method: str
    content: str
    scope: str
    frequency: str
    kind: str = "general"
    field: str = ""


ITEMS = (
    DemoItem("scj", "SC-001", "食品销售者检查", "食品销售者经营条件和经营行为",
             "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》",
             "现场检查、书面检查", "许可证照、进货查验记录、食品贮存条件、过期食品处置、从业人员健康证明",
             "食品销售者", "不低于5%，每年至少一次", "general", "市场监管"),
    DemoItem("scj", "SC-002", "餐饮服务提供者检查", "餐饮服务经营条件和操作规范",
             "《中华人民共和国食品安全法》第一百一十条；《餐饮服务食品安全操作规范》",
             "现场检查", "许可证照公示、原料控制、加工制作过程、餐用具清洗消毒、食品添加剂使用",
             "餐饮服务提供者", "不低于5%，每年至少一次", "general", "市场监管"),
    DemoItem("scj", "SC-003", "企业公示信息检查", "年度报告公示信息",
             "《企业信息公示暂行条例》第十四条；《市场监督管理信用修复管理办法》",
             "书面检查、实地核查、网络监测", "企业年度报告公示信息的真实性，登记住所（经营场所）能否联系",
             "辖区内企业、农民专业合作社", "不低于3%", "general", "市场监管"),
    DemoItem("scj", "SC-004", "药品零售企业检查", "药品经营质量管理规范执行情况",
             "《中华人民共和国药品管理法》第九十九条；《药品经营质量管理规范》",
             "现场检查", "执业药师在岗、处方药销售、药品储存养护、购销记录",
             "药品零售企业", "不低于10%", "key", "市场监管"),
    DemoItem("scj", "SC-005", "特种设备使用单位检查", "特种设备使用登记和定期检验",
             "《中华人民共和国特种设备安全法》第五十七条",
             "现场检查", "使用登记、定期检验、作业人员持证、安全管理制度和应急预案",
             "特种设备使用单位", "重点检查，不设上限", "key", "市场监管"),
    DemoItem("scj", "SC-006", "广告发布检查", "广告内容合法性",
             "《中华人民共和国广告法》第四十九条", "网络监测、现场检查",
             "虚假广告、违法使用绝对化用语、医疗药品保健食品广告审查", "广告主、广告经营者、广告发布者",
             "不低于3%", "general", "市场监管"),
    DemoItem("nyj", "NY-001", "农药经营检查", "农药经营许可和经营台账",
             "《农药管理条例》第二十四条、第二十五条、第四十一条", "现场检查",
             "农药经营许可证、采购和销售台账、限制使用农药定点经营、标签", "农药经营者", "不低于10%", "general", "农业"),
    DemoItem("nyj", "NY-002", "种子经营检查", "种子生产经营许可和标签",
             "《中华人民共和国种子法》第三十二条、第四十条、第四十一条", "现场检查、抽样检验",
             "种子生产经营许可证、种子标签和使用说明、经营档案", "种子经营者", "不低于5%", "general", "农业"),
    DemoItem("nyj", "NY-003", "兽药经营检查", "兽药经营质量管理规范",
             "《兽药管理条例》第二十二条、第二十四条", "现场检查",
             "兽药经营许可证、购销记录、兽药储存", "兽药经营者", "不低于5%", "general", "农业"),
    DemoItem("zhzf", "ZH-001", "户外广告设施设置检查", "大型户外广告设置审批",
             "《城市市容和环境卫生管理条例》第十一条", "现场检查", "设置审批、设施安全",
             "户外广告设置单位", "不低于3%", "general", "城市管理"),
    DemoItem("sthj", "HJ-001", "排污单位检查", "排污许可执行情况",
             "《排污许可管理条例》第二十六条", "现场检查、资料核查", "排污许可证载明事项执行、自行监测、台账记录",
             "持有排污许可证的单位", "不低于5%", "general", "生态环境"),
)

# ============================================================= entities

REGIONS = (("城关镇", 30), ("龙凤镇", 22), ("白沙镇", 18), ("新华街道", 16), ("兴隆街道", 14))
# industry, weight, share of 个体工商户, name suffixes (individual, company)
INDUSTRIES = (
    ("餐饮服务", 18, 0.8, ("小吃店", "餐馆", "饭店", "米粉店"), ("餐饮管理有限公司", "餐饮有限公司")),
    ("食品销售", 20, 0.7, ("食品店", "便利店", "副食店", "水果店"), ("商贸有限公司", "超市有限公司")),
    ("农资经营", 8, 0.6, ("农资店", "农药经营部", "种子门市"), ("农资有限公司", "农业科技有限公司")),
    ("药品零售", 5, 0.2, ("药店",), ("大药房有限公司", "医药连锁有限公司")),
    ("日用百货零售", 14, 0.85, ("百货店", "日杂店", "五金店"), ("商贸有限公司",)),
    ("建材销售", 6, 0.5, ("建材店", "陶瓷经营部"), ("建材有限公司",)),
    ("美容美发", 6, 0.9, ("理发店", "美容店"), ("美容服务有限公司",)),
    ("电子商务", 5, 0.3, ("网店",), ("电子商务有限公司", "网络科技有限公司")),
    ("种植养殖", 8, 0.0, (), ("种养专业合作社", "生态农业有限公司")),
    ("机动车维修", 4, 0.6, ("汽修店", "摩托车修理店"), ("汽车服务有限公司",)),
    ("特种设备使用", 5, 0.0, (), ("物业服务有限公司", "酒店有限公司", "机械制造有限公司")),
    ("加油站", 1, 0.0, (), ("石化加油站有限公司",)),
)
TRADE_NAMES = ("鑫源", "兴隆", "惠民", "丰收", "长青", "金穗", "宏达", "顺发", "佳和", "永安", "福满", "绿源", "康泰",
               "众鑫", "利民", "华联", "新禾", "瑞丰", "恒通", "益农", "乐家", "德润", "嘉禾", "盛世", "天成", "和美")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦覃蒙莫陆蓝黎"
GIVEN = ("建华", "秀英", "志强", "海燕", "国庆", "春兰", "德明", "丽华", "明", "伟", "芳", "勇", "小红", "永福",
         "桂兰", "文斌", "金凤", "光荣", "玉梅", "家豪", "晓东", "美玲", "立新", "翠花")
STREETS = ("建设路", "人民路", "兴业街", "新华街", "和平路", "农贸路", "中山路", "解放街", "滨江路", "工业园路")
RISK = (("low", 70), ("medium", 22), ("high", 8))
CREDIT = (("A", 60), ("B", 30), ("C", 8), ("D", 2))
CSV_HEADER = ("名称", "统一社会信用代码", "主体类型", "行业", "区域", "住所", "法定代表人", "联系人", "联系电话",
              "风险等级", "信用等级", "最近检查日期")
RISK_LABELS = {"low": "低", "medium": "中", "high": "高"}


def _pick(rnd: random.Random, weighted):
    return rnd.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def entity_rows(n: int) -> list[dict]:
    """``n`` demo entities, always the same (seeded): valid credit codes
    (91 企业, 92 个体工商户, 93 农民专业合作社), names, towns, risk and credit levels."""
    rnd = random.Random(20260101)
    rows = []
    for i in range(n):
        industry = rnd.choices(INDUSTRIES, [x[1] for x in INDUSTRIES])[0]
        name_i, _w, p_individual, ind_suffixes, co_suffixes = industry
        region = _pick(rnd, REGIONS)
        person = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        trade = rnd.choice(TRADE_NAMES)
        individual = rnd.random() < p_individual
        if individual:
            cat, etype = "92", "个体工商户"
            # Some individual businesses trade under the operator's own name.
            shop = person if rnd.random() < 0.25 else trade
            name = f"{district()}{region}{shop}{rnd.choice(ind_suffixes)}"
        else:
            suffix = rnd.choice(co_suffixes)
            cat, etype = ("93", "农民专业合作社") if "合作社" in suffix else ("91", "有限责任公司")
            name = f"{district()}{trade}{suffix}" if rnd.random() < 0.5 else f"{district()}{region}{trade}{suffix}"
        last = ""
        if rnd.random() < 0.3:
            last = (date(2024, 1, 1) + timedelta(days=rnd.randrange(1000))).isoformat()
        rows.append({
            "name": f"{name}（{i + 1}）" if rnd.random() < 0.02 else name,
            "credit_code": credit_code(cat, f"MA7{i:05d}"),
            "entity_type": etype, "industry": name_i, "region": region,
            "address": f"{district()}{region}{rnd.choice(STREETS)}{rnd.randint(1, 300)}号",
            "legal_rep": person, "contact": person,
            "phone": f"1{rnd.choice('3589')}{rnd.randint(0, 9)}{rnd.randint(10000000, 99999999)}",
            "risk_level": _pick(rnd, RISK), "credit_level": _pick(rnd, CREDIT), "last_inspected_on": last,
        })
    return rows


def entities_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    for r in rows:
        w.writerow([r["name"], r["credit_code"], r["entity_type"], r["industry"], r["region"], r["address"],
                    r["legal_rep"], r["contact"], r["phone"], RISK_LABELS[r["risk_level"]], r["credit_level"],
                    r["last_inspected_on"]])
    return buf.getvalue().encode("utf-8")


# ================================================================ plans


@dataclass(frozen=True)
class DemoTask:
    title: str
    items: tuple[str, ...]  # item numbers
    planned_start: date
    planned_end: date
    sample_size: int | None = None
    sample_ratio: str | None = None
    industries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    stratify_by: tuple[str, ...] = ()
    team_size: int = 2
    exclude_recent_months: int = 0
    committed: date | None = None
    revealed: date | None = None
    witness: str = ""
    published: bool = False  # the draw
    results: str = ""  # "", "published" (all on time), "overdue" (recorded; a third not published), "closed"
    handover: bool = False


@dataclass(frozen=True)
class DemoPlan:
    unit: str
    title: str
    kind: str
    approved: date
    tasks: tuple[DemoTask, ...]
    participants: tuple[str, ...] = ()
    description: str = ""


# SYS-03: the demo enters months of past checks at once; a date more than
# FAZHI_BACKDATE_DAYS back needs a reason (recorded in the trail only when late).
DEMO_LATE = "演示数据：补录本年度已完成的检查"

LOTTERY = "福利彩票双色球第{}期开奖号码 {}（监督人现场输入）"
LOTTERY_SOURCE = "冻结后下一期福利彩票双色球开奖号码"


def _demo_secret(task: Task) -> str:
    """The demo 纪检 witness's secret. In real use a witness makes theirs up at the
    ceremony; the demo derives one from the task so that re-running it (and the
    later reveal) finds the same secret."""
    return "演示秘密-" + hashlib.sha256(f"fazhi-demo-witness:{task.title}".encode()).hexdigest()[:12]

PLANS = (
    DemoPlan("scj", "2026年度市场监管领域双随机抽查工作计划", PlanKind.ANNUAL, date(2026, 2, 20), (
        DemoTask("2026年第一批食品经营者双随机抽查", ("SC-001", "SC-002"), date(2026, 3, 16), date(2026, 5, 29),
                 sample_ratio="0.03", industries=("餐饮服务", "食品销售"), stratify_by=("region",),
                 exclude_recent_months=12, committed=date(2026, 3, 10), revealed=date(2026, 3, 12),
                 witness=LOTTERY.format("2026027", "03 08 15 21 27 30 + 11"), published=True, results="closed"),
        DemoTask("2026年第三批企业公示信息抽查", ("SC-003",), date(2026, 10, 12), date(2026, 11, 6),
                 sample_size=30, stratify_by=("risk_level",), committed=date(2026, 10, 9),
                 revealed=date(2026, 10, 10), witness=LOTTERY.format("2026117", "05 11 17 22 26 31 + 04"),
                 published=True, results="overdue"),
        DemoTask("2026年第四批特种设备使用单位抽查", ("SC-005",), date(2026, 12, 1), date(2026, 12, 25),
                 sample_size=10, industries=("特种设备使用", "加油站"), committed=date(2026, 11, 24)),
    ), description="按照“双随机、一公开”要求，对辖区市场主体开展随机抽查，双随机抽查占比不低于30%。"),
    DemoPlan("scj", "2026年农资和食品领域部门联合抽查计划（综合查一次）", PlanKind.JOINT, date(2026, 5, 15), (
        DemoTask("农资和食品经营者部门联合双随机抽查", ("SC-001", "NY-001"), date(2026, 6, 1), date(2026, 6, 30),
                 sample_size=12, industries=("农资经营", "食品销售"), regions=("龙凤镇", "白沙镇"), team_size=3,
                 committed=date(2026, 5, 25), revealed=date(2026, 5, 26),
                 witness=LOTTERY.format("2026059", "02 09 13 18 24 33 + 07"), published=True, results="published",
                 handover=True),
    ), participants=("nyj", "zhzf"),
        description="区市场监管局牵头，区农业农村局、区综合执法局参加，“进一次门、查多项事”。"),
    DemoPlan("nyj", "2026年度农业农村领域双随机抽查工作计划", PlanKind.ANNUAL, date(2026, 3, 2), (
        DemoTask("2026年农药和种子经营者双随机抽查", ("NY-001", "NY-002"), date(2026, 7, 1), date(2026, 8, 31),
                 sample_ratio="0.05", industries=("农资经营",), committed=date(2026, 6, 24),
                 revealed=date(2026, 6, 25), witness=LOTTERY.format("2026071", "01 06 12 19 25 29 + 15"),
                 published=True, results="published"),
    )),
)

RESULT_MIX = ((Result.NONE_FOUND, 70), (Result.CORRECTED, 10), (Result.NOT_DISCLOSED, 5), (Result.UNREACHABLE, 4),
              (Result.NO_ACTIVITY, 4), (Result.FOLLOW_UP, 4), (Result.FALSE_DISCLOSURE, 3))
FINDINGS = {
    Result.NONE_FOUND: "",
    Result.CORRECTED: "现场检查发现{what}，已当场责令改正，经营者{rep}（联系电话{phone}）已签字确认。",
    Result.NOT_DISCLOSED: "未按规定在国家企业信用信息公示系统公示年度报告。",
    Result.UNREACHABLE: "通过登记的住所（经营场所）无法联系，已拨打登记电话{phone}无人接听。",
    Result.NO_ACTIVITY: "检查时未发现开展本次抽查涉及的经营活动。",
    Result.FOLLOW_UP: "发现涉嫌经营标签不符合规定的产品，已抽样送检，待检验结果后依法处理。",
    Result.FALSE_DISCLOSURE: "年度报告公示的从业人数、经营场所与实际不符。",
}
WHAT = ("未公示食品经营许可证", "进货查验记录不完整", "从业人员健康证明过期", "食品贮存区域卫生不达标", "价格标签不规范")

COMPLAINTS = (
    ("scj", "投诉举报：消费者反映销售过期食品", Result.CORRECTED, date(2026, 4, 8)),
    ("scj", "投诉举报：群众反映无证经营餐饮", Result.NONE_FOUND, date(2026, 7, 15)),
    ("scj", "上级转办：食品安全专项整治线索核查", Result.CORRECTED, date(2026, 9, 3)),
)


def _at(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


# ============================================================ the loader


class _Loader:
    def __init__(self, out, today: date, entities: int):
        self.out, self.today, self.n_entities = out, today, entities
        self.units = {key: Unit.objects.get(name=unit_name(key))
                      for key in ("scj", "nyj", "nyj_zfdd", "zhzf", "sthj", "longfeng")}
        self.users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
        self.logins: list[DemoLogin] = []
        self.created = {"officers": 0, "inspectors": 0, "items": 0, "entities": 0, "plans": 0, "draws": 0,
                        "results": 0}

    def by(self, unit_key: str, who: str, permission: str):
        """The demo user acting as ``who`` for the unit, if their roles allow; else the system (None)."""
        user = self.users.get(ACTORS.get(unit_key, {}).get(who, ""))
        allowed = user is not None and services.may(user, permission.removeprefix("inspections."),
                                                    self.units[unit_key])
        return user if allowed else None

    # ---------------------------------------------------- officers (scj)

    def scj_officers(self) -> None:
        """区市场监管局's officers: person, officer role, Officer, certificate(s)."""
        for spec in SCJ_OFFICERS:
            unit = self.units[spec.unit]
            person = Person.objects.filter(user__username=spec.username).first()
            if person is None:
                if get_user_model().objects.filter(username=spec.username).exists():
                    continue  # an account without a person: leave it alone, as org.demo does
                person, _ = org_services.create_person(unit, by=None, username=spec.username, name=spec.name,
                                                       post=spec.post, password=DEMO_PASSWORD)
                self.users[spec.username] = person.user
                self.logins.append(DemoLogin(spec.username, person.name, person.unit.display_name,
                                             f"执法人员@{person.unit.display_name}", DEMO_PASSWORD))
            if person.unit_id != unit.pk:
                continue
            if not RoleAssignment.objects.filter(person=person, role=Role.OFFICER, unit=unit).exists():
                org_services.grant_role(person, by=None, role=Role.OFFICER, unit=unit)
            officer = Officer.objects.filter(person=person).first()
            if officer is None:
                officer = enforcement.register_officer(person, by=None, category="市场监管综合执法")
                self.created["officers"] += 1
            certs = [(spec.number, spec.valid_from, spec.valid_to)]
            if spec.username in RENEWALS:
                certs.append(RENEWALS[spec.username])
            for number, start, end in certs:
                if not Certificate.objects.filter(number=number).exists():
                    enforcement.issue_certificate(officer, by=None, number=number, issuing_authority=ISSUER,
                                                  field=MARKET, valid_from=start, valid_to=end)

    # ------------------------------------------------------- inspectors

    def inspectors(self) -> dict[str, list[Inspector]]:
        out: dict[str, list[Inspector]] = {}
        for key, field in FIELDS.items():
            unit = self.units[key]
            dept = "nyj" if key == "nyj_zfdd" else key
            actor = self.by(dept, "clerk", "inspections.manage_pools")
            for officer in Officer.objects.filter(unit=unit, is_active=True).select_related("person", "unit") \
                    .order_by("pk"):
                if not officer.certificates.exists():
                    continue
                inspector = Inspector.objects.filter(officer=officer).first()
                if inspector is None:
                    inspector = services.add_inspector(officer, by=actor, fields=field)
                    self.created["inspectors"] += 1
                out.setdefault(key, []).append(inspector)
        scj = out.get("scj", [])
        if len(scj) >= 6:
            actor = self.by("scj", "clerk", "inspections.manage_pools")
            # 蓝天明 is at provincial training in December: not drawn for December tasks.
            if not InspectorAbsence.objects.filter(inspector=scj[5]).exists():
                services.add_absence(scj[5], by=actor, start=date(2026, 12, 1), end=date(2026, 12, 20),
                                     reason="参加省局执法业务培训")
            # 莫春兰 worked at 龙凤镇 until 2024: recused from objects whose 属地单位 is 龙凤镇.
            if not Recusal.objects.filter(inspector=scj[4], org_unit=self.units["longfeng"]).exists():
                services.add_recusal(scj[4], by=actor, org_unit=self.units["longfeng"],
                                     reason="2024年前在龙凤镇人民政府工作，对其主管的对象回避")
        return out

    # ------------------------------------------------------------ items

    def items(self) -> dict[str, InspectionItem]:
        out = {}
        for spec in ITEMS:
            unit = self.units[spec.unit]
            item = (InspectionItem.objects.filter(unit=unit, number=spec.number)
                    .exclude(status=ItemStatus.RETIRED).order_by("-version").first())
            if item is None:
                by = self.by(spec.unit, "clerk", "inspections.manage_items")
                item = services.create_item(
                    unit=unit, by=by, number=spec.number, name=spec.name, sub_item=spec.sub_item,
                    inspecting_body=unit.name, basis=spec.basis, method=spec.method, content=spec.content,
                    object_scope=spec.scope, frequency=spec.frequency, kind=spec.kind, field=spec.field)
                item = services.publish_item(item, by=by, now=_at(date(2026, 1, 15)))
                self.created["items"] += 1
            out[spec.number] = item
        return out

    # --------------------------------------------------------- entities

    def entities(self) -> None:
        rows = entity_rows(self.n_entities)
        existing = set()
        codes = [r["credit_code"] for r in rows]
        for i in range(0, len(codes), 1000):
            existing.update(Entity.objects.filter(credit_code__in=codes[i:i + 1000])
                            .values_list("credit_code", flat=True))
        missing = [r for r in rows if r["credit_code"] not in existing]
        if missing:
            by = self.by("scj", "clerk", "inspections.manage_pools")
            upload = ContentFile(entities_csv(missing), name="演示检查对象名录.csv")
            batch = services.start_import(upload, by=by, unit=self.units["scj"])
            batch = services.run_import(batch.pk)
            if batch.status != "succeeded":
                raise DomainError(f"演示检查对象导入失败：{batch.message} {batch.errors[:3]}")
            self.created["entities"] += batch.created_rows
        # A few objects under 龙凤镇's supervision (属地单位), for the recusal by unit.
        by = self.by("scj", "clerk", "inspections.manage_pools")
        town = self.units["longfeng"]
        if not Entity.objects.filter(org_unit=town).exists():
            for e in Entity.objects.filter(credit_code__in=codes, region="龙凤镇",
                                           entity_type="农民专业合作社").order_by("credit_code")[:5]:
                services.update_entity(e, by=by, org_unit=town)

    # ------------------------------------------------------------ plans

    def plan(self, spec: DemoPlan, items: dict[str, InspectionItem]) -> None:
        unit = self.units[spec.unit]
        plan = Plan.objects.filter(unit=unit, year=spec.approved.year, title=spec.title).first()
        clerk = self.by(spec.unit, "clerk", "inspections.plan")
        if plan is None:
            plan = services.create_plan(unit=unit, by=clerk, year=spec.approved.year, title=spec.title,
                                        kind=spec.kind, participating_units=[self.units[k] for k in spec.participants],
                                        description=spec.description)
            self.created["plans"] += 1
        for t in spec.tasks:
            if not Task.objects.filter(plan=plan, title=t.title).exists():
                services.create_task(
                    plan, by=clerk, title=t.title, items=[items[n] for n in t.items], planned_start=t.planned_start,
                    planned_end=t.planned_end, sample_size=t.sample_size, sample_ratio=t.sample_ratio,
                    industries=list(t.industries), regions=list(t.regions), stratify_by=list(t.stratify_by),
                    team_size=t.team_size, exclude_recent_months=t.exclude_recent_months)
        plan.refresh_from_db()
        if plan.status == PlanStatus.DRAFT:
            plan = services.approve_plan(plan, by=self.by(spec.unit, "head", "inspections.approve"),
                                         now=_at(spec.approved))
        for t in spec.tasks:
            self.task(spec, Task.objects.get(plan=plan, title=t.title), t)

    def task(self, plan_spec: DemoPlan, task: Task, spec: DemoTask) -> None:
        key = plan_spec.unit
        drawer = self.by(key, "clerk", "inspections.draw")
        if spec.committed is None:
            return
        draw = Draw.objects.filter(task=task).first()
        secret = _demo_secret(task)
        if draw is None:
            if not task.witnesses.exists():
                w = services.add_witness(task, by=drawer, name="王纪", capacity="区纪委监委派驻区市场监管局纪检监察组",
                                         kind="secret")
                services.commit_witness(w, by=drawer, secret=secret, now=_at(spec.committed, 8))
                services.add_witness(task, by=drawer, name="杨帆", capacity="区司法局行政执法协调监督科",
                                     kind="public", source=LOTTERY_SOURCE)
            draw = services.commit_draw(task, by=drawer, now=_at(spec.committed, 9))
            self.created["draws"] += 1
        if spec.revealed and draw.status == DrawStatus.COMMITTED:
            for w in task.witnesses.filter(revealed_at__isnull=True):
                services.reveal_witness(w, by=drawer, value=secret if w.kind == "secret" else spec.witness,
                                        now=_at(spec.revealed, 14))
            draw = services.reveal_draw(draw, by=drawer, now=_at(spec.revealed, 15))
        if spec.published and draw.status == DrawStatus.DRAWN:
            draw = services.publish_draw(draw, by=self.by(key, "head", "inspections.publish"),
                                         now=_at(spec.revealed, 17))
        if spec.results:
            self.results(key, task, spec)

    # ---------------------------------------------------------- results

    def results(self, key: str, task: Task, spec: DemoTask) -> None:
        clerk = self.by(key, "clerk", "inspections.record_result")
        publisher = self.by(key, "head", "inspections.publish")
        rnd = random.Random(task.title)
        span = max((spec.planned_end - spec.planned_start).days - 3, 1)
        if spec.results == "overdue":
            span = 9  # all checked in the first fortnight: the 20-working-day limit has passed by TODAY
        rows = list(Inspection.objects.filter(task=task).select_related("entity", "selection")
                    .order_by("selection__position"))
        for n, ins in enumerate(rows):
            if ins.status == InspectionStatus.PENDING:
                result = _pick(rnd, RESULT_MIX)
                if spec.handover and n == 0:
                    result = Result.FOLLOW_UP
                e = ins.entity
                findings = FINDINGS[result].format(what=rnd.choice(WHAT), rep=e.legal_rep, phone=e.phone)
                on = spec.planned_start + timedelta(days=rnd.randrange(span))
                while on.weekday() >= 5:
                    on += timedelta(days=1)
                ins = services.record_result(ins, by=clerk, result=result, inspected_on=on, findings=findings,
                                             today=self.today, late_reason=DEMO_LATE)
                self.created["results"] += 1
                if spec.handover and result == Result.FOLLOW_UP and n == 0:
                    services.hand_over(ins, by=clerk, receiving_unit=self.units["nyj_zfdd"],
                                       handed_over_on=on + timedelta(days=3), today=self.today,
                                       late_reason=DEMO_LATE,
                                       note="涉嫌经营标签不符合规定的农药，移交农业综合行政执法大队依法处理")
            late = spec.results == "overdue" and n % 3 == 0
            if ins.status == InspectionStatus.RECORDED and not late:
                privacy.decide_pending(ins, decision="mask", by=publisher)  # the operator's phone
                services.publish_result(ins, by=publisher, now=_at(ins.inspected_on + timedelta(days=7), 16))
        if spec.results == "closed":
            task.refresh_from_db()
            if task.status == "drawn":
                services.close_task(task, by=self.by(key, "clerk", "inspections.plan"))

    def non_random(self, inspectors: dict[str, list[Inspector]]) -> None:
        team = inspectors.get("scj", [])[:2]
        if len(team) < 2:
            return
        pool = list(Entity.objects.filter(industry__in=("食品销售", "餐饮服务")).order_by("credit_code")[:40])
        for (key, note, result, on), entity in zip(COMPLAINTS, pool[::13], strict=False):
            unit = self.units[key]
            if Inspection.objects.filter(unit=unit, kind=InspectionKind.NON_RANDOM, reason_note=note).exists():
                continue
            clerk = self.by(key, "clerk", "inspections.record_result")
            ins = services.record_non_random(
                unit=unit, by=clerk, entity=entity, reason=NonRandomReason.COMPLAINT if "投诉" in note
                else NonRandomReason.REFERRAL, reason_note=note, inspected_on=on, result=result,
                findings=FINDINGS[result].format(what=WHAT[0], rep=entity.legal_rep, phone=entity.phone),
                officers=team, today=self.today, late_reason=DEMO_LATE)
            head = self.by(key, "head", "inspections.publish")
            privacy.decide_pending(ins, decision="mask", by=head)  # the operator's phone
            services.publish_result(ins, by=head, now=_at(on + timedelta(days=5), 16))

    # -------------------------------------------------------------- run

    def run(self) -> list[DemoLogin]:
        self.scj_officers()
        inspectors = self.inspectors()
        items = self.items()
        self.entities()
        for spec in PLANS:
            self.plan(spec, items)
        self.non_random(inspectors)
        overdue = Inspection.objects.filter(status=InspectionStatus.RECORDED, publish_due__lt=self.today).count()
        c = self.created
        self.out.write(
            f"双随机、一公开：新增执法人员 {c['officers']} 名、检查人员 {c['inspectors']} 名"
            f"（共 {Inspector.objects.count()} 名），抽查事项 {c['items']} 项，检查对象 {c['entities']} 户"
            f"（共 {Entity.objects.count()} 户），计划 {c['plans']} 个，随机抽取 {c['draws']} 次，"
            f"录入结果 {c['results']} 条；逾期未公示 {overdue} 条（演示日期 {self.today.isoformat()}）")
        return self.logins


def load(out, *, today: date = TODAY, entities: int = ENTITIES) -> list[DemoLogin]:
    """Create what is missing of the inspections demo; return the log-ins of
    the officers created here (the others are org's and enforcement's)."""
    return _Loader(out, today, entities).run()
