"""Exports: the schema, and cells a spreadsheet would run as formulas neutralized."""
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import exports

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rx", "\nx"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_exports_neutralize_formula_cells(value):
    assert exports.neutralize(value) == "'" + value
    assert exports.neutralize("plain text") == "plain text"
    assert exports.neutralize(-3) == -3  # numbers stay numbers


def test_exports_xlsx_has_no_formula_cells(tmp_path):
    df = pd.DataFrame({"title": DANGEROUS, "outlet": ["=1+1"] * len(DANGEROUS),
                       "n": range(len(DANGEROUS)), "names": [["=A1", "b"]] * len(DANGEROUS)})
    path = tmp_path / "x.xlsx"
    path.write_bytes(exports.frame_bytes(df, "xlsx"))
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A2"].value == "'" + DANGEROUS[0]


def test_exports_csv_neutralized_and_json_untouched():
    df = pd.DataFrame({"title": ["=cmd|' /C calc'!A0"], "n": [1]})
    csv = exports.frame_bytes(df, "csv").decode()
    assert "\n'=cmd" in csv
    assert json.loads(exports.frame_bytes(df, "json"))[0]["title"] == "=cmd|' /C calc'!A0"


# --- exports that always work (issue 24) ------------------------------------------------------

NASTY = {"article_id": "a1", "title": "Null\x00 and escape \x1b[31m red\x07", "outlet": "Lone \ud800",
         "text": "Long text. " * 4000, "ingest_notes": ["=note"]}


def test_exports_xlsx_survives_control_characters_and_keeps_long_texts_whole(tmp_path):
    out = tmp_path / "x.xlsx"
    exports.write([NASTY], out, "xlsx")
    book = openpyxl.load_workbook(out)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["title"] == "Null and escape [31m red" and row["outlet"] == "Lone \ufffd"
    assert row["ingest_notes"] == "'=note"
    assert len(row["text"]) <= exports.XLSX_CELL_CHARS
    assert "[cut: 44,000 characters; whole in sheet 'long texts', row 2, 2 parts]" in row["text"]
    long = book[exports.LONG_SHEET]
    parts = [r for r in long.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[2], r[3]) for r in parts] == [(2, "text", 1, 2), (2, "text", 2, 2)]
    assert "".join(r[4] for r in parts) == NASTY["text"]


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_exports_every_format_writes_nasty_records(tmp_path, fmt):
    out = tmp_path / f"x.{fmt}"
    exports.write([NASTY], out, fmt)
    assert out.stat().st_size > 0
    assert exports.frame_bytes(exports.flat_frame([NASTY]), fmt)


def test_exports_flat_frame_gives_the_stance_toward_each_main_actor():
    record = {"article_id": "a1", "actors": [
        {"name": "Ann Lee", "mentions": [{"start": 0, "end": 7}] * 3, "stance": -0.6},
        {"name": "Bob Stone", "mentions": [{"start": 9, "end": 18}], "stance": 0.0},
        {"name": "Unscored", "mentions": [], "stance": None}]}
    row = exports.flat_frame([record]).iloc[0]
    assert row["actor_stances"] == "Ann Lee: negative; Bob Stone: neutral"
    assert row["actors"] == "Ann Lee; Bob Stone; Unscored"


def test_exports_failure_leaves_the_earlier_file_and_no_partial_one(tmp_path, monkeypatch):
    out = tmp_path / "x.csv"
    out.write_text("earlier export")

    def broken(self, path, **_):
        Path(path).write_text("half a fi")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        exports.write([NASTY], out, "csv")
    assert out.read_text() == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
