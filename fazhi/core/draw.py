"""The verifiable draw (RAND-05), pure standard-library Python.

No Django import: the same code runs in the services that draw (inspection
tasks, the expert panels of major decisions), in ``manage.py draw_verify``
(which must work with no database at all), and a third party can reimplement
it from ``docs/draw-algorithm.md`` (the portal serves this file as the
reference implementation).

Inputs (all frozen before any secret is revealed):

* ``objects.tsv``: one line per eligible object, ``credit_code TAB stratum
  TAB org_unit LF``, sorted by credit code (byte order), UTF-8.
* ``inspectors.tsv``: ``certificate_number TAB unit TAB fields LF``, sorted
  by certificate number; only inspectors eligible for the task.
* ``recusals.tsv``: ``certificate_number TAB kind TAB target LF`` with kind
  ``E`` (target = an object's credit code) or ``U`` (target = an org unit id:
  every object whose org_unit is that id), sorted.
* ``params.json`` (``fazhi-draw/2``): the draw's parameters as canonical JSON —
  what is drawn for, the filter, strata dimensions, the sample (explicit
  quotas, or a size or ratio allocated proportionally), team size, the pool
  counts and stratum sizes, and the witnesses with their commitments.

The pool files are published and exported gzip-compressed (``*.tsv.gz``);
their SHA-256 is taken over the uncompressed bytes, so the same hash holds for
the uncompressed copy (``*.tsv``) the server writes at the freeze (faster to
write and to read back; compressed at publication and export). Readers accept
either form.

Seeds (``fazhi-draw/2``): the server commits to its secret seed ``S``
(``server_commitment = sha256(S)``) and each witness of kind ``secret`` to
theirs (``sha256(w)``); the freeze publishes ``commitment = sha256("fazhi-draw/2:"
server_commitment ":" h_objects ":" h_inspectors ":" h_recusals ":" h_params)``.
After the freeze the witnesses reveal (a secret is refused unless it matches
its commitment) and the server reveals ``S``; ``final_seed`` chains them in a
fixed order: ``x = sha256(commitment ":" S)``, then ``x = sha256(x ":" w_i)``
for each witness by position. (``fazhi-draw/1``: ``commitment = sha256(seed)``,
``final_seed = sha256(seed ":" witness_input)``; still verified.)

The random stream for a label is the concatenation of ``sha256(final_seed ":"
label ":" counter)`` blocks (counter = 0, 1, 2 … in decimal), read as
big-endian unsigned 64-bit integers; ``uniform(n)`` rejects values >= 2^64 -
(2^64 mod n) and returns ``value mod n``. Objects of a stratum are chosen by
``quota`` steps of a Fisher–Yates shuffle of the stratum's canonical list
(label ``objects:<key>``); a team by ``team_size`` steps over the inspectors
not recused from the object (label ``team:<credit_code>``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple, TypeVar

T = TypeVar("T")

ALGORITHM_VERSION = "fazhi-draw/2"
ALGORITHM_V1 = "fazhi-draw/1"  # receipts of draws frozen before the parameters were committed
ALGORITHMS = (ALGORITHM_V1, ALGORITHM_VERSION)
ALL = "全部"  # the stratum key when a task is not stratified

OBJECTS_FILE = "objects.tsv.gz"
INSPECTORS_FILE = "inspectors.tsv.gz"
RECUSALS_FILE = "recusals.tsv.gz"
RECEIPT_FILE = "receipt.json"
PARAMS_FILE = "params.json"  # fazhi-draw/2: committed at the freeze, published from then on
POOL_FILES = (OBJECTS_FILE, INSPECTORS_FILE, RECUSALS_FILE)
WITNESS_SECRET = "secret"  # commits sha256(value) before the freeze, reveals value after it
WITNESS_PUBLIC = "public"  # names a public source before the freeze (a lottery draw), typed after it
# Server-side only (not part of the receipt, never exported): for each stratum
# (keys in order) the byte offsets of its lines in objects.tsv, in canonical
# order, as unsigned 64-bit integers (machine byte order), so that the reveal
# need not parse the object file line by line.
STRATA_FILE = "objects.strata.idx"


def plain_name(name: str) -> str:
    """``objects.tsv.gz`` -> ``objects.tsv`` (the uncompressed copy written at the freeze)."""
    return name[:-3] if name.endswith(".gz") else name

_TWO64 = 1 << 64


class DrawError(Exception):
    """Raised when the inputs cannot produce a draw (message in Chinese)."""

    def __init__(self, message: str, rule: str = "RAND-05"):
        super().__init__(message)
        self.message = message
        self.rule = rule


# ------------------------------------------------------------------ seeds


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def commitment(seed: str) -> str:
    return sha256_hex(seed)


def final_seed(seed: str, witness_input: str) -> str:
    """``fazhi-draw/1``: one witness input, not committed."""
    return sha256_hex(f"{seed}:{witness_input}")


def freeze_commitment(server_commitment: str, hashes: dict[str, str]) -> str:
    """``fazhi-draw/2``: what the freeze publishes — it binds the server's seed,
    the three pool files and the parameters (``hashes``: objects, inspectors,
    recusals, params). Nothing a draw depends on can change after it."""
    parts = [ALGORITHM_VERSION, server_commitment] + [hashes[k] for k in ("objects", "inspectors", "recusals",
                                                                           "params")]
    return sha256_hex(":".join(parts))


def combine(commitment_hex: str, server_seed: str, witness_values: Iterable[str]) -> str:
    """``fazhi-draw/2`` final seed: ``x = sha256(commitment ":" S)``, then
    ``x = sha256(x ":" w)`` for each witness value in position order. Every
    prefix is a fixed-length hex string, so no two inputs give the same text."""
    x = sha256_hex(f"{commitment_hex}:{server_seed}")
    for value in witness_values:
        x = sha256_hex(f"{x}:{value}")
    return x


# ----------------------------------------------------------- random stream


class Stream:
    """Deterministic uniform integers from ``final_seed`` and a label."""

    def __init__(self, seed: str, label: str):
        self._prefix = f"{seed}:{label}:".encode()
        self._counter = 0
        self._buf: list[int] = []

    def _next64(self) -> int:
        if not self._buf:
            block = hashlib.sha256(self._prefix + str(self._counter).encode()).digest()
            self._counter += 1
            # four big-endian 64-bit integers, consumed in order
            self._buf = [int.from_bytes(block[i:i + 8], "big") for i in (24, 16, 8, 0)]
        return self._buf.pop()

    def uniform(self, n: int) -> int:
        """A uniform integer in [0, n) by rejection sampling."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _TWO64 - (_TWO64 % n)
        while True:
            v = self._next64()
            if v < limit:
                return v % n


