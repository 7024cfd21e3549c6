"""Moves in Wagtail's Russian page editor that the browser tests and bench/bench_newsroom.py share
(Playwright only, no Django: the bench imports it outside any Django process)."""


def add_paragraph(page, text: str) -> None:
    """Add a «Абзац» block to the body and type `text` into it, key by key as an author would."""
    page.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name="Абзац").or_(
        page.get_by_text("Абзац", exact=True)
    ).first.click()
    editor = page.locator(".DraftEditor-root [contenteditable=true]").last
    editor.click()
    editor.type(text)
