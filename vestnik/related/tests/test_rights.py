"""An author's card goes into a draft: nothing on the live page changes until it is published
(docs/security.md, «Права авторов»)."""

from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories
from vestnik.related.models import RelatedSuggestion

from .test_related import LABELLED


def _cards(page):
    return [block.value["article"].pk for block in page.body if block.block_type == "related"]


def test_authors_card_reaches_only_their_draft(rubric, author_user, client):
    summit = factories.article(rubric, title=LABELLED[0][1])
    own = factories.article(rubric, title=LABELLED[0][0], owner=author_user)
    client.force_login(author_user)

    response = client.post(f"/admin/related/article/{own.pk}/insert/{summit.pk}/")
    assert response.status_code == 302
    stored = ArticlePage.objects.get(pk=own.pk)
    assert _cards(stored.get_latest_revision_as_object()) == [summit.pk]  # the draft has it
    assert _cards(stored) == []  # the published body does not
    assert not RelatedSuggestion.objects.filter(article=own, inserted=True).exists()


def test_authors_cannot_insert_into_someone_elses_article(rubric, author_user, client):
    summit = factories.article(rubric, title=LABELLED[0][1])
    other = factories.article(rubric, title=LABELLED[0][0])
    revisions = other.revisions.count()
    client.force_login(author_user)
    response = client.post(f"/admin/related/article/{other.pk}/insert/{summit.pk}/")
    assert response.status_code in (302, 403)
    assert response.get("Location") in (None, "/admin/")
    assert other.revisions.count() == revisions
