"""Password rules beyond Django's own validators (AUTH_PASSWORD_VALIDATORS)."""

import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: c in string.punctuation or not (c.isascii() and c.isalnum())),
)


class CharacterClassValidator:
    """口令复杂度: at least ``min_classes`` of upper-case letters, lower-case
    letters, digits and symbols (等保2.0 GB/T 22239-2019 8.1.4.1 a)
    "口令具有复杂度要求"; the usual reading is three of these four)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if found < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"
