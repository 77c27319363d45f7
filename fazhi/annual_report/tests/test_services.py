"""Drafting and the workflow services: structure, hand-counted figures and
their sources, refusals with nothing saved, staff edits across regeneration,
transitions with their audit entries."""

from datetime import date

import pytest

from fazhi.annual_report import facts, services
from fazhi.annual_report.models import Figure, Report, Section, Status
from fazhi.annual_report.rendering import blocks
from fazhi.annual_report.tests.conftest import TODAY, YEAR, fill
from fazhi.audit.models import AuditEntry
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError

AREAS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进行政决策科学化、民主化、法治化", "健全行政执法体制机制",
         "强化对行政权力的制约和监督", "健全矛盾纠纷多元化解机制", "全面提高政府工作人员法治思维和依法行政能力",
         "组织保障和落实机制"]


def figures(report) -> dict:
    return {f.key: f for f in report.figures.all()}


# ---------------------------------------------------------------- structure

def test_the_draft_has_the_eight_areas_in_order_then_parts_two_to_five(report):
    headings = [s.heading for s in report.sections.order_by("seq")]
    assert headings[0] == ""  # 导语
    assert headings[1] == "一、2025年度推进法治政府建设的主要举措和成效"
    numerals = "一二三四五六七八"
    assert headings[2:10] == [f"（{numerals[i]}）{a}" for i, a in enumerate(AREAS)]
    assert headings[10:] == ["二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                             "四、2026年度推进法治政府建设的主要安排", "五、其他需要报告的事项"]
    assert report.title == "示范区农业农村局2025年度法治政府建设情况报告"


def test_deadlines_are_stored_with_the_report(report):
    assert report.submit_due == date(2026, 3, 31)
    assert report.publish_due == date(2026, 4, 1)


# ------------------------------------------------------------------ figures

def test_figures_equal_the_hand_counted_records(report):
    f = figures(report)
    assert f["nd_published"].value == "2"  # b's document is not a's
    assert f["nd_reviewed"].value == "2"
    assert f["md_decided"].value == "1"
    assert f["md_legal"].value == "1"
    assert f["md_complete"].value == "1"
    assert f["enf_filed"].value == "2"  # the internal 执法大队 counts for its department
    assert f["enf_decided"].value == "1"
    assert f["enf_officers"].value == "2" and f["enf_certified"].value == "2"
    assert f["tr_sessions"].value == "2"
    assert f["tr_hours"].value == "12"
    assert f["tr_attendances"].value == "2"


def test_the_government_report_covers_the_whole_district(records, tree):
    report = services.generate_report(tree.gov, YEAR, by=None, today=TODAY)
    assert figures(report)["nd_published"].value == "3"
    assert "全年全区制定并公布行政规范性文件" in Section.objects.get(report=report, key="p1_2").text


def test_named_documents_are_listed_and_each_links_to_its_record(report, records):
    titles = figures(report)["nd_titles"]
    assert "《农业补贴管理办法" in titles.value and "《农机购置补贴实施细则》" in titles.value
    urls = {i["url"] for i in titles.items}
    assert urls == {f"/normdocs/{d.pk}/" for d in records.docs}
    decided = figures(report)["md_titles"]
    assert decided.items == [{"title": "高标准农田建设规划", "url": f"/decisions/{records.decision.pk}/"}]


def test_every_figure_has_a_source_and_a_link(report):
    for fig in report.figures.all():
        assert fig.source, fig.key
        assert fig.source_url.startswith("/"), fig.key


def test_indicator_figures_keep_their_code_and_drill_down(report):
    inds = [f for f in report.figures.all() if f.indicator_code]
    if not inds:
        pytest.skip("考核评价模块未提供指标")
    for fig in inds:
        assert fig.key == f"ind_{fig.indicator_code}"
        assert fig.source == "考核评价"


def test_the_text_refers_to_figures_and_shows_their_values(report):
    p12 = Section.objects.get(report=report, key="p1_2")
    assert "{{nd_published}}" in p12.generated_text
    text = next(b["text"] for b in blocks(report) if b["heading"].endswith("完善依法行政制度体系"))
    assert "制定并公布行政规范性文件2件" in text
    assert "{{" not in text


def test_a_module_that_is_absent_gives_no_figure_but_says_so(records, tree, monkeypatch):
    real = facts.providers
    monkeypatch.setattr(facts, "providers", lambda: {k: v for k, v in real().items() if k != "normative_docs"})
    report = services.generate_report(tree.a, YEAR, by=None, today=TODAY)
    assert not report.figures.filter(key__startswith="nd_").exists()
    text = Section.objects.get(report=report, key="p1_2").text
    assert "平台尚未启用行政规范性文件模块" in text and "【待补充" in text


def test_without_assessment_the_rates_come_from_the_records(records, tree, monkeypatch):
    real = facts.providers
    monkeypatch.setattr(facts, "providers", lambda: {k: v for k, v in real().items() if k != "indicators"})
    report = services.generate_report(tree.a, YEAR, by=None, today=TODAY)
    f = figures(report)
    assert f["nd_filing_rate"].value == "100%"
    assert f["enf_cert_rate"].value == "100%"
    assert not report.figures.exclude(indicator_code="").exists()


def test_parts_the_records_cannot_write_are_left_for_staff(report):
    for key in ("p1_1", "p1_6", "p2", "p3", "p4", "p5"):
        s = Section.objects.get(report=report, key=key)
        assert "【待补充" in s.text and s.needs_staff, key


# ----------------------------------------------------------------- refusals

def test_a_year_with_no_data_is_refused_and_nothing_is_saved(tree, actions):
    with pytest.raises(ValidationError) as e:
        services.generate_report(tree.a, 2012, by=tree.clerk_a, today=TODAY)
    assert "2012年度在平台上没有任何业务记录" in e.value.message
    assert not Report.objects.exists() and not Section.objects.exists() and not Figure.objects.exists()
    assert actions() == []


@pytest.mark.parametrize("year", [1999, 2027, "二〇二五"])
def test_a_bad_year_is_refused(tree, year):
    with pytest.raises(ValidationError, match="年度"):
        services.generate_report(tree.a, year, by=tree.clerk_a, today=TODAY)


def test_another_units_clerk_may_not_generate(records, tree):
    with pytest.raises(PermissionDenied):
        services.generate_report(tree.a, YEAR, by=tree.clerk_b, today=TODAY)
    assert not Report.objects.exists()


def test_an_internal_unit_does_not_report_on_its_own(records, tree):
    with pytest.raises(ValidationError, match="不单独报告"):
        services.generate_report(tree.a1, YEAR, by=tree.clerk_a, today=TODAY)


def test_generation_runs_a_bounded_number_of_queries(records, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(80):
        services.generate_report(tree.gov, YEAR, by=None, today=TODAY)


# ------------------------------------------------------ edits and regeneration

def test_staff_edits_survive_regeneration_and_figures_refresh(report, tree, records, actions):
    from fazhi.normative_docs.tests.factories import make_doc

    s = Section.objects.get(report=report, key="p1_2")
    services.edit_section(s, by=tree.clerk_a, text="我局制定规范性文件{{nd_published}}件，全部经过审核。")
    make_doc("repealed", unit=tree.a, title="第三个办法", today=date(2025, 3, 3))  # published, then repealed
    again = services.generate_report(tree.a, YEAR, by=tree.clerk_a, today=TODAY)
    assert again.pk == report.pk and again.generation_count == 2
    s.refresh_from_db()
    assert s.edited_text == "我局制定规范性文件{{nd_published}}件，全部经过审核。"
    assert s.generated_changed  # the clean-up sentence is new: the editor asks staff to compare
    text = next(b["text"] for b in blocks(again) if b["heading"].endswith("完善依法行政制度体系"))
    assert text == "我局制定规范性文件3件，全部经过审核。"
    entry = AuditEntry.objects.filter(action="annual_report.report.regenerated").get()
    assert entry.data["figures_changed"]["nd_published"] == ["2", "3"]
    assert "p1_2" in entry.data["sections_kept_edits"]
    assert actions() == ["annual_report.report.generated", "annual_report.section.edited",
                         "annual_report.report.regenerated"]


def test_an_edit_is_audited_with_old_and_new_text(report, tree):
    s = Section.objects.get(report=report, key="p5")
    services.edit_section(s, by=tree.clerk_a, text="无。")
    entry = AuditEntry.objects.filter(action="annual_report.section.edited").get()
    assert entry.data["new"] == "无。" and entry.data["section"] == "p5" and entry.actor_name == "经办人甲"


def test_an_edit_referring_to_an_unknown_figure_is_refused(report, tree):
    s = Section.objects.get(report=report, key="p5")
    with pytest.raises(ValidationError, match="引用的数据项不存在"):
        services.edit_section(s, by=tree.clerk_a, text="共{{no_such}}件")
    s.refresh_from_db()
    assert s.edited_text == ""


def test_saving_the_generated_text_unchanged_keeps_it_generated(report, tree):
    s = Section.objects.get(report=report, key="p1_2")
    services.edit_section(s, by=tree.clerk_a, text=s.generated_text)
    s.refresh_from_db()
    assert not s.is_edited


def test_another_units_clerk_may_not_edit(report, tree):
    s = Section.objects.get(report=report, key="p5")
    with pytest.raises(PermissionDenied):
        services.edit_section(s, by=tree.clerk_b, text="无。")


# ------------------------------------------------------------------ workflow

def test_review_is_refused_while_placeholders_remain_and_names_the_rule(report, tree):
    with pytest.raises(TransitionRefused) as e:
        services.review(report, by=tree.head_a, today=TODAY)
    assert e.value.rule == "RPT-02"
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_only_the_head_reviews(report, tree):
    fill(report, tree.clerk_a)
    with pytest.raises(PermissionDenied):
        services.review(report, by=tree.clerk_a, today=TODAY)


def _recipients(unit):
    from fazhi.annual_report import rules

    return [{"kind": k, "name": default} for k, _, default in rules.required_recipients(unit)]


def test_the_whole_workflow_is_audited(report, tree, actions):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY, note="同意")
    services.submit(report, by=tree.clerk_a, submitted_on=date(2026, 3, 20), today=date(2026, 3, 20),
                    recipients=_recipients(tree.a))
    report = services.publish(report, by=tree.head_a, published_on=date(2026, 3, 25), today=date(2026, 3, 25))
    assert report.status == Status.PUBLISHED
    assert [r.kind for r in report.recipients.all()] == ["government", "higher_dept"]
    assert actions()[-3:] == ["annual_report.report.reviewed", "annual_report.report.submitted",
                              "annual_report.report.published"]
    sent = AuditEntry.objects.get(action="annual_report.report.submitted")
    assert sent.data["late"] is False
    # the public copy is fixed, figures filled in
    assert any("制定并公布行政规范性文件2件" in b["text"] for b in report.public_sections)


def test_a_department_must_name_the_government_and_the_higher_department(report, tree):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    with pytest.raises(TransitionRefused) as e:
        services.submit(report, by=tree.clerk_a, submitted_on=TODAY, today=TODAY,
                        recipients=[{"kind": "government", "name": "示范区人民政府"}])
    assert e.value.rule == "RPT-03"
    report.refresh_from_db()
    assert report.status == Status.REVIEWED and not report.recipients.exists()


def test_a_government_reports_to_party_committee_congress_and_higher_government(records, tree):
    from fazhi.annual_report import rules

    kinds = [k for k, _, _ in rules.required_recipients(tree.gov)]
    assert kinds == ["party", "congress", "higher_gov"]


def test_late_submission_is_recorded_as_late(report, tree):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    services.submit(report, by=tree.clerk_a, submitted_on=date(2026, 4, 10), today=date(2026, 4, 10),
                    recipients=_recipients(tree.a))
    assert AuditEntry.objects.get(action="annual_report.report.submitted").data["late"] is True


def test_the_report_year_must_be_over_before_it_is_sent(records, tree):
    r = services.generate_report(tree.a, YEAR, by=None, today=date(2025, 12, 1))
    fill(r)
    services.review(r, by=None, today=date(2025, 12, 2))
    with pytest.raises(ValidationError, match="尚未结束"):
        services.submit(r, by=None, submitted_on=date(2025, 12, 3), today=date(2025, 12, 3),
                        recipients=_recipients(tree.a))


def test_publish_before_submission_is_refused(report, tree):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    with pytest.raises(TransitionRefused) as e:
        services.publish(report, by=tree.head_a, published_on=TODAY, today=TODAY)
    assert "报送" in e.value.message


def test_a_reviewed_report_is_not_regenerated_or_edited_until_returned(report, tree, actions):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    with pytest.raises(Conflict):
        services.generate_report(tree.a, YEAR, by=tree.clerk_a, today=TODAY)
    with pytest.raises(Conflict):
        services.edit_section(report.sections.get(key="p5"), by=tree.clerk_a, text="其他")
    services.return_for_changes(report, by=tree.head_a, reason="补充数据", today=TODAY)
    assert actions()[-1] == "annual_report.report.returned"
    services.edit_section(report.sections.get(key="p5"), by=tree.clerk_a, text="其他")


def test_return_needs_a_reason(report, tree):
    fill(report, tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    with pytest.raises(ValidationError, match="理由"):
        services.return_for_changes(report, by=tree.head_a, reason=" ", today=TODAY)
