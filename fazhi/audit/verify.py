"""Verifying the audit chain end to end."""

from dataclasses import dataclass

from fazhi.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


@dataclass
class VerifyResult:
    ok: bool
    count: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""


def verify_chain(batch: int = 2000) -> VerifyResult:
    """Walk the chain in order of ``seq``.

    Catches: a changed entry (its hash no longer matches its content), a
    removed entry (a gap in ``seq`` or a broken link), a reordered entry
    (``seq``/``prev_hash`` no longer link up), and a truncated tail (the
    head row remembers the last seq and hash).
    """
    expected_seq, prev, count = 1, GENESIS, 0
    last_seq = 0
    qs = AuditEntry.objects.order_by("seq")
    start = 0
    while True:
        rows = list(qs.filter(seq__gt=start)[:batch])
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                return VerifyResult(False, count, e.seq, e.pk, f"序号不连续：期望 #{expected_seq}，实际 #{e.seq}（有记录被删除或重排）")
            if e.prev_hash != prev:
                return VerifyResult(False, count, e.seq, e.pk, "前一条记录的哈希不匹配（有记录被删除、重排或修改）")
            if e.compute_hash() != e.hash:
                return VerifyResult(False, count, e.seq, e.pk, "记录内容与其哈希不符（记录被修改）")
            prev, expected_seq, count, last_seq = e.hash, expected_seq + 1, count + 1, e.seq
        start = rows[-1].seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return VerifyResult(False, count, last_seq + 1, None, f"链尾缺失：链头记录到 #{head.seq}，实际只有 #{last_seq}")
    return VerifyResult(True, count)
