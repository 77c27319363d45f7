"""The draw algorithm (draw.py, pure) and the draw services (RAND-05)."""

import hashlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core import draw as algo
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.inspections import services
from fazhi.inspections.models import DrawSelection, DrawStatus, Inspection, TaskStatus, TeamMember
from fazhi.inspections.services import draw_pools, draw_sql
from fazhi.inspections.tests.factories import (
    NOW,
    EntityFactory,
    InspectionItemFactory,
    InspectorAbsenceFactory,
    InspectorFactory,
    PlanFactory,
    RecusalFactory,
    TaskFactory,
    make_draw,
    reveal,
    reveal_witnesses,
    server_seed,
)


def pools(n_objects=10, n_inspectors=5, strata=None, recusals=()):
    objects = [algo.PoolObject(f"C{i:03d}", (strata[i % len(strata)] if strata else algo.ALL), "")
               for i in range(n_objects)]
    objects.sort(key=lambda o: o.code)
    inspectors = [algo.PoolInspector(f"Z{i:03d}", "1", "") for i in range(n_inspectors)]
    return algo.Pools(objects, inspectors, list(recusals))


def seed(i) -> str:
    return hashlib.sha256(f"test-seed-{i}".encode()).hexdigest()


# ------------------------------------------------------------------ pure


def test_same_seed_and_pools_give_the_same_result():
    p = pools(50, 6)
    a = algo.run(seed(1), p, {algo.ALL: 7}, 2)
    b = algo.run(seed(1), pools(50, 6), {algo.ALL: 7}, 2)
    assert [s.as_dict() for s in a] == [s.as_dict() for s in b]


def test_a_different_seed_gives_a_different_result():
    p = pools(50, 6)
    assert [s.code for s in algo.run(seed(1), p, {algo.ALL: 7}, 2)] != \
        [s.code for s in algo.run(seed(2), p, {algo.ALL: 7}, 2)]


def test_final_seed_binds_the_witness_input():
    s = "ab" * 32
    assert algo.commitment(s) == hashlib.sha256(s.encode()).hexdigest()
    assert algo.final_seed(s, "123") == hashlib.sha256(f"{s}:123".encode()).hexdigest()
    assert algo.final_seed(s, "123") != algo.final_seed(s, "124")


def test_uniform_rejects_the_biased_tail():
    st_ = algo.Stream(seed(0), "x")
    values = [st_.uniform(3) for _ in range(3000)]
    assert set(values) == {0, 1, 2}


def test_selection_is_uniform_over_many_draws_chi_square():
    """10 objects, 3 drawn, 3000 draws with a fixed seed sequence: each object
    is expected 900 times; chi-square (9 df) below 27.88 (p = 0.001)."""
    p = pools(10, 4)
    counts = {o.code: 0 for o in p.objects}
    first = {o.code: 0 for o in p.objects}
    for i in range(3000):
        sel = algo.run(seed(i), p, {algo.ALL: 3}, 2)
        for s in sel:
            counts[s.code] += 1
        first[sel[0].code] += 1
    expected = 3000 * 3 / 10
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < 27.88, (chi2, counts)
    # the first position alone is uniform too (expected 300)
    chi2_first = sum((c - 300) ** 2 / 300 for c in first.values())
    assert chi2_first < 27.88, (chi2_first, first)


def test_team_selection_is_uniform_chi_square():
    p = pools(1, 6)
    counts = {i.cert: 0 for i in p.inspectors}
    for i in range(3000):
        for cert in algo.run(seed(i), p, {algo.ALL: 1}, 2)[0].team:
            counts[cert] += 1
    expected = 3000 * 2 / 6
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < 20.52, (chi2, counts)  # 5 df, p = 0.001


def test_partial_shuffle_equals_a_plain_fisher_yates():
    items = list(range(20))
    got = algo.partial_shuffle(items, 20, algo.Stream(seed(3), "l"))
    ref, stream = list(items), algo.Stream(seed(3), "l")
    for i in range(20):
        j = i + stream.uniform(20 - i)
        ref[i], ref[j] = ref[j], ref[i]
    assert got == ref and sorted(got) == items


