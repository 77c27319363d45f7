"""manage.py verify_files over the real files of inspections: an uploaded
import and a draw's frozen pools (plain while committed, gzip once published)."""

import gzip
import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core import draw as algo
from fazhi.inspections import services
from fazhi.inspections.tests.factories import make_draw
from fazhi.inspections.tests.test_import import HEADER, row, upload


def verify() -> str:
    out = io.StringIO()
    call_command("verify_files", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("state", ["committed", "published"])
def test_untouched_files_verify(ins, state):
    services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    make_draw(state)
    assert verify().startswith("OK ")


def test_a_changed_import_file_is_named(ins):
    imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    with open(os.path.join(settings.MEDIA_ROOT, imp.file), "ab") as f:
        f.write(b"x")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_files", stdout=out)
    assert f"CHANGED 检查对象导入文件 inspections.entityimport#{imp.pk}" in out.getvalue()


def test_a_changed_frozen_pool_is_named(ins):
    draw = make_draw("published")
    path = os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.OBJECTS_FILE)
    content = gzip.decompress(open(path, "rb").read())
    with open(path, "wb") as f:
        f.write(gzip.compress(content.replace(b"\n", b"\n#", 1)))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_files", stdout=out)
    assert f"CHANGED 抽取冻结名录 inspections.draw#{draw.pk}" in out.getvalue()


def test_a_missing_file_is_named(ins):
    imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    os.remove(os.path.join(settings.MEDIA_ROOT, imp.file))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_files", stdout=out)
    assert "MISSING" in out.getvalue()
