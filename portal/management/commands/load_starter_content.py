from django.core.management.base import BaseCommand, CommandError

from portal.services import editorial_setup_ensure, site_tree_ensure
from portal.starter_content import StarterContentError, starter_content_load


class Command(BaseCommand):
    help = "Load the starter content from content/*.yaml, or update it in place (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Re-read the files even if they did not change."
        )

    def handle(self, *args, **options):
        home = site_tree_ensure()
        editorial_setup_ensure(home=home)
        try:
            report = starter_content_load(force=options["force"])
        except StarterContentError as error:
            raise CommandError(f"The starter content has errors; nothing was loaded:\n{error}") from error
        if report.up_to_date:
            self.stdout.write("Starter content is up to date.")
            return
        for label, counts in [("created", report.created), ("updated", report.updated)]:
            if counts:
                self.stdout.write(
                    f"{label}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
                )
        if report.skipped_not_owned:
            self.stdout.write(
                "left alone (created by staff, not by the loader): " + ", ".join(report.skipped_not_owned)
            )
        self.stdout.write(self.style.SUCCESS("Starter content loaded."))
