"""Newsroom admin wiring: authors and videos as snippets under one «Редакция» menu."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Author, Video


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Авторы"
    list_display = ["name", "position"]
    search_fields = ["name"]


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = "Видео"
    list_display = ["title", "duration"]
    search_fields = ["title"]


class NewsroomViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, VideoViewSet)
    menu_icon = "group"
    menu_label = "Редакция"
    menu_name = "newsroom"


register_snippet(NewsroomViewSetGroup)


@hooks.register("insert_editor_js")
def editor_submit_js():
    # Flushes the rich-text editors into the form on submit and drops repeated submits.
    return format_html('<script src="{}"></script>', static("js/admin-editor.js"))