def partial_shuffle(items: list[T], k: int, stream: Stream) -> list[T]:
    """The first ``k`` elements of a Fisher–Yates shuffle of ``items``:
    for i in 0..k-1: j = i + uniform(n - i); swap(i, j); take items[i].

    ``items`` is not modified: the swaps are kept in a dict, so the cost is
    O(k) whatever the size of the list.
    """
    n = len(items)
    if k > n:
        raise ValueError("k > n")
    swapped: dict[int, T] = {}
    out: list[T] = []
    for i in range(k):
        j = i + stream.uniform(n - i)
        vi = swapped.get(i, items[i])
        vj = swapped.get(j, items[j])
        swapped[j] = vi
        out.append(vj)
    return out


# --------------------------------------------------------------- quotas


def proportional_quotas(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Largest-remainder (Hamilton) allocation of ``total`` over strata.

    Exact share q_s = total * N_s / N; each stratum gets floor(q_s); the
    remaining units go one each to the strata with the largest fractional
    parts, ties broken by stratum key (ascending, code-point order).
    """
    n = sum(sizes.values())
    if total > n:
        raise DrawError(f"抽取数量（{total}）超过符合条件的检查对象数（{n}）")
    if n == 0:
        return {key: 0 for key in sizes}
    base = {key: total * size // n for key, size in sizes.items()}
    left = total - sum(base.values())
    # fractional part of q_s is ((total * N_s) mod N) / N: compare the numerators exactly
    by_remainder = sorted(sizes, key=lambda key: (-((total * sizes[key]) % n), key))
    for key in by_remainder[:left]:
        base[key] += 1
    return base


def sample_total(pool_size: int, *, size: int | None = None, ratio: str | None = None) -> int:
    """The number to draw: ``size``, or ceil(pool_size * ratio) (ratio as a decimal string)."""
    if size is not None:
        return size
    assert ratio is not None, "sample_total needs a size or a ratio"
    frac = Fraction(ratio)
    return -((-frac.numerator * pool_size) // frac.denominator)


def quotas_from_params(sample: dict, sizes: dict[str, int]) -> dict[str, int]:
    """The quota of every stratum (``sizes``: key -> objects), from the committed
    ``sample`` of ``params.json``: ``{"mode": "explicit", "quotas": {key: k}}``
    (a stratum not named gets 0) or ``{"mode": "proportional", "size": k}`` /
    ``{"mode": "proportional", "ratio": "0.05"}`` (largest remainder of the
    total). Raises ``DrawError`` when the quotas cannot be met."""
    mode = sample.get("mode")
    if mode == "explicit":
        named = {str(k): int(v) for k, v in (sample.get("quotas") or {}).items()}
        unknown = sorted(k for k, v in named.items() if v and k not in sizes)
        if unknown:
            raise DrawError(f"分层“{unknown[0]}”没有符合条件的检查对象，不能抽取{named[unknown[0]]}户")
        for key, k in sorted(named.items()):
            if k < 0 or k > sizes.get(key, 0):
                raise DrawError(f"分层“{key}”的抽取数量（{k}）超过该层符合条件的检查对象数（{sizes.get(key, 0)}）")
        return {key: named.get(key, 0) for key in sizes}
    if mode == "proportional":
        size, ratio = sample.get("size"), sample.get("ratio")
        if (size is None) == (ratio is None):
            raise DrawError("抽取参数有误：应有抽取数量或抽取比例之一")
        total = sample_total(sum(sizes.values()), size=None if size is None else int(size),
                             ratio=None if ratio is None else str(ratio))
        return proportional_quotas(sizes, total)
    raise DrawError(f"抽取参数有误：未知的配额方式 {mode!r}")


# ---------------------------------------------------------------- pools


class PoolObject(NamedTuple):
    code: str
    stratum: str
    org_unit: str = ""


class PoolInspector(NamedTuple):
    cert: str
    unit: str = ""
    fields: str = ""


@dataclass
class Pools:
    objects: list[PoolObject]
    inspectors: list[PoolInspector]
    recusals: list[tuple[str, str, str]]  # (cert, "E"|"U", target)

    def strata(self) -> dict[str, list[str]]:
        """Stratum key -> credit codes in canonical order; keys sorted."""
        out: dict[str, list[str]] = {}
        for o in self.objects:
            out.setdefault(o.stratum, []).append(o.code)
        return dict(sorted(out.items()))


def _clean_field(value: str) -> str:
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def object_lines(objects: Iterable[PoolObject]) -> Iterator[bytes]:
    for o in objects:
        yield f"{o.code}\t{_clean_field(o.stratum)}\t{o.org_unit}\n".encode()


def inspector_lines(inspectors: Iterable[PoolInspector]) -> Iterator[bytes]:
    for i in inspectors:
        yield f"{_clean_field(i.cert)}\t{i.unit}\t{_clean_field(i.fields)}\n".encode()


def recusal_lines(recusals: Iterable[tuple[str, str, str]]) -> Iterator[bytes]:
    for cert, kind, target in recusals:
        yield f"{_clean_field(cert)}\t{kind}\t{target}\n".encode()


def write_file(path, lines: Iterable[bytes]) -> str:
    """Write lines (or blocks of lines) to ``path`` — gzip-compressed when the
    name ends with ``.gz`` — and return the SHA-256 of the uncompressed bytes."""
    h = hashlib.sha256()
    opener = (lambda: gzip.open(path, "wb", compresslevel=1)) if str(path).endswith(".gz") else (
        lambda: open(path, "wb"))
    with opener() as f:
        buf = []
        size = 0
        for line in lines:
            buf.append(line)
            size += len(line)
            if size > 1 << 20:
                chunk = b"".join(buf)
                h.update(chunk)
                f.write(chunk)
                buf, size = [], 0
        chunk = b"".join(buf)
        h.update(chunk)
        f.write(chunk)
    return h.hexdigest()


def stored_path(folder, name: str) -> str:
    """The path of pool file ``name`` in ``folder``: the gzip file, or else its uncompressed copy."""
    path = os.path.join(folder, name)
    if not os.path.exists(path) and os.path.exists(os.path.join(folder, plain_name(name))):
        return os.path.join(folder, plain_name(name))
    return path


def read_bytes(path) -> bytes:
    """The uncompressed bytes of a pool file (gzip when the name ends with ``.gz``)."""
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if str(path).endswith(".gz") else data


def compress_file(src, dest) -> None:
    """Write the gzip form ``dest`` of the uncompressed pool file ``src`` (publication, export)."""
    import shutil

    tmp = f"{dest}.tmp"
    with open(src, "rb") as f, gzip.open(tmp, "wb", compresslevel=6) as g:
        shutil.copyfileobj(f, g, 1 << 20)
    os.replace(tmp, dest)


def read_file(path) -> tuple[list[list[str]], str]:
    """The rows (tab-separated fields) of a pool file and the SHA-256 of its uncompressed bytes."""
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    text = raw.decode("utf-8")
    rows = [line.split("\t") for line in text.split("\n") if line]
    return rows, digest


def hash_lines(lines: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line)
    return h.hexdigest()


def load_pools(folder) -> tuple[Pools, dict[str, str]]:
    """Read the three frozen files of a draw folder; return the pools and their hashes."""
    objs, h_obj = read_file(stored_path(folder, OBJECTS_FILE))
    insp, h_insp = read_file(stored_path(folder, INSPECTORS_FILE))
    recs, h_rec = read_file(stored_path(folder, RECUSALS_FILE))
    pools = Pools(
        objects=[PoolObject(*r) if len(r) == 3 else PoolObject(r[0], r[1], "") for r in objs],
        inspectors=[PoolInspector(r[0], r[1] if len(r) > 1 else "", r[2] if len(r) > 2 else "") for r in insp],
        recusals=[(r[0], r[1], r[2]) for r in recs],
    )
    return pools, {"objects": h_obj, "inspectors": h_insp, "recusals": h_rec}


def load_frozen(folder, index: tuple[str, list[tuple[str, int]]] | None = None
                ) -> tuple[FrozenObjects, list[PoolInspector], list[tuple[str, str, str]], dict[str, str]]:
    """Like ``load_pools``, with the objects as a ``FrozenObjects``. ``index``:
    (SHA-256 of ``STRATA_FILE``, [(stratum key, size)] in key order) when the
    freeze wrote that file; the object file is then hashed, not split. The
    hash of the index file is reported as ``hashes["strata"]`` (the objects
    are empty when it differs)."""
    raw = read_bytes(stored_path(folder, OBJECTS_FILE))
    hashes = {"objects": hashlib.sha256(raw).hexdigest()}
    if index is not None:
        with open(os.path.join(folder, STRATA_FILE), "rb") as f:
            idx = f.read()
        hashes["strata"] = hashlib.sha256(idx).hexdigest()
        objects = FrozenObjects()
        if hashes["strata"] == index[0]:
            try:
                objects = FrozenObjects.from_index(raw, idx, index[1])
            except ValueError:  # the object file changed under its index: its own hash says so
                hashes["strata"] = ""
    else:
        objects = FrozenObjects(raw)
    del raw
    insp, hashes["inspectors"] = read_file(stored_path(folder, INSPECTORS_FILE))
    recs, hashes["recusals"] = read_file(stored_path(folder, RECUSALS_FILE))
    inspectors = [PoolInspector(r[0], r[1] if len(r) > 1 else "", r[2] if len(r) > 2 else "") for r in insp]
    return objects, inspectors, [(r[0], r[1], r[2]) for r in recs], hashes


# ----------------------------------------------------------------- draw


@dataclass
class Selected:
    position: int
    code: str
    stratum: str
    team: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"position": self.position, "credit_code": self.code, "stratum": self.stratum,
                "team": list(self.team)}


class Recusals:
    """Who is recused from which object, for fast lookups."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]):
        self.by_object: dict[str, set[str]] = {}
        self.by_unit: dict[str, set[str]] = {}
        for cert, kind, target in rows:
            (self.by_object if kind == "E" else self.by_unit).setdefault(target, set()).add(cert)

    def for_object(self, code: str, org_unit: str) -> set[str]:
        a = self.by_object.get(code)
        b = self.by_unit.get(org_unit) if org_unit else None
        if a and b:
            return a | b
        return a or b or set()


def team_candidates(certs: list[str], recused: set[str]) -> list[str]:
    return [c for c in certs if c not in recused] if recused else certs


def check_teams_possible(pools: Pools, team_size: int) -> list[tuple[str, int]]:
    """Objects that would have fewer than ``team_size`` eligible inspectors (code, available)."""
    certs = [i.cert for i in pools.inspectors]
    rec = Recusals(pools.recusals)
    short = []
    n = len(certs)
    if n < team_size:
        return [(o.code, n) for o in pools.objects[:20]] or [("", n)]
    cert_set = set(certs)
    for o in pools.objects:
        recused = rec.for_object(o.code, o.org_unit)
        if recused:
            available = n - len(recused & cert_set)
            if available < team_size:
                short.append((o.code, available))
    return short


def _select_objects(final: str, strata: dict[str, list[T]], quotas: dict[str, int]) -> list[tuple[str, T]]:
    """(stratum key, item) of the selected objects: strata in key order, ``quota``
    steps of a partial Fisher–Yates shuffle of each stratum's canonical list."""
    unknown = set(quotas) - set(strata)
    if any(quotas[k] for k in unknown):
        raise DrawError(f"配额中的分层在冻结名录中不存在：{'、'.join(sorted(unknown))}")
    out: list[tuple[str, T]] = []
    for key, items in strata.items():
        k = quotas.get(key, 0)
        if k > len(items):
            raise DrawError(f"分层“{key}”的抽取数量（{k}）超过该层检查对象数（{len(items)}）")
        out.extend((key, item) for item in partial_shuffle(items, k, Stream(final, f"objects:{key}")))
    return out


def _draw_teams(final: str, selected: list[Selected], org_unit: dict[str, str], certs: list[str],
                recusals: Iterable[tuple[str, str, str]], team_size: int) -> None:
    rec = Recusals(recusals)
    for s in selected:
        candidates = team_candidates(certs, rec.for_object(s.code, org_unit.get(s.code, "")))
        if len(candidates) < team_size:
            raise DrawError(f"检查对象{s.code}回避后可抽取的检查人员不足{team_size}人")
        s.team = partial_shuffle(candidates, team_size, Stream(final, f"team:{s.code}"))


def run(final: str, pools: Pools, quotas: dict[str, int], team_size: int) -> list[Selected]:
    """The draw: objects per stratum (in key order), then a team for each.

    Deterministic in (final seed, pools, quotas, team size).
    """
    picked = _select_objects(final, pools.strata(), quotas)
    selected = [Selected(i, code, key) for i, (key, code) in enumerate(picked, start=1)]
    org_unit: dict[str, str] = {}
    if pools.recusals:
        wanted = {s.code for s in selected}
        org_unit = {o.code: o.org_unit for o in pools.objects if o.code in wanted}
    _draw_teams(final, selected, org_unit, [i.cert for i in pools.inspectors], pools.recusals, team_size)
    return selected


class FrozenObjects:
    """The frozen object file read with as little parsing as a draw needs.

    The lines are split once (bytes, canonical order); a line is decoded only
    when it is selected or looked up. Equivalent to ``Pools.strata()`` for
    files written by ``object_lines`` (every line has at least two fields).
    """

    def __init__(self, raw: bytes | None = None):
        self.lines: list[bytes] = []
        self._strata: dict[str, list[bytes]] | None = None
        if raw is not None:
            self.lines = _split_lines(raw)

    @classmethod
    def from_index(cls, raw: bytes, index: bytes, sizes: list[tuple[str, int]]) -> FrozenObjects:
        """From the object file, ``STRATA_FILE`` and the (key, size) list of the freeze, in key order."""
        from array import array

        offsets = array("Q")
        offsets.frombytes(index)
        if len(offsets) != sum(n for _k, n in sizes):
            raise ValueError("分层索引文件与冻结时的对象数不符")
        self = cls()
        self._strata = {}
        pos = 0
        for key, n in sizes:
            # a read-only stand-in for the list: lines are cut from ``raw`` only when read
            group = self._strata[key] = _OffsetLines(raw, offsets[pos:pos + n])  # type: ignore[assignment]
            pos += n
            for i in (0, n - 1) if n else ():
                o = group.offsets[i]
                if o >= len(raw) or (o and raw[o - 1] != 10) or group[i].split(b"\t")[1].decode("utf-8") != key:
                    raise ValueError(f"分层索引文件与冻结时的分层“{key}”不符")
        return self

    def strata(self) -> dict[str, list[bytes]]:
        """Stratum key -> lines in canonical order; keys sorted."""
        if self._strata is None:
            groups: dict[bytes, list[bytes]] = {}
            get = groups.get
            for line in self.lines:
                i = line.index(b"\t") + 1
                j = line.find(b"\t", i)
                key = line[i:j] if j >= 0 else line[i:]
                group = get(key)
                if group is None:
                    group = groups[key] = []
                group.append(line)
            self._strata = dict(sorted((k.decode("utf-8"), v) for k, v in groups.items()))
        return self._strata

    def sizes(self) -> dict[str, int]:
        return {key: len(lines) for key, lines in self.strata().items()}

    def line_of(self, code: str) -> bytes | None:
        """The frozen line of the object ``code`` (binary search: lines are sorted by code)."""
        from bisect import bisect_left

        prefix = code.encode("utf-8") + b"\t"
        for lines in ([self.lines] if self.lines else self.strata().values()):
            i = bisect_left(lines, prefix)
            if i < len(lines) and lines[i].startswith(prefix):
                return lines[i]
        return None


class _OffsetLines:
    """The lines of ``raw`` starting at ``offsets``, as a read-only sequence (decoded on access)."""

    def __init__(self, raw: bytes, offsets):
        self.raw, self.offsets = raw, offsets

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, i: int) -> bytes:
        o = self.offsets[i]
        return self.raw[o:self.raw.index(b"\n", o)]


