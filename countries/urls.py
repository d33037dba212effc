from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("vergelijken/", views.compare, name="compare"),
    path("vergelijken/csv/", views.compare_csv, name="compare_csv"),
    path("vergelijken/modellen/", views.compare_models, name="compare_models"),
    path("vergelijken/sectie/<slug:slug>/", views.compare_section, name="compare_section"),
    path("vergelijken/s/", views.compare_snapshot_create, name="compare_snapshot_create"),
    path("vergelijken/s/<str:snapshot_id>/", views.compare_snapshot, name="compare_snapshot"),
    path(
        "vergelijken/s/<str:snapshot_id>/citeer/<str:fmt>/",
        views.compare_snapshot_cite,
        name="compare_snapshot_cite",
    ),
]
