from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search (``/zoeken/``) and the cache warm-up: the layer above the page apps."""

    name = "search"
