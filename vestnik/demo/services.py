"""Builds the demo site in code from the seed page (content.py), so it survives every migration."""

import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page
from wagtail.rich_text import RichText

import vestnik.markets
from vestnik.comments import services as comments_services
from vestnik.entities import services as entities_services
from vestnik.entities.tasks import analyse_article
from vestnik.live import services as live_services
from vestnik.live.models import LiveBroadcastPage, LivePost
from vestnik.markets import services as markets_services
from vestnik.markets.sources import cbr
from vestnik.news import services as news_services
from vestnik.news import signals as news_signals
from vestnik.news.models import (
    ArticlePage,
    ArticlePageAuthor,
    Author,
    NewsImage,
    RubricPage,
    StoryIndexPage,
    StoryPage,
    Video,
)
from vestnik.news.tasks import RENDITION_SPECS, image_renditions_make
from vestnik.promos.models import Promo
from vestnik.related import services as related_services
from vestnik.related.tasks import relate_article

from . import content
from .images import photo_jpeg, promo_jpeg

MOSCOW = ZoneInfo("Europe/Moscow")

# Demo-only accounts; the README lists them. Never use these passwords anywhere else.
DEMO_USERS = [
    ("admin", "vestnik-admin", None, gettext_lazy("Administrator")),
    ("editor", "vestnik-editor", news_services.EDITORS, gettext_lazy("Editor")),
    ("author", "vestnik-author", news_services.AUTHORS, gettext_lazy("Author")),
]


# When the seed page was saved (Moscow): its newest line reads «02:33», an earlier one «05 окт,
# 23:50». The feed and the rubrics are shifted so that this moment is the moment of loading: a fresh
# demo has today's news, its Yandex feed and Google News sitemap (last two days) are full.
SEED_SAVED_AT = "2024-10-06 02:35"


def _moscow(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MOSCOW)


def _image(title: str, seed: int, caption: str = "", credit: str = "") -> NewsImage:
    image = NewsImage.objects.filter(title=title).first()
    if image is None:
        image = NewsImage(title=title, caption=caption, credit=credit, file=photo_jpeg(title, seed))
        image.save()
    return image


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def demo_users() -> list[tuple[str, str, str]]:
    """Create the demo accounts once; an existing account is left exactly as it is."""
    User = get_user_model()
    created = []
    for username, password, group_name, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                email=f"{username}@vestnik.local",
                first_name=role,
            )
            if group_name is None:
                user.is_staff = user.is_superuser = True
                user.save()
                user.groups.add(Group.objects.get(name=news_services.ADMINS))
            else:
                user.groups.add(Group.objects.get(name=group_name))
        created.append((username, password, role))
    return created


def demo_seed(progress=None, filler_per_rubric: int = content.FILLER_PER_RUBRIC) -> bool:
    """Load the demo content; returns False (and changes nothing) when it is already there.

    Entity analysis and «Читайте также» are not run here (minutes of model inference for ~140
    articles): `demo_analysis_queue` hands them to the background afterwards.
    """
    # The subscribers read the setting when they fire, i.e. at the commit: the override must
    # enclose the transaction. The photos' renditions (half a minute for ~35 photos) are made by
    # the background too, or by the first reader of a photo meanwhile.
    post_save.disconnect(news_signals._on_image_saved, sender=NewsImage)
    try:
        with override_settings(VESTNIK_ANALYSIS=False):
            return _demo_load(progress, filler_per_rubric)
    finally:
        post_save.connect(news_signals._on_image_saved, sender=NewsImage)


