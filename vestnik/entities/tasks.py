"""Background work: entity analysis runs off the request path (immediately in the embedded default)."""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


# Behind the work readers wait for (the search index, Wagtail's reference index): the worker
# takes higher priorities first, and the models' seconds would hold a retitle out of search.
@task(priority=-10)
def analyse_article(article_id: int) -> int:
    try:
        return len(services.article_analyse(article_id))
    except Exception:
        # The article is saved already; the editor just gets no suggestions this time.
        logger.exception("Entity analysis failed for article %s", article_id)
        raise
