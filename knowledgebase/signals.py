"""Keep the findings of a study, and the search, in step with the content.

- A study's draft findings go live when the study is published (``services``).

- A study is found by the words of its findings (``index.RelatedFields("findings")``), but
  Wagtail re-indexes only the object that was saved. When a finding is published, unpublished
  or deleted, its study is indexed again.
- The search, the theme, country and model pages, the gap map and the lists cache what they
  compute per content version (``content_cache``). Any write to content they can show or filter
  by (the knowledge base, country and model pages, any page, since a page's visibility follows
  its ancestors, and view restrictions) starts a new version once the transaction commits,
  after the search index has been updated, and schedules a warm-up of it (``warmup.py``).
  Only the version of the changed record's kind is renewed (``kinds_of``).
- A bulk write (the import, the starter content, ``loaddata``) runs inside
  ``one_new_version()``: its saves start one new version at the end, not one per row.
"""

import contextlib
import contextvars
from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.signals import page_unpublished, published, unpublished

from . import content_cache, services, warmup
from .models import Finding, ImportJob, Study

CONTENT_APPS = {"knowledgebase", "countries", "models_infra"}


def _reindex_study(study_id):
    study = Study.objects.filter(pk=study_id).first()
    if study is not None:
        index.insert_or_update_object(study)
        # The finding's own save started a new version before this ran; a search in between
        # may have cached the study's old entry.
        warmup.content_changed(("study",))


@receiver(published, sender=Finding)
@receiver(unpublished, sender=Finding)
@receiver(post_delete, sender=Finding)
def reindex_study_of_finding(sender, instance, **kwargs):
    study_id = instance.study_id
    transaction.on_commit(lambda: _reindex_study(study_id))


@receiver(published, sender=Study)
def publish_findings_with_study(sender, instance, **kwargs):
    """Approving or publishing a study publishes its draft findings (``services``)."""
    services.study_findings_publish(study=instance)


def _affects_search(sender):
    # An import job's progress is not content; the studies it writes start a version of their own.
    if sender is ImportJob:
        return False
    return (
        sender._meta.app_label in CONTENT_APPS
        or issubclass(sender, Page)
        or issubclass(sender, PageViewRestriction)
    )


# Fields that a draft, a lock or a workflow writes to a record's row without changing what the
# public sees (the row holds the published version; drafts live in revisions).
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
    }
)


def changes_public_output(instance, update_fields=None, created=False):
    """Whether writing ``instance`` can change a public page: not a draft save, a lock, or a
    record (or its links) that is not live and was not live when it was read."""
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return False
    if getattr(instance, "live", True) is not False:
        return True
    return not created and getattr(instance, "_live_when_read", True) is not False


def _remember_live(sender, instance, **kwargs):
    # Deferred (not read): unknown, so a save counts as a change.
    instance._live_when_read = instance.__dict__.get("live", True)


def _saved_live(sender, instance, **kwargs):
    # pre_save: what the previous save wrote is what this one changes.
    if hasattr(instance, "_live_saved"):
        instance._live_when_read = instance._live_saved


# The version each model's records belong to ("app_label.model"). A page or view restriction
# not named here is a site page ("page"); any other content record renews every version.
KIND_OF_MODEL = {
    "knowledgebase.study": "study",
    "knowledgebase.studyauthor": "study",
    "knowledgebase.method": "study",
    "knowledgebase.finding": "finding",
    "knowledgebase.researchquestion": "question",
    "knowledgebase.researchquestionstudy": "question",
    "knowledgebase.theme": "theme",
    "knowledgebase.organisation": "organisation",
    "knowledgebase.organisationrelation": "organisation",
    "knowledgebase.framework": "framework",
    "knowledgebase.frameworkelement": "framework",
    "knowledgebase.frameworkassessment": "framework",
    "knowledgebase.bottomline": "bottomline",
    "countries.countryindexpage": "country",
    "countries.countrypage": "country",
    "countries.countryfact": "country",
    "countries.countrywebsite": "country",
    "countries.dimension": "country",
    "countries.comparisonsnapshot": "country",
    "models_infra.infrastructuremodelindexpage": "model",
    "models_infra.infrastructuremodelpage": "model",
    "models_infra.modelexample": "model",
}


def kinds_of(model):
    """The content versions a write to ``model`` renews."""
    kind = KIND_OF_MODEL.get(model._meta.label_lower)
    if kind is not None:
        return (kind,)
    if issubclass(model, (Page, PageViewRestriction)):
        return ("page",)
    return content_cache.KINDS


# The kinds changed inside ``one_new_version()``, None outside it.
_deferred = contextvars.ContextVar("deferred_content_changes", default=None)


@contextlib.contextmanager
def one_new_version():
    """Collect the new versions the writes inside start, and start them once at the end
    (when the transaction commits): a bulk write costs one new version and one warm-up, not
    one per row. Nothing public changed: no new version."""
    if _deferred.get() is not None:  # Nested: the outer one starts it.
        yield
        return
    kinds = set()
    token = _deferred.set(kinds)
    try:
        yield
    finally:
        _deferred.reset(token)
        if kinds:
            _start_new_version(kinds)


def _start_new_version(kinds):
    """Start a new version of ``kinds`` when the transaction commits, or at the end of the
    ``one_new_version()`` block this runs in."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.update(kinds)
        return
    ordered = tuple(kind for kind in content_cache.KINDS if kind in kinds)
    transaction.on_commit(partial(warmup.content_changed, ordered))


def start_new_version(kinds=content_cache.KINDS):
    """Start a new version of ``kinds`` (all unless given) when the transaction commits, or at
    the end of the ``one_new_version()`` block this runs in: for a write outside the content
    apps that changes what public pages show (the search's synonym sets)."""
    _start_new_version(kinds)


@receiver(post_save)
@receiver(m2m_changed)
def start_new_content_version(sender, instance=None, **kwargs):
    if kwargs.get("action", "post").startswith("pre"):
        return
    if not _affects_search(sender):
        return
    changed = instance is None or changes_public_output(
        instance, kwargs.get("update_fields"), kwargs.get("created", False)
    )
    if "created" in kwargs and "live" in instance.__dict__:
        # post_save: the row now says this, for the instance's next save (``_saved_live``);
        # other receivers of this save still see what was read.
        instance._live_saved = instance.live
    if changed:
        kinds = set(kinds_of(sender if instance is None else type(instance)))
        if kwargs.get("model") is not None:  # m2m_changed: the records on the other side too.
            kinds.update(kinds_of(kwargs["model"]))
        _start_new_version(kinds)


@receiver(unpublished)
@receiver(page_unpublished)
def start_new_content_version_on_unpublish(sender, instance, **kwargs):
    if _affects_search(type(instance)):
        _start_new_version(kinds_of(type(instance)))


def _start_new_content_version_on_delete(sender, **kwargs):
    _start_new_version(kinds_of(sender))


# A post_delete receiver for every model would stop Django from deleting any model's rows in
# bulk ("fast delete"), so deletes are watched on the content models only.
for _model in apps.get_models():
    if _affects_search(_model):
        post_delete.connect(_start_new_content_version_on_delete, sender=_model)
        if any(field.name == "live" for field in _model._meta.concrete_fields):
            post_init.connect(_remember_live, sender=_model)
            pre_save.connect(_saved_live, sender=_model)
