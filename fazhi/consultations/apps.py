from django.apps import AppConfig

from fazhi.core.manifest import Manifest

# A shared app: no menu and no permissions of its own. Who may act on a
# consultation is the owning module's permission (its ``services.Policy``).
MANIFEST = Manifest(label="consultations", title="公开征求意见")


class ConsultationsConfig(AppConfig):
    name = "fazhi.consultations"
    label = "consultations"
    verbose_name = "公开征求意见"

    def ready(self):
        from fazhi.consultations.models import Consultation
        from fazhi.consultations.services import policy_of
        from fazhi.core import privacy
        from fazhi.org import access

        def can_decide(user, c):
            p = policy_of(c)
            return access.allowed(user, p.permission, p.owner_unit(c.owner))

        # The adoption summary publishes the comments and answers: checked for personal data (core.privacy).
        privacy.register(
            Consultation, texts=lambda c: privacy.consultation_texts(c.summary, c.comments.all()),
            can_decide=can_decide, page=lambda c: policy_of(c).owner_page(c),
            title=lambda c: f"{c.owner.title} 征求意见",
            queryset=lambda: Consultation.objects.select_related("doc__unit", "decision__unit",
                                                                 "decision__sponsor_unit"))
