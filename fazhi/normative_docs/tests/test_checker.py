"""The pre-review checker (issue 3 item 5): exact findings on a text with
licences, fines, fees and new duties; none on plain service texts."""

from pathlib import Path

import pytest

from fazhi.normative_docs import laws
from fazhi.normative_docs.checker import CATEGORIES, check

TEXTS = Path(__file__).parent / "texts"


def fixture_text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def pairs(text: str) -> list[tuple[str, str]]:
    return [(f.article, f.category) for f in check(text).findings]


def test_it_flags_each_provision_of_the_outdoor_ads_measures():
    assert pairs(fixture_text("outdoor_ads_measures.txt")) == [
        ("第一条", "与上位法冲突"),
        ("第四条", "行政许可"),
        ("第五条", "增加义务"),
        ("第六条", "收费"),
        ("第七条", "排除限制竞争"),
        ("第八条", "行政许可"),
        ("第九条", "增加义务"),
        ("第十条", "减损权利"),
        ("第十一条", "行政强制"),
        ("第十二条", "行政处罚"),
        ("第十三条", "行政处罚"),
    ]


def test_each_finding_names_the_matched_words_and_the_article_text():
    findings = {(f.article, f.category): f for f in check(fixture_text("outdoor_ads_measures.txt")).findings}
    assert findings["第一条", "与上位法冲突"].matched == "《中华人民共和国合同法》"
    assert findings["第四条", "行政许可"].matched == (
        "须经县城市管理局批准、取得户外广告设施设置许可证后方可、未经批准，任何单位和个人不得"
    )
    assert findings["第六条", "收费"].matched == "缴纳户外广告设施设置费、交纳5000元安全保证金"
    assert findings["第七条", "排除限制竞争"].matched == "指定企业、优先使用本地"
    assert findings["第十二条", "行政处罚"].matched == "处五千元以上三万元以下罚款、吊销户外广告设施设置许可证"
    assert findings["第十三条", "行政处罚"].matched == "给予警告、处一千元以下罚款"
    assert findings["第十一条", "行政强制"].text == "设置人逾期不整改或者拒不拆除的，由县城市管理局依法强制拆除，所需费用由设置人承担。"


@pytest.mark.parametrize("name", ["service_window_notice.txt", "publication_rules_oneline.txt"])
def test_a_plain_service_or_publication_text_has_no_findings(name):
    assert check(fixture_text(name)).findings == []


@pytest.mark.parametrize(
    "sentence",
    [
        "提供免费咨询服务；设立服务窗口。",
        "窗口工作人员不得收取任何费用。",
        "办理营业执照不收取工本费。",
        "行政机关不得要求企业提供证明材料。",
        "窗口工作人员应当为企业提供帮办服务。",
        "不得指定中介机构，不得设置市场准入壁垒。",
        "本办法与法律、法规不一致的，以法律、法规为准。",
        "严格执行罚没收入管理制度。",
        "对符合条件的申请无需审批，实行告知承诺制。",
    ],
)
def test_negated_or_administration_side_wording_is_not_flagged(sentence):
    assert check(f"第一条 {sentence}\n第二条 本办法自公布之日起施行。").findings == []


@pytest.mark.parametrize(
    "sentence, category, matched",
    [
        ("从事经营活动应当取得经营许可证。", "行政许可", "应当取得经营许可证"),
        ("对符合条件的，准予登记。", "行政许可", "准予登记"),
        ("备案后方可开展经营。", "行政许可", "备案后方可"),
        ("逾期不缴纳的，依法申请人民法院强制执行，并查封其设备。", "行政强制", "强制执行、查封"),
        ("情节严重的，责令停产停业。", "行政处罚", "责令停产停业"),
        ("申请人应当缴纳押金。", "收费", "缴纳押金"),
        ("收费标准由县发展改革局核定。", "收费", "收费标准"),
        ("经营者必须书面承诺不擅自扩大经营范围。", "增加义务", "必须书面承诺"),
        ("企业应当每年报送经营情况。", "增加义务", "应当每年报送"),
        ("个体工商户不得在城区主干道两侧经营。", "减损权利", "不得"),
        ("对有不良记录的企业，取消其申报资格。", "减损权利", "取消其申报资格"),
        ("外地企业参加投标的，须提供本地纳税证明。", "排除限制竞争", "外地企业参加投标的，须"),
        ("对在本县注册的企业给予一次性奖励。", "排除限制竞争", "给予一次性奖励"),
        ("政府采购项目限定购买本地产品。", "排除限制竞争", "限定购买"),
        ("本办法与上级规定不一致的，以本办法为准。", "与上位法冲突", "与上级规定不一致的，以本办法为准"),
        ("依照《信访条例》办理。", "与上位法冲突", "《信访条例》"),
    ],
)
def test_single_provisions(sentence, category, matched):
    findings = [f for f in check(f"第一条 {sentence}").findings if f.category == category]
    assert [(f.article, f.matched) for f in findings] == [("第一条", matched)]


