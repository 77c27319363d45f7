"""Files the records keep, each with the SHA-256 recorded when it was stored
(evidence, attachments, uploaded imports, a draw's frozen pools).

A module lists its own in its manifest (``Manifest.stored_files``): one
provider per kind, ``provider() -> Iterator[StoredFile]``. ``manage.py
verify_files`` reads every one of them and compares. It is what a restore
drill ends with (docs/deploy.md §8) and is worth running after any storage
move: a file missing or changed is named with its record.
"""

import gzip
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class StoredFile:
    kind: str  # e.g. "执法证据文件"
    ref: str  # the record, e.g. "enforcement.evidencefile#12"
    name: str  # the stored name (storage name or path under MEDIA_ROOT)
    sha256: str  # as recorded
    open: Callable[[], IO[bytes] | File]  # a local file, or a storage's (local or S3)
    gunzip: bool = False  # the recorded hash is of the uncompressed content


def media_path(relative: str) -> str:
    return os.path.join(settings.MEDIA_ROOT, relative)


def field_files(model: str, kind: str, *, path: str = "file", sha256: str = "sha256",
                in_storage: bool = True) -> Callable[[], Iterator[StoredFile]]:
    """A provider for the usual case: one file per row, its name in ``path`` (a
    FileField in the default storage — local or S3 — or, with
    ``in_storage=False``, a path under MEDIA_ROOT) and its hash in ``sha256``.
    Rows with no hash recorded are skipped."""

    def provider() -> Iterator[StoredFile]:
        cls = apps.get_model(model)
        rows = cls.objects.exclude(**{sha256: ""}).order_by("pk").values_list("pk", path, sha256)
        for pk, name, digest in rows.iterator(chunk_size=2000):
            name = str(name)
            opener = ((lambda n=name: default_storage.open(n, "rb")) if in_storage
                      else (lambda n=name: open(media_path(n), "rb")))
            yield StoredFile(kind, f"{cls._meta.label_lower}#{pk}", name, digest, opener)

    provider.model = model  # type: ignore[attr-defined]  # what it covers (the completeness test reads it)
    return provider


def digest(f: StoredFile) -> str:
    """The SHA-256 of the file's content (uncompressed when ``gunzip``), streamed."""
    h = hashlib.sha256()
    with f.open() as raw:
        stream = gzip.GzipFile(fileobj=raw) if f.gunzip else raw
        while block := stream.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def providers() -> list[tuple[str, Callable[[], Iterator[StoredFile]]]]:
    from fazhi.modules import manifests

    return [(m.label, p) for m in manifests() for p in m.stored_files]
