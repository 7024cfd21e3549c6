from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from vestnik.news import selectors

from . import factories

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    doc = lxml_html.fromstring(response.content.decode())
    return [
        " ".join(a.text_content().split()).replace("\xa0", " ")
        for a in doc.xpath("//main//h3[@class='card__title']/a")
    ]


def _next_link(response) -> str | None:
    doc = lxml_html.fromstring(response.content.decode())
    links = doc.xpath("//a[@rel='next']/@href")
    return links[0] if links else None


def test_keyset_pages_walk_every_article_once_newest_first(rubric, settings):
    settings.VESTNIK_PAGE_SIZE = 7
    start = timezone.now()
    made = factories.articles(rubric, 20, start=start)
    # two articles at the very same second: the id breaks the tie, nothing is skipped or repeated
    same_time = [
        factories.article(rubric, published_at=start - timedelta(minutes=5, seconds=30))
        for _ in range(2)
    ]
    seen, cursor = [], None
    while True:
        listing = selectors.articles_listing(
            selectors.articles_live().filter(rubric=rubric), cursor=cursor
        )
        seen += [article.pk for article in listing.items]
        if not listing.next_cursor:
            break
        cursor = listing.next_cursor
    assert len(seen) == len(set(seen)) == 22
    assert set(seen) == {a.pk for a in made + same_time}
    ordered = sorted(
        selectors.articles_live().filter(pk__in=seen),
        key=lambda a: (a.published_at, a.pk),
        reverse=True,
    )
    assert seen == [a.pk for a in ordered]


def test_rubric_page_pages_through_its_own_articles_only(client, rubric, other_rubric, settings):
    settings.VESTNIK_PAGE_SIZE = 5
    factories.articles(rubric, 8)
    factories.article(other_rubric, title="Чужая рубрика")
    first = client.get(rubric.url)
    assert first.status_code == 200
    assert len(_titles(first)) == 5
    second = client.get(rubric.url + _next_link(first))
    assert len(_titles(second)) == 3
    assert _next_link(second) is None
    assert "Чужая рубрика" not in _titles(first) + _titles(second)


def test_a_malformed_page_cursor_is_a_404_not_a_500(client, rubric):
    factories.articles(rubric, 2)
    assert client.get(rubric.url + "?before=garbage").status_code == 404
    assert client.get(rubric.url + "?before=99999999999999999999999-1").status_code == 404


def test_home_story_and_tag_pages_list_newest_first(client, home, rubric, story):
    old = factories.article(
        rubric,
        title="Старая новость",
        published_at=timezone.now() - timedelta(days=2),
        story=story,
        tags=["Нефть"],
    )
    new = factories.article(
        rubric,
        title="Свежая новость",
        published_at=timezone.now() - timedelta(hours=1),
        story=story,
        tags=["Нефть"],
    )
    factories.article(rubric, title="Без сюжета и тега")
    assert _titles(client.get(story.url)) == [new.title, old.title]
    tag_slug = new.tags.first().slug
    tag_response = client.get(f"/tags/{tag_slug}/")
    assert tag_response.status_code == 200
    assert _titles(tag_response) == [new.title, old.title]
    home_titles = _titles(client.get("/"))
    assert home_titles.index("Свежая новость") < home_titles.index("Старая новость")
    assert client.get("/tags/net-takogo-tega/").status_code == 404


def test_unpublished_articles_are_nowhere_on_the_site(
    client, rubric, django_capture_on_commit_callbacks
):
    article = factories.article(rubric, title="Снятая с публикации новость")
    assert "Снятая" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert client.get(article.url).status_code == 404
    for url in ("/", rubric.url):
        assert "Снятая" not in client.get(url).content.decode()  # feed included


def test_listing_page_costs_the_same_queries_with_ten_or_many_articles(client, rubric):
    factories.articles(rubric, 10)
    client.get(rubric.url)
    with CaptureQueriesContext(connection) as small:
        client.get(rubric.url)
    factories.articles(rubric, 50, start=timezone.now() - timedelta(days=1))
    with CaptureQueriesContext(connection) as large:
        client.get(rubric.url)
    assert len(small) == len(large)
