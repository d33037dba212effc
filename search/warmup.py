"""What the cache warm-up computes: the counts and ids every public page caches for the current
content version, in the order visitors are likeliest to need them.

``knowledgebase.warmup`` schedules it after a change (``search.tasks.warm_content_cache``).
"""

from django.core.cache import cache
from django.core.paginator import Paginator

from countries.models import CountryIndexPage
from countries.selectors import country_index_context, country_page_context
from hubs import gapmap
from hubs.selectors import theme_hub_context
from kit.translations import public_pages
from knowledgebase import content_cache, selectors
from knowledgebase.filters import FindingFilterSet, OrganisationFilterSet, QuestionFilterSet, StudyFilterSet
from knowledgebase.views import PER_PAGE, CachedPages, public_list_queryset
from knowledgebase.warmup import PENDING_KEY
from models_infra.models import InfrastructureModelIndexPage
from models_infra.selectors import model_index_context, model_page_context

from . import engine as search


def _lists():
    for filterset_class in (StudyFilterSet, FindingFilterSet, OrganisationFilterSet, QuestionFilterSet):
        queryset = filterset_class(None, queryset=public_list_queryset(filterset_class)).qs
        list(Paginator(CachedPages(queryset), PER_PAGE).page(1).object_list)


def _search():
    search.vocabulary()
    search.facet_options()


def _themes_and_gap_map():
    selectors.theme_list()
    for axis in gapmap.AXES:
        gapmap.build_gap_map(axis)
    for theme in selectors.public_themes():
        theme_hub_context(theme)


def _pages():
    for index_page in public_pages(CountryIndexPage.objects.all()):
        country_index_context(index_page)
    for index_page in public_pages(InfrastructureModelIndexPage.objects.all()):
        model_index_context(index_page)
    for page in selectors.public_countries():
        country_page_context(page)
    for page in selectors.public_models():
        model_page_context(page)


# In the order visitors are likeliest to need them.
STEPS = [_lists, _search, _themes_and_gap_map, _pages]


def warm_content_cache():
    """Compute what the public pages cache for the current content version. Stops (and
    returns False) when the content changes meanwhile: that change schedules its own."""
    cache.delete(PENDING_KEY)
    version = content_cache.content_version()
    for step in STEPS:
        if content_cache.content_version() != version:
            return False
        step()
    return True
