"""Multi-step writes for the site as a whole: building the page tree, the editorial groups
and the review workflow. Every service here is idempotent."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from countries.models import CountryIndexPage
from kit.translations import source_language_filter
from models_infra.models import InfrastructureModelIndexPage

from .models import ContentPage, HomePage
from .site_pages import GENERIC_PAGES

EDITORS = "Redacteuren"
BOARD = "Hoofdredactie"
WORKFLOW_NAME = "Redactie en publicatie"
APPROVAL_TASK_NAME = "Goedkeuring hoofdredactie"
HOME_TITLE = "Kennisportaal Loopbaanbegeleiding"
HOME_INTRO = (
    "<p>Hoe organiseren andere Europese landen loopbaanbegeleiding, en hoe zorgen zij dat de "
    "juiste onderzoeksvragen worden opgepakt en dat kennis bij praktijk en beleid terechtkomt? "
    "Dit portaal brengt landenprofielen, onderzoek, bevindingen en open vragen samen.</p>"
)

# Snippet models with drafts go through the review workflow.
WORKFLOW_MODELS = [
    ("knowledgebase", "study"),
    ("knowledgebase", "finding"),
    ("knowledgebase", "researchquestion"),
    ("knowledgebase", "theme"),
    ("knowledgebase", "organisation"),
    ("knowledgebase", "framework"),
    ("knowledgebase", "frameworkassessment"),
    ("knowledgebase", "bottomline"),
]
# Snippet models editors maintain directly.
EDITABLE_MODELS = [
    *WORKFLOW_MODELS,
    ("knowledgebase", "method"),
    ("countries", "dimension"),
]
# Models only the board maintains: the search's synonym sets.
BOARD_MODELS = [
    ("search", "synonymset"),
]


def _child(parent, model, slug, **fields):
    """Return the child of ``parent`` with ``slug``, creating it as a published ``model``."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _tree_roots_ensure():
    """The default locale, the root page and the root collection.

    Wagtail's migrations create them; a database emptied by ``flush`` (as transactional tests
    do) has none, and the site tree can then still be built.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", draft_title="Root"))
    return root


@transaction.atomic
def site_tree_ensure(*, hostname="localhost", port=80):
    """Create the home page, the section index pages and the generic pages if missing.

    Wagtail's initial migration creates a placeholder welcome page; it is replaced by the
    portal's home page the first time this runs.
    """
    root = _tree_roots_ensure()
    home = source_language_filter(HomePage.objects.all()).first()
    if home is None:
        for placeholder in root.get_children().filter(slug="home"):
            if not isinstance(placeholder.specific, HomePage):
                placeholder.delete()
        home = HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=HOME_TITLE
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()

    _child(
        home,
        CountryIndexPage,
        "landen",
        title="Landen",
        intro="<p>Profielen van landen en regio's, allemaal volgens dezelfde opbouw.</p>",
    )
    _child(home, InfrastructureModelIndexPage, "kennisinfrastructuur", title="Kennisinfrastructuur")
    for spec in GENERIC_PAGES:
        _child(home, ContentPage, spec["slug"], title=spec["title"], intro=spec["intro"], body=spec["body"])
    return home


def _model_permissions(app_label, model, actions):
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    return Permission.objects.filter(
        content_type=content_type, codename__in=[f"{action}_{model}" for action in actions]
    )


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@transaction.atomic
def editorial_setup_ensure(*, home):
    """Create the editors and editorial board groups, their permissions and the workflow.

    Editors ("Redacteuren") edit, translate and submit; the board ("Hoofdredactie") approves,
    publishes, alone deletes and moves pages (``kit.page_permissions``) and alone maintains
    the search's synonym sets (``BOARD_MODELS``). Pages and the drafted snippets share the
    same two-step workflow. Page permissions and the workflow hang on the tree's root, so they
    hold for the Dutch pages under ``home`` and for their English translations, which live in
    a tree of their own.
    """
    tree_root = home.get_parent()
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    board, _ = Group.objects.get_or_create(name=BOARD)
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    translate = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )

    view_links = Permission.objects.get(content_type__app_label="portal", codename="view_linkcheck")
    run_links = Permission.objects.get(content_type__app_label="portal", codename="run_link_check")
    editors.permissions.add(view_links)
    board.permissions.add(view_links, run_links)
    for app_label, model in BOARD_MODELS:
        board.permissions.add(*_model_permissions(app_label, model, ["add", "change", "delete"]))
    for group, actions, page_codenames in [
        (editors, ["add", "change", "view"], ["add_page", "change_page", "lock_page"]),
        (
            board,
            ["add", "change", "delete", "view", "publish", "lock", "unlock"],
            ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"],
        ),
    ]:
        group.permissions.add(admin_access, translate)
        for app_label, model in EDITABLE_MODELS:
            group.permissions.add(*_model_permissions(app_label, model, actions))
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=tree_root, permission=_page_permission(codename)
            )
        collection = Collection.get_first_root_node()
        for codename in ["add_document", "change_document", "choose_document", "add_image", "choose_image"]:
            app_label = "wagtaildocs" if codename.endswith("document") else "wagtailimages"
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )

    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME)
    task.groups.set([board])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # Workflow is a ClusterableModel: its child relation only writes on save, so the
    # link is created through the model itself.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=tree_root, defaults={"workflow": workflow})
    for app_label, model in WORKFLOW_MODELS:
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    return workflow


def local_admin_ensure(*, username="admin", email="admin@localhost", password=None):
    """Create a local superuser once. Returns (user, password or None if it already existed)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, None
    password = password or secrets.token_urlsafe(12)
    user = User.objects.create_superuser(username=username, email=email, password=password)
    return user, password
