"""The reader's comment form: name, text, the comment replied to, and a honeypot."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=settings.VESTNIK_COMMENTS_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your name."),
            "max_length": _("The name is too long: at most %(limit_value)d characters."),
        },
    )
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea,
        min_length=settings.VESTNIK_COMMENTS_MIN_LENGTH,
        max_length=settings.VESTNIK_COMMENTS_MAX_LENGTH,
        error_messages={
            "required": _("Please write a comment."),
            "min_length": _("The comment is too short: at least %(limit_value)d characters."),
            "max_length": _(
                "The comment is too long: at most %(limit_value)d characters (now %(show_value)d)."
            ),
        },
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The comment you are replying to is not available.")},
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field give themselves away.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("The comment looks automated and was not accepted."))
        return ""
