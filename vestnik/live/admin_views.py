"""One screen per broadcast (/admin/live/<page_id>/): the post form on top, every post below with
its switches. Thin: the rules (who may publish, pin, delete) are in services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vestnik.news.admin_views import admin_forbidden

from . import selectors, services
from .forms import LivePostForm
from .models import LivePost

# The screen's switches: button value → the fields it sets.
SWITCHES = {
    "publish": {"status": LivePost.PUBLISHED},
    "unpublish": {"status": LivePost.DRAFT},
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "important": {"important": True},
    "unimportant": {"important": False},
}


def _writer(request):
    if not services.can_write(request.user):
        raise PermissionDenied


def index(request):
    """«Трансляции»: every broadcast, each a link to its screen."""
    _writer(request)
    return TemplateResponse(
        request,
        "live/admin/index.html",
        {"broadcasts": selectors.broadcasts_for_newsroom(), "header_title": _("Live broadcasts")},
    )


def _screen(request, page, form, status=200, editing=None):
    return TemplateResponse(
        request,
        "live/admin/screen.html",
        {
            "page": page,
            "form": form,
            "editing": editing,
            "posts": selectors.posts_for_newsroom(page),
            "coverage": selectors.coverage_of(page.pk),
            "can_publish": services.can_publish(request.user),
            "header_title": _("Broadcast: %(title)s") % {"title": page.title},
        },
        status=status,
    )


def _page(page_id):
    from .models import LiveBroadcastPage

    return get_object_or_404(LiveBroadcastPage, pk=page_id)


def _save(request, page, form, editing=None):
    """Store the form's post, or show it again with the reason; nothing half-stored either way."""
    if form.is_valid():
        try:
            with transaction.atomic():  # a photo stored for a refused post goes too
                post = form.post_with_photo(request.user)
                if request.POST.get("action") == "publish":
                    post.status = LivePost.PUBLISHED
                services.post_save(page, request.user, post)
        except services.PostRefused as refused:
            return admin_forbidden(request, refused.message)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("Post published.") if post.is_published else _("Post saved as a draft."),
            )
            return redirect(reverse("live_screen", args=[page.pk]))
    return _screen(request, page, form, status=400, editing=editing)


def screen(request, page_id: int):
    _writer(request)
    page = _page(page_id)
    can_publish = services.can_publish(request.user)
    if request.method == "POST":
        form = LivePostForm(request.POST, request.FILES, can_publish=can_publish)
        return _save(request, page, form)
    return _screen(request, page, LivePostForm(can_publish=can_publish))


def post_edit(request, page_id: int, post_id: int):
    _writer(request)
    page = _page(page_id)
    post = get_object_or_404(LivePost, pk=post_id, page_id=page.pk)
    if not services.can_edit(request.user, post):
        return admin_forbidden(request, _("Authors edit only their own unpublished posts."))
    can_publish = services.can_publish(request.user)
    if request.method == "POST":
        form = LivePostForm(request.POST, request.FILES, instance=post, can_publish=can_publish)
        return _save(request, page, form, editing=post)
    return _screen(
        request, page, LivePostForm(instance=post, can_publish=can_publish), editing=post
    )


@require_POST
def post_action(request, page_id: int, post_id: int):
    _writer(request)
    page = _page(page_id)
    action = request.POST.get("action", "")
    try:
        if action == "delete":
            services.post_delete(page, request.user, post_id)
            messages.success(request, _("Post deleted."))
        elif action in SWITCHES:
            services.post_set(page, request.user, post_id, **SWITCHES[action])
            messages.success(request, _("Post updated."))
        else:
            messages.error(request, _("Unknown action: nothing was changed."))
    except services.PostRefused as refused:
        return admin_forbidden(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("live_screen", args=[page.pk]))


@require_POST
def finish(request, page_id: int):
    _writer(request)
    page = _page(page_id)
    finished = request.POST.get("finished") == "1"
    try:
        services.broadcast_finish(page, request.user, finished=finished)
    except services.PostRefused as refused:
        return admin_forbidden(request, refused.message)
    messages.success(request, _("Broadcast finished.") if finished else _("Broadcast resumed."))
    return redirect(reverse("live_screen", args=[page.pk]))
