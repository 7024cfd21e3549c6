"""An article as Dzen wants it in `content:encoded`: the full text as HTML of Dzen's whitelist.

Dzen (dzen.ru/help/ru/website/rss-modify) takes only some tags and rejects or mangles the rest,
so the body stream is rebuilt block by block rather than rendered with the site's templates:
paragraphs are the stored (already sanitised) rich text, expanded, typographed and cleaned again
against `ALLOWED`; quotes become `blockquote`; photos become `figure` + `img` + `figcaption`
with the credit; a related card becomes a «Читайте также» link, a video a link to the article
(Dzen takes no players from a feed), an embed a link to the post. Every URL is absolute.

Every photo in the Dzen feed is a 1,200 px wide JPEG rendition (the article page's `width-1200`
when that is a JPEG, else `IMAGE_SPEC`) of an original at least
`MIN_WIDTH` px wide: Dzen wants enclosures of at least 700 px, and each picture of the text
repeated as an enclosure. Narrower photos are left out of the text too.
"""

from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from vestnik.news.typography import typograph_html, typograph_text

MIN_WIDTH = 700
PAGE_SPEC = "width-1200"
IMAGE_SPEC = "width-1200|format-jpeg"

# Dzen's tags and, per tag, the attributes kept. Anything else is unwrapped (its text stays) or,
# for the tags below in DROP, removed with its content.
ALLOWED = {
    "p": (),
    "a": ("href",),
    "b": (),
    "i": (),
    "u": (),
    "s": (),
    "h1": (),
    "h2": (),
    "h3": (),
    "h4": (),
    "blockquote": (),
    "ul": (),
    "ol": (),
    "li": (),
    "figure": (),
    "img": ("src", "width", "height"),
    "figcaption": (),
    "br": (),
}
RENAME = {"strong": "b", "em": "i", "del": "s", "strike": "s", "h5": "h4", "h6": "h4"}
DROP = {"script", "style", "iframe", "object", "embed", "template", "noscript", "video", "audio"}
DROP |= {"img", "svg", "form", "input", "button", "textarea", "select"}  # no pictures in prose


@dataclass(frozen=True)
class Picture:
    """One photo as the feed gives it: absolute URL, size in pixels and bytes."""

    url: str
    width: int
    height: int
    length: int


def picture(image, request) -> Picture | None:
    """The Dzen rendition of `image`, or None when the original is too narrow or the file is
    missing (an enclosure that cannot be fetched is worse than none)."""
    if image is None or (image.width or 0) < MIN_WIDTH:
        return None
    try:
        # The article page's own rendition (made when the photo was uploaded) when it is a JPEG
        # already, as for every JPEG original; a JPEG copy of any other format.
        rendition = image.get_rendition(PAGE_SPEC)
        if not rendition.file.name.lower().endswith((".jpg", ".jpeg")):
            rendition = image.get_rendition(IMAGE_SPEC)
        length = rendition.file.size
    except (OSError, ValueError):
        return None
    if rendition.width < MIN_WIDTH:  # never for `width-1200` of a wide original; kept as a guard
        return None
    return Picture(
        request.build_absolute_uri(rendition.url), rendition.width, rendition.height, length
    )


def _absolute_http(url: str, base: str) -> str | None:
    """`url` resolved against the article's address, if it is http(s); None otherwise."""
    url = urljoin(base, (url or "").strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def _clean(node: Tag, base: str) -> None:
    for child in list(node.children):
        if isinstance(child, NavigableString):
            if type(child) is not NavigableString:  # comments, CDATA, doctypes, processing
                child.extract()
            continue
        name = RENAME.get(child.name, child.name)
        if name in DROP:
            child.decompose()
            continue
        _clean(child, base)
        if name not in ALLOWED or name in ("figure", "img", "figcaption"):
            child.unwrap()  # figures come only from image blocks, never from rich text
            continue
        href = child.get("href") if name == "a" else None
        if name == "a":
            href = _absolute_http(href, base)
            if href is None:
                child.unwrap()
                continue
        child.name = name
        child.attrs = {"href": href} if href else {}


def clean_html(html: str, base: str) -> str:
    """Rich text HTML reduced to Dzen's tags: no attributes but an absolute http(s) href."""
    soup = BeautifulSoup(html, "html.parser")
    _clean(soup, base)
    return soup.decode(formatter="minimal").strip()


def _caption(caption: str, credit: str) -> str:
    text = escape(typograph_text(caption.strip())) if caption.strip() else ""
    if credit.strip():
        credit_text = escape(_("Photo: %(credit)s") % {"credit": credit.strip()})
        text = f"{text} ({credit_text})" if text else credit_text
    return f"<figcaption>{text}</figcaption>" if text else ""


def _figure(found: Picture, caption: str, credit: str) -> str:
    return (
        f'<figure><img src="{escape(found.url)}" width="{found.width}" height="{found.height}">'
        f"{_caption(caption, credit)}</figure>"
    )


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(typograph_text(text))}</a>'


def article_content(article, request) -> tuple[str, list[Picture]]:
    """The article's HTML for `content:encoded` and the pictures in it, lead photo first."""
    base = article.get_full_url(request) or request.build_absolute_uri("/")
    parts, pictures = [], []
    lead_picture = picture(article.lead_image, request)
    if lead_picture is not None:
        pictures.append(lead_picture)
        parts.append(_figure(lead_picture, article.photo_caption, article.photo_credit))
    for block in article.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(clean_html(typograph_html(expand_db_html(value.source)), base))
        elif kind == "quote":
            quote = f"<p>{escape(typograph_text(value['text'].strip()))}</p>"
            if (value.get("attribution") or "").strip():
                quote += f"<p>— {escape(typograph_text(value['attribution'].strip()))}</p>"
            parts.append(f"<blockquote>{quote}</blockquote>")
        elif kind == "image":
            image = value["image"]
            found = picture(image, request)
            if found is not None:
                pictures.append(found)
                caption = value.get("caption") or (image.caption if image else "")
                credit = value.get("credit") or (image.credit if image else "")
                parts.append(_figure(found, caption or "", credit or ""))
        elif kind == "related":
            target = value.get("article")
            if target is not None and target.live:
                link = _link(target.get_full_url(request), target.title)
                parts.append(f"<p>{escape(_('Read also'))}: {link}</p>")
        elif kind == "video":
            video = value.get("video")
            if video is not None:
                text = _("Video: %(title)s") % {"title": video.title}
                parts.append(f"<p>{_link(base, text)}</p>")
        elif kind == "embed":
            url = _absolute_http(getattr(value, "url", "") or "", base)
            if url:
                parts.append(f"<p>{_link(url, url)}</p>")
    return "\n".join(part for part in parts if part), pictures