def _split_lines(raw: bytes) -> list[bytes]:
    lines = raw.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    if b"\n\n" in raw or raw.startswith(b"\n"):
        lines = [line for line in lines if line]
    return lines


def run_frozen(final: str, objects: FrozenObjects, inspectors: list[PoolInspector],
               recusals: list[tuple[str, str, str]], quotas: dict[str, int], team_size: int) -> list[Selected]:
    """``run`` on a ``FrozenObjects``: the same selection, parsing only the selected lines."""
    picked = _select_objects(final, objects.strata(), quotas)
    selected: list[Selected] = []
    org_unit: dict[str, str] = {}
    for i, (key, line) in enumerate(picked, start=1):
        fields = line.decode("utf-8").split("\t")
        selected.append(Selected(i, fields[0], key))
        org_unit[fields[0]] = fields[2] if len(fields) == 3 else ""
    _draw_teams(final, selected, org_unit, [i.cert for i in inspectors], recusals, team_size)
    return selected


# --------------------------------------------------------------- receipt


def canonical_json(data) -> str:
    """``json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\\n"``.

    The selection of a large draw (tens of thousands of entries) is rendered
    by ``_selection_json`` — the same characters, without the slow indenting
    encoder; anything else goes through ``json.dumps``."""
    selection = data.get("selection") if isinstance(data, dict) else None
    if selection and all(type(k) is str for k in data) and _plain_selection(selection):
        token = "\x00selection\x00"
        text = json.dumps({**data, "selection": token}, ensure_ascii=False, sort_keys=True, indent=1)
        quoted = json.dumps(token, ensure_ascii=False)
        if text.count(quoted) == 1:
            return text.replace(quoted, _selection_json(selection)) + "\n"
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _plain_selection(selection) -> bool:
    keys = {"credit_code", "position", "stratum", "team"}
    return isinstance(selection, list) and all(
        type(s) is dict and s.keys() == keys and type(s["credit_code"]) is str and type(s["stratum"]) is str
        and type(s["position"]) is int and type(s["team"]) is list and all(type(c) is str for c in s["team"])
        for s in selection)