def test_proportional_quotas_largest_remainder_ties_by_key():
    # 10 over sizes 5/3/2 of 10 -> exact 5, 3, 2
    assert algo.proportional_quotas({"a": 5, "b": 3, "c": 2}, 10) == {"a": 5, "b": 3, "c": 2}
    # 2 over three equal strata: remainders tie, the first two keys win
    assert algo.proportional_quotas({"b": 4, "a": 4, "c": 4}, 2) == {"a": 1, "b": 1, "c": 0}
    # 7 over 6/3/1 of 10: 4.2, 2.1, 0.7 -> 4, 2, 1
    assert algo.proportional_quotas({"x": 6, "y": 3, "z": 1}, 7) == {"x": 4, "y": 2, "z": 1}
    with pytest.raises(algo.DrawError):
        algo.proportional_quotas({"a": 2}, 3)


def test_sample_total_rounds_a_ratio_up():
    assert algo.sample_total(101, ratio="0.05") == 6
    assert algo.sample_total(100, ratio="0.05") == 5
    assert algo.sample_total(100, size=7) == 7


def test_stratified_selection_respects_quotas_and_strata():
    p = pools(30, 4, strata=["行业=餐饮", "行业=零售", "行业=药品"])
    sel = algo.run(seed(5), p, {"行业=餐饮": 2, "行业=零售": 3, "行业=药品": 0}, 2)
    by = {}
    for s in sel:
        by.setdefault(s.stratum, []).append(s.code)
    assert {k: len(v) for k, v in by.items()} == {"行业=餐饮": 2, "行业=零售": 3}
    members = {o.code: o.stratum for o in p.objects}
    assert all(members[s.code] == s.stratum for s in sel)
    assert [s.position for s in sel] == list(range(1, 6))


@settings(max_examples=60, deadline=None)
@given(n_objects=st.integers(1, 25), n_inspectors=st.integers(2, 8), team=st.integers(2, 4),
       data=st.data())
def test_recusal_is_always_respected_and_teams_have_team_size(n_objects, n_inspectors, team, data):
    team = min(team, n_inspectors)
    if team < 2:
        return
    p = pools(n_objects, n_inspectors)
    certs = [i.cert for i in p.inspectors]
    codes = [o.code for o in p.objects]
    rec = data.draw(st.lists(st.tuples(st.sampled_from(certs), st.sampled_from(codes)), max_size=30))
    # keep at least ``team`` inspectors for every object
    allowed = []
    for cert, code in rec:
        taken = sum(1 for c, o in allowed if o == code)
        if n_inspectors - taken - 1 >= team and (cert, code) not in allowed:
            allowed.append((cert, code))
    p.recusals = sorted((c, "E", o) for c, o in allowed)
    k = data.draw(st.integers(1, n_objects))
    sel = algo.run(seed(data.draw(st.integers(0, 10_000))), p, {algo.ALL: k}, team)
    assert len(sel) == k and len({s.code for s in sel}) == k
    for s in sel:
        assert len(s.team) == team == len(set(s.team))
        assert not any((c, s.code) in allowed for c in s.team)


def test_unit_recusal_applies_to_every_object_of_the_unit():
    objects = [algo.PoolObject(f"C{i:03d}", algo.ALL, "7" if i % 2 else "") for i in range(10)]
    inspectors = [algo.PoolInspector(f"Z{i}", "1", "") for i in range(3)]
    p = algo.Pools(objects, inspectors, [("Z0", "U", "7")])
    for i in range(30):
        for s in algo.run(seed(i), p, {algo.ALL: 10}, 2):
            if int(s.code[1:]) % 2:
                assert "Z0" not in s.team


def test_too_few_inspectors_after_recusal_is_reported():
    p = pools(3, 2, recusals=[("Z000", "E", "C001")])
    assert algo.check_teams_possible(p, 2) == [("C001", 1)]


# ----------------------------------------------------------- services


@pytest.fixture
def task(ins):
    for _ in range(12):
        EntityFactory()
    return TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=4)


