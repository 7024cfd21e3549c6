"""Newsroom: how many readers get «молнии», on the dashboard of editors and administrators.

A count only: the subscriptions themselves (push services' addresses and keys) are nobody's
business in the newsroom.
"""

from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem

from . import vapid
from .models import PushSubscription

PERMISSION = "push.view_pushsubscription"


class SubscribersSummaryItem(SummaryItem):
    order = 900
    template_name = "push/site_summary.html"

    def get_context_data(self, parent_context):
        return {"count": PushSubscription.objects.count(), "enabled": vapid.enabled()}

    def is_shown(self):
        return self.request.user.has_perm(PERMISSION)


@hooks.register("construct_homepage_summary_items")
def add_subscribers_summary(request, items):
    items.append(SubscribersSummaryItem(request))
