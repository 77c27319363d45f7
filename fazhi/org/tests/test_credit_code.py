"""统一社会信用代码 (GB 32100-2015) check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fazhi.org.credit_code import CHARSET, check_char, credit_code_error, validate_credit_code
from fazhi.org.demo import UNITS, credit_code, org_code


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",  # the standard's own example
    "91110000600037341L",
    "91440300708461136T",
])
def test_valid_codes(code):
    assert credit_code_error(code) is None
    validate_credit_code(code)


def test_wrong_check_character():
    assert credit_code_error("91350100M000100Y44") == "统一社会信用代码校验位不正确，请核对"


@pytest.mark.parametrize("code, bad", [("91350100M000100YI3", "I"), ("91350100M0O0100Y43", "O"),
                                       ("9135010SM000100Y43", "S"), ("91350100m000100Y43", "m")])
def test_characters_outside_the_charset(code, bad):
    message = credit_code_error(code)
    assert "不允许的字符" in message and bad in message


@pytest.mark.parametrize("code", ["", "9135", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length(code):
    assert credit_code_error(code) == f"统一社会信用代码应为18位，当前为{len(code)}位"


def test_the_django_validator_raises_in_chinese_and_accepts_blank():
    validate_credit_code("")
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code("91350100M000100Y44")


def test_demo_codes_are_valid_and_use_a_valid_organisation_code():
    assert org_code("D2143569") == "D2143569X"  # the GB 11714 worked example
    codes = [u.code for u in UNITS if u.code]
    assert all(credit_code_error(c) is None for c in codes)
    assert len(set(codes)) == len(codes)
    assert credit_code("11", "00850001").startswith("11")


body17 = st.text(alphabet=CHARSET, min_size=17, max_size=17)


@given(body17)
def test_any_body_with_its_computed_check_character_is_valid(first17):
    assert credit_code_error(first17 + check_char(first17)) is None


@given(body17, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_changing_any_one_character_makes_it_invalid(first17, position, shift):
    code = first17 + check_char(first17)
    replaced = CHARSET[(CHARSET.index(code[position]) + shift) % 31]
    changed = code[:position] + replaced + code[position + 1:]
    assert changed != code
    assert credit_code_error(changed) is not None
