"""The index follows publishing, and the reader's search page: highlighting, order, pages, errors."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from wagtail.rich_text import RichText

from vestnik.news.tests import factories
from vestnik.search.models import SearchEntry
from vestnik.search.selectors import search


def _body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def test_publish_indexes_change_reindexes_unpublish_removes(rubric):
    article = factories.article(
        rubric, title="Песков ответил на вопрос", body=_body("Первый текст.")
    )
    assert [h.article.pk for h in search("Пескову").hits] == [article.pk]

    article.title = "Захарова ответила на вопрос"
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.save_revision().publish()
    assert search("Пескову").total == 0
    assert [h.article.pk for h in search("Захаровой").hits] == [article.pk]

    with TestCase.captureOnCommitCallbacks(execute=True):
        article.unpublish()
    assert search("Захаровой").total == 0
    assert not SearchEntry.objects.filter(pk=article.pk).exists()


def test_rebuild_command_restores_the_index_and_reports_progress(rubric):
    factories.articles(rubric, 3, title="Байден прилетел в Женеву")
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "3/3" in out.getvalue()
    assert "Проиндексировано статей: 3" in out.getvalue()
    assert search("Байдену").total == 3


def test_page_highlights_the_readers_words_and_escapes_the_rest(rubric, client):
    factories.article(
        rubric,
        title="Пескову <script>alert(1)</script> задали вопрос",
        lead="Дмитрий Песков ответил & пояснил.",
    )
    response = client.get("/search/", {"q": "Песков"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Пескову</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Дмитрий <mark>Песков</mark> ответил &amp; пояснил." in html
    assert "<script>alert(1)" not in html


def test_newest_order_and_pages(rubric, client, settings):
    settings.VESTNIK_PAGE_SIZE = 2
    articles = factories.articles(rubric, 5, title="Рубль укрепился")
    newest = search("рубль", order="newest")
    assert [h.article.pk for h in newest.hits] == [a.pk for a in articles[:2]]
    assert (newest.total, newest.pages) == (5, 3)
    third = search("рубль", order="newest", page=3)
    assert [h.article.pk for h in third.hits] == [articles[4].pk]
    response = client.get("/search/", {"q": "рубль", "order": "newest", "page": 2})
    assert response.status_code == 200
    assert "page=3" in response.content.decode()


def test_nothing_found_says_so_and_suggests_tags(rubric, client):
    factories.article(rubric, title="Саммит", tags=["Дмитрий Песков"])
    response = client.get("/search/", {"q": "Пескову ураган"})
    html = response.content.decode()
    assert "Ничего не найдено" in html
    assert "Дмитрий Песков" in html


def test_bad_filters_are_a_russian_message_not_a_500(rubric, client):
    response = client.get("/search/", {"q": "рубль", "date_from": "вчера"})
    assert response.status_code == 400
    assert "Введите правильную дату" in response.content.decode()
    response = client.get(
        "/search/", {"q": "рубль", "date_from": "2024-10-05", "date_to": "2024-10-01"}
    )
    assert response.status_code == 400
    assert "Начальная дата позже конечной" in response.content.decode()
    response = client.get("/search/", {"q": "рубль", "page": "x"})
    assert response.status_code == 400


def test_query_syntax_characters_are_just_text(rubric):
    factories.article(rubric, title="Рубль и доллар")
    for text in ['рубль"', "рубль OR NOT", "рубль*", "(рубль", "'рубль' & !", "NEAR(рубль)", "-"]:
        search(text)  # never a database error
    assert search('"рубль').total == 1


def test_header_has_the_search_field(home, client):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html


def test_hostile_filters_are_a_4xx_and_absurd_ranges_are_clamped_to_the_archive(
    rubric, client, monkeypatch
):
    from datetime import date, timedelta

    from django.utils import timezone

    from vestnik.search import backends

    article = factories.article(rubric, title="Путин провёл совещание")
    for rubric_id in [str(2**63), str(2**64), "-1", "abc"]:
        response = client.get("/search/", {"q": "путин", "rubric": rubric_id, "story": rubric_id})
        assert response.status_code == 400
        assert "Выберите корректный вариант" in response.content.decode()
    ranges = []
    real = backends.date_tokens
    monkeypatch.setattr(backends, "date_tokens", lambda a, b: ranges.append((a, b)) or real(a, b))
    for date_from, date_to in [
        ("", "9999-12-31"),
        ("0001-01-02", "9998-12-30"),
        ("0001-01-01", ""),
    ]:
        response = client.get(
            "/search/", {"q": "путин", "date_from": date_from, "date_to": date_to}
        )
        assert response.status_code == 200
        assert "<mark>Путин</mark> провёл" in response.content.decode()  # the hit, highlighted
    day = timezone.localtime(article.published_at).date()
    assert ranges == []  # covers the whole archive: no date terms at all, not millennia of them
    client.get("/search/", {"q": "путин", "date_from": str(day), "date_to": "9999-12-31"})
    assert ranges == []
    client.get("/search/", {"q": "путин", "date_from": "0001-01-01", "date_to": str(day)})
    assert ranges == []
    far = client.get("/search/", {"q": "путин", "date_from": "9000-01-01"})
    assert far.status_code == 200
    assert "<mark>Путин</mark> провёл" not in far.content.decode()
    assert search("путин", date_to=day - timedelta(days=1)).total == 0
    assert search("путин", date_from=date(1, 1, 1), date_to=date(9999, 12, 31)).total == 1
