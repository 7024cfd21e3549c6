"""The Dzen feed /rss/dzen/, read as Dzen's crawler reads it: RSS 2.0 with `content:encoded`."""

from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html
from PIL import Image
from wagtail.rich_text import RichText

from vestnik.feed import dzen
from vestnik.news.models import ArticlePage, ArticlePageAuthor, Author, Video
from vestnik.news.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.embedded_only]

CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
# Dzen's tags and the attributes each may carry: anything else fails the walk below.
WHITELIST = {tag: set(attributes) for tag, attributes in dzen.ALLOWED.items()}


@pytest.fixture
def dzen_article(rubric, story):
    wide = factories.image("Саммит", caption="Путин и Байден", credit="AP", size=(1600, 900))
    inline = factories.image("Переговоры", caption="Зал переговоров", size=(900, 600))
    narrow = factories.image("Узкое", caption="Маленькое фото", size=(400, 300))
    other = factories.article(rubric, title="Ушаков рассказал о договорённости")
    video = Video.objects.create(title="Песков о саммите", embed_url="", poster=wide)
    author = Author.objects.create(name="Иван Петров")
    return factories.article(
        rubric,
        title="Песков рассказал о «разногласиях»",
        lead="Кремль прокомментировал итоги.",
        lead_image=wide,
        story=story,
        article_authors=[ArticlePageAuthor(author=author)],
        video=None,
        body=[
            (
                "paragraph",
                RichText(
                    '<p onclick="alert(1)">Первый абзац &laquo;с цитатой&raquo; и '
                    '<strong>важным</strong> <a href="https://kremlin.ru/events" '
                    'onmouseover="steal()">словом</a>.<script>alert(2)</script></p>'
                    '<p><a href="javascript:alert(3)">ссылка-ловушка</a></p>'
                    f'<ul><li>пункт <a linktype="page" id="{other.pk}">с внутренней ссылкой</a>'
                    "</li></ul><h2>Подзаголовок</h2>"
                ),
            ),
            ("quote", {"text": "Была такая договоренность", "attribution": "Юрий Ушаков"}),
            ("image", {"image": inline, "caption": "Подпись под фото", "credit": "Reuters"}),
            ("image", {"image": narrow, "caption": "Слишком узкое", "credit": ""}),
            ("related", {"article": other}),
            ("video", {"video": video}),
        ],
    )


