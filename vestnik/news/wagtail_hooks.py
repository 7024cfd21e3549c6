"""Newsroom admin wiring: authors and videos as snippets under one «Редакция» menu; the warning
for a lead photo too narrow for the article."""

from django.contrib import messages
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ArticlePage, Author, Video


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


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def lead_photo_width_warn(request, page):
    """Saved with a lead photo narrower than the article shows it: say so on the page that follows."""
    if not isinstance(page, ArticlePage) or page.lead_image is None:
        return
    warning = page.lead_image.narrow_warning()
    if warning and request.accepts("text/html"):
        messages.warning(request, warning)
