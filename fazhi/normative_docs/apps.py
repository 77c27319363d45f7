from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(label="normative_docs", title="行政规范性文件")


class NormativeDocsConfig(AppConfig):
    name = "fazhi.normative_docs"
    label = "normative_docs"
    verbose_name = "行政规范性文件"
