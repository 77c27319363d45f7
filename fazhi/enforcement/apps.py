from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(label="enforcement", title="行政执法")


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"
