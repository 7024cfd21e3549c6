import json
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import _json_script_escapes as _JSON_SCRIPT_ESCAPES
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.templatetags.wagtailcore_tags import richtext

from vestnik.news.selectors import rubric_id_of, rubrics_for_menu
from vestnik.news.typography import typograph_html, typograph_text

register = template.Library()

# Day-month dates need the genitive: «05 мая», not Django's nominative «05 май».
MONTHS_GENITIVE_ABBR = (
    pgettext_lazy("genitive month abbreviation", "jan"),
    pgettext_lazy("genitive month abbreviation", "feb"),
    pgettext_lazy("genitive month abbreviation", "mar"),
    pgettext_lazy("genitive month abbreviation", "apr"),
    pgettext_lazy("genitive month abbreviation", "may"),
    pgettext_lazy("genitive month abbreviation", "jun"),
    pgettext_lazy("genitive month abbreviation", "jul"),
    pgettext_lazy("genitive month abbreviation", "aug"),
    pgettext_lazy("genitive month abbreviation", "sep"),
    pgettext_lazy("genitive month abbreviation", "oct"),
    pgettext_lazy("genitive month abbreviation", "nov"),
    pgettext_lazy("genitive month abbreviation", "dec"),
)


@register.filter
def typograph(value) -> str:
    """Russian typography on plain text; autoescaping still applies afterwards."""
    return typograph_text(str(value)) if value else ""


@register.filter(is_safe=True)
def typograph_rich(value) -> str:
    """Russian typography on already-safe HTML (rendered rich text)."""
    return mark_safe(typograph_html(str(value))) if value else ""


@register.filter
def news_time(value: datetime | None, now: datetime | None = None) -> str:
    """«02:33» for today, «05 окт, 23:50» for earlier days of this year, «05.10.2024, 23:50» before.

    Moscow time (the site's TIME_ZONE), as the newsroom writes it.
    """
    if not value:
        return ""
    local = timezone.localtime(value)
    today = timezone.localtime(now).date() if now else timezone.localdate()
    if local.date() == today:
        return date_format(local, "H:i")
    if local.year == today.year:
        return f"{local:%d} {MONTHS_GENITIVE_ABBR[local.month - 1]}, {local:%H:%M}"
    return date_format(local, "d.m.Y, H:i")


@register.filter
def iso_time(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@register.simple_tag
def rubric_links():
    return rubrics_for_menu()


@register.simple_tag
def current_rubric_id(page) -> int | None:
    """The rubric a page belongs to, for the menu's aria-current."""
    return rubric_id_of(page)


@register.simple_tag
def comment_count_label(count: int) -> str:
    """«1 комментарий», «2 комментария», «5 комментариев», «21 комментарий»."""
    return ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}


@register.filter(is_safe=True)
def richtext_typograph(value) -> str:
    """Rich text expanded for readers (links, embeds), then typographed."""
    return typograph_rich(richtext(value))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article) -> str:
    """schema.org NewsArticle, for search engines and aggregators."""
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "mainEntityOfPage": article.full_url,
        "datePublished": iso_time(article.published_at or article.first_published_at),
        "dateModified": iso_time(article.last_published_at or article.published_at),
        "inLanguage": "ru",
        "publisher": {"@type": "Organization", "name": context.get("site_name", "")},
    }
    if article.lead:
        data["description"] = article.lead
    if article.rubric_id:
        data["articleSection"] = article.rubric.title
    authors = context.get("authors") or []
    if authors:
        data["author"] = [{"@type": "Person", "name": author.name} for author in authors]
    if article.lead_image and request is not None:
        rendition = article.lead_image.get_rendition("width-1200")
        data["image"] = [request.build_absolute_uri(rendition.url)]
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
