from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("vergelijken/", views.compare, name="compare"),
    path("vergelijken/csv/", views.compare_csv, name="compare_csv"),
    path("vergelijken/modellen/", views.compare_models, name="compare_models"),
    path("vergelijken/sectie/<slug:slug>/", views.compare_section, name="compare_section"),
]
