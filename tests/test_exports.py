"""Exports: the schema, and cells a spreadsheet would run as formulas neutralized."""
import json

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
