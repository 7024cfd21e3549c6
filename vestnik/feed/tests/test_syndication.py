"""RSS, the Yandex/Dzen feed, the sitemaps and robots.txt, read with the parsers aggregators use."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from wagtail.rich_text import RichText

from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db

YANDEX = "http://news.yandex.ru"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


@pytest.fixture
def photo_article(rubric, story):
    photo = factories.image("Саммит", caption="Путин и Байден", size=(1600, 900))
    return factories.article(
        rubric,
        title="Песков рассказал о разногласиях",
        lead="Кремль прокомментировал итоги.",
        lead_image=photo,
        story=story,
        body=[
            (
                "paragraph",
                RichText("<p>Первый абзац &laquo;с цитатой&raquo;.</p><ul><li>пункт</li></ul>"),
            ),
            ("quote", {"text": "Была такая договоренность", "attribution": "Юрий Ушаков"}),
            ("image", {"image": photo, "caption": "Подпись под фото", "credit": "AP"}),
        ],
    )


def _rss(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return response, parsed


def test_site_feed_has_what_readers_need_and_a_full_size_enclosure(client, photo_article):
    response, parsed = _rss(client, "/rss/")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Вестник"
    assert parsed.feed.link == "http://testserver/"
    entry = parsed.entries[0]
    assert entry.title == "Песков рассказал о разногласиях"
    assert entry.link == "http://testserver" + photo_article.url
    assert entry.summary == "Кремль прокомментировал итоги."
    assert entry.published_parsed
    assert [tag.term for tag in entry.tags] == ["Политика"]
    enclosure = entry.enclosures[0]
    image = photo_article.lead_image
    assert enclosure.href == "http://testserver" + image.file.url  # the original, not a rendition
    assert (int(enclosure.length), enclosure.type) == (image.file.size, "image/jpeg")
    item = etree.fromstring(response.content).find("channel/item")
    assert item.find("guid").get("isPermaLink") == "false"


def test_rubric_and_story_feeds_list_only_their_articles(client, photo_article, other_rubric):
    factories.article(other_rubric, title="Бизнес-новость")
    _, rubric_feed = _rss(client, "/rss/politika/")
    assert [e.title for e in rubric_feed.entries] == ["Песков рассказал о разногласиях"]
    assert rubric_feed.feed.title.startswith("Политика")
    _, story_feed = _rss(client, f"/rss/story/{photo_article.story.slug}/")
    assert [e.title for e in story_feed.entries] == ["Песков рассказал о разногласиях"]
    _, site_feed = _rss(client, "/rss/")
    assert {e.title for e in site_feed.entries} == {
        "Песков рассказал о разногласиях",
        "Бизнес-новость",
    }
    assert client.get("/rss/no-such-rubric/").status_code == 404


def _rate_note(rubric_url="/investitsii/", **fields):
    from vestnik.feed import services

    return services.entry_upsert(
        key="rate:EUR:2024-10-05",
        title="Курс евро на 5 октября",
        subtitle="EUR ЦБ: 104,74 (-0,12)",
        url="/rates/eur/",
        rubric_title="Инвестиции",
        rubric_url=rubric_url,
        published_at=fields.pop("published_at", timezone.now()),
        pinned=True,
        **fields,
    )


def test_site_and_rubric_feeds_carry_the_rate_notes_with_their_line(client, home, photo_article):
    investments = factories.rubric(home, "Инвестиции", "investitsii")
    note = _rate_note(rubric_url=investments.url)
    _, site_feed = _rss(client, "/rss/")
    assert [e.title for e in site_feed.entries] == [
        "Курс евро на 5 октября",
        "Песков рассказал о разногласиях",
    ]
    entry = site_feed.entries[0]
    assert entry.summary == "EUR ЦБ: 104,74 (-0,12)"
    assert entry.link == "http://testserver/rates/eur/"
    assert [tag.term for tag in entry.tags] == ["Инвестиции"]
    assert entry.published_parsed
    assert not entry.get("enclosures")
    guid = entry.id
    _, rubric_feed = _rss(client, "/rss/investitsii/")
    assert [(e.title, e.id) for e in rubric_feed.entries] == [("Курс евро на 5 октября", guid)]
    _, politics = _rss(client, "/rss/politika/")
    assert [e.title for e in politics.entries] == ["Песков рассказал о разногласиях"]
    from vestnik.feed import services

    services.entry_subtitle_set(note.key, "EUR ЦБ: 104,74 (+0,12)")
    _, site_feed = _rss(client, "/rss/")
    assert site_feed.entries[0].id == guid  # a changed line keeps its guid
    assert site_feed.entries[0].summary == "EUR ЦБ: 104,74 (+0,12)"


def test_story_and_yandex_feeds_leave_the_rate_notes_out(client, photo_article):
    _rate_note()
    _, story_feed = _rss(client, f"/rss/story/{photo_article.story.slug}/")
    _, yandex = _rss(client, "/rss/yandex/")
    for parsed in (story_feed, yandex):
        assert [e.title for e in parsed.entries] == ["Песков рассказал о разногласиях"]


def test_yandex_feed_carries_full_plain_text_and_keeps_the_guid_on_update(client, photo_article):
    response, parsed = _rss(client, "/rss/yandex/")
    root = etree.fromstring(response.content)
    assert root.nsmap["yandex"] == YANDEX
    item = root.find("channel/item")
    for required in ("title", "link", "description", "pubDate", "guid", "enclosure", "category"):
        assert item.find(required) is not None, required
    assert item.findtext(f"{{{YANDEX}}}genre") == "message"
    assert item.findtext(f"{{{YANDEX}}}full-text") == (
        "Кремль прокомментировал итоги.\n\nПервый абзац «с цитатой».\n\nпункт\n\n"
        "«Была такая договоренность» — Юрий Ушаков"
    )  # no photo caption, no markup, no site boilerplate
    guid = item.findtext("guid")

    photo_article.title = "Песков уточнил слова о разногласиях"
    photo_article.slug = "peskov-utochnil"
    with factories.TestCase.captureOnCommitCallbacks(execute=True):
        photo_article.save_revision().publish()
    item = etree.fromstring(client.get("/rss/yandex/").content).find("channel/item")
    assert item.findtext("title") == "Песков уточнил слова о разногласиях"
    assert item.findtext("link").endswith("/peskov-utochnil/")
    assert item.findtext("guid") == guid


def test_yandex_feed_leaves_out_articles_older_than_its_window(client, rubric, settings):
    settings.VESTNIK_YANDEX_FEED_DAYS = 3
    factories.article(rubric, title="Свежая", published_at=timezone.now() - timedelta(days=1))
    factories.article(rubric, title="Давняя", published_at=timezone.now() - timedelta(days=4))
    _, parsed = _rss(client, "/rss/yandex/")
    assert [e.title for e in parsed.entries] == ["Свежая"]
    _, parsed = _rss(client, "/rss/")
    assert [e.title for e in parsed.entries] == ["Свежая", "Давняя"]


def test_every_page_announces_the_site_feed(client, photo_article):
    html = client.get(photo_article.url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Вестник" href="/rss/">' in html


def test_rubric_and_story_pages_announce_their_own_feed_first(client, rubric, story):
    factories.article(rubric, title="В сюжете", story=story)
    for page, own in ((rubric, f"/rss/{rubric.slug}/"), (story, f"/rss/story/{story.slug}/")):
        html = client.get(page.url).content.decode()
        feeds = re.findall(
            r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', html
        )
        assert feeds == [own, "/rss/"]
        assert client.get(own).status_code == 200


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def test_sitemap_lists_sections_and_articles_with_their_photos(client, photo_article):
    root = _xml(client, "/sitemap.xml")
    urls = {u.findtext(f"{{{SITEMAP}}}loc"): u for u in root.findall(f"{{{SITEMAP}}}url")}
    for path in ("/", "/politika/", "/news/", photo_article.story.url, photo_article.url):
        assert "http://testserver" + path in urls, path
    article = urls["http://testserver" + photo_article.url]
    assert article.findtext(f"{{{SITEMAP}}}lastmod")
    images = article.findall(f"{{{IMAGE}}}image/{{{IMAGE}}}loc")
    assert [i.text for i in images] == ["http://testserver" + photo_article.lead_image.file.url]


def test_google_news_sitemap_holds_only_the_last_48_hours(client, rubric):
    now = timezone.now()
    fresh = factories.article(rubric, title="Сегодняшняя", published_at=now - timedelta(hours=2))
    factories.article(rubric, title="Позавчерашняя", published_at=now - timedelta(hours=49))
    root = _xml(client, "/sitemap-news.xml")
    urls = root.findall(f"{{{SITEMAP}}}url")
    assert [u.findtext(f"{{{SITEMAP}}}loc") for u in urls] == ["http://testserver" + fresh.url]
    news = urls[0].find(f"{{{NEWS}}}news")
    assert news.findtext(f"{{{NEWS}}}publication/{{{NEWS}}}name") == "Вестник"
    assert news.findtext(f"{{{NEWS}}}publication/{{{NEWS}}}language") == "ru"
    assert news.findtext(f"{{{NEWS}}}title") == "Сегодняшняя"
    assert news.findtext(f"{{{NEWS}}}publication_date").startswith(
        timezone.localtime(fresh.published_at).strftime("%Y-%m-%dT%H:%M")
    )


def test_google_news_sitemap_stops_at_1000(client, rubric, monkeypatch):
    from vestnik.delivery import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 2)
    factories.articles(rubric, 3)
    assert len(_xml(client, "/sitemap-news.xml").findall(f"{{{SITEMAP}}}url")) == 2


def test_robots_txt_points_at_both_sitemaps(client, home):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
