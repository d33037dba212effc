from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("vergelijken/", views.compare, name="compare"),
]
