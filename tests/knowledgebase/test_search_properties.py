"""Property test: no query string makes the search page fail."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import StudyFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PARAMS = ["q", "kind", "theme", "country", "model", "type", "method", "strength", "language", "year_min",
          "year_max", "sort", "page", "onbekend"]  # fmt: skip
SAMPLES = ["\x00", "kwaliteit", '"a" OR b', "-x", "*", "NEAR(a b)", "a:b", "' OR 1=1 --", "ĳ", "ß" * 40,
           "onderzoek", "99999999999999999999", "-1", "2020", "nieuwste", "kwaliteitsborging"]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(SAMPLES),
    st.text(max_size=5).map(lambda text: text + "x" * 10_000),
)  # fmt: skip


@pytest.fixture
def content(site_tree):
    theme = ThemeFactory(slug="kwaliteitsborging", name="Kwaliteitsborging")
    StudyFactory(title="Kwaliteit van loopbaanbegeleiding", themes=[theme])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=5))
def test_any_query_string_gets_a_page_or_a_400(client, content, params):
    """Unicode, long strings, NUL bytes, operators and unknown values: 200 or 400, never 500."""
    for url in ("/zoeken/", "/zoeken/export.ris", "/zoeken/bevindingen.csv"):
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params)
