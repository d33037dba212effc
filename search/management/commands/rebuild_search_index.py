from django.core.management.base import BaseCommand, CommandError
from wagtail.documents import get_document_model

from knowledgebase import tallies
from search import documents, index
from search.kinds import ContentKind
from search.models import DocumentText, SearchDocument


class Command(BaseCommand):
    help = "Write the search index again from the public content (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help=f"Kinds: {', '.join(ContentKind)}")

    def handle(self, *args, kinds=(), **options):
        unknown = sorted(set(kinds) - set(ContentKind))
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(ContentKind)}.")
        if not kinds or ContentKind.STUDIES in kinds:
            self._extract_missing_texts()
        for kind in kinds or ContentKind:
            index.rebuild([kind])
            count = SearchDocument.objects.filter(kind=kind).count()
            self.stdout.write(f"{kind}: {count} documents")
        counted = {ContentKind.STUDIES, ContentKind.FINDINGS, ContentKind.QUESTIONS}
        if not kinds or counted & set(kinds):
            tallies.rebuild()
            self.stdout.write("Counts per theme, country and model (tallies) counted again.")

    def _extract_missing_texts(self):
        """Read the PDFs of public studies whose text was never extracted (uploaded before the
        search read them, or while the worker was down)."""
        ids = (
            index.public_queryset(ContentKind.STUDIES)
            .exclude(document=None)
            .exclude(document_id__in=DocumentText.objects.values("document_id"))
            .values_list("document_id", flat=True)
            .distinct()
        )
        for document in get_document_model().objects.filter(pk__in=list(ids)):
            documents.extract(document)
