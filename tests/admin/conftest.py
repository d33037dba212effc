import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from portal.services import BOARD, EDITORS

PASSWORD = "geheim-wachtwoord"


def staff_user(username, group_name=None):
    """A user in one of the editorial groups, or (without a group) a user who may only open
    the admin."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    else:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def editor(site_tree):
    return staff_user("redacteur", EDITORS)


@pytest.fixture
def board(site_tree):
    return staff_user("hoofdredacteur", BOARD)


@pytest.fixture
def admin_only(site_tree):
    """A user who may sign in to the admin and nothing else."""
    return staff_user("alleen-toegang")