def _feed(client, url="/rss/dzen/"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert not feedparser.parse(response.content).bozo
    return etree.fromstring(response.content)


def _item(root, title):
    for item in root.findall("channel/item"):
        if item.findtext("title") == title:
            return item
    raise AssertionError(f"no item {title!r}")


def _stored(url: str):
    """The file behind a media URL of the feed, from the storage the site serves."""
    path = urlsplit(url).path
    assert path.startswith(django_settings.MEDIA_URL), url
    return path.removeprefix(django_settings.MEDIA_URL)


def _content_elements(item):
    text = item.findtext(f"{{{CONTENT}}}encoded")
    assert text
    return text, list(lxml_html.fragment_fromstring(text, create_parent="root").iterdescendants())


def test_an_item_has_everything_dzen_requires(client, dzen_article):
    root = _feed(client)
    assert (root.tag, root.get("version")) == ("rss", "2.0")
    for prefix, uri in (
        ("content", CONTENT),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("media", MEDIA),
        ("atom", "http://www.w3.org/2005/Atom"),
    ):
        assert root.nsmap[prefix] == uri
    item = _item(root, "Песков рассказал о «разногласиях»")  # typographic quotes kept
    assert item.findtext("link") == "http://testserver" + dzen_article.url
    guid = item.find("guid")
    assert guid.text == f"urn:uuid:{dzen_article.translation_key}"
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("pubDate").endswith("+0000")  # RFC 822
    assert item.findtext("description") == "Кремль прокомментировал итоги."
    assert item.findtext("author") == "Иван Петров"
    assert item.findtext("category") == "Политика"
    rating = item.find(f"{{{MEDIA}}}rating")
    assert (rating.get("scheme"), rating.text) == ("urn:simple", "nonadult")


def test_content_holds_the_full_text_in_dzens_tags_only(client, dzen_article):
    text, elements = _content_elements(_item(_feed(client), dzen_article.title))
    for element in elements:  # every element, however deep
        assert element.tag in WHITELIST, element.tag
        assert set(element.attrib) <= WHITELIST[element.tag], (element.tag, element.attrib)
        for attribute in ("href", "src"):
            if element.get(attribute):
                assert element.get(attribute).startswith("http://testserver/") or element.get(
                    attribute
                ).startswith("https://kremlin.ru/"), element.get(attribute)
    for hostile in ("script", "alert", "onclick", "onmouseover", "steal", "javascript"):
        assert hostile not in text
    document = lxml_html.fragment_fromstring(text, create_parent="root")
    words = " ".join(document.text_content().split())
    assert "Первый абзац «с цитатой» и важным словом." in words.replace("\xa0", " ")
    assert "ссылка-ловушка" in words  # the link goes, its words stay
    assert document.xpath("//b/text()") == ["важным"]
    assert document.xpath("//h2/text()") == ["Подзаголовок"]
    links = {a.text_content().replace("\xa0", " "): a.get("href") for a in document.iter("a")}
    other = ArticlePage.objects.get(title="Ушаков рассказал о договорённости")
    assert links["словом"] == "https://kremlin.ru/events"
    assert links["с внутренней ссылкой"] == "http://testserver" + other.url
    assert links[other.title] == "http://testserver" + other.url  # the related card, as a link
    assert links["Видео: Песков о саммите"] == "http://testserver" + dzen_article.url
    quote = document.find(".//blockquote")
    assert [p.text for p in quote.iter("p")] == ["Была такая договоренность", "— Юрий Ушаков"]
    figures = document.findall(".//figure")
    captions = [" ".join(f.findtext("figcaption").split()) for f in figures]
    assert captions == ["Путин и Байден (Фото: AP)", "Подпись под фото (Фото: Reuters)"]
    assert "Слишком узкое" not in words  # a photo under 700 px is left out


def test_every_enclosure_is_a_jpeg_of_at_least_700_px_with_its_true_length(client, dzen_article):
    item = _item(_feed(client), dzen_article.title)
    enclosures = item.findall("enclosure")
    assert len(enclosures) == 2  # the lead photo and the wide inline one, not the narrow one
    _, elements = _content_elements(item)
    images = [e for e in elements if e.tag == "img"]
    assert [img.get("src") for img in images] == [e.get("url") for e in enclosures]
    for enclosure, img in zip(enclosures, images, strict=True):
        assert enclosure.get("type") == "image/jpeg"
        name = _stored(enclosure.get("url"))
        with default_storage.open(name) as stored, Image.open(stored) as picture:
            assert picture.format == "JPEG"
            assert picture.width >= 700
            assert (int(img.get("width")), int(img.get("height"))) == picture.size
        assert int(enclosure.get("length")) == default_storage.size(name)


def test_articles_without_a_photo_of_700_px_are_left_out(client, rubric, dzen_article):
    factories.article(rubric, title="Без фото")
    factories.article(rubric, title="Узкое фото", lead_image=factories.image(size=(699, 400)))
    factories.article(rubric, title="Ровно 700", lead_image=factories.image(size=(700, 400)))
    titles = [item.findtext("title") for item in _feed(client).findall("channel/item")]
    assert {"Без фото", "Узкое фото"}.isdisjoint(titles)
    assert "Ровно 700" in titles


def test_the_guid_survives_an_edit_and_a_new_title(client, dzen_article):
    guid = _item(_feed(client), dzen_article.title).findtext("guid")
    dzen_article.title = "Песков уточнил слова о разногласиях"
    dzen_article.slug = "peskov-utochnil"
    dzen_article.lead = "Кремль уточнил."
    with factories.TestCase.captureOnCommitCallbacks(execute=True):
        dzen_article.save_revision().publish()
    item = _item(_feed(client), "Песков уточнил слова о разногласиях")
    assert item.findtext("guid") == guid
    assert item.findtext("link").endswith("/peskov-utochnil/")
    assert item.findtext("description") == "Кремль уточнил."


def _cheap_articles(rubric, photo, times, prefix="Заметка"):
    """Live articles without revisions: enough for the feed's query, a fraction of a publish."""
    for n, when in enumerate(times):
        rubric.add_child(
            instance=ArticlePage(
                title=f"{prefix} {n}", slug=f"{prefix}-{n}", published_at=when, lead_image=photo
            )
        )


def test_three_days_newest_first_and_at_most_500(client, rubric, settings):
    assert (settings.VESTNIK_DZEN_FEED_DAYS, settings.VESTNIK_DZEN_FEED_SIZE) == (3, 500)
    photo = factories.image(size=(800, 450))
    now = timezone.now()
    _cheap_articles(rubric, photo, [now - timedelta(days=3, minutes=5)], prefix="Старая")
    _cheap_articles(rubric, photo, [now - timedelta(minutes=n) for n in range(1, 502)])
    titles = [item.findtext("title") for item in _feed(client).findall("channel/item")]
    assert titles == [f"Заметка {n}" for n in range(500)]  # newest first; the 501st is cut


def test_the_window_follows_its_setting_and_unpublished_articles_go(client, rubric, settings):
    photo = factories.image(size=(800, 450))
    now = timezone.now()
    fresh = factories.article(
        rubric, title="Свежая", published_at=now - timedelta(hours=1), lead_image=photo
    )
    factories.article(
        rubric, title="Вчерашняя", published_at=now - timedelta(days=1, hours=1), lead_image=photo
    )
    factories.article(
        rubric, title="Давняя", published_at=now - timedelta(days=4), lead_image=photo
    )
    titles = [item.findtext("title") for item in _feed(client).findall("channel/item")]
    assert titles == ["Свежая", "Вчерашняя"]
    settings.VESTNIK_DZEN_FEED_DAYS = 1
    with factories.TestCase.captureOnCommitCallbacks(execute=True):
        fresh.unpublish()
    assert _feed(client).findall("channel/item") == []


def test_the_yandex_feed_is_unchanged_and_no_page_announces_the_dzen_feed(client, dzen_article):
    yandex = _feed(client, "/rss/yandex/")
    item = _item(yandex, dzen_article.title)
    assert item.find(f"{{{CONTENT}}}encoded") is None
    assert len(item.findall("enclosure")) == 1
    for url in ("/", dzen_article.url, dzen_article.rubric.url, "/news/"):
        assert "/rss/dzen/" not in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    "hostile",
    [
        '<p onclick="x()">текст<script>alert(1)</script></p>',
        '<p>текст<iframe src="https://evil.example/"></iframe></p>',
        '<p>текст<img src="x" onerror="alert(1)"></p>',
        '<p style="color:red">текст<a href="javascript:alert(1)" target="_blank">ссылка</a></p>',
        "<p>текст<!-- комментарий --><svg><script>alert(1)</script></svg></p>",
        '<div class="x"><p>текст</p><table><tr><td>ячейка</td></tr></table></div>',
    ],
)
def test_the_cleaner_keeps_only_dzens_tags_whatever_the_input(hostile):
    cleaned = dzen.clean_html(hostile, "http://testserver/politika/a/")
    root = lxml_html.fragment_fromstring(cleaned, create_parent="root")
    for element in root.iterdescendants():
        assert element.tag in WHITELIST, cleaned
        assert set(element.attrib) <= WHITELIST[element.tag], cleaned
    assert "текст" in root.text_content()
    for word in ("script", "alert", "onclick", "onerror", "style", "javascript", "iframe", "<!--"):
        assert word not in cleaned, cleaned


