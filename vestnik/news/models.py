"""The content model: home → rubrics → articles, stories across rubrics, authors, photos, videos."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from vestnik.core import tags
from vestnik.core.paging import keyset_page_or_404
from vestnik.core.shared import shared_value

from .blocks import ArticleBodyStreamBlock
from .forms import BREAKING_PERMISSION, ArticlePageForm, GoLiveInput, TypedDateTimeInput
from .restrictions import restricted_paths
from .uploads import video_file_check

MOSCOW_TIME_HELP = "Московское время (UTC+3)."
# The article shows its lead photo as a `width-1200` rendition (templates/news/article_page.html);
# a narrower original fills less than the column there and blurs in social previews (1200×630).
LEAD_PHOTO_WIDTH = 1200


class AtomicPublishMixin:
    """Publishing and unpublishing in one transaction: readers see the old version or the new one.

    Wagtail saves the page with its child rows (tags, authors) in one transaction, but commits the
    rest of a publish apart (the revisions' schedule before it; `page_published`, the workflow and
    the log after it): a crash in between left the new version live with no log entry and no
    domain event (feed, search, cache purge never told). Wrapped, a crash anywhere rolls all of
    it back, and the event (`transaction.on_commit`) fires once everything is stored. The revision
    is saved before, in its own transaction, so it survives a crash of the publish
    (news/tests/test_publish_crash.py).
    """

    def publish(self, revision, *args, **kwargs):
        with transaction.atomic():
            return super().publish(revision, *args, **kwargs)

    def unpublish(self, *args, **kwargs):
        with transaction.atomic():
            # Under the row lock, from the stored `live`: of two unpublishes at once (a double
            # click), the second finds the page already unpublished and does nothing (Wagtail
            # skips a page that is not live) instead of logging and announcing it again.
            stored = Page.objects.select_for_update().filter(pk=self.pk)
            self.live = bool(stored.values_list("live", flat=True).first())
            return super().unpublish(*args, **kwargs)


class NewsImage(AbstractImage):
    """A photo of the library with the caption and credit the newsroom reuses with it."""

    caption = models.CharField("подпись", max_length=500, blank=True)
    credit = models.CharField(
        "автор фото",
        max_length=255,
        blank=True,
        help_text="Как в подписи: «Александр Земляниченко / AP»",
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = "изображение"
        verbose_name_plural = "изображения"

    def narrow_warning(self) -> str:
        """What the admin warns of a photo too narrow for an article's lead photo; '' if wide enough."""
        if not self.width or self.width >= LEAD_PHOTO_WIDTH:
            return ""
        return _(
            "This photo is %(width)s px wide, an article's lead photo needs at least %(needed)s px: "
            "on the page it will not fill the column, in social previews it will be blurred."
        ) % {"width": self.width, "needed": LEAD_PHOTO_WIDTH}


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class Author(index.Indexed, models.Model):
    """A byline: staff journalist or contributor."""

    name = models.CharField("имя", max_length=255)
    position = models.CharField("должность", max_length=255, blank=True)
    photo = models.ForeignKey(
        NewsImage,
        verbose_name="фото",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "автор"
        verbose_name_plural = "авторы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Video(index.Indexed, models.Model):
    """A video of the library: an uploaded file or a link to embed, always with a poster."""

    title = models.CharField("название", max_length=255)
    file = models.FileField(
        "файл", upload_to="video/", blank=True, help_text="MP4 или WebM. Либо файл, либо ссылка."
    )
    embed_url = models.URLField("ссылка для встраивания", blank=True)
    poster = models.ForeignKey(
        NewsImage,
        verbose_name="обложка",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration = models.DurationField("длительность", null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("file"),
        FieldPanel("embed_url"),
        FieldPanel("poster"),
        FieldPanel("duration"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "видео"
        verbose_name_plural = "видео"

    def __str__(self):
        return self.title

    @property
    def mime_type(self) -> str:
        if not self.file:
            return ""
        return mimetypes.guess_type(self.file.name)[0] or "video/mp4"

    def clean(self):
        if not self.file and not self.embed_url:
            raise ValidationError(_("Upload a video file or give an embed link."))
        if self.file and not self.file._committed:
            # A new upload, still in memory or a temporary file: nothing is stored if it fails.
            try:
                duration = video_file_check(self.file.file)
            except ValidationError as error:
                raise ValidationError({"file": error}) from error
            self.duration = self.duration or duration
        if self.embed_url:
            # The Content-Security-Policy frames only these hosts (docs/security.md): any other
            # player would show readers an empty box.
            parts = urlsplit(self.embed_url)
            if f"{parts.scheme}://{parts.netloc}".lower() not in {
                origin.lower() for origin in settings.VESTNIK_CSP_FRAME_SRC
            }:
                hosts = ", ".join(settings.VESTNIK_CSP_FRAME_SRC)
                message = _("Readers will not see a player from this address. Allowed: %(hosts)s.")
                raise ValidationError({"embed_url": message % {"hosts": hosts}})


class HomePage(AtomicPublishMixin, Page):
    """The front page: main stories and the newest articles of every rubric."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.RubricPage", "news.StoryIndexPage"]
    max_count = 1

    tagline = models.CharField("подзаголовок сайта", max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("tagline")]

    class Meta:
        verbose_name = "главная страница"

    def route(self, request, path_components):
        # /<rubric>/<article>/ is the hot path: one query with everything the page shows (none
        # while it is shared), instead of Wagtail's two queries per URL segment.
        if len(path_components) == 2:
            article = ArticlePage.objects.at_path(self, *path_components)
            if article is not None:
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["main_articles"] = ArticlePage.objects.main(limit=3)
        context["listing"] = keyset_page_or_404(request, ArticlePage.objects.published().cards())
        return context


class RubricPage(AtomicPublishMixin, Page):
    """A section of the site (Политика, Бизнес…): its articles, newest first."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "live.LiveBroadcastPage"]
    # A rubric and a story show the same list of articles; only their RSS feed differs.
    template = "news/article_list_page.html"
    rss_url_name = "feed:rss_rubric"

    description = models.TextField("описание", blank=True, help_text="Для поисковиков и соцсетей")
    telegram_all = models.BooleanField(
        "публиковать все статьи в Telegram",
        default=False,
        help_text="Каждая новая статья рубрики уходит в Telegram-канал, не только «молнии»",
    )

    content_panels = [*Page.content_panels, FieldPanel("description")]
    settings_panels = [*Page.settings_panels, FieldPanel("telegram_all")]

    class Meta:
        verbose_name = "рубрика"
        verbose_name_plural = "рубрики"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.published().cards().filter(rubric=self)
        context["listing"] = keyset_page_or_404(request, articles)
        return context


class StoryIndexPage(AtomicPublishMixin, Page):
    """The list of stories (сюжеты)."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = "список сюжетов"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = StoryPage.objects.live().order_by("-last_published_at")
        return context


class StoryPage(AtomicPublishMixin, Page):
    """A story (сюжет) that groups articles across rubrics, e.g. «Саммит Путина и Байдена»."""

    parent_page_types = ["news.StoryIndexPage"]
    subpage_types: list[str] = []
    template = "news/article_list_page.html"
    rss_url_name = "feed:rss_story"

    description = models.TextField("описание", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]

    class Meta:
        verbose_name = "сюжет"
        verbose_name_plural = "сюжеты"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.published().cards().filter(story=self)
        context["listing"] = keyset_page_or_404(request, articles)
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePageQuerySet(PageQuerySet):
    """Reads of articles that the page models themselves need (listings, routing); the rest of the
    reads are in selectors.py, which imports this module (never the other way round)."""

    def published(self):
        """Live and given a publication time: the articles readers may see."""
        return self.live().filter(published_at__isnull=False)

    def cards(self):
        """With what an article card shows (rubric, photo, story) joined."""
        return self.select_related(*CARD_RELATED)

    def main(self, limit: int = 3) -> list:
        """The front page's main stories: the newest articles marked as main."""
        return list(
            self.published().filter(featured=True).cards().order_by("-published_at")[:limit]
        )

    def by_path(self, home, rubric_slug: str, slug: str):
        """The article at /<rubric_slug>/<slug>/ under `home`, with rubric, story and photo joined;
        live or not (Wagtail's route() decides what a draft gets)."""
        return (
            self.select_related("rubric", "story", "lead_image", "video")
            .filter(
                slug=slug,
                rubric__slug=rubric_slug,
                rubric__depth=home.depth + 1,
                rubric__path__startswith=home.path,
            )
            .first()
        )

    def at_path(self, home, rubric_slug: str, slug: str):
        """`by_path`, shared between requests (core.shared) until the article changes (its tag:
        publish, unpublish, a comment counted) or rubrics and stories do (`PAGES`)."""

        def compute():
            article = self.by_path(home, rubric_slug, slug)
            return article, ({tags.article(article.pk)} if article is not None else ())

        return shared_value(f"article-at:{home.pk}:{rubric_slug}/{slug}", {tags.PAGES}, compute)


# What an article card shows besides the article's own fields.
CARD_RELATED = ("rubric", "lead_image", "story")


class ArticlePage(AtomicPublishMixin, Page):
    """A news article. Its rubric is the rubric page it sits under."""

    parent_page_types = ["news.RubricPage"]
    subpage_types: list[str] = []

    lead = models.TextField(
        "лид", blank=True, help_text="Одно-два предложения под заголовком и в анонсах"
    )
    published_at = models.DateTimeField(
        "время публикации",
        null=True,
        blank=True,
        db_index=True,
        help_text=f"Время, которое видят читатели. Пусто — время первой публикации. {MOSCOW_TIME_HELP}",
    )
    rubric = models.ForeignKey(
        RubricPage,
        verbose_name="рубрика",
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    story = models.ForeignKey(
        StoryPage,
        verbose_name="сюжет",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="Статья входит не более чем в один сюжет",
    )
    tags = ClusterTaggableManager("теги", through=ArticleTag, blank=True)
    lead_image = models.ForeignKey(
        NewsImage,
        verbose_name="главное фото",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=f"Горизонтальное, не меньше {LEAD_PHOTO_WIDTH} пикселей в ширину",
    )
    lead_image_caption = models.CharField(
        "подпись к фото", max_length=500, blank=True, help_text="Пусто — подпись из медиатеки"
    )
    lead_image_credit = models.CharField(
        "автор фото", max_length=255, blank=True, help_text="Пусто — автор из медиатеки"
    )
    body = StreamField(ArticleBodyStreamBlock(), verbose_name="текст", blank=True)
    video = models.ForeignKey(
        Video,
        verbose_name="видео",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Показывается после тегов",
    )
    featured = models.BooleanField(
        "главная новость", default=False, help_text="Показать в блоке главных на первой"
    )
    comments_enabled = models.BooleanField("комментарии включены", default=True)
    # Only editors see and change it (the panel's permission; ArticlePageForm refuses the rest).
    breaking = models.BooleanField(
        "молния",
        default=False,
        help_text="Срочная новость: баннер на всех страницах сайта в первые минуты после "
        "публикации, пометка «Молния» в ленте и сообщение в Telegram-канале",
    )
    # Kept up to date by the comments app, so cards never count per item.
    comment_count = models.PositiveIntegerField("число комментариев", default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("breaking", permission=BREAKING_PERMISSION),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldRowPanel([FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit")]),
            ],
            heading=gettext_lazy("Lead photo"),
        ),
        FieldPanel("body"),
        FieldPanel("video"),
        MultiFieldPanel(
            [
                FieldPanel("story"),
                FieldPanel("tags"),
                InlinePanel("article_authors", label=gettext_lazy("Author")),
            ],
            heading=gettext_lazy("Story, tags, authors"),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("featured")]
    base_form_class = ArticlePageForm
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "go_live_at",
                    heading=gettext_lazy("Go live at"),
                    help_text=gettext_lazy(
                        "Empty: the article goes live as soon as it is published. A future time: "
                        "the article waits and goes live by itself. Pick it in the calendar or type "
                        "29.11.2026 18:33 or 2026-11-29 18:33."
                    ),
                    widget=GoLiveInput,
                ),
                FieldPanel(
                    "published_at",
                    heading=gettext_lazy("Time on the site"),
                    help_text=gettext_lazy(
                        "The time readers see. Empty: the time the article goes live. "
                        "It cannot be later than that: to publish the article later, fill in "
                        "“Go live at”."
                    ),
                    widget=TypedDateTimeInput,
                ),
                FieldPanel(
                    "expire_at", heading=gettext_lazy("Expire at"), widget=TypedDateTimeInput
                ),
            ],
            heading=format_lazy("{} {}", gettext_lazy("Publishing."), MOSCOW_TIME_HELP),
        ),
        FieldPanel("comments_enabled"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("rubric"),
        index.FilterField("story"),
        index.FilterField("published_at"),
    ]

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = "статья"
        verbose_name_plural = "статьи"
        permissions = [("mark_breaking", "Может отмечать статью как «молнию»")]
        indexes = [
            # Keyset paging: newest first, within the site, a rubric or a story.
            models.Index(fields=["-published_at", "-page_ptr"], name="article_newest"),
            models.Index(
                fields=["rubric", "-published_at", "-page_ptr"], name="article_rubric_newest"
            ),
            models.Index(
                fields=["story", "-published_at", "-page_ptr"], name="article_story_newest"
            ),
        ]

    def clean(self):
        super().clean()
        if not (self.title or "").strip():
            raise ValidationError({"title": _("Write the article's title.")})

    def save(self, *args, **kwargs):
        # Full saves only: Wagtail's own partial saves (update_fields) need no parent lookup.
        if self.depth and kwargs.get("update_fields") is None:
            parent = self.get_parent()
            if parent is None or parent.specific_class is not RubricPage:
                raise ValidationError(_("An article must be in a rubric: choose one."))
            self.rubric_id = parent.pk
        # Not while it waits for its «Опубликовать в» time (a new page is `live` until Wagtail
        # schedules it): the revision would carry the submit time, not the time it went live.
        waiting = self.go_live_at is not None and self.go_live_at > timezone.now()
        if self.live and self.published_at is None and not waiting:
            self.published_at = self.first_published_at or timezone.now()
        return super().save(*args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's check, which every article view runs, without its two queries (ancestors, then
        their restrictions) when no ancestor is restricted: the set of restricted paths is shared
        (restrictions.restricted_paths). Otherwise one query; aliases answer with their originals'."""
        if self.alias_of_id:
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        if not restricted_paths().intersection(paths):
            return PageViewRestriction.objects.none()  # the usual case: no query at all
        ancestors = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=ancestors.filter(alias_of__isnull=True))
            | Q(page__in=ancestors.filter(alias_of__isnull=False).values("alias_of"))
        )

    # --- what the templates show ---------------------------------------------------------------

    @property
    def photo_caption(self) -> str:
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image else ""

    @property
    def photo_credit(self) -> str:
        if self.lead_image_credit:
            return self.lead_image_credit
        return self.lead_image.credit if self.lead_image else ""

    @property
    def display_time(self):
        return self.published_at or self.first_published_at or self.latest_revision_created_at

    def get_context(self, request, *args, **kwargs):
        """Tags and authors are fetched in a fixed number of queries, and only when a template reads
        them (a cached article fragment needs neither)."""
        context = super().get_context(request, *args, **kwargs)
        context["tags"] = SimpleLazyObject(lambda: list(self.tags.all()))
        context["authors"] = SimpleLazyObject(
            lambda: [link.author for link in self.article_authors.select_related("author")]
        )
        return context


class ArticlePageAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name="автор", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = "автор статьи"
