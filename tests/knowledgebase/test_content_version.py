"""The content version that names what is cached: read once per request, renewed only by
what changes public output, once per transaction, and a release of its own per deploy."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kit.release import source_fingerprint
from knowledgebase import content_cache, imports, selectors, signals, warmup
from knowledgebase.models import Study
from portal.services import site_tree_ensure
from portal.starter_content import starter_content_load
from tests.factories import FrameworkFactory, StudyFactory

pytestmark = pytest.mark.django_db


def _in_request(function):
    """Run ``function`` as a view would: inside the middleware that keeps the version."""
    return content_cache.RequestContentVersion(lambda request: function())(None)


def test_a_value_computed_before_a_change_is_not_served_after_it():
    """A request reads the content, another process commits a change (a new version), then
    the request stores what it computed: the next request must not get the old value."""

    def stale_request():
        assert content_cache.cache_get("page:x") is None  # A miss: compute from the content...
        cache.set(content_cache.version_key("study"), "changed-elsewhere", None)  # ...a commit elsewhere...
        content_cache.cache_set("page:x", "computed before the change")  # ...store.

    _in_request(stale_request)
    assert _in_request(lambda: content_cache.cache_get("page:x")) is None


def test_a_request_that_changes_content_reads_the_new_version():
    def request():
        before = content_cache.content_version()
        content_cache.content_changed()
        return before, content_cache.content_version()

    before, after = _in_request(request)
    assert before != after
    assert content_cache.content_version() == after


def _changes(callbacks):
    """The kinds of each new version ``callbacks`` start."""
    return [
        callback.args[0] if callback.args else content_cache.KINDS
        for callback in callbacks
        if getattr(callback, "func", callback) is warmup.content_changed
    ]


def _bumps(callbacks):
    return len(_changes(callbacks))


def test_drafts_and_locks_start_no_new_version(django_capture_on_commit_callbacks, admin_user):
    study = StudyFactory(live=True)
    with django_capture_on_commit_callbacks() as callbacks:
        study.title = "Een nieuwe titel in concept"
        study.save_revision(user=admin_user)  # A draft of a published study.
        study.locked, study.locked_by = True, admin_user
        study.save(update_fields=["locked", "locked_by", "locked_at"])
        StudyFactory(live=False, title="Nog niet gepubliceerd")  # A new draft.
    assert _bumps(callbacks) == 0


def test_publishing_and_unpublishing_start_one_new_version(django_capture_on_commit_callbacks, admin_user):
    study = StudyFactory(live=False)
    revision = study.save_revision(user=admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        revision.publish(user=admin_user)
    assert _bumps(callbacks) == 1
    study.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        study.unpublish(user=admin_user)
    assert _bumps(callbacks) == 1


RIS = "".join(
    f"TY  - RPRT\nTI  - Walvisrapport {number}\nAU  - Jansen, P.\nPY  - 2020\nER  -\n\n"
    for number in range(6)
)


def test_an_import_starts_one_new_version(django_capture_on_commit_callbacks, admin_user):
    records = imports.read("walvis.ris", RIS.encode())
    with django_capture_on_commit_callbacks() as callbacks:
        outcome = imports.import_records(records, user=admin_user)
    assert len(outcome.created) == 6
    assert _changes(callbacks) == [("study",)]


def test_an_import_that_adds_nothing_starts_no_new_version(django_capture_on_commit_callbacks, admin_user):
    """Every reference of the file is already in the knowledge base: nothing changed."""
    records = imports.read("walvis.ris", RIS.encode())
    imports.import_records(records, user=admin_user)
    with django_capture_on_commit_callbacks() as callbacks:
        outcome = imports.import_records(records, user=admin_user)
    assert not outcome.created
    assert _bumps(callbacks) == 0


def test_a_bulk_write_starts_one_new_version_of_the_kinds_it_changed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, signals.one_new_version():
        for _number in range(5):
            StudyFactory(live=True)
        FrameworkFactory(live=True)
    assert _changes(callbacks) == [("study", "framework")]


def test_a_bulk_write_of_drafts_only_starts_no_new_version(django_capture_on_commit_callbacks, admin_user):
    with django_capture_on_commit_callbacks() as callbacks, signals.one_new_version():
        for _number in range(3):
            StudyFactory(live=False).save_revision(user=admin_user)
    assert _bumps(callbacks) == 0


def test_loading_the_starter_content_starts_one_new_version(django_capture_on_commit_callbacks):
    site_tree_ensure()
    with django_capture_on_commit_callbacks() as callbacks:
        starter_content_load()
    assert _bumps(callbacks) == 1


def test_loaddata_starts_a_new_version(tmp_path, django_capture_on_commit_callbacks):
    """Raw saves change content too."""
    fixture = tmp_path / "studies.json"
    studies = [StudyFactory(live=True) for _number in range(3)]
    call_command("dumpdata", "knowledgebase.study", output=str(fixture), verbosity=0)
    Study.objects.filter(pk__in=[study.pk for study in studies]).delete()
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("loaddata", str(fixture), verbosity=0)
    assert Study.objects.count() == 3
    assert _changes(callbacks) == [("study",)]  # One for the whole fixture, not one per row.


def _keys():
    """The keys of a value on studies, one on frameworks and one on all content."""
    return _in_request(
        lambda: (
            content_cache.cache_key("x", kinds=("study",)),
            content_cache.cache_key("x", kinds=("framework",)),
            content_cache.cache_key("x"),
        )
    )


def test_publishing_a_study_renews_only_what_depends_on_studies(
    django_capture_on_commit_callbacks, admin_user
):
    study = StudyFactory(live=False)
    revision = study.save_revision(user=admin_user)
    on_studies, on_frameworks, on_everything = _keys()
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=admin_user)
    after = _keys()
    assert after[0] != on_studies
    assert after[1] == on_frameworks
    assert after[2] != on_everything


def test_counts_per_theme_stay_cached_when_a_framework_is_published(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The counts per theme are computed from studies, findings and questions only."""
    counts = _in_request(lambda: selectors.count_by("themes"))
    with django_capture_on_commit_callbacks(execute=True):
        FrameworkFactory(live=True)
    with django_assert_num_queries(0):
        assert _in_request(lambda: selectors.count_by("themes")) == counts
    with django_capture_on_commit_callbacks(execute=True):
        StudyFactory(live=True)
    with django_assert_num_queries(1):  # the tallies, computed again
        _in_request(lambda: selectors.count_by("themes"))