def _selection_json(selection: list[dict]) -> str:
    """The selection list as ``json.dumps(..., indent=1)`` renders it at depth 1."""
    from json.encoder import encode_basestring as q

    items = []
    for s in selection:
        team = ("[\n" + ",\n".join("    " + q(c) for c in s["team"]) + "\n   ]") if s["team"] else "[]"
        items.append(f'  {{\n   "credit_code": {q(s["credit_code"])},\n   "position": {s["position"]},\n'
                     f'   "stratum": {q(s["stratum"])},\n   "team": {team}\n  }}')
    return "[\n" + ",\n".join(items) + "\n ]"


def build_receipt(*, task: dict, commitment_hex: str, committed_at: str, seed: str, witness_input: str,
                  final: str, pools: dict, strata: list[dict], quota_mode: str, team_size: int,
                  selected: list[Selected], drawn_at: str, live_pool: dict | None = None) -> dict:
    """A ``fazhi-draw/1`` receipt (draws frozen before version 2; kept for them)."""
    return {
        "algorithm": ALGORITHM_V1,
        "task": task,
        "commitment": commitment_hex,
        "committed_at": committed_at,
        "seed": seed,
        "witness_input": witness_input,
        "final_seed": final,
        "pools": pools,
        "strata": strata,
        "quota_mode": quota_mode,
        "team_size": team_size,
        "drawn_at": drawn_at,
        "live_pool": live_pool or {"changed": False, "note": ""},
        "selection": [s.as_dict() for s in selected],
    }


