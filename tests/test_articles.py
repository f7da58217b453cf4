"""Reading articles: date headers, caption debris and bad files."""

import pytest

from kg.dates import PartialDate
from kg.errors import InputError
from kg.inputs.articles import read_article


def write(tmp_path, data, name="x.txt"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_a_date_header_on_the_same_line_as_the_text_is_read_and_removed(tmp_path):
    article = read_article(write(tmp_path, " date 2020-03-04 Vladimir Putin met Erdogan."))
    assert str(article.date) == "2020-03-04" and article.date.precision == "day"
    assert article.date_basis == "header"
    assert article.text == "Vladimir Putin met Erdogan."


def test_an_article_without_header_or_metadata_has_an_unknown_date(tmp_path):
    article = read_article(write(tmp_path, "Ankara and Damascus clash."))
    assert article.date is None


def test_a_date_from_metadata_needs_its_basis(tmp_path):
    path = write(tmp_path, "Ankara and Damascus clash.")
    assert read_article(path, meta={"date": "2020-02-19", "date_basis": "inferred: talks"}).date == PartialDate(2020, 2, 19)
    with pytest.raises(InputError, match="basis"):
        read_article(path, meta={"date": "2020-02-19"})


def test_metadata_cannot_contradict_the_header(tmp_path):
    path = write(tmp_path, " date 2020-03-04 Text.")
    with pytest.raises(InputError, match="conflicting"):
        read_article(path, meta={"date": "2020-03-05", "date_basis": "guess"})


def test_photo_caption_debris_is_not_article_text(tmp_path):
    text = (" date 2020-03-04 Open this photo in gallery Fighters near Saraqib. AFP/Getty Images\n\n"
            "Real text.\n"
            "People buy bread in Turkish lira currency at a bakery in Azaz.\n"
            "People buy bread in Turkish lira currency at a bakery in Azaz. (Khalil Ashawi / Reuters)\n"
            "More text.\n(Enes Danis / TRTWorld)\nEnd.")
    article = read_article(write(tmp_path, text))
    assert "gallery" not in article.text
    assert "bread" not in article.text
    assert "Enes Danis" not in article.text
    assert article.text.split() == ["Real", "text.", "More", "text.", "End."]


def test_quotes_match_across_whitespace_differences_only(tmp_path):
    article = read_article(write(tmp_path, "Turkey’s   army\nattacked."))
    assert article.contains("Turkey’s army attacked.")
    assert not article.contains("Turkey's army attacked.")
    assert not article.contains("   ")


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"Caf\xe9 in Idlib", "not UTF-8"),
    (b" date 2020-13-45 Text", "malformed date header"),
    (b" date 2020-03 Text", "malformed date header"),
    (b"Open this photo in gallery only a caption", "empty"),
])
def test_bad_article_files_are_refused_with_the_file_named(tmp_path, data, message):
    with pytest.raises(InputError, match=message) as info:
        read_article(write(tmp_path, data, "bad.txt"), display="seeds/bad.txt")
    assert "seeds/bad.txt" in str(info.value)
