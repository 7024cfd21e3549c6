"""The Telegram channel against a local server speaking the Bot API (botapi.py): what it receives
for a «молния», a republish, a correction, a withdrawal, and how failures end."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone
from freezegun import freeze_time

from vestnik.breaking import services
from vestnik.breaking.models import TelegramPost
from vestnik.news.models import ArticlePage
from vestnik.news.tests import factories

from . import botapi

pytestmark = pytest.mark.django_db

TOKEN = "123456:TEST-token"
CHAT = "@vestnik_test"
HEADLINE = "Взрыв на <заводе> «Азот» & пожар"
ESCAPED = "Взрыв на &lt;заводе&gt; «Азот» &amp; пожар"


@pytest.fixture
def bot(settings):
    with botapi.BotApiServer() as server:
        settings.VESTNIK_TELEGRAM_BOT_TOKEN = TOKEN
        settings.VESTNIK_TELEGRAM_CHAT_ID = CHAT
        settings.VESTNIK_TELEGRAM_API_URL = server.url
        settings.VESTNIK_TELEGRAM_TIMEOUT = 0.5
        settings.VESTNIK_TELEGRAM_ATTEMPTS = 3
        settings.VESTNIK_BREAKING_MINUTES = 30
        settings.WAGTAILADMIN_BASE_URL = "https://vestnik.example"
        yield server


@pytest.fixture
def waits(monkeypatch):
    """The pauses between attempts, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(services, "sleep", recorded.append)
    return recorded


def _breaking(rubric, title=HEADLINE, **fields):
    return factories.article(
        rubric, title=title, breaking=True, published_at=timezone.now(), **fields
    )


def _republish(article, **changes):
    article = ArticlePage.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(article, name, value)
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.save_revision().publish()
    return article


def _unpublish(article):
    with TestCase.captureOnCommitCallbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).unpublish()


def test_a_breaking_article_is_posted_once_with_its_escaped_title_and_absolute_link(
    bot, rubric, waits
):
    article = _breaking(rubric)
    assert bot.methods() == ["sendMessage"]
    call = bot.calls[0]
    assert call["token"] == TOKEN
    link = f"https://vestnik.example{article.url}"
    assert call["payload"] == {
        "chat_id": CHAT,
        "parse_mode": "HTML",
        "text": f'⚡ <b>Молния.</b> {ESCAPED}\n<a href="{link}">{link}</a>',
    }
    post = TelegramPost.objects.get()
    assert (post.key, post.state, post.message_id) == (f"article:{article.pk}", "posted", 101)
    assert post.posted_at is not None
    assert waits == []


def test_republish_sends_nothing_a_correction_edits_unpublish_deletes(bot, rubric):
    article = _breaking(rubric)
    _republish(article)
    assert bot.methods() == ["sendMessage"]  # same text: the channel already says it

    _republish(article, title="Взрыв на заводе «Азот»: пострадавших нет")
    assert bot.methods() == ["sendMessage", "editMessageText"]
    edit = bot.calls[1]["payload"]
    assert edit["chat_id"] == CHAT
    assert edit["message_id"] == 101
    assert edit["parse_mode"] == "HTML"
    assert edit["text"].startswith("⚡ <b>Молния.</b> Взрыв на заводе «Азот»: пострадавших нет\n")

    _unpublish(article)
    assert bot.methods() == ["sendMessage", "editMessageText", "deleteMessage"]
    assert bot.calls[2]["payload"] == {"chat_id": CHAT, "message_id": 101}
    assert TelegramPost.objects.get().state == "deleted"


def test_a_withdrawal_after_the_minutes_leaves_the_post(bot, rubric, caplog):
    caplog.set_level(logging.INFO, logger="vestnik.breaking.services")
    article = _breaking(rubric)
    with freeze_time(timezone.now() + timedelta(minutes=31)):
        _unpublish(article)
    assert bot.methods() == ["sendMessage"]
    post = TelegramPost.objects.get()
    assert post.state == "posted"
    assert post.withdrawn is True
    assert "kept" in caplog.text


def test_clearing_the_flag_deletes_the_post(bot, rubric):
    article = _breaking(rubric)
    _republish(article, breaking=False)
    assert bot.methods() == ["sendMessage", "deleteMessage"]


def test_429_waits_as_told_then_posts_once(bot, rubric, waits):
    bot.script.append(botapi.too_many(retry_after=1))
    _breaking(rubric)
    assert bot.methods() == ["sendMessage", "sendMessage"]
    assert waits == [1.0]
    post = TelegramPost.objects.get()
    assert post.state == "posted"
    assert post.message_id == 101
    assert post.attempts == 2


def test_a_slow_answer_times_out_and_is_retried(bot, rubric, waits):
    bot.script.append(botapi.slow(2))
    _breaking(rubric)
    assert bot.methods() == ["sendMessage", "sendMessage"]
    assert waits == [1.0]  # no retry_after: backoff 1, 2, 4… s
    assert TelegramPost.objects.get().state == "posted"


