from django.apps import AppConfig


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = "Kennisbank"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
