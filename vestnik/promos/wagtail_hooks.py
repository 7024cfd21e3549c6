"""Newsroom admin: promo blocks as snippets, leads as a read-only list with filters and CSV export."""

import csv

import django_filters
from django.http import StreamingHttpResponse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Lead, Promo

# A spreadsheet would run a value starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PromoViewSet(SnippetViewSet):
    model = Promo
    icon = "pick"
    menu_label = "Промо-блоки"
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
        label="Промо-блок", queryset=Promo.objects.order_by("title")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label="Получена", widget=DateRangePickerWidget
    )

    class Meta:
        model = Lead
        fields = ["promo", "created_at"]


class LeadIndexView(IndexView):
    """The leads list; its CSV opens in Excel with Cyrillic intact (UTF-8 with BOM, `;` between cells)."""

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
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


class LeadViewSet(ModelViewSet):
    model = Lead
    icon = "mail"
    menu_label = "Заявки"
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
