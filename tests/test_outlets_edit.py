"""The Corpus page's Outlets tab: the profiles of the stored outlets, and edits saved as
user-file entries that the outlet's articles still find."""
import json

import pandas as pd

from analysis import outlets

from . import side_corpus as sc
from .helpers import open_dashboard
from .test_page_stories import side_db  # noqa: F401  (the fixture)


def test_outlets_edit_changed_rows_become_entries(tmp_path, monkeypatch):
    from ui import outlets_edit

    monkeypatch.setenv(outlets.USER_OUTLETS_ENV, str(tmp_path / "outlets.json"))
    metrics = pd.DataFrame({"outlet": ["fox", "Chatty blog"], "url": [None, None]})
    before = outlets_edit.profile_table(metrics)
    assert before.set_index("outlet").loc["fox", "outlet_name"] == "Fox News"
    after = before.copy()
    assert outlets_edit.changed_entries(before, after) == {}
    after.loc[after["outlet"] == "Chatty blog", ["leaning", "kind", "domains"]] = ["lean left", "blog", "chatty.example; www.chat.example"]
    after.loc[after["outlet"] == "Chatty blog", "outlet_name"] = "The Chatty Blog"
    entries = outlets_edit.changed_entries(before, after)
    assert list(entries) == ["The Chatty Blog"]
    entry = entries["The Chatty Blog"]
    assert entry["aliases"] == ["Chatty blog"] and entry["domains"] == ["chatty.example", "www.chat.example"]
    outlets.save_user_outlets(entries)
    found = outlets.load_outlets().find("Chatty blog")
    assert (found.name, found.leaning, found.kind) == ("The Chatty Blog", "lean left", "blog")
    assert outlets.load_outlets().find("x", "https://chat.example/p").name == "The Chatty Blog"


def test_outlets_edit_corpus_tab_shows_profiles(side_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    path = tmp_path / "outlets.json"
    sc.write_outlets(path)
    monkeypatch.setenv(outlets.USER_OUTLETS_ENV, str(path))
    at = open_dashboard("pages/corpus.py")
    editor = next(d for d in at.dataframe if "outlet_name" in d.value.columns).value
    rows = editor.set_index("outlet")
    assert rows.loc["Right Radio", "leaning"] == "right" and rows.loc["Left Daily", "n_articles"] == 2
    assert any(b.label == "Download a CSV template" for b in at.get("download_button"))
    assert json.loads(path.read_text())["outlets"]["Left Daily"]["leaning"] == "left"  # untouched
