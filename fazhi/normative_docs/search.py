"""Search of the public library of normative documents.

One entry point, ``search_documents(q, filters=..., public=True)``: words of
the query must each occur in the title or in the document's current text.

On PostgreSQL (migration 0100_search_indexes):

* a term of 3 or more characters is matched with ``LIKE``/``ILIKE '%term%'``,
  answered from GIN trigram indexes (pg_trgm, gin_trgm_ops) on
  ``NormDoc.title`` and ``DocVersion.text``;
* a Chinese term of 1 or 2 characters contains no trigram, so it is matched
  against ``normdocs_bigrams(column)`` — the tsvector of the text's
  character pairs — through GIN expression indexes: ``'行政'`` (an exact
  pair) or ``'税':*`` (pairs starting with the character). Both are exact:
  every character of a text begins one of its pairs;
* other short terms (``5G``) fall back to an unindexed ``ILIKE``.

On SQLite every term is a plain ``icontains``.

Pages are ordered by publication date, newest first, which the partial index
``nd_doc_public_pub`` serves; ``CappedPaginator`` stops counting at
``COUNT_CAP`` matches, so a common word does not make the first page count
the whole library.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet
from django.utils.functional import cached_property

from fazhi.core import tables
from fazhi.normative_docs.models import PUBLIC_STATES, DocVersion, NormDoc, Status

MAX_QUERY_LENGTH = 50
MAX_TERMS = 5
COUNT_CAP = 1000
PAGE_SIZE = 20
PROBE = 2000  # index hits from which a term counts as common
DENSE = 20000  # bigram hits from which a term is counted row by row

# Public status filter: the badge a citizen sees (NormDoc.life_label).
STATUS_CHOICES = ("有效", "已修改", "废止", "失效")

_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")


@dataclass(frozen=True)
class Filters:
    """Validated filters of the library. Unknown or malformed values are ignored."""

    issuer: int | None = None
    year: int | None = None
    status: str = ""

    @classmethod
    def from_params(cls, params) -> "Filters":
        def as_int(value, low, high):
            try:
                n = int(str(value).strip())
            except (TypeError, ValueError):
                return None
            return n if low <= n <= high else None

        status = (params.get("status") or "").strip()
        return cls(
            issuer=as_int(params.get("issuer"), 1, 2**62),
            year=as_int(params.get("year"), 1949, 2200),
            status=status if status in STATUS_CHOICES else "",
        )


def normalize_query(q: str | None) -> str:
    """Whitespace collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join((q or "").split())[:MAX_QUERY_LENGTH]


def terms(q: str | None) -> list[str]:
    """The words of a query (split on spaces), duplicates removed, at most MAX_TERMS."""
    out: list[str] = []
    for t in normalize_query(q).split(" "):
        if t and t not in out:
            out.append(t)
    return out[:MAX_TERMS]


