"""Parse a 国务院办公厅关于XXXX年部分节假日安排的通知 (CAL-05, CAL-06).

Pure: text in, ``ParsedNotice`` out, nothing saved. The notice lists one
item per festival::

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
    1月26日（周日）、2月8日（周六）上班。

Dates followed by 放假 are days off, dates followed by 上班 are make-up
working days (调休上班). "共N天" / "放假N天" is checked against the range, so
a misread range is refused instead of silently saved. Full-width and
half-width punctuation, 农历/weekday notes in brackets, ranges such as
"5月31日至6月2日" or "1月1日（周四）至3日（周六）" and explicit years
("2024年12月31日") are understood. Anything else raises ``ValidationError``
with a Chinese message.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fazhi.core.errors import ValidationError

CANONICAL = {
    "元旦": "元旦",
    "春节": "春节",
    "清明节": "清明节",
    "清明": "清明节",
    "劳动节": "劳动节",
    "五一": "劳动节",
    "端午节": "端午节",
    "端午": "端午节",
    "中秋节": "中秋节",
    "中秋": "中秋节",
    "国庆节": "国庆节",
    "国庆": "国庆节",
}
_FEST = "|".join(sorted(CANONICAL, key=len, reverse=True))
_NUM = "一二三四五六七八九十"
# A festival item heading: at the start of a line or after a full stop,
# optionally numbered ("六、"), one or more festival names, then a colon.
_HEAD = re.compile(
    rf"(?:^|(?<=[。;]))[ \t]*(?:[{_NUM}]+[ \t]*[、.][ \t]*)?"
    rf"(?P<names>(?:{_FEST})(?:[ \t]*[、,和与及][ \t]*(?:{_FEST}))*)[ \t]*:",
    re.M,
)
_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*(?:元旦[、,和]?\s*)?(?:部分)?节假日安排")
_TITLE_LINE = re.compile(r"[^\n]*部分节假日安排的通知[^\n]*")
_DOC_NO = re.compile(r"国办发明电\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*(\d+)\s*号")
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日")
_RANGE_JOIN = re.compile(r"^(?:至|到|-|~|—|–|−|－)+$")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
_BRACKETS = re.compile(r"\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]")

OFF_WORDS = ("放假", "休息", "休假")
WORK_WORDS = ("上班",)


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: str  # "off" | "work"
    festival: str

    @property
    def kind_label(self) -> str:
        return "放假" if self.kind == "off" else "上班"


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    title: str
    source: str  # the document number if found, else the title
    days: tuple[NoticeDay, ...]  # sorted by date

    @property
    def off_days(self) -> set[date]:
        return {d.date for d in self.days if d.kind == "off"}

    @property
    def work_days(self) -> set[date]:
        return {d.date for d in self.days if d.kind == "work"}

    def lines(self) -> list[str]:
        """``ISO date<TAB>放假|上班<TAB>festival`` per day (the CLI output)."""
        return [f"{d.date.isoformat()}\t{d.kind_label}\t{d.festival}" for d in self.days]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NFKC keeps these as they are; the parser wants one spelling each.
    return text.replace("〜", "~").replace("．", ".").replace("；", ";")


def notice_year(text: str) -> int | None:
    m = _TITLE_YEAR.search(_normalise(text))
    return int(m.group(1)) if m else None


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """Parse the notice. ``year`` overrides the year read from the title."""
    norm = _normalise(text)
    if not norm.strip():
        raise ValidationError("通知内容为空，请粘贴国务院办公厅关于部分节假日安排的通知全文", fields={"text": "不能为空"})
    title_year = notice_year(norm)
    if year is not None and title_year is not None and year != title_year:
        raise ValidationError(
            f"通知标题中的年份（{title_year}年）与指定的年份（{year}年）不一致", fields={"year": "年份不一致"}
        )
    year = year or title_year
    if year is None:
        raise ValidationError(
            "无法确定通知的年份：标题中应有“XXXX年部分节假日安排”，或者请指定年份", fields={"year": "请指定年份"}
        )
    if not 1949 <= year <= 2999:
        raise ValidationError(f"年份“{year}”无效", fields={"year": "年份无效"})

    heads = list(_HEAD.finditer(norm))
    if not heads:
        raise ValidationError(
            "未能识别出任何节日安排。通知中每一项应形如“一、元旦：1月1日（周三）放假1天，不调休。”",
            fields={"text": "无法识别"},
        )
    days: dict[date, NoticeDay] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(norm)
        festival = "、".join(
            dict.fromkeys(CANONICAL[n] for n in re.split(r"[ \t]*[、,和与及][ \t]*", head.group("names")))
        )
        for day in _parse_item(norm[head.end():end], festival, year):
            if day.date in days:
                other = days[day.date]
                raise ValidationError(
                    f"{_cn(day.date)}在通知中出现了两次（{other.festival}{other.kind_label}、"
                    f"{day.festival}{day.kind_label}），请核对",
                    fields={"text": "日期重复"},
                )
            days[day.date] = day

    title_m = _TITLE_LINE.search(norm)
    title = title_m.group(0).strip() if title_m else f"国务院办公厅关于{year}年部分节假日安排的通知"
    doc_m = _DOC_NO.search(norm)
    source = f"国办发明电〔{doc_m.group(1)}〕{doc_m.group(2)}号" if doc_m else title
    return ParsedNotice(year=year, title=title[:200], source=source[:200],
                        days=tuple(sorted(days.values(), key=lambda d: d.date)))


def _parse_item(body: str, festival: str, year: int) -> list[NoticeDay]:
    # Bad PDF extraction breaks lines anywhere; a sentence ends at 。 or ;.
    body = re.sub(r"\s+", "", body)
    out: list[NoticeDay] = []
    off_found = False
    for sentence in re.split(r"[。;]", body):
        sentence = _BRACKETS.sub("", sentence)
        pending: list[date] = []
        last_off: list[date] = []
        month: int | None = None
        cur_year = year
        for clause in sentence.split(","):
            found, month, cur_year = _dates(clause, year, month, cur_year, festival)
            pending.extend(found)
            kind = _kind(clause)
            if kind and pending:
                out.extend(NoticeDay(d, kind, festival) for d in pending)
                if kind == "off":
                    off_found = True
                    last_off = pending
                pending = []
            count = _COUNT.search(clause)
            if count and last_off and len(last_off) != int(count.group(1)):
                raise ValidationError(
                    f"“{festival}”一项写明共{count.group(1)}天，但识别出的放假日期为"
                    f"{_cn(last_off[0])}至{_cn(last_off[-1])}共{len(last_off)}天，请核对原文",
                    fields={"text": "天数不符"},
                )
    if not off_found:
        raise ValidationError(f"“{festival}”一项中没有找到放假日期，请核对原文", fields={"text": "缺少放假日期"})
    return out


def _kind(clause: str) -> str | None:
    if any(w in clause for w in WORK_WORDS):
        return "work"
    if any(w in clause for w in OFF_WORDS):
        return "off"
    return None


def _dates(clause: str, year: int, month: int | None, cur_year: int, festival: str):
    """The dates of one clause, expanding ranges. Returns (dates, month, year)
    so that "4月4日至6日" and "1月26日、2月8日" carry their context on."""
    out: list[date] = []
    prev_end = 0
    prev: date | None = None
    for m in _DATE.finditer(clause):
        y = int(m.group("y")) if m.group("y") else None
        mo = int(m.group("m")) if m.group("m") else month
        if mo is None:
            raise ValidationError(f"“{festival}”一项中的“{m.group(0)}”缺少月份，请核对原文", fields={"text": "缺少月份"})
        # the date this one closes a range from ("4月4日至6日"), if it does
        start = prev if prev is not None and _RANGE_JOIN.match(clause[prev_end:m.start()] or "") else None
        if y is None:
            y = cur_year
            if start and (mo, int(m.group("d"))) < (start.month, start.day):
                y = start.year + 1  # "12月31日至1月2日"
        d = _make_date(y, mo, int(m.group("d")), festival)
        if abs(d.year - year) > 1:
            raise ValidationError(f"{_cn(d)}不属于{year}年的节假日安排，请核对年份", fields={"text": "年份不符"})
        if start is not None:
            if d <= start:
                raise ValidationError(f"“{festival}”一项的日期范围{_cn(start)}至{_cn(d)}无效", fields={"text": "范围无效"})
            span = (d - start).days
            if span > 31:
                raise ValidationError(f"“{festival}”一项的日期范围超过一个月，请核对原文", fields={"text": "范围过长"})
            out.extend(date.fromordinal(start.toordinal() + k) for k in range(1, span + 1))
            prev = None  # a range closes; "1日至3日至5日" is not a thing
        else:
            out.append(d)
            prev = d
        month, cur_year, prev_end = mo, d.year, m.end()
    return out, month, cur_year


def _make_date(y: int, m: int, d: int, festival: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ValidationError(f"“{festival}”一项中的“{m}月{d}日”不是有效日期（{y}年）", fields={"text": "日期无效"})


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
