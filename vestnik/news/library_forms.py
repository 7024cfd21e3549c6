"""Form bases for Wagtail's own libraries: the photo library's size warning
(WAGTAILIMAGES_IMAGE_FORM_BASE) and documents probed like videos (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Apart from news/forms.py because news.models imports that one, and Wagtail's form modules need the
models loaded."""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import VIDEO_CONTAINERS, video_file_check


class NewsImageForm(BaseImageForm):
    """Wagtail's image form; a photo too narrow to lead an article says so under its first field:
    the file on the photo's page, the title in the form shown after an upload (which has no file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        warning = self.instance.narrow_warning() if self.instance.pk else ""
        field = next((self.fields[name] for name in ("file", "title") if name in self.fields), None)
        if warning and field is not None:
            field.help_text = f"{warning} {field.help_text}".strip()


class DocumentForm(BaseDocumentForm):
    """A new document named like a video must be one (the same check as a video snippet's file)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension in VIDEO_CONTAINERS:
                video_file_check(upload)
        return upload
