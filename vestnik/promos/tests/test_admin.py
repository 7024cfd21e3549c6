import csv
import io

import pytest
from django.urls import reverse

from vestnik.promos import services
from vestnik.promos.models import Lead, Promo

from . import factories

pytestmark = pytest.mark.django_db


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
