"""Newsroom admin: promo blocks as snippets, leads as a read-only list with filters and CSV export."""

import csv
import datetime

import django_filters
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Lead, Promo

# A spreadsheet would run a value starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PromoViewSet(SnippetViewSet):
    model = Promo
    icon = "pick"
    menu_label = gettext_lazy("Promo blocks")
    menu_name = "promos"
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "title",
        "placement",
        "priority",
        "active",
        "starts_at",
        "ends_at",
        "views",
        "clicks",
    ]
    list_filter = ["placement", "active"]
    search_fields = ["title"]


class LeadFilterSet(WagtailFilterSet):
    promo = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Promo block"), queryset=Promo.objects.order_by("title")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Lead
        fields = ["promo", "created_at"]


def _moscow(value: datetime.datetime) -> datetime.datetime:
    """The time as the list shows it: Moscow (the current time zone), whole seconds, no zone."""
    return timezone.make_naive(value).replace(microsecond=0)


class LeadIndexView(IndexView):
    """The leads list; its CSV opens in Excel with Cyrillic intact (UTF-8 with BOM, `;` between cells).

    Dates in both files are Moscow time, as on the screen (Wagtail writes UTC, with microseconds
    in CSV). XLSX cells are typed, so a phone is a text cell as it is, while CSV values that a
    spreadsheet would run as a formula get a leading apostrophe.
    """

    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_CSV: lambda value: _moscow(value).strftime("%d.%m.%Y %H:%M:%S"),
            IndexView.FORMAT_XLSX: _moscow,
        },
    }

    @cached_property
    def header_buttons(self):
        # In sight, not in the «…» menu: exporting is what the newsroom comes here for.
        if not self.show_export_buttons:
            return super().header_buttons
        return [
            *super().header_buttons,
            HeaderButton(
                gettext_lazy("Download XLSX"), url=self.xlsx_export_url, icon_name="download"
            ),
            HeaderButton(
                gettext_lazy("Download CSV"), url=self.csv_export_url, icon_name="download"
            ),
        ]

    @cached_property
    def header_more_buttons(self):
        exports = {self.xlsx_export_url, self.csv_export_url}
        return [button for button in super().header_more_buttons if button.url not in exports]

    def stream_csv(self, queryset):
        yield "\ufeff"
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_STARTS)
        ):
            return "'" + value
        return value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format):
            if cell.data_type == "s":
                cell.number_format = "@"  # text: Excel keeps «+7 …» and leading zeros as typed
            yield cell

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


class LeadViewSet(ModelViewSet):
    model = Lead
    icon = "mail"
    menu_label = gettext_lazy("Leads")
    menu_name = "leads"
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = LeadIndexView
    list_display = ["name", "email", "phone", "promo", "created_at"]
    list_export = ["created_at", "name", "email", "phone", "comment", "promo", "page_url"]
    export_filename = "zayavki"
    filterset_class = LeadFilterSet
    search_fields = ["name", "email", "phone", "comment"]
    inspect_view_enabled = True
    form_fields = ["name", "email", "phone", "comment"]
    ordering = ["-created_at"]


register_snippet(PromoViewSet)


@hooks.register("register_admin_viewset")
def register_lead_viewset():
    return LeadViewSet("leads")
