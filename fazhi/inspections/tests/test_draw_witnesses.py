"""Witnesses (监督人) and the server's seed of a draw: nobody alone chooses the
outcome and nobody reads the server's seed before the reveal (issue 11 §3; RAND-05)."""

import json
import os

import pytest
from django.db import IntegrityError, transaction

from fazhi.audit.models import AuditEntry
from fazhi.core import draw as algo
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.inspections import services
from fazhi.inspections.models import Draw, DrawSelection, DrawStatus, DrawWitness, TaskStatus
from fazhi.inspections.tests.factories import (
    NOW,
    WITNESS_SECRET,
    EntityFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
    reveal,
    reveal_witnesses,
    server_seed,
)


@pytest.fixture
def task(ins):
    for _ in range(12):
        EntityFactory()
    return TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=4, witnesses=False)


def _audit_text() -> str:
    return json.dumps(list(AuditEntry.objects.values_list("data", flat=True)), ensure_ascii=False)


# ------------------------------------------------------------- before the freeze


def test_a_draw_needs_a_witness(ins, task):
    with pytest.raises(ValidationError) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert exc.value.rule == "RAND-05" and "监督人" in exc.value.message
    assert not Draw.objects.exists()


def test_a_secret_witness_must_commit_before_the_freeze(ins, task):
    services.add_witness(task, by=ins.clerk_a, name="纪检员", capacity="派驻纪检组", kind="secret")
    with pytest.raises(ValidationError) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert "纪检员尚未提交承诺值" in exc.value.message and not Draw.objects.exists()


def test_a_commitment_keeps_the_hash_not_the_secret(ins, task, actions):
    w = services.add_witness(task, by=ins.clerk_a, name="纪检员", capacity="派驻纪检组", kind="secret")
    services.commit_witness(w, by=ins.clerk_a, secret="我的秘密 7-7-3-1", now=NOW)
    w.refresh_from_db()
    assert w.commitment == algo.commitment("我的秘密 7-7-3-1") and w.value == ""
    assert actions()[-2:] == ["inspections.witness.added", "inspections.witness.committed"]
    assert "我的秘密" not in _audit_text()


def test_a_commitment_may_be_given_as_its_hash(ins, task):
    w = services.add_witness(task, by=ins.clerk_a, name="代表", capacity="公众代表", kind="secret")
    services.commit_witness(w, by=ins.clerk_a, commitment=algo.commitment("x" * 10).upper())
    assert DrawWitness.objects.get(pk=w.pk).commitment == algo.commitment("x" * 10)
    for bad in ({"commitment": "abc"}, {}, {"secret": "s", "commitment": algo.commitment("s")}):
        with pytest.raises(ValidationError):
            services.commit_witness(w, by=ins.clerk_a, **bad)


@pytest.mark.parametrize("fields, field", [
    ({"name": "", "capacity": "x", "kind": "secret"}, "name"),
    ({"name": "a", "capacity": "", "kind": "secret"}, "capacity"),
    ({"name": "a", "capacity": "x", "kind": "chosen"}, "kind"),
    ({"name": "a", "capacity": "x", "kind": "public"}, "source"),
])
def test_bad_witness_input_is_refused_in_chinese_and_nothing_changes(ins, task, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.add_witness(task, by=ins.clerk_a, **fields)
    assert field in exc.value.fields and not DrawWitness.objects.exists()


def test_witnesses_need_the_draw_permission_of_the_unit(ins, task):
    for user in (ins.officer_a, ins.clerk_b):
        with pytest.raises(PermissionDenied):
            services.add_witness(task, by=user, name="a", capacity="b", kind="secret")
    assert not DrawWitness.objects.exists()


def test_removing_a_witness_renumbers_the_rest(ins, task):
    a = services.add_witness(task, by=ins.clerk_a, name="甲", capacity="x", kind="secret")
    services.add_witness(task, by=ins.clerk_a, name="乙", capacity="x", kind="public", source="彩票")
    services.remove_witness(a, by=ins.clerk_a)
    assert list(task.witnesses.values_list("position", "name")) == [(1, "乙")]


def test_the_witness_list_is_fixed_at_the_freeze(ins):
    draw = make_draw("committed", unit=ins.a)
    task, w = draw.task, draw.task.witnesses.get(kind="secret")
    with pytest.raises(Conflict):
        services.add_witness(task, by=None, name="后来者", capacity="x", kind="secret")
    with pytest.raises(Conflict):
        services.commit_witness(w, by=None, secret="另一个秘密")
    with pytest.raises(Conflict):
        services.remove_witness(w, by=None)
    assert task.witnesses.count() == 2 and DrawWitness.objects.get(pk=w.pk).commitment == w.commitment


def test_the_witnesses_and_their_commitments_are_in_the_committed_parameters(ins, settings):
    draw = make_draw("committed", unit=ins.a)
    with open(os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.PARAMS_FILE), "rb") as f:
        raw = f.read()
    assert algo.sha256_hex(raw) == draw.params_hash
    params = json.loads(raw)
    assert [(w["name"], w["kind"], w["commitment"]) for w in params["witnesses"]] == [
        ("纪检监察员", "secret", algo.commitment(WITNESS_SECRET)), ("公众代表", "public", "")]
    assert params["sample"] == {"mode": "proportional", "size": 3, "ratio": None, "quotas": None}
    assert params["team_size"] == 2 and params["pools"]["objects"] == draw.object_count


