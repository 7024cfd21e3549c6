"""The project's own Russian for Wagtail messages whose Russian is wrong (wrong case, glued words,
an untranslated «1-6 of 6»): vestnik/locale comes first in LOCALE_PATHS."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import factories

pytestmark = pytest.mark.django_db


def test_the_project_locale_comes_first():
    assert str(settings.LOCALE_PATHS[0]).endswith("vestnik/locale")


def test_usage_and_workflow_messages_read_as_russian():
    with translation.override("ru"):
        for count in (0, 1, 3, 5):
            text = translation.ngettext(
                "This %(model_name)s is referenced %(usage_count)s time.",
                "This %(model_name)s is referenced %(usage_count)s times.",
                count,
            ) % {"model_name": "статья", "usage_count": count}
            assert text == f"Ссылок на этот объект (статья): {count}."
        text = translation.gettext(
            "This %(model_name)s is currently at <strong>%(task)s</strong> in "
            "<strong>%(workflow)s</strong>."
        ) % {"model_name": "страница", "task": "Проверка", "workflow": "Редакторская проверка"}
        assert "страница) сейчас на этапе" in text


def test_the_page_listing_counts_in_russian(client, rubric, editor_user):
    factories.articles(rubric, 3)
    client.force_login(editor_user)
    html = client.get(reverse("wagtailadmin_explore", args=(rubric.pk,))).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "1–3 из 3" in text
    assert not re.search(r"\d+-\d+ of \d+", text)
