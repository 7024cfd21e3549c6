"""A fresh app process's one-time costs, paid when granian starts it instead of by the first
readers and editors after a start.

Measured on the demo (bench/README.md, «Newsroom»): the first article, home, rubric, /news/,
/rss/ and /search/ rendered by a new process cost about 1.2 s of CPU more than the second time:
the URLconf's imports, the Russian catalogs, compiling the templates and the libraries their
`{% load %}` imports, and the lemmatiser's dictionaries (search, highlighted fragments). Each
granian worker paid it on its first requests, so right after a start a publish reached every
reader page seconds later than on a warm site.
"""

import logging
import time

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from vestnik.search.morphology import lemma

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def reader_templates() -> list[str]:
    """The project's own templates (reader pages, feeds, error pages), by loader name."""
    names = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES:
                names.append(path.relative_to(directory).as_posix())
    return names


def warm_up() -> float:
    """Load what the first requests of a new process would load; returns the seconds it took."""
    start = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018  (imports every app's URLconf)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Search")  # the catalogs, merged once per process
    lemma("Пескова")  # pymorphy3's dictionaries
    for name in reader_templates():
        try:
            get_template(name)  # the cached loader keeps the compiled template
        except (TemplateDoesNotExist, TemplateSyntaxError):
            logger.warning("warm-up: template %s did not compile", name, exc_info=True)
    return time.perf_counter() - start
