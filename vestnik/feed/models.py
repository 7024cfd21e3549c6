"""«Лента новостей»: one row per line of the feed, whatever its source (articles, rate notes…),
and the log of its changes that live readers replay."""

from django.db import models


class FeedEntry(models.Model):
    """A line of the feed: title, an optional second line, rubric, time, link.

    Articles get theirs from the news domain event (subscribers.py); other apps (markets'
    rate notes) write theirs through `services.entry_upsert`. `key` names the source, so
    writing the same thing twice updates one row.
    """

    key = models.CharField(
        "ключ источника", max_length=120, unique=True
    )  # "article:42", "rate:USD:2024-10-05"
    title = models.CharField("заголовок", max_length=500)
    # The second line some sources add under the title: «EUR ЦБ: 104,74 (-0,12)» for a rate note.
    subtitle = models.CharField("вторая строка", max_length=200, blank=True)
    url = models.CharField("ссылка", max_length=500)
    rubric_title = models.CharField("рубрика", max_length=120, blank=True)
    rubric_url = models.CharField("ссылка на рубрику", max_length=500, blank=True)
    published_at = models.DateTimeField("время")
    # Pinned lines stay on top until their source replaces them (the day's rate notes).
    pinned = models.BooleanField("закреплено", default=False)
    # Markers on the line: a running live broadcast («Онлайн»), a «молния».
    online = models.BooleanField("онлайн", default=False)
    breaking = models.BooleanField("молния", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "строка ленты"
        verbose_name_plural = "лента новостей"
        indexes = [
            models.Index(fields=["-pinned", "-published_at", "-id"], name="feed_entry_order"),
            # The full feed page pages by time alone.
            models.Index(fields=["-published_at", "-id"], name="feed_entry_newest"),
        ]

    def __str__(self):
        return self.title


class FeedEvent(models.Model):
    """One change of the feed (a line added, changed or removed), in commit order.

    Its id is the SSE event id: a reader reconnecting with `Last-Event-ID` gets every later row,
    and every app process follows this table (or a Redis wake-up) to push new rows to its streams.
    `channel` "" is the news feed; any other name is a channel of its own on the same log and
    stream ("live-42": a live broadcast's posts, written by `services.channel_event`).
    """

    UPSERT = "upsert"
    REMOVE = "remove"
    KINDS = [(UPSERT, "добавлено или изменено"), (REMOVE, "убрано")]

    channel = models.CharField("канал", max_length=60, default="", blank=True)
    kind = models.CharField("изменение", max_length=10, choices=KINDS)
    key = models.CharField("ключ источника", max_length=120)
    # The line as it was written (empty for a removal), so replay needs no join.
    data = models.JSONField("строка", default=dict, blank=True)
    created_at = models.DateTimeField("время", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "изменение ленты"
        verbose_name_plural = "изменения ленты"
        indexes = [
            # Replay and cursors of one channel: `channel = X AND id > N ORDER BY id LIMIT …`,
            # and its newest / oldest id, are one range of this index on SQLite and PostgreSQL.
            models.Index(fields=["channel", "id"], name="feed_event_channel_id"),
        ]

    def __str__(self):
        return f"{self.id} {self.kind} {self.key}"


class FeedEventPruned(models.Model):
    """How far a channel's events were pruned: a reader whose cursor is older may have missed some
    and gets a reset; every later event of the channel is still in the log. Per channel, so a busy
    broadcast never costs the news feed's readers their replay."""

    channel = models.CharField("канал", max_length=60, unique=True, blank=True)
    upto = models.BigIntegerField("удалены по номер")

    class Meta:
        verbose_name = "очистка канала"
        verbose_name_plural = "очистка каналов"

    def __str__(self):
        return f"{self.channel or 'лента'} ≤ {self.upto}"
