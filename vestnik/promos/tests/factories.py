"""Promos for tests, saved through the model as the admin would."""

from vestnik.promos.models import Promo


def promo(title="Онлайн-курс Digital MBA", placement=Promo.SIDEBAR, rubrics=(), **fields) -> Promo:
    fields.setdefault("text", "Объединили экспертизу профессоров MBA")
    created = Promo.objects.create(title=title, placement=placement, **fields)
    if rubrics:
        created.rubrics.set(rubrics)
    return created
