"""manage.py verify_files: every stored file against its recorded SHA-256."""

import hashlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from fazhi.core import stored_files
from fazhi.core.stored_files import StoredFile


def _fake(files: dict[str, bytes], recorded: dict[str, str]):
    def provider():
        for name in recorded:
            if name in files:
                yield StoredFile("测试文件", f"test#{name}", name, recorded[name], lambda n=name: io.BytesIO(files[n]))
            else:
                yield StoredFile("测试文件", f"test#{name}", name, recorded[name],
                                 lambda n=name: open(f"/nonexistent/{n}", "rb"))
    return provider


def _run(monkeypatch, provider) -> str:
    monkeypatch.setattr(stored_files, "providers", lambda: [("test", provider)])
    from fazhi.core.management.commands import verify_files

    monkeypatch.setattr(verify_files, "providers", lambda: [("test", provider)])
    out = io.StringIO()
    call_command("verify_files", stdout=out)
    return out.getvalue()


def test_all_files_matching_is_ok(monkeypatch):
    data = {"a": b"evidence", "b": b"attachment"}
    out = _run(monkeypatch, _fake(data, {k: hashlib.sha256(v).hexdigest() for k, v in data.items()}))
    assert out.strip() == "OK 2 files"


def test_a_changed_or_missing_file_fails_naming_its_record(monkeypatch):
    data = {"a": b"evidence", "b": b"tampered"}
    recorded = {"a": hashlib.sha256(b"evidence").hexdigest(), "b": hashlib.sha256(b"original").hexdigest(),
                "c": hashlib.sha256(b"gone").hexdigest()}
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        monkeypatch.setattr("fazhi.core.management.commands.verify_files.providers",
                            lambda: [("test", _fake(data, recorded))])
        call_command("verify_files", stdout=out)
    assert exc.value.returncode == 1 and "2 个文件" in str(exc.value)
    text = out.getvalue()
    assert "CHANGED 测试文件 test#b" in text and "MISSING 测试文件 test#c" in text and "test#a" not in text


def test_gzip_files_are_checked_by_their_content():
    import gzip

    raw = b"line\n" * 10
    f = StoredFile("冻结名录", "x#1", "x.gz", hashlib.sha256(raw).hexdigest(),
                   lambda: io.BytesIO(gzip.compress(raw)), gunzip=True)
    assert stored_files.digest(f) == f.sha256


def test_every_model_with_a_stored_file_and_its_hash_is_verified():
    """Find them all: a model with a sha256-like field and a file field (or a
    file path) must be covered by a provider of some manifest."""
    covered = {getattr(p, "model", "").lower() for _label, p in stored_files.providers()}
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("fazhi."):
            continue
        names = {f.name for f in model._meta.get_fields() if isinstance(f, models.Field)}
        has_hash = any("sha256" in n or n.endswith("_hash") for n in names)
        has_file = any(isinstance(f, models.FileField) for f in model._meta.get_fields()) or \
            "file" in names or "pool_dir" in names
        if has_hash and has_file and model._meta.label_lower not in covered:
            missing.append(model._meta.label)
    assert not missing
    assert {"enforcement.evidencefile", "ledger.reportattachment", "major_decisions.attachment",
            "inspections.inspectionattachment", "inspections.entityimport", "inspections.draw"} <= covered
