import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site, Workflow

from countries.models import CountryIndexPage
from models_infra.models import InfrastructureModelIndexPage
from portal.models import ContentPage, HomePage
from portal.services import editorial_setup_ensure, site_tree_ensure

pytestmark = pytest.mark.django_db


def test_setup_builds_home_sections_and_generic_pages(site_tree):
    """The site tree has one home page with the country and model indexes and the generic pages."""
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == site_tree
    assert isinstance(site_tree, HomePage)
    assert CountryIndexPage.objects.get().url_path.endswith("/landen/")
    assert InfrastructureModelIndexPage.objects.get().url_path.endswith("/kennisinfrastructuur/")
    assert set(ContentPage.objects.values_list("slug", flat=True)) == {"over", "toegankelijkheid", "privacy"}


def test_setup_is_idempotent(site_tree):
    """Running the set-up again creates nothing new and keeps editors' changes."""
    about = ContentPage.objects.get(slug="over")
    about.title = "Over ons (bewerkt)"
    about.save_revision().publish()
    pages_before = Page.objects.count()

    home = site_tree_ensure(hostname="testserver")
    editorial_setup_ensure(home=home)

    assert Page.objects.count() == pages_before
    assert ContentPage.objects.get(slug="over").title == "Over ons (bewerkt)"
    assert Workflow.objects.filter(name="Redactie en publicatie").count() == 1
    assert Group.objects.filter(name__in=["Redacteuren", "Hoofdredactie"]).count() == 2


def test_placeholder_welcome_page_is_replaced(site_tree):
    """Wagtail's own welcome page does not survive the set-up."""
    assert not Page.objects.filter(title__icontains="Welcome").exists()
