"""Personal data on public surfaces: the one masking rule and the one detector.

Every page, feed, export and API response that the public can read shows
natural persons only through these functions (个人信息保护法 arts. 25, 34:
an organ publishes personal data only as far as its duty requires;
政府信息公开条例 art. 15: information whose disclosure would harm a third
party's privacy is not published). Pure functions, no database.

**Names** of natural persons — a party who is a natural person, the operator
of a 个体工商户, a citizen who commented on a draft — keep the surname and
hide every other character, one ``*`` each:

* single surname: 张三 → 张*，张三丰 → 张**
* compound surname (``COMPOUND_SURNAMES``) kept whole: 欧阳小明 → 欧阳**，司马光 → 司马*
* one character: 张 → 张*；empty stays empty

A 个体工商户 is published under its name, but where that name contains its
operator's name the operator is hidden (张三烧烤店 → 张*烧烤店), and a
个体工商户 whose name is just a person's name (2–4 Chinese characters, no
business word) is masked as a name (``business_name``). Organisations
(法人或其他组织) are published by name.

**Numbers and addresses** are found in any spacing or punctuation
(``1101 0119 8001 0112 34``, ``110101-19800101-1234``, ``138 0013 8000``,
``+86 138-0013-8000``, full-width ``１３８００１３８０００``, ``(010) 6512 3456``):
``find_personal_data`` groups the digits between separators and tries every
run of neighbouring groups, so a number split anywhere is still one number.

* 身份证号 (18 digits or 17 + X; 15-digit old numbers) → ``[身份证号已隐去]``
* 银行卡号 (16–19 digits) → ``[卡号已隐去]``
* 手机号 → ``138****8000``；固定电话 → ``010-****3456`` (7–8-digit local
  numbers only after a word such as 电话/联系/手机/座机)
* 住址 (a road, street, lane or village followed by a house number, building,
  unit or room) → ``[住址已隐去]``

``redact`` is what every public surface calls on free text: the known names
and addresses of the natural persons concerned are hidden, then every hit of
the detector except the values a person confirmed are not personal data (a
hotline: ``keep``). ``fazhi.core.privacy`` refuses publication until a person
has decided each hit.
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠", "钟离",
    "万俟", "闻人", "赫连", "拓跋", "第五", "左丘", "东郭", "濮阳", "单于", "谷梁", "羊舌", "微生", "梁丘",
)

ID_REMOVED = "[身份证号已隐去]"
CARD_REMOVED = "[卡号已隐去]"
ADDRESS_REMOVED = "[住址已隐去]"

ID, CARD, MOBILE, LANDLINE, ADDRESS = "id", "card", "mobile", "landline", "address"
KIND_LABELS = {ID: "身份证号", CARD: "银行卡号", MOBILE: "手机号", LANDLINE: "固定电话", ADDRESS: "住址"}


# ------------------------------------------------------------------ names


def mask_name(name: str) -> str:
    """张三 → 张*；张三丰 → 张**；欧阳小明 → 欧阳**；司马光 → 司马*. Empty stays empty."""
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)


def mask_names(text: str, names: Iterable[str]) -> str:
    """Every occurrence of each name in ``text`` masked (longest first, so 张三丰 wins over 张三)."""
    out = text or ""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out


def party_name(name: str, *, natural_person: bool) -> str:
    """A party as published: a natural person masked, an organisation by name."""
    return mask_name(name) if natural_person else (name or "").strip()


_PERSON_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_BUSINESS_WORDS = ("店", "馆", "厂", "行", "部", "坊", "社", "所", "场", "铺", "站", "中心", "公司", "超市", "工作室")


def business_name(name: str, *, operator: str = "", individual: bool) -> str:
    """A business as published: a 个体工商户's operator hidden wherever the name
    contains them; a 个体工商户 named just like a person masked as a name."""
    name = (name or "").strip()
    if not individual:
        return name
    if operator and len(operator.strip()) > 1 and operator.strip() in name:
        return name.replace(operator.strip(), mask_name(operator))
    if _PERSON_NAME.fullmatch(name) and not any(w in name for w in _BUSINESS_WORDS):
        return mask_name(name)
    return name


# --------------------------------------------------------- numbers, addresses

# What may stand between the digits of one number: spaces of any width,
# hyphens and dashes, dots, slashes, brackets.
_SEP = "\\s\u00a0\u3000\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d_.\u00b7\u2022\uff0e/\uff0f()\uff08\uff09"
_CANDIDATE = re.compile(
    rf"(?<!\d)\d(?:[{_SEP}]{{0,3}}\d)*(?:[{_SEP}]{{0,3}}[Xx\uff38\uff58])?(?![0-9A-Za-z\uff10-\uff19])"
)
_GROUP = re.compile(r"\d+|[Xx\uff38\uff58]")
_ID18 = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
_ID18_LOOSE = re.compile(r"\d{17}[\dX]")
_ID15 = re.compile(r"[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_MOBILE = re.compile(r"(?:86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"(?:86)?(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_PHONE_WORDS = re.compile(r"(?:电话|手机|联系|座机|热线|致电|拨打|号码|tel|Tel|TEL|phone)[^\n。；;]{0,8}$")
_NUMERAL = "\\d零〇一二两三四五六七八九十百"
_ADDRESS = re.compile(
    rf"(?:[^\W\d_住在于址是的和与及为向从到往请]{{1,12}}?(?:路|街|巷|弄|胡同|大道|村|社区))"
    rf"[\s]*[{_NUMERAL}]+[\s]*(?:号|组|弄)"
    rf"(?:[\s\-－—]*[{_NUMERAL}A-Za-z]*[\s]*(?:号楼|栋|幢|座|单元|楼|层|室|号|户))*"
)


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text."""

    kind: str  # ID, CARD, MOBILE, LANDLINE, ADDRESS
    start: int
    end: int
    text: str  # as written
    value: str  # normalised: digits only (X upper-case) for numbers, no spaces for addresses

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def key(self) -> str:
        """Identifies the value wherever and however it is written (a decision is kept per key)."""
        return value_key(self.kind, self.value)

    @property
    def masked(self) -> str:
        return mask_value(self.kind, self.value)


