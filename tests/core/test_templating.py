from core.templating import select_options


def test_select_options_escape_and_mark_the_selected_one():
    html = str(select_options([(1, "A & B"), (2, "<Zorg>")], "2"))
    assert html == '<option value="1">A &amp; B</option><option value="2" selected>&lt;Zorg&gt;</option>'
    assert "selected" not in str(select_options([(1, "A")], None))