def witness_entry(position: int, name: str, capacity: str, kind: str, *, commitment: str = "",
                  source: str = "") -> dict:
    """A witness as ``params.json`` lists it (the receipt adds ``value``)."""
    return {"position": position, "name": name, "capacity": capacity, "kind": kind, "commitment": commitment,
            "source": source}


def build_params(*, subject: dict, objects_filter: dict, stratify_by: list[str], sample: dict, team_size: int,
                 counts: dict[str, int], sizes: dict[str, int], witnesses: list[dict]) -> dict:
    """``params.json`` (``fazhi-draw/2``): everything a draw depends on besides
    the pool files and the seeds, fixed at the freeze and bound into its
    commitment. ``counts``: lines of each pool file; ``sizes``: stratum -> objects."""
    return {
        "algorithm": ALGORITHM_VERSION,
        "subject": subject,
        "objects_filter": objects_filter,
        "stratify_by": list(stratify_by),
        "sample": sample,
        "team_size": team_size,
        "pools": {name: counts[name] for name in ("objects", "inspectors", "recusals")},
        "strata": [{"key": key, "size": sizes[key]} for key in sorted(sizes)],
        "witnesses": witnesses,
    }


def build_receipt_v2(*, params: dict, hashes: dict[str, str], commitment_hex: str, committed_at: str,
                     server_commitment: str, seed: str, witnesses: list[dict], final: str, quotas: dict[str, int],
                     selected: list[Selected], drawn_at: str, live_pool: dict | None = None) -> dict:
    """The ``fazhi-draw/2`` receipt: the parameters' summary, the commitments
    and revealed values, the files' hashes and the selection. ``witnesses``:
    the params entries with their revealed ``value``."""
    files = {"objects": OBJECTS_FILE, "inspectors": INSPECTORS_FILE, "recusals": RECUSALS_FILE,
             "params": PARAMS_FILE}
    counts = dict(params["pools"], params=1)
    return {
        "algorithm": ALGORITHM_VERSION,
        "subject": params["subject"],
        "commitment": commitment_hex,
        "committed_at": committed_at,
        "server_commitment": server_commitment,
        "seed": seed,
        "witnesses": witnesses,
        "final_seed": final,
        "pools": {name: {"file": files[name], "sha256": hashes[name], "count": counts[name]} for name in files},
        "strata": [{"key": s["key"], "size": s["size"], "quota": quotas[s["key"]]} for s in params["strata"]],
        "quota_mode": params["sample"]["mode"],
        "team_size": params["team_size"],
        "drawn_at": drawn_at,
        "live_pool": live_pool or {"changed": False, "note": ""},
        "selection": [s.as_dict() for s in selected],
    }


