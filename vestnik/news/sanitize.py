"""Rich text sanitising: only the markup the newsroom's editor can produce is ever stored.

Wagtail cleans what its editor submits, but rich text can also arrive from imports,
the API or the shell. Everything goes through this whitelist before it is saved, so no
`<script>`, `on*=` handler or `javascript:` URL can reach a reader's page.
"""

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url


def _link_rule(tag):
    """Internal links keep Wagtail's linktype/id; external ones keep a safe href only."""
    if tag.get("linktype"):
        allowed = {"linktype": True, "id": True}
    else:
        allowed = {"href": check_url}
    return attribute_rule(allowed)(tag)


RICH_TEXT_RULES = {
    "[document]": allow_without_attributes,
    "p": allow_without_attributes,
    "br": allow_without_attributes,
    "b": allow_without_attributes,
    "strong": allow_without_attributes,
    "i": allow_without_attributes,
    "em": allow_without_attributes,
    "ul": allow_without_attributes,
    "ol": allow_without_attributes,
    "li": allow_without_attributes,
    "h2": allow_without_attributes,
    "h3": allow_without_attributes,
    "h4": allow_without_attributes,
    "a": _link_rule,
    "embed": attribute_rule(
        {"embedtype": True, "id": True, "format": True, "alt": True, "url": check_url}
    ),
}


class RichTextWhitelister(Whitelister):
    element_rules = RICH_TEXT_RULES

    def clean_unknown_node(self, doc, node):
        # <script>, <style> and the like go whole, text included; other unknown tags unwrap.
        if getattr(node, "name", None) in {
            "script",
            "style",
            "iframe",
            "object",
            "template",
            "noscript",
        }:
            node.decompose()
        else:
            super().clean_unknown_node(doc, node)

    def clean_tag_node(self, doc, tag):
        if tag.name in {"script", "style", "iframe", "object", "template", "noscript"}:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


_whitelister = RichTextWhitelister()


def sanitize_rich_text(html: str) -> str:
    return _whitelister.clean(html or "")
