"""Promo snippets shown in fixed places of the reader page, and the leads their forms collect."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from vestnik.news.models import MOSCOW_TIME_HELP, NewsImage, RubricPage


class Promo(index.Indexed, models.Model):
    """A promo block: picture, title, text and a call to action leading to a lead form or a URL."""

    SIDEBAR = "sidebar"
    FEED = "feed"
    AFTER_BODY = "after_body"
    PLACEMENTS = [
        (SIDEBAR, "Боковая колонка"),
        (FEED, "Внутри ленты новостей"),
        (AFTER_BODY, "После текста статьи"),
    ]
    TARGET_FORM = "form"
    TARGET_URL = "url"
    TARGETS = [(TARGET_FORM, "Форма заявки"), (TARGET_URL, "Ссылка")]

    title = models.CharField("заголовок", max_length=200)
    text = models.TextField("текст", max_length=600, blank=True)
    image = models.ForeignKey(
        NewsImage,
        verbose_name="картинка",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Горизонтальная, не меньше 640 пикселей в ширину",
    )
    cta_label = models.CharField("текст кнопки", max_length=60, default="Оставить заявку")
    target = models.CharField(
        "куда ведёт кнопка", max_length=10, choices=TARGETS, default=TARGET_FORM
    )
    url = models.URLField("ссылка", blank=True, help_text="Только если кнопка ведёт на ссылку")
    placement = models.CharField("место", max_length=20, choices=PLACEMENTS, default=SIDEBAR)
    rubrics = models.ManyToManyField(
        RubricPage,
        verbose_name="рубрики",
        blank=True,
        related_name="promos",
        help_text="Пусто — на всех страницах; иначе только на этих рубриках и их статьях",
    )
    starts_at = models.DateTimeField(
        "показывать с", null=True, blank=True, help_text=MOSCOW_TIME_HELP
    )
    ends_at = models.DateTimeField(
        "показывать до", null=True, blank=True, help_text=MOSCOW_TIME_HELP
    )
    priority = models.PositiveSmallIntegerField(
        "приоритет",
        default=0,
        help_text="Из нескольких подходящих показывается с большим приоритетом",
    )
    active = models.BooleanField("включено", default=True)
    # Flushed from the cache by a scheduled job (services.promo_counters_flush), never per view.
    views = models.PositiveIntegerField("показы", default=0, editable=False)
    clicks = models.PositiveIntegerField("переходы", default=0, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldPanel("cta_label"), FieldRowPanel([FieldPanel("target"), FieldPanel("url")])],
            heading=gettext_lazy("Button"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("placement"),
                FieldPanel("rubrics"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("priority"),
                FieldPanel("active"),
            ],
            heading=gettext_lazy("Where and when to show"),
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "промо-блок"
        verbose_name_plural = "промо-блоки"
        ordering = ["-priority", "-id"]
        indexes = [models.Index(fields=["placement", "active", "-priority"], name="promo_pick")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.target == self.TARGET_URL and not self.url:
            raise ValidationError({"url": _("Give the link the button leads to.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The end of showing must be later than its start.")}
            )


class Lead(models.Model):
    """A reader's request sent through a promo's form, with their consent to data processing."""

    promo = models.ForeignKey(
        Promo, verbose_name="промо-блок", null=True, on_delete=models.SET_NULL, related_name="leads"
    )
    name = models.CharField("имя", max_length=200)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=30, blank=True)
    comment = models.TextField("комментарий", max_length=2000, blank=True)
    consent = models.BooleanField("согласие на обработку данных", default=False)
    page_url = models.CharField("страница", max_length=500, blank=True)
    created_at = models.DateTimeField("получена", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "заявка"
        verbose_name_plural = "заявки"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="lead_email_or_phone"
            ),
            models.CheckConstraint(condition=models.Q(consent=True), name="lead_consent"),
        ]

    def __str__(self):
        return f"{self.name} ({self.email or self.phone})"
