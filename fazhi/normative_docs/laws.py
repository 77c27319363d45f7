"""The maintained table of repealed, replaced and comprehensively revised laws
that the pre-review checker warns about (issue 3 item 5).

Maintain it by hand: add a row when a higher law is repealed or replaced
(a clean-up campaign is also triggered by such a change, issue 3 item 3).
Each row names the instrument that repealed or replaced it, the date that
took effect, and where that is stated (``source``). Only rows whose repeal
clause or effective date was known for certain were entered; a law absent
from the table is simply not checked.

``kind``:
* ``废止`` — repealed; citing it as a basis is a 与上位法冲突 finding;
* ``被替代`` — replaced by a new instrument with a different name (same effect);
* ``修订`` — still in force but comprehensively revised, so article numbers
  cited from the old text may be wrong: a note for the reviewer, not a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRC = "中华人民共和国"


@dataclass(frozen=True)
class LawStatus:
    name: str  # full name as promulgated
    kind: str  # 废止 / 被替代 / 修订
    replaced_by: str  # the instrument that repealed, replaced or revised it
    date: str  # ISO date the change took effect
    source: str  # where the change is stated

    @property
    def is_outdated(self) -> bool:
        """True when citing the law as a basis is wrong (not merely revised)."""
        return self.kind in ("废止", "被替代")

    @property
    def warning(self) -> str:
        y, m, d = (int(x) for x in self.date.split("-"))
        when = f"{y}年{m}月{d}日"
        if self.kind == "废止":
            return f"已于{when}废止，现行规定见{self.replaced_by}（依据：{self.source}）"
        if self.kind == "被替代":
            return f"已于{when}由{self.replaced_by}替代（依据：{self.source}）"
        return f"已于{when}全面修订（{self.replaced_by}），引用的条文序号请按现行文本核对"


_CIVIL_CODE = "《中华人民共和国民法典》"
_CIVIL_CODE_SOURCE = "《中华人民共和国民法典》第一千二百六十条"
_FOREIGN_INVESTMENT = "《中华人民共和国外商投资法》"
_FOREIGN_INVESTMENT_SOURCE = "《中华人民共和国外商投资法》第四十二条"
_MARKET_REGISTRATION = "《中华人民共和国市场主体登记管理条例》"
_MARKET_REGISTRATION_SOURCE = "《中华人民共和国市场主体登记管理条例》（国务院令第746号）附则"

TABLE: tuple[LawStatus, ...] = (
    # 民法典 art. 1260 repealed nine civil statutes on 2021-01-01.
    *(
        LawStatus(f"{PRC}{name}", "废止", _CIVIL_CODE, "2021-01-01", _CIVIL_CODE_SOURCE)
        for name in ("婚姻法", "继承法", "民法通则", "收养法", "担保法", "合同法", "物权法", "侵权责任法", "民法总则")
    ),
    LawStatus("信访条例", "被替代", "《信访工作条例》", "2022-05-01", "《信访工作条例》（中共中央、国务院印发，2022年5月1日起施行）"),
    *(
        LawStatus(f"{PRC}{name}", "废止", _FOREIGN_INVESTMENT, "2020-01-01", _FOREIGN_INVESTMENT_SOURCE)
        for name in ("中外合资经营企业法", "外资企业法", "中外合作经营企业法")
    ),
    LawStatus(f"{PRC}食品卫生法", "废止", f"《{PRC}食品安全法》", "2009-06-01", f"《{PRC}食品安全法》（2009年）附则"),
    LawStatus(f"{PRC}城市规划法", "废止", f"《{PRC}城乡规划法》", "2008-01-01", f"《{PRC}城乡规划法》附则"),
    LawStatus(f"{PRC}治安管理处罚条例", "废止", f"《{PRC}治安管理处罚法》", "2006-03-01", f"《{PRC}治安管理处罚法》附则"),
    LawStatus(f"{PRC}行政监察法", "废止", f"《{PRC}监察法》", "2018-03-20", f"《{PRC}监察法》（2018年）第六十九条"),
    LawStatus(f"{PRC}消防条例", "废止", f"《{PRC}消防法》", "1998-09-01", f"《{PRC}消防法》（1998年）附则"),
    LawStatus(f"{PRC}企业破产法（试行）", "废止", f"《{PRC}企业破产法》", "2007-06-01", f"《{PRC}企业破产法》附则"),
    LawStatus(f"{PRC}经济合同法", "废止", f"《{PRC}合同法》（现为民法典合同编）", "1999-10-01", f"《{PRC}合同法》附则"),
    LawStatus(f"{PRC}营业税暂行条例", "废止", f"《{PRC}增值税暂行条例》", "2017-11-19", "国务院令第691号"),
    LawStatus("城市房屋拆迁管理条例", "废止", "《国有土地上房屋征收与补偿条例》", "2011-01-21", "《国有土地上房屋征收与补偿条例》（国务院令第590号）附则"),
    LawStatus(
        "城市生活无着的流浪乞讨人员收容遣送办法", "废止", "《城市生活无着的流浪乞讨人员救助管理办法》", "2003-08-01",
        "《城市生活无着的流浪乞讨人员救助管理办法》（国务院令第381号）",
    ),
    LawStatus("国家行政机关公文处理办法", "被替代", "《党政机关公文处理工作条例》", "2012-07-01", "《党政机关公文处理工作条例》（中办发〔2012〕14号）第四十二条"),
    *(
        LawStatus(name, "废止", _MARKET_REGISTRATION, "2022-03-01", _MARKET_REGISTRATION_SOURCE)
        for name in (f"{PRC}公司登记管理条例", f"{PRC}企业法人登记管理条例", "农民专业合作社登记管理条例", f"{PRC}合伙企业登记管理办法")
    ),
    # Comprehensive revisions that renumbered articles.
    LawStatus(f"{PRC}行政处罚法", "修订", "2021年1月22日修订", "2021-07-15", "第十三届全国人大常委会第二十五次会议修订"),
    LawStatus(f"{PRC}行政复议法", "修订", "2023年9月1日修订", "2024-01-01", "第十四届全国人大常委会第五次会议修订"),
    LawStatus(f"{PRC}政府信息公开条例", "修订", "2019年4月3日修订", "2019-05-15", "国务院令第711号"),
    LawStatus("农药管理条例", "修订", "2017年2月8日修订", "2017-06-01", "国务院令第677号"),
)

_BY_KEY = {}
for _row in TABLE:
    _BY_KEY[_row.name.removeprefix(PRC)] = _row


def normalize_law_name(name: str) -> str:
    """《中华人民共和国合同法》, 合同法, 中华人民共和国合同法（1999年） -> 合同法.
    The key used for lookup: brackets and version notes removed, PRC prefix
    dropped, spaces removed."""
    name = name.strip().strip("《》〈〉")
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"[（(][^（）()]*(?:年|修正|修订|修改)[^（）()]*[）)]$", "", name)
    return name.removeprefix(PRC)


def lookup(name: str) -> LawStatus | None:
    """The table row for a cited law name, with or without 《》 and the
    中华人民共和国 prefix; None when the law is not in the table."""
    return _BY_KEY.get(normalize_law_name(name))
