"""The permission registry: every app's grants reach the newsroom groups from `setup_newsroom`
alone, on a fresh database (no demo, no later migrate), and a second run changes nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from vestnik.core import permissions

pytestmark = pytest.mark.django_db


def _granted() -> dict:
    return {
        group.name: (
            sorted(
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")
            ),
            sorted(GroupPagePermission.objects.filter(group=group).values_list("pk", flat=True)),
            sorted(
                GroupCollectionPermission.objects.filter(group=group).values_list("pk", flat=True)
            ),
        )
        for group in Group.objects.order_by("name")
    }


def test_setup_newsroom_alone_grants_every_apps_permissions_once(wagtail_root):
    assert not Group.objects.filter(name__in=permissions.GROUPS).exists()  # a fresh install

    call_command("setup_newsroom", stdout=io.StringIO())
    first = _granted()
    editors, admins = first[permissions.EDITORS][0], first[permissions.ADMINS][0]
    assert "markets.change_ratessettings" in editors
    assert {"promos.add_promo", "promos.change_promo", "promos.view_lead"} <= set(editors)
    assert "promos.delete_lead" not in editors
    assert {"promos.delete_lead", "comments.change_commentsettings"} <= set(admins)
    assert "comments.change_comment" in editors
    for group, names in permissions.grants().items():
        assert names <= set(first[group][0]), group

    call_command("setup_newsroom", stdout=io.StringIO())
    assert _granted() == first


def test_an_unknown_group_is_refused():
    with pytest.raises(ValueError, match="unknown newsroom group"):
        permissions.grant("Editors", "markets.change_ratessettings")
