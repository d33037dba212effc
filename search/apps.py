from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search (``/zoeken/``) and the cache warm-up: the layer above the page apps."""

    name = "search"

    def ready(self):
        # Registers the warm-up task in every process, the web's too: knowledgebase.warmup
        # queues it by its name and cannot import it.
        from . import tasks  # noqa: F401
