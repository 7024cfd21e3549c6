"""Live broadcasts («Онлайн-трансляция»): a page readers open, and posts that are not pages.

A post is a row of its own, not part of the page's revisions: the newsroom adds, corrects, pins
and deletes posts every minute, and none of that may create a revision or wait for a republish.
The coverage times are a row of their own for the same reason (`BroadcastCoverage`): a field on
the page would be written back from an older revision at the next publish.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from vestnik.core.paging import KeysetPage, keyset_page, keyset_page_or_404
from vestnik.news.models import AtomicPublishMixin, NewsImage, RubricPage, StoryPage
from vestnik.news.sanitize import sanitize_rich_text

from . import stream

POST_TIME = "posted_at"


class LiveBroadcastPage(AtomicPublishMixin, Page):
    """«Онлайн-трансляция»: title, lead, photo; its posts are written on its own admin screen."""

    parent_page_types = ["news.RubricPage"]
    subpage_types: list[str] = []
    template = "live/live_broadcast_page.html"

    lead = models.TextField("лид", blank=True, help_text="Одно-два предложения под заголовком")
    lead_image = models.ForeignKey(
        NewsImage,
        verbose_name="главное фото",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    story = models.ForeignKey(
        StoryPage,
        verbose_name="сюжет",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_broadcasts",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("lead_image"),
        FieldPanel("story"),
    ]

    class Meta:
        verbose_name = "онлайн-трансляция"
        verbose_name_plural = "онлайн-трансляции"

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.depth else None
        if parent is not None and parent.specific_class is not RubricPage:
            raise ValidationError(_("A live broadcast must be in a rubric: choose one."))

    def get_context(self, request, *args, **kwargs):
        """Coverage, the stream cursor (read before the posts: a post in between is replayed, not
        lost) and one keyset page of posts; the same number of queries for 20 posts or 20,000."""
        context = super().get_context(request, *args, **kwargs)
        context["channel"] = stream.channel_name(self.pk)
        context["channel_last"] = stream.last_id(self.pk)
        context["coverage"] = BroadcastCoverage.of(self.pk)
        context["listing"] = LivePost.objects.reader_page(self.pk, request=request)
        context["rubric"] = SimpleLazyObject(lambda: self.get_parent().specific)
        return context


class BroadcastCoverage(models.Model):
    """When a broadcast started (first publish or first post) and finished (set on its screen)."""

    page = models.OneToOneField(
        LiveBroadcastPage, on_delete=models.CASCADE, primary_key=True, related_name="coverage"
    )
    started_at = models.DateTimeField("начало", null=True, blank=True)
    finished_at = models.DateTimeField("завершена", null=True, blank=True)

    class Meta:
        verbose_name = "ход трансляции"
        verbose_name_plural = "ход трансляций"

    def __str__(self):
        return str(self.page_id)

    @classmethod
    def of(cls, page_id: int) -> "BroadcastCoverage":
        """The broadcast's row (unsaved and empty when it has none yet)."""
        return cls.objects.filter(page_id=page_id).first() or cls(page_id=page_id)

    @property
    def running(self) -> bool:
        return self.finished_at is None


class LivePostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=LivePost.PUBLISHED)

    def for_readers(self):
        """Published posts with their photos and renditions: two queries for a whole page."""
        return self.published().select_related("image").prefetch_related("image__renditions")

    def reader_page(self, page_id: int, request=None, cursor: str | None = None) -> KeysetPage:
        """Published posts newest first, 20 a page (core.paging, `?before=`; a hostile cursor is a
        404 when `request` gives it); the pinned post tops page 1 only."""
        posts = self.for_readers().filter(page_id=page_id)
        unpinned = posts.filter(pinned=False)
        if request is not None:
            listing = keyset_page_or_404(request, unpinned, time_field=POST_TIME)
        else:
            listing = keyset_page(unpinned, cursor=cursor, time_field=POST_TIME)
        if listing.is_first:
            pinned = list(posts.filter(pinned=True).order_by("-posted_at", "-id"))
            listing.items = pinned + list(listing.items)
        return listing


class LivePost(models.Model):
    """One post of a broadcast. Not a page and not revisioned; deleted means gone for readers."""

    DRAFT = "draft"
    PUBLISHED = "published"
    STATUSES = [(DRAFT, "черновик"), (PUBLISHED, "опубликован")]

    page = models.ForeignKey(
        LiveBroadcastPage, verbose_name="трансляция", on_delete=models.CASCADE, related_name="posts"
    )
    posted_at = models.DateTimeField(
        "время", default=timezone.now, help_text="Московское время (UTC+3). Пусто — сейчас."
    )
    text = models.TextField("текст")  # rich text HTML, whitelisted when saved and when read
    image = models.ForeignKey(
        NewsImage,
        verbose_name="фото",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quote_text = models.TextField("цитата", blank=True)
    quote_author = models.CharField("автор цитаты", max_length=255, blank=True)
    embed_url = models.URLField("ссылка для встраивания", max_length=500, blank=True)
    pinned = models.BooleanField("закреплён", default=False)
    important = models.BooleanField("важно", default=False)
    breaking = models.BooleanField("молния", default=False)
    status = models.CharField("статус", max_length=10, choices=STATUSES, default=DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="автор",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = LivePostQuerySet.as_manager()

    class Meta:
        verbose_name = "пост трансляции"
        verbose_name_plural = "посты трансляций"
        permissions = [
            (
                "publish_livepost",
                "Может публиковать, закреплять, удалять чужие посты и ставить «Молнию»",
            )
        ]
        indexes = [
            # The reader's keyset page: a broadcast's published posts, newest first.
            models.Index(
                fields=["page", "status", "-posted_at", "-id"], name="livepost_page_newest"
            ),
        ]

    def __str__(self):
        return f"{self.page_id}#{self.pk}"

    def save(self, *args, **kwargs):
        self.text = sanitize_rich_text(self.text or "")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.PUBLISHED

    @property
    def text_safe(self) -> str:
        """The text as readers get it: whitelisted again, whoever wrote the row."""
        return sanitize_rich_text(self.text or "")

    @property
    def key(self) -> str:
        return f"post:{self.pk}"