def test_commit_freezes_pools_and_records_the_commitment(ins, task, actions):
    draw = services.commit_draw(task, by=ins.clerk_a, now=NOW)
    assert draw.status == DrawStatus.COMMITTED and draw.seed == "" and draw.secret_seed == ""
    assert draw.algorithm_version == algo.ALGORITHM_VERSION == "fazhi-draw/2"
    assert draw.server_commitment == hashlib.sha256(server_seed(draw).encode()).hexdigest()
    assert draw.commitment == algo.freeze_commitment(draw.server_commitment, {
        "objects": draw.objects_hash, "inspectors": draw.inspectors_hash, "recusals": draw.recusals_hash,
        "params": draw.params_hash})
    assert draw.object_count == 12 and draw.inspector_count == 4
    assert draw.strata == [{"key": algo.ALL, "size": 12, "quota": 4}]
    task.refresh_from_db()
    assert task.status == TaskStatus.COMMITTED
    assert actions()[-1] == "inspections.draw.committed"
    from fazhi.audit.models import AuditEntry

    assert server_seed(draw) not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_reveal_draws_objects_and_teams_and_creates_inspections(ins, task, actions):
    draw = services.commit_draw(task, by=ins.clerk_a, now=NOW)
    draw = reveal(draw, by=ins.head_a, public="8812")
    assert draw.status == DrawStatus.DRAWN and draw.seed == server_seed(draw)
    assert draw.final_seed == algo.combine(draw.commitment, draw.seed, ["纪检监察员自选秘密 4-1-6-6-2-3", "8812"])
    sels = list(DrawSelection.objects.filter(draw=draw).order_by("position"))
    assert len(sels) == 4 and [s.credit_code for s in sels] == [s["credit_code"] for s in draw.receipt["selection"]]
    assert all(TeamMember.objects.filter(selection=s).count() == 2 for s in sels)
    assert Inspection.objects.filter(task=task, kind="random").count() == 4
    assert all(i.officers.count() == 2 for i in Inspection.objects.filter(task=task))
    assert draw.receipt["live_pool"]["changed"] is False
    assert actions()[-1] == "inspections.draw.revealed"


def test_reveal_twice_is_refused(ins, task):
    draw = make_draw("drawn", task=task)
    with pytest.raises(TransitionRefused) as exc:
        services.reveal_draw(draw, by=ins.head_a)
    assert exc.value.rule == "RAND-05"


def test_a_published_draw_cannot_be_rerun(ins, task):
    draw = make_draw("published", task=task)
    with pytest.raises(Conflict) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert exc.value.rule == "RAND-05"
    with pytest.raises(TransitionRefused):
        services.reveal_draw(draw, by=ins.head_a)
    assert DrawSelection.objects.filter(draw=draw).count() == 3 or DrawSelection.objects.filter(draw=draw).exists()


def test_reveal_needs_every_witness_to_have_revealed(ins, task):
    draw = services.commit_draw(task, by=ins.clerk_a)
    services.reveal_witness(task.witnesses.get(kind="secret"), by=ins.head_a, value="纪检监察员自选秘密 4-1-6-6-2-3")
    with pytest.raises(TransitionRefused) as exc:
        services.reveal_draw(draw, by=ins.head_a)
    assert exc.value.rule == "RAND-05"
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and not DrawSelection.objects.exists()


def test_sample_larger_than_the_pool_is_refused_and_nothing_changes(ins):
    EntityFactory()
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=5)
    with pytest.raises(ValidationError) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert "超过" in exc.value.message and exc.value.rule == "RAND-05"
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and not hasattr(task, "draw_cache")
    from fazhi.inspections.models import Draw

    assert not Draw.objects.exists()


def test_quota_larger_than_a_stratum_is_refused(ins):
    for _ in range(2):
        EntityFactory(industry="餐饮")
    EntityFactory(industry="零售")
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=3,
                       stratify_by=["industry"], quotas={"行业=餐饮": 1, "行业=零售": 2})
    with pytest.raises(ValidationError) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert "行业=零售" in exc.value.message


