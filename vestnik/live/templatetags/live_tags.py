import json

from django import template
from django.templatetags.static import static
from django.utils.html import _json_script_escapes as _JSON_SCRIPT_ESCAPES
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from vestnik.live.services import plain_text, post_headline
from vestnik.news.templatetags.news_tags import iso_time

register = template.Library()

CHANNEL_SCRIPT = "js/live_channel.js"


@register.simple_tag
def channel_script() -> str:
    """`<script src="{% static 'js/live_channel.js' %}" defer>`, or nothing while the file is not
    there: fix/channels brings it, and a manifest storage (production) raises on a missing file."""
    try:
        url = static(CHANNEL_SCRIPT)
    except ValueError:
        return ""
    return format_html('<script src="{}" defer></script>', url)


@register.simple_tag(takes_context=True)
def live_json_ld(context, page, coverage, posts) -> str:
    """schema.org LiveBlogPosting: coverage times and the newest posts as `liveBlogUpdate`.

    Data, not a script: `<`, `>` and `&` are escaped, so a post's text cannot close the element."""
    request = context.get("request")
    url = page.full_url or ""
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": page.title[:110],
        "mainEntityOfPage": url,
        "url": url,
        "inLanguage": "ru",
        "publisher": {"@type": "Organization", "name": context.get("site_name", "")},
    }
    if page.lead:
        data["description"] = page.lead
    if coverage.started_at:
        data["coverageStartTime"] = iso_time(coverage.started_at)
        data["datePublished"] = iso_time(coverage.started_at)
    if coverage.finished_at:
        data["coverageEndTime"] = iso_time(coverage.finished_at)
    if page.lead_image and request is not None:
        data["image"] = [
            request.build_absolute_uri(page.lead_image.get_rendition("width-1200").url)
        ]
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": post_headline(post),
            "articleBody": plain_text(post.text_safe),
            "datePublished": iso_time(post.posted_at),
            "url": f"{url}#post-{post.pk}",
        }
        for post in posts
    ]
    if posts:
        data["dateModified"] = iso_time(max(post.posted_at for post in posts))
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
