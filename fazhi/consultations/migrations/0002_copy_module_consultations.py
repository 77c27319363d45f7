"""Copy every consultation and comment of normative documents and major
decisions into the shared tables; the modules' own tables are dropped by
their next migration (normative_docs 0102, major_decisions 0004).

Ids: normative documents' consultations and comments keep their ids, so the
audit entries, stored-deadline rows (``normative_docs.consultation``) and
portal addresses that name them still find them. Major decisions' rows get
new ids above every old id of either module, so an old address of a major
decision's consultation never shows another one. Every copied row keeps
"<app_label>.<model>:<old id>" in ``legacy_ref``: the audit entries written
before the move name the old record (``normative_docs.consultation``,
``major_decisions.comment`` …) and are found through it.
"""

from django.core.management.color import no_style
from django.db import migrations

CONSULTATION_FIELDS = ("start_on", "end_on", "min_end_on", "min_rule", "min_provisional", "exception_reason",
                       "state", "closed_on", "summary", "summary_published_on", "created_at", "updated_at")
COMMENT_FIELDS = ("content", "name", "contact", "submitted_at", "adoption", "reason", "answered_by_id",
                  "answered_by_name", "answered_at")


def _max_id(*models):
    return max((m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in models)


def copy(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    Comment = apps.get_model("consultations", "Comment")
    NdConsultation = apps.get_model("normative_docs", "Consultation")
    NdComment = apps.get_model("normative_docs", "Comment")
    MdConsultation = apps.get_model("major_decisions", "Consultation")
    MdComment = apps.get_model("major_decisions", "Comment")
    db = schema_editor.connection.alias
    c_offset = _max_id(NdConsultation, MdConsultation)
    m_offset = _max_id(NdComment, MdComment)

    Consultation.objects.using(db).bulk_create([
        Consultation(pk=old.pk, doc_id=old.doc_id, version_id=old.version_id,
                     legacy_ref=f"normative_docs.consultation:{old.pk}",
                     **{f: getattr(old, f) for f in CONSULTATION_FIELDS})
        for old in NdConsultation.objects.using(db).order_by("pk").iterator()], batch_size=500)
    Comment.objects.using(db).bulk_create([
        Comment(pk=old.pk, consultation_id=old.consultation_id, article_no=old.article_no,
                legacy_ref=f"normative_docs.comment:{old.pk}", **{f: getattr(old, f) for f in COMMENT_FIELDS})
        for old in NdComment.objects.using(db).order_by("pk").iterator()], batch_size=500)
    Consultation.objects.using(db).bulk_create([
        Consultation(pk=old.pk + c_offset, decision_id=old.decision_id, draft_text=old.draft_text,
                     explanation=old.explanation, how_to_comment=old.how_to_comment,
                     legacy_ref=f"major_decisions.consultation:{old.pk}",
                     **{f: getattr(old, f) for f in CONSULTATION_FIELDS})
        for old in MdConsultation.objects.using(db).order_by("pk").iterator()], batch_size=500)
    Comment.objects.using(db).bulk_create([
        Comment(pk=old.pk + m_offset, consultation_id=old.consultation_id + c_offset,
                legacy_ref=f"major_decisions.comment:{old.pk}", **{f: getattr(old, f) for f in COMMENT_FIELDS})
        for old in MdComment.objects.using(db).order_by("pk").iterator()], batch_size=500)

    # What names a consultation by type and id, and may still change, follows
    # it: the personal-data decisions taken on a summary (core.privacy) and the
    # stored-deadline rows of the working-day calendar (NDOC-04/05 minimum).
    PrivacyDecision = apps.get_model("core", "PrivacyDecision")
    PrivacyDecision.objects.using(db).filter(subject_type="normative_docs.consultation").update(
        subject_type="consultations.consultation")
    for row in PrivacyDecision.objects.using(db).filter(subject_type="major_decisions.consultation"):
        row.subject_type, row.subject_id = "consultations.consultation", str(int(row.subject_id) + c_offset)
        row.save(update_fields=["subject_type", "subject_id"])
    DeadlineChange = apps.get_model("workdays", "DeadlineChange")
    DeadlineChange.objects.using(db).filter(object_type="normative_docs.consultation").update(
        object_type="consultations.consultation")

    # Rows were inserted with explicit ids: move PostgreSQL's sequences past them.
    sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Consultation, Comment])
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def copy_back(apps, schema_editor):
    """Reverse: put the rows back where they came from (the modules' tables exist again)."""
    Consultation = apps.get_model("consultations", "Consultation")
    Comment = apps.get_model("consultations", "Comment")
    targets = {
        "normative_docs": (apps.get_model("normative_docs", "Consultation"), apps.get_model("normative_docs", "Comment")),
        "major_decisions": (apps.get_model("major_decisions", "Consultation"),
                            apps.get_model("major_decisions", "Comment")),
    }
    db = schema_editor.connection.alias
    apps.get_model("workdays", "DeadlineChange").objects.using(db).filter(
        object_type="consultations.consultation").update(object_type="normative_docs.consultation")
    PrivacyDecision = apps.get_model("core", "PrivacyDecision")
    old_ids = {}
    for c in Consultation.objects.using(db).order_by("pk"):
        app = "normative_docs" if c.doc_id else "major_decisions"
        OldC = targets[app][0]
        kw = {f: getattr(c, f) for f in CONSULTATION_FIELDS}
        if app == "normative_docs":
            kw.update(doc_id=c.doc_id, version_id=c.version_id)
        else:
            kw.update(decision_id=c.decision_id, draft_text=c.draft_text, explanation=c.explanation,
                      how_to_comment=c.how_to_comment)
        ref = c.legacy_ref.partition(":")[2]
        old = OldC.objects.using(db).create(**({"pk": int(ref)} if ref else {}), **kw)
        old_ids[c.pk] = (app, old.pk)
        PrivacyDecision.objects.using(db).filter(subject_type="consultations.consultation", subject_id=str(c.pk)).update(
            subject_type=f"{app}.consultation", subject_id=str(old.pk))
    for m in Comment.objects.using(db).order_by("pk"):
        app, cid = old_ids[m.consultation_id]
        kw = {f: getattr(m, f) for f in COMMENT_FIELDS}
        if app == "normative_docs":
            kw["article_no"] = m.article_no
        ref = m.legacy_ref.partition(":")[2]
        targets[app][1].objects.using(db).create(**({"pk": int(ref)} if ref else {}), consultation_id=cid, **kw)
    models = [m for pair in targets.values() for m in pair]
    with schema_editor.connection.cursor() as cursor:
        for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("normative_docs", "0101_discussion_chair_filing_returned_on"),
        ("major_decisions", "0003_expert_draws"),
        ("core", "0002_privacy_decision"),
        ("workdays", "0003_deadline_changes"),
    ]

    operations = [migrations.RunPython(copy, copy_back)]
