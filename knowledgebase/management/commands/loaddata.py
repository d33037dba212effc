from django.core.management.commands import loaddata

from knowledgebase.signals import one_new_version


class Command(loaddata.Command):
    """Django's ``loaddata``, with one new content version for the whole load rather than
    one per object (each raw save of a content record would start one)."""

    def handle(self, *fixture_labels, **options):
        with one_new_version():
            return super().handle(*fixture_labels, **options)
