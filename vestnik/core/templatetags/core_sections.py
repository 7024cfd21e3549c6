"""`{% article_sections "after_body" %}`: the sections other apps registered for a slot of the
article page (vestnik.core.sections), in order."""

from django import template
from django.utils.safestring import SafeString

from .. import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def article_sections(context, slot: str) -> SafeString:
    return sections.slot_render(slot, context)
