"""The random draw of a review's experts on the verifiable draw (MDEC-06).

The same algorithm, commitment and verifier as the inspection draws
(``fazhi-draw/2``; docs/draw-algorithm.md §10): the eligible experts are the
draw's "objects" — one line ``<expert id> TAB 全部 TAB`` each, in byte order
of the id —, there are no inspectors, recusals or teams (team size 0), and
``params.json`` names the review, pool, field, number to draw and the
experts excluded for a conflict. Nothing here writes to the database; the
services commit, reveal and redraw (``services.select_experts``,
``reveal_expert_draw``, ``redraw_experts``), and anyone verifies an export
with ``manage.py draw_verify``.
"""

import io
import os
import tempfile
import zipfile

from fazhi.core import draw as algo

PURPOSE = "major_decisions.expert_draw"  # the server seed's HMAC purpose (fazhi.core.draw_seed)


def _codes(candidates) -> list[str]:
    return sorted((str(c) for c in candidates), key=str.encode)


def build_params(review, *, candidates: list[int], excluded: list[dict], count: int, number: int,
                 reason: str) -> dict:
    d = review.decision
    return algo.build_params(
        subject={"kind": "major_decisions.expert_review", "decision": d.pk, "title": d.title,
                 "sponsor_unit": d.sponsor_unit.name, "review": review.pk, "draw": number, "redraw_reason": reason},
        objects_filter={"pool": review.pool.name, "field": review.field,
                        "excluded": [{"id": x["id"], "reason": x.get("reason", "")} for x in excluded]},
        stratify_by=[], sample={"mode": "proportional", "size": count, "ratio": None, "quotas": None},
        team_size=0, counts={"objects": len(candidates), "inspectors": 0, "recusals": 0},
        sizes={algo.ALL: len(candidates)} if candidates else {}, witnesses=[])


def files(draw) -> dict[str, bytes]:
    """The draw's files (uncompressed), rebuilt from what the row stores."""
    objects = b"".join(algo.object_lines(algo.PoolObject(c, algo.ALL, "") for c in _codes(draw.candidates)))
    return {"objects": objects, "inspectors": b"", "recusals": b"",
            "params": algo.canonical_json(draw.params).encode("utf-8")}


def hashes(draw) -> dict[str, str]:
    return {name: algo.sha256_hex(data) for name, data in files(draw).items()}


def run(draw, seed: str) -> tuple[str, list[algo.Selected]]:
    """(final seed, experts drawn in order) — ``code`` is the expert id as text."""
    codes = _codes(draw.candidates)
    pools = algo.Pools([algo.PoolObject(c, algo.ALL, "") for c in codes], [], [])
    final = algo.combine(draw.commitment, seed, [])
    quotas = algo.quotas_from_params(draw.params["sample"], {algo.ALL: len(codes)} if codes else {})
    return final, algo.run(final, pools, quotas, 0)


def receipt(draw, *, final: str, selected: list[algo.Selected], drawn_at: str) -> dict:
    quotas = algo.quotas_from_params(draw.params["sample"], {s["key"]: s["size"] for s in draw.params["strata"]})
    return algo.build_receipt_v2(
        params=draw.params, hashes=hashes(draw), commitment_hex=draw.commitment,
        committed_at=draw.committed_at.isoformat(), server_commitment=draw.server_commitment, seed=draw.seed,
        witnesses=[], final=final, quotas=quotas, selected=selected, drawn_at=drawn_at)


def write_folder(draw, folder: str) -> str:
    """receipt.json, the three pool files (gzip) and params.json: what ``draw_verify`` reads."""
    os.makedirs(folder, exist_ok=True)
    data = files(draw)
    for name, filename in (("objects", algo.OBJECTS_FILE), ("inspectors", algo.INSPECTORS_FILE),
                           ("recusals", algo.RECUSALS_FILE)):
        algo.write_file(os.path.join(folder, filename), [data[name]])
    with open(os.path.join(folder, algo.PARAMS_FILE), "wb") as f:
        f.write(data["params"])
    with open(os.path.join(folder, algo.RECEIPT_FILE), "w", encoding="utf-8") as f:
        f.write(algo.canonical_json(draw.receipt))
    return folder


def bundle(draw) -> bytes:
    """A zip of ``expert-draw-<id>/`` (unpack, then ``manage.py draw_verify expert-draw-<id>``)."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        folder = write_folder(draw, os.path.join(tmp, f"expert-draw-{draw.pk}"))
        for name in sorted(os.listdir(folder)):
            z.write(os.path.join(folder, name), f"expert-draw-{draw.pk}/{name}")
    return buf.getvalue()


def verifies(draw) -> bool:
    """The verifier's verdict on the draw's export (None difference), in a temporary folder."""
    if not draw.receipt:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        return algo.verify_folder(write_folder(draw, os.path.join(tmp, "d")), draw.commitment) is None