@transaction.atomic
def _demo_load(progress, filler_per_rubric: int) -> bool:
    home = news_services.newsroom_setup()
    demo_promo()
    if ArticlePage.objects.filter(slug=content.ARTICLE_SLUG).exists():
        demo_rates()  # a demo seeded before the rates existed gets them; a no-op otherwise
        article = ArticlePage.objects.select_related("rubric", "story").get(
            slug=content.ARTICLE_SLUG
        )
        if article.story is not None:  # likewise the live broadcast
            demo_live(article.rubric, article.story, article)
        return False
    say = progress or (lambda message: None)
    shift = timezone.now() - _moscow(SEED_SAVED_AT)

    rubrics = {}
    for order, (title, slug) in enumerate(content.RUBRICS):
        rubrics[title] = _child(home, RubricPage, slug, title=title, show_in_menus=True)
        say(
            _("rubric %(title)s (%(n)s/%(total)s)")
            % {"title": title, "n": order + 1, "total": len(content.RUBRICS)}
        )
    stories = _child(home, StoryIndexPage, "story", title="Сюжеты")
    story = _child(
        stories,
        StoryPage,
        "sammit-putina-i-baidena",
        title=content.STORY,
        description="Переговоры президентов России и США в декабре 2021 года",
    )
    author = Author.objects.get_or_create(
        name="Редакция «Вестника»", defaults={"position": "Отдел политики"}
    )[0]

    politics = rubrics["Политика"]
    related = []
    for index, (title, slug, caption, when) in enumerate(content.RELATED):
        photo = _image(caption[:100], seed=100 + index, caption=caption, credit="Reuters")
        related.append(
            news_services.article_publish(
                politics,
                title=title,
                slug=slug,
                published_at=_moscow(when),
                story=story,
                lead_image=photo,
            )
        )
    # The seed article keeps «0» as on the seed page; the comments go to a related article.
    comments_services.comments_import(related[0], content.COMMENTS, sender="demo")
    say(_("related articles and comments"))

    caption, credit = content.ARTICLE_PHOTO
    poster = _image("Обложка видео: Песков", seed=7, caption="Дмитрий Песков")
    video = Video.objects.get_or_create(
        title=content.VIDEO_TITLE, defaults={"poster": poster, "embed_url": ""}
    )[0]
    video_file = _video_file()
    if video_file is not None and not video.file:
        video.file.save(video_file.name, video_file, save=True)
    body = []
    for kind, value in content.ARTICLE_BODY:
        if kind == "p":
            body.append(("paragraph", _rich(value)))
        else:
            body.append(("related", {"article": related[value]}))
    article = news_services.article_publish(
        politics,
        title=content.ARTICLE_TITLE,
        slug=content.ARTICLE_SLUG,
        published_at=_moscow(content.ARTICLE_TIME),
        lead=content.ARTICLE_LEAD,
        story=story,
        featured=True,
        lead_image=_image(caption, seed=1, caption=caption, credit=credit),
        body=body,
        video=video,
        tags=content.ARTICLE_TAGS,
        article_authors=[ArticlePageAuthor(author=author)],
    )
    say(_("article “%(title)s”") % {"title": article.title})

    for number, (title, rubric, when) in enumerate(content.FEED):
        news_services.article_publish(
            rubrics[rubric],
            title=title,
            published_at=_moscow(when) + shift,
            # The newest line, two minutes before loading, is a «молния»: a fresh demo shows the
            # site-wide banner for VESTNIK_BREAKING_MINUTES (Telegram only with a bot token set).
            breaking=number == 0,
        )
    say(_("feed: %(count)s news items") % {"count": len(content.FEED)})

    demo_live(politics, story, article)
    say(_("the live broadcast «%(title)s»") % {"title": content.LIVE_TITLE})

    _fillers(rubrics, filler_per_rubric, shift)
    say(_("articles for paging through the rubrics"))
    demo_rates()
    say(_("the Bank's rates for 4 and 5 October"))
    return True


def demo_live(rubric, story, article) -> LiveBroadcastPage:
    """The running broadcast of the story, its posts spread over the last four hours."""
    page = _child(
        rubric,
        LiveBroadcastPage,
        content.LIVE_SLUG,
        title=content.LIVE_TITLE,
        lead=content.LIVE_LEAD,
        story=story,
        lead_image=article.lead_image,
    )
    if page.posts.exists():
        return page
    now = timezone.now()
    author = get_user_model().objects.filter(username="editor").first()
    live_services.posts_import(
        page,
        [
            LivePost(
                text=text.format(article=article.url),
                posted_at=now - timedelta(minutes=minutes),
                status=LivePost.PUBLISHED,
                author=author,
                **flags,
            )
            for minutes, text, flags in content.LIVE_POSTS
        ],
    )
    return page


# The Bank's documents the markets tests ship, and when the Bank set each (the afternoon before).
RATES = [("2024-10-04", "2024-10-03 17:41"), ("2024-10-05", "2024-10-04 17:47")]


