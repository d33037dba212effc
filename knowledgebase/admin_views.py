"""Admin views of the knowledge base beyond the snippet viewsets: the bulk import of studies
(an upload form, and a page per import that follows it and shows its report)."""

from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import imports, tasks
from .models import ImportJob

ADD_STUDY = "knowledgebase.add_study"
# The editorial board may publish studies; it sees every import, editors their own.
PUBLISH_STUDY = "knowledgebase.publish_study"
RECENT_JOBS = 10
# Seconds between reloads of an import's page while it is queued or running.
REFRESH_SECONDS = 5


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("RIS- of BibTeX-bestand"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Een export uit uw referentiebeheerder (Zotero, EndNote, Mendeley, ...), hoogstens "
            "%(size)s MB en %(count)s referenties. Elke referentie wordt een concept-onderzoek."
        ) % {
            "size": imports.MAX_FILE_BYTES // (1024 * 1024),
            "count": number_format(imports.MAX_RECORDS, force_grouping=True),
        }


def visible_jobs(user):
    """The import jobs ``user`` may see: their own; the board and superusers see all."""
    jobs = ImportJob.objects.defer("data").select_related("user")
    if user.is_superuser or user.has_perm(PUBLISH_STUDY):
        return jobs
    return jobs.filter(user=user)


def import_studies(request):
    """Upload a RIS or BibTeX file: it is stored as an import job, imported in the background,
    and the editor is sent to the job's page. A file that cannot be an import at all (too
    large, another type, not UTF-8, empty) gives the form again with the reason (400)."""
    if not request.user.has_perm(ADD_STUDY):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                job = imports.import_job_create(
                    user=request.user, name=upload.name, data=upload.read(imports.MAX_FILE_BYTES + 1)
                )
                transaction.on_commit(partial(tasks.import_studies.delay, job.pk))
        except imports.ImportRefused as refused:
            for message in refused.messages:
                form.add_error("file", message)
        else:
            return redirect("kennisbank_import_job", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "page_title": _("Onderzoek importeren"),
        "jobs": visible_jobs(request.user)[:RECENT_JOBS],
        "shows_all": request.user.is_superuser or request.user.has_perm(PUBLISH_STUDY),
    }
    return TemplateResponse(request, "knowledgebase/admin/import.html", context, status=status)


def import_job(request, job_id):
    """One import: its state while it is queued or running (the page reloads itself every few
    seconds, unless the editor turns that off), then its report or why it was refused. Only
    the uploader, the board and superusers see it; anyone else gets a 404."""
    if not request.user.has_perm(ADD_STUDY):
        raise PermissionDenied
    job = get_object_or_404(visible_jobs(request.user), pk=job_id)
    refresh = not job.finished and request.GET.get("vernieuwen") != "nee"
    labels = dict(ImportJob.Outcome.choices)
    context = {
        "job": job,
        "page_title": _("Import van %(file)s") % {"file": job.file_name},
        "refresh_seconds": REFRESH_SECONDS if refresh else None,
        "report": [(number, title, labels.get(outcome), pk) for number, title, outcome, pk in job.report],
    }
    return TemplateResponse(request, "knowledgebase/admin/import_job.html", context)
