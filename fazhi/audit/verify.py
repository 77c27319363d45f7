"""Verifying the audit chain end to end."""

from collections.abc import Iterator
from dataclasses import dataclass

from fazhi.audit.models import GENESIS, AuditEntry, AuditHead

BATCH = 2000


@dataclass
class VerifyResult:
    ok: bool
    count: int  # entries checked and found good
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""
    head_hash: str = GENESIS  # hash of the last good entry

    def as_dict(self) -> dict:
        if self.ok:
            return {"ok": True, "count": self.count, "head_hash": self.head_hash}
        return {"ok": False, "count": self.count, "bad_seq": self.bad_seq, "bad_id": self.bad_id,
                "reason": self.reason}


def iter_entries(after_seq: int = 0, batch: int = BATCH) -> Iterator[AuditEntry]:
    """All entries with ``seq > after_seq`` in order, a batch at a time
    (keyset pagination on the unique ``seq``, so millions stream in constant memory)."""
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=after_seq).order_by("seq")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after_seq = rows[-1].seq


class _Walk:
    def __init__(self):
        self.expected_seq, self.prev, self.count = 1, GENESIS, 0
        self.failure: VerifyResult | None = None

    def fail(self, e: AuditEntry | None, seq: int, reason: str) -> None:
        self.failure = VerifyResult(False, self.count, seq, e.pk if e else None, reason, self.prev)

    def run(self, batch: int) -> int:
        """Check the entries after the last one seen; return how many were read."""
        seen = 0
        for e in iter_entries(self.expected_seq - 1, batch):
            seen += 1
            if e.seq != self.expected_seq:
                self.fail(e, e.seq, f"序号不连续：缺少第 {self.expected_seq} 号，下一条是第 {e.seq} 号（有记录被删除或重排）")
                return seen
            if e.prev_hash != self.prev:
                self.fail(e, e.seq, "与前一条记录的哈希不衔接（有记录被删除、重排或修改）")
                return seen
            try:
                good = e.compute_hash() == e.hash
            except (ValueError, TypeError):
                good = False
            if not good:
                self.fail(e, e.seq, "记录内容与其哈希不符（记录被修改）")
                return seen
            self.prev, self.expected_seq, self.count = e.hash, self.expected_seq + 1, self.count + 1
        return seen


def verify_chain(batch: int = BATCH) -> VerifyResult:
    """Walk the chain in order of ``seq`` and compare its end with the head row.

    Catches: a changed entry (its hash no longer matches its content), a
    removed entry (a gap in ``seq`` or a broken link), a reordered entry
    (``seq``/``prev_hash`` no longer link up), and a truncated tail (the
    head row remembers the last seq and hash).

    Safe while others append: an entry and the head move in one transaction,
    so after a pass that finds nothing new, a head read *before* that pass
    must equal the end of the chain.
    """
    walk = _Walk()
    walk.run(batch)
    while walk.failure is None:
        head = AuditHead.objects.filter(id=1).first()
        if walk.run(batch) == 0:
            break
    if walk.failure is not None:
        return walk.failure
    last = walk.expected_seq - 1
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    if head_seq > last:
        return VerifyResult(False, walk.count, last + 1, None,
                            f"链尾缺失：链头记录到第 {head_seq} 号，实际只到第 {last} 号（末尾记录被删除）", walk.prev)
    if head_seq < last or head_hash != walk.prev:
        bad = head_seq + 1 if head_seq < last else last
        bad_id = AuditEntry.objects.filter(seq=bad).values_list("pk", flat=True).first()
        return VerifyResult(False, walk.count, bad, bad_id,
                            f"链头与链尾不符：链头为第 {head_seq} 号，链尾为第 {last} 号（链头被改动或有记录绕过链头写入）",
                            walk.prev)
    return VerifyResult(True, walk.count, head_hash=walk.prev)
