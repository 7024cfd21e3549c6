"""Admin forms of the news app: the photo library's form with its size warning."""

from wagtail.images.forms import BaseImageForm


class NewsImageForm(BaseImageForm):
    """Wagtail's image form; a photo too narrow to lead an article says so under its first field:
    the file on the photo's page, the title in the form shown after an upload (which has no file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        warning = self.instance.narrow_warning() if self.instance.pk else ""
        field = next((self.fields[name] for name in ("file", "title") if name in self.fields), None)
        if warning and field is not None:
            field.help_text = f"{warning} {field.help_text}".strip()
