"""Building blocks shared by the knowledge-base models."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index


class EvidenceStrength(models.TextChoices):
    """How much weight a study or finding carries.

    A scale for mixed-method and systems research, where randomised trials are rare: it
    rates the convergence and design of the evidence rather than one method.
    """

    STRONG = "strong", _("Sterk")
    MODERATE = "moderate", _("Redelijk")
    LIMITED = "limited", _("Beperkt")
    INDICATIVE = "indicative", _("Indicatief")

    @classmethod
    def rank(cls, value):
        return [c.value for c in cls].index(value) if value in cls.values else len(cls.values)


STRENGTH_HELP = _(
    "Sterk: consistente uitkomsten uit meerdere onderzoeken of een systematische review. "
    "Redelijk: meerdere onderzoeken of een degelijke evaluatie. "
    "Beperkt: één onderzoek, expertoordeel of beschrijvend materiaal. "
    "Indicatief: praktijkervaring, beleidsdocumenten of landenbeschrijvingen."
)


class PublishedQuerySet(models.QuerySet):
    """Query set for records with a draft state: ``published()`` is all the public may see."""

    def published(self):
        return self.filter(live=True)


class Cited(models.Model):
    """A citation: the study a statement rests on and where in it (section, page)."""

    source_study = models.ForeignKey(
        "knowledgebase.Study",
        verbose_name=_("bron"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_locator = models.CharField(_("vindplaats"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def public_source(self):
        """The cited study if the public may see it, else ``None``."""
        study = self.source_study
        return study if study is not None and study.live else None


def revisions_relation(name):
    """Generic relations that let revisions and workflow states be queried from the model."""
    return (
        GenericRelation("wagtailcore.Revision", related_query_name=name),
        GenericRelation(
            "wagtailcore.WorkflowState",
            content_type_field="base_content_type",
            object_id_field="object_id",
            related_query_name=name,
            for_concrete_model=False,
        ),
    )


class ReviewedRecord(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A knowledge-base record that editors draft and the board publishes.

    The database row holds the published version and drafts live in revisions (Wagtail's
    draft state); the review workflow, locking and preview work as for pages. Public code reads
    such records only through ``published()``. Many-to-many links are ``ParentalManyToManyField``
    so that a draft keeps its own links until it is published. Each concrete model also declares
    ``_revisions, workflow_states = revisions_relation(...)``, the generic relations that let
    revisions and workflow states be queried from it.
    """

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
