"""Create synthetic studies, findings and links for load tests and the search benchmark.

Every record is marked: titles start with "[Synthetisch]", slugs with "synthetisch-" and the
publisher is "Synthetische data", so they can be found and removed (``--delete``). ``make run``
never loads them. The texts are drawn from a fixed vocabulary with known frequencies, from
rare terms (in about 1 in 10,000 studies) to terms in nearly every study, so a benchmark can
pick queries across that range.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from countries.models import CountryIndexPage, CountryPage
from kit.translations import source_language_filter
from knowledgebase import content_cache, tallies
from knowledgebase.codes import COUNTRY_NAMES
from knowledgebase.models import EvidenceStrength, Finding, Method, Study, StudyAuthor, Theme
from knowledgebase.models.studies import Language, StudyType
from models_infra.models import InfrastructureModelIndexPage, InfrastructureModelPage, ModelKey
from search import index as search_index
from search.kinds import ContentKind

MARK = "[Synthetisch]"
SLUG_PREFIX = "synthetisch-"
PUBLISHER = "Synthetische data"

# (phrase, share of studies whose summary contains it)
TERM_SHARES = [
    ("loopbaanbegeleiding", 0.9),
    ("onderzoek naar begeleiding", 0.6),
    ("kwaliteit van dienstverlening", 0.3),
    ("volwassenen en werkenden", 0.15),
    ("individuele leerbudgetten", 0.05),
    ("professionalisering van adviseurs", 0.02),
    ("mentoraat in het mbo", 0.005),
    ("vergunningen voor loopbaanadviseurs", 0.001),
    ("zeldzame zeevaartbegeleiding", 0.0001),
]
TITLE_SUBJECTS = [
    "loopbaanbegeleiding voor volwassenen",
    "begeleiding in het onderwijs",
    "regionale loopbaancentra",
    "online loopbaandiensten",
    "kwaliteitskaders voor begeleiding",
    "leerbudgetten en vouchers",
    "professionalisering van loopbaanprofessionals",
    "kennisinfrastructuur en onderzoek",
    "kwetsbare groepen op de arbeidsmarkt",
    "samenwerking tussen onderwijs en werk",
]
TITLE_FORMS = ["Evaluatie van {}", "Verkenning: {}", "Rapport over {}", "Overzicht van {}", "{} in Europa"]
FILLER = [
    "De auteurs beschrijven de praktijk in meerdere regio's.",
    "Gegevens zijn verzameld met vragenlijsten en interviews.",
    "De resultaten wijzen op verschillen tussen sectoren.",
    "Beleidsmakers krijgen aanbevelingen voor de komende jaren.",
    "Er is aandacht voor de rol van werkgevers en gemeenten.",
]
SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Peters", "Hendriks"]


class Command(BaseCommand):
    help = "Create N synthetic (clearly marked) studies with findings and links, and index them."

    def add_arguments(self, parser):
        parser.add_argument("--studies", type=int, default=1000)
        parser.add_argument("--findings-per-study", type=float, default=1.5)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=20240501)
        parser.add_argument("--delete", action="store_true", help="Remove all synthetic records first.")

    def handle(self, *args, studies, findings_per_study, batch_size, seed, delete, **options):
        if delete:
            self._delete()
        if studies <= 0:
            return
        if not Theme.objects.exists():
            self._taxonomy()
        themes = list(Theme.objects.values_list("pk", flat=True))
        countries = list(source_language_filter(CountryPage.objects.live()).values_list("pk", flat=True))
        models = list(
            source_language_filter(InfrastructureModelPage.objects.live()).values_list("pk", flat=True)
        )
        methods = list(Method.objects.values_list("pk", flat=True))
        if not themes:
            raise CommandError("Er zijn geen thema's: laad eerst de startinhoud (load_starter_content).")
        rng = random.Random(seed)
        start = Study.objects.filter(slug__startswith=SLUG_PREFIX).count()
        started = time.monotonic()
        for offset in range(0, studies, batch_size):
            size = min(batch_size, studies - offset)
            with transaction.atomic():
                created = self._batch(
                    rng, start + offset, size, findings_per_study, themes, countries, models, methods
                )
            self._index(created)
            self.stdout.write(f"{offset + size}/{studies} onderzoeken ({time.monotonic() - started:.0f} s)")
        # Bulk inserts send no signals: start a new content version by hand.
        content_cache.content_changed()

    def _taxonomy(self):
        """Themes, methods, countries and models for a database without starter content,
        each marked as synthetic."""
        for number, subject in enumerate(TITLE_SUBJECTS):
            Theme.objects.create(
                name=f"{MARK} {subject}", slug=f"{SLUG_PREFIX}thema-{number}", description=MARK
            )
        for name in ["Interviews", "Deskresearch", "Vragenlijst", "Casestudy"]:
            Method.objects.get_or_create(
                slug=f"{SLUG_PREFIX}{name.lower()}", defaults={"name": f"{MARK} {name}"}
            )
        index = source_language_filter(CountryIndexPage.objects.all()).first()
        if index is not None:
            for code in list(COUNTRY_NAMES)[:8]:
                if not CountryPage.objects.filter(code=code).exists():
                    title = f"{MARK} {COUNTRY_NAMES[code]}"
                    slug = f"{SLUG_PREFIX}{code.lower()}"
                    page = CountryPage(title=title, slug=slug, code=code, summary=MARK)
                    index.add_child(instance=page)
        model_index = source_language_filter(InfrastructureModelIndexPage.objects.all()).first()
        if model_index is not None:
            for key, label in ModelKey.choices:
                if not InfrastructureModelPage.objects.filter(key=key).exists():
                    page = InfrastructureModelPage(
                        title=f"{MARK} {label}",
                        slug=f"{SLUG_PREFIX}{key}",
                        key=key,
                        summary=MARK,
                        definition=MARK,
                    )
                    model_index.add_child(instance=page)

    def _delete(self):
        synthetic = Study.objects.filter(slug__startswith=SLUG_PREFIX)
        finding_ids = list(Finding.objects.filter(study__in=synthetic).values_list("pk", flat=True))
        study_ids = list(synthetic.values_list("pk", flat=True))
        Finding.objects.filter(pk__in=finding_ids).delete()
        synthetic.delete()
        search_index.update(ContentKind.FINDINGS, finding_ids)
        search_index.update(ContentKind.STUDIES, study_ids)
        tallies.refresh(studies=study_ids)
        content_cache.content_changed()

    def _summary(self, rng):
        parts = [phrase.capitalize() + "." for phrase, share in TERM_SHARES if rng.random() < share]
        parts += rng.sample(FILLER, 2)
        rng.shuffle(parts)
        return " ".join(parts)

    def _batch(self, rng, first, size, findings_per_study, themes, countries, models, methods):
        new = []
        for number in range(first, first + size):
            subject = rng.choice(TITLE_SUBJECTS)
            new.append(
                Study(
                    title=f"{MARK} {rng.choice(TITLE_FORMS).format(subject)} ({number})",
                    slug=f"{SLUG_PREFIX}{number}",
                    year=rng.randint(1995, 2025),
                    study_type=rng.choice(StudyType.values),
                    language=rng.choices(Language.values, weights=[6, 3, 1])[0],
                    publisher=PUBLISHER,
                    summary=self._summary(rng),
                    strength=rng.choice(EvidenceStrength.values),
                    live=rng.random() > 0.02,
                )
            )
        created = Study.objects.bulk_create(new)
        StudyAuthor.objects.bulk_create(
            [
                StudyAuthor.from_name(
                    f"{rng.choice(SURNAMES)}, {chr(65 + rng.randrange(26))}.", study=study, sort_order=k
                )
                for study in created
                for k in range(rng.randint(1, 3))
            ]
        )
        links = {"themes": (themes, 1, 3), "countries": (countries, 1, 2), "methods": (methods, 1, 2)}
        links["infrastructure_models"] = (models, 0, 1)
        for name, (pool, low, high) in links.items():
            if not pool:
                continue
            through = getattr(Study, name).through
            source, target = (
                getattr(Study, name).field.m2m_field_name(),
                getattr(Study, name).field.m2m_reverse_field_name(),
            )
            rows = []
            for study in created:
                for pk in rng.sample(pool, min(len(pool), rng.randint(low, high))):
                    rows.append(through(**{f"{source}_id": study.pk, f"{target}_id": pk}))
            through.objects.bulk_create(rows, ignore_conflicts=True)
        findings = []
        for study in created:
            count = int(findings_per_study) + (rng.random() < findings_per_study % 1)
            for k in range(count):
                findings.append(
                    Finding(
                        slug=f"{study.slug}-b{k}",
                        statement=f"{MARK} {self._summary(rng)}",
                        study=study,
                        locator=f"p. {rng.randint(1, 120)}",
                        strength=rng.choice(EvidenceStrength.values),
                        live=True,
                    )
                )
        findings = Finding.objects.bulk_create(findings)
        theme_rows, country_rows = [], []
        for finding in findings:
            theme_rows.append(Finding.themes.through(finding_id=finding.pk, theme_id=rng.choice(themes)))
            if countries:
                country_rows.append(
                    Finding.countries.through(finding_id=finding.pk, countrypage_id=rng.choice(countries))
                )
        Finding.themes.through.objects.bulk_create(theme_rows, ignore_conflicts=True)
        Finding.countries.through.objects.bulk_create(country_rows, ignore_conflicts=True)
        return [study.pk for study in created]

    def _index(self, study_ids):
        """Write the batch to the search index and the tallies, as publishing each record would (bulk inserts
        send no signals). Wagtail's own index, which only the admin's search reads, is left
        alone: ``manage.py update_index`` fills it when an admin needs the synthetic records."""
        search_index.update(ContentKind.STUDIES, study_ids)
        search_index.update(
            ContentKind.FINDINGS, Finding.objects.filter(study_id__in=study_ids).values_list("pk", flat=True)
        )
        tallies.refresh(studies=study_ids)
