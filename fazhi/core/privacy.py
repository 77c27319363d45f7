"""Publication of free text: every piece of personal data found is decided by a person first.

Every act that publishes free text (a penalty decision, an inspection result,
the comments and answers of a consultation, …) calls ``publishable(record,
texts, rule=…)`` inside its transaction. ``masking.find_personal_data``
finds ID, bank-card and phone numbers in any spacing or punctuation, and
addresses; while one of them has no decision the act is refused with
``PersonalDataUnconfirmed`` — the refusal names the rule
(政府信息公开条例 art. 15; 个人信息保护法 arts. 25, 34; the module's own row,
e.g. ENF-20) and lists the hits. A person who may publish the record then
decides each hit (``decide``): hide it (``mask``) or keep it because it is
not personal data (``keep``, e.g. a 12345 hotline); each decision is stored
(``core.PrivacyDecision``) and audited in the same transaction. Once every
hit is decided, ``publishable`` returns the texts with the hidden ones
masked, and the public surfaces show text through ``public_text``, which
hides everything the detector finds except the kept values — so a record
published before this check, or text edited afterwards, still shows nothing
unmasked.

Modules tell this module about their published records with ``register`` in
their ``AppConfig.ready()`` (what the record would publish, who may decide,
where its staff page is); the staff review page (``fazhi.shell``) and the
``{% privacy_review record %}`` tag work from that entry.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from fazhi.core import masking
from fazhi.core.actors import Actor
from fazhi.core.errors import NotFound, PermissionDenied, ValidationError

M = TypeVar("M", bound=models.Model)

LAW = "政府信息公开条例第十五条；个人信息保护法第二十五条、第三十四条"
MASK, KEEP = "mask", "keep"


def rule_for(own: str = "") -> str:
    """The rule a refusal names: the module's own row (e.g. ENF-20), then the laws."""
    return f"{own}；{LAW}" if own else LAW


@dataclass(frozen=True)
class Finding:
    """One hit in one field of a record, with the decision taken on it (or None)."""

    field: str  # Chinese label of the text, e.g. 公示内容
    hit: masking.Hit
    decision: str | None

    @property
    def preview(self) -> str:
        return masking.preview(self.hit.kind, self.hit.value)


class PersonalDataUnconfirmed(ValidationError):
    """Publication refused: personal data found that nobody has decided yet."""

    code = "personal_data_unconfirmed"

    def __init__(self, pending: list[Finding], *, rule: str):
        shown = "；".join(f"{f.field}：{f.hit.label} {f.preview}" for f in pending[:20])
        more = f"等{len(pending)}处" if len(pending) > 20 else f"共{len(pending)}处"
        super().__init__(
            f"公开内容含有未经确认的个人信息（{more}）：{shown}。"
            "请逐条确认隐去或确认不属于个人信息后再公开",
            rule=rule,
            fields={f.field: "含未经确认的个人信息" for f in pending},
        )
        self.pending = pending


# ------------------------------------------------------------------ registry


@dataclass(frozen=True)
class Subject:
    """How one kind of published record takes part in the check."""

    model: type[models.Model]
    texts: Callable[[models.Model], dict[str, str]]  # label -> the text it would publish
    can_decide: Callable[[object, models.Model], bool]  # (user, record)
    page: Callable[[models.Model], str]  # the staff page where it is published
    title: Callable[[models.Model], str] = str
    queryset: Callable[[], models.QuerySet] | None = None


_SUBJECTS: dict[str, Subject] = {}


def register(model: type[models.Model], *, texts, can_decide, page, title=str, queryset=None) -> None:
    _SUBJECTS[model._meta.label_lower] = Subject(model, texts, can_decide, page, title, queryset)


def subject_of(label: str) -> Subject:
    try:
        return _SUBJECTS[label]
    except KeyError:
        raise NotFound("公开对象不存在")


def load(label: str, pk) -> tuple[Subject, models.Model]:
    s = subject_of(label)
    qs = s.queryset() if s.queryset else s.model._default_manager.all()
    try:
        return s, qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound("公开对象不存在")


def label_of(obj: models.Model) -> str:
    return obj._meta.label_lower


# ------------------------------------------------------------------- reads


def _decisions(obj: models.Model):
    from fazhi.core.models import PrivacyDecision

    return PrivacyDecision.objects.filter(subject_type=label_of(obj), subject_id=str(obj.pk))


def decisions(obj: models.Model) -> dict[str, str]:
    """key -> mask/keep, for one record."""
    return dict(_decisions(obj).values_list("key", "decision"))


def kept(obj: models.Model) -> set[str]:
    """The keys of the values confirmed not to be personal data, for ``public_text``."""
    return set(_decisions(obj).filter(decision=KEEP).values_list("key", flat=True))


def kept_for(model: type[models.Model], pks: Iterable) -> dict[str, set[str]]:
    """``kept`` for many records of one model in one query: str(pk) -> keys."""
    from fazhi.core.models import PrivacyDecision

    out: dict[str, set[str]] = {}
    for sid, key in PrivacyDecision.objects.filter(
            subject_type=model._meta.label_lower, subject_id__in=[str(pk) for pk in pks],
            decision=KEEP).values_list("subject_id", "key"):
        out.setdefault(sid, set()).add(key)
    return out


