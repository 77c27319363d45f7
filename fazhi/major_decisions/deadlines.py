"""The stored deadlines of 重大行政决策 that follow the working-day calendar,
registered with ``fazhi.workdays.deadlines`` (listed in ``fazhi/modules.py``).

The consultation minimum (MDEC-04, 30 calendar days) and the post-evaluation
period (MDEC-15) do not depend on the holiday table and are not listed.
"""

from django.urls import reverse

from fazhi.workdays.deadlines import DeadlineKind

KINDS = (
    DeadlineKind(
        # The sponsor waits for the review; the legal-affairs office (over the
        # government and its units) does it: both see the sponsor unit's records.
        key="major_decisions.legal_review", label="重大行政决策合法性审查期限（MDEC-09）",
        model="major_decisions.LegalReview", start="submitted_on", due="due",
        provisional="due_provisional", rule="due_rule",
        permission="major_decisions.view", decide_permission="major_decisions.legal_review",
        unit=lambda r: r.decision.sponsor_unit, title=lambda r: r.decision.title,
        url=lambda r: reverse("major_decisions:decision_detail", args=[r.decision_id]),
        select_related=("decision__sponsor_unit",),
    ),
)