def test_stratified_proportional_draw(ins):
    for _ in range(6):
        EntityFactory(industry="餐饮")
    for _ in range(3):
        EntityFactory(industry="零售", risk_level="high")
    task = services.create_task(PlanFactory(unit=ins.a), by=ins.clerk_a, title="分层任务",
                                items=[InspectionItemFactory(unit=ins.a, published=True)],
                                planned_start=date(2026, 4, 1), planned_end=date(2026, 5, 1), sample_size=3,
                                stratify_by=["industry"])
    task.plan.status = "approved"
    task.plan.save()
    draw = make_draw("drawn", task=task)
    assert draw.strata == [{"key": "行业=零售", "size": 3, "quota": 1}, {"key": "行业=餐饮", "size": 6, "quota": 2}]
    assert [s["stratum"] for s in draw.receipt["selection"]] == ["行业=零售", "行业=餐饮", "行业=餐饮"]


def test_too_few_inspectors_after_recusal_is_refused_at_freeze(ins):
    e = EntityFactory()
    EntityFactory()
    for i in ins.inspectors_a[:3]:
        RecusalFactory(inspector=i, entity=e)
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=1)
    with pytest.raises(ValidationError) as exc:
        services.commit_draw(task, by=ins.clerk_a)
    assert e.credit_code in exc.value.message and exc.value.rule == "RAND-05"


def test_absent_and_uncertified_inspectors_are_not_in_the_pool(ins):
    EntityFactory()
    EntityFactory()
    InspectorAbsenceFactory(inspector=ins.inspectors_a[0], start=date(2026, 4, 10), end=date(2026, 4, 12))
    InspectorFactory(unit=ins.a, officer=__import__("fazhi.enforcement.tests.factories", fromlist=["x"])
                     .make_officer(ins.a, valid_to=date(2026, 5, 1)))
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=1)
    draw = services.commit_draw(task, by=ins.clerk_a)
    assert draw.inspector_count == 3


def test_recusal_is_respected_through_the_services(ins):
    entities = [EntityFactory() for _ in range(4)]
    for e in entities:
        RecusalFactory(inspector=ins.inspectors_a[0], entity=e)
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=4)
    draw = make_draw("drawn", task=task)
    assert not TeamMember.objects.filter(selection__draw=draw, inspector=ins.inspectors_a[0]).exists()


def test_recently_inspected_objects_are_excluded_unless_high_risk(ins):
    EntityFactory(last_inspected_on=date(2026, 1, 5))
    EntityFactory(last_inspected_on=date(2026, 1, 5), risk_level="high")
    EntityFactory(last_inspected_on=date(2024, 1, 5))
    EntityFactory()
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=1, exclude_recent_months=12)
    draw = services.commit_draw(task, by=ins.clerk_a)
    assert draw.object_count == 3


def test_commit_refuses_an_unapproved_plan_or_unpublished_items(ins, task):
    draft = TaskFactory(plan=PlanFactory(unit=ins.a), sample_size=1)
    with pytest.raises(TransitionRefused) as exc:
        services.commit_draw(draft, by=ins.clerk_a)
    assert exc.value.rule == "RAND-09"
    unpublished = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=1,
                              items=[InspectionItemFactory(unit=ins.a)])
    with pytest.raises(TransitionRefused) as exc:
        services.commit_draw(unpublished, by=ins.clerk_a)
    assert exc.value.rule == "ENF-28"


def test_commit_and_reveal_need_the_draw_permission(ins, task):
    with pytest.raises(PermissionDenied):
        services.commit_draw(task, by=ins.clerk_b)
    draw = services.commit_draw(task, by=ins.clerk_a)
    reveal_witnesses(task)
    with pytest.raises(PermissionDenied):
        services.reveal_draw(draw, by=ins.officer_a)


def test_a_changed_live_pool_is_reported_and_the_frozen_pool_used(ins, task):
    draw = services.commit_draw(task, by=ins.clerk_a)
    EntityFactory()  # added after the freeze
    draw = reveal(draw, by=ins.head_a)
    assert draw.live_pool_changed and "检查对象名录" in draw.live_pool_note
    assert draw.receipt["live_pool"]["changed"] is True
    assert draw.receipt["pools"]["objects"]["count"] == 12


