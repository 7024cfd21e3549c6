"""Admin form bases for Wagtail's own models (WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .uploads import VIDEO_CONTAINERS, video_file_check


class DocumentForm(BaseDocumentForm):
    """A new document named like a video must be one (the same check as a video snippet's file)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension in VIDEO_CONTAINERS:
                video_file_check(upload)
        return upload
