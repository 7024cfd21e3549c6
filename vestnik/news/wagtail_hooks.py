"""Newsroom admin wiring: authors and videos as snippets under one «Редакция» menu; what pages
authors see (permissions.py); the warning for a lead photo too narrow for the article."""

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import admin_forbidden
from .models import ArticlePage, Author, Video
from .permissions import NewsroomPagePermissionPolicy, pages_visible_to, sees_every_page

# Explorer, admin page search, the sidebar's page menu and the site history report all ask this
# policy which pages a user may explore.
register_permission_policy(Page, NewsroomPagePermissionPolicy(Page))


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = gettext_lazy("Authors")
    list_display = ["name", "position"]
    search_fields = ["name"]


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = gettext_lazy("Videos")
    list_display = ["title", "duration"]
    search_fields = ["title"]


class NewsroomViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, VideoViewSet)
    menu_icon = "group"
    menu_label = gettext_lazy("Newsroom")
    menu_name = "newsroom"


register_snippet(NewsroomViewSetGroup)


@hooks.register("construct_explorer_page_queryset")
def explorer_hides_others_drafts(parent_page, pages, request):
    return pages_visible_to(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_hides_others_drafts(pages, request):
    return pages_visible_to(pages, request.user)


@hooks.register("construct_reports_menu")
def page_types_report_for_editors(request, menu_items):
    # It names the last edited page of each type: often another author's draft (admin_visibility.py).
    if not sees_every_page(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


class VisiblePagesOnly:
    """Bulk confirmations list the refused pages by title: leave out the ones the user may not see."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        visible = set(
            pages_visible_to(
                Page.objects.filter(
                    pk__in=[p.pk for p in [*objects, *extra["items_with_no_access"]]]
                ),
                self.request.user,
            ).values_list("pk", flat=True)
        )
        extra["items_with_no_access"] = [
            p for p in extra["items_with_no_access"] if p.pk in visible
        ]
        return [p for p in objects if p.pk in visible], extra


# Registered after Wagtail's own (order): the registry keeps the last class per action name.
for _wagtail_action in (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction):
    hooks.register(
        "register_bulk_action",
        type(_wagtail_action.__name__, (VisiblePagesOnly, _wagtail_action), {}),
        order=100,
    )


@hooks.register("register_bulk_action", order=100)
class SnippetDeleteForPermittedOnly(SnippetDeleteBulkAction):
    """Wagtail's bulk delete of snippets, refused outright to users with no permission on the model.

    Wagtail would list the refused items by name (a comment's name and text, a lead…) to anyone.
    """

    action_type = "delete"

    def dispatch(self, request, *args, **kwargs):
        actions = ["view", "add", "change", "delete"]
        if not self.permission_policy.user_has_any_permission(request.user, actions):
            return admin_forbidden(request, _("You have no access to these records."))
        return super().dispatch(request, *args, **kwargs)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def lead_photo_width_warn(request, page):
    """Saved with a lead photo narrower than the article shows it: say so on the page that follows."""
    if not isinstance(page, ArticlePage) or page.lead_image is None:
        return
    warning = page.lead_image.narrow_warning()
    if warning and request.accepts("text/html"):
        messages.warning(request, warning)


@hooks.register("insert_editor_js")
def editor_submit_js():
    # Flushes the rich-text editors into the form on submit and drops repeated submits.
    return format_html('<script src="{}"></script>', static("js/admin-editor.js"))
