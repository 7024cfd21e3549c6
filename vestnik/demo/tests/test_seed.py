from datetime import UTC

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from vestnik.demo import content
from vestnik.demo.services import demo_seed, demo_users
from vestnik.news.models import ArticlePage, NewsImage, RubricPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(wagtail_root):
    # Two further articles per rubric instead of 24 keep this fast; paging is checked below in full.
    assert demo_seed(filler_per_rubric=2)


def test_demo_builds_the_seed_article_word_for_word(seeded, client):
    article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    paragraphs = [block.value.source for block in article.body if block.block_type == "paragraph"]
    expected = [f"<p>{text}</p>" for kind, text in content.ARTICLE_BODY if kind == "p"]
    assert [p.replace("&quot;", '"') for p in paragraphs] == expected
    assert article.rubric.title == "Политика"
    assert article.story.title == "Саммит Путина и Байдена"
    assert article.photo_caption == "Владимир Путин и Джо Байден"
    assert article.photo_credit == "Александр Земляниченко / AP"
    cards = [block.value["article"] for block in article.body if block.block_type == "related"]
    assert [card.title for card in cards] == [title for title, *_ in content.RELATED]
    assert cards[0].photo_caption.startswith("Встреча Джо Байдена и Владимира Путина")
    assert client.get(article.url).status_code == 200


def test_demo_has_every_rubric_the_seed_feed_and_enough_to_page(wagtail_root, settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert list(RubricPage.objects.order_by("path").values_list("title", flat=True)) == [
        t for t, _ in content.RUBRICS
    ]
    titles = set(ArticlePage.objects.live().values_list("title", flat=True))
    assert {title for title, _, _ in content.FEED} <= titles
    for rubric in RubricPage.objects.all():
        assert ArticlePage.objects.live().filter(rubric=rubric).count() > settings.VESTNIK_PAGE_SIZE


def test_demo_times_are_relative_to_loading_so_feeds_and_news_sitemap_are_full(
    wagtail_root, client
):
    from datetime import datetime, timedelta

    import feedparser
    from django.test import TestCase
    from django.utils import timezone
    from freezegun import freeze_time

    loaded_at = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)  # any day long after the seed page
    with freeze_time(loaded_at):
        # After-commit subscribers as in production (the banner's item among them).
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert demo_seed(filler_per_rubric=2)
        newest = ArticlePage.objects.live().order_by("-published_at").first()
        # The seed page's newest line («02:33») is two minutes before it was saved; and Дуров's
        # «05 окт, 23:50» keeps its distance, 2 h 45 min before.
        assert newest.title in (content.FEED[0][0], content.FEED[1][0])
        assert newest.published_at == loaded_at - timedelta(minutes=2)
        durov = ArticlePage.objects.get(title="Дуров сообщил о появлении «подарков» в Telegram")
        assert newest.published_at - durov.published_at == timedelta(minutes=163)
        assert timezone.localtime(durov.published_at).strftime("%d.%m %H:%M") == "14.03 09:15"
        yandex = client.get("/rss/yandex/").content.decode()
        news_sitemap = client.get("/sitemap-news.xml").content.decode()
        # The newest line is a «молния»: the banner greets a fresh demo.
        banner = client.get("/breaking/").json()["item"]
        assert banner["title"] == content.FEED[0][0]
        flash = ArticlePage.objects.get(title=content.FEED[0][0])
        assert f'data-key="article:{flash.pk}"' in client.get(durov.url).content.decode()
        dzen = feedparser.parse(client.get("/rss/dzen/").content)
    # The seed's feed lines have no photo; the rubrics' photographed articles fill Dzen's feed.
    assert len(dzen.entries) >= len(content.FILLER) * 2
    assert all(entry.enclosures for entry in dzen.entries)
    assert newest.title in yandex
    assert durov.title in yandex
    assert newest.url_path.split("/")[-2] in news_sitemap
    assert durov.url_path.split("/")[-2] in news_sitemap


