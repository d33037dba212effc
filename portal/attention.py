"""What needs an editor's attention, for the panel on the Wagtail dashboard: country profiles
not verified for a year, open research questions that no study addresses yet, themes with no
published evidence, and links to addresses that did not work at their last check.

Each check gives the first ``SHOWN`` records with an edit link the user may follow and how
many there are in all, in a fixed number of queries however many there are. A user sees only
the checks of what they may edit, and in the list of broken links only the records they may
edit: a draft's or a private page's title is never shown to someone who cannot open it.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.permission_policies.pages import PagePermissionPolicy

from countries.models import CountryPage, CountryWebsite
from kit.translations import labelled_title, source_language_filter
from knowledgebase import selectors
from knowledgebase.models import Organisation, Study
from portal.links import page_text_links
from portal.models import LinkCheck

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
    # Shown instead of "Niets te doen." when there is nothing to list because nothing was checked.
    empty_text: str = ""
    report_url: str = ""

    @property
    def more(self):
        return self.total - len(self.items)


def stale_profiles():
    """Dutch country profiles (live or not) never verified, or verified longer than
    ``STALE_AFTER`` ago; the oldest first. Translations are left out: their facts are those
    of the Dutch profile, which is checked."""
    cutoff = timezone.localdate() - STALE_AFTER
    profiles = source_language_filter(CountryPage.objects.all())
    return profiles.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)).order_by(
        "last_verified", "title"
    )


def unaddressed_questions():
    """Published questions still open or being researched that no study addresses yet."""
    return selectors.open_questions().filter(study_links__isnull=True).order_by("id")


def themes_without_evidence():
    """Themes with no published study and no published finding (the counts of the theme list)."""
    return [theme for theme in selectors.theme_list() if not (theme.study_count or theme.finding_count)]


# Records that link to external addresses: (queryset, address field, label, record to edit).
LINKING = [
    (lambda: Study.objects.order_by("title"), "url", lambda study: study.title, lambda study: study),
    (
        lambda: Organisation.objects.order_by("name"),
        "website",
        lambda organisation: organisation.name,
        lambda organisation: organisation,
    ),
    (
        # An alias's websites are its original's.
        lambda: (
            CountryWebsite.objects.filter(page__alias_of__isnull=True)
            .select_related("page__locale")
            .order_by("page__title", "name")
        ),
        "url",
        lambda website: f"{labelled_title(website.page)}: {website.name}",
        lambda website: website.page,
    ),
]


def broken_links(finder):
    """Records the user may edit that link to an address whose last check failed
    (``portal.links``): the first ``SHOWN`` with the address and what went wrong, and the
    total."""
    failed = LinkCheck.objects.filter(ok=False).values("url")
    found = []
    for records, field_name, label, to_edit in LINKING:
        found += [
            (getattr(record, field_name), label(record), to_edit(record))
            for record in records().filter(**{f"{field_name}__in": failed})
        ]
    # Links in the texts of pages, found by reading the pages (a few dozen).
    in_texts = page_text_links()
    failed_in_texts = LinkCheck.objects.filter(ok=False, url__in=list(in_texts)).values_list("url", flat=True)
    for url in sorted(failed_in_texts):
        for page in in_texts[url]:
            found.append((url, gettext("%(page)s (in de tekst)") % {"page": labelled_title(page)}, page))
    editable = [
        (url, label, edit_url) for url, label, record in found if (edit_url := finder.get_edit_url(record))
    ]
    shown = editable[:SHOWN]
    checks = {check.url: check for check in LinkCheck.objects.filter(url__in={url for url, *_ in shown})}
    rows = [(label, f"{url} ({checks[url].problem})", edit_url) for url, label, edit_url in shown]
    return rows, len(editable)


def _links_check(finder):
    last = LinkCheck.objects.aggregate(last=Max("checked_at"))["last"]
    if last is None:
        explanation = gettext(
            "Links van onderzoeken, organisaties, landenprofielen en in de teksten van pagina's worden "
            "elke week gecontroleerd."
        )
        return Check(
            _("Links die niet werken"),
            explanation,
            empty_text=gettext(
                "Er is nog nooit een linkcontrole gedaan: of alle links werken, is niet bekend."
            ),
            report_url=reverse("link_report"),
        )
    explanation = gettext(
        "Links van onderzoeken, organisaties, landenprofielen en in de teksten van pagina's die bij de "
        "wekelijkse controle niet werkten (laatste controle: %(when)s)."
    ) % {"when": formats.date_format(timezone.localtime(last), "j F Y")}
    return Check(
        _("Links die niet werken"), explanation, *broken_links(finder), report_url=reverse("link_report")
    )


def _check(title, explanation, records, label, detail, finder):
    shown = list(records[:SHOWN])
    total = len(records) if isinstance(records, list) else records.count()
    items = [(label(record), detail(record), finder.get_edit_url(record) or "") for record in shown]
    return Check(title, explanation, items, total)


def checks(user):
    """The checks for ``user``: those of what they may edit, each listing only what they may
    edit."""
    finder = AdminURLFinder(user)
    candidates = [
        (
            PagePermissionPolicy().user_has_any_permission(user, ["change"]),
            lambda: _check(
                _("Landenprofielen die controle nodig hebben"),
                _("Niet gecontroleerd of langer dan een jaar geleden voor het laatst gecontroleerd."),
                stale_profiles(),
                lambda page: page.title,
                lambda page: page.last_verified or _("nooit gecontroleerd"),
                finder,
            ),
        ),
        (
            user.has_perm("knowledgebase.change_researchquestion"),
            lambda: _check(
                _("Open onderzoeksvragen zonder onderzoek"),
                _(
                    "Gepubliceerde vragen die open of in onderzoek zijn en waar nog geen studie aan "
                    "gekoppeld is."
                ),
                unaddressed_questions(),
                str,
                lambda question: question.get_status_display(),
                finder,
            ),
        ),
        (
            user.has_perm("knowledgebase.change_theme"),
            lambda: _check(
                _("Thema's zonder bewijs"),
                _("Thema's zonder gepubliceerd onderzoek en zonder gepubliceerde bevindingen."),
                themes_without_evidence(),
                lambda theme: theme.name,
                lambda theme: "",
                finder,
            ),
        ),
        (user.has_perm("portal.view_linkcheck"), lambda: _links_check(finder)),
    ]
    return [make() for visible, make in candidates if visible]
