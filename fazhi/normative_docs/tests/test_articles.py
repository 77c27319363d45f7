"""Splitting texts into articles (issue 3 item 5): 第X条 and 一、 numbering,
texts without line breaks, chapter headings, cross-references."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.normative_docs.articles import (
    Article,
    chinese_numeral,
    parse_chinese_numeral,
    split_articles,
    strip_signature,
    title_of,
)

TEXTS = Path(__file__).parent / "texts"


def fixture_text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "n, cn",
    [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
     (110, "一百一十"), (123, "一百二十三"), (1001, "一千零一"), (1260, "一千二百六十")],
)  # fmt: skip
def test_chinese_numerals_round_trip(n, cn):
    assert chinese_numeral(n) == cn
    assert parse_chinese_numeral(cn) == n


def test_parse_chinese_numeral_accepts_arabic_fullwidth_and_positional_digits():
    assert parse_chinese_numeral("12") == 12
    assert parse_chinese_numeral("１２") == 12
    assert parse_chinese_numeral("二〇二四") == 2024
    assert parse_chinese_numeral("两百") == 200


def test_parse_chinese_numeral_rejects_other_words():
    with pytest.raises(ValueError):
        parse_chinese_numeral("总则")


def _numbered(articles):
    return [a.no for a in articles if not a.is_preamble]


def test_it_splits_a_measures_text_with_chapters_and_keeps_the_preamble():
    articles = split_articles(fixture_text("outdoor_ads_measures.txt"))
    assert articles[0].is_preamble
    assert articles[0].text.startswith("示范县人民政府文件")
    assert _numbered(articles) == [f"第{chinese_numeral(n)}条" for n in range(1, 16)]
    by_no = {a.no: a for a in articles}
    assert by_no["第一条"].chapter == "第一章 总则"
    assert by_no["第四条"].chapter == "第二章 设置许可"
    assert by_no["第十五条"].chapter == "第五章 附则"
    assert not any("第二章" in a.text for a in articles)


def test_sub_items_stay_inside_their_article():
    by_no = {a.no: a for a in split_articles(fixture_text("outdoor_ads_measures.txt"))}
    assert by_no["第五条"].text.split("\n")[1:] == [
        "（一）设置申请书；",
        "（二）营业执照或者身份证明复印件；",
        "（三）设计图、效果图及安全检测报告；",
        "（四）场地使用权证明。",
    ]


def test_it_splits_a_text_without_line_breaks_and_ignores_cross_references():
    articles = split_articles(fixture_text("publication_rules_oneline.txt"))
    assert _numbered(articles) == [f"第{chinese_numeral(n)}条" for n in range(1, 9)]
    by_no = {a.no: a for a in articles}
    assert by_no["第三条"].text == "县司法局负责指导、监督本规定的实施。依照本规定第二条制定的文件，应当依照本规定第六条公开。"
    assert by_no["第四条"].chapter == "第二章 公开方式"
    assert by_no["第七条"].text == "本规定由县司法局负责解释。第五条所列事项发生变化的，应当及时更新公开内容。"
    assert by_no["第八条"].chapter == "第三章 附则"


def test_it_splits_a_notice_numbered_yi_er_san():
    articles = split_articles(fixture_text("service_window_notice.txt"))
    assert _numbered(articles) == ["一、", "二、", "三、", "四、", "五、"]
    assert articles[2].text.startswith("服务内容\n（一）提供免费咨询服务")
    assert "（四）推行延时服务" in articles[2].text


def test_a_reference_to_another_law_is_not_a_heading():
    text = "第一条 根据《中华人民共和国行政许可法》第十二条规定，制定本办法。第二条 本办法自公布之日起施行。"
    assert _numbered(split_articles(text)) == ["第一条", "第二条"]


def test_a_reference_after_a_sentence_end_does_not_break_the_sequence():
    text = "第一条 总则。\n第二条 见下。第三条规定的情形除外。\n第三条 其他。：第四条 不是标题吗？\n第四条 最后。"
    articles = split_articles(text)
    assert _numbered(articles) == ["第一条", "第二条", "第三条", "第四条"]
    assert articles[2].text == "其他。：第四条 不是标题吗？"


def test_arabic_numbering_and_full_width_spaces():
    text = "\u3000\u3000第1条\u3000甲。\n\u3000\u3000第2条\u3000乙。\n第3条 丙。"
    assert split_articles(text) == [Article("第1条", "", "甲。"), Article("第2条", "", "乙。"), Article("第3条", "", "丙。")]


def test_chapter_heading_runs_into_the_article_without_spaces():
    text = "某办法第一章总则第一条为了规范管理，制定本办法。第二章附则第二条本办法自公布之日起施行。"
    articles = split_articles(text)
    assert [(a.no, a.chapter, a.text) for a in articles[1:]] == [
        ("第一条", "第一章 总则", "为了规范管理，制定本办法。"),
        ("第二条", "第二章 附则", "本办法自公布之日起施行。"),
    ]


def test_sections_are_kept_apart_from_chapters():
    text = "第二章 许可\n第一节 一般规定\n第一条 甲。\n第二节 程序\n第二条 乙。\n第三章 附则\n第三条 丙。"
    articles = split_articles(text)
    assert [(a.chapter, a.section) for a in articles] == [
        ("第二章 许可", "第一节 一般规定"),
        ("第二章 许可", "第二节 程序"),
        ("第三章 附则", ""),
    ]


def test_more_than_one_hundred_articles():
    text = "".join(f"第{chinese_numeral(n)}条 内容{n}。" for n in range(1, 124))
    articles = split_articles(text)
    assert len(articles) == 123
    assert articles[-1].no == "第一百二十三条"
    assert articles[-1].number == 123


def test_a_text_without_numbering_is_one_preamble_article():
    assert split_articles("一段没有编号的文字。\n第二行。") == [Article("", "", "一段没有编号的文字。\n第二行。")]
    assert split_articles("  \n") == []


def test_strip_signature_takes_the_issuer_and_date_off_the_last_article():
    articles, issuer, signed = strip_signature(split_articles(fixture_text("outdoor_ads_measures.txt")))
    assert (issuer, signed) == ("示范县人民政府", "2024年3月1日")
    assert articles[-1].text == "本办法自2024年5月1日起施行，有效期5年。"


def test_title_guesses():
    assert title_of(fixture_text("outdoor_ads_measures.txt")) == "示范县人民政府关于印发《示范县城区户外广告设施设置管理办法》的通知"
    assert title_of(fixture_text("service_window_notice.txt")) == "示范县人民政府办公室关于做好为民服务窗口工作的通知"
    assert title_of(fixture_text("publication_rules_oneline.txt")) == "示范县行政规范性文件公开管理规定"


_FILLER = st.sampled_from(
    ["县人民政府负责组织实施", "有关部门按照职责分工做好工作", "加强监督检查", "（一）建立工作台账；", "保障群众合法权益"]
)


@st.composite
def documents(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    sep = draw(st.sampled_from(["\n", "", " ", "\u3000", "\n\u3000\u3000"]))
    parts = ["示范县某某管理办法"]
    for i in range(1, n + 1):
        if draw(st.booleans()) and i % 5 == 1:
            parts.append(f"第{chinese_numeral(i // 5 + 1)}章 管理措施")
        body = []
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            ref = draw(st.integers(min_value=1, max_value=n + 5))
            form = draw(
                st.sampled_from(["依照本办法第{}条", "违反本办法第{}条规定的", "。第{}条规定的除外", "（见第{}条）", "按第{}条、第{}条"])
            )
            body.append(draw(_FILLER) + form.format(chinese_numeral(ref), chinese_numeral(ref)) + "。")
        heading = f"第{chinese_numeral(i)}条" if draw(st.booleans()) or i > 9 else f"第{i}条"
        parts.append(heading + draw(st.sampled_from([" ", "\u3000", ""])) + "".join(body))
    return n, sep.join(parts)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_generated_documents_split_into_their_articles_in_order(doc):
    n, text = doc
    articles = [a for a in split_articles(text) if not a.is_preamble]
    assert [a.number for a in articles] == list(range(1, n + 1))


# --- issue 12 §3: texts pasted from web pages, fragments, inserted articles ---


def _pairs(text):
    return [(a.no, a.text) for a in split_articles(text)]


def test_articles_run_together_without_spaces_even_when_an_article_starts_with_zhong_or_suo():
    text = "第一条为了规范管理，制定本办法。第二条中小企业适用本办法。第三条所有经营者应当诚信经营。第四条本办法自公布之日起施行。"
    assert _pairs(text) == [
        ("第一条", "为了规范管理，制定本办法。"),
        ("第二条", "中小企业适用本办法。"),
        ("第三条", "所有经营者应当诚信经营。"),
        ("第四条", "本办法自公布之日起施行。"),
    ]


def test_a_fragment_starting_at_a_later_article_keeps_the_tail_of_the_article_before_it():
    text = ",不得遗撒、泄漏;(三)按照核定的路线运输。第十三条 建筑垃圾处置场地纳入规划。第十四条 本办法自公布之日起施行。"
    articles = split_articles(text)
    assert [a.no for a in articles] == ["", "第十三条", "第十四条"]
    assert articles[0].is_preamble and articles[0].text.startswith(",不得遗撒")
    assert [a.number for a in articles[1:]] == [13, 14]


def test_chapter_and_section_headings_in_the_middle_of_a_one_line_fragment():
    text = ("第十五条 违反本办法的，依照本办法第十二条规定处理。第三章 法律责任 第一节 一般规定 "
            "第十六条 根据《某某条例》第三条，制定本条。第二节 附则 第十七条 本办法自公布之日起施行。")
    articles = split_articles(text)
    assert [(a.no, a.chapter, a.section) for a in articles] == [
        ("第十五条", "", ""),
        ("第十六条", "第三章 法律责任", "第一节 一般规定"),
        ("第十七条", "第三章 法律责任", "第二节 附则"),
    ]
    assert articles[0].text == "违反本办法的，依照本办法第十二条规定处理。"
    assert articles[1].text == "根据《某某条例》第三条，制定本条。"


def test_inserted_articles_numbered_zhiyi_and_references_to_them():
    text = "第五条 甲。第五条之一 乙，依照本办法第五条之一规定办理。第五条之二 丙。第六条 丁，见第五条之二。"
    articles = split_articles(text)
    assert [a.no for a in articles] == ["第五条", "第五条之一", "第五条之二", "第六条"]
    assert articles[1].text == "乙，依照本办法第五条之一规定办理。"
    assert [a.number for a in articles] == [5, 5, 5, 6]


def test_a_reference_with_spaces_in_a_fragment_is_not_a_heading():
    text = "第十一条 依照本办法 第十二条 规定处理。第十二条 其他事项。"
    assert _pairs(text) == [("第十一条", "依照本办法 第十二条 规定处理。"), ("第十二条", "其他事项。")]


def test_references_inside_a_one_line_text_are_not_headings():
    text = ("某办法第一条 根据《中华人民共和国行政许可法》第十二条，制定本办法。第二条 依照本办法第三条规定"
            "处理，第三条所称经营者除外。第三条 经营者是指从事经营的人。")
    assert [a.no for a in split_articles(text)] == ["", "第一条", "第二条", "第三条"]


def test_a_colon_after_the_heading_is_not_part_of_the_text():
    assert _pairs("第一条：为了规范管理。第二条:本办法自公布之日起施行。") == [
        ("第一条", "为了规范管理。"), ("第二条", "本办法自公布之日起施行。"),
    ]


def test_a_notice_numbered_1_2_3():
    text = "某公告\n1、自10月1日起一律实行火化。\n2、严禁私埋乱葬，见第1、2项。\n3、本公告自发布之日起施行。"
    assert [a.no for a in split_articles(text)] == ["", "1、", "2、", "3、"]
    assert split_articles(text)[2].number == 2


def test_sub_items_numbered_1_stay_inside_articles_numbered_yi():
    text = "一、禁放范围\n1、全域禁止。\n2、全时段禁止。\n3、无例外。\n二、法律责任\n1、依法处罚。"
    assert [a.no for a in split_articles(text)] == ["一、", "二、"]


@st.composite
def fragments(draw):
    """A document cut out of a longer one: it starts at article ``first``."""
    first = draw(st.integers(min_value=2, max_value=60))
    n = draw(st.integers(min_value=2, max_value=15))
    sep = draw(st.sampled_from(["\n", "", " ", "\u3000"]))
    parts = [draw(st.sampled_from(["", "，不得遗撒、泄漏。", "费。"]))]
    for i in range(first, first + n):
        ref = draw(st.integers(min_value=1, max_value=first + n + 5))
        form = draw(st.sampled_from(["依照本办法第{}条规定", "违反本办法第{}条规定的", "根据《某某条例》第{}条", "按第{}条、第{}条"]))
        body = draw(_FILLER) + form.format(chinese_numeral(ref), chinese_numeral(ref)) + "。"
        parts.append(f"第{chinese_numeral(i)}条" + draw(st.sampled_from([" ", "\u3000", ""])) + body)
    return first, n, sep.join(parts)


@settings(max_examples=100, deadline=None)
@given(fragments())
def test_generated_fragments_split_into_their_articles_in_order(doc):
    first, n, text = doc
    articles = [a for a in split_articles(text) if not a.is_preamble]
    assert [a.number for a in articles] == list(range(first, first + n))
