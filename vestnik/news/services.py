"""Writes of the news app: the newsroom's set-up (site, groups, workflow) and article creation."""

from anyascii import anyascii
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permissions import policy_registry

from vestnik.core import permissions
from vestnik.core.permissions import ADMINS, AUTHORS, EDITORS

from .models import ArticlePage, Author, HomePage, NewsImage, Video

WORKFLOW_NAME = "Редакторская проверка"

# Page permissions on the home page, inherited by the whole tree. `add` lets an author create
# pages and edit their own drafts and submit them; only `publish` makes anything live.
PAGE_PERMISSIONS = {
    AUTHORS: ["add_page"],
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}

ALL = ["add", "change", "delete"]
# Images and documents are permitted per collection (the root one: every collection).
COLLECTION_PERMISSIONS = {
    AUTHORS: ["add", "choose"],
    EDITORS: [*ALL, "choose"],
    ADMINS: [*ALL, "choose"],
}
# Snippets are permitted per model.
SNIPPET_PERMISSIONS = {
    AUTHORS: {Author: ["view"], Video: ["add", "view"]},
    EDITORS: {Author: [*ALL, "view"], Video: [*ALL, "view"]},
    ADMINS: {Author: [*ALL, "view"], Video: [*ALL, "view"]},
}


def _permissions(model, actions) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model)
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model._meta.model_name}",
            defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
        )[0]
        for action in actions
    ]


def _collection_auth_models() -> list:
    """The models whose permissions Wagtail checks for photos and documents: their policies' auth
    models. With a custom image model (news.NewsImage) Wagtail still checks wagtailimages.Image's
    add/change/choose codenames, so granting news.NewsImage's would leave authors without photos."""
    return [
        policy_registry.get_by_type(model).auth_model
        for model in (get_image_model(), get_document_model())
    ]


def _admin_access() -> Permission:
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    return Permission.objects.get_or_create(
        content_type=content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )[0]


@transaction.atomic
def newsroom_setup(
    site_name: str = "Вестник", hostname: str = "localhost", port: int = 80
) -> HomePage:
    """Make the site usable: home page, default site, the three newsroom groups and the review workflow.

    Idempotent: running it again changes nothing.
    """
    home = _home_ensure(site_name)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=site_name
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site_name
        site.save()

    page_content_type = ContentType.objects.get_for_model(Page)
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for codename in codenames:
            permission = Permission.objects.get(content_type=page_content_type, codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        for model in _collection_auth_models():
            for permission in _permissions(model, COLLECTION_PERMISSIONS[name]):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        group.permissions.add(_admin_access())
        for model, actions in SNIPPET_PERMISSIONS[name].items():
            group.permissions.add(*_permissions(model, actions))

    # Grants on news.NewsImage itself are checked by nothing (see _collection_auth_models).
    GroupCollectionPermission.objects.filter(
        group__in=groups.values(),
        permission__content_type=ContentType.objects.get_for_model(NewsImage),
    ).delete()
    permissions.grants_apply(groups)  # what the other apps asked for in ready()
    _workflow_ensure(home, groups[EDITORS])
    # Wagtail's stock groups would only confuse the newsroom; removed while nobody is in them.
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()
    return home


def _home_ensure(site_name: str) -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code="ru")
    root = Page.get_first_root_node()
    home = HomePage(title=site_name, slug="home", locale=Locale.objects.first())
    # Wagtail's stock "Welcome" page is replaced, not kept beside ours.
    for page in root.get_children():
        if page.specific_class is Page:
            if Site.objects.filter(root_page=page).exists():
                Site.objects.filter(root_page=page).delete()
            page.delete()
    root.refresh_from_db()
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


def _workflow_ensure(home: HomePage, editors: Group) -> None:
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name="Проверка редактором").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Проверка редактором")
        task.groups.set([editors])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The stock "Moderators approval" workflow on the root would shadow ours.
    WorkflowPage.objects.exclude(workflow=workflow).delete()
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


def slug_for(title: str, parent: Page) -> str:
    """A Latin slug, as Russian newsrooms use («peskov-rasskazal-o-raznoglasiiakh»), unique under parent."""
    base = slugify(anyascii(title))[:80].strip("-") or "statia"
    candidate, suffix = base, 1
    while parent.get_children().filter(slug=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def article_publish(
    rubric,
    *,
    title: str,
    slug: str | None = None,
    published_at=None,
    user=None,
    tags: list[str] = (),
    **fields,
) -> ArticlePage:
    """Create an article under `rubric` and publish it, as an editor pressing «Опубликовать» would.

    `published_at` backdates the article (imports, the demo); the first-publication time follows it.
    One transaction: a crash leaves no trace, never a live page without its revision or tags.
    """
    with transaction.atomic():
        article = ArticlePage(
            title=title, slug=slug or slug_for(title, rubric), published_at=published_at, **fields
        )
        rubric.add_child(instance=article)
        if tags:
            article.tags.add(*tags)
        article.save_revision(user=user).publish(user=user)
        if published_at is not None:
            ArticlePage.objects.filter(pk=article.pk).update(first_published_at=published_at)
    # As stored: the in-memory object lacks what publishing set (first_published_at, live revision).
    return ArticlePage.objects.get(pk=article.pk)
