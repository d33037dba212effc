"""Who may delete and move pages.

Wagtail lets anyone who may change a page delete (and so move) it while it is not live. On this
portal only the editorial board deletes or moves pages (docs/content-editing.md): editors draft
and submit, they never remove another editor's work.
"""

from wagtail.models import PagePermissionTester


class BoardDeletesPagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, except that deleting and moving need the delete permission
    (``delete_page``, given to the board by ``editorial_setup_ensure``)."""

    def can_delete(self, ignore_bulk=False):
        if self.user.is_active and not self.user.is_superuser and "delete" not in self.permissions:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class BoardDeletesPageMixin:
    """For every page model of the portal: the permission rules of
    ``BoardDeletesPagePermissionTester``."""

    def permissions_for_user(self, user):
        return BoardDeletesPagePermissionTester(user, self)
