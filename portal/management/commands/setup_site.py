import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from knowledgebase import tallies
from portal.services import editorial_setup_ensure, local_admin_ensure, site_tree_ensure
from search import index as search_index
from search.models import SearchDocument


class Command(BaseCommand):
    help = "Build the page tree, the editorial groups and workflow (idempotent); optionally a local admin."

    def add_arguments(self, parser):
        parser.add_argument("--local-admin", action="store_true", help="Create a local superuser 'admin'.")
        parser.add_argument(
            "--starter-content", action="store_true", help="Also load or update the starter content."
        )
        parser.add_argument("--hostname", default=os.environ.get("SITE_HOSTNAME", "localhost"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("SITE_PORT", "80")))

    def handle(self, *args, **options):
        home = site_tree_ensure(hostname=options["hostname"], port=options["port"])
        editorial_setup_ensure(home=home)
        self.stdout.write("Site tree, groups and workflow are in place.")
        if options["local_admin"]:
            user, password = local_admin_ensure(password=os.environ.get("ADMIN_PASSWORD") or None)
            if password:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Local admin account created: username '{user.username}', password '{password}'"
                    )
                )
            else:
                self.stdout.write(
                    f"Local admin account '{user.username}' already exists "
                    "(its password was printed when it was created; reset it with "
                    "`python manage.py changepassword admin`)."
                )
        if options["starter_content"]:
            call_command("load_starter_content", stdout=self.stdout)
        if not SearchDocument.objects.exists():
            # An install from before the search had its own index, or content loaded without
            # signals: fill it once (the starter content's saves fill it as they go).
            search_index.rebuild()
            tallies.rebuild()
            self.stdout.write(f"Search index built: {SearchDocument.objects.count()} documents.")