# ----------------------------------------------------------------- verify


def verify_folder(folder, expected_commitment: str | None = None) -> str | None:
    """Recompute a draw from an exported folder. None when it matches, else
    the first difference (Chinese). Reads only files.

    ``expected_commitment``: the commitment published at the freeze (portal,
    audit log); the receipt must carry exactly it. Without it the verifier
    proves the draw follows from the receipt's commitment — compare that one
    with the published value yourself."""
    path = os.path.join(folder, RECEIPT_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            receipt = json.load(f)
    except (OSError, ValueError) as exc:
        return f"无法读取 {RECEIPT_FILE}：{exc}"
    if not isinstance(receipt, dict) or receipt.get("algorithm") not in ALGORITHMS:
        got = receipt.get("algorithm") if isinstance(receipt, dict) else None
        return f"算法版本不符：凭证为 {got!r}，本程序支持 {'、'.join(ALGORITHMS)}"
    if expected_commitment is not None and receipt.get("commitment") != expected_commitment.strip().lower():
        return f"承诺值不符：凭证为 {receipt.get('commitment')}，冻结时公开的承诺值为 {expected_commitment.strip()}"
    try:
        if receipt["algorithm"] == ALGORITHM_V1:
            return _verify_v1(folder, receipt)
        return _verify_v2(folder, receipt)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return f"凭证或参数文件格式有误：{type(exc).__name__} {exc}"


def _read_pools(folder) -> tuple[Pools, dict[str, str]] | str:
    try:
        return load_pools(folder)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, IndexError) as exc:
        return f"无法读取名录文件：{exc}"


