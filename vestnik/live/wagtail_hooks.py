from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin_views, services
from .models import LiveBroadcastPage


@hooks.register("register_admin_urls")
def live_admin_urls():
    return [
        path("live/", admin_views.index, name="live_index"),
        path("live/<id:page_id>/", admin_views.screen, name="live_screen"),
        path("live/<id:page_id>/finish/", admin_views.finish, name="live_finish"),
        path("live/<id:page_id>/<id:post_id>/", admin_views.post_edit, name="live_post_edit"),
        path(
            "live/<id:page_id>/<id:post_id>/action/",
            admin_views.post_action,
            name="live_post_action",
        ),
    ]


class WritersMenuItem(MenuItem):
    def is_shown(self, request):
        return services.can_write(request.user)


@hooks.register("register_admin_menu_item")
def live_menu_item():
    return WritersMenuItem(
        _("Live broadcasts"), reverse("live_index"), icon_name="radio-full", order=250
    )


def _screen_button(page, user):
    if page.specific_class is LiveBroadcastPage and services.can_write(user):
        yield Button(
            _("Posts of the broadcast"),
            reverse("live_screen", args=[page.pk]),
            icon_name="radio-full",
            priority=5,
        )


@hooks.register("register_page_header_buttons")
def header_button(page, user, view_name, next_url=None):
    yield from _screen_button(page, user)


@hooks.register("register_page_listing_buttons")
def listing_button(page, user, next_url=None):
    yield from _screen_button(page, user)
