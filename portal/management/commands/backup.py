from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format) and the media files, with a "
        "manifest of row counts and checksums, into a new folder under --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BACKUP_ROOT), help="Folder for the backups.")

    def handle(self, *args, **options):
        try:
            path = backup_create(directory=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Back-up geschreven: {path}")
