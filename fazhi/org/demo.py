"""Demo district for org: the unit tree, staff for every role, log-ins.

Called by ``manage.py load_demo`` (see its LOADERS). Idempotent: a unit is
looked up by name, a person by user name, a role by (person, role, unit);
only what is missing is created — through the services, so every creation
is audited and nothing else is. Existing records are never changed (an
administrator may have edited them since).

The district is invented, modelled on the source texts: a 区人民政府 with its
司法局 (the legal-affairs office), 农业农村局 with 执法大队, 植保站, 种子管理站
and 政策法规科 (document 1), 市场监管局, 综合行政执法局, 生态环境局 and two
towns, 龙凤镇 (document 2) and 白沙镇. Its name comes from
settings.FAZHI_DISTRICT_NAME.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from fazhi.org import services
from fazhi.org.credit_code import check_char
from fazhi.org.models import Person, Role, RoleAssignment, Unit, UnitKind

# Same for every demo account, printed by load_demo and documented in
# docs/modules/org.md. Passes the configured validators (length, common, numeric).
DEMO_PASSWORD = "demo-Fazhi-2026"

# A deliberately non-existent 行政区划代码, so demo credit codes can never be
# mistaken for a real organ's.
DEMO_DIVISION = "990101"


def org_code(body8: str) -> str:
    """组织机构代码 (GB 11714-1997): 8 characters + check character."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return body8 + {10: "X", 11: "0"}.get(c9, str(c9))


def credit_code(category: str, body8: str) -> str:
    """统一社会信用代码: 登记管理部门+机构类别 (11 机关, 12 事业单位),
    行政区划码, 组织机构代码, 校验码 (GB 32100-2015)."""
    first17 = category + DEMO_DIVISION + org_code(body8)
    return first17 + check_char(first17)


@dataclass(frozen=True)
class DemoUnit:
    key: str
    name: str  # after the district name
    short_name: str
    kind: str
    parent: str | None
    code: str = ""
    legal_office: bool = False
    sort_order: int = 100


GOV, DEPT, TOWN, INST, INTL = (
    UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.INSTITUTION, UnitKind.INTERNAL,
)

