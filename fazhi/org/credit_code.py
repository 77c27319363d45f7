"""统一社会信用代码 check digit (GB 32100-2015).

18 characters from the set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z).
The 18th is a check character: C18 = 31 - (sum(Ci * Wi) mod 31), with
weights Wi = 3^(i-1) mod 31 for i = 1..17, and 31 mapped to 0.
"""

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Return a Chinese message describing what is wrong, or None when valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [c for c in code if c not in CHARSET]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(dict.fromkeys(bad))}（不使用 I、O、S、V、Z）"
    if check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None


def validate_credit_code(value: str) -> None:
    if not value:
        return
    message = credit_code_error(value.strip().upper())
    if message:
        raise ValidationError(message, code="credit_code")
