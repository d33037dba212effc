"""The search index: one row per public document and its tokens (``index.py`` writes them,
``analysis.py`` makes the tokens), and the synonyms the board maintains."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import ContentKind


class SearchDocument(models.Model):
    """A public record or page as the search shows it. Only ``index.py`` writes these, and only
    from what the public may see: a draft has no row."""

    kind = models.CharField(max_length=20, choices=[(kind.value, kind.name) for kind in ContentKind])
    object_id = models.BigIntegerField()
    language = models.CharField(max_length=8, default="nl")
    url = models.CharField(max_length=500)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The title's words, folded and joined by one space: an exact title match ranks first.
    title_key = models.CharField(max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The values a search's facets count, as "name:value" separated by spaces (a theme, country,
    # model or method by primary key; type, strength and language by code): the facet counts of
    # a result list read these rows instead of every link table. Studies and findings only;
    # NULL in a document written before the index kept them (``rebuild_search_index`` fills it).
    facets = models.TextField(null=True, blank=True)  # noqa: DJ001 (NULL: not yet written)
    # What a result shows besides its title, URL and summary (authors, type, strength, a country
    # profile's sections, ...): the results page is rendered from these rows. NULL in a document
    # written before the index kept it; such a result is read from its record.
    display = models.JSONField(null=True, blank=True)
    # Tokens per field (BM25F's length normalisation).
    title_length = models.PositiveIntegerField(default=0)
    summary_length = models.PositiveIntegerField(default=0)
    body_length = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title[:60]}"


class SearchTerm(models.Model):
    """One token of one document with its BM25 weight (without the term's idf, which the query
    adds). ``kind`` and ``object_id`` repeat the document's, so a search reads this table only."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    token = models.CharField(max_length=100)
    weight = models.FloatField()

    class Meta:
        indexes = [
            # A token's documents over every kind (how common it is).
            models.Index(fields=["token", "kind", "object_id", "weight"], name="search_term_lookup"),
            # A word's documents of one kind where it weighs most first (a search's candidates).
            models.Index(fields=["kind", "token", "-weight", "object_id"], name="search_term_best"),
            # A document's tokens (scoring the candidates, rewriting a document).
            models.Index(fields=["kind", "object_id", "token", "weight"], name="search_term_document"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.token}"


class SearchToken(models.Model):
    """How many documents of a kind hold a token: BM25's document frequency, read once per
    search instead of counting a token's rows. ``index.update`` keeps it in step in the same
    transaction as the rows it writes; the token ``""`` counts the kind's documents."""

    kind = models.CharField(max_length=20)
    token = models.CharField(max_length=100)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "kind"], name="search_token_unique")]

    def __str__(self):
        return f"{self.kind}:{self.token} {self.documents}"


class SynonymSet(models.Model):
    """Words and phrases that mean the same to a reader (LOB, loopbaanoriëntatie en
    -begeleiding). A search for one finds the others; applied when a query is read, so a change
    needs no new index."""

    terms = models.TextField(
        _("synoniemen"),
        help_text=_(
            "Eén woord of woordgroep per regel, of gescheiden door komma's. "
            "Zoeken op één ervan vindt ook de andere."
        ),
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synoniemenset")
        verbose_name_plural = _("synoniemen")

    def __str__(self):
        return ", ".join(self.entries())

    def entries(self):
        return [entry.strip() for entry in self.terms.replace("\n", ",").split(",") if entry.strip()]


class DocumentText(models.Model):
    """The text of an uploaded PDF, page by page, as ``documents.py`` extracted it; a study
    that links the document is found by it. ``error`` says why a file gave no text."""

    document = models.OneToOneField("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=40, blank=True)
    pages = models.JSONField(default=list)
    error = models.CharField(max_length=300, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.document_id}: {len(self.pages)} pages"