def test_a_tampered_frozen_file_refuses_the_reveal(ins, task, settings):
    import os

    draw = services.commit_draw(task, by=ins.clerk_a)
    path = algo.stored_path(os.path.join(settings.MEDIA_ROOT, draw.pool_dir), algo.OBJECTS_FILE)
    assert path.endswith("objects.tsv")  # frozen uncompressed; gzip at publication and export
    rows = algo.read_bytes(path).split(b"\n")
    with open(path, "wb") as f:
        f.write(b"\n".join(rows[1:]))
    with pytest.raises(Conflict) as exc:
        reveal(draw, by=ins.head_a)
    assert "已被改动" in exc.value.message
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED


def test_publish_draw_audited(ins, task, actions):
    draw = make_draw("drawn", task=task)
    with pytest.raises(PermissionDenied):
        services.publish_draw(draw, by=ins.clerk_b)
    draw = services.publish_draw(draw, by=ins.head_a, now=NOW)
    assert draw.status == DrawStatus.PUBLISHED and draw.published_at == NOW
    assert actions()[-1] == "inspections.draw.published"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reveals_draw_once():
    from fazhi.core.testing import run_in_threads
    from fazhi.inspections.models import Draw
    from fazhi.org.tests.factories import UnitFactory

    unit = UnitFactory()
    for _ in range(4):
        InspectorFactory(unit=unit)
    for _ in range(10):
        EntityFactory()
    task = TaskFactory(plan=PlanFactory(unit=unit, approved=True), sample_size=3)
    draw = services.commit_draw(task, by=None)
    reveal_witnesses(task)
    outcomes = []

    def draw_once(i):
        try:
            services.reveal_draw(Draw.objects.get(pk=draw.pk), by=None)
            outcomes.append("ok")
        except TransitionRefused:
            outcomes.append("refused")

    run_in_threads(draw_once, 3)
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    assert DrawSelection.objects.filter(draw=draw).count() == 3


# ------------------------------------------------- live changes, fast paths


def test_changes_since_the_freeze_are_reported_and_an_unchanged_save_is_not(ins, task):
    entity = task_entity = EntityFactory()
    draw = services.commit_draw(task, by=ins.clerk_a)
    assert draw.changes_since is not None and draw.changes_since <= draw.committed_at
    task_entity.save()  # touched, not changed
    assert draw_pools._live_changes(draw, task, _frozen(draw)) == []
    services.update_entity(entity, by=ins.admin, region="白沙镇2")  # not stratified: same line …
    assert draw_pools._live_changes(draw, task, _frozen(draw)) == []
    services.update_entity(entity, by=ins.admin, active=False)  # … but leaving the pool is a change
    assert draw_pools._live_changes(draw, task, _frozen(draw)) == ["检查对象名录"]


def test_a_deleted_object_is_a_change_even_without_updated_at(ins, task):
    draw = services.commit_draw(task, by=ins.clerk_a)
    from fazhi.inspections.models import Entity

    Entity.objects.filter(pk=Entity.objects.order_by("pk").first().pk).delete()
    assert draw_pools._live_changes(draw, task, _frozen(draw)) == ["检查对象名录"]


def test_a_recorded_result_bumps_updated_at(ins, task):
    from fazhi.inspections.models import Entity

    draw = make_draw("drawn", task=task)
    inspection = Inspection.objects.filter(task=task).first()
    before = Entity.objects.get(pk=inspection.entity_id).updated_at
    services.record_result(inspection, by=ins.officer_a, result="none_found", inspected_on=date(2026, 4, 20),
                           today=date(2026, 4, 21))
    after = Entity.objects.get(pk=inspection.entity_id)
    assert after.last_inspected_on == date(2026, 4, 20) and after.updated_at > before
    assert draw.changes_since is not None


def test_too_many_changes_fall_back_to_the_full_comparison(ins, task, monkeypatch):
    draw = services.commit_draw(task, by=ins.clerk_a)
    monkeypatch.setattr(draw_pools, "LIVE_CHECK_LIMIT", 0)
    EntityFactory()
    assert draw_pools._live_changes(draw, task, _frozen(draw)) == ["检查对象名录"]


def _frozen(draw):
    import os

    from django.conf import settings as dj_settings

    index = (draw.strata_file_sha256, [(s["key"], s["size"]) for s in draw.strata]) \
        if draw.strata_file_sha256 else None
    return algo.load_frozen(os.path.join(dj_settings.MEDIA_ROOT, draw.pool_dir), index)[0]


