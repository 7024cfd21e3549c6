"""Wagtail's workflow e-mails, sent only once the action has committed.

Wagtail sends them from its workflow signals, inside the transaction of the action: an approval
rolled back afterwards had already told the author «утверждена». Each notifier is reconnected
under Wagtail's own `dispatch_uid`, so it is connected once whatever the order of the apps, and
runs in `transaction.on_commit` (at once outside a transaction, never after a rollback).
"""

from django.db import transaction
from wagtail.admin import signal_handlers as wagtail_mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)


def _after_commit(notifier):
    def receiver(**kwargs):
        transaction.on_commit(lambda: notifier(**kwargs), robust=True)

    return receiver


def connect() -> None:
    for signal, notifier, sender, uid in [
        (
            task_submitted,
            wagtail_mail.task_submission_email_notifier,
            TaskState,
            "group_approval_task_submitted_email_notification",
        ),
        (
            workflow_submitted,
            wagtail_mail.workflow_submission_email_notifier,
            WorkflowState,
            "workflow_state_submitted_email_notification",
        ),
        (
            workflow_rejected,
            wagtail_mail.workflow_rejection_email_notifier,
            WorkflowState,
            "workflow_state_rejected_email_notification",
        ),
        (
            workflow_approved,
            wagtail_mail.workflow_approval_email_notifier,
            WorkflowState,
            "workflow_state_approved_email_notification",
        ),
    ]:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(_after_commit(notifier), sender=sender, dispatch_uid=uid, weak=False)
