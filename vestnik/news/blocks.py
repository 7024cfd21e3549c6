"""StreamField blocks of an article body. One shared `ArticleBodyStreamBlock` for every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from .sanitize import sanitize_rich_text

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text whose stored HTML is always whitelisted, whoever wrote it (admin, import, API)."""

    def get_prep_value(self, value):
        return sanitize_rich_text(super().get_prep_value(value))

    def to_python(self, value):
        # Content saved before sanitising existed is cleaned on the way out too.
        return RichText(sanitize_rich_text(value))

    def bulk_to_python(self, values):
        return [self.to_python(value) for value in values]


class QuoteBlock(blocks.StructBlock):
    """A pulled quote: the words and who said them."""

    text = blocks.TextBlock(label="Цитата")
    attribution = blocks.CharBlock(label="Автор цитаты", required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"
        description = _("A highlighted quote with its author")
        preview_value = {
            "text": "Была такая достигнута договоренность",
            "attribution": "Юрий Ушаков",
        }


class ImageBlock(blocks.StructBlock):
    """A photo inside the text; caption and credit fall back to the image library's own."""

    image = ImageChooserBlock(label="Изображение")
    caption = blocks.CharBlock(
        label="Подпись", required=False, help_text="Пусто — подпись из медиатеки"
    )
    credit = blocks.CharBlock(
        label="Автор фото", required=False, help_text="Например: «Александр Земляниченко / AP»"
    )

    class Meta:
        icon = "image"
        label = _("Photo")
        template = "blocks/image_block.html"
        description = _("A photo with a caption and credit")


class ArticleChooserBlock(blocks.PageChooserBlock):
    """Chooses an article; all cards of one body are loaded in one query with their rubric and photo."""

    def __init__(self, **kwargs):
        super().__init__(page_type="news.ArticlePage", **kwargs)

    def bulk_to_python(self, values):
        objects = self.model_class.objects.select_related("rubric", "lead_image").in_bulk(values)
        return [objects.get(value) for value in values]


class RelatedArticleBlock(blocks.StructBlock):
    """An inline card of another article: headline, rubric, the caption of its photo.

    A card whose article is unpublished or deleted renders nothing.
    """

    article = ArticleChooserBlock(label="Статья")

    class Meta:
        icon = "doc-full"
        label = _("Article card")
        template = "blocks/related_article_block.html"
        description = _("A link to another article shown as a card")


class VideoChooserBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("news.Video", **kwargs)


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label="Видео")

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        description = _("A video from the library (file or embed) with a poster")


class ArticleEmbedBlock(EmbedBlock):
    class Meta:
        icon = "code"
        label = _("Embed")
        template = "blocks/embed_block.html"
        description = _("A social media post or clip by its link")


class ArticleBodyStreamBlock(blocks.StreamBlock):
    paragraph = SafeRichTextBlock(
        features=PARAGRAPH_FEATURES,
        label="Абзац",
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    quote = QuoteBlock()
    image = ImageBlock()
    related = RelatedArticleBlock()
    video = VideoBlock()
    embed = ArticleEmbedBlock()
