"""What needs an editor's attention, for the panel on the Wagtail dashboard: country profiles
not verified for a year, open research questions that no study addresses yet, and themes
with no published evidence.

Each check gives the first ``SHOWN`` records with an edit link the user may follow and how
many there are in all, in a fixed number of queries however many there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder

from countries.models import CountryPage

from . import selectors

# A profile whose facts were last checked longer ago than this is stale.
STALE_AFTER = datetime.timedelta(days=365)
# How many records each check lists before "and N more".
SHOWN = 10


@dataclass
class Check:
    title: str
    explanation: str
    items: list = field(default_factory=list)  # (label, detail, edit url or "")
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.items)


def stale_profiles():
    """Country profiles (live or not) never verified, or verified longer than ``STALE_AFTER``
    ago; the oldest first."""
    cutoff = timezone.localdate() - STALE_AFTER
    return CountryPage.objects.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)).order_by(
        "last_verified", "title"
    )


def unaddressed_questions():
    """Published questions still open or being researched that no study addresses yet."""
    return selectors.open_questions().filter(study_links__isnull=True).order_by("id")


def themes_without_evidence():
    """Themes with no published study and no published finding (the counts of the theme list)."""
    return [theme for theme in selectors.theme_list() if not (theme.study_count or theme.finding_count)]


def _check(title, explanation, records, label, detail, finder):
    shown = list(records[:SHOWN])
    total = len(records) if isinstance(records, list) else records.count()
    items = [(label(record), detail(record), finder.get_edit_url(record) or "") for record in shown]
    return Check(title, explanation, items, total)


def checks(user):
    """The checks for ``user`` (edit links only where they may edit)."""
    finder = AdminURLFinder(user)
    return [
        _check(
            _("Landenprofielen die controle nodig hebben"),
            _("Niet gecontroleerd of langer dan een jaar geleden voor het laatst gecontroleerd."),
            stale_profiles(),
            lambda page: page.title,
            lambda page: page.last_verified or _("nooit gecontroleerd"),
            finder,
        ),
        _check(
            _("Open onderzoeksvragen zonder onderzoek"),
            _("Gepubliceerde vragen die open of in onderzoek zijn en waar nog geen studie aan gekoppeld is."),
            unaddressed_questions(),
            str,
            lambda question: question.get_status_display(),
            finder,
        ),
        _check(
            _("Thema's zonder bewijs"),
            _("Thema's zonder gepubliceerd onderzoek en zonder gepubliceerde bevindingen."),
            themes_without_evidence(),
            lambda theme: theme.name,
            lambda theme: "",
            finder,
        ),
    ]
