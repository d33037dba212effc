from django.core.management.base import BaseCommand

from portal.links import check_links


class Command(BaseCommand):
    help = "Check the external addresses the content links to; the dashboard lists the broken ones."

    def handle(self, *args, **options):
        checked, broken = check_links()
        self.stdout.write(f"{checked} adressen gecontroleerd, {broken} werken niet.")
