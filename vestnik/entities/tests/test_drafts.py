"""A name only a draft mentions reaches no reader: no entity page, no search suggestion."""

import pytest
from wagtail.rich_text import RichText

from vestnik.entities import services
from vestnik.entities.models import ArticleEntity
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

pytestmark = pytest.mark.django_db


def _draft_naming_zakharova(rubric, editor_user) -> tuple[ArticlePage, ArticleEntity]:
    """A draft that names Мария Захарова, analysed, with the editor's «accept» already given."""
    draft = ArticlePage(
        title="Брифинг МИД",
        slug="brifing-mid",
        live=False,
        body=[("paragraph", RichText("<p>Мария Захарова ответила журналистам.</p>"))],
    )
    rubric.add_child(instance=draft)
    draft.save_revision(user=editor_user)
    services.article_analyse(draft.pk)
    link = ArticleEntity.objects.get(article=draft, entity__name="Мария Захарова")
    services.link_decide(link, accept=True)
    return draft, link


def test_a_person_only_a_draft_names_has_no_page_and_is_not_suggested(client, rubric, editor_user):
    factories.article(rubric, title="Саммит", tags=["Саммит"])
    draft, link = _draft_naming_zakharova(rubric, editor_user)
    assert not draft.live

    assert client.get(f"/entities/{link.entity.slug}/").status_code == 404
    html = client.get("/search/", {"q": "Захаровой ураган"}).content.decode()
    assert "Ничего не найдено" in html
    assert "Мария Захарова</a>" not in html


def test_once_published_the_person_has_a_page_and_is_suggested(
    client, rubric, editor_user, django_capture_on_commit_callbacks
):
    draft, link = _draft_naming_zakharova(rubric, editor_user)
    # As in production: what follows a publish runs once it has committed.
    with django_capture_on_commit_callbacks(execute=True):
        draft.get_latest_revision().publish(user=editor_user)

    page = client.get(f"/entities/{link.entity.slug}/")
    assert page.status_code == 200
    assert "Брифинг МИД" in page.content.decode()
    html = client.get("/search/", {"q": "Захаровой ураган"}).content.decode()
    assert "Мария Захарова</a>" in html

    # Unpublished again: back to a 404.
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=draft.pk).unpublish(user=editor_user)
    assert client.get(f"/entities/{link.entity.slug}/").status_code == 404
