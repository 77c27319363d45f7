"""The move of both modules' consultations into the shared tables carries
every row across (consultations/0002): fields, owners, ids (or their
mapping), comments with their answers, and the personal-data decisions."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fazhi.major_decisions.tests.factories import DecisionFactory
from fazhi.normative_docs.tests.factories import make_doc

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("consultations", "0001_initial"), ("normative_docs", "0101_discussion_chair_filing_returned_on"),
          ("major_decisions", "0003_expert_draws"), ("core", "0002_privacy_decision"),
          ("workdays", "0003_deadline_changes")]
AT = datetime(2026, 4, 20, 2, 0, tzinfo=UTC)


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


def _period(**kw):
    return dict(start_on=date(2026, 4, 1), end_on=date(2026, 5, 1), min_end_on=date(2026, 5, 1),
                min_rule="30个自然日", **kw)


def test_every_consultation_and_comment_arrives_and_the_old_ids_are_kept_or_mapped(django_user_model):
    # The owners' tables do not change: made with today's factories, before going back.
    doc = make_doc("drafting")
    decision = DecisionFactory(drafting=True)
    user = django_user_model.objects.create(username="answerer")
    try:
        old = _migrate(BEFORE)
        NdC, NdM = old.get_model("normative_docs", "Consultation"), old.get_model("normative_docs", "Comment")
        MdC, MdM = old.get_model("major_decisions", "Consultation"), old.get_model("major_decisions", "Comment")
        nd1 = NdC.objects.create(doc_id=doc.pk, version_id=doc.current_version_id, state="closed",
                                 closed_on=date(2026, 5, 2), summary="采纳1条", summary_published_on=date(2026, 5, 3),
                                 exception_reason="", **_period())
        nd2 = NdC.objects.create(doc_id=doc.pk, version_id=doc.current_version_id, **_period())
        NdM.objects.create(consultation=nd1, article_no="第三条", content="第三条太严", name="张三",
                           contact="13800000000", submitted_at=AT, adoption="adopted", reason="已改",
                           answered_by_id=user.pk, answered_by_name="李四", answered_at=AT)
        NdM.objects.create(consultation=nd2, content="总体赞成", submitted_at=AT)
        md_ids = [MdC.objects.create(decision_id=decision.pk, draft_text="草案", explanation="说明",
                                     how_to_comment="网上", state="closed", closed_on=date(2026, 5, 2),
                                     **_period()).pk for _ in range(3)]
        md_comment = MdM.objects.create(consultation_id=md_ids[2], content="建议增加电梯", name="王五",
                                        submitted_at=AT, adoption="partly", reason="部分采纳")
        PrivacyDecision = old.get_model("core", "PrivacyDecision")
        PrivacyDecision.objects.create(subject_type="normative_docs.consultation", subject_id=str(nd1.pk),
                                       kind="phone", key="k1", preview="138****", decision="mask", decided_at=AT)
        PrivacyDecision.objects.create(subject_type="major_decisions.consultation", subject_id=str(md_ids[2]),
                                       kind="phone", key="k2", preview="139****", decision="mask", decided_at=AT)
    finally:
        _migrate()

    from fazhi.consultations.models import Comment, Consultation
    from fazhi.core.models import PrivacyDecision as Decided

    assert Consultation.objects.count() == 5 and Comment.objects.count() == 3
    # Normative documents keep their ids (audit entries, deadline rows and portal addresses name them).
    c1 = Consultation.objects.get(pk=nd1.pk)
    assert (c1.doc_id, c1.decision_id, c1.version_id) == (doc.pk, None, doc.current_version_id)
    assert (c1.state, c1.closed_on, c1.summary, c1.summary_published_on) == (
        "closed", date(2026, 5, 2), "采纳1条", date(2026, 5, 3))
    assert c1.legacy_ref == f"normative_docs.consultation:{nd1.pk}"
    assert Consultation.objects.get(pk=nd2.pk).state == "open"
    m1 = c1.comments.get()
    assert (m1.article_no, m1.content, m1.name, m1.contact, m1.adoption, m1.reason, m1.answered_by_id,
            m1.answered_by_name, m1.answered_at) == (
        "第三条", "第三条太严", "张三", "13800000000", "adopted", "已改", user.pk, "李四", AT)
    # Major decisions' rows get new ids above every old one, found through legacy_ref.
    moved = {int(c.legacy_ref.partition(":")[2]): c for c in Consultation.objects.filter(decision=decision)}
    assert sorted(moved) == md_ids
    assert all(c.pk > max(md_ids + [nd2.pk]) for c in moved.values())
    c3 = moved[md_ids[2]]
    assert (c3.draft_text, c3.explanation, c3.how_to_comment, c3.doc_id) == ("草案", "说明", "网上", None)
    m3 = Comment.objects.get(legacy_ref=f"major_decisions.comment:{md_comment.pk}")
    assert (m3.consultation_id, m3.content, m3.adoption, m3.reason, m3.article_no) == (
        c3.pk, "建议增加电梯", "partly", "部分采纳", "")
    # The personal-data decisions follow their consultation.
    assert set(Decided.objects.values_list("subject_type", "subject_id")) == {
        ("consultations.consultation", str(c1.pk)), ("consultations.consultation", str(c3.pk))}
    # New rows take ids after the copied ones (PostgreSQL's sequence was moved on).
    fresh = Consultation.objects.create(decision=decision, **_period())
    assert fresh.pk > c3.pk
