"""Where knowledge-infrastructure pages may be created in the page tree."""

from wagtail.test.utils import WagtailPageTestCase

from countries.models import CountryIndexPage, CountryPage
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage
from portal.models import ContentPage, HomePage


class ModelPageRulesTests(WagtailPageTestCase):
    def test_model_page_only_under_model_index(self):
        """A model page can be created under the model index and nowhere else."""
        self.assertCanCreateAt(InfrastructureModelIndexPage, InfrastructureModelPage)
        self.assertAllowedParentPageTypes(InfrastructureModelPage, {InfrastructureModelIndexPage})
        for parent in [HomePage, ContentPage, CountryIndexPage, CountryPage]:
            self.assertCanNotCreateAt(parent, InfrastructureModelPage)

    def test_model_index_only_under_home_and_holds_only_models(self):
        """The model index lives under the home page and holds only model pages."""
        self.assertAllowedParentPageTypes(InfrastructureModelIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(InfrastructureModelIndexPage, {InfrastructureModelPage})
        self.assertAllowedSubpageTypes(InfrastructureModelPage, set())
