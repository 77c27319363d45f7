"""Reads of 公开征求意见 shared by the owning modules: what the public sees."""

from datetime import date

from fazhi.consultations.models import Comment, Consultation
from fazhi.core import masking, privacy


def accepting(c: Consultation, today: date) -> bool:
    """Whether the portal takes comments on ``today``: open and inside its period."""
    return c.state == Consultation.State.OPEN and c.start_on <= today <= c.end_on


def published_comments(c: Consultation) -> list[Comment]:
    """The comments as the public reads them, once the adoption summary is
    published, in submission order: ``public_name`` (the commenter masked,
    ``fazhi.core.masking``), ``public_content`` and ``public_reason`` (numbers
    and addresses hidden unless a person confirmed them as not personal data,
    ``fazhi.core.privacy``). Contacts never. Empty before the summary."""
    if c.summary_published_on is None:
        return []
    keep = privacy.kept(c)
    out = sorted(c.comments.all(), key=lambda m: (m.submitted_at, m.pk))
    for m in out:
        names = [m.name]
        m.public_name = masking.mask_name(m.name)
        m.public_content = privacy.public_text(m.content, keep=keep, names=names)
        m.public_reason = privacy.public_text(m.reason, keep=keep, names=names)
    return out


def public_rows(c: Consultation) -> list[dict]:
    """``published_comments`` as the portal's table rows
    (``consultations/_adoption.html``)."""
    return [{"article_no": m.article_no, "name": m.public_name, "content": m.public_content,
             "adoption": m.get_adoption_display(), "reason": m.public_reason, "submitted_at": m.submitted_at}
            for m in published_comments(c)]
