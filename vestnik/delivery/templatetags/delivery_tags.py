"""`{% shared_fragment "name" "tag" … [vary=expr] %}…{% end_shared_fragment %}`: HTML shared by
every page, rendered once and reused until one of its cache tags is purged
(vestnik.delivery.cache.fragment). `vary=` adds a value to the key (the current rubric, the day). A tag may also be a list of tags.

`{% live %}…{% endlive %}` inside it is a hole rendered for every page (a promo that follows the
page's rubric, say): the cached HTML keeps a marker in its place, filled in on the way out.

`{% feed_sidebar_fragment [vary=expr] %}…{% end_feed_sidebar_fragment %}`: the same for the feed
sidebar, tagged FEED. The fragment itself is purged at once, but a page that embeds it takes its
tags as lagging ones (cache.lagging_add): a publish leaves cached pages alone for up to
VESTNIK_FEED_SIDEBAR_MAX_AGE seconds, and the sidebar's live script catches up from the cursor
the fragment carries.
"""

from django import template
from django.conf import settings

from vestnik.core import tags as cache_tags
from vestnik.core.events import cache_tags_add

from .. import cache
from ..tags import page_tags

register = template.Library()

LIVE_FLAG = "_vestnik_fragment_render"


def _marker(index: int) -> str:
    # An HTML comment: escaped content can never produce it, and an unfilled one shows nothing.
    return f"<!--vestnik-live-{index}-->"


class LiveNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.index = None  # set by the enclosing shared fragment

    def render(self, context):
        if self.index is not None and context.get(LIVE_FLAG):
            return _marker(self.index)
        return self.nodelist.render(context)


class SharedFragmentNode(template.Node):
    lag_setting = None  # the setting naming how long a page may show the fragment out of date

    def __init__(self, name, tags, vary, nodelist):
        self.name, self.tags, self.vary, self.nodelist = name, tags, vary, nodelist
        self.live_nodes = nodelist.get_nodes_by_type(LiveNode)
        for index, node in enumerate(self.live_nodes):
            node.index = index

    def tags_for(self, context) -> set[str]:
        tags = set()
        for value in (tag.resolve(context) for tag in self.tags):
            tags.update([value] if isinstance(value, str) else value)
        return tags

    def page_shows(self, request, tags) -> None:
        """Tag the page around the fragment with what the fragment shows."""
        if self.lag_setting is None:
            cache_tags_add(request, *tags)
        else:
            cache.lagging_add(request, tags, getattr(settings, self.lag_setting))

    def render(self, context):
        request = context.get("request")
        tags = self.tags_for(context)
        if not settings.VESTNIK_FRAGMENT_CACHE or getattr(request, "is_preview", False):
            if self.lag_setting is not None:
                self.page_shows(request, tags)
            return self.nodelist.render(context)  # a preview shows the draft, never a shared copy
        name = ":".join(
            [str(self.name.resolve(context)), *(str(v.resolve(context)) for v in self.vary)]
        )
        lite = bool(getattr(request, "lite_mode", False))

        def render():
            # Tags the inner tags add (cards of other articles) belong to the fragment.
            page_tags = getattr(request, "cache_tags", None)
            found = set()
            if request is not None:
                request.cache_tags = found
            try:
                with context.push({LIVE_FLAG: True}):
                    return self.nodelist.render(context), found
            finally:
                if request is not None:
                    request.cache_tags = page_tags

        html, fragment_tags = cache.fragment(name, tags, render, lite=lite)
        self.page_shows(request, fragment_tags)
        for node in self.live_nodes:
            marker = _marker(node.index)
            if marker in html:
                html = html.replace(marker, node.nodelist.render(context))
        return html


class FeedSidebarNode(SharedFragmentNode):
    lag_setting = "VESTNIK_FEED_SIDEBAR_MAX_AGE"

    def tags_for(self, context) -> set[str]:
        return {cache_tags.FEED}


def _split(parser, bits):
    tags, vary = [], []
    for bit in bits:
        if bit.startswith("vary="):
            vary.append(parser.compile_filter(bit.removeprefix("vary=")))
        else:
            _literal_tag_check(bit)
            tags.append(parser.compile_filter(bit))
    return tags, vary


def _literal_tag_check(bit: str) -> None:
    """A tag written in a template is one of the vocabulary's site-wide names (core.tags), so a
    typo fails when the template is compiled instead of leaving a fragment that is never purged."""
    if bit[:1] in "\"'" and bit[1:-1] not in cache_tags.SITE_WIDE:
        raise template.TemplateSyntaxError(
            f"shared_fragment: {bit} is not a site-wide cache tag of vestnik.core.tags"
        )


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("shared_fragment needs a name and cache tags")
    tags, vary = _split(parser, bits[2:])
    nodelist = parser.parse(("end_shared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(parser.compile_filter(bits[1]), tags, vary, nodelist)


@register.tag
def feed_sidebar_fragment(parser, token):
    tags, vary = _split(parser, token.split_contents()[1:])
    if tags:
        raise template.TemplateSyntaxError("feed_sidebar_fragment takes only vary= arguments")
    nodelist = parser.parse(("end_feed_sidebar_fragment",))
    parser.delete_first_token()
    return FeedSidebarNode(parser.compile_filter('"feed-sidebar"'), [], vary, nodelist)


@register.simple_tag
def page_cache_tags(page) -> set[str]:
    """The cache tags of a Wagtail page itself (tags.page_tags), for its fragments."""
    return page_tags(page)


@register.tag
def live(parser, token):
    nodelist = parser.parse(("endlive",))
    parser.delete_first_token()
    return LiveNode(nodelist)