def _pool_hashes_differ(receipt: dict, hashes: dict[str, str]) -> str | None:
    for name in ("objects", "inspectors", "recusals"):
        want = receipt["pools"][name]["sha256"]
        if hashes[name] != want:
            return f"名录文件 {name} 的哈希不符：文件为 {hashes[name]}，凭证为 {want}"
    return None


def _selection_differs(final: str, pools: Pools, quotas: dict[str, int], team_size: int, got: list) -> str | None:
    try:
        selected = run(final, pools, quotas, team_size)
    except DrawError as exc:
        return exc.message
    for i, s in enumerate(selected):
        if i >= len(got):
            return f"凭证缺少第 {i + 1} 个抽中对象（应为 {s.code}）"
        if s.as_dict() != got[i]:
            return f"第 {i + 1} 个抽中结果不符：重算为 {json.dumps(s.as_dict(), ensure_ascii=False)}，" \
                   f"凭证为 {json.dumps(got[i], ensure_ascii=False)}"
    if len(got) > len(selected):
        return f"凭证多出抽中对象：{json.dumps(got[len(selected)], ensure_ascii=False)}"
    return None


def _verify_v1(folder, receipt: dict) -> str | None:
    """``fazhi-draw/1``: the quotas are the receipt's own (only proportional ones
    are recomputed) — they were public at the freeze but not committed."""
    if commitment(receipt["seed"]) != receipt["commitment"]:
        return "种子与承诺值不符：sha256(seed) ≠ commitment"
    final = final_seed(receipt["seed"], receipt["witness_input"])
    if final != receipt["final_seed"]:
        return f"最终种子不符：应为 {final}，凭证为 {receipt['final_seed']}"
    loaded = _read_pools(folder)
    if isinstance(loaded, str):
        return loaded
    pools, hashes = loaded
    differs = _pool_hashes_differ(receipt, hashes)
    if differs:
        return differs
    sizes = {key: len(codes) for key, codes in pools.strata().items()}
    strata = receipt["strata"]
    for s in strata:
        if sizes.get(s["key"], 0) != s["size"]:
            return f"分层“{s['key']}”的对象数不符：名录为 {sizes.get(s['key'], 0)}，凭证为 {s['size']}"
    quotas = {s["key"]: s["quota"] for s in strata}
    if receipt["quota_mode"] == "proportional":
        expected = proportional_quotas(sizes, sum(quotas.values()))
        for key in sorted(expected):
            if expected[key] != quotas.get(key, 0):
                return f"分层“{key}”的配额不符：按比例分配应为 {expected[key]}，凭证为 {quotas.get(key, 0)}"
    return _selection_differs(final, pools, quotas, int(receipt["team_size"]), receipt["selection"])