def test_running_the_demo_again_changes_and_duplicates_nothing(seeded):
    demo_users()
    counts = (Page.objects.count(), NewsImage.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (
        Page.objects.count(),
        NewsImage.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_demo_accounts_can_sign_in_with_their_roles(seeded, client):
    demo_users()
    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name="Редакторы").exists()
    assert User.objects.get(username="author").groups.filter(name="Авторы").exists()
    assert client.login(username="editor", password="vestnik-editor")


def test_demo_pins_the_seeds_rate_notes_on_top_of_the_feed(seeded, client):
    from freezegun import freeze_time
    from lxml import html as lxml_html

    def home_page():
        with freeze_time("2024-10-06 00:00:00"):  # 03:00 in Moscow, the night the seed was saved
            return lxml_html.fromstring(client.get("/").content.decode())

    doc = home_page()

    def text(node):
        return " ".join(node.text_content().split()).replace("\xa0", " ")

    feed = [text(li) for li in doc.xpath("//section[@class='feed']//li")]
    # The seed's three lines: title / «EUR ЦБ: 104,74 (-0,12)» / rubric and time.
    assert feed[0] == "Курс евро на 5 октября EUR ЦБ: 104,74 (-0,12) Инвестиции, 04 окт, 17:47"
    assert feed[1] == "Курс доллара на 5 октября USD ЦБ: 94,87 (-0,16) Инвестиции, 04 окт, 17:47"
    assert doc.xpath("//section[@class='feed']//li[1]/span[@class='feed__subtitle']/text()") == [
        "EUR ЦБ: 104,74 (-0,12)"
    ]
    widget = [text(li) for li in doc.xpath("//section[@class='rates']//li")]
    assert widget[:2] == ["USD ЦБ: 94,87 (-0,16) ▼ снизился", "EUR ЦБ: 104,74 (-0,12) ▼ снизился"]
    assert demo_seed() is False  # again: nothing duplicated, nothing re-published
    assert [text(li) for li in home_page().xpath("//section[@class='feed']//li")] == feed


def test_demo_comments_sit_on_a_related_article_and_the_seed_article_keeps_zero(seeded, client):
    seed_article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    related = ArticlePage.objects.get(slug=content.RELATED[0][1])
    assert seed_article.comment_count == 0
    assert related.comment_count == 3
    page = client.get(related.url).content.decode()
    assert "Видеосвязь вместо встречи" in page
    assert 'rel="nofollow ugc"' in page


@pytest.mark.django_db(transaction=True)
def test_seeding_leaves_analysis_to_the_background_which_then_does_it(settings):
    # Transactional: seed_demo's own commit is where the analysis used to run inline.
    from vestnik.conftest import ensure_wagtail_root
    from vestnik.demo.services import demo_analyse
    from vestnik.entities.models import ArticleEntity
    from vestnik.related.models import ArticleVector

    ensure_wagtail_root()
    settings.VESTNIK_ANALYSIS = True
    assert demo_seed(filler_per_rubric=0)
    assert not ArticleEntity.objects.exists()
    assert not ArticleVector.objects.exists()
    article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    assert demo_analyse() == ArticlePage.objects.live().count()
    names = set(article.entity_links.values_list("entity__name", flat=True))
    assert {"Дмитрий Песков", "Джо Байден"} <= names
    assert ArticleVector.objects.count() == ArticlePage.objects.live().count()


def test_demo_has_a_running_broadcast_in_the_story(seeded, client):
    from vestnik.feed.models import FeedEntry
    from vestnik.live.models import LiveBroadcastPage

    page = LiveBroadcastPage.objects.get(slug=content.LIVE_SLUG)
    assert page.live
    assert page.story.title == content.STORY
    assert page.get_parent().title == "Политика"
    posts = list(page.posts.order_by("-posted_at"))
    assert len(posts) == len(content.LIVE_POSTS)
    assert sum(post.pinned for post in posts) == 1
    assert any(post.important for post in posts)
    article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    assert any(article.url in post.text and post.quote_text for post in posts)
    line = FeedEntry.objects.get(key=f"live:{page.pk}")
    assert line.online
    assert line.published_at == posts[0].posted_at
    html = client.get(page.url).content.decode()
    assert html.index("Главное: президенты договорились") < html.index("Ждём комментариев")
    assert "Дмитрий Песков" in html
