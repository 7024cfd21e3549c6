"""Where a newsroom action's time goes: an article's save draft, publish and unpublish as the admin
runs them (revision save, publish), with the after-commit work (tasks when VESTNIK_TASKS=immediate,
purges, events) included, and a cProfile of one warm round. Not a `make bench` script (it needs a
seeded var dir):

    VESTNIK_VAR_DIR=/tmp/v python manage.py migrate && ... setup_newsroom && ... seed_demo
    VESTNIK_VAR_DIR=/tmp/v VESTNIK_TASKS=immediate python manage.py shell < bench/newsroom_profile.py
    VESTNIK_VAR_DIR=/tmp/v VESTNIK_TASKS=database python manage.py shell < bench/newsroom_profile.py
"""

import cProfile
import pstats
import time

from django.conf import settings
from django.contrib.auth import get_user_model

from vestnik.news.models import ArticlePage

user = get_user_model().objects.filter(is_superuser=True).first()
page = ArticlePage.objects.live().order_by("-first_published_at").first()
print("backend", settings.TASKS["default"]["BACKEND"], "article", page.pk)
prof = cProfile.Profile()
for round_ in range(3):
    page = ArticlePage.objects.get(pk=page.pk).specific
    page.title = page.title.rstrip("!") + "!" if round_ % 2 == 0 else page.title.rstrip("!")
    t0 = time.perf_counter()
    if round_ == 1:
        prof.enable()
    rev = page.save_revision(user=user)
    t1 = time.perf_counter()
    rev.publish(user=user)
    if round_ == 1:
        prof.disable()
    t2 = time.perf_counter()
    print(f"round {round_}: save draft {t1 - t0:.2f}s publish {t2 - t1:.2f}s")
t0 = time.perf_counter()
page.unpublish(user=user)
t1 = time.perf_counter()
page.get_latest_revision().publish(user=user)
t2 = time.perf_counter()
print(f"unpublish {t1 - t0:.2f}s republish {t2 - t1:.2f}s")
pstats.Stats(prof).sort_stats("cumulative").print_stats(25)

# Submit to the demo's workflow (after a save) and approve, which publishes: e-mails to the
# moderators and the author are sent inline by Wagtail (the console backend in the demo).
page = ArticlePage.objects.live().order_by("-first_published_at")[1].specific
for round_ in range(3):
    page = ArticlePage.objects.get(pk=page.pk).specific
    page.title = page.title.rstrip("?") + "?" if round_ % 2 == 0 else page.title.rstrip("?")
    t0 = time.perf_counter()
    page.save_revision(user=user)
    state = page.get_workflow().start(page, user)
    t1 = time.perf_counter()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, user, "approve")
    t2 = time.perf_counter()
    print(f"workflow round {round_}: save+submit {t1 - t0:.2f}s approve (publishes) {t2 - t1:.2f}s")
