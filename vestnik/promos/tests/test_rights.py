"""Promo blocks and leads change what readers see or hold their data: authors write none of them
(docs/security.md, «Права авторов»)."""

import pytest

from vestnik.promos.models import Lead, Promo
from vestnik.promos.tests.factories import promo

pytestmark = pytest.mark.django_db


def test_authors_writes_to_promos_and_leads_are_refused(client, author_user):
    block = promo(title="Курс", active=True)
    lead = Lead.objects.create(promo=block, name="Иван", email="ivan@example.ru", consent=True)
    client.force_login(author_user)
    writes = [
        ("/admin/snippets/promos/promo/add/", {"title": "Чужой", "placement": Promo.SIDEBAR}),
        (f"/admin/snippets/promos/promo/edit/{block.pk}/", {"title": "Изменён"}),
        (f"/admin/snippets/promos/promo/delete/{block.pk}/", {}),
        (f"/admin/bulk/promos/promo/delete/?id={block.pk}", {}),
        (f"/admin/leads/edit/{lead.pk}/", {"name": "Пётр", "email": "p@example.ru"}),
        (f"/admin/leads/delete/{lead.pk}/", {}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url  # Wagtail's «нет прав», not a save
    assert list(Promo.objects.values_list("title", "active")) == [("Курс", True)]
    assert list(Lead.objects.values_list("name", flat=True)) == ["Иван"]