def test_the_feed_is_cached_and_an_edit_purges_it(client, dzen_article, settings):
    settings.VESTNIK_PAGE_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0
    client.get("/rss/dzen/")
    assert client.get("/rss/dzen/")["X-Cache"] == "HIT"
    dzen_article.body = [("paragraph", RichText("<p>Новый текст абзаца.</p>"))]
    with factories.TestCase.captureOnCommitCallbacks(execute=True):
        dzen_article.save_revision().publish()
    response = client.get("/rss/dzen/")
    assert response["X-Cache"] == "MISS"
    assert "Новый текст абзаца." in response.content.decode()


def test_a_png_photo_goes_out_as_a_jpeg_copy(client, rubric):
    import io

    from django.core.files.images import ImageFile

    from vestnik.news.models import NewsImage

    buffer = io.BytesIO()
    Image.new("RGB", (1000, 600), (10, 200, 30)).save(buffer, "PNG")
    photo = NewsImage(title="Схема", file=ImageFile(buffer, name="scheme.png"))
    photo.save()
    article = factories.article(rubric, title="Со схемой", lead_image=photo)
    enclosure = _item(_feed(client), article.title).find("enclosure")
    name = _stored(enclosure.get("url"))
    with default_storage.open(name) as stored, Image.open(stored) as picture:
        assert (picture.format, picture.width) == ("JPEG", 1000)
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == default_storage.size(name)
