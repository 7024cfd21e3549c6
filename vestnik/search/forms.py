from django import forms
from django.utils.translation import gettext_lazy as _

from vestnik.core.params import BadParameter, id_parse
from vestnik.news.models import RubricPage, StoryPage


class PageChoiceField(forms.ModelChoiceField):
    """A rubric or story by id: «-1», «2**63» or «abc» is an invalid choice, never a query."""

    def to_python(self, value):
        try:
            id_parse(value)
        except BadParameter:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None
        return super().to_python(value)


class SearchForm(forms.Form):
    """The reader's query and filters; a bad filter value is a message, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    rubric = PageChoiceField(
        label=_("Rubric"), required=False, queryset=RubricPage.objects.live().order_by("title")
    )
    story = PageChoiceField(
        label=_("Story"), required=False, queryset=StoryPage.objects.live().order_by("title")
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("By relevance")), ("newest", _("Newest first"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
