from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search (``/zoeken/``), its index and the cache warm-up: the layer above the page apps."""

    name = "search"
    verbose_name = "Zoeken"

    def ready(self):
        # Registers the tasks in every process, the web's too: knowledgebase.warmup queues the
        # warm-up by its name and cannot import it.
        from . import signals, tasks  # noqa: F401

        signals.connect()
