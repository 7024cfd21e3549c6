"""The relevance set: queries in the forms readers type, and the articles each must find on page 1.

Runs on whichever database the suite uses: SQLite FTS5 under `make test`, PostgreSQL under
`make test-prod`. The corpus is the demo plus a few articles of our own below.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils.html import escape

from vestnik.conftest import ensure_wagtail_root
from vestnik.demo.services import demo_seed
from vestnik.news import services as news_services
from vestnik.news.models import ArticlePage, RubricPage, StoryPage
from vestnik.search.selectors import search

DEMO = "Песков рассказал о разногласиях Путина и Байдена"
WHITE_HOUSE = "Белый дом пояснил позицию Байдена по Украине и НАТО на саммите с Путиным"
ANOTHER_MEETING = "Путин и Байден обсудили возможность еще одной встречи"

# (title, rubric, lead, paragraph)
OWN_ARTICLES = [
    (
        "Пескову не понравился вопрос о ёлке в Кремле",
        "Общество",
        "Пресс-секретарь ответил журналистам коротко.",
        "Дмитрий Песков сказал, что главная ёлка страны будет стоять на прежнем месте.",
    ),
    (
        "Байдену показали новый самолёт",
        "Политика",
        "Президент США осмотрел борт на авиабазе.",
        "Джо Байден провел на борту около часа.",
    ),
    (
        "Захарова ответила на вопрос о санкциях",
        "Политика",
        "Официальный представитель МИДа выступила на брифинге.",
        "Мария Захарова назвала новые ограничения бессмысленными.",
    ),
    (
        "Красные флаги и новые линии метро",
        "Общество",
        "Город украсили к празднику.",
        "На станциях повесили флаги, а строители сдали два участка.",
    ),
    (
        "Сбербанк снизил ставки по ипотеке",
        "Бизнес",
        "Кредит станет дешевле с понедельника.",
        "Клиенты Сбербанка смогут переоформить договор.",
    ),
    (
        "Северо-западный ветер принес похолодание",
        "Общество",
        "Синоптики обещают заморозки.",
        "Температура опустится ниже нуля уже в четверг.",
    ),
]

# (query, filters, titles that must be on the first page, titles that must not)
CASES = [
    ("красные линии", {}, [DEMO], []),
    ("красных линий", {}, [DEMO], []),
    ("красная линия", {}, [DEMO], []),
    ("«красные линии»", {}, [DEMO], ["Красные флаги и новые линии метро"]),
    ('"красных линиях"', {}, [DEMO], ["Красные флаги и новые линии метро"]),
    ("красные линии метро", {}, ["Красные флаги и новые линии метро"], []),
    ("Песков", {}, [DEMO, "Пескову не понравился вопрос о ёлке в Кремле"], []),
    ("Пескова", {}, [DEMO], []),
    ("Пескову", {}, [DEMO, "Пескову не понравился вопрос о ёлке в Кремле"], []),
    ("песков", {}, [DEMO], []),
    ("Байден", {}, [DEMO, WHITE_HOUSE, ANOTHER_MEETING, "Байдену показали новый самолёт"], []),
    ("Байдену", {}, [DEMO, "Байдену показали новый самолёт"], []),
    ("Байдена", {}, [WHITE_HOUSE], []),
    ("Путин", {}, [DEMO, WHITE_HOUSE, ANOTHER_MEETING], []),
    ("Путину", {}, [DEMO], []),
    ("Захарова", {}, [DEMO, "Захарова ответила на вопрос о санкциях"], []),
    ("Захаровой", {}, ["Захарова ответила на вопрос о санкциях"], []),
    ("Ушаков", {}, [DEMO], []),
    ("Ушакову", {}, [DEMO], []),
    ("НАТО", {}, [DEMO, WHITE_HOUSE], []),
    ("Украина", {}, [DEMO, WHITE_HOUSE], []),
    ("Кремль", {}, [DEMO, "Пескову не понравился вопрос о ёлке в Кремле"], []),
    ("Тина Канделаки", {}, [DEMO], []),
    ("RTVI", {}, [DEMO], []),
    ("rtvi", {}, [DEMO], []),
    ("елка", {}, ["Пескову не понравился вопрос о ёлке в Кремле"], []),
    ("ёлки", {}, ["Пескову не понравился вопрос о ёлке в Кремле"], []),
    ("самолет", {}, ["Байдену показали новый самолёт"], []),
    ("переговоры президентов", {}, [DEMO], []),
    ("заявил пресс-секретарь", {}, [DEMO], []),
    ("«Путина и Байдена»", {}, [DEMO], [WHITE_HOUSE]),
    ("Трамп", {}, ["Трамп выступил на месте покушения на него. На крыше дежурили снайперы"], []),
    (
        "покушение",
        {},
        ["Трамп выступил на месте покушения на него. На крыше дежурили снайперы"],
        [],
    ),
    ("ураган Хелен", {}, ["Число жертв урагана «Хелен» на юго-востоке США достигло 277"], []),
    (
        "микросхема",
        {},
        ["Ураган в США выявил малоизвестную уязвимость в производстве микросхем"],
        [],
    ),
    (
        "АЭС Казахстан",
        {},
        ["Почему референдум о строительстве АЭС в Казахстане важен для России"],
        [],
    ),
    ("Дуров подарки", {}, ["Дуров сообщил о появлении «подарков» в Telegram"], []),
    ("беспилотники", {}, ["Над Белгородской областью сбили беспилотник"], []),
    (
        "алмазы Ангола",
        {},
        ["В Анголе заявили, что участие России в добыче алмазов отпугивает клиентов"],
        [],
    ),
    (
        "Валентина Алексеева",
        {},
        ["«Мисс Россия — 2024» стала 18-летняя Валентина Алексеева из Чувашии"],
        [],
    ),
    ("Бейрут", {}, ["Израиль нанес удары по южному пригороду Бейрута"], []),
    ("ДТП Волгоград", {}, ["Один погиб и 11 пострадали в ДТП с «Газелью» под Волгоградом"], []),
    ("протест в Риме", {}, ["На пропалестинские протесты в Риме вышли 7 тыс. человек"], []),
    ("станция метро", {}, ["В Москве открыли новую станцию метро"], []),
    (
        "Сбербанка",
        {},
        ["Сбербанк снизил ставки по ипотеке", "Сбербанк отчитался о прибыли за квартал"],
        [],
    ),
    ("северо-западный ветер", {}, ["Северо-западный ветер принес похолодание"], []),
    # Filters.
    ("Сбербанк", {"rubric": "Бизнес"}, ["Сбербанк снизил ставки по ипотеке"], []),
    (
        "ураган",
        {"rubric": "Технологии и медиа"},
        ["Ураган в США выявил малоизвестную уязвимость в производстве микросхем"],
        ["Число жертв урагана «Хелен» на юго-востоке США достигло 277"],
    ),
    (
        "ураган",
        {"rubric": "Общество"},
        ["Число жертв урагана «Хелен» на юго-востоке США достигло 277"],
        ["Ураган в США выявил малоизвестную уязвимость в производстве микросхем"],
    ),
    ("Песков", {"rubric": "Общество"}, ["Пескову не понравился вопрос о ёлке в Кремле"], [DEMO]),
    (
        "Байден",
        {"story": True},
        [DEMO, WHITE_HOUSE, ANOTHER_MEETING],
        ["Байдену показали новый самолёт"],
    ),
    (
        "Байден",
        {"date_from": date(2021, 12, 8), "date_to": date(2021, 12, 9)},
        [DEMO, WHITE_HOUSE],
        [ANOTHER_MEETING],
    ),
]


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The demo and our articles, indexed once for the module (the subscriber indexes ours)."""
    with django_db_blocker.unblock():
        ensure_wagtail_root()
        demo_seed(filler_per_rubric=2)
        call_command("rebuild_search_index", stdout=StringIO())
        rubrics = {r.title: r for r in RubricPage.objects.all()}
        with TestCase.captureOnCommitCallbacks(execute=True):
            for title, rubric, lead, text in OWN_ARTICLES:
                news_services.article_publish(
                    rubrics[rubric], title=title, lead=lead, body=[("paragraph", _rich(text))]
                )
        yield
        ArticlePage.objects.all().delete()
        call_command("flush", interactive=False, verbosity=0)


def _rich(text):
    from wagtail.rich_text import RichText

    return RichText(f"<p>{escape(text)}</p>")


@pytest.mark.parametrize(
    ("query", "filters", "expected", "excluded"),
    CASES,
    ids=[c[0] + (" +filter" if c[1] else "") for c in CASES],
)
def test_query_finds_its_articles_on_the_first_page(corpus, db, query, filters, expected, excluded):
    arguments = dict(filters)
    if "rubric" in arguments:
        arguments["rubric_id"] = RubricPage.objects.get(title=arguments.pop("rubric")).pk
    if arguments.pop("story", None):
        arguments["story_id"] = StoryPage.objects.get(title="Саммит Путина и Байдена").pk
    found = [hit.article.title for hit in search(query, **arguments).hits]
    for title in expected:
        assert title in found, f"{query!r} on {connection.vendor}: {title!r} not in {found}"
    for title in excluded:
        assert title not in found, f"{query!r} on {connection.vendor}: {title!r} must not be found"


def test_the_set_is_large_enough():
    assert len(CASES) >= 40
