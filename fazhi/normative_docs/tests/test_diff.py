"""Article-by-article comparison of two versions (issue 3 item 2)."""

from fazhi.normative_docs.articles import Article, chinese_numeral
from fazhi.normative_docs.diff import ADDED, DELETED, MODIFIED, UNCHANGED, diff_articles, inline_diff, summary

BODIES = [
    "为了规范城区户外广告设施管理，制定本办法。",
    "本办法适用于本县城区范围内户外广告设施的设置和管理。",
    "县城市管理局是户外广告设施的主管部门。",
    "设置户外广告设施应当符合城区户外广告设施设置规划。",
    "本办法自2024年5月1日起施行。",
]


def version(bodies):
    return [Article(f"第{chinese_numeral(i)}条", "", body) for i, body in enumerate(bodies, start=1)]


def kinds(changes):
    return [c.kind for c in changes]


def test_identical_versions_are_all_unchanged():
    changes = diff_articles(version(BODIES), version(BODIES))
    assert kinds(changes) == [UNCHANGED] * 5
    assert not any(c.renumbered for c in changes)


def test_an_article_inserted_in_the_middle_is_one_addition_and_the_rest_are_renumbered():
    new_body = "户外广告设施设置人应当定期进行安全检查。"
    changes = diff_articles(version(BODIES), version([*BODIES[:2], new_body, *BODIES[2:]]))
    assert kinds(changes) == [UNCHANGED, UNCHANGED, ADDED, UNCHANGED, UNCHANGED, UNCHANGED]
    assert changes[2].new.text == new_body and changes[2].old is None
    assert [c.renumbered for c in changes] == [False, False, False, True, True, True]
    assert changes[3].label == "第四条（原第三条）"
    assert summary(changes) == {ADDED: 1, DELETED: 0, MODIFIED: 0, UNCHANGED: 5, "重新编号": 3}


def test_a_deleted_article_stays_in_its_old_place():
    changes = diff_articles(version(BODIES), version([*BODIES[:1], *BODIES[2:]]))
    assert kinds(changes) == [UNCHANGED, DELETED, UNCHANGED, UNCHANGED, UNCHANGED]
    assert changes[1].old.no == "第二条" and changes[1].new is None
    assert changes[1].label == "原第二条"


def test_a_modified_article_carries_character_segments():
    changed = [*BODIES]
    changed[3] = "设置户外广告设施应当符合县人民政府批准的城区户外广告设施设置规划。"
    changes = diff_articles(version(BODIES), version(changed))
    assert kinds(changes) == [UNCHANGED, UNCHANGED, UNCHANGED, MODIFIED, UNCHANGED]
    segments = changes[3].segments
    assert segments == (
        ("equal", "设置户外广告设施应当符合"),
        ("insert", "县人民政府批准的"),
        ("equal", "城区户外广告设施设置规划。"),
    )
    assert "".join(t for op, t in segments if op != "insert") == BODIES[3]
    assert "".join(t for op, t in segments if op != "delete") == changed[3]


def test_modification_deletion_and_insertion_together():
    new = [BODIES[0], "本办法适用于本县城区和各乡镇范围内户外广告设施的设置和管理。", BODIES[3], "全新的一条关于信用监管的规定。", BODIES[4]]
    changes = diff_articles(version(BODIES), version(new))
    assert [(c.kind, c.old and c.old.no, c.new and c.new.no) for c in changes] == [
        (UNCHANGED, "第一条", "第一条"),
        (MODIFIED, "第二条", "第二条"),
        (DELETED, "第三条", None),
        (UNCHANGED, "第四条", "第三条"),
        (ADDED, None, "第四条"),
        (UNCHANGED, "第五条", "第五条"),
    ]


def test_whitespace_only_differences_are_unchanged():
    spaced = [Article(a.no, a.chapter, a.text.replace("，", "， ")) for a in version(BODIES)]
    assert kinds(diff_articles(version(BODIES), spaced)) == [UNCHANGED] * 5


def test_inline_diff_folds_one_character_islands_into_the_edit():
    assert inline_diff("按月报送", "按季度报送") == (("equal", "按"), ("delete", "月"), ("insert", "季度"), ("equal", "报送"))
    assert inline_diff("甲乙丙", "丁乙戊") == (("delete", "甲乙丙"), ("insert", "丁乙戊"))
