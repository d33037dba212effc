from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = "Landen"

    def ready(self):
        from . import selectors

        selectors.add_to_theme_hubs()
