"""RSS 2.0 of the site, of each rubric and story, the Yandex News feed and the Dzen feed.

The site feed and the rubric feeds also carry the feed's other lines (the day's rate notes, with
their «USD ЦБ: 94,87 (-0,16)» as description); story feeds and the Yandex feed carry articles only.

Subclasses of Django's syndication `Feed`. Items carry the request so that links and the
full-size enclosure images are absolute. The guid is the article's Wagtail `translation_key`
(a UUID that never changes), so an updated or moved article stays the same item for aggregators.
"""

import html
import mimetypes
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from vestnik.feed import dzen
from vestnik.feed.models import FeedEntry
from vestnik.feed.services import ARTICLE_KEY_PREFIX
from vestnik.news.models import ArticlePage, RubricPage, StoryPage
from vestnik.news.selectors import articles_live


@dataclass
class Item:
    article: ArticlePage
    request: object


@dataclass
class NoteItem:
    """A line of the feed that is not an article (a rate note): title, second line, link, time."""

    entry: FeedEntry
    request: object


@dataclass
class Source:
    """What a feed is of (the whole site, a rubric, a story), with the request it answers."""

    request: object
    page: RubricPage | StoryPage | None = None


# Block-level ends become line breaks before the tags go, so paragraphs and list items stay apart.
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)


def article_plain_text(article: ArticlePage) -> str:
    """The article's own words as plain text: lead, paragraphs and quotes, without photos, cards,
    videos or embeds (Yandex's `full-text` wants no boilerplate)."""
    parts = [article.lead.strip()] if article.lead.strip() else []
    for block in article.body:
        if block.block_type == "paragraph":
            text = html.unescape(strip_tags(_BLOCK_END.sub("\n", block.value.source)))
        elif block.block_type == "quote":
            text = f"«{block.value['text'].strip()}»"
            if block.value.get("attribution"):
                text += f" — {block.value['attribution'].strip()}"
        else:
            continue
        lines = [" ".join(line.split()) for line in text.splitlines()]
        parts.extend(line for line in lines if line)
    return "\n\n".join(parts)


class SiteFeed(Feed):
    """The newest articles of the whole site."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        return Source(request=request)

    def title(self, obj):
        return settings.WAGTAIL_SITE_NAME

    def link(self, obj):
        return "/"

    def description(self, obj):
        return _("Business and political news")

    def feed_url(self, obj):
        return obj.request.path

    def articles(self, obj):
        return articles_live()

    def notes(self, obj):
        """The feed's other lines (the day's rate notes): the whole site feed carries them too."""
        return FeedEntry.objects.exclude(key__startswith=ARTICLE_KEY_PREFIX)

    def items(self, obj):
        size = settings.VESTNIK_RSS_SIZE
        queryset = (
            self.articles(obj)
            .select_related("rubric", "lead_image")
            .order_by("-published_at", "-pk")[:size]
        )
        items = [Item(article, obj.request) for article in queryset]
        notes = self.notes(obj)
        if notes is not None:
            items += [
                NoteItem(entry, obj.request) for entry in notes.order_by("-published_at")[:size]
            ]
            items.sort(key=self._item_time, reverse=True)  # stable: articles first on a tie
        return items[:size]

    @staticmethod
    def _item_time(item):
        return item.entry.published_at if isinstance(item, NoteItem) else item.article.published_at

    def item_title(self, item):
        if isinstance(item, NoteItem):
            return item.entry.title
        return item.article.title

    def item_description(self, item):
        if isinstance(item, NoteItem):
            return item.entry.subtitle or item.entry.title
        return item.article.lead or item.article.search_description

    def item_link(self, item):
        if isinstance(item, NoteItem):
            return item.request.build_absolute_uri(item.entry.url)
        return item.article.get_full_url(item.request)

    def item_guid(self, item):
        if isinstance(item, NoteItem):  # the same note keeps its guid (the key never changes)
            return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'vestnik-feed:' + item.entry.key)}"
        return f"urn:uuid:{item.article.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return self._item_time(item)

    def item_updateddate(self, item):
        if isinstance(item, NoteItem):
            return item.entry.updated_at
        return item.article.last_published_at

    def item_categories(self, item):
        if isinstance(item, NoteItem):
            return [item.entry.rubric_title] if item.entry.rubric_title else []
        return [item.article.rubric.title] if item.article.rubric_id else []

    def item_enclosures(self, item):
        """The lead photo at full size: what aggregators crop their own previews from."""
        if isinstance(item, NoteItem):
            return []
        image = item.article.lead_image
        if image is None:
            return []
        try:
            length = image.file_size or image.get_file_size()
        except OSError:  # file missing from storage: no enclosure rather than a broken one
            return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        url = item.request.build_absolute_uri(image.file.url)
        return [Enclosure(url, str(length), mime_type)]


class RubricFeed(SiteFeed):
    """The newest articles of one rubric."""

    def get_object(self, request, slug):
        return Source(request=request, page=get_object_or_404(RubricPage.objects.live(), slug=slug))

    def title(self, obj):
        return f"{obj.page.title} — {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj):
        return obj.page.get_url(obj.request)

    def description(self, obj):
        return obj.page.description or obj.page.title

    def articles(self, obj):
        return articles_live().filter(rubric=obj.page)

    def notes(self, obj):  # the rate notes belong to Инвестиции
        return super().notes(obj).filter(rubric_url=obj.page.url)


class StoryFeed(RubricFeed):
    """The newest articles of one story (сюжет)."""

    def get_object(self, request, slug):
        return Source(request=request, page=get_object_or_404(StoryPage.objects.live(), slug=slug))

    def articles(self, obj):
        return articles_live().filter(story=obj.page)

    def notes(self, obj):
        return None


class YandexRss(Rss201rev2Feed):
    """RSS 2.0 with the `yandex` namespace: `yandex:full-text` and `yandex:genre` per item."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:yandex": "http://news.yandex.ru",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("yandex:genre", "message")
        handler.addQuickElement("yandex:full-text", item["full_text"])