def _verify_v2(folder, receipt: dict) -> str | None:
    """``fazhi-draw/2``: every input is checked against the commitment, and the
    quotas, team size and witnesses come from the committed ``params.json``,
    not from the receipt (which must agree with them)."""
    try:
        raw = read_bytes(os.path.join(folder, PARAMS_FILE))
    except OSError as exc:
        return f"无法读取冻结参数文件 {PARAMS_FILE}：{exc}"
    loaded = _read_pools(folder)
    if isinstance(loaded, str):
        return loaded
    pools, hashes = loaded
    hashes["params"] = hashlib.sha256(raw).hexdigest()
    if hashes["params"] != receipt["pools"]["params"]["sha256"]:
        return f"冻结参数文件 {PARAMS_FILE} 的哈希不符：文件为 {hashes['params']}，" \
               f"凭证为 {receipt['pools']['params']['sha256']}"
    differs = _pool_hashes_differ(receipt, hashes)
    if differs:
        return differs
    again = freeze_commitment(receipt["server_commitment"], hashes)
    if again != receipt["commitment"]:
        return f"承诺值不符：由服务器种子承诺值、名录和参数文件的哈希重算为 {again}，凭证为 {receipt['commitment']}"
    if commitment(receipt["seed"]) != receipt["server_commitment"]:
        return "服务器种子与其承诺值不符：sha256(seed) ≠ server_commitment"
    params = json.loads(raw.decode("utf-8"))
    if params.get("algorithm") != ALGORITHM_VERSION:
        return f"冻结参数文件的算法版本不符：{params.get('algorithm')!r}"
    committed, revealed = params["witnesses"], receipt["witnesses"]
    if len(committed) != len(revealed):
        return f"监督人数不符：冻结参数为 {len(committed)} 人，凭证为 {len(revealed)} 人"
    for w, r in zip(committed, revealed, strict=True):
        for key in ("position", "name", "capacity", "kind", "commitment", "source"):
            if w.get(key) != r.get(key):
                return f"第 {w['position']} 位监督人的 {key} 与冻结参数不符：参数为 {w.get(key)!r}，凭证为 {r.get(key)!r}"
        if w["kind"] not in (WITNESS_SECRET, WITNESS_PUBLIC):
            return f"第 {w['position']} 位监督人的方式无效：{w['kind']!r}"
        value = r.get("value")
        if not isinstance(value, str) or not value:
            return f"第 {w['position']} 位监督人（{w['name']}）没有揭示值"
        if w["kind"] == WITNESS_SECRET and commitment(value) != w["commitment"]:
            return f"第 {w['position']} 位监督人（{w['name']}）揭示的秘密值与其冻结前的承诺值不符"
    final = combine(receipt["commitment"], receipt["seed"], [r["value"] for r in revealed])
    if final != receipt["final_seed"]:
        return f"最终种子不符：应为 {final}，凭证为 {receipt['final_seed']}"
    counts = {"objects": len(pools.objects), "inspectors": len(pools.inspectors), "recusals": len(pools.recusals)}
    for name, n in counts.items():
        if params["pools"][name] != n:
            return f"名录文件 {name} 的行数不符：文件为 {n}，冻结参数为 {params['pools'][name]}"
    sizes = {key: len(codes) for key, codes in pools.strata().items()}
    committed_sizes = {s["key"]: s["size"] for s in params["strata"]}
    for key in sorted(set(sizes) | set(committed_sizes)):
        if sizes.get(key, 0) != committed_sizes.get(key, 0):
            return f"分层“{key}”的对象数不符：名录为 {sizes.get(key, 0)}，冻结参数为 {committed_sizes.get(key, 0)}"
    try:
        quotas = quotas_from_params(params["sample"], sizes)
    except DrawError as exc:
        return exc.message
    shown = {s["key"]: s for s in receipt["strata"]}
    for key in sorted(set(quotas) | set(shown)):
        got = shown.get(key, {})
        if got.get("quota") != quotas.get(key) or got.get("size") != sizes.get(key):
            return f"分层“{key}”的配额不符：按冻结参数应为 {quotas.get(key)}（对象数 {sizes.get(key)}），" \
                   f"凭证为 {got.get('quota')}（对象数 {got.get('size')}）"
    if receipt["quota_mode"] != params["sample"]["mode"]:
        return f"配额方式不符：冻结参数为 {params['sample']['mode']}，凭证为 {receipt['quota_mode']}"
    if receipt["team_size"] != params["team_size"]:
        return f"每组人数不符：冻结参数为 {params['team_size']}，凭证为 {receipt['team_size']}"
    return _selection_differs(final, pools, quotas, int(params["team_size"]), receipt["selection"])
