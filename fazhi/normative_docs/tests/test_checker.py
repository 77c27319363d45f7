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


def test_to_json_has_the_seven_keys_and_counts_cover_every_category():
    report = check(fixture_text("outdoor_ads_measures.txt"))
    keys = ["article", "category", "kind", "matched", "reason", "rule", "text"]
    assert all(list(item) == keys for item in report.to_json())
    counts = report.counts()
    assert list(counts) == list(CATEGORIES)
    assert counts["行政处罚"] == 2 and sum(counts.values()) == len(report.findings)


def test_the_signature_is_not_part_of_the_last_article():
    report = check(fixture_text("outdoor_ads_measures.txt"))
    assert report.articles[-1].text == "本办法自2024年5月1日起施行，有效期5年。"


def test_a_garbled_pdf_text_is_repaired_before_checking():
    report = check("某觃定\n第一条 迚一步觃范管理，个体工商户丌得在城区主干道两侧经营。")
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


# --- issue 12 §3: the kinds of problem a reviewer raises ---------------------


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(f.article, f.kind, f.matched) for f in check(text).findings]


@pytest.mark.parametrize(
    "sentence, kind, matched",
    [
        # 收费
        ("建筑垃圾处置实行收费制度，收费按照物价部门核定的标准执行。", "收费", "实行收费制度"),
        ("出租汽车经营权应当通过招标、拍卖的方式进行有偿出让。", "收费", "有偿出让"),
        ("本市场经营户必须交纳占道费、卫生费，并交纳保证金。", "收费", "交纳占道费、交纳保证金"),
        # 许可审批
        ("要求将遗体运回安葬的，应事先报经省民政部门批准。", "许可审批", "应事先报经省民政部门批准"),
        ("经营权转让的，经市交通运输局审查同意后，方可转让。", "许可审批", "经市交通运输局审查同意后，方可"),
        ("修复祖坟的应向县民政部门申请，报县人民政府批准后办理。", "许可审批", "报县人民政府批准后"),
        ("单位自行安排消纳场地的，应当提交上级主管部门同意受纳的证明。", "许可审批", "提交上级主管部门同意受纳的证明"),
        ("处置单位应当向市城市管理局申请建筑垃圾处置核准。", "许可审批", "申请建筑垃圾处置核准"),
        ("经营者新投入的车辆未取得《营运证》的，不得营运。", "许可审批", "未取得《营运证》的，不得"),
        ("商贩从外地调入鲜鱼销售，须凭调出地渔业主管部门证明销售。", "许可审批", "须凭调出地渔业主管部门证明"),
        ("渔具经营者须到渔政管理部门登记后，凭营业执照从事经营活动。", "许可审批", "登记后，凭"),
        # 备案义务
        ("经营者应当自开业之日起十五日内向县商务局备案。", "备案义务", "应当自开业之日起十五日内向县商务局备案"),
        ("从事水产品贩运的经营者须到县渔政管理部门登记。", "备案义务", "须到县渔政管理部门登记"),
        # 资质资格
        ("驾驶员应当经考试合格取得从业资格证后从事营运。", "资质资格", "取得从业资格证"),
        ("个体经营者应当委托具有经营资质的企业实施管理。", "资质资格", "具有经营资质"),
        ("申办民宿必须具备以下条件。", "资质资格", "必须具备以下条件"),
        # 一律禁止
        ("本区行政区域内禁止生产烟花爆竹，禁止销售烟花爆竹。", "一律禁止", "禁止生产、禁止销售"),
        ("自10月1日起，全面关停辖区内的所有棺木市场。", "一律禁止", "全面关停"),
        ("实行全域、全时段禁止生产、储存、经营烟花爆竹。", "一律禁止", "全域、全时段禁止生产"),
        ("凡辖区内居民亡故后一律实行火化。", "一律禁止", "一律实行"),
        ("严禁任何单位和个人通过线上、线下等任何渠道销售孔明灯。", "一律禁止", "严禁任何单位和个人通过线上、线下等任何渠道销售"),
        # 无偿收回
        ("逾期未拆除的，由有关部门依法拆除，并不予补偿。", "无偿收回", "不予补偿"),
        ("市场调整的，有权将摊位收回，政府不对经营户给予任何补偿。", "无偿收回", "将摊位收回、不对经营户给予任何补偿"),
        ("未按期投入营运的，由市交通运输局收回出租汽车经营权。", "无偿收回", "收回出租汽车经营权"),
        # 自设处罚
        ("由公安部门对当事人处以15日以下行政拘留。", "自设处罚", "15日以下行政拘留"),
        ("由生态环境部门对当事人处以500-2000元罚款。", "自设处罚", "处以500-2000元罚款"),
        ("情节严重的可处以一定数额罚款。", "自设处罚", "一定数额罚款"),
        ("违者一律由县市场监督管理局按有关规定顶格处罚。", "自设处罚", "顶格处罚"),
        ("对非法采砂行为按《中华人民共和国水法》相关要求进行顶格处罚。", "自设处罚", "顶格处罚"),
        ("对转借营业执照的，吊销营业执照，没收违法所得。", "自设处罚", "吊销营业执照、没收违法所得"),
        # 行政强制
        ("逾期不拆除的，由城市管理局强制拆除。", "行政强制", "强制拆除"),
        ("公共场所未牵绳的犬只，一律视为流浪犬进行捕捉。", "行政强制", "捕捉"),
        # 排除限制竞争
        ("企业依法缴纳的县级地方税收，按40%给予奖励。", "排除限制竞争", "税收，按40%给予奖励"),
        ("两年内按企业所得税县级留存部分的同等比例，由县财政补助给企业。", "排除限制竞争", "所得税县级留存部分的同等比例，由县财政补助"),
        ("重大项目可采取“一事一议”形式实行特殊优惠。", "排除限制竞争", "一事一议"),
        ("将邮政企业纳入涉农企业范畴，给予相关政策扶持。", "排除限制竞争", "给予相关政策扶持"),
        # 效力优先
        ("本区的有关规定与本通告不一致的，依照本通告执行。", "效力优先", "与本通告不一致的，依照本通告执行"),
        ("此前发布的文件与本办法不一致的，以本办法为准。", "效力优先", "与本办法不一致的，以本办法为准"),
        # 引用失效法律
        ("依照《中华人民共和国合同法》订立合同。", "引用失效法律", "《中华人民共和国合同法》"),
    ],
)
def test_each_kind_of_problem(sentence, kind, matched):
    found = [f for f in check(f"第一条 {sentence}").findings if f.kind == kind]
    assert [(f.article, f.matched) for f in found] == [("第一条", matched)]
    assert found[0].reason and found[0].rule and found[0].category in CATEGORIES


