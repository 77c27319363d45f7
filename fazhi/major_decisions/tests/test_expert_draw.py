"""The expert draw is the verifiable draw (issue 11 §3; MDEC-06): nobody types
the seed, the candidates are committed before the reveal, the export verifies
with draw_verify, redraws carry a reason and are counted, and no draw is
possible once the review is complete."""

import json
import os
from io import StringIO

import pytest
from django.core.management import call_command

from fazhi.audit.models import AuditEntry
from fazhi.core import draw as algo
from fazhi.core import draw_seed
from fazhi.core.errors import Conflict, ValidationError
from fazhi.major_decisions import expert_draw, selectors, services
from fazhi.major_decisions.models import ExpertDraw, ExpertDrawStatus, Status
from fazhi.major_decisions.tests.conftest import D, drive


def at_expert_review(md):
    return drive(md, Status.EXPERT_REVIEW)


def commit(md, d, count=3):
    return services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=count,
                                   selected_on=D(2026, 5, 20))


def actions():
    return list(AuditEntry.objects.filter(action__startswith="major_decisions.expert").order_by("seq")
                .values_list("action", flat=True))


def test_the_clerk_cannot_choose_the_seed(md):
    d = at_expert_review(md)
    with pytest.raises(TypeError):
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=3,
                                selected_on=D(2026, 5, 20), seed="a seed tried 85 times")
    assert not d.expert_reviews.exists()


def test_select_commits_before_anything_is_drawn(md):
    d = at_expert_review(md)
    r = commit(md, d)
    draw = r.draws.get()
    assert draw.status == ExpertDrawStatus.COMMITTED and not r.opinions.exists() and draw.seed == ""
    seed = draw_seed.server_seed(expert_draw.PURPOSE, draw.pk, draw.seed_salt)
    assert draw.server_commitment == algo.commitment(seed)
    assert draw.commitment == algo.freeze_commitment(draw.server_commitment, expert_draw.hashes(draw))
    assert seed not in json.dumps(list(ExpertDraw.objects.values()), default=str)
    assert seed not in json.dumps(list(AuditEntry.objects.values_list("data", flat=True)))
    assert actions()[-2:] == ["major_decisions.expert_review.selected", "major_decisions.expert_draw.committed"]
    with pytest.raises(ValidationError):
        services.complete_expert_review(r, by=md.u.clerk_a, summary="x", held_on=D(2026, 5, 25), today=D(2026, 5, 25))


