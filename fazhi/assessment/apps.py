from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(
    label="assessment",
    title="考核评价",
)


class AssessmentConfig(AppConfig):
    name = "fazhi.assessment"
    label = "assessment"
    verbose_name = "考核评价"
