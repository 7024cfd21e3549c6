from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from vestnik.news.models import ArticlePage

from . import admin_views


@hooks.register("register_admin_urls")
def related_admin_urls():
    return [
        path("related/article/<id:article_id>/", admin_views.review, name="related_review"),
        path(
            "related/article/<id:article_id>/insert/<id:related_id>/",
            admin_views.insert,
            name="related_insert",
        ),
    ]


@hooks.register("register_page_header_buttons")
def related_button(page, user, view_name, next_url=None):
    if page.specific_class is ArticlePage:
        yield Button(
            _("Similar articles"),
            reverse("related_review", args=[page.pk]),
            icon_name="doc-full",
            priority=85,
        )