def test_the_reveal_draws_and_the_export_verifies_with_draw_verify(md, tmp_path):
    d = at_expert_review(md)
    r = services.reveal_expert_draw(commit(md, d), by=md.u.clerk_a)
    draw = r.draws.get()
    assert draw.status == ExpertDrawStatus.DRAWN and draw.seed
    assert list(r.opinions.order_by("pk").values_list("expert_id", flat=True)) == draw.selected
    assert actions()[-1] == "major_decisions.expert_draw.revealed"
    folder = expert_draw.write_folder(draw, str(tmp_path / "x"))
    out = StringIO()
    call_command("draw_verify", folder, "--commitment", draw.commitment, stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "OK"
    # a panel swapped in the receipt does not verify
    receipt = json.loads((tmp_path / "x" / algo.RECEIPT_FILE).read_text(encoding="utf-8"))
    receipt["selection"][0]["credit_code"] = str(md.conflicted.pk)
    (tmp_path / "x" / algo.RECEIPT_FILE).write_text(algo.canonical_json(receipt), encoding="utf-8")
    assert algo.verify_folder(folder) is not None
    with pytest.raises(Conflict):
        services.reveal_expert_draw(r, by=md.u.clerk_a)


def test_the_export_command_writes_every_revealed_draw(md, tmp_path):
    d = at_expert_review(md)
    draw = services.reveal_expert_draw(commit(md, d), by=md.u.clerk_a).draws.get()
    out = StringIO()
    call_command("expert_draw_export", "--all", str(tmp_path), stdout=out)
    folder = tmp_path / f"expert-draw-{draw.pk}"
    assert sorted(os.listdir(folder)) == sorted([algo.RECEIPT_FILE, algo.PARAMS_FILE, *algo.POOL_FILES])
    assert algo.verify_folder(folder, draw.commitment) is None


def test_candidates_changed_in_the_database_refuse_the_reveal(md):
    d = at_expert_review(md)
    r = commit(md, d)
    draw = r.draws.get()
    ExpertDraw.objects.filter(pk=draw.pk).update(candidates=draw.candidates[:3])
    with pytest.raises(Conflict) as exc:
        services.reveal_expert_draw(r, by=md.u.clerk_a)
    assert exc.value.rule == "MDEC-06" and not r.opinions.exists()


def test_a_redraw_needs_a_reason_and_is_recorded_and_counted(md):
    d = at_expert_review(md)
    r = services.reveal_expert_draw(commit(md, d), by=md.u.clerk_a)
    first = list(r.opinions.values_list("expert_id", flat=True))
    with pytest.raises(ValidationError):
        services.redraw_experts(r, by=md.u.clerk_a, reason="  ")
    r = services.redraw_experts(r, by=md.u.clerk_a, reason="专家一因病不能到会")
    old, new = r.draws.order_by("number")
    assert old.status == ExpertDrawStatus.SUPERSEDED and old.selected == first and old.receipt
    assert new.number == 2 and new.reason == "专家一因病不能到会" and new.status == ExpertDrawStatus.COMMITTED
    assert not r.opinions.exists()
    entry = AuditEntry.objects.filter(action="major_decisions.expert_review.redrawn").get()
    assert entry.data["reason"] == "专家一因病不能到会" and entry.data["redraws"] == 1
    with pytest.raises(Conflict):  # reveal the pending draw first
        services.redraw_experts(r, by=md.u.clerk_a, reason="再来")
    r = services.reveal_expert_draw(r, by=md.u.clerk_a)
    assert selectors.verify_draw(r) and r.draws.count() == 2


def test_no_redraw_once_an_expert_has_signed(md):
    d = at_expert_review(md)
    r = services.reveal_expert_draw(commit(md, d), by=md.u.clerk_a)
    services.record_expert_opinion(r.opinions.first(), by=md.u.clerk_a, stance="agree", text="同意",
                                   signed_on=D(2026, 5, 22), today=D(2026, 5, 22))
    with pytest.raises(Conflict):
        services.redraw_experts(r, by=md.u.clerk_a, reason="不喜欢这个结论")
    assert r.draws.count() == 1


def test_a_second_draw_after_the_review_is_complete_is_refused(md):
    """Today's bug: after completion a new review (and a new panel) could be drawn."""
    d = drive(md, Status.EXPERT_REVIEW)
    review = services.reveal_expert_draw(commit(md, d), by=md.u.clerk_a)
    for op in review.opinions.all():
        services.record_expert_opinion(op, by=md.u.clerk_a, stance="agree", text="同意。", signed_on=D(2026, 5, 25), today=D(2026, 5, 25))
    services.complete_expert_review(review, by=md.u.clerk_a, summary="同意。", held_on=D(2026, 5, 25), today=D(2026, 5, 25))
    d.refresh_from_db()
    assert d.status == Status.EXPERT_REVIEW  # the page hides the step; the service must refuse it too
    with pytest.raises(Conflict) as exc:
        commit(md, d)
    assert exc.value.rule == "MDEC-06" and "已完成" in exc.value.message
    with pytest.raises(Conflict):
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice", experts=md.experts[:3],
                                choice_reason="x", selected_on=D(2026, 5, 26))
    with pytest.raises(Conflict) as exc:
        services.redraw_experts(review, by=md.u.clerk_a, reason="想换人")
    assert exc.value.rule == "MDEC-06"
    assert d.expert_reviews.count() == 1 and ExpertDraw.objects.count() == 1
