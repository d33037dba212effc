"""The theme hubs and the gap map. ``portal.urls`` includes them in the knowledge base's
namespace, so their names stay "knowledgebase:theme_detail", "knowledgebase:gap_map" and so
on. ``themas/kaart/`` comes before ``themas/<slug>/``, which would take it otherwise."""

from django.urls import path

from . import views

urlpatterns = [
    path("themas/kaart/", views.gap_map, name="gap_map"),
    path("themas/kaart.csv", views.gap_map_csv, name="gap_map_csv"),
    path("themas/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
