from vestnik.news.typography import typograph_html, typograph_text

NBSP = "\xa0"


def test_straight_quotes_become_russian_quotes_and_hyphen_a_dash():
    result = typograph_text('Он сказал "да" - и ушел')
    assert "«да»" in result
    assert "— и" in result.replace(NBSP, " ")
    assert '"' not in result


def test_nested_quotes_become_lapki():
    result = typograph_text(
        '"Путин говорил о "красных линиях", о наших интересах", - сказал Песков.'
    )
    assert result.startswith("«Путин говорил о\xa0„красных линиях“, о\xa0наших интересах»")


def test_no_break_space_after_short_words_and_between_day_and_month():
    result = typograph_text("Переговоры прошли 7 декабря в Женеве")
    assert f"7{NBSP}декабря" in result
    assert f"в{NBSP}Женеве" in result


def test_urls_and_emails_are_never_changed():
    text = "Смотрите http://example.com/a--b... и пишите news@example.com -- спасибо"
    result = typograph_text(text)
    assert "http://example.com/a--b..." in result
    assert "news@example.com" in result


def test_html_tags_and_attributes_are_untouched():
    html = '<p>Он сказал "да" <a href="https://x.ru/a--b" title="a -- b">"ссылка"</a></p>'
    result = typograph_html(html)
    assert 'href="https://x.ru/a--b"' in result
    assert 'title="a -- b"' in result
    assert "«ссылка»" in result
    assert "«да»" in result


def test_quotes_the_editor_stored_as_entities_become_russian_quotes():
    # What Draftail saves for a typed «Он сказал "да"»; attributes keep their entities.
    html = '<p>Он сказал &quot;да&quot; и&#x27;<a href="/x" title="&quot;t&quot;">&#34;ссылка&#34;</a></p>'
    result = typograph_html(html)
    assert "«да»" in result
    assert "«ссылка»" in result
    assert 'title="&quot;t&quot;"' in result
    assert "&quot;да" not in result