@pytest.mark.parametrize(
    "sentence",
    [
        # The clause states its legal basis: a reviewer accepts it.
        "交通执法人员将依照《公路法》第七十七条的有关规定，责令停止违法行为，并处以五千元以下罚款。",
        "依据国务院《烟花爆竹安全管理条例》，由公安部门没收非法携带的烟花爆竹，并处200元以上1000元以下的罚款。",
        "由环保部门依据《中华人民共和国大气污染防治法》第一百一十九条规定，处五百元以上二千元以下罚款。",
        # Penalties named only generically, with no amount or term.
        "由公安机关依法给予警告、罚款、拘留等行政处罚。",
        "由县水行政主管部门依据相关法律法规的规定，给予警告、罚款、没收非法所得、吊销河道采砂许可证等行政处罚。",
        "违反法律、法规和政策规定，乱收费用和罚款的，经营者有权拒缴。",
        # Bans on what is unlawful anyway, duties restating the law, protective wording.
        "严禁任何单位和个人非法生产、经营、运输烟花爆竹。",
        "露天市场内不得销售国家明令禁止销售的商品。",
        "严禁生产、销售未获得CCC认证的车辆。",
        "禁止经营销售病死、毒死或死因不明的犬只肉类。",
        "生产销售丧葬用品的单位和个人必须依法办理相关手续后方可营业。",
        "对合法经营，任何人不得非法干预，不得侵犯经营者的合法权益。",
        "收取市场管理费、摊位费，必须使用财政部门统一制发的收费票据。",
        "市场管理费实行专款专用。",
        "列入关停范围的养殖场限期自行关闭，县人民政府给予适当补偿。",
        "经营权有偿出让后，主管部门应当向经营者核发经营许可证。",
        "本办法与法律、法规不一致的，以法律、法规为准。",
        "任何单位和个人不得擅自设立处置场所。",
    ],
)
def test_what_a_reviewer_accepts_is_not_flagged(sentence):
    assert check(f"第一条 {sentence}\n第二条 本办法自公布之日起施行。").findings == []


def test_a_sentence_wrapped_over_two_lines_is_read_as_one():
    text = "四、对阻碍国家机关工作人员依法执行公务的,由公安机关依法给予警告、罚\n款、拘留等行政处罚;涉嫌犯罪的,移送司法机关。\n五、本通告自发布之日起施行。"
    assert check(text).findings == []


def test_the_title_in_the_preamble_is_not_a_provision():
    text = "某县人民政府关于全面禁止生产销售烟花爆竹的通告\n一、本通告自发布之日起施行。\n二、设立举报电话。"
    assert check(text).findings == []


def test_a_one_line_fragment_is_split_and_checked_article_by_article():
    text = ("费。第十五条 建筑垃圾处置实行收费制度。第十六条 本办法与上级规定不一致的，以本办法为准。"
            "第五章 法律责任 第十七条 擅自处置的，处以3000元以上2万元以下的罚款。")
    assert [(f.article, f.kind) for f in check(text).findings] == [
        ("第十五条", "收费"), ("第十六条", "效力优先"), ("第十七条", "自设处罚"),
    ]


def test_detention_findings_say_only_a_law_may_provide_for_detention():
    [finding] = check("第一条 违反本通告的，处五日以上十五日以下拘留。").findings
    assert finding.kind == "自设处罚" and finding.rule == "行政处罚法第十条、第十六条"
    assert "只能由法律设定" in finding.reason


def test_kind_counts_follow_the_kinds_order():
    report = check("第一条 禁止销售烟花爆竹，违者处五百元罚款。第二条 经营者应当向县商务局备案。")
    assert report.kind_counts() == {"自设处罚": 1, "备案义务": 1, "一律禁止": 1}