def test_findings_are_ordered_by_article_then_category():
    text = "第一条 违反规定的，处二千元罚款，并缴纳保证金。未经批准，不得设置。\n第二条 对违法财物予以扣押。"
    assert pairs(text) == [("第一条", "行政许可"), ("第一条", "行政处罚"), ("第一条", "收费"), ("第二条", "行政强制")]


def test_it_lists_every_cited_law_with_warnings_for_repealed_and_revised_ones():
    report = check(fixture_text("outdoor_ads_measures.txt"))
    cited = {law.name: law for law in report.laws_cited}
    assert list(cited) == [
        "《示范县城区户外广告设施设置管理办法》",
        "《中华人民共和国广告法》",
        "《城市市容和环境卫生管理条例》",
        "《中华人民共和国合同法》",
    ]
    contract = cited["《中华人民共和国合同法》"]
    assert contract.outdated and contract.articles == ("第一条",)
    assert "2021年1月1日废止" in contract.warning and "《中华人民共和国民法典》" in contract.warning
    assert not cited["《中华人民共和国广告法》"].status
    revised = check(fixture_text("publication_rules_oneline.txt")).laws_cited[0]
    assert revised.status.kind == "修订" and not revised.outdated


@pytest.mark.parametrize("name", ["《合同法》", "中华人民共和国物权法", "《中华人民共和国民法总则》", "《信访条例》"])
def test_the_repealed_laws_table_finds_short_and_full_names(name):
    assert laws.lookup(name).is_outdated


@pytest.mark.parametrize("name", ["《中华人民共和国民法典》", "《信访工作条例》", "《中华人民共和国行政复议法实施条例》", "《国家赔偿法》"])
def test_laws_in_force_are_not_in_the_table(name):
    assert laws.lookup(name) is None


def test_to_json_has_exactly_the_four_keys_and_counts_cover_every_category():
    report = check(fixture_text("outdoor_ads_measures.txt"))
    assert all(set(item) == {"article", "category", "matched", "text"} for item in report.to_json())
    counts = report.counts()
    assert list(counts) == list(CATEGORIES)
    assert counts["行政处罚"] == 2 and sum(counts.values()) == len(report.findings)


def test_the_signature_is_not_part_of_the_last_article():
    report = check(fixture_text("outdoor_ads_measures.txt"))
    assert report.articles[-1].text == "本办法自2024年5月1日起施行，有效期5年。"


def test_a_garbled_pdf_text_is_repaired_before_checking():
    report = check("某觃定\n第一条 迚一步觃范管理，申请人丌得擅自改变用途。")
    assert report.repaired == 4
    assert [(f.article, f.category, f.matched) for f in report.findings] == [("第一条", "减损权利", "不得")]


def test_a_licence_requirement_is_a_licence_finding_not_a_restriction_of_rights():
    text = ("第一条 为了规范集贸市场经营秩序，制定本办法。\n第二条 本办法适用于本区集贸市场。\n"
            "第三条 经营者应当向区市场监督管理局申请经营许可证，未取得许可证的不得经营。")
    assert [(f.article, f.category, f.matched) for f in check(text).findings] == [
        ("第三条", "行政许可", "应当向区市场监督管理局申请经营许可证、未取得许可证的不得"),
    ]


@pytest.mark.parametrize(
    "sentence, matched",
    [
        ("申请人应当向区农业农村局申请许可。", "应当向区农业农村局申请许可"),
        ("未取得排污许可证的，不得排放污染物。", "未取得排污许可证的，不得"),
        ("企业取得道路运输经营许可证后，可以申请运营补贴。", "取得道路运输经营许可证"),
        ("从事餐饮服务的经营户须办理卫生许可证。", "须办理卫生许可证"),
    ],
)
def test_licence_wordings(sentence, matched):
    assert [(f.category, f.matched) for f in check(f"第一条 {sentence}").findings] == [("行政许可", matched)]


@pytest.mark.parametrize(
    "sentence",
    [
        "窗口工作人员应当为企业办理许可证提供帮办代办服务。",
        "政务服务中心应当公开申请许可所需材料的目录。",
    ],
)
def test_the_administration_helping_with_licences_is_not_a_licence_finding(sentence):
    assert check(f"第一条 {sentence}\n第二条 本办法自公布之日起施行。").findings == []
