from fazhi.enforcement import masking


def test_mask_name():
    assert masking.mask_name("张三") == "张*"
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_name("欧阳小明") == "欧阳**"
    assert masking.mask_name("") == ""


def test_mask_text_removes_ids_addresses_and_masks_phones():
    text = "张三丰，身份证110101199003074514，住示范区幸福路8号，电话13812345678，座机023-6123456"
    out = masking.mask_text(text, names=["张三丰"], addresses=["示范区幸福路8号"])
    assert "张三丰" not in out and "张**" in out
    assert "110101199003074514" not in out and masking.ID_REMOVED in out
    assert "幸福路" not in out
    assert "13812345678" not in out and "138****5678" in out
    assert masking.find_unmasked_id(out) is None
    assert masking.find_unmasked_id("号码11010119900307451X") == "11010119900307451X"
