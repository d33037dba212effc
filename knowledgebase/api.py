"""The knowledge base in the read-only API: ``/api/v1/<list>/`` and ``/api/v1/<list>/<key>/``
(docs/api.md).

Each list takes the filters of its public page (the same filtersets, so the same names,
values and messages) and reads the same public querysets. Related records are filtered the
same way: a draft study, a finding of a draft study, an unpublished country page or a draft
source never appears inside a public record either.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import SimpleRouter

from kit.api import PAGING_PARAMETERS, LimitOffsetPagination, UnknownParametersMixin
from kit.api_fields import absolute_url

from . import selectors
from .filters import FindingFilterSet, OrganisationFilterSet, QuestionFilterSet, StudyFilterSet
from .models import (
    Finding,
    Organisation,
    OrganisationRelation,
    ResearchQuestionStudy,
    Study,
)
from .models.questions import QuestionStatus
from .views import CachedPages

# Public lists under their public names: ``/api/v1/onderzoek/`` lists what ``/onderzoek/``
# does.
ENDPOINTS = ["themas", "onderzoek", "bevindingen", "organisaties", "kennisagenda"]


class ChoiceField(serializers.Field):
    """A choice as its code and its label: ``{"code": "report", "label": "Rapport"}``."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"code": value, "label": str(self.labels.get(value, value))} if value else None


class LinkedSerializer(serializers.Serializer):
    """A record with the address of its public page (``html_url``) and, when it has an API
    endpoint, of its API record (``detail_url``)."""

    api_name = None
    api_key = "slug"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["html_url"] = absolute_url(self.context, instance.get_absolute_url())
        if self.api_name:
            path = reverse(f"api:{self.api_name}-detail", args=[getattr(instance, self.api_key)])
            data["detail_url"] = absolute_url(self.context, path)
        return data


class ThemeRefSerializer(LinkedSerializer):
    api_name = "themas"
    slug = serializers.CharField()
    name = serializers.CharField()


class PageRefSerializer(serializers.Serializer):
    """A country or model page (prefetched through a public queryset)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # With the request, Wagtail reads the site root paths once per response, not once
        # per page (a cache round trip each: 200 per list of 100 studies).
        data["html_url"] = absolute_url(self.context, instance.get_url(request=self.context.get("request")))
        return data


class CountryRefSerializer(PageRefSerializer):
    code = serializers.CharField()


class StudyRefSerializer(LinkedSerializer):
    api_name = "onderzoek"
    slug = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()


class OrganisationRefSerializer(LinkedSerializer):
    api_name = "organisaties"
    slug = serializers.CharField()
    name = serializers.CharField()


class SourceField(serializers.Field):
    """Where a record's statement comes from: the public source study and the locator, or
    ``None`` when there is no source or the source is not public."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        study = instance.source_study
        if study is None or not study.live:
            return None
        return {
            "study": StudyRefSerializer(study, context=self.context).data,
            "locator": instance.source_locator,
        }


class ThemeSerializer(LinkedSerializer):
    api_name = "themas"
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    related = ThemeRefSerializer(many=True)


class StudySerializer(LinkedSerializer):
    api_name = "onderzoek"
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    authors = serializers.ListField(source="author_names", child=serializers.CharField())
    author_parts = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    type = ChoiceField(source="study_type", choices=Study._meta.get_field("study_type").choices)
    methods = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    language = ChoiceField(choices=Study._meta.get_field("language").choices)
    publisher = serializers.CharField()
    summary = serializers.CharField()
    themes = ThemeRefSerializer(many=True)
    countries = CountryRefSerializer(many=True)
    infrastructure_models = PageRefSerializer(many=True)
    doi = serializers.CharField()
    url = serializers.CharField()
    document_url = serializers.SerializerMethodField()
    strength = ChoiceField(choices=Study._meta.get_field("strength").choices)
    strength_rationale = serializers.CharField()
    first_published_at = serializers.DateTimeField()
    citations = serializers.SerializerMethodField()

    def get_author_parts(self, study):
        """The authors as CSL name objects: a person's family, given and non-dropping-particle,
        an organisation's literal."""
        return [author.to_csl() for author in study.authors.all()]

    def get_document_url(self, study):
        return absolute_url(self.context, study.document.url) if study.document_id else None

    def get_citations(self, study):
        return {
            fmt: absolute_url(self.context, reverse(f"knowledgebase:study_citation_{fmt}", args=[study.slug]))
            for fmt in ("ris", "bib", "json")
        }


