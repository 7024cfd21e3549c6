"""Shared fragments with the page cache off: an article page not cached yet renders from warm
fragments in a few queries, and every change readers must see still shows at once."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template import Template, TemplateSyntaxError
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from vestnik.core import tags
from vestnik.core.events import content_changed_send
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories
from vestnik.promos.models import Promo
from vestnik.promos.tests import factories as promo_factories
from vestnik.related.models import RelatedSuggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments")]

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def fragments(settings):
    settings.VESTNIK_PAGE_CACHE = False
    settings.VESTNIK_FRAGMENT_CACHE = True
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 0  # every read reaches the tag store


@pytest.fixture
def article(rubric, story):
    return factories.article(rubric, title="Песков рассказал о разногласиях", story=story)


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_warm_article_page_costs_the_same_few_queries_at_any_archive_size(
    client, rubric, article, settings
):
    settings.VESTNIK_PAGE_CACHE_TAG_MEMO = 60  # as in production, purge times read a moment ago
    client.get(article.url)  # renders the fragments
    client.get(article.url)  # reads their purge times
    few = _queries(client, article.url)
    # The site, the article at its path, its view restrictions and the fragments are all shared.
    assert few == 0
    for n in range(30):
        factories.article(rubric, title=f"Архивная новость {n}")
    client.get(article.url)  # the feed fragment was purged by those publishes
    client.get(article.url)
    assert _queries(client, article.url) == few


def test_the_feed_fragment_shows_a_new_article_on_other_pages_at_once(client, rubric, article):
    assert "Срочная новость" not in _html(client, article.url)
    factories.article(rubric, title="Срочная новость")  # publishes and runs the after-commit purge
    assert "Срочная новость" in _html(client, article.url)


def test_the_comment_count_follows_its_tag(client, article, django_capture_on_commit_callbacks):
    assert 'class="article__comments"' in _html(client, article.url)
    ArticlePage.objects.filter(pk=article.pk).update(comment_count=7)
    with django_capture_on_commit_callbacks(execute=True):
        content_changed_send({tags.article(article.pk)})
    assert re.search(r'class="article__comments"[^>]*>7<', _html(client, article.url))


def test_a_read_also_card_goes_when_its_article_is_unpublished(client, rubric, article):
    other = factories.article(rubric, title="Путин и Байден обсудили встречу")
    RelatedSuggestion.objects.create(article=article, related=other, score=0.9)
    assert f'href="{other.url}"' in _html(client, article.url)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=other.pk).unpublish()
    assert f'href="{other.url}"' not in _html(client, article.url)


def test_the_in_feed_promo_still_follows_the_rubric_of_each_page(client, rubric, other_rubric):
    for n in range(8):
        factories.article(rubric, title=f"Новость номер {n}")
    politics = factories.article(rubric, title="Статья в политике")
    business = factories.article(other_rubric, title="Статья в бизнесе")
    promo_factories.promo("Курс для политологов", placement=Promo.FEED, rubrics=[rubric])
    assert "Курс для политологов" in _html(client, politics.url)
    # The same cached feed, another rubric around it: no promo, and no marker left behind.
    html = _html(client, business.url)
    assert "Курс для политологов" not in html
    assert "vestnik-live" not in html
    feed = _html(client, politics.url)
    feed = feed[feed.index('class="feed__list"') :]
    items = re.findall(r'<li class="feed__item( feed__item--promo)?"[ >]', feed)
    assert [bool(flag) for flag in items].index(True) == 7


def test_a_preview_shows_the_draft_not_the_shared_copy(client, article):
    assert "Песков рассказал" in _html(client, article.url)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Черновик заголовка"
    draft.save_revision()
    preview = draft.get_latest_revision_as_object().make_preview_request()
    assert "Черновик заголовка" in preview.content.decode()
    assert "Черновик заголовка" not in _html(client, article.url)  # readers keep the live version


def test_feed_times_say_the_day_once_the_day_is_over(client, rubric):
    late = datetime(2024, 10, 5, 23, 50, tzinfo=MOSCOW)
    with freeze_time(datetime(2024, 10, 5, 23, 58, tzinfo=MOSCOW), tick=True):
        page = factories.article(rubric, title="Поздняя новость", published_at=late)
        html = _html(client, page.url)
        assert ">23:50</time>" in html
    # Four minutes on, well within the fragment's life, but another day in Moscow.
    with freeze_time(datetime(2024, 10, 6, 0, 2, tzinfo=MOSCOW), tick=True):
        html = _html(client, page.url)
        assert ">05 окт, 23:50</time>" in html


def test_an_unpublished_article_is_gone_at_once_though_its_path_was_shared(client, article):
    _html(client, article.url)
    _html(client, article.url)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get(article.url).status_code == 404


def test_a_new_view_restriction_applies_at_once(client, rubric, article):
    from wagtail.models import PageViewRestriction

    _html(client, article.url)
    _html(client, article.url)
    with TestCase.captureOnCommitCallbacks(execute=True):
        PageViewRestriction.objects.create(page=rubric, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(article.url).status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        PageViewRestriction.objects.all().delete()
    assert client.get(article.url).status_code == 200


def test_a_changed_site_is_read_again(rf, home):
    from wagtail.models import Site

    from vestnik.delivery import cache

    request = rf.get("/", HTTP_HOST="testserver")
    assert cache.site_for(request).root_page.pk == home.pk
    with TestCase.captureOnCommitCallbacks(execute=True):
        site = Site.objects.get()
        site.site_name = "Другой вестник"
        site.save()
    assert cache.site_for(request).site_name == "Другой вестник"


def test_a_template_naming_a_cache_tag_outside_the_vocabulary_fails_to_compile():
    # A typo would leave a fragment no purge ever reaches; it fails when the template compiles.
    with pytest.raises(TemplateSyntaxError, match="not a site-wide cache tag"):
        Template(
            '{% load delivery_tags %}{% shared_fragment "x" "rate" %}x{% end_shared_fragment %}'
        )
    Template('{% load delivery_tags %}{% shared_fragment "x" "rates" %}x{% end_shared_fragment %}')
