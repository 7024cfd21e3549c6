"""The post form of the broadcast screen: the rich-text editor the article body uses, a photo
uploaded and checked like any library photo (size, pixels, format), an optional quote and embed."""

import re
from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.images.fields import WagtailImageField

from vestnik.news.models import NewsImage

from .models import LivePost

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
TIME_FORMAT = "%d.%m.%Y %H:%M"
TIME_FORMATS = [TIME_FORMAT, "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
CLOCK = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


class PostTimeField(forms.DateTimeField):
    """Moscow time as the newsroom types it; «18:33» alone is today at 18:33."""

    def to_python(self, value):
        clock = CLOCK.match(value or "") if isinstance(value, str) else None
        if clock:
            today = timezone.localdate()
            return timezone.make_aware(
                datetime.combine(today, time(int(clock.group(1)), int(clock.group(2))))
            )
        return super().to_python(value)


class LivePostForm(forms.ModelForm):
    photo = forms.ImageField(required=False)  # replaced in __init__
    posted_at = PostTimeField(
        label=_("Time"),
        required=False,
        input_formats=TIME_FORMATS,
        help_text=_("Moscow time, e.g. 29.11.2026 18:33 or 18:33 for today. Empty: now."),
        widget=forms.DateTimeInput(format=TIME_FORMAT, attrs={"placeholder": "дд.мм.гггг чч:мм"}),
    )

    embed_url = forms.URLField(
        label="Ссылка для встраивания",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A YouTube or Vimeo video link."),
    )

    class Meta:
        model = LivePost
        fields = [
            "posted_at",
            "text",
            "quote_text",
            "quote_author",
            "embed_url",
            "important",
            "pinned",
            "breaking",
        ]
        widgets = {
            "text": get_rich_text_editor_widget(features=TEXT_FEATURES),
            "quote_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, not on the class: the field reads its size and pixel limits when created.
        self.fields["photo"] = WagtailImageField(label=_("Photo"), required=False)
        self.fields["text"].required = False  # the service says «Напишите текст» in Russian
        if not can_publish:  # hidden here, refused by the service whatever is posted
            del self.fields["pinned"]
            del self.fields["breaking"]
        self.order_fields(["posted_at", "text", "photo", "quote_text", "quote_author", "embed_url"])

    def post_with_photo(self, user) -> LivePost:
        """The post with its fields set, unsaved; a new photo becomes a library photo."""
        post = self.save(commit=False)
        upload = self.cleaned_data.get("photo")
        if upload:
            image = NewsImage(title=upload.name[:255], file=upload, uploaded_by_user=user)
            image.save()
            post.image = image
        return post