# -------------------------------------------------------------- after the freeze


def test_a_secret_that_does_not_match_is_refused_and_nothing_is_stored(ins, actions):
    draw = make_draw("committed", unit=ins.a)
    w = draw.task.witnesses.get(kind="secret")
    before = actions()
    with pytest.raises(ValidationError) as exc:
        services.reveal_witness(w, by=ins.clerk_a, value=WITNESS_SECRET + " ")
    assert exc.value.rule == "RAND-05" and "承诺值不符" in exc.value.message
    w.refresh_from_db()
    assert w.value == "" and w.revealed_at is None and actions() == before


def test_a_witness_reveals_once_and_only_after_the_freeze(ins, task):
    services.add_witness(task, by=ins.clerk_a, name="代表", capacity="x", kind="public", source="彩票")
    w = task.witnesses.get()
    with pytest.raises(Conflict):
        services.reveal_witness(w, by=ins.clerk_a, value="12")
    services.commit_draw(task, by=ins.clerk_a)
    services.reveal_witness(w, by=ins.clerk_a, value="12")
    with pytest.raises(Conflict):
        services.reveal_witness(w, by=ins.clerk_a, value="13")
    assert DrawWitness.objects.get(pk=w.pk).value == "12"


def test_every_witness_changes_the_outcome_in_a_fixed_order(ins):
    draw = make_draw("drawn", unit=ins.a, objects=30, sample_size=5)
    values = [w.value for w in draw.task.witnesses.order_by("position")]
    assert draw.final_seed == algo.combine(draw.commitment, draw.seed, values)
    assert algo.combine(draw.commitment, draw.seed, values[::-1]) != draw.final_seed
    assert algo.combine(draw.commitment, draw.seed, [values[0], values[1] + "x"]) != draw.final_seed
    assert algo.combine(draw.commitment, "0" * 64, values) != draw.final_seed


# ------------------------------------------------------------ the server's seed


def test_the_server_seed_is_nowhere_before_the_reveal(ins, client, settings):
    """Not in any column of the draw, the witnesses, the audit log, the staff
    page, the API, the admin or the portal; only its hash is."""
    from fazhi.inspections.tests.test_views import body, client_for, url

    draw = make_draw("committed", unit=ins.a)
    seed = server_seed(draw)
    assert draw.server_commitment == algo.commitment(seed)
    row = Draw.objects.filter(pk=draw.pk).values().get()
    assert seed not in json.dumps(row, default=str)
    assert seed not in json.dumps(list(DrawWitness.objects.values()), default=str)
    assert seed not in _audit_text()
    folder = os.path.join(settings.MEDIA_ROOT, draw.pool_dir)
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as f:
            assert seed.encode() not in f.read()
    c = client_for(ins.clerk_a)
    assert seed not in body(c.get(url("draw_page", draw.task_id)))
    assert seed not in c.get(f"/api/v1/inspections/draws/{draw.pk}/").content.decode()
    assert seed not in client.get(f"/portal/inspections/draws/{draw.pk}/").content.decode()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=ins.admin.pk).update(is_staff=True, is_superuser=True)
    page = client_for(ins.admin).get(f"/django-admin/inspections/draw/{draw.pk}/change/")
    assert page.status_code == 200 and draw.server_commitment in page.content.decode()
    assert seed not in page.content.decode()


