"""«Одобрить и опубликовать» and the POST that follows it, at the same time, on two real servers.

The browser sent the approval, then, before the first answer, Wagtail's autosave of the same
form (it carried the `action-workflow-action` field the click had added) — or a double click
sent the approval twice. Here both POSTs leave together (a barrier) for two granian processes
on the same database (a file copy of the SQLite test database, or the PostgreSQL test database
when the run has DATABASE_URL), as production's workers would take them. Without the row lock
in news/admin_views.py the second one saved the form over the published row (`live=False`),
crashed with «'NoneType' object has no attribute 'on_action'», or left a draft revision on top
of the publication; whatever the order, here the article ends published once.
"""

import json
import os
import subprocess
import sys
import threading

import httpx
import pytest
from django.urls import reverse

from vestnik.feed.tests import servers

from .workflow import (
    APPROVE,
    AUTOSAVE_HEADERS,
    PUBLISHED_ONCE,
    SLUG,
    STATE,
    article_in_review,
    form_fields,
    state,
    without_revisions,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _state_in(db_url: str) -> dict:
    """The article's state as the servers left it, read by a fresh process from their database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vestnik.settings.test", "DATABASE_URL": db_url}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + STATE, SLUG],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("second", ["autosave", "double click"])
def test_approve_and_a_second_post_at_once_publish_once(
    client, rubric, author_user, editor_user, tmp_path, second
):
    article = article_in_review(rubric, author_user)
    client.force_login(editor_user)
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    fields = form_fields(client.get(url).content.decode())
    data: dict[str, list[str]] = {}
    for name, value in fields + APPROVE:
        data.setdefault(name, []).append(value)
    cookies = {name: client.cookies[name].value for name in ("sessionid", "csrftoken")}
    before = state(article)

    db_url = servers.database_url(tmp_path)
    with servers.app_processes(db_url, count=2) as urls:
        barrier = threading.Barrier(2)
        answers: dict[str, httpx.Response | Exception] = {}

        def post(name: str, base: str, headers: dict) -> None:
            with httpx.Client(base_url=base, cookies=cookies, timeout=120) as http:
                barrier.wait()
                try:
                    answers[name] = http.post(url, data=data, headers=headers)
                except Exception as error:  # noqa: BLE001  (reported below)
                    answers[name] = error

        csrf = {"X-CSRFToken": cookies["csrftoken"]}
        second_headers = {**csrf, **(AUTOSAVE_HEADERS if second == "autosave" else {})}
        threads = [
            threading.Thread(target=post, args=("approve", urls[0], csrf)),
            threading.Thread(target=post, args=(second, urls[1], second_headers)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)

    statuses = {
        name: answer.status_code if isinstance(answer, httpx.Response) else repr(answer)
        for name, answer in answers.items()
    }
    assert len(statuses) == 2
    assert all(isinstance(code, int) and code < 500 for code in statuses.values()), statuses
    after = _state_in(db_url)
    assert after["revisions"] == before["revisions"]  # no draft on top of the publication
    assert without_revisions(after) == PUBLISHED_ONCE
