from django.urls import path

from . import views

# The names are reversed as "knowledgebase:…"; portal.urls includes these patterns with the
# theme hubs and gap map's (hubs.urls) and the search's (search.urls) under that one namespace.
app_name = "knowledgebase"

urlpatterns = [
    path("themas/", views.theme_list, name="theme_list"),
    path("onderzoek/", views.study_list, name="study_list"),
    path("onderzoek/export.csv", views.study_list_export, {"fmt": "csv"}, name="study_export_csv"),
    path("onderzoek/export.ris", views.study_list_export, {"fmt": "ris"}, name="study_export_ris"),
    path("onderzoek/export.bib", views.study_list_export, {"fmt": "bib"}, name="study_export_bib"),
    path("onderzoek/export.json", views.study_list_export, {"fmt": "json"}, name="study_export_json"),
    path("onderzoek/feed.atom", views.study_feed, name="study_feed"),
    path("onderzoek/<slug:slug>/", views.study_detail, name="study_detail"),
    path("onderzoek/<slug:slug>/citeer.ris", views.study_citation, {"fmt": "ris"}, name="study_citation_ris"),
    path("onderzoek/<slug:slug>/citeer.bib", views.study_citation, {"fmt": "bib"}, name="study_citation_bib"),
    path(
        "onderzoek/<slug:slug>/citeer.json", views.study_citation, {"fmt": "json"}, name="study_citation_json"
    ),
    path("bevindingen/", views.finding_list, name="finding_list"),
    path("bevindingen/export.csv", views.finding_list_export, name="finding_export_csv"),
    path("bevindingen/<slug:slug>/", views.finding_detail, name="finding_detail"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("kaders/", views.framework_list, name="framework_list"),
    path("kaders/<slug:slug>/", views.framework_detail, name="framework_detail"),
    path("kaders/<slug:slug>/lens/", views.framework_lens, name="framework_lens"),
    path("kennisagenda/", views.question_list, name="question_list"),
    path("kennisagenda/<int:pk>/", views.question_detail, name="question_detail"),
]