def test_5xx_until_the_last_attempt_is_an_error_for_editors_who_repeat_it(
    bot, rubric, waits, client, editor_user, author_user
):
    bot.script.extend([botapi.server_error()] * 3)
    article = _breaking(rubric)
    assert bot.methods() == ["sendMessage"] * 3
    assert waits == [1.0, 2.0]
    post = TelegramPost.objects.get()
    assert post.state == "failed"
    assert post.last_error == "Ошибка Telegram (HTTP 500)"
    assert ArticlePage.objects.get(pk=article.pk).live  # the publish stands

    client.force_login(editor_user)
    home = client.get("/admin/").content.decode()
    assert "Telegram: сообщения не отправлены" in home
    assert "1 сообщение не дошло до канала." in home
    listing = client.get("/admin/telegram/").content.decode()
    assert "Ошибка Telegram (HTTP 500)" in listing
    assert "Повторить" in listing

    client.force_login(author_user)
    refused = client.post(f"/admin/telegram/{post.pk}/retry/")
    assert refused.status_code == 403
    assert bot.methods() == ["sendMessage"] * 3

    client.force_login(editor_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/admin/telegram/{post.pk}/retry/")
    assert response.status_code == 302
    assert bot.methods() == ["sendMessage"] * 4
    post.refresh_from_db()
    assert post.state == "posted"
    assert post.last_error == ""
    assert "Telegram: сообщения не отправлены" not in client.get("/admin/").content.decode()


def test_a_bad_token_is_not_retried_and_says_what_to_check(bot, rubric, waits):
    bot.script.append(botapi.unauthorized())
    _breaking(rubric)
    assert bot.methods() == ["sendMessage"]
    assert waits == []
    post = TelegramPost.objects.get()
    assert post.state == "failed"
    assert "VESTNIK_TELEGRAM_BOT_TOKEN" in post.last_error
    assert "HTTP 401" in post.last_error


def test_connection_refused_is_an_error_after_the_attempts(bot, rubric, waits, settings):
    settings.VESTNIK_TELEGRAM_API_URL = f"http://127.0.0.1:{botapi.free_port()}"  # nobody there
    _breaking(rubric)
    post = TelegramPost.objects.get()
    assert post.state == "failed"
    assert post.last_error == "Не удалось связаться с Telegram (ConnectionError)"
    assert post.attempts == 3


def test_a_rubric_marked_for_telegram_posts_every_new_article_once(bot, rubric, other_rubric):
    rubric.telegram_all = True
    rubric.save_revision().publish()
    plain = factories.article(rubric, title="Бюджет принят")
    factories.article(other_rubric, title="Не для канала")
    assert bot.methods() == ["sendMessage"]
    link = f"https://vestnik.example{plain.url}"
    assert bot.calls[0]["payload"]["text"] == f'Бюджет принят\n<a href="{link}">{link}</a>'
    _republish(plain)
    breaking = _breaking(rubric, title="Срочно")
    assert bot.methods() == ["sendMessage", "sendMessage"]  # the «молния» once, with its label
    assert bot.calls[1]["payload"]["text"].startswith("⚡ <b>Молния.</b> Срочно\n")
    assert TelegramPost.objects.filter(key=f"article:{breaking.pk}").count() == 1


def test_a_post_another_worker_holds_is_left_to_it(bot, rubric, settings):
    settings.VESTNIK_TELEGRAM_BOT_TOKEN = ""  # record without syncing
    _breaking(rubric)
    assert not TelegramPost.objects.exists()  # the channel is off: nothing recorded, nothing sent
    settings.VESTNIK_TELEGRAM_BOT_TOKEN = TOKEN
    first = services.post_request("article:1", "Заголовок", "/a/", breaking=True)
    again = services.post_request("article:1", "Заголовок", "/a/", breaking=True)
    assert again is None  # unique key: the second request adds nothing
    TelegramPost.objects.filter(pk=first.pk).update(state="sending", claimed_at=timezone.now())
    services.post_sync(first.pk)
    assert bot.calls == []
    # A claim older than CLAIM_TIMEOUT is a dead worker's: taken over.
    stale = timezone.now() - services.CLAIM_TIMEOUT - timedelta(seconds=1)
    TelegramPost.objects.filter(pk=first.pk).update(claimed_at=stale)
    services.post_sync(first.pk)
    assert bot.methods() == ["sendMessage"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_post_at_once_send_it_once(bot):
    """Real threads, each with its own database connection, as two db_workers would be."""
    if connection.vendor == "sqlite":
        # The in-memory test database locks whole tables between connections and fails at once
        # instead of waiting; the embedded default runs one worker anyway. `make test-prod`.
        pytest.skip("two workers race on PostgreSQL, not on SQLite's in-memory test database")
    bot.script.append(botapi.slow(0.3))  # the first call is still in flight when the other comes
    post = services.post_request("article:1", "Заголовок", "/a/", breaking=True)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait()
            services.post_sync(post.pk)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert bot.methods() == ["sendMessage"]
    post.refresh_from_db()
    assert post.state == "posted"
    assert post.message_id == 999
