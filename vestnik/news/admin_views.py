"""The page editor's POST, done once and all or nothing (docs/newsroom.md «Согласование и автосохранение»).

Wagtail's edit view reads the page and its workflow state, then saves the form, then acts — with
no lock and in several transactions. A second POST for the same click (Wagtail's autosave
carrying the `action-workflow-action` field the click had just added, a double click, a slow
server) read the state before the first one committed: it saved the form over the freshly
published row (`live=False` again) and crashed on the finished workflow task
(`'NoneType' object has no attribute 'on_action'`), or, arriving later, fell through to a plain
save and left a draft revision on top of the publication. Here a POST holds the page's row lock
(`select_for_update`; on SQLite the IMMEDIATE transaction serialises writers) for the whole
action, so the second one waits and then sees what the first committed; a workflow action that
is no longer available, or a publish from a form that no longer shows the latest version, is
refused with a Russian message and the editor's text shown back, nothing stored; any error rolls
the whole action back (e-mails and the domain event are sent only after commit). Wagtail's
review-action view (the dashboard's buttons) and unpublish view get the same lock and rules.
"""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.unpublish import UnpublishView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import base_page_viewset
from wagtail.models import Page, TaskState

logger = logging.getLogger(__name__)

# Actions that change what readers or reviewers see; a stale form must not trigger them.
GUARDED_ACTIONS = {"publish", "submit", "perform_workflow_action"}


def admin_forbidden(request, message: str):
    """A 403 inside the admin's frame with a reason, where Wagtail would redirect home with a notice.

    A refused write must be visibly refused (status 403), not look like a redirect that worked.
    """
    return TemplateResponse(
        request,
        "news/admin/forbidden.html",
        {"header_title": _("Access denied"), "message": message},
        status=403,
    )


def _failed_message() -> str:
    return _(
        "The action failed and nothing was changed: the page, its workflow and the feed "
        "are as they were. Try again; if it fails again, tell the site administrator."
    )


def _not_awaiting_message(title: str) -> str:
    return _(
        "Nothing was done: «%(title)s» is no longer awaiting this review (the action "
        "was already performed, or the workflow has changed). Check its status."
    ) % {"title": title}


def _page_locked(page_id) -> None:
    """Take the page's row lock for the rest of the transaction (one POST per page at a time)."""
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk"))


class PageEditView(EditView):
    render_only = False

    def dispatch(self, request, page_id, **kwargs):
        if request.method != "POST" or self.render_only:
            return super().dispatch(request, page_id, **kwargs)
        try:
            with transaction.atomic():
                # A concurrent POST waits here, then reads the page, its revisions and its
                # workflow as the first one left them.
                _page_locked(page_id)
                return super().dispatch(request, page_id, **kwargs)
        except (Http404, PermissionDenied, SuspiciousOperation):
            raise
        except Exception:
            logger.exception("page %s: the editor's action failed and was rolled back", page_id)
            message = _failed_message()
            if not request.accepts("text/html"):
                return self.json_error_response("server_error", message)
            messages.error(request, message)
            # Show the editor's text back from a fresh read of the page (the failed attempt's
            # objects in memory may say `live=True`): nothing typed is lost.
            view = type(self)()
            view.setup(request, page_id=page_id, **kwargs)
            view.render_only = True
            return view.dispatch(request, page_id, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.render_only:
            return self.render_unsaved()
        if not self.request.accepts("text/html") and any(
            name.startswith("action-") for name in request.POST
        ):
            # Autosave saves drafts only; an action comes from the form's own submit, once. The
            # `invalid_revision` code makes Wagtail's autosave stop instead of retrying.
            return self.json_error_response(
                "invalid_revision",
                _("Autosave does not publish or moderate: the form is being submitted."),
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if self.request.POST.get("action-workflow-action") and (
            self.action_name != "perform_workflow_action"
        ):
            messages.warning(
                self.request, _not_awaiting_message(self.page.get_admin_display_title())
            )
            return self.render_unsaved()
        if self.action_name in GUARDED_ACTIONS and self.is_out_of_date:
            messages.warning(
                self.request,
                _(
                    "Nothing was done: «%(title)s» was changed after you opened it (perhaps this "
                    "action was already performed). Your text is below; check it and try again."
                )
                % {"title": self.page.get_admin_display_title()},
            )
            return self.render_unsaved()
        return super().form_valid(form)

    def render_unsaved(self):
        """The edit page for the current state, the editor's POSTed text in the form, unsaved."""
        if self.render_only:
            self.form = self.form_class(
                self.request.POST,
                self.request.FILES,
                instance=self.page,
                subscription=self.subscription,
                parent_page=self.parent,
                for_user=self.request.user,
            )
            self.form.is_valid()
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())


class PageWorkflowActionView(WorkflowActionView):
    """The review buttons outside the editor (dashboard «Ожидают вашей проверки»), once."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.warning(request, _not_awaiting_message(self.object.get_admin_display_title()))
            return redirect(self.redirect_url)
        return super().dispatch(request, *args, **kwargs)


class PageUnpublishView(UnpublishView):
    """«Снять с публикации», once: a repeated confirmation finds the page already unpublished."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not self.object.live:
            messages.warning(
                request,
                _("Nothing was done: «%(title)s» is already unpublished.")
                % {"title": self.object.get_admin_display_title()},
            )
            return redirect("wagtailadmin_pages:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


def _locked_view(view_class):
    """Wagtail's page view `view_class`, its POSTs under the page's row lock in one transaction."""

    def view(request, page_id, **kwargs):
        wagtail_view = base_page_viewset.construct_view(view_class)
        if request.method != "POST":
            return wagtail_view(request, page_id=page_id, **kwargs)
        try:
            with transaction.atomic():
                _page_locked(page_id)
                return wagtail_view(request, page_id=page_id, **kwargs)
        except (Http404, PermissionDenied, SuspiciousOperation):
            raise
        except Exception:
            logger.exception("page %s: the action failed and was rolled back", page_id)
            messages.error(request, _failed_message())
            return redirect("wagtailadmin_pages:edit", page_id)

    return view


page_workflow_action = _locked_view(PageWorkflowActionView)
page_unpublish = _locked_view(PageUnpublishView)
