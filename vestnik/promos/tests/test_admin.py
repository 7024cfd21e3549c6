import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time
from lxml import html as lxml_html
from openpyxl import load_workbook

from vestnik.promos import services
from vestnik.promos.models import Lead, Promo

from . import factories

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


def _lead(promo, name, **fields):
    fields.setdefault("email", "x@example.ru")
    return services.lead_create(
        promo=promo,
        name=name,
        phone=fields.pop("phone", ""),
        comment=fields.pop("comment", ""),
        consent=True,
        page_url="/politika/statia/",
        **fields,
    )


@pytest.fixture
def leads(home):
    mba = factories.promo("Digital MBA")
    other = factories.promo("Другой курс")
    _lead(mba, "Анна Петрова", comment="Перезвоните; после обеда")
    _lead(mba, "Ёжик", comment='=HYPERLINK("http://evil")')
    _lead(other, "Борис")
    return mba


def test_csv_export_opens_in_excel_with_cyrillic_intact(client, editor_user, leads):
    client.force_login(editor_user)
    response = client.get(reverse("leads:index") + f"?export=csv&promo={leads.pk}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads it as UTF-8
    assert "Анна Петрова".encode() in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Получена", "Имя", "E-mail"]
    names = {row[1] for row in rows[1:]}
    assert names == {"Анна Петрова", "Ёжик"}  # the promo filter holds in the export
    comments = {row[4] for row in rows[1:]}
    assert "Перезвоните; после обеда" in comments  # the delimiter inside a cell is quoted
    assert '\'=HYPERLINK("http://evil")' in comments  # never run as a formula


@pytest.fixture
def timed_lead(home):
    # 15:04:05.123456 UTC is 18:04:05 in Moscow
    with freeze_time(datetime(2026, 11, 29, 15, 4, 5, 123456, tzinfo=UTC)):
        return _lead(factories.promo("Курс"), "Вера", phone="+7 999 123-45-67")


def test_csv_dates_are_moscow_time_without_microseconds(client, editor_user, timed_lead):
    client.force_login(editor_user)
    body = b"".join(client.get(reverse("leads:index") + "?export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "29.11.2026 18:04:05"
    assert rows[1][3] == "'+7 999 123-45-67"  # CSV still neutralises a formula-like start


def test_xlsx_phone_is_a_text_cell_as_typed_and_dates_are_moscow(client, editor_user, timed_lead):
    client.force_login(editor_user)
    response = client.get(reverse("leads:index") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    created, _, _, phone = (cell for cell in list(sheet.rows)[1][:4])
    assert created.value == datetime(2026, 11, 29, 18, 4, 5, tzinfo=MSK).replace(tzinfo=None)
    assert phone.value == "+7 999 123-45-67"
    assert phone.data_type == "s"
    assert phone.number_format == "@"


def test_the_export_buttons_are_in_sight(client, editor_user, timed_lead):
    client.force_login(editor_user)
    doc = lxml_html.fromstring(client.get(reverse("leads:index")).content)
    buttons = doc.xpath('//a[contains(@class, "w-header-button")]')
    assert {" ".join(b.text_content().split()) for b in buttons} >= {"Скачать XLSX", "Скачать CSV"}
    assert all("export=" in b.get("href") for b in buttons if "Скачать" in b.text_content())
    # …and not a second time in the «…» menu
    assert "Скачать CSV" not in " ".join(
        b.text_content() for b in doc.xpath('//*[contains(@class, "w-dropdown")]//a')
    )


def test_the_leads_list_filters_by_promo_and_date(client, editor_user, leads):
    client.force_login(editor_user)
    html = client.get(reverse("leads:index") + f"?promo={leads.pk}").content.decode()
    assert "Анна Петрова" in html
    assert "Борис" not in html
    day = Lead.objects.first().created_at.date().isoformat()
    html = client.get(
        reverse("leads:index") + "?created_at_from=2000-01-01&created_at_to=2000-01-02"
    ).content.decode()
    assert "Анна Петрова" not in html
    html = client.get(reverse("leads:index") + f"?created_at_from={day}").content.decode()
    assert "Борис" in html


def test_authors_may_not_see_leads_and_editors_may_not_change_them(
    client, author_user, editor_user, leads
):
    client.force_login(author_user)
    assert client.get(reverse("leads:index")).status_code in (302, 403)
    assert client.get(reverse("leads:index") + "?export=csv").status_code in (302, 403)
    client.force_login(editor_user)
    lead = Lead.objects.first()
    assert client.get(reverse("leads:index")).status_code == 200
    assert client.post(reverse("leads:edit", args=[lead.pk]), {"name": "Изменено"}).status_code in (
        302,
        403,
    )
    lead.refresh_from_db()
    assert lead.name != "Изменено"


def test_editors_manage_promos_as_snippets(client, editor_user, home):
    client.force_login(editor_user)
    response = client.get(reverse("wagtailsnippets_promos_promo:add"))
    assert response.status_code == 200


def test_a_promo_leading_nowhere_is_refused_with_a_russian_message(client, editor_user, rubric):
    client.force_login(editor_user)
    form = {
        "title": "Курс",
        "text": "",
        "cta_label": "Оставить заявку",
        "target": "url",
        "url": "",
        "placement": "sidebar",
        "rubrics": [rubric.pk],
        "priority": "3",
        "active": "on",
    }
    response = client.post(reverse("wagtailsnippets_promos_promo:add"), form)
    assert "Укажите ссылку, на которую ведёт кнопка." in response.content.decode()
    assert not Promo.objects.exists()
    client.post(reverse("wagtailsnippets_promos_promo:add"), {**form, "url": "https://example.ru"})
    promo = Promo.objects.get()
    assert list(promo.rubrics.all()) == [rubric]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_in_the_real_csv_bytes(client, editor_user, home, start):
    # Stored as is (the form strips spaces, but rows may come from elsewhere: the shell, imports).
    promo = factories.promo("Digital MBA")
    payload = start + 'HYPERLINK("http://evil";"1")'
    Lead.objects.create(
        promo=promo,
        name=payload,
        email="x@example.ru",
        comment=payload,
        consent=True,
        page_url="/",
    )
    Lead.objects.create(
        promo=promo,
        name="Анна-Мария",
        email="y@example.ru",
        comment="-",
        consent=True,
        page_url="/",
    )
    client.force_login(editor_user)
    response = client.get(reverse("leads:index") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"'" + payload, "Анна-Мария"}  # the inner dash is left alone
    assert by_name["'" + payload][4] == "'" + payload  # the comment too
    assert by_name["Анна-Мария"][4] == "'-"
    # No cell of the file starts with a character a spreadsheet acts on.
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
