"""`{% shared_fragment "name" "tag" … %}…{% end_shared_fragment %}`: HTML shared by every page,
rendered once and reused until one of its cache tags is purged (vestnik.delivery.cache.fragment)."""

from django import template
from django.conf import settings

from .. import cache

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, name, tags, nodelist):
        self.name, self.tags, self.nodelist = name, tags, nodelist

    def render(self, context):
        if not settings.VESTNIK_PAGE_CACHE:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        tags = {tag.resolve(context) for tag in self.tags}
        request = context.get("request")
        lite = bool(getattr(request, "lite_mode", False))
        return cache.fragment(name, tags, lambda: self.nodelist.render(context), lite=lite)


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name and cache tags")
    nodelist = parser.parse(("end_shared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
