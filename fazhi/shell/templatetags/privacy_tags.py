"""{% privacy_pending record form %}: the personal data in a record's text (and in
the text typed into ``form``, when bound) that nobody has decided yet, each with
the buttons to decide it (``fazhi.shell.privacy_views``)."""

from django import forms as django_forms
from django import template

from fazhi.core import privacy

register = template.Library()


@register.inclusion_tag("shell/_privacy_pending.html", takes_context=True)
def privacy_pending(context, record, form=None):
    s = privacy.subject_of(privacy.label_of(record))
    texts = dict(s.texts(record))
    if form is not None and form.is_bound:
        for name, field in form.fields.items():
            if isinstance(field, django_forms.CharField):
                texts[f"填写的{field.label}"] = form.data.get(form.add_prefix(name), "")
    pending, seen = [], set()
    for f in privacy.pending(record, texts):
        if f.hit.key not in seen:
            seen.add(f.hit.key)
            pending.append(f)
    request = context.get("request")
    return {"pending": pending, "label": privacy.label_of(record), "pk": record.pk,
            "next": request.get_full_path() if request else s.page(record), "csrf_token": context.get("csrf_token")}
