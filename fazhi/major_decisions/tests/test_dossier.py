"""全过程归档 (MDEC-14): the .docx holds every step in the legal order, the
zip carries the .docx, the audit trail and a manifest whose hashes match."""

import hashlib
import io
import json
import zipfile
from datetime import date

import docx
import pytest

from fazhi.major_decisions import dossier, services
from fazhi.major_decisions.models import Status
from fazhi.major_decisions.tests.conftest import drive


def _doc(data: bytes):
    return docx.Document(io.BytesIO(data))


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def evaluated(md):
    """A decision through every step up to post-evaluation, with a comment."""
    return drive(md, Status.EVALUATING)


def test_the_dossier_has_every_step_heading_in_legal_order(evaluated):
    document = _doc(dossier.build_dossier_docx(evaluated))
    assert _headings(document) == dossier.HEADINGS
    assert dossier.HEADINGS[0].endswith("决策事项目录") and dossier.HEADINGS[-1].endswith("决策责任人名单")


def test_the_legal_order_puts_legality_review_before_discussion(evaluated):
    heads = _headings(_doc(dossier.build_dossier_docx(evaluated)))
    order = [next(i for i, h in enumerate(heads) if key in h) for key in
             ("目录", "启动", "草案", "公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论", "决定",
              "公布", "执行", "后评估", "责任人")]
    assert order == sorted(order)


def test_the_dossier_carries_the_records_of_each_step(md, evaluated):
    text = _text(_doc(dossier.build_dossier_docx(evaluated)))
    for expected in ("老旧小区改造三年行动计划", "《城市更新条例》", "第一条 为推进老旧小区改造", "共收到0条意见。",
                     evaluated.expert_reviews.get().draws.get().commitment, "专家一致同意。", "群众意见分歧", "合法。", "区政府第12次常务会议", "副区长一",
                     "采纳情况说明", "某大学公共管理学院", "群众反映较多"):
        assert expected in text, expected
    # Every expert's signed opinion and every responsible person as recorded then.
    for op in evaluated.expert_reviews.get().opinions.all():
        assert f"{op.expert_name}书面论证意见" in text
    assert "审核员" in text and "法制审核员" in text and "承办人甲" in text


def test_a_step_not_required_says_so_and_one_not_reached_says_not_yet(md):
    entry = services.adjust_catalogue(
        md.cat, by=None, kind="add", reason="新增", adjusted_on=date(2026, 4, 1), fields=dict(
            title="简易事项", category="other", sponsor_unit=md.a, needs_participation=False,
            no_participation_reason="依法不予公开")).entry
    d = drive(md, Status.DRAFTING, entry=entry)
    text = _text(_doc(dossier.build_dossier_docx(d)))
    assert "本事项列入目录时确定不需公众参与（MDEC-04）" in text
    assert "依法不予公开" in text
    assert dossier.NOT_YET in text


def test_the_zip_manifest_hashes_match_its_files(evaluated):
    data = dossier.build_dossier_zip(evaluated)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        listed = {f["name"] for f in manifest["files"]}
        assert listed | {"manifest.json"} == names
        for item in manifest["files"]:
            content = zf.read(item["name"])
            assert hashlib.sha256(content).hexdigest() == item["sha256"]
            assert len(content) == item["size"]
    assert manifest["decision"]["id"] == evaluated.pk and manifest["rule"] == "MDEC-14"
    assert any(n.endswith(".docx") for n in listed)


def test_the_zip_holds_the_audit_trail_of_the_decision(evaluated):
    with zipfile.ZipFile(io.BytesIO(dossier.build_dossier_zip(evaluated))) as zf:
        trail = zf.read("留痕记录.csv").decode("utf-8-sig")
    assert "major_decisions.decision.launched" in trail and "major_decisions.decision.published" in trail
    assert "启动决策程序（major_decisions.decision.launched）" in trail  # the label, code beside it


def test_user_text_goes_into_the_docx_as_text(md):
    d = drive(md, Status.LAUNCHED)
    services.start_drafting(d, by=md.u.clerk_a, today=date(2026, 4, 2))
    services.save_draft(d, by=md.u.clerk_a, draft_text="<script>alert(1)</script>\n第二行", today=date(2026, 4, 3))
    text = _text(_doc(dossier.build_dossier_docx(d)))
    assert "<script>alert(1)</script>" in text and "第二行" in text


def test_the_catalogue_chapter_lists_the_adjustments_of_the_matter(md):
    services.adjust_catalogue(md.cat, by=None, kind="change", reason="工作量增加", adjusted_on=date(2026, 6, 1),
                              entry=md.entry, fields={"planned_completion": date(2026, 12, 20)})
    d = drive(md, Status.DRAFTING)
    text = _text(_doc(dossier.build_dossier_docx(d)))
    assert "计划完成时间：2026-11-30→2026-12-20" in text and "工作量增加" in text


def test_the_decision_chapter_records_each_view_and_the_heads_reasons_against_the_majority(md):
    from fazhi.major_decisions.tests.conftest import votes

    d = drive(md, Status.DISCUSSION)
    services.record_discussion(d, by=md.u.head_gov, meeting_type="standing", meeting_name="第13次常务会议",
                               held_on=date(2026, 6, 20), host=md.head_gov, head=md.head_gov,
                               votes=votes(md, "disagree"), head_decision="adopt", head_reasons="事关民生须尽快实施", today=date(2026, 6, 20))
    text = _text(_doc(dossier.build_dossier_docx(d)))
    assert "行政首长决定与多数意见不一致的理由" in text and "事关民生须尽快实施" in text
    assert text.count("不同意") >= 3 and "第13次常务会议（常务会议）" in text


def test_a_stored_control_character_does_not_break_the_dossier(evaluated):
    """Defence in depth (issue 11): text stored before the input check existed."""
    type(evaluated).objects.filter(pk=evaluated.pk).update(title="关于\x01示范区\x0b规划的决策")
    evaluated.refresh_from_db()
    assert "关于示范区规划的决策" in _text(_doc(dossier.build_dossier_docx(evaluated)))
