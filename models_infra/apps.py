from django.apps import AppConfig


class ModelsInfraConfig(AppConfig):
    name = "models_infra"
    verbose_name = "Kennisinfrastructuur"
