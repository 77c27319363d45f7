import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit.services import record
from fazhi.audit.tests.conftest import make_chain, tamper

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_audit_verify_prints_ok_and_the_count(chain):
    assert run("audit_verify").strip() == "OK 5 entries"


def test_audit_verify_on_an_empty_chain():
    assert run("audit_verify").strip() == "OK 0 entries"


def test_audit_verify_names_the_first_bad_entry_and_fails_with_1(chain):
    tamper("UPDATE audit_auditentry SET actor_name = 'x' WHERE seq = 4")
    out = StringIO()
    with pytest.raises(CommandError) as err:
        call_command("audit_verify", "--batch", "2", stdout=out)
    assert err.value.returncode == 1
    assert f"seq=4 id={chain[3].pk}" in str(err.value) and "被修改" in str(err.value)
    assert out.getvalue().startswith(f"BAD seq=4 id={chain[3].pk}")


def test_audit_verify_exits_with_status_1_from_the_command_line(chain, monkeypatch):
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)  # keep the test's connection
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    from fazhi.audit.management.commands.audit_verify import Command

    with pytest.raises(SystemExit) as exit_:
        Command(stdout=StringIO(), stderr=StringIO()).run_from_argv(["manage.py", "audit_verify"])
    assert exit_.value.code == 1


# The third party's verifier: hashlib and json only, no project code.
# Keep in step with docs/modules/audit.md.
def third_party_verify(path, prev="0" * 64):
    import hashlib
    import json

    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            claimed = entry.pop("hash")
            body = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if hashlib.sha256(body.encode("utf-8")).hexdigest() != claimed:
                return f"seq {entry['seq']}: content does not match its hash"
            if prev is not None and entry["prev_hash"] != prev:
                return f"seq {entry['seq']}: does not follow the previous entry"
            prev, n = claimed, n + 1
    return f"OK {n} {prev}"


def test_an_export_re_verifies_with_hashlib_and_json_only(tmp_path, chain):
    record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="9",
           data={"备注": "中文、\u2028换行符、\"引号\"", "amount": 1e20, "ratio": 0.1})
    path = tmp_path / "audit.jsonl"
    assert "已导出 6 条" in run("audit_export", str(path))
    from fazhi.audit.verify import verify_chain

    assert third_party_verify(path) == f"OK 6 {verify_chain().head_hash}"


def test_an_export_line_is_the_canonical_content_plus_the_hash(tmp_path, chain):
    path = tmp_path / "audit.jsonl"
    run("audit_export", str(path))
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"seq", "at", "actor_id", "actor_name", "actor_post", "actor_unit", "action",
                          "object_type", "object_id", "object_repr", "unit_id", "data", "prev_hash", "hash"}
    assert first["at"].endswith("Z") and len(first["at"]) == len("2024-01-01T00:00:00.000000Z")
    assert first["hash"] == chain[0].hash == hashlib.sha256(chain[0].canonical()).hexdigest()


def test_an_export_from_a_seq_starts_there_and_links_to_the_entry_before(tmp_path, chain):
    path = tmp_path / "tail.jsonl"
    run("audit_export", "--from-seq", "3", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [3, 4, 5]
    assert third_party_verify(path, prev=chain[1].hash).startswith("OK 3")


def test_a_third_party_catches_a_changed_export(tmp_path, chain):
    path = tmp_path / "audit.jsonl"
    run("audit_export", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("第3次", "第9次"), encoding="utf-8")
    assert third_party_verify(path) == "seq 3: content does not match its hash"


def test_an_export_streams_in_batches(tmp_path, monkeypatch):
    from fazhi.audit.management.commands import audit_export

    make_chain(7)
    monkeypatch.setattr(audit_export, "BATCH", 3)
    path = tmp_path / "audit.jsonl"
    run("audit_export", str(path))
    assert third_party_verify(path).startswith("OK 7")


def test_an_export_to_stdout(chain):
    lines = run("audit_export", "-").splitlines()
    assert len(lines) == 5 and json.loads(lines[4])["seq"] == 5


def test_a_bad_from_seq_is_refused():
    with pytest.raises(CommandError):
        call_command("audit_export", "--from-seq", "0", "-")
