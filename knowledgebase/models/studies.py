from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from kit.outbound import validate_public_url
from kit.panels import checkbox_panel, slug_panels

from .. import names
from ..panels import StudyFindingsPanel
from .base import STRENGTH_HELP, Cited, EvidenceStrength, ReviewedRecord, revisions_relation

MIN_YEAR = 1900
MAX_YEAR = 2100

doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    _("Geef een DOI in de vorm 10.1234/abcd, zonder https://doi.org/ ervoor."),
)


class StudyType(models.TextChoices):
    REVIEW = "review", _("Review of overzichtsstudie")
    REPORT = "report", _("Rapport")
    MAPPING = "mapping", _("Landenvergelijking")
    EXPLORATION = "exploration", _("Verkenning")
    EVALUATION = "evaluation", _("Evaluatie")
    PRESENTATION = "presentation", _("Presentatie of workshop")
    POLICY = "policy", _("Beleidsdocument")
    OTHER = "other", _("Overig")


class Language(models.TextChoices):
    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("Engels")
    OTHER = "other", _("Andere taal")


class Method(models.Model):
    """A research method, such as desk research or interviews."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = slug_panels("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("methode")
        verbose_name_plural = _("methoden")

    def __str__(self):
        return self.name


class Study(ReviewedRecord, Cited):
    """A publication or other evidence source, with its metadata and evidence strength.

    ``source_study``/``source_locator`` (from ``Cited``) say where the portal learned of
    the work; ``cited_by`` is the source document that cites it.
    """

    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    study_type = models.CharField(_("soort"), max_length=20, choices=StudyType.choices)
    methods = ParentalManyToManyField(Method, verbose_name=_("methoden"), blank=True)
    language = models.CharField(_("taal"), max_length=10, choices=Language.choices, default=Language.DUTCH)
    publisher = models.CharField(_("uitgever of organisatie"), max_length=200, blank=True)
    summary = models.TextField(_("samenvatting"))
    themes = ParentalManyToManyField("knowledgebase.Theme", verbose_name=_("thema's"), blank=True)
    countries = ParentalManyToManyField("countries.CountryPage", verbose_name=_("landen"), blank=True)
    infrastructure_models = ParentalManyToManyField(
        "models_infra.InfrastructureModelPage", verbose_name=_("kennisinfrastructuurmodellen"), blank=True
    )
    url = models.URLField(_("link"), blank=True, max_length=500, validators=[validate_public_url])
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[doi_validator])
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document (pdf)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    strength = models.CharField(
        _("bewijskracht"), max_length=20, choices=EvidenceStrength.choices, help_text=STRENGTH_HELP
    )
    strength_rationale = models.TextField(_("onderbouwing bewijskracht"), blank=True)
    cited_by = models.ForeignKey(
        "self",
        verbose_name=_("genoemd in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_works",
    )

    _revisions, workflow_states = revisions_relation("study")

    panels = [
        *slug_panels("title"),
        InlinePanel("authors", heading=_("Auteurs (in volgorde)"), label=_("Auteur")),
        FieldRowPanel([FieldPanel("year"), FieldPanel("study_type"), FieldPanel("language")]),
        FieldPanel("publisher"),
        FieldPanel("methods", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        StudyFindingsPanel(),
        MultiFieldPanel(
            [checkbox_panel("themes"), checkbox_panel("countries"), checkbox_panel("infrastructure_models")],
            heading=_("Koppelingen"),
        ),
        MultiFieldPanel(
            [FieldPanel("url"), FieldPanel("doi"), FieldPanel("document")], heading=_("Link, DOI en document")
        ),
        MultiFieldPanel(
            [FieldPanel("strength"), FieldPanel("strength_rationale")], heading=_("Bewijskracht")
        ),
        MultiFieldPanel(
            [FieldPanel("cited_by"), FieldPanel("source_study"), FieldPanel("source_locator")],
            heading=_("Herkomst in de bronnen"),
        ),
    ]
    search_fields = [
        index.SearchField("title", boost=4),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("publisher"),
        index.RelatedFields("authors", [index.SearchField("name", boost=2)]),
        # Only published findings: a draft's words must not make its study findable.
        index.SearchField("published_finding_statements"),
        index.FilterField("live"),
        index.FilterField("year"),
        index.FilterField("study_type"),
        index.FilterField("strength"),
        index.FilterField("language"),
    ]

    @classmethod
    def get_indexed_objects(cls):
        from .findings import Finding

        published = Finding.objects.filter(live=True).only("study_id", "statement").order_by("pk")
        return (
            super()
            .get_indexed_objects()
            .prefetch_related(
                Prefetch("findings", queryset=published, to_attr="published_findings_for_index")
            )
        )

    def published_finding_statements(self):
        """The statements of the study's published findings, for the search index."""
        findings = getattr(self, "published_findings_for_index", None)
        if findings is None:
            findings = self.findings.filter(live=True).only("statement").order_by("pk")
        return "\n".join(finding.statement for finding in findings)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="study_year_in_range",
            ),
        ]
        # The published studies of one type, strength or language in id order: a search
        # filtered on it merges them with the theme and country link indexes instead of
        # reading every study those allow (docs/search.md, "filter first").
        indexes = [
            *(
                models.Index(
                    fields=[field, "id"], condition=models.Q(live=True), name=f"kb_study_public_{field}"
                )
                for field in ("study_type", "strength", "language")
            ),
            # The admin's study listing (newest first) and findings listing (by their study's
            # title) read a page along these instead of sorting every study.
            models.Index(fields=["-year", "title"], name="kb_study_newest"),
            models.Index(fields=["title", "id"], name="kb_study_title"),
        ]

    def __str__(self):
        # A title that already ends in its year ("... loopbaancheques (2017)") gets it once.
        if not self.year or self.title.rstrip().endswith(f"({self.year})"):
            return self.title
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("knowledgebase:study_detail", args=[self.slug])

    @property
    def author_names(self):
        return [author.name for author in self.authors.all()]

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def get_preview_template(self, request, mode_name):
        return "knowledgebase/study_detail.html"

    def get_preview_context(self, request, mode_name):
        from knowledgebase.selectors import study_detail_context

        return study_detail_context(self, preview=True)


