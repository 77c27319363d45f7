"""Unit names as documents write them → units of the district.

A notice writes "县发改局", "区住建局", "示范区发展和改革局" or "发展改革局"
for the same unit. A name matches a unit when it equals the unit's full or
short name, also with the district's name in front (as the ledger's plan
import always did), or when both read the same after normalising:

* the district's name and a leading 县/区/市 are dropped ("示范区司法局",
  "区司法局" and "司法局" read alike);
* the usual short forms of department names are used (发展和改革 / 发展改革 →
  发改, 住房和城乡建设 → 住建, 市场监督管理 → 市场监管 …; 委员会 → 委;
  人民政府 → 政府).

A name that matches no unit, or several, is *not* matched: the caller reports
it (an import never guesses a unit).
"""

import re
from collections.abc import Iterable

from django.conf import settings

from fazhi.org.models import Unit

# long form → short form, longest first where one contains another
ALIASES = (
    ("发展和改革", "发改"), ("发展改革", "发改"),
    ("住房和城乡建设", "住建"), ("住房城乡建设", "住建"),
    ("市场监督管理", "市场监管"),
    ("人力资源和社会保障", "人社"), ("人力资源社会保障", "人社"),
    ("卫生健康", "卫健"), ("卫生和健康", "卫健"),
    ("文化和旅游", "文旅"), ("文化旅游", "文旅"),
    ("经济和信息化", "经信"), ("经济信息化", "经信"),
    ("自然资源和规划", "规划自然资源"),
    ("退役军人事务", "退役军人"),
    ("综合行政执法", "综合执法"),
    ("交通运输", "交通"),
    ("应急管理", "应急"),
    ("医疗保障", "医保"),
    ("科学技术", "科技"),
    ("城市管理", "城管"),
    ("委员会", "委"),
    ("人民政府", "政府"),
)
_SPACE = re.compile(r"\s+")


def district_name() -> str:
    return getattr(settings, "FAZHI_DISTRICT_NAME", "")


def normalise(name: str, district: str | None = None) -> str:
    """The comparable form of a unit name (see the module docstring)."""
    district = district_name() if district is None else district
    s = _SPACE.sub("", name or "").strip("。.，,；;")
    if district and s.startswith(district) and len(s) > len(district):
        s = s[len(district):]
    if s[:1] in ("县", "区", "市") and len(s) > 2:
        s = s[1:]
    for long, short in ALIASES:
        s = s.replace(long, short)
    return s


def match_unit_names(names: Iterable[str], units: Iterable[Unit] | None = None
                     ) -> tuple[dict[str, Unit], dict[str, list[Unit]]]:
    """(found, unresolved): each name → its unit when exactly one of ``units``
    (default: every active unit) answers to it; else name → the candidates
    (empty: none, two or more: ambiguous)."""
    names = [n.strip() for n in dict.fromkeys(names) if n and n.strip()]
    if not names:
        return {}, {}
    if units is None:
        units = Unit.objects.filter(is_active=True)
    district = district_name()
    keys: dict[int, set[str]] = {}
    by_pk: dict[int, Unit] = {}
    for u in units:
        by_pk[u.pk] = u
        raw = {u.name, u.short_name} - {""}
        keys[u.pk] = raw | {normalise(x, district) for x in raw}
    found, unresolved = {}, {}
    for n in names:
        wanted = {n, district + n, district + n.removeprefix("区"), normalise(n, district)}
        hits = [by_pk[pk] for pk, ks in keys.items() if ks & wanted]
        if len(hits) == 1:
            found[n] = hits[0]
        else:
            unresolved[n] = hits
    return found, unresolved
