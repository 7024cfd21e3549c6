"""Who sees which pages in the admin: authors do not see other people's unpublished drafts.

Wagtail lets anyone with `add` on the home page explore the whole tree, drafts included, and shows
the *draft* title of a page everywhere in the admin. In the newsroom an author's draft is theirs
until an editor publishes it, so for users who cannot change or publish pages (the «Авторы»
group) the admin lists only their own pages and live pages whose title has no unpublished change.
Editors, administrators and superusers see everything. docs/security.md, «Права авторов».
"""

from django.db.models import F, Q
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy


def sees_every_page(user) -> bool:
    """Editors, administrators, superusers: anyone who may change or publish pages they don't own."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Not user_has_any_permission: for pages it counts `add` as `change` (owners edit their own).
    granted = {
        perm.permission.codename
        for perm in PagePermissionPolicy(Page).get_cached_permissions_for_user(user)
    }
    return bool(granted & {"change_page", "publish_page"})


# The page permissions that make a page and everything under it explorable (Wagtail's
# PagePermissionPolicy.explorable_instances).
EXPLORE_CODENAMES = {
    f"{action}_page" for action in ("add", "change", "publish", "lock", "unlock", "bulk_delete")
}


def explores_everything_under(user, page) -> bool:
    """Whether every page under `page` is in `user`'s explorable pages: a superuser, or a user who
    sees every page (not an author) holding an explore permission on `page` or an ancestor. The
    explorer can then list `page`'s children without filtering them by the explorable pages, a
    join over the whole page table (0.5–1.2 s at 1,000,000 articles, bench/README.md)."""
    if not sees_every_page(user):
        return False
    if user.is_superuser:
        return True
    return any(
        perm.permission.codename in EXPLORE_CODENAMES and page.path.startswith(perm.page.path)
        for perm in PagePermissionPolicy(Page).get_cached_permissions_for_user(user)
    )


def visible_pages_q(user) -> Q:
    """The pages `user` may see in the admin (their titles, in lists, reports and confirmations)."""
    return (
        Q(owner_id=user.pk)
        | Q(live=True, has_unpublished_changes=False)
        | Q(live=True, draft_title=F("title"))
    )


def pages_visible_to(queryset, user):
    if sees_every_page(user):
        return queryset
    # As a pk subquery: querysets about to be searched accept only indexed fields in conditions.
    return queryset.filter(pk__in=Page.objects.filter(visible_pages_q(user)).values("pk"))


def page_visible_to(page, user) -> bool:
    return sees_every_page(user) or pages_visible_to(Page.objects.filter(pk=page.pk), user).exists()


class NewsroomPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with authors' explorable pages narrowed to what they may see.

    `explorable_instances` feeds the page explorer, the admin page search, the admin API behind the
    sidebar's page menu and `PageLogEntry.objects.viewable_by_user` (the site history report).
    """

    def explorable_instances(self, user):
        return pages_visible_to(super().explorable_instances(user), user)
