"""The promo under an article's text (vestnik.core.sections), registered in apps.py."""

from django.template import Context

from vestnik.core.sections import AFTER_BODY, Section

from .models import Promo
from .templatetags.promos_tags import promo


def after_body_context(context: Context) -> dict:
    return promo(context, Promo.AFTER_BODY)


AFTER_BODY_PROMO = Section(
    "promo_after_body", AFTER_BODY, template="promos/promo.html", context=after_body_context
)