class StudyAuthor(Orderable):
    """An author of a study, kept in the order of the publication: a person (family name,
    particle, given names) or an organisation.

    ``name`` is derived, never edited: the name on one line, family name first, which the
    admin's search, the site search and lists of authors read.
    """

    study = ParentalKey(Study, related_name="authors", on_delete=models.CASCADE)
    family_name = models.CharField(_("achternaam"), max_length=200, blank=True)
    particle = models.CharField(
        _("tussenvoegsel"),
        max_length=40,
        blank=True,
        help_text=_("Zoals 'van', 'de' of 'van der'; blijft bij de achternaam staan."),
    )
    given_names = models.CharField(
        _("voornamen of voorletters"), max_length=200, blank=True, help_text=_("Zoals 'Tristram' of 'P.J.'.")
    )
    organisation = models.CharField(
        _("organisatie"),
        max_length=200,
        blank=True,
        help_text=_("Alleen als een organisatie de auteur is; laat de naamvelden dan leeg."),
    )
    name = models.CharField(_("naam"), max_length=450, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("given_names"), FieldPanel("particle"), FieldPanel("family_name")]),
        FieldPanel("organisation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(family_name="") & models.Q(organisation=""))
                | (models.Q(family_name="", particle="", given_names="") & ~models.Q(organisation="")),
                name="study_author_person_or_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_person(self):
        return bool(self.family_name)

    def _name_parts(self):
        return {
            "family_name": self.family_name.strip(),
            "particle": self.particle.strip(),
            "given_names": self.given_names.strip(),
            "organisation": self.organisation.strip(),
        }

    def clean(self):
        super().clean()
        parts = self._name_parts()
        if parts["organisation"] and any(parts[key] for key in ("family_name", "particle", "given_names")):
            raise ValidationError(
                _("Vul een persoon (achternaam en voornamen) of een organisatie in, niet allebei.")
            )
        if not parts["organisation"] and not parts["family_name"]:
            raise ValidationError(
                {"family_name": _("Vul de achternaam in, of bij een organisatie als auteur de organisatie.")}
            )
        self.name = names.display_name(**parts)

    def save(self, *args, **kwargs):
        if not self.family_name and not self.organisation and self.name:
            # Created from a name on one line (a script, a test): split as an import would.
            parsed = names.parse_name(self.name)
            self.family_name, self.particle = parsed.family_name, parsed.particle
            self.given_names, self.organisation = parsed.given_names, parsed.organisation
        self.name = names.display_name(**self._name_parts())
        super().save(*args, **kwargs)

    @classmethod
    def from_name(cls, text, **kwargs):
        """An unsaved author from a name on one line ("Hooley, T.", "OECD"), split by
        ``names.parse_name``."""
        return cls.from_parsed(names.parse_name(text), **kwargs)

    @classmethod
    def from_parsed(cls, parsed, **kwargs):
        """An unsaved author from a ``names.ParsedName``."""
        parts = {
            "family_name": parsed.family_name,
            "particle": parsed.particle,
            "given_names": parsed.given_names,
            "organisation": parsed.organisation,
        }
        return cls(**parts, name=names.display_name(**parts), **kwargs)

    def to_csl(self):
        """The author as a CSL name variable (``knowledgebase.names.csl_name``)."""
        parts = self._name_parts()
        if not parts["family_name"] and not parts["organisation"]:
            # Stored without its parts (written in bulk from a name on one line).
            parsed = names.parse_name(self.name)
            parts = {key: getattr(parsed, key) for key in parts}
        return names.csl_name(**parts)
