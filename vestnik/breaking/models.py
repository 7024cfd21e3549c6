"""«Молнии» readers see in the site-wide banner, and the channel posts that announced them."""

from django.db import models


class BreakingItem(models.Model):
    """One «молния», whoever sent it (an article, a live broadcast's post), kept from
    core.events.breaking_changed. The banner shows the newest one not withdrawn for
    VESTNIK_BREAKING_MINUTES after `published_at`."""

    key = models.CharField("источник", max_length=100, unique=True)  # "article:42"
    title = models.CharField("заголовок", max_length=500)
    url = models.CharField("адрес", max_length=500)
    published_at = models.DateTimeField("опубликована", db_index=True)
    withdrawn_at = models.DateTimeField("снята", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "молния"
        verbose_name_plural = "молнии"

    def __str__(self):
        return self.title


class TelegramPost(models.Model):
    """The channel message for one source key: at most one, whatever repeats (exactly-once).

    `text` is what the message should say, `sent_text` what the channel has; a sync makes them
    agree (send, edit) or deletes the message when `withdrawn`.
    """

    PENDING = "pending"
    SENDING = "sending"
    POSTED = "posted"
    FAILED = "failed"
    DELETED = "deleted"
    STATES = [
        (PENDING, "в очереди"),
        (SENDING, "отправляется"),
        (POSTED, "опубликовано"),
        (FAILED, "ошибка"),
        (DELETED, "удалено"),
    ]

    key = models.CharField("источник", max_length=100, unique=True)
    chat_id = models.CharField("канал", max_length=100)
    message_id = models.BigIntegerField("сообщение", null=True, blank=True)
    text = models.TextField("текст")
    sent_text = models.TextField(blank=True)
    title = models.CharField("заголовок", max_length=500, blank=True)
    url = models.CharField("адрес", max_length=500, blank=True)
    withdrawn = models.BooleanField("снято с сайта", default=False)
    state = models.CharField("состояние", max_length=10, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField("попыток", default=0)
    last_error = models.TextField("ошибка", blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a worker is talking to Telegram
    posted_at = models.DateTimeField("опубликовано", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "сообщение в Telegram"
        verbose_name_plural = "сообщения в Telegram"
        indexes = [models.Index(fields=["state"], name="telegram_post_state")]

    def __str__(self):
        return self.title or self.key
