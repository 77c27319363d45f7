"""The notice parser on the 2025 and 2026 notices and on real phrasings."""

import pytest

from fazhi.core.errors import ValidationError
from fazhi.workdays.notice import parse_notice
from fazhi.workdays.tests.conftest import OFF_2025, OFF_2026, WORK_2025, WORK_2026, d, dates, span


def test_the_2025_notice_gives_exactly_the_published_days(notice_2025):
    notice = parse_notice(notice_2025)
    assert notice.year == 2025
    assert notice.off_days == OFF_2025
    assert notice.work_days == WORK_2025
    assert notice.source == "国办发明电〔2024〕12号"
    assert notice.title == "国务院办公厅关于2025年部分节假日安排的通知"


def test_the_2026_notice_gives_exactly_the_published_days(notice_2026):
    notice = parse_notice(notice_2026)
    assert notice.year == 2026
    assert notice.off_days == OFF_2026
    assert notice.work_days == WORK_2026


def test_festival_names_are_kept_per_day(notice_2025):
    by_day = {x.date: x.festival for x in parse_notice(notice_2025).days}
    assert by_day[d("2025-01-01")] == "元旦"
    assert by_day[d("2025-01-26")] == "春节"
    assert by_day[d("2025-04-05")] == "清明节"
    assert by_day[d("2025-04-27")] == "劳动节"
    assert by_day[d("2025-06-01")] == "端午节"
    assert by_day[d("2025-10-11")] == "国庆节、中秋节"


def test_cli_lines_are_date_tab_kind_tab_festival(notice_2026):
    lines = parse_notice(notice_2026).lines()
    assert lines[0] == "2026-01-01\t放假\t元旦"
    assert "2026-01-04\t上班\t元旦" in lines
    assert len(lines) == len(OFF_2026) + len(WORK_2026)


def test_a_combined_mid_autumn_and_national_day_item():
    text = "六、中秋节、国庆节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。"
    notice = parse_notice(text, 2025)
    assert notice.off_days == span("2025-10-01", "2025-10-08")
    assert notice.work_days == dates("2025-09-28", "2025-10-11")
    assert {x.festival for x in notice.days} == {"中秋节、国庆节"}


def test_half_width_punctuation_and_colons():
    text = "一、元旦:1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。"
    notice = parse_notice(text, 2026)
    assert notice.off_days == span("2026-01-01", "2026-01-03")
    assert notice.work_days == dates("2026-01-04")


def test_without_lunar_notes_and_without_numbering():
    text = "春节：2月15日至23日放假调休，共9天。2月14日、2月28日上班。"
    notice = parse_notice(text, 2026)
    assert notice.off_days == span("2026-02-15", "2026-02-23")
    assert notice.work_days == dates("2026-02-14", "2026-02-28")


def test_a_range_across_months():
    notice = parse_notice("五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。", 2025)
    assert notice.off_days == span("2025-05-31", "2025-06-02")


def test_explicit_years_including_the_previous_december():
    text = ("国务院办公厅关于2012年部分节假日安排的通知\n"
            "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。")
    notice = parse_notice(text)
    assert notice.off_days == span("2012-01-01", "2012-01-03")
    assert notice.work_days == dates("2011-12-31")


def test_explicit_year_written_out_in_the_item():
    notice = parse_notice("一、元旦：2024年12月31日至2025年1月1日放假，共2天。", 2025)
    assert notice.off_days == dates("2024-12-31", "2025-01-01")


def test_text_broken_by_pdf_extraction_is_still_read():
    text = "二、春 节：1月28日（农历除夕、周二）至2月4\n日（农历正月初七、周二）放假调休，\n共8天。1月26日（周日）、2月8日（周六）上\n班。"
    text = text.replace("春 节", "春节")
    notice = parse_notice(text, 2025)
    assert notice.off_days == span("2025-01-28", "2025-02-04")
    assert notice.work_days == dates("2025-01-26", "2025-02-08")


def test_the_year_comes_from_the_title():
    notice = parse_notice("关于2026年部分节假日安排的通知\n三、清明节：4月4日（周六）至6日（周一）放假，共3天。")
    assert notice.year == 2026


def test_a_year_argument_that_contradicts_the_title_is_refused(notice_2025):
    with pytest.raises(ValidationError, match="不一致"):
        parse_notice(notice_2025, 2026)


@pytest.mark.parametrize("text, message", [
    ("", "通知内容为空"),
    ("今天天气很好，大家按时上班。", "无法确定通知的年份"),
    ("关于2025年部分节假日安排的通知\n请大家注意休息。", "未能识别出任何节日安排"),
    ("关于2025年部分节假日安排的通知\n一、元旦：1月1日放假，共2天。", "共2天"),
    ("关于2025年部分节假日安排的通知\n二、春节：2月30日至3月2日放假。", "不是有效日期"),
    ("关于2025年部分节假日安排的通知\n一、元旦：不调休。", "没有找到放假日期"),
    ("关于2025年部分节假日安排的通知\n一、元旦：1月1日放假。二、春节：1月1日放假。", "出现了两次"),
])
def test_unparseable_text_gives_a_clear_chinese_error(text, message):
    with pytest.raises(ValidationError) as exc:
        parse_notice(text)
    assert message in exc.value.message
