from django.core.management.base import BaseCommand

from knowledgebase.search_indexes import search_partial_indexes_ensure


class Command(BaseCommand):
    help = (
        "Recreate the partial search indexes (PostgreSQL) whose content-type id is not this "
        "database's own, e.g. after data was restored into an already migrated database."
    )

    def handle(self, *args, **options):
        recreated = search_partial_indexes_ensure()
        if options["verbosity"] == 0:
            return
        if recreated:
            self.stdout.write(f"Opnieuw aangemaakt: {', '.join(recreated)}")
        else:
            self.stdout.write("De zoekindexen passen bij deze database.")
