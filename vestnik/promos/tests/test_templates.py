import re

import pytest
from django.core.cache import cache

from vestnik.news.tests import factories as news_factories
from vestnik.promos.models import Promo

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_the_feed_promo_follows_the_seventh_line(client, rubric):
    for n in range(10):
        news_factories.article(rubric, f"Новость номер {n}")
    factories.promo("Онлайн-курс Digital MBA", placement=Promo.FEED)
    html = client.get("/").content.decode()
    feed = html[html.index('class="feed__list"') :]
    items = re.findall(r'<li class="feed__item( feed__item--promo)?"[ >]', feed)
    assert [bool(flag) for flag in items].index(True) == 7
    assert "Оставить заявку" in feed


def test_the_feed_position_is_configurable(client, rubric, settings):
    settings.VESTNIK_PROMO_FEED_POSITION = 2
    for n in range(4):
        news_factories.article(rubric, f"Новость номер {n}")
    factories.promo("Курс", placement=Promo.FEED)
    feed = client.get("/").content.decode()
    items = re.findall(r'<li class="feed__item( feed__item--promo)?"[ >]', feed)
    assert [bool(flag) for flag in items].index(True) == 2


def test_sidebar_and_after_body_promos_show_on_their_rubric_only(client, rubric, other_rubric):
    # Tagged: the «Теги» section (shown only with tags) marks where the body's end is.
    article = news_factories.article(rubric, "Статья в политике", tags=["Выборы"])
    elsewhere = news_factories.article(other_rubric, "Статья в бизнесе")
    factories.promo("Боковой промо", placement=Promo.SIDEBAR, rubrics=[rubric])
    factories.promo("Промо после текста", placement=Promo.AFTER_BODY)
    html = client.get(article.url).content.decode()
    assert "Боковой промо" in html
    assert "Промо после текста" in html
    assert (
        html.index("article__body") < html.index("Промо после текста") < html.index("article__tags")
    )
    other = client.get(elsewhere.url).content.decode()
    assert "Боковой промо" not in other
    assert "Реклама" in html  # marked as advertising, as the law asks
