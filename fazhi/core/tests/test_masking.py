"""The one masking rule and the one detector (fazhi.core.masking)."""

import pytest

from fazhi.core import masking

ID_NO = "110101198001011234"


@pytest.mark.parametrize(("name", "shown"), [
    ("张三", "张*"), ("张三丰", "张**"), ("欧阳小明", "欧阳**"), ("司马光", "司马*"), ("欧阳", "欧*"),
    ("张", "张*"), ("", ""), ("  李四 ", "李*"),
])
def test_a_name_keeps_its_surname_compound_surnames_whole(name, shown):
    assert masking.mask_name(name) == shown


def test_an_individual_business_hides_its_operator():
    assert masking.business_name("张三烧烤店", operator="张三", individual=True) == "张*烧烤店"
    assert masking.business_name("欧阳小明", operator="", individual=True) == "欧阳**"
    assert masking.business_name("老街面馆", operator="", individual=True) == "老街面馆"
    assert masking.business_name("张三有限公司", operator="张三", individual=False) == "张三有限公司"


@pytest.mark.parametrize("written", [
    "1101 0119 8001 0112 34", "110101-19800101-1234", "110101 19800101 1234", "１１０１０１１９８００１０１１２３４",
    "110101.19800101.1234", "11010119800101123X", "110101 19800101 123x",
])
def test_an_id_number_is_found_in_any_spacing(written):
    hits = masking.find_personal_data(f"当事人公民身份号码：{written}。")
    assert [h.kind for h in hits] == [masking.ID]
    assert hits[0].text == written
    assert masking.redact(f"号码{written}号") == f"号码{masking.ID_REMOVED}号"


@pytest.mark.parametrize("written", [
    "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "１３８００１３８０００", "13800138000", "138.0013.8000",
])
def test_a_mobile_number_is_found_in_any_spacing(written):
    hits = masking.find_personal_data(f"联系电话{written}，")
    assert [h.kind for h in hits] == [masking.MOBILE] and hits[0].value.endswith("13800138000")
    assert masking.redact(f"联系电话{written}，") == "联系电话138****8000，"


@pytest.mark.parametrize("written", ["010-6512 3456", "(010) 6512 3456", "（010）65123456", "0571-8888 8888"])
def test_a_landline_is_found(written):
    assert [h.kind for h in masking.find_personal_data(f"座机{written}")] == [masking.LANDLINE]


def test_a_local_number_counts_only_after_a_phone_word():
    assert [h.kind for h in masking.find_personal_data("咨询电话 8888 8888")] == [masking.LANDLINE]
    assert masking.find_personal_data("罚款 20000000 元") == []


@pytest.mark.parametrize("text", [
    "2024-01-01—2024-12-31 罚款 5 000 元", "渝执罚〔2024〕12号", "统一社会信用代码91500000MA5U123456",
    "第三条第二款", "罚款人民币1,500.00元", "抽查比例 5%",
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert masking.find_personal_data(text) == []


def test_a_bank_card_needs_its_check_digit():
    assert [h.kind for h in masking.find_personal_data("卡号 4111 1111 1111 1111")] == [masking.CARD]
    assert masking.find_personal_data("卡号 4111 1111 1111 1112") == []


@pytest.mark.parametrize("text", ["住示范区幸福路8号3栋2单元501室", "家住幸福路 8 号", "大河村3组", "人民大道一百号"])
def test_an_address_is_found(text):
    hits = masking.find_personal_data(text)
    assert [h.kind for h in hits] == [masking.ADDRESS]
    assert masking.ADDRESS_REMOVED in masking.redact(text)


def test_the_same_value_has_the_same_key_however_written():
    a, b = masking.find_personal_data("1101 0119 8001 0112 34 与 110101-19800101-1234")
    assert a.key == b.key and a.text != b.text


def test_redact_masks_names_addresses_numbers_and_leaves_kept_values():
    text = "张三丰，身份证110101199003074514，住示范区幸福路8号，电话138 1234 5678，热线 0571-8765 4321"
    hotline = [h for h in masking.find_personal_data(text) if h.kind == masking.LANDLINE][0]
    out = masking.redact(text, names=["张三丰"], addresses=["示范区幸福路8号"], keep=[hotline.key])
    assert "张三丰" not in out and "张**" in out
    assert "110101199003074514" not in out and masking.ID_REMOVED in out
    assert "幸福路" not in out
    assert "138 1234 5678" not in out and "138****5678" in out
    assert "0571-8765 4321" in out


def test_a_contact_is_masked_for_those_who_may_not_see_it():
    assert masking.mask_contact("13900001111") == "139****1111"
    assert masking.mask_contact("li@example.cn") == "l************"
