from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from vestnik.news.models import ArticlePage

from . import admin_views


@hooks.register("register_admin_urls")
def entities_admin_urls():
    return [
        path("entities/article/<id:article_id>/", admin_views.review, name="entities_review"),
    ]


@hooks.register("register_page_header_buttons")
def review_button(page, user, view_name, next_url=None):
    if page.specific_class is ArticlePage:
        yield Button(
            _("People, organisations, places"),
            reverse("entities_review", args=[page.pk]),
            icon_name="user",
            priority=80,
        )
