"""``/zoeken/`` and its downloads. ``portal.urls`` includes them in the knowledge base's
namespace, so their names stay "knowledgebase:search" and so on."""

from django.urls import path

from . import views

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("zoeken/export.csv", views.export_studies, {"fmt": "csv"}, name="search_export_csv"),
    path("zoeken/export.ris", views.export_studies, {"fmt": "ris"}, name="search_export_ris"),
    path("zoeken/export.bib", views.export_studies, {"fmt": "bib"}, name="search_export_bib"),
    path("zoeken/export.json", views.export_studies, {"fmt": "json"}, name="search_export_json"),
    path("zoeken/bevindingen.csv", views.export_findings, name="search_export_findings"),
]
