"""A draw's frozen files, for ``manage.py verify_files`` (listed in the
manifest): the three pool files, whose recorded hashes are of their
uncompressed content (gzip once published), the committed parameters
(``params.json``, fazhi-draw/2) and the strata index."""

import os
from collections.abc import Iterator

from fazhi.core.stored_files import StoredFile, media_path


def draw_files() -> Iterator[StoredFile]:
    from fazhi.core import draw as algo
    from fazhi.inspections.models import Draw

    rows = Draw.objects.exclude(pool_dir="").order_by("pk").values_list(
        "pk", "pool_dir", "objects_hash", "inspectors_hash", "recusals_hash", "strata_file_sha256", "params_hash")
    for pk, folder, objects, inspectors, recusals, strata, params in rows.iterator(chunk_size=500):
        ref = f"inspections.draw#{pk}"
        for name, expected in ((algo.OBJECTS_FILE, objects), (algo.INSPECTORS_FILE, inspectors),
                               (algo.RECUSALS_FILE, recusals)):
            path = algo.stored_path(media_path(folder), name)
            yield StoredFile("抽取冻结名录", ref, os.path.relpath(path, media_path("")), expected,
                             lambda p=path: open(p, "rb"), gunzip=path.endswith(".gz"))
        if params:  # fazhi-draw/2: the committed parameters (plain JSON, never gzipped)
            path = media_path(os.path.join(folder, algo.PARAMS_FILE))
            yield StoredFile("抽取冻结参数", ref, os.path.join(folder, algo.PARAMS_FILE), params,
                             lambda p=path: open(p, "rb"))
        if strata:
            path = media_path(os.path.join(folder, algo.STRATA_FILE))
            yield StoredFile("抽取冻结名录", ref, os.path.join(folder, algo.STRATA_FILE), strata,
                             lambda p=path: open(p, "rb"))


draw_files.model = "inspections.Draw"
