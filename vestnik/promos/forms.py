"""The reader's lead form: errors next to fields, in Russian, tied to the inputs for screen readers."""

import re

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^\+?[\d\s()\-]{7,25}$")


class LeadForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={"required": _("Tick the box to agree to the processing of personal data.")},
    )
    page_url = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    # Hidden from people by CSS and aria-hidden; bots that fill every field fill this one too.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE_RE.match(phone) or len(re.sub(r"\D", "", phone)) < 7):
            raise forms.ValidationError(
                _("Enter the phone number with digits, e.g. +7 900 123-45-67.")
            )
        return phone

    def clean_page_url(self):
        # Stored for the newsroom; only a path on this site is kept, anything else is dropped.
        url = self.cleaned_data["page_url"]
        if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            return url
        return ""

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("email") and not self.has_error("phone"):
            if not cleaned.get("email") and not cleaned.get("phone"):
                self.add_error("email", _("Enter an e-mail or a phone number so we can reply."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Each error is announced with its field: aria-describedby points at the message's id.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                widget.attrs["aria-invalid"] = "true"