def demo_rates() -> None:
    """The seed's «Курс евро на 5 октября / EUR ЦБ: 104,74 (-0,12)», pinned on top of the feed."""
    data = Path(vestnik.markets.__file__).parent / "tests" / "data"
    for day, set_at in RATES:
        document = cbr.parse((data / f"XML_daily_{day}.xml").read_bytes())
        markets_services.rates_import(document, published_at=_moscow(set_at))


def demo_promo() -> Promo:
    """The seed's in-feed promo with its lead form (created once, also on an existing demo)."""
    promo = Promo.objects.filter(title=content.PROMO_TITLE).first()
    if promo is None:
        image = NewsImage.objects.filter(title="Промо: Digital MBA").first()
        if image is None:
            image = NewsImage(title="Промо: Digital MBA", file=promo_jpeg("Digital MBA"))
            image.save()
        promo = Promo.objects.create(
            title=content.PROMO_TITLE,
            text=content.PROMO_TEXT,
            cta_label=content.PROMO_CTA,
            image=image,
            target=Promo.TARGET_FORM,
            placement=Promo.FEED,
            priority=10,
        )
    return promo


def _rich(text: str):
    return RichText(f"<p>{escape(text)}</p>")


def _fillers(rubrics: dict, per_rubric: int, shift: timedelta) -> None:
    """`per_rubric` articles per rubric, one every three hours back from 05 Oct 2024 22:00 (shifted)."""
    start = _moscow("2024-10-05 22:00") + shift
    for rubric_index, (rubric_title, (subjects, events)) in enumerate(content.FILLER.items()):
        rubric = rubrics[rubric_title]
        for n in range(per_rubric):
            subject = subjects[n % len(subjects)]
            event = events[(n // len(subjects) + n) % len(events)]
            when = start - timedelta(hours=3 * n, minutes=7 * rubric_index)
            photo = _image(
                f"{rubric_title}: {subject}",
                seed=1000 + rubric_index * 10 + n % len(subjects),
                caption=subject,
            )
            news_services.article_publish(
                rubric,
                title=f"{subject} {event}",
                published_at=when,
                lead=f"{subject} {event}. Подробности — в материале «Вестника».",
                lead_image=photo,
                body=[
                    (
                        "paragraph",
                        _rich(f"{subject} {event}. Редакция следит за развитием событий."),
                    )
                ],
            )


def _video_file():
    """A short demo clip drawn with PyAV when it is installed; the video block shows its poster otherwise."""
    try:
        from .video import demo_clip
    except ImportError:
        return None
    return demo_clip()


def demo_analysis_queue() -> str:
    """Hand the demo articles' entity analysis and «Читайте также» to the background.

    With a queue (VESTNIK_TASKS=database) the worker takes them; the embedded default would run
    them inline, so a low-priority process of its own (`manage.py demo_analyse`) does them while
    the site is already served. Returns how, for the command's message.
    """
    if not settings.VESTNIK_ANALYSIS:
        return "off"
    if settings.VESTNIK_TASKS == "database":
        for pk in NewsImage.objects.order_by("-pk").values_list("pk", flat=True):
            image_renditions_make.enqueue(pk)
        for pk in ArticlePage.objects.live().order_by("-pk").values_list("pk", flat=True):
            analyse_article.enqueue(pk)
            relate_article.enqueue(pk)
        return "queue"
    log = settings.VAR_DIR / "demo-analyse.log"
    with open(log, "ab") as out:
        subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "demo_analyse"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives the command; Ctrl+C of `make demo` leaves it be
            preexec_fn=lambda: os.nice(10),  # readers first
        )
    return str(log)


def demo_analyse(progress=None) -> int:
    """The photos' renditions, then entities and «Читайте также» for every live article, newest
    first; returns how many articles."""
    logger = logging.getLogger(__name__)
    for image in NewsImage.objects.order_by("-pk"):
        try:
            image.get_renditions(*RENDITION_SPECS)
        except Exception:
            logger.exception("Demo renditions failed for image %s", image.pk)
    ids = list(ArticlePage.objects.live().order_by("-pk").values_list("pk", flat=True))
    for number, pk in enumerate(ids, 1):
        for work in (entities_services.article_analyse, related_services.article_relate):
            try:
                work(pk)
            except Exception:  # one article's failure must not leave the others unanalysed
                logger.exception("Demo analysis (%s) failed for article %s", work.__name__, pk)
        if progress:
            progress(f"{number}/{len(ids)}")
    return len(ids)