def search_documents(q: str | None, *, filters: Filters | None = None, public: bool = True,
                     today: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Documents matching every word of ``q`` and the filters, newest publication first.

    ``public=True`` (the portal, the public API): only documents that were
    published — drafts and documents in procedure never appear.
    ``today`` is needed only for the status filters 有效/失效 (a published
    document past its validity end date is 失效 even before the nightly job
    marks it).
    """
    qs = queryset if queryset is not None else NormDoc.objects.all()
    if public:
        qs = qs.filter(status__in=PUBLIC_STATES)
    filters = filters or Filters()
    if filters.issuer:
        qs = qs.filter(issuer_id=filters.issuer)
    if filters.year:
        qs = qs.filter(published_on__year=filters.year)
    if filters.status:
        qs = qs.filter(_status_q(filters.status, today))
    text_only = qs
    common = False
    for term in terms(q):
        match, count_q = _term_q(term, qs)
        qs = qs.filter(match)
        common = common or count_q is not None
        text_only = text_only.filter(match if count_q is None else count_q)
    qs = qs.select_related("issuer").order_by("-published_on", "-pk")
    if common:
        # Counting every match of a common word reads every matching text;
        # the text matches alone, counted up to the cap, answer "1000+ 件".
        qs.nd_lower_bound = text_only.order_by()
    return qs


def _status_q(label: str, today: date | None) -> Q:
    if label == "已修改":
        return Q(status=Status.AMENDED)
    if label == "废止":
        return Q(status=Status.REPEALED)
    if today is None:
        raise ValueError("filters 有效/失效 need today")
    lapsed = Q(status=Status.PUBLISHED, valid_until__lt=today)
    if label == "失效":
        return Q(status=Status.EXPIRED) | lapsed
    return Q(status=Status.PUBLISHED) & ~lapsed  # 有效 (including 尚未施行)


# ------------------------------------------------------------------ matching


class _Like(Lookup):
    """``col LIKE/ILIKE '%term%'`` — the form a trigram index answers.

    Django's own ``icontains`` on PostgreSQL is ``UPPER(col) LIKE UPPER(…)``,
    which no index on ``col`` can serve.
    """

    lookup_name = "nd_like"
    operator = "LIKE"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", [*lhs_params, *rhs_params]


class _ILike(_Like):
    lookup_name = "nd_ilike"
    operator = "ILIKE"


class _Bigrams(Lookup):
    """``normdocs_bigrams(col) @@ 'query'::tsquery`` (see migration 0100)."""

    lookup_name = "nd_bigrams"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"normdocs_bigrams({lhs}) @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _column_match(column: str, term: str):
    """A boolean expression: ``column`` contains ``term``."""
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__icontains": term})
    if len(term) <= 2 and _CJK.match(term):
        # Only Chinese characters reach the tsquery, so no quoting issue.
        query = f"'{term}'" if len(term) == 2 else f"'{term}':*"
        return _Bigrams(F(column), query)
    caseless = term.lower() == term.upper()
    return (_Like if caseless else _ILike)(F(column), _like_pattern(term))


def _text_contains(term: str) -> Q:
    """Per-row test of the current text (exact for any length)."""
    if connection.vendor != "postgresql":
        return Q(current_version__text__icontains=term)
    caseless = term.lower() == term.upper()
    return Q((_Like if caseless else _ILike)(F("current_version__text"), _like_pattern(term)))


def _bigram_term(term: str) -> bool:
    return len(term) <= 2 and bool(_CJK.match(term))


def _term_q(term: str, base: QuerySet) -> tuple[Q, Q | None]:
    """The condition "title or current text contains ``term``" and, for a
    common term, a cheaper condition to count "1000+" with (else None).

    On PostgreSQL the indexes are asked first how often the term occurs. A
    rare term (fewer than PROBE versions and titles) comes back as the exact
    id lists: the page is a lookup of a few ids. A common term is tested row
    by row in publication order, which finds the 20 rows of a page after
    reading a few dozen documents. Its count (up to the cap) goes through
    the bigram index when the term has 1–2 Chinese characters and is not
    very frequent (the index answers exactly without reading texts), else
    row by row as well (a frequent term reaches the cap quickly).
    """
    if connection.vendor != "postgresql":
        return Q(title__icontains=term) | Q(current_version__text__icontains=term), None
    in_text = DocVersion.objects.filter(_column_match("text", term)).order_by()
    count_q = _text_contains(term)
    if _bigram_term(term):
        hits = in_text[:DENSE].count()  # exact and cheap: no text is read
        if hits >= PROBE and hits < DENSE:
            count_q = Q(current_version__in=in_text.values("pk"))
    else:
        hits = len(in_text.values_list("pk", flat=True)[:PROBE])
    if hits < PROBE:
        version_ids = list(in_text.values_list("pk", flat=True)[:PROBE])
        doc_ids = list(base.filter(_column_match("title", term)).order_by().values_list("pk", flat=True)[:PROBE])
        if len(doc_ids) < PROBE:
            return Q(pk__in=doc_ids) | Q(current_version_id__in=version_ids), None
    caseless = term.lower() == term.upper()
    title = (_Like if caseless else _ILike)(F("title"), _like_pattern(term))
    return Q(title) | _text_contains(term), count_q


# ------------------------------------------------------------------ paging


class CappedPaginator(tables.CappedPaginator):
    """Counts at most ``cap`` rows: "1000+ 件" instead of counting a common word
    through the whole library. Unlike the kernel's, ``count`` past the cap is
    ``cap + 1`` (the page and the API say "more than"), and a search that
    carries a cheaper lower bound (``nd_lower_bound``) is probed on it first."""

    def __init__(self, object_list, per_page, cap: int = COUNT_CAP, **kw):
        super().__init__(object_list, per_page, limit=cap, **kw)
        self.cap = cap

    @cached_property
    def raw_count(self) -> int:
        lower_bound = getattr(self.object_list, "nd_lower_bound", None)
        if lower_bound is not None:
            n = self.probe(lower_bound)
            if n > self.cap:
                return n
        return self.probe(self.object_list)

    @cached_property
    def count(self) -> int:
        return self.raw_count

    @property
    def capped(self) -> bool:
        return self.truncated


def latest_published(limit: int) -> list:
    """The newest published documents as portal entries (the portal home)."""
    from django.urls import reverse

    from fazhi.core.manifest import PortalEntry

    rows = (NormDoc.objects.filter(status__in=PUBLIC_STATES).select_related("issuer")
            .order_by("-published_on", "-pk")[:limit])
    return [
        PortalEntry(d.title, reverse("normative_docs_portal:detail", args=[d.pk]), d.published_on,
                    note=d.doc_number)
        for d in rows
    ]


def public_issuers() -> list:
    """Units that issued at least one published document (the issuer filter)."""
    from fazhi.org.models import Unit

    return list(Unit.objects.filter(pk__in=NormDoc.objects.filter(status__in=PUBLIC_STATES)
                                    .order_by().values("issuer_id")).order_by("path", "name"))


def public_years() -> list[int]:
    """Publication years present in the library, newest first (the year filter)."""
    from django.db.models import Max, Min

    r = NormDoc.objects.filter(status__in=PUBLIC_STATES).aggregate(lo=Min("published_on"), hi=Max("published_on"))
    if not r["lo"]:
        return []
    return list(range(r["hi"].year, r["lo"].year - 1, -1))