@pytest.mark.postgres
def test_the_database_builds_the_same_pool_files_as_python(ins, tmp_path):
    """The freeze's SQL (lines, stratum keys, grouping) equals the Python path byte for byte,
    odd values included: empty and NULL-like regions, a TAB in a value, a raw risk value."""
    from fazhi.inspections.models import Entity

    odd = [("餐饮", "", "low"), ("餐饮", "龙凤\t镇", "medium"), ("零售", "白沙镇", "high"),
           ("零售", "白沙镇", "低"), ("", "城关镇", "low"), ("餐饮", "城关镇", "weird")]
    for i in range(30):
        industry, region, risk = odd[i % len(odd)]
        EntityFactory(industry=industry, region=region, risk_level=risk, org_unit=ins.town if i % 4 == 0 else None)
    Entity.objects.filter(region="").update(region="")  # NULL is impossible (NOT NULL); "" is the empty value
    e = Entity.objects.order_by("pk").first()
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=5,
                       stratify_by=["industry", "region", "risk_level"])
    digest, strata_digest, sizes, watched = draw_sql._freeze_objects_pg(
        task, str(tmp_path), {e.credit_code}, {str(ins.town.pk)})
    python = b"".join(algo.object_lines(services.iter_pool_objects(task)))
    assert (tmp_path / "objects.tsv").read_bytes() == python
    assert digest == hashlib.sha256(python).hexdigest()
    pools_ = algo.Pools([algo.PoolObject(*r) for r in algo.read_file(tmp_path / "objects.tsv")[0]], [], [])
    strata = pools_.strata()
    assert sizes == {k: len(v) for k, v in strata.items()}
    assert "行业=餐饮；区域=龙凤 镇；风险等级=中" in strata and "行业=零售；区域=白沙镇；风险等级=低" in strata
    frozen = algo.FrozenObjects.from_index(python, (tmp_path / algo.STRATA_FILE).read_bytes(),
                                           [(k, len(v)) for k, v in strata.items()])
    assert {k: [v[i].split(b"\t")[0].decode() for i in range(len(v))] for k, v in frozen.strata().items()} == strata
    for o in pools_.objects:
        assert frozen.line_of(o.code) == f"{o.code}\t{o.stratum}\t{o.org_unit}".encode()
    assert frozen.line_of("9" * 18) is None
    assert strata_digest == hashlib.sha256((tmp_path / algo.STRATA_FILE).read_bytes()).hexdigest()
    assert {o.code for o in watched} == {o.code for o in services.iter_pool_objects(task)
                                         if o.code == e.credit_code or o.org_unit == str(ins.town.pk)}


def test_the_fast_reveal_selects_what_the_plain_algorithm_selects(ins):
    for i in range(40):
        EntityFactory(industry=("餐饮", "零售", "药品")[i % 3], org_unit=ins.town if i % 5 == 0 else None)
    RecusalFactory(inspector=ins.inspectors_a[0], org_unit=ins.town, entity=None)
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=9, stratify_by=["industry"])
    draw = make_draw("drawn", task=task)
    import os

    from django.conf import settings as dj_settings

    pools_, _h = algo.load_pools(os.path.join(dj_settings.MEDIA_ROOT, draw.pool_dir))
    quotas = {s["key"]: s["quota"] for s in draw.strata}
    plain = algo.run(draw.final_seed, pools_, quotas, 2)
    assert [s.as_dict() for s in plain] == draw.receipt["selection"]


@pytest.mark.postgres
def test_a_tampered_strata_file_refuses_the_reveal(ins, task, settings):
    import os

    draw = services.commit_draw(task, by=ins.clerk_a)
    assert draw.strata_file_sha256
    path = os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.STRATA_FILE)
    data = open(path, "rb").read()
    open(path, "wb").write(data[8:16] + data[:8] + data[16:])  # two offsets swapped
    with pytest.raises(Conflict) as exc:
        reveal(draw, by=ins.head_a)
    assert "已被改动" in exc.value.message