def test_a_request_reads_the_versions_of_all_kinds_at_once():
    """Later changes of any kind do not reach a request that has read the versions."""

    def request():
        before = content_cache.cache_key("x", kinds=("framework",))
        cache.set(content_cache.version_key("framework"), "changed-elsewhere", None)
        return before, content_cache.cache_key("x", kinds=("framework",))

    before, during = _in_request(request)
    assert before == during
    assert _in_request(lambda: content_cache.cache_key("x", kinds=("framework",))) != before


def test_a_deploy_of_changed_code_changes_the_cache_prefix(tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<main>oud</main>")
    before = source_fingerprint(tmp_path)
    assert source_fingerprint(tmp_path) == before  # Same code, same release.
    template.write_text("<main>nieuw</main>")
    assert source_fingerprint(tmp_path) != before


def test_the_release_is_in_every_cache_key(settings):
    from kit.cache import cache_settings
    from kit.release import release

    assert release(settings.BASE_DIR, " v2026.12 ") == "v2026.12"
    assert release(settings.BASE_DIR) == source_fingerprint(settings.BASE_DIR)
    if "KEY_PREFIX" in settings.CACHES["default"]:
        assert settings.CACHES["default"]["KEY_PREFIX"].endswith(f":{settings.RELEASE}")
    assert cache_settings("redis://x/1", key_prefix="kp:abc")["KEY_PREFIX"] == "kp:abc"


def test_a_record_taken_offline_by_a_plain_save_starts_a_new_version(django_capture_on_commit_callbacks):
    study = Study.objects.get(pk=StudyFactory(live=True).pk)
    with django_capture_on_commit_callbacks() as callbacks:
        study.live = False
        study.save()
    assert _bumps(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        study.title = "Offline bijgewerkt"
        study.save()  # Not live before nor after.
    assert _bumps(callbacks) == 0
