from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by 'manage.py backup' into an empty database and media "
        "folder; --force empties them first. Stop the web, worker and beat processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup folder (kp-<date>-<time>).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remove every table of the database and every media file before restoring.",
        )

    def handle(self, *args, **options):
        try:
            report = backup_restore(path=options["path"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Hersteld: {report['tables']} tabellen, {report['rows']} rijen, "
            f"{report['media_files']} mediabestanden; aantallen en controlegetallen kloppen."
        )
        if not report["cache_cleared"]:
            self.stderr.write("De cache kon niet worden geleegd: leeg hem voordat de site weer draait.")
        if report["pending_migrations"]:
            self.stderr.write(
                "De back-up is van een oudere versie: voer 'manage.py migrate' uit "
                f"({len(report['pending_migrations'])} migraties)."
            )
