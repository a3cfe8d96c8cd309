"""Outlet profiles: the shipped file, the user's file on top, lookup by label and URL, CSV ratings."""
import json

import pandas as pd
import pytest

from analysis import outlets


@pytest.fixture
def user_file(tmp_path, monkeypatch):
    path = tmp_path / "outlets.json"
    monkeypatch.setenv(outlets.USER_OUTLETS_ENV, str(path))
    return path


def test_outlets_shipped_file_rates_no_outlet(user_file):
    table = outlets.load_outlets()
    assert len(table.profiles) >= 20
    assert {p.leaning for p in table.profiles.values()} == {"unknown"}
    assert all(p.kind in outlets.KINDS for p in table.profiles.values())


def test_outlets_find_by_name_alias_url_and_host_label(user_file):
    table = outlets.load_outlets()
    assert table.find("fox news").name == "Fox News"              # display name, any case
    assert table.find("NYT").name == "The New York Times"         # alias
    assert table.find("Some label", "https://edition.cnn.com/2024/x").name == "CNN"  # subdomain
    assert table.find("www.foxnews.com").name == "Fox News"       # a label that is a host
    assert table.find("Chatty blog") is None
    assert table.leaning("Chatty blog") == "unknown"


def test_outlets_user_file_overrides_field_by_field(user_file):
    user_file.write_text(json.dumps({"outlets": {
        "Fox News": {"leaning": "Lean Right"},
        "Harbour Gazette": {"domains": ["www.gazette.example"], "leaning": "center",
                            "kind": "newspaper", "country": "NZ"}}}), encoding="utf-8")
    table = outlets.load_outlets()
    fox = table.find("Fox News")
    assert fox.leaning == "lean right" and fox.domains == ("foxnews.com",)  # shipped domains kept
    assert fox.owner == "Fox Corporation"
    assert table.find("x", "http://gazette.example/a").leaning == "center"


def test_outlets_bad_user_file_names_the_file(user_file):
    user_file.write_text(json.dumps({"outlets": {"A": {"leaning": "sideways"}}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"outlets\.json.*'A'.*leaning 'sideways'"):
        outlets.load_outlets()
    user_file.write_text(json.dumps({"outlets": {"A": {"kind": "magazine"}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="kind 'magazine'"):
        outlets.load_outlets()
    user_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a readable outlets file"):
        outlets.load_outlets()


def test_outlets_csv_ratings_import(user_file):
    text = ("Outlet;Bias;Domains;Owner\n"
            "Fox News;Right;;\n"
            "Harbour Gazette;left-center;gazette.example|harbour.example;Gazette Trust\n"
            "\n"
            "Daily Neutral;Least Biased;;\n")
    path, n = outlets.import_ratings_csv(text.encode("utf-8"), "ratings.csv")
    assert path == user_file and n == 3
    table = outlets.load_outlets()
    assert table.leaning("Fox News") == "right"
    gazette = table.find("x", "https://harbour.example/story")
    assert (gazette.name, gazette.leaning, gazette.owner) == ("Harbour Gazette", "lean left", "Gazette Trust")
    assert table.leaning("Daily Neutral") == "center"


@pytest.mark.parametrize("text, message", [
    ("outlet,leaning\nA,left\nB,very left\n", r"ratings\.csv, line 3: leaning 'very left'"),
    ("name,score\nA,3\n", r"ratings\.csv, line 1: the header has no leaning column"),
    ("outlet,leaning\n,left\n", r"ratings\.csv, line 2: the outlet cell is empty"),
    ("outlet,leaning,kind\nA,left,magazine\n", r"ratings\.csv, line 2.*kind 'magazine'"),
    ("outlet,leaning\nA,left,extra\n", r"ratings\.csv, line 2: 3 cells for 2 columns"),
    ("", r"ratings\.csv: the file is empty"),
])
def test_outlets_csv_errors_name_file_and_line(user_file, text, message):
    with pytest.raises(ValueError, match=message):
        outlets.read_ratings_csv(text, "ratings.csv")
    assert not user_file.exists()  # nothing written


def test_outlets_save_and_remove_user_outlet(user_file):
    outlets.save_user_outlets({"Reuters": {"leaning": "center"}})
    assert outlets.load_outlets().leaning("Reuters") == "center"
    with pytest.raises(ValueError, match="leaning 'middle'"):
        outlets.save_user_outlets({"Reuters": {"leaning": "middle"}})
    outlets.remove_user_outlet("Reuters")
    assert outlets.load_outlets().find("Reuters").leaning == "unknown"  # the shipped profile again


def test_outlets_frame_one_row_per_label(user_file):
    user_file.write_text(json.dumps({"outlets": {"Fox News": {"leaning": "right"}}}), encoding="utf-8")
    metrics = pd.DataFrame({"outlet": ["fox", "fox", "Blog"],
                            "url": ["https://foxnews.com/a", None, None]})
    frame = outlets.outlet_frame(metrics).set_index("outlet")
    assert frame.loc["fox", "outlet_name"] == "Fox News" and frame.loc["fox", "leaning"] == "right"
    assert frame.loc["fox", "n_articles"] == 2
    assert frame.loc["Blog", "leaning"] == "unknown"


def test_outlets_leaning_order_left_to_right():
    assert outlets.leaning_order(["unknown", "right", "left", "center"]) == ["left", "center", "right", "unknown"]


def test_outlets_file_is_not_part_of_the_analysis_version(tmp_path, monkeypatch):
    from analysis import pipeline, sources

    monkeypatch.setenv(sources.USER_LEXICON_ENV, str(tmp_path))
    before = pipeline.analysis_version()
    (tmp_path / "outlets.json").write_text('{"outlets": {"A": {"leaning": "left"}}}', encoding="utf-8")
    assert pipeline.analysis_version() == before  # leanings need no re-analysis
    assert "outlets.json" in {p.name for p in pipeline.LEXICON_DIR.iterdir()}
