"""Where country pages may be created in the page tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from countries.models import CountryIndexPage, CountryPage
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage
from portal.models import ContentPage, HomePage


class CountryPageRulesTests(WagtailPageTestCase):
    def test_country_page_only_under_country_index(self):
        """A country profile can be created under the country index and nowhere else."""
        self.assertCanCreateAt(CountryIndexPage, CountryPage)
        self.assertAllowedParentPageTypes(CountryPage, {CountryIndexPage})
        for parent in [HomePage, ContentPage, InfrastructureModelIndexPage, InfrastructureModelPage]:
            self.assertCanNotCreateAt(parent, CountryPage)

    def test_country_index_only_under_home_and_holds_only_profiles(self):
        """The country index lives under the home page and holds only country profiles."""
        self.assertAllowedParentPageTypes(CountryIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CountryIndexPage, {CountryPage})
        self.assertCanNotCreateAt(Page, CountryIndexPage)

    def test_country_page_has_no_children(self):
        """A country profile is a leaf: nothing can be created under it."""
        self.assertAllowedSubpageTypes(CountryPage, set())
