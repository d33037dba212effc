from django.core.management.base import BaseCommand, CommandError

from search import index
from search.kinds import ContentKind
from search.models import SearchDocument


class Command(BaseCommand):
    help = "Write the search index again from the public content (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help=f"Kinds: {', '.join(ContentKind)}")

    def handle(self, *args, kinds=(), **options):
        unknown = sorted(set(kinds) - set(ContentKind))
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(ContentKind)}.")
        for kind in kinds or ContentKind:
            index.rebuild([kind])
            count = SearchDocument.objects.filter(kind=kind).count()
            self.stdout.write(f"{kind}: {count} documents")
