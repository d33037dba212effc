"""The dashboard panel "Aandacht nodig": what editors should look at next."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from knowledgebase.codes import COUNTRY_NAMES
from knowledgebase.models import ResearchQuestion, Theme
from portal import attention
from portal.models import LinkCheck
from portal.services import EDITORS
from tests.factories import (
    FindingFactory,
    ResearchQuestionFactory,
    ResearchQuestionStudyFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(site_tree):
    user = get_user_model().objects.create_user(username="redacteur", password="geheim-wachtwoord")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _panel(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="aandacht-section"')
    return html[start : html.index("</section>", start)]


def test_panel_lists_stale_profiles_open_questions_without_studies_and_themes_without_evidence(
    client, editor
):
    """Each check lists what needs work with a link to edit it, and leaves out what does not."""
    stale = make_country("FI", title="Finland", last_verified=_days_ago(400))
    make_country("NO", title="Noorwegen", last_verified=_days_ago(30))
    make_country("SE", title="Zweden")  # never verified
    evidenced = ThemeFactory(name="Kwaliteitsborging")
    study = StudyFactory(themes=[evidenced])
    lonely = ResearchQuestionFactory(question="Wie financiert het onderzoek naar begeleiding?", status="open")
    addressed = ResearchQuestionFactory(question="Werkt een landelijk kader?", status="open")
    ResearchQuestionStudyFactory(question=addressed, study=study)
    ResearchQuestionFactory(question="Is dit al beantwoord?", status="answered")
    ResearchQuestionFactory(question="Een concept zonder onderzoek?", status="open", live=False)
    ThemeFactory(name="Kwetsbare groepen")
    draft_only = ThemeFactory(name="Leerbudgetten")
    StudyFactory(live=False, themes=[draft_only])
    with_finding = ThemeFactory(name="Professionalisering")
    FindingFactory(study=StudyFactory(), themes=[with_finding])

    panel = _panel(client, editor)
    assert "Aandacht nodig" in panel
    assert f'href="/admin/pages/{stale.pk}/edit/">Finland</a>' in panel
    assert "Zweden</a> \u2013 nooit gecontroleerd" in panel
    assert "Noorwegen" not in panel
    assert f'href="/admin/snippets/knowledgebase/researchquestion/edit/{lonely.pk}/"' in panel
    for left_out in ["Werkt een landelijk kader?", "Is dit al beantwoord?", "Een concept zonder"]:
        assert left_out not in panel
    assert "Kwetsbare groepen</a>" in panel
    assert "Leerbudgetten</a>" in panel  # a draft study is no evidence
    assert "Kwaliteitsborging" not in panel
    assert "Professionalisering" not in panel


@pytest.mark.parametrize("count", [3, 15])
def test_checks_need_the_same_queries_however_much_needs_attention(
    site_tree, editor, django_assert_max_num_queries, count
):
    """At most ``SHOWN`` records per check, with the total, in a fixed number of queries."""
    for i, code in enumerate(list(COUNTRY_NAMES)[:count]):
        make_country(code, title=f"Land {i}")
    ResearchQuestion.objects.bulk_create(
        ResearchQuestion(question=f"Vraag {i}?", live=True) for i in range(count)
    )
    Theme.objects.bulk_create(Theme(name=f"Thema {i}", slug=f"thema-{i}") for i in range(count))
    broken = [f"https://example.org/weg-{i}" for i in range(count)]
    for url in broken:
        StudyFactory(url=url)
    LinkCheck.objects.bulk_create(
        LinkCheck(url=url, ok=False, status_code=404, checked_at=timezone.now()) for url in broken
    )
    attention.checks(editor)  # the counts per theme are cached per content version
    # The profiles and the questions shown and their totals, the themes; the records with
    # broken links and their total per kind (three kinds), the pages (one query per page
    # type) and the broken links in their texts, the checks shown and the date of the last
    # check.
    with django_assert_max_num_queries(18):
        checks = attention.checks(editor)
    assert [check.total for check in checks] == [count] * 4
    assert [len(check.items) for check in checks] == [min(count, attention.SHOWN)] * 4
    assert checks[0].more == max(count - attention.SHOWN, 0)