class FindingSerializer(LinkedSerializer):
    api_name = "bevindingen"
    id = serializers.IntegerField()
    slug = serializers.CharField()
    statement = serializers.CharField()
    study = StudyRefSerializer()
    locator = serializers.CharField()
    strength = ChoiceField(choices=Finding._meta.get_field("strength").choices)
    lesson_for_nl = serializers.BooleanField()
    themes = ThemeRefSerializer(many=True)
    countries = CountryRefSerializer(many=True)


class RelationSerializer(serializers.Serializer):
    kind = ChoiceField(choices=OrganisationRelation._meta.get_field("kind").choices)
    target = OrganisationRefSerializer()
    note = serializers.CharField()
    source = SourceField()


class OrganisationSerializer(LinkedSerializer):
    api_name = "organisaties"
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()
    kind = ChoiceField(choices=Organisation._meta.get_field("kind").choices)
    country_code = serializers.CharField()
    website = serializers.CharField()
    description = serializers.CharField()
    # Context the sources do not give (an acronym written out, a native name): shown apart
    # from the cited description, never as evidence.
    editor_note = serializers.CharField()
    relations = RelationSerializer(many=True)
    source = SourceField()


class QuestionStudySerializer(serializers.Serializer):
    kind = ChoiceField(choices=ResearchQuestionStudy._meta.get_field("kind").choices)
    study = StudyRefSerializer()


class QuestionSerializer(LinkedSerializer):
    api_name = "kennisagenda"
    api_key = "pk"
    id = serializers.IntegerField()
    question = serializers.CharField()
    explanation = serializers.CharField()
    status = ChoiceField(choices=QuestionStatus.choices)
    owner = serializers.CharField()
    raised_by = OrganisationRefSerializer(source="public_raised_by", allow_null=True)
    themes = ThemeRefSerializer(many=True)
    countries = CountryRefSerializer(many=True)
    studies = QuestionStudySerializer(source="study_links", many=True)
    source = SourceField()


class ReadOnlyEndpoint(UnknownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """A public list with the filters of its page, and its records one by one."""

    renderer_classes = [JSONRenderer]
    pagination_class = LimitOffsetPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = None
    lookup_field = "slug"
    # Only values the database can take: a NUL byte or an over-long number would otherwise
    # reach PostgreSQL as an error instead of a 404.
    lookup_value_regex = "[-a-zA-Z0-9_]{1,120}"

    def page_source(self, queryset):
        # Counts and the ids of each window cached per content version, as on the lists.
        return CachedPages(queryset)

    def known_parameters(self):
        if self.action != "list":
            return frozenset({"format"})
        filters = self.filterset_class.base_filters if self.filterset_class else {}
        return PAGING_PARAMETERS | set(filters)


class ThemeEndpoint(ReadOnlyEndpoint):
    serializer_class = ThemeSerializer

    def get_queryset(self):
        return (
            selectors.public_themes()
            .prefetch_related(
                Prefetch(
                    "related", queryset=selectors.public_themes().only("id", "name", "slug").order_by("name")
                )
            )
            .order_by("name")
        )


class StudyEndpoint(ReadOnlyEndpoint):
    serializer_class = StudySerializer
    filterset_class = StudyFilterSet

    def get_queryset(self):
        return (
            selectors.study_queryset()
            .select_related("document")
            .prefetch_related(
                "methods", selectors.public_country_prefetch(), selectors.public_model_prefetch()
            )
            .order_by("-year", "title", "pk")
        )


class FindingEndpoint(ReadOnlyEndpoint):
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        return selectors.finding_queryset()


class OrganisationEndpoint(ReadOnlyEndpoint):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        return selectors.organisation_queryset().prefetch_related(
            Prefetch(
                "relations",
                queryset=selectors.public_relations()
                .select_related("target", "source_study")
                .order_by("kind", "target__name"),
            )
        )


class QuestionEndpoint(ReadOnlyEndpoint):
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilterSet
    lookup_field = "pk"
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return (
            selectors.question_queryset()
            .prefetch_related(selectors.public_study_links_prefetch())
            .order_by("status", "id")
        )


router = SimpleRouter()
for _name, _endpoint in zip(
    ENDPOINTS,
    [ThemeEndpoint, StudyEndpoint, FindingEndpoint, OrganisationEndpoint, QuestionEndpoint],
    strict=True,
):
    router.register(_name, _endpoint, basename=_name)
