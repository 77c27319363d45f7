"""Masking of natural persons' personal data in published decisions (ENF-19/20).

Pure functions, no database. What the public sees of a natural person:

* name partly hidden: 张三 → 张*，欧阳小明 → 欧阳**（复姓保留两字）
* 18-digit resident ID numbers (and 15-digit old ones) removed
* addresses removed
* mobile / landline numbers masked: 13812345678 → 138****5678

Organisations (法人或其他组织) are published as they are, but an ID number
or a phone number of a natural person inside their text is still masked.
``find_unmasked_id`` is the last check before publication: content that still
contains an 18-digit ID number is refused (services.publish).
"""

import re

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠",
)

# 18-digit resident ID: 6-digit area, birth date 19xx/20xx, 3-digit sequence, check digit 0-9/X.
ID18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                  r"(?![0-9A-Za-z])")
# Any run of 17 digits + digit/X not part of a longer token (catches invalid-date IDs too).
ID18_LOOSE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?(\d{3,4})(\d{4})(?!\d)")

ID_REMOVED = "[身份证号已隐去]"
ADDRESS_REMOVED = "[住址已隐去]"


def mask_name(name: str) -> str:
    """张三 → 张*；张三丰 → 张**；欧阳小明 → 欧阳**. Empty stays empty."""
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)


def mask_phone(text: str) -> str:
    """Mask every mobile and landline number in ``text`` (keep the first 3 and last 4 digits)."""
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text or "")
    return LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)


def remove_ids(text: str) -> str:
    """Remove 18- and 15-digit ID numbers from ``text``."""
    text = ID18_LOOSE.sub(ID_REMOVED, text or "")
    return ID15.sub(ID_REMOVED, text)


def find_unmasked_id(text: str) -> str | None:
    """The first 18-digit ID number left in ``text``, or None."""
    m = ID18_LOOSE.search(text or "")
    return m.group(0) if m else None


def mask_text(text: str, *, names: list[str] = (), addresses: list[str] = ()) -> str:
    """Mask a free text: the given names and addresses wherever they appear,
    then every ID number and phone number."""
    out = text or ""
    for addr in sorted({a.strip() for a in addresses if a and a.strip()}, key=len, reverse=True):
        out = out.replace(addr, ADDRESS_REMOVED)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return mask_phone(remove_ids(out))


def party_display(name: str, *, natural_person: bool) -> str:
    return mask_name(name) if natural_person else (name or "").strip()