def test_a_v2_draw_cannot_store_a_seed(ins):
    draw = make_draw("committed", unit=ins.a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).update(secret_seed="ab" * 32)


def test_a_rotated_secret_key_still_reveals_through_the_fallbacks(ins, settings):
    draw = make_draw("committed", unit=ins.a)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [old]
    draw = reveal(draw)
    assert draw.status == DrawStatus.DRAWN and algo.commitment(draw.seed) == draw.server_commitment


def test_a_discarded_secret_key_refuses_the_reveal_and_changes_nothing(ins, settings):
    draw = make_draw("committed", unit=ins.a)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, []
    with pytest.raises(Conflict) as exc:
        reveal(draw)
    assert "SECRET_KEY" in exc.value.message
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and not DrawSelection.objects.exists()


# ------------------------------------------- the database cannot bend the draw


def test_quotas_and_team_size_changed_in_the_database_are_ignored(ins):
    """Staff with database access lower a quota and the team size after the
    freeze: the draw still uses the committed parameters."""
    draw = make_draw("committed", unit=ins.a, objects=20, sample_size=6)
    Draw.objects.filter(pk=draw.pk).update(strata=[{"key": algo.ALL, "size": 20, "quota": 1}])
    type(draw.task).objects.filter(pk=draw.task_id).update(team_size=4)
    draw = reveal(Draw.objects.get(pk=draw.pk))
    assert draw.selections.count() == 6 and all(s.team.count() == 2 for s in draw.selections.all())


def test_a_witness_value_changed_in_the_database_refuses_the_draw(ins):
    draw = make_draw("committed", unit=ins.a)
    reveal_witnesses(draw.task)
    DrawWitness.objects.filter(task=draw.task, kind="secret").update(value="篡改")
    with pytest.raises(Conflict) as exc:
        services.reveal_draw(draw, by=None)
    assert "承诺值不符" in exc.value.message
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED


def test_a_changed_parameter_file_refuses_the_draw(ins, settings):
    draw = make_draw("committed", unit=ins.a)
    path = os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.PARAMS_FILE)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace('"size": 3', '"size": 2'))
    with pytest.raises(Conflict) as exc:
        reveal(draw)
    assert "params" in exc.value.message


def test_drawing_needs_every_witness(ins):
    draw = make_draw("committed", unit=ins.a)
    with pytest.raises(TransitionRefused):
        services.reveal_draw(draw, by=None)
    assert draw.task.status == TaskStatus.COMMITTED


# ------------------------------------------------------------ fazhi-draw/1 draws


def test_a_draw_frozen_under_version_1_is_still_revealed_and_verifies(ins, settings, tmp_path):
    """A draw committed before the upgrade (secret seed stored, one public input)."""
    draw = make_draw("committed", unit=ins.a)
    seed = "5f" * 32
    os.remove(os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.PARAMS_FILE))
    Draw.objects.filter(pk=draw.pk).update(algorithm_version=algo.ALGORITHM_V1, secret_seed=seed,
                                           commitment=algo.commitment(seed), server_commitment="", params_hash="",
                                           seed_salt="")
    draw = Draw.objects.get(pk=draw.pk)
    with pytest.raises(TransitionRefused):
        services.reveal_draw(draw, by=None, witness_input=" ")
    draw = services.reveal_draw(draw, by=None, witness_input="20260415-8812", witness_name="杨帆")
    assert draw.final_seed == algo.final_seed(seed, "20260415-8812")
    assert draw.receipt["algorithm"] == algo.ALGORITHM_V1
    folder = services.export_draw(draw, str(tmp_path / "v1"))
    assert algo.PARAMS_FILE not in os.listdir(folder) and algo.verify_folder(folder) is None
