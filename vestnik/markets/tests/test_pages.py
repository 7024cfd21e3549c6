"""What readers and editors see: the widget on every page, the rates pages, the newsroom setting."""

import pytest
from django.test import TestCase
from lxml import html as lxml_html

from vestnik.markets import services
from vestnik.markets.models import RatesSettings
from vestnik.news.tests import factories as news_factories

from .factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(home):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rates_import(document("2024-10-04"))
        services.rates_import(document("2024-10-05"))


def _text(node) -> str:
    return " ".join(node.text_content().split()).replace("\xa0", " ")


def _widget(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content.decode())
    return doc.xpath("//section[@class='rates']//li")


def test_the_widget_shows_the_chosen_currencies_with_change_and_direction_in_words(client, rates):
    items = _widget(client)
    assert [_text(li) for li in items] == [
        "USD ЦБ: 94,87 (-0,16) ▼ снизился",
        "EUR ЦБ: 104,74 (-0,12) ▼ снизился",
        "CNY ЦБ: 13,46 (-0,03) ▼ снизился",
    ]
    # The arrow is decoration for screen readers; the word says it.
    assert items[0].xpath(".//span[@aria-hidden='true']")[0].text == "▼"
    assert items[0].xpath(".//span[@class='visually-hidden']")[0].text == "снизился"
    assert items[0].xpath(".//a/@href") == ["/rates/usd/"]


def test_the_widget_is_on_every_page(client, rates, rubric):
    article = news_factories.article(rubric, title="Любая статья")
    for url in ("/", rubric.url, article.url, "/rates/"):
        assert _text(_widget(client, url)[0]).startswith("USD ЦБ: 94,87 (-0,16)"), url


def test_the_newsroom_setting_chooses_and_orders_the_widget(client, rates):
    setting = RatesSettings.load()
    setting.widget_currencies = "JPY GBP USD"
    setting.save()
    assert [_text(li).split(" ЦБ")[0] for li in _widget(client)] == ["JPY", "GBP", "USD"]


def test_an_editor_edits_the_widget_currencies_with_russian_errors(client, rates, editor_user):
    client.force_login(editor_user)
    url = f"/admin/settings/markets/ratessettings/{RatesSettings.load().pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"widget_currencies": "USD, ЕВРО"})
    assert bad.status_code == 200
    assert "Неверный код валюты: ЕВРО" in bad.content.decode()
    assert RatesSettings.load().codes == ["USD", "EUR", "CNY"]
    client.post(url, {"widget_currencies": "EUR, USD"})
    assert RatesSettings.load().codes == ["EUR", "USD"]


def test_the_currency_page_draws_the_history_and_lists_it(client, rates):
    response = client.get("/rates/usd/")
    doc = lxml_html.fromstring(response.content.decode())
    assert _text(doc.xpath("//h1")[0]) == "Доллар США (USD): курс ЦБ"
    svg = doc.xpath("//svg[@role='img']")[0]
    assert "История курса USD: от 94,87 до 95,03 руб." in _text(svg.xpath("title")[0])
    points = svg.xpath("polyline/@points")[0].split()
    assert len(points) == 2
    (x1, y1), (x2, y2) = (map(float, p.split(",")) for p in points)
    assert x2 > x1
    assert y2 > y1  # the rate fell: the line goes down (SVG y grows downwards)
    rows = [_text(tr) for tr in doc.xpath("//table/tbody/tr")]
    assert rows == ["05.10.2024 1 USD ЦБ: 94,87 (-0,16) ▼ снизился", "04.10.2024 1 USD ЦБ: 95,03"]


def test_the_currency_page_quotes_per_nominal(client, rates):
    doc = lxml_html.fromstring(client.get("/rates/jpy/").content.decode())
    assert "JPY ЦБ: 64,84 (-0,86)" in _text(doc.xpath("//p[@class='rate-now']")[0])
    assert "за 100 JPY" in _text(doc.xpath("//p[@class='rate-now']")[0])


def test_an_unknown_currency_is_a_404_and_no_rates_hide_the_widget(client, home):
    assert client.get("/rates/xyz/").status_code == 404
    assert _widget(client) == []
    assert "Курсы ещё не загружены." in client.get("/rates/").content.decode()


def test_the_widget_costs_two_queries_on_top_of_the_setting(django_assert_num_queries, rates):
    from vestnik.markets.selectors import rates_latest

    with django_assert_num_queries(2):
        assert len(rates_latest(["USD", "EUR", "CNY"])) == 3
