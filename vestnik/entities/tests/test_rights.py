"""Authors change nothing live through the entity review; readers see only what the published text
mentions, whoever accepted it (docs/security.md, «Права авторов»)."""

from django.test import TestCase
from wagtail.rich_text import RichText

from vestnik.entities.models import ArticleEntity, Entity
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories


def _body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def _live_article(rubric, owner):
    """The author's own published article, mentioning Peskov only."""
    return factories.article(
        rubric,
        title="Брифинг в Кремле",
        body=_body("Дмитрий Песков ответил журналистам."),
        owner=owner,
    )


def _draft(article, text, user):
    """A draft of the live article that also names someone new; analysed as after a real save."""
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    draft.body = _body(text)
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.save_revision(user=user)


def _review(article):
    return f"/admin/entities/article/{article.pk}/"


def _link(article, name):
    return ArticleEntity.objects.get(article=article, entity__name=name)


def test_authors_decision_on_their_live_article_is_refused(rubric, author_user, client):
    article = _live_article(rubric, author_user)
    _draft(article, "Дмитрий Песков и Мария Захарова ответили журналистам.", author_user)
    zakharova = _link(article, "Мария Захарова")
    client.force_login(author_user)

    review = client.get(_review(article))
    assert review.status_code == 200
    assert "Мария Захарова" in review.content.decode()
    assert 'value="accept"' not in review.content.decode()

    refused = client.post(_review(article), {"decision": "accept", "link": [zakharova.pk]})
    assert refused.status_code == 403
    assert (
        "Людей, организации и места в статье отмечают только редакторы" in refused.content.decode()
    )
    assert _link(article, "Мария Захарова").status == ArticleEntity.SUGGESTED
    assert ArticleEntity.objects.filter(article=article, status="accepted").count() == 0
    assert "Мария Захарова" not in client.get(article.url).content.decode()


def test_editors_decision_works_but_a_draft_only_name_waits_for_the_publish(
    rubric, author_user, editor_user, client
):
    article = _live_article(rubric, author_user)
    _draft(article, "Дмитрий Песков и Мария Захарова ответили журналистам.", author_user)
    peskov, zakharova = _link(article, "Дмитрий Песков"), _link(article, "Мария Захарова")
    client.force_login(editor_user)

    response = client.post(
        _review(article), {"decision": "accept", "link": [peskov.pk, zakharova.pk]}
    )
    assert response.status_code == 302
    assert {_link(article, name).status for name in ("Дмитрий Песков", "Мария Захарова")} == {
        "accepted"
    }
    live = client.get(article.url).content.decode()
    assert f'href="/entities/{peskov.entity.slug}/"' in live
    # Found only in the draft: not on the live page, no public page, not suggested by search.
    assert f'href="/entities/{zakharova.entity.slug}/"' not in live
    assert client.get(f"/entities/{zakharova.entity.slug}/").status_code == 404
    assert "Мария Захарова</a>" not in client.get("/search/", {"q": "ураган"}).content.decode()
    assert _link(article, "Дмитрий Песков").live_mentions == 1
    assert _link(article, "Мария Захарова").live_mentions == 0

    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor_user)
    assert _link(article, "Мария Захарова").live_mentions == 1
    live = client.get(article.url).content.decode()
    assert f'href="/entities/{zakharova.entity.slug}/"' in live
    assert client.get(f"/entities/{zakharova.entity.slug}/").status_code == 200


def test_a_name_removed_by_the_publish_leaves_the_live_page(
    rubric, author_user, editor_user, client
):
    article = _live_article(rubric, author_user)
    link = _link(article, "Дмитрий Песков")
    link.status = ArticleEntity.ACCEPTED
    link.save()
    assert "Дмитрий Песков</a>" in client.get(article.url).content.decode()

    _draft(article, "Журналисты остались без ответа.", author_user)
    assert "Дмитрий Песков</a>" in client.get(article.url).content.decode()  # still published
    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor_user)
    assert _link(article, "Дмитрий Песков").status == "accepted"  # the decision is kept
    assert "Дмитрий Песков</a>" not in client.get(article.url).content.decode()
    assert (
        client.get(f"/entities/{Entity.objects.get(name='Дмитрий Песков').slug}/").status_code
        == 404
    )