UNITS = (
    DemoUnit("gov", "人民政府", "区政府", GOV, None, credit_code("11", "00850001")),
    DemoUnit("sfj", "司法局", "区司法局", DEPT, "gov", credit_code("11", "00850028"), legal_office=True, sort_order=10),
    DemoUnit("nyj", "农业农村局", "区农业农村局", DEPT, "gov", credit_code("11", "00850044"), sort_order=20),
    DemoUnit("nyj_zfdd", "农业农村局执法大队", "执法大队", INTL, "nyj", sort_order=10),
    DemoUnit("nyj_zbz", "农业农村局植保站", "植保站", INST, "nyj", credit_code("12", "45061237"), sort_order=20),
    DemoUnit("nyj_zzz", "农业农村局种子管理站", "种子管理站", INST, "nyj", credit_code("12", "45061253"), sort_order=30),
    DemoUnit("nyj_fgk", "农业农村局政策法规科", "政策法规科", INTL, "nyj", sort_order=40),
    DemoUnit("scj", "市场监督管理局", "区市场监管局", DEPT, "gov", credit_code("11", "00850052"), sort_order=30),
    DemoUnit("zhzf", "综合行政执法局", "区综合执法局", DEPT, "gov", credit_code("11", "00850079"), sort_order=40),
    DemoUnit("sthj", "生态环境局", "区生态环境局", DEPT, "gov", credit_code("11", "00850087"), sort_order=50),
    DemoUnit("longfeng", "龙凤镇人民政府", "龙凤镇", TOWN, "gov", credit_code("11", "00850095"), sort_order=60),
    DemoUnit("baisha", "白沙镇人民政府", "白沙镇", TOWN, "gov", credit_code("11", "00850108"), sort_order=70),
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    unit: str
    post: str
    roles: tuple[tuple[str, str, bool], ...]  # (role, unit key, include_subunits)


DEMO_PEOPLE = (
    DemoPerson("admin", "王志强", "gov", "区政府办公室信息化科科长", ((Role.ADMIN, "gov", True),)),
    DemoPerson("nongye_admin", "李娟", "nyj", "办公室主任", ((Role.UNIT_ADMIN, "nyj", True),)),
    DemoPerson("nongye_head", "刘洪军", "nyj", "局长", ((Role.HEAD, "nyj", True),)),
    DemoPerson("nongye_clerk", "陈晓燕", "nyj_fgk", "政策法规科科员", ((Role.CLERK, "nyj", True),)),
    DemoPerson("zhifa_officer", "何建军", "nyj_zfdd", "大队长", ((Role.OFFICER, "nyj_zfdd", False),)),
    DemoPerson("zhifa_officer2", "罗鹏", "nyj_zfdd", "执法队员", ((Role.OFFICER, "nyj_zfdd", False),)),
    DemoPerson("sifa_head", "吴敏", "sfj", "局长", ((Role.HEAD, "sfj", False),)),
    DemoPerson("sifa_reviewer", "杨帆", "sfj", "行政执法协调监督科科长、法制审核员", ((Role.REVIEWER, "gov", True),)),
    DemoPerson("sifa_reviewer2", "马丽华", "sfj", "法制审核员（公职律师）", ((Role.REVIEWER, "gov", True),)),
    DemoPerson("kaohe", "许静", "sfj", "依法治区办督察科科员", ((Role.ASSESSOR, "gov", True),)),
    DemoPerson("shichang_head", "郑国华", "scj", "局长", ((Role.HEAD, "scj", False),)),
    DemoPerson("shichang_clerk", "孙伟", "scj", "法规科科员", ((Role.CLERK, "scj", False),)),
    DemoPerson("zonghe_head", "冯立新", "zhzf", "局长", ((Role.HEAD, "zhzf", False),)),
    DemoPerson("zonghe_officer", "唐刚", "zhzf", "执法一中队中队长", ((Role.OFFICER, "zhzf", False),)),
    DemoPerson("longfeng_head", "黄德明", "longfeng", "镇长", ((Role.HEAD, "longfeng", False),)),
    DemoPerson("longfeng_clerk", "赵丽", "longfeng", "党政办公室科员", ((Role.CLERK, "longfeng", False),)),
    DemoPerson("baisha_head", "周丽萍", "baisha", "镇长", ((Role.HEAD, "baisha", False),)),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    unit: str
    roles: str
    password: str


def district() -> str:
    return settings.FAZHI_DISTRICT_NAME


def unit_name(key: str) -> str:
    spec = next(u for u in UNITS if u.key == key)
    return district() + spec.name


def _load_units(out) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    created = 0
    for spec in UNITS:
        name = district() + spec.name
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            unit = services.create_unit(
                units[spec.parent] if spec.parent else None, by=None, name=name, short_name=spec.short_name,
                kind=spec.kind, credit_code=spec.code, is_legal_office=spec.legal_office, sort_order=spec.sort_order,
            )
            created += 1
        units[spec.key] = unit
    out.write(f"组织与人员：新增单位 {created} 个（共 {len(UNITS)} 个演示单位）")
    return units


def _load_people(out, units: dict[str, Unit]) -> list[DemoLogin]:
    User = get_user_model()
    logins, created, granted = [], 0, 0
    for spec in DEMO_PEOPLE:
        person = Person.objects.filter(user__username=spec.username).select_related("unit").first()
        if person is None:
            if User.objects.filter(username=spec.username).exists():
                out.write(f"  跳过 {spec.username}：已有同名账号但没有人员信息（例如用 createsuperuser 建立的）")
                continue
            person, _ = services.create_person(
                units[spec.unit], by=None, username=spec.username, name=spec.name, post=spec.post,
                password=DEMO_PASSWORD,
            )
            created += 1
        for role, unit_key, subunits in spec.roles:
            unit = units[unit_key]
            if not RoleAssignment.objects.filter(person=person, role=role, unit=unit).exists():
                services.grant_role(person, by=None, role=role, unit=unit, include_subunits=subunits)
                granted += 1
        roles = "、".join(
            f"{ra.get_role_display()}@{ra.unit.display_name}{'及下级' if ra.include_subunits else ''}"
            for ra in person.roles.select_related("unit").order_by("role")
        )
        logins.append(DemoLogin(spec.username, person.name, person.unit.display_name, roles, DEMO_PASSWORD))
    out.write(f"组织与人员：新增人员 {created} 名，授予角色 {granted} 项（共 {len(DEMO_PEOPLE)} 个演示账号）")
    return logins


def load(out) -> list[DemoLogin]:
    """Create what is missing of the demo district; return its log-ins."""
    units = _load_units(out)
    return _load_people(out, units)
