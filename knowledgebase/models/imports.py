from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One upload of a RIS or BibTeX file and what became of it.

    The file is kept as uploaded; a Celery task (``knowledgebase.tasks.import_studies``) reads
    and imports it, all or nothing, and writes the outcome here: the counts and a report with
    one line per reference, or the reasons the file was refused. Only the uploader and the
    editorial board may see a job (``admin_views``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Geïmporteerd")
        REFUSED = "refused", _("Niet geïmporteerd")

    class Outcome(models.TextChoices):
        """What happened to one reference (a line of ``report``)."""

        CREATED = "created", _("Geïmporteerd als concept")
        IN_KNOWLEDGE_BASE = "present", _("Overgeslagen: staat al in de kennisbank")
        REPEATED = "repeated", _("Overgeslagen: staat eerder in dit bestand")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geïmporteerd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    data = models.BinaryField(_("bestand"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    references = models.PositiveIntegerField(_("referenties"), default=0)
    created_count = models.PositiveIntegerField(_("geïmporteerd"), default=0)
    skipped_count = models.PositiveIntegerField(_("overgeslagen"), default=0)
    # One [number, title, outcome, study id or None] per reference, in the order of the file.
    report = models.JSONField(_("verslag"), default=list, blank=True)
    # Why the file was refused, one message per problem, each naming its reference.
    messages = models.JSONField(_("meldingen"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.REFUSED)