def value_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def mask_value(kind: str, value: str) -> str:
    """What the public sees instead of the value."""
    if kind == ID:
        return ID_REMOVED
    if kind == CARD:
        return CARD_REMOVED
    if kind == ADDRESS:
        return ADDRESS_REMOVED
    if kind == MOBILE:
        m = _MOBILE.fullmatch(value)
        v = m.group(1) if m else value
        return f"{v[:3]}****{v[-4:]}"
    m = _LANDLINE.fullmatch(value)
    if m:
        return f"{m.group(1)}-****{m.group(2)[-4:]}"
    return f"****{value[-4:]}"


def preview(kind: str, value: str) -> str:
    """A value as staff see it in a list of decisions and in the audit trail: enough to recognise, not to use."""
    if kind == ADDRESS:
        return value[:6] + "…"
    if kind in (ID, CARD):
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
    return mask_value(kind, value)


def _digits(s: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else "X" for c in s)


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _classify(digits: str, before: str, *, card_like: bool) -> str | None:
    if _ID18.fullmatch(digits) or _ID18_LOOSE.fullmatch(digits) or _ID15.fullmatch(digits):
        return ID
    if "X" in digits:
        return None
    if _MOBILE.fullmatch(digits):
        return MOBILE
    if _LANDLINE.fullmatch(digits):
        return LANDLINE
    if 16 <= len(digits) <= 19 and card_like and _luhn(digits):
        return CARD
    if _LOCAL.fullmatch(digits) and _PHONE_WORDS.search(before):
        return LANDLINE
    return None


def _number_hits(text: str) -> list[Hit]:
    out: list[Hit] = []
    for cand in _CANDIDATE.finditer(text):
        groups = [(m.start() + cand.start(), m.end() + cand.start(), _digits(m.group()))
                  for m in _GROUP.finditer(cand.group())]
        i = 0
        while i < len(groups):
            found = None
            for j in range(len(groups) - 1, i - 1, -1):  # the longest run of groups from i that is a number
                if any(g[2] == "X" for g in groups[i:j]):
                    continue  # X only ends an ID number
                digits = "".join(g[2] for g in groups[i:j + 1])
                lengths = [len(g[2]) for g in groups[i:j + 1]]
                card_like = len(lengths) == 1 or (set(lengths[:-1]) == {4} and lengths[-1] >= 3)
                kind = _classify(digits, text[max(0, groups[i][0] - 12):groups[i][0]], card_like=card_like)
                if kind:
                    found = (j, kind, digits)
                    break
            if found is None:
                i += 1
                continue
            j, kind, digits = found
            start, end = groups[i][0], groups[j][1]
            if start and text[start - 1] in "+\uff0b":
                start -= 1  # +86
            if start and text[start - 1] in "(\uff08" and any(c in text[start:end] for c in ")\uff09"):
                start -= 1  # (010) 6512 3456
            out.append(Hit(kind, start, end, text[start:end], digits))
            i = j + 1
    return out


def _address_hits(text: str) -> list[Hit]:
    out = []
    for m in _ADDRESS.finditer(text):
        value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", m.group()))
        out.append(Hit(ADDRESS, m.start(), m.end(), m.group(), value))
    return out


def find_personal_data(text: str) -> list[Hit]:
    """Every ID, card and phone number and every address in ``text``, in order.
    Overlaps are resolved in favour of the number (an address never swallows one)."""
    text = text or ""
    numbers = _number_hits(text)
    hits = list(numbers)
    for a in _address_hits(text):
        if not any(n.start < a.end and a.start < n.end for n in numbers):
            hits.append(a)
    return sorted(hits, key=lambda h: h.start)


def replace_hits(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with each given hit replaced by its masked form."""
    out, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        if h.start < pos:
            continue
        out += [text[pos:h.start], h.masked]
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


NUMBERS = (ID, CARD, MOBILE, LANDLINE)


def redact(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = (),
           keep: Iterable[str] = (), kinds: Iterable[str] = (*NUMBERS, ADDRESS)) -> str:
    """Free text as the public may read it: the given names masked and the given
    addresses removed, then every detected number and address (of ``kinds``)
    hidden except those whose ``Hit.key`` is in ``keep`` (confirmed not to be
    personal data)."""
    out = text or ""
    for addr in sorted({a.strip() for a in addresses if a and a.strip()}, key=len, reverse=True):
        out = out.replace(addr, ADDRESS_REMOVED)
    out = mask_names(out, names)
    keep, kinds = set(keep), set(kinds)
    return replace_hits(out, [h for h in find_personal_data(out) if h.kind in kinds and h.key not in keep])


def mask_contact(text: str) -> str:
    """A contact (phone number, e-mail, anything) for someone who may not see it:
    numbers masked as above, anything else kept to its first character."""
    text = (text or "").strip()
    hits = [h for h in find_personal_data(text) if h.kind in NUMBERS]
    if hits:
        return replace_hits(text, hits)
    return text[:1] + "*" * max(len(text) - 1, 1) if text else ""
