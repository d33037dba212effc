"""Building blocks shared by the knowledge-base models."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
    WorkflowState,
)
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

    def with_status(self):
        """The records with what the admin's status column reads, for a whole listing at once.

        ``status_string`` asks two questions per record, each a query: is a workflow in
        progress, and is a revision scheduled. Here the active workflow states are prefetched
        (``WorkflowMixin.workflow_in_progress`` reads ``_current_workflow_states``, as Wagtail's
        page listings fill it) and whether a scheduled revision exists is annotated
        (``_approved_schedule``, read by ``StatusMixin.approved_schedule``).
        """
        content_type = ContentType.objects.get_for_model(self.model)
        scheduled = Revision.objects.filter(
            base_content_type=content_type,
            object_id=Cast(OuterRef("pk"), models.CharField()),
            approved_go_live_at__isnull=False,
        )
        active = WorkflowState.objects.active().select_related("current_task_state__task")
        return self.annotate(_approved_schedule=Exists(scheduled)).prefetch_related(
            Prefetch("workflow_states", queryset=active, to_attr="_current_workflow_states")
        )


class StatusMixin:
    """Lets ``PublishedQuerySet.with_status`` answer ``approved_schedule`` for a listing, as
    ``PageQuerySet.annotate_approved_schedule`` does for Wagtail's pages. Comes before
    Wagtail's ``DraftStateMixin`` in the bases."""

    @property
    def approved_schedule(self):
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule


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
    StatusMixin,
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
