"""The newsroom's moderation queue: comments and blocks under one «Комментарии» menu.

Moderation is `change` permission on Comment (granted to editors and admins by
setup_newsroom from the grants in apps.py); every view and bulk action checks it.
"""

import django_filters
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import EditView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from vestnik.news.admin_views import admin_forbidden

from . import services
from .models import ArticleModeration, Block, Comment


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers only: nobody adds one in the admin, superusers included."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Comment, NoAddPermissionPolicy(Comment))


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Comment.Status.choices,
        empty_label=gettext_lazy("All"),
    )
    article = django_filters.CharFilter(
        label=gettext_lazy("Article (title or number)"), method="filter_article"
    )

    class Meta:
        model = Comment
        fields = ["status"]

    def filter_article(self, queryset, name, value):
        value = value.strip()
        condition = Q(article__title__icontains=value)
        if value.isdigit():
            condition |= Q(article_id=int(value))
        return queryset.filter(condition)


class ArticleColumn(Column):
    """The article a comment belongs to, linked to the reader's page."""

    def get_value(self, instance):
        article = instance.article
        url = article.url or ""
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, article.title)


class CommentIndexView(IndexView):
    """The queue opens on what waits for a decision; «Все» (an empty status) shows everything."""

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["status"] = Comment.Status.PENDING
        return kwargs

    @cached_property
    def columns(self):
        # The comment's text links to the comment (Wagtail links only a list_display string).
        title = self._get_title_column_class(TitleColumn)(
            "text",
            label=_("Comment"),
            accessor="__str__",
            get_url=lambda comment: self.get_edit_url(comment) or self.get_inspect_url(comment),
        )
        return [title if column.name == "text" else column for column in super().columns]


class CommentEditView(EditView):
    """Changing the status here goes through the moderation service, so the count stays exact."""

    def save_instance(self):
        status = self.form.cleaned_data["status"]
        action = {value: key for key, value in services.ACTIONS.items()}.get(status)
        comment = Comment.objects.get(pk=self.object.pk)
        if action:
            services.comment_moderate(comment, action, self.request.user)
        return Comment.objects.get(pk=self.object.pk)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Moderation queue")
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    filterset_class = CommentFilterSet
    list_display = [
        Column("text", label=gettext_lazy("Comment"), accessor="__str__"),
        ArticleColumn("article", label=gettext_lazy("Article")),
        "status",
        DateColumn("created_at", label=gettext_lazy("Sent")),
    ]
    list_per_page = 50
    ordering = ["-created_at"]
    search_fields = ["name", "text"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Comment.objects.select_related("article")


class BlockViewSet(SnippetViewSet):
    model = Block
    icon = "cross"
    menu_label = gettext_lazy("Blocks")
    list_display = ["__str__", "reason", DateColumn("created_at", label=gettext_lazy("Created"))]
    copy_view_enabled = False


class ArticleModerationViewSet(SnippetViewSet):
    model = ArticleModeration
    icon = "cog"
    menu_label = gettext_lazy("Article moderation")
    list_display = ["article", "moderation"]
    copy_view_enabled = False


class CommentsViewSetGroup(SnippetViewSetGroup):
    items = (CommentViewSet, BlockViewSet, ArticleModerationViewSet)
    menu_icon = "comment"
    menu_label = gettext_lazy("Comments")
    menu_name = "comments"


register_snippet(CommentsViewSetGroup)


class ModerateBulkAction(SnippetBulkAction):
    """Approve / reject / mark as spam the selected comments (needs `change` on Comment)."""

    models = [Comment]
    template_name = "comments/admin/confirm_bulk_moderate.html"
    question = ""

    def dispatch(self, request, *args, **kwargs):
        # Refused as a whole, before any comment is read: the confirmation would otherwise list the
        # refused comments (name and text) like the queue the user may not open.
        if not self.permission_policy.user_has_permission(request.user, "change"):
            return admin_forbidden(request, _("Only moderators may moderate comments."))
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_queryset(self, model, object_ids):
        return Comment.objects.filter(pk__in=object_ids).select_related("article")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "action_question": self.question,
        }

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = services.comments_moderate([obj.pk for obj in objects], cls.action_type, user)
        return changed, 0

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{self.display_name}: {num_parent_objects}"


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerateBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected comments")
    question = gettext_lazy("Publish these comments?")
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectBulkAction(ModerateBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected comments")
    question = gettext_lazy("Reject these comments? Readers will not see them.")
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamBulkAction(ModerateBulkAction):
    display_name = gettext_lazy("Spam")
    action_type = "spam"
    aria_label = gettext_lazy("Mark the selected comments as spam")
    question = gettext_lazy("Mark these comments as spam?")
    action_priority = 30


@hooks.register("register_bulk_action")
class BlockSenderBulkAction(ModerateBulkAction):
    display_name = gettext_lazy("Block the sender")
    action_type = "block"
    aria_label = gettext_lazy("Block the senders of the selected comments")
    question = gettext_lazy(
        "Block the senders (by address) of these comments? The comments will become spam."
    )
    action_priority = 40
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [obj.pk for obj in objects]
        return services.senders_block(ids, user, reason=_("from the moderation queue")), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("Senders blocked: %(count)s") % {"count": num_parent_objects}


@hooks.register("after_delete_snippet")
def _recount_after_delete(request, instances):
    # Deleting comments (superusers only) bypasses moderation: recount what they belonged to.
    article_ids = {obj.article_id for obj in instances if isinstance(obj, Comment)}
    for article_id in article_ids:
        services.comment_count_refresh(article_id)
