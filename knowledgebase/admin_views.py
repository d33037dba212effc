"""Admin views of the knowledge base beyond the snippet viewsets: the bulk import of studies."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import imports

ADD_STUDY = "knowledgebase.add_study"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("RIS- of BibTeX-bestand"),
        help_text=gettext_lazy(
            "Een export uit uw referentiebeheerder (Zotero, EndNote, Mendeley, ...), hoogstens 2 MB "
            "en 500 referenties. Elke referentie wordt een concept-onderzoek."
        ),
    )


def import_studies(request):
    """Upload a RIS or BibTeX file; its records become draft studies, or nothing is written
    and the form says why (400)."""
    if not request.user.has_perm(ADD_STUDY):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = imports.read(upload.name, upload.read(imports.MAX_FILE_BYTES + 1))
            outcome = imports.import_records(records, request.user)
        except imports.ImportRefused as refused:
            for message in refused.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _summary(outcome))
            return redirect("wagtailsnippets_knowledgebase_study:list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "page_title": _("Onderzoek importeren")}
    return TemplateResponse(request, "knowledgebase/admin/import.html", context, status=status)


def _summary(outcome):
    created, skipped = len(outcome.created), len(outcome.skipped)
    text = ngettext(
        "%(count)s onderzoek geïmporteerd als concept.",
        "%(count)s onderzoeken geïmporteerd als concept.",
        created,
    ) % {"count": created}
    if skipped:
        text += " " + ngettext(
            "%(count)s referentie stond er al in en is overgeslagen.",
            "%(count)s referenties stonden er al in en zijn overgeslagen.",
            skipped,
        ) % {"count": skipped}
    return text
