"""Reader comments, the newsroom's moderation settings and the list of blocked senders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

PRE = "pre"
POST = "post"
MODERATION_CHOICES = [
    (PRE, "Предмодерация: комментарий виден после одобрения"),
    (POST, "Постмодерация: комментарий виден сразу"),
]


class Comment(models.Model):
    """A reader's comment on an article; a reply points at a top-level comment (one level deep)."""

    class Status(models.TextChoices):
        PENDING = "pending", "на модерации"
        PUBLISHED = "published", "опубликован"
        REJECTED = "rejected", "отклонён"
        SPAM = "spam", "спам"

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name="статья", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="ответ на",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField("имя", max_length=80)
    text = models.TextField("текст")
    status = models.CharField(
        "статус", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("отправлен", auto_now_add=True, db_index=True)
    # A keyed hash of the sender's address: enough to rate-limit and block, without keeping the IP.
    sender_hash = models.CharField("отправитель (хеш адреса)", max_length=64, db_index=True)
    moderated_at = models.DateTimeField("проверен", null=True, blank=True)
    # When the moderators' digest listed it; empty: waiting for the next digest.
    notified_at = models.DateTimeField("в сводке модераторам", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="модератор",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("status")]

    class Meta:
        verbose_name = "комментарий"
        verbose_name_plural = "комментарии"
        ordering = ["-created_at"]
        indexes = [
            # The article page: its published comments in order, one query.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            # The moderators' digest (every minute): the few comments not listed yet.
            models.Index(
                fields=["created_at"],
                condition=models.Q(notified_at__isnull=True),
                name="comment_digest_waiting",
            ),
        ]

    def __str__(self):
        text = " ".join(self.text.split())
        return f"{self.name}: {text[:60]}{'…' if len(text) > 60 else ''}"


class Block(models.Model):
    """A sender the newsroom no longer accepts comments from: by address hash, by name, or both."""

    sender_hash = models.CharField(
        "отправитель (хеш адреса)", max_length=64, blank=True, db_index=True
    )
    name = models.CharField(
        "имя", max_length=80, blank=True, help_text="Без учёта регистра. Пусто — только по адресу."
    )
    reason = models.CharField("причина", max_length=255, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("sender_hash"), FieldPanel("reason")]

    class Meta:
        verbose_name = "блокировка"
        verbose_name_plural = "блокировки"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name or _("address %(hash)s…") % {"hash": self.sender_hash[:12]}


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """The site's moderation mode; an article may override it (ArticleModeration)."""

    moderation = models.CharField(
        "модерация", max_length=8, choices=MODERATION_CHOICES, default=PRE
    )

    panels = [FieldPanel("moderation")]

    class Meta:
        verbose_name = "комментарии"


class ArticleModeration(models.Model):
    """One article's moderation mode, overriding the site's (e.g. pre-moderation on a heated topic)."""

    article = models.OneToOneField(
        "news.ArticlePage",
        verbose_name="статья",
        on_delete=models.CASCADE,
        related_name="comment_moderation",
    )
    moderation = models.CharField("модерация", max_length=8, choices=MODERATION_CHOICES)

    panels = [FieldPanel("article"), FieldPanel("moderation")]

    class Meta:
        verbose_name = "модерация статьи"
        verbose_name_plural = "модерация статей"

    def __str__(self):
        return f"{self.article}: {self.get_moderation_display()}"
