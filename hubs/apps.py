from django.apps import AppConfig


class HubsConfig(AppConfig):
    """The pages that compose several apps (the theme hubs with the countries' facts, the gap
    map, the record sitemaps): above the page apps, below search (docs/architecture.md)."""

    name = "hubs"
    verbose_name = "Overzichten"
