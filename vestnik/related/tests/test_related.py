"""Related articles: offline multilingual embeddings, their quality on labelled headlines, the
precomputed neighbours, «Читайте также» and the editor's one-click card."""

import socket

import numpy as np
from django.test import TestCase

from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories
from vestnik.related import embeddings, services
from vestnik.related.models import ArticleVector, RelatedSuggestion

# (headline, a related headline, an unrelated one)
LABELLED = [
    (
        "Песков рассказал о разногласиях Путина и Байдена",
        "Путин и Байден обсудили возможность еще одной встречи",
        "В Москве открыли новую станцию метро",
    ),
    (
        "Сбербанк отчитался о рекордной прибыли за квартал",
        "ВТБ увеличил чистую прибыль по итогам полугодия",
        "Число жертв урагана на юго-востоке США достигло 277",
    ),
    (
        "Рубль снизился на фоне новых санкций",
        "Курс доллара превысил 100 рублей на Мосбирже",
        "Дуров сообщил о появлении подарков в Telegram",
    ),
    (
        "Ураган «Хелен» обрушился на побережье Флориды",
        "Число жертв урагана «Хелен» на юго-востоке США достигло 277",
        "Госдума приняла закон о налогах в первом чтении",
    ),
    (
        "Apple представила новый iPhone",
        "Samsung показала складной смартфон",
        "В Казани начался сезон отопления",
    ),
    (
        "Сборная России по хоккею обыграла Финляндию",
        "Хоккеисты ЦСКА выиграли Кубок Гагарина",
        "Нефть Brent подорожала после решения ОПЕК+",
    ),
]


def test_model_loads_from_the_package_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    embeddings._model.cache_clear()
    vectors = embeddings.encode(["Путин встретился с Байденом", "Putin met Biden"])
    assert vectors.shape == (2, 512)
    assert vectors.dtype == np.float32
    assert float(vectors[0] @ vectors[1]) > 0.5  # multilingual: the same news in two languages


def test_related_headlines_score_above_unrelated_ones():
    texts = [text for triple in LABELLED for text in triple]
    vectors = embeddings.encode(texts).reshape(len(LABELLED), 3, -1)
    for (headline, related, unrelated), (a, r, u) in zip(LABELLED, vectors, strict=True):
        assert a @ r > a @ u, f"{headline!r}: {related!r} should be closer than {unrelated!r}"


def test_publishing_precomputes_neighbours_both_ways(rubric, other_rubric):
    summit = factories.article(rubric, title=LABELLED[0][1])
    metro = factories.article(other_rubric, title=LABELLED[0][2])
    bank = factories.article(other_rubric, title=LABELLED[1][0])
    peskov = factories.article(rubric, title=LABELLED[0][0])
    assert ArticleVector.objects.count() == 4
    best = RelatedSuggestion.objects.filter(article=peskov).order_by("-score").first()
    assert best.related_id == summit.pk
    assert RelatedSuggestion.objects.filter(article=summit, related=peskov).exists()
    assert {metro.pk, bank.pk} <= set(
        RelatedSuggestion.objects.filter(article=peskov).values_list("related_id", flat=True)
    )


def test_computed_neighbours_purge_the_pages_that_show_them(rubric, settings, client):
    # In production the task relates after the publish purged the pages: its result must not wait
    # for the cached copies to age out.
    settings.VESTNIK_PAGE_CACHE = True
    summit = factories.article(rubric, title=LABELLED[0][1], comments_enabled=False)
    peskov = factories.article(rubric, title=LABELLED[0][0])
    RelatedSuggestion.objects.filter(article=summit).delete()  # as before the task ran
    client.get(summit.url)
    assert client.get(summit.url)["X-Cache"] == "HIT"
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.article_relate(peskov.pk)
    response = client.get(summit.url)
    assert response["X-Cache"] == "MISS"
    assert f'href="{peskov.url}"' in response.content.decode()


def test_article_page_shows_read_also_in_a_fixed_number_of_queries(
    rubric, client, django_assert_max_num_queries
):
    summit = factories.article(rubric, title=LABELLED[0][1])
    peskov = factories.article(rubric, title=LABELLED[0][0])
    # A cold first request (site root and renditions uncached): the warm page is held to 15 in news.
    with django_assert_max_num_queries(16):
        html = client.get(peskov.url).content.decode()
    section = html[html.index('class="read-also"') :]
    assert "Читайте также" in html
    assert f'href="{summit.url}"' in section


def test_editor_inserts_a_suggestion_as_a_card_with_one_click(rubric, editor_user, client):
    summit = factories.article(rubric, title=LABELLED[0][1])
    peskov = factories.article(rubric, title=LABELLED[0][0])
    client.force_login(editor_user)
    assert (
        f"/admin/related/article/{peskov.pk}/"
        in client.get(f"/admin/pages/{peskov.pk}/edit/").content.decode()
    )
    review = client.get(f"/admin/related/article/{peskov.pk}/").content.decode()
    insert_url = f"/admin/related/article/{peskov.pk}/insert/{summit.pk}/"
    assert insert_url in review
    assert client.post(insert_url).status_code == 302
    draft = ArticlePage.objects.get(pk=peskov.pk).get_latest_revision_as_object()
    cards = [block.value["article"].pk for block in draft.body if block.block_type == "related"]
    assert cards == [summit.pk]
    assert client.get(insert_url).status_code == 405
    # The draft's card orders «Читайте также» once the draft is published, not before.
    assert not RelatedSuggestion.objects.get(article=peskov, related=summit).inserted
    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=peskov.pk).get_latest_revision().publish()
    assert RelatedSuggestion.objects.get(article=peskov, related=summit).inserted


def test_top_k_picks_the_best_without_sorting_everything():
    scores = np.array([0.1, 0.9, 0.3, 0.8, 0.2, 0.95, 0.5], dtype=np.float32)
    assert services.top_k(scores, 3).tolist() == [5, 1, 3]
    assert services.top_k(scores[:2], 6).tolist() == [1, 0]
