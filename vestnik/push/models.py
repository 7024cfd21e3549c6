"""Readers' push subscriptions, one «молния» message per key, and who has been sent which.

`PushDelivery(subscription, message)` is unique: a subscriber is claimed for a message by inserting
its row before the send, so a task that runs twice or resumes after a crash never sends twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Push services' endpoints are a few hundred characters; the limit only bounds hostile input.
ENDPOINT_MAX = 1000


class PushSubscription(models.Model):
    endpoint = models.URLField(_("endpoint"), max_length=ENDPOINT_MAX, unique=True)
    # base64url without padding: the browser's P-256 public key (65 bytes) and auth secret (16).
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"#{self.pk}"


class PushMessage(models.Model):
    """One «молния» to send: created once per BreakingEvent key, so a republish sends nothing."""

    key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=1000)  # absolute
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when every subscriber that existed at the start has been tried, with the outcome
    # (the delivery rows are pruned a day later: services.deliveries_prune).
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.key


class PushDelivery(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed"  # being sent; older than the lease after a crash → sent again
        SENT = "sent"
        FAILED = "failed"  # refused or still failing after the retries (logged)

    message = models.ForeignKey(PushMessage, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "subscription"], name="push_delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["message", "status"], name="push_delivery_status")]

    def __str__(self):
        return f"{self.message_id} → {self.subscription_id}: {self.status}"
