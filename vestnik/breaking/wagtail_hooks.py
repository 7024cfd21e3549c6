"""Newsroom admin: Отчёты → Telegram (read-only, «Повторить» for failed posts) and a warning on the
dashboard while posts are failing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views, selectors


@hooks.register("register_admin_urls")
def breaking_admin_urls():
    return [
        path("telegram/", admin_views.posts, name="breaking_telegram"),
        path("telegram/<id:post_id>/retry/", admin_views.retry, name="breaking_telegram_retry"),
    ]


class TelegramMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_reports_menu_item")
def telegram_menu_item():
    return TelegramMenuItem(
        gettext_lazy("Telegram"),
        reverse("breaking_telegram"),
        name="telegram",
        icon_name="mail",
        order=900,
    )


class TelegramFailedPanel(Component):
    name = "telegram_failed"
    order = 50
    template_name = "breaking/admin/home_panel.html"

    def __init__(self, failed: int):
        self.failed = failed

    def get_context_data(self, parent_context=None):
        return {"failed": self.failed, "url": reverse("breaking_telegram")}


@hooks.register("construct_homepage_panels")
def telegram_failed_panel(request, panels):
    if not request.user.has_perm(admin_views.VIEW):
        return
    failed = selectors.telegram_failed_count()
    if failed:
        panels.insert(0, TelegramFailedPanel(failed))
