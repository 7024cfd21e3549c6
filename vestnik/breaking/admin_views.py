"""Отчёты → Telegram: what went to the channel, what failed and why; «Повторить» for editors."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied

from vestnik.news.admin_views import admin_forbidden

from . import selectors, services, tasks, telegram
from .models import TelegramPost

VIEW = "breaking.view_telegrampost"
CHANGE = "breaking.change_telegrampost"


def posts(request):
    if not request.user.has_perm(VIEW):
        return permission_denied(request)
    return TemplateResponse(
        request,
        "breaking/admin/telegram_posts.html",
        {
            "posts": selectors.telegram_posts()[:200],
            "header_title": _("Telegram channel"),
            "enabled": telegram.enabled(),
            "may_retry": request.user.has_perm(CHANGE),
            "failed": TelegramPost.FAILED,
        },
    )


@require_POST
def retry(request, post_id: int):
    if not request.user.has_perm(CHANGE):
        return admin_forbidden(request, _("Only editors can send a post to Telegram again."))
    post = get_object_or_404(TelegramPost, pk=post_id)
    if not telegram.enabled():
        messages.error(request, _("The channel is off: nothing can be sent to Telegram."))
        return redirect("breaking_telegram")
    if post.state != TelegramPost.FAILED:
        messages.warning(request, _("This post has no error: nothing to repeat."))
        return redirect("breaking_telegram")
    tasks.sync_enqueue(services.post_retry(post.pk))
    post.refresh_from_db()
    if post.state == TelegramPost.FAILED:
        messages.error(request, _("Telegram failed again: %(error)s") % {"error": post.last_error})
    else:
        messages.success(request, _("The post is queued for Telegram again."))
    return redirect("breaking_telegram")