def review(obj: models.Model, texts: dict[str, str]) -> list[Finding]:
    """Every hit in ``texts`` with its decision so far (one finding per field and value)."""
    known = decisions(obj)
    out, seen = [], set()
    for field, text in texts.items():
        for hit in masking.find_personal_data(text):
            if (field, hit.key) in seen:
                continue
            seen.add((field, hit.key))
            out.append(Finding(field, hit, known.get(hit.key)))
    return out


def pending(obj: models.Model, texts: dict[str, str] | None = None) -> list[Finding]:
    """The hits nobody has decided yet; ``texts`` default to the registered ones."""
    if texts is None:
        texts = subject_of(label_of(obj)).texts(obj)
    return [f for f in review(obj, texts) if f.decision is None]


def public_text(text: str, *, keep: Iterable[str] = (), names: Iterable[str] = (),
                addresses: Iterable[str] = ()) -> str:
    """Text as every public surface shows it (``masking.redact``)."""
    return masking.redact(text, names=names, addresses=addresses, keep=keep)


def search_shown(qs: models.QuerySet[M], q: str, shown: Callable[[M], Iterable[str]],
                 limit: int = 5000) -> models.QuerySet[M]:
    """Search over what the public sees. ``qs`` is already narrowed by the
    database on the stored text (a superset: the shown text is the stored text
    with parts hidden); ``shown(obj)`` gives the texts as displayed, and only
    rows whose shown text contains ``q`` stay — so a hidden name, ID or phone
    number never finds its row."""
    q = (q or "").strip().lower()
    if not q:
        return qs
    ids = [o.pk for o in qs[:limit] if any(q in (t or "").lower() for t in shown(o))]
    return qs.filter(pk__in=ids)


def consultation_texts(summary: str, comments) -> dict[str, str]:
    """What publishing a consultation's adoption summary publishes: the summary,
    then each comment and its answer, in submission order (shared by normative
    documents, NDOC-04, and major decisions, MDEC-04)."""
    texts = {"采纳情况说明": summary or ""}
    for n, c in enumerate(sorted(comments, key=lambda c: (c.submitted_at, c.pk)), 1):
        texts[f"第{n}条意见"] = c.content
        texts[f"第{n}条意见的答复"] = c.reason
    return texts


# ------------------------------------------------------------------ writes


def publishable(obj: models.Model, texts: dict[str, str], *, rule: str) -> dict[str, str]:
    """The texts as they may be published, or ``PersonalDataUnconfirmed`` while a hit
    is undecided. Call inside the publishing service's transaction, after the lock."""
    findings = review(obj, texts)
    waiting = [f for f in findings if f.decision is None]
    if waiting:
        raise PersonalDataUnconfirmed(waiting, rule=rule)
    masked = {f.hit.key for f in findings if f.decision == MASK}
    return {field: masking.replace_hits(text, [h for h in masking.find_personal_data(text) if h.key in masked])
            for field, text in texts.items()}


@transaction.atomic
def decide(obj: models.Model, *, value: str, decision: str, by: Actor, now=None):
    """Record a person's decision on one value found in ``obj``'s text and audit it.

    ``value`` is the hit as written (any spacing); ``decision`` is ``mask``
    or ``keep``. Only someone who may publish the record decides (the
    registered ``can_decide``); deciding again replaces the earlier decision.
    """
    from fazhi.audit import services as audit
    from fazhi.core.models import PrivacyDecision
    from fazhi.org import access

    s = subject_of(label_of(obj))
    obj = s.model._default_manager.select_for_update().get(pk=obj.pk)
    if not s.can_decide(by, obj):
        raise PermissionDenied("您无权确认该公开内容中的个人信息")
    if decision not in (MASK, KEEP):
        raise ValidationError("请选择“隐去”或“非个人信息”", fields={"decision": "请选择"})
    hits = masking.find_personal_data(value or "")
    if len(hits) != 1:
        raise ValidationError("未识别出需要确认的个人信息", fields={"value": "内容有误"})
    hit = hits[0]
    now = now or timezone.now()
    person = access.person_of(by)
    name = person.name if person else by.get_username() if by is not None else "系统"
    row, created = PrivacyDecision.objects.update_or_create(
        subject_type=label_of(obj), subject_id=str(obj.pk), key=hit.key,
        defaults={"kind": hit.kind, "value": hit.value[:200] if decision == KEEP else "",
                  "preview": masking.preview(hit.kind, hit.value)[:60], "decision": decision,
                  "decided_by": by, "decided_by_name": name, "decided_at": now})
    # The audit trail cannot be erased: it gets the preview, never the value.
    audit.record(obj, "core.personal_data.decided", by=by, data={
        "kind": hit.kind, "preview": row.preview, "decision": decision, "first": created})
    return row


def decide_pending(obj: models.Model, *, decision: str, by: Actor, texts: dict[str, str] | None = None, now=None) -> int:
    """``decide`` every hit still undecided, alike: what the demo data's publishers
    do before publishing (each decision recorded and audited like a click)."""
    keys: dict[str, Finding] = {}
    for f in pending(obj, texts):
        keys.setdefault(f.hit.key, f)
    for f in keys.values():
        decide(obj, value=f.hit.text, decision=decision, by=by, now=now)
    return len(keys)
