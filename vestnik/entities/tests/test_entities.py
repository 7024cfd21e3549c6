"""Entities: natasha on the demo article, analysis after save, editors' review, entity pages."""

import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.rich_text import RichText

from vestnik.demo import content
from vestnik.demo.services import demo_seed
from vestnik.entities import extraction, services
from vestnik.entities.models import ArticleEntity, Entity
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

DEMO_MUST_YIELD = {
    ("PER", "Владимир Путин"),
    ("PER", "Джо Байден"),
    ("PER", "Дмитрий Песков"),
    ("PER", "Мария Захарова"),
    ("PER", "Юрий Ушаков"),
    ("ORG", "НАТО"),
    ("ORG", "RTVI"),
    ("LOC", "Россия"),
    ("LOC", "США"),
    ("LOC", "Украина"),
}


def _body(*paragraphs):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def test_models_load_from_the_package_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    extraction._pipeline.cache_clear()
    found = extraction.extract(["Дмитрий Песков прилетел в Женеву."])
    assert ("PER", "Дмитрий Песков") in {(f.kind, f.name) for f in found}


def test_demo_article_yields_the_people_organisations_and_places(wagtail_root):
    demo_seed(filler_per_rubric=1)
    article = ArticlePage.objects.get(slug=content.ARTICLE_SLUG)
    links = services.article_analyse(article.pk)
    found = {(link.entity.kind, link.entity.name) for link in links}
    assert found >= DEMO_MUST_YIELD
    # Surnames alone («Песков», «Путина», «Байдену») joined their full names, not stood apart.
    names = {name for _, name in found}
    assert not names & {"Песков", "Путин", "Байден", "Захарова", "Ушаков"}
    assert {link.entity.name: link.mentions for link in links}["Дмитрий Песков"] >= 5
    assert not names & {title for title, _ in content.RUBRICS}


def test_a_rubric_name_is_never_suggested():
    text = "Политика. Политика заявила, что Дмитрий Песков прав."
    assert ("PER", "Политика") not in {
        (f.kind, f.name) for f in extraction.extract([text], exclude={"Политика"})
    }


def test_saving_an_article_analyses_it_after_commit(rubric):
    article = factories.article(
        rubric, title="Захарова ответила Блинкену", body=_body("Мария Захарова выступила в Москве.")
    )
    names = set(
        ArticleEntity.objects.filter(article=article).values_list("entity__name", flat=True)
    )
    assert {"Мария Захарова", "Москва"} <= names
    assert ArticleEntity.objects.filter(article=article, status="suggested").count() == len(names)


def test_a_failing_analysis_is_logged_and_the_article_stays_saved(rubric, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(extraction, "extract", broken)
    with caplog.at_level(logging.ERROR, logger="vestnik.entities.tasks"):
        article = factories.article(rubric, title="Песков ответил на вопрос")
    assert ArticlePage.objects.live().filter(pk=article.pk).exists()
    assert not ArticleEntity.objects.filter(article=article).exists()
    assert f"Entity analysis failed for article {article.pk}" in caplog.text


def test_editor_accepts_and_rejects_then_pages_link_the_entity(
    rubric, editor_user, client, settings
):
    settings.VESTNIK_PAGE_SIZE = 2
    articles = [
        factories.article(
            rubric,
            title=f"Песков прокомментировал новость {n}",
            body=_body("Дмитрий Песков ответил журналистам в Москве."),
            published_at=timezone.now() - timedelta(hours=n),
        )
        for n in range(3)
    ]
    client.force_login(editor_user)
    edit = client.get(f"/admin/pages/{articles[0].pk}/edit/").content.decode()
    review_url = f"/admin/entities/article/{articles[0].pk}/"
    assert review_url in edit

    for article in articles:
        review = client.get(f"/admin/entities/article/{article.pk}/")
        assert "Дмитрий Песков" in review.content.decode()
        links = {link.entity.name: link for link in ArticleEntity.objects.filter(article=article)}
        client.post(
            f"/admin/entities/article/{article.pk}/",
            {"decision": "accept", "link": [links["Дмитрий Песков"].pk]},
        )
        client.post(
            f"/admin/entities/article/{article.pk}/",
            {"decision": "reject", "link": [links["Москва"].pk]},
        )
    statuses = dict(
        ArticleEntity.objects.filter(article=articles[0]).values_list("entity__name", "status")
    )
    assert statuses["Дмитрий Песков"] == "accepted"
    assert statuses["Москва"] == "rejected"

    peskov = Entity.objects.get(name="Дмитрий Песков")
    page_html = client.get(articles[0].url).content.decode()
    assert f'href="/entities/{peskov.slug}/"' in page_html
    assert "/entities/moskva/" not in page_html

    first = client.get(f"/entities/{peskov.slug}/").content.decode()
    first = first[first.index("<main") : first.index("</main>")]  # not the feed sidebar
    assert first.index(articles[0].title) < first.index(articles[1].title)
    assert articles[2].title not in first
    assert "before=" in first
    assert client.get(f"/entities/{peskov.slug}/", {"before": "junk"}).status_code == 404


def test_reanalysis_keeps_editors_decisions(rubric):
    article = factories.article(
        rubric, title="Песков и Захарова", body=_body("Дмитрий Песков и Мария Захарова.")
    )
    link = ArticleEntity.objects.get(article=article, entity__name="Мария Захарова")
    services.link_decide(link, accept=False)
    services.article_analyse(article.pk)
    assert ArticleEntity.objects.get(pk=link.pk).status == "rejected"


def test_review_needs_edit_permission(rubric, client):
    article = factories.article(rubric, title="Песков")
    assert client.get(f"/admin/entities/article/{article.pk}/").status_code == 302


@pytest.mark.parametrize("decision", ["", "maybe"])
def test_review_without_a_decision_changes_nothing(rubric, editor_user, client, decision):
    article = factories.article(rubric, title="Песков", body=_body("Дмитрий Песков ответил."))
    client.force_login(editor_user)
    response = client.post(
        f"/admin/entities/article/{article.pk}/", {"decision": decision}, follow=True
    )
    assert "Выберите упоминания и решение" in response.content.decode()
    assert not ArticleEntity.objects.filter(article=article).exclude(status="suggested").exists()


def test_search_suggests_accepted_entity_names_when_nothing_is_found(rubric, client):
    article = factories.article(rubric, title="Брифинг", body=_body("Мария Захарова ответила."))
    link = ArticleEntity.objects.get(article=article, entity__name="Мария Захарова")
    services.link_decide(link, accept=True)
    html = client.get("/search/", {"q": "Захаровой ураган"}).content.decode()
    assert "Ничего не найдено" in html
    assert "Мария Захарова</a>" in html