class YandexFeed(SiteFeed):
    """Yandex News: the last VESTNIK_YANDEX_FEED_DAYS days, each article's full plain text."""

    feed_type = YandexRss

    def articles(self, obj):
        since = timezone.now() - timedelta(days=settings.VESTNIK_YANDEX_FEED_DAYS)
        return articles_live().filter(published_at__gte=since)

    def notes(self, obj):  # Yandex News takes articles with their full text; a note has none
        return None

    def item_extra_kwargs(self, item):
        return {"full_text": article_plain_text(item.article)}


class DzenRss(Rss201rev2Feed):
    """RSS 2.0 as Dzen reads it: `content:encoded` (Dzen's HTML), `media:rating`, the author's name
    in `author`, and one `enclosure` per picture of the text (Django's feed allows only one)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["authors"]:
            handler.addQuickElement("author", item["authors"])
        handler.addQuickElement("media:rating", "nonadult", {"scheme": "urn:simple"})
        for picture in item["pictures"]:
            handler.addQuickElement(
                "enclosure",
                "",
                {"url": picture.url, "type": "image/jpeg", "length": str(picture.length)},
            )
        handler.addQuickElement("content:encoded", item["content"])


class DzenFeed(SiteFeed):
    """Dzen: live articles of the last VESTNIK_DZEN_FEED_DAYS days (at most VESTNIK_DZEN_FEED_SIZE),
    newest first, each with its full text in Dzen's HTML. Only articles whose lead photo is at
    least dzen.MIN_WIDTH px wide: Dzen requires an image of that size per publication, and an item
    it rejects once counts as already sent, so a photo added later would not bring it back."""

    feed_type = DzenRss

    def items(self, obj):
        since = timezone.now() - timedelta(days=settings.VESTNIK_DZEN_FEED_DAYS)
        queryset = (
            articles_live()
            .filter(published_at__gte=since, lead_image__width__gte=dzen.MIN_WIDTH)
            .select_related("rubric", "lead_image")
            .prefetch_related("article_authors__author")
            .order_by("-published_at", "-pk")[: settings.VESTNIK_DZEN_FEED_SIZE]
        )
        return [Item(article, obj.request) for article in queryset]

    def item_description(self, item):  # the lead as plain text: Dzen's «description»
        return item.article.lead or item.article.search_description

    def item_enclosures(self, item):  # written by DzenRss, several per item
        return []

    def item_extra_kwargs(self, item):
        content, pictures = dzen.article_content(item.article, item.request)
        authors = ", ".join(link.author.name for link in item.article.article_authors.all())
        return {"content": content, "pictures": pictures, "authors": authors}
