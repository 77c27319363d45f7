"""The stored deadlines of 行政规范性文件 that follow the working-day
calendar, registered with ``fazhi.workdays.deadlines`` (listed in
``fazhi/modules.py``). Each is recomputed from its stored start and rule
text when the calendar changes.

Calendar-day periods without roll-over (filing NDOC-12, filing review
NDOC-15, correction NDOC-19, proposal reply) do not depend on the holiday
table and are not listed.
"""

from django.urls import reverse

from fazhi.workdays.deadlines import DeadlineKind


def _doc_url(obj):
    return reverse("normative_docs:detail", args=[getattr(obj, "doc_id", None) or obj.pk])


KINDS = (
    DeadlineKind(
        key="normative_docs.publication", label="规范性文件公布期限（NDOC-20）",
        model="normative_docs.NormDoc", start="adopted_on", due="publication_due",
        provisional="publication_provisional", rule="publication_rule",
        permission="normative_docs.view", decide_permission="normative_docs.register",
        title=lambda doc: doc.title, url=_doc_url, select_related=("unit",),
    ),
    DeadlineKind(
        key="normative_docs.legal_review", label="规范性文件合法性审核期限（NDOC-08）",
        model="normative_docs.LegalReview", start="accepted_on", due="due",
        provisional="due_provisional", rule="due_rule",
        permission="normative_docs.view", decide_permission="normative_docs.legal_review",
        unit=lambda r: r.doc.unit, title=lambda r: r.doc.title, url=_doc_url, select_related=("doc__unit",),
    ),
    DeadlineKind(
        # NDOC-05 counts working days; NDOC-04 (market entities) calendar days — the rule text says which.
        key="normative_docs.consultation", label="规范性文件征求意见最短期限（NDOC-04/05）",
        model="consultations.Consultation", where=(("doc__isnull", False),), start="start_on", due="min_end_on",
        provisional="min_provisional", rule="min_rule",
        permission="normative_docs.view", decide_permission="normative_docs.draft",
        unit=lambda c: c.doc.unit, title=lambda c: c.doc.title, url=_doc_url, select_related=("doc__unit",),
    ),
)
