"""Writing per-article records as JSON, CSV or Excel.

Every export works whatever the articles hold (docs/loading.md, "Exports"):

- CSV and Excel cells that a spreadsheet would run as formulas get a leading apostrophe;
  control characters other than tab and line breaks are removed from their text (Excel
  files cannot hold them); unpaired surrogates (no UTF-8 file can hold them) become U+FFFD.
- Excel holds at most 32,767 characters in a cell: a longer text is cut in its cell with a
  note pointing to the sheet "long texts", which holds it whole in consecutive parts.
- Files are written under a temporary name and renamed when complete: a failed export
  never leaves a truncated file, and an earlier file of the same name stays as it was.
"""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pandas as pd

from .store import flatten_metrics
from .tone import stance_summary

FORMATS = ("json", "csv", "xlsx")
# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# What no Excel (XML) file can hold, and what no UTF-8 file can: lone surrogates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
XLSX_CELL_CHARS = 32_767
LONG_SHEET = "long texts"
_PART_CHARS = 32_000


def neutralize(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe;
    control characters (but tab and line breaks) are removed; lists and dicts become JSON
    text (spreadsheets have no cell type for them)."""
    if isinstance(value, (list, dict, tuple)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        value = _CONTROLS.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralized, for CSV and xlsx."""
    return df.apply(lambda col: col.map(neutralize) if not pd.api.types.is_numeric_dtype(col) else col)


def _xlsx(df: pd.DataFrame, target) -> None:
    """``df`` as an Excel workbook: cells neutralized, texts over Excel's cell limit cut in
    the first sheet with a note and kept whole, in parts, in the sheet ``LONG_SHEET``."""
    df = safe_frame(df).reset_index(drop=True)
    long_rows = []
    for column in df.columns:
        if pd.api.types.is_numeric_dtype(df[column]):
            continue
        too_long = df[column].map(lambda v: isinstance(v, str) and len(v) > XLSX_CELL_CHARS)
        for row in df.index[too_long]:
            text = df.at[row, column]
            parts = [text[i:i + _PART_CHARS] for i in range(0, len(text), _PART_CHARS)]
            long_rows += [(int(row) + 2, column, n, len(parts), part)
                          for n, part in enumerate(parts, start=1)]
            note = (f" [cut: {len(text):,} characters; whole in sheet '{LONG_SHEET}', "
                    f"row {int(row) + 2}, {len(parts)} parts]")
            df.at[row, column] = text[:XLSX_CELL_CHARS - len(note)] + note
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        df.to_excel(writer, index=False)
        if long_rows:
            pd.DataFrame(long_rows, columns=["sheet row", "column", "part", "of parts", "text"]
                         ).to_excel(writer, sheet_name=LONG_SHEET, index=False)


def flat_frame(records: list[dict]) -> pd.DataFrame:
    """One row per article: Article fields and scalar metrics (lists joined by '; '), and
    ``actor_stances``, the article's stance toward each main actor ("Name: negative; ...")."""
    rows = []
    for r in records:
        row = {k: v for k, v in r.items() if not isinstance(v, (dict, list))}
        row.update(flatten_metrics(r) if "readability" in r else {})
        row["ingest_notes"] = "; ".join(r.get("ingest_notes") or [])
        row["named_sources"] = "; ".join((r.get("sources") or {}).get("named_sources") or [])
        row["actors"] = "; ".join(a["name"] for a in r.get("actors") or [])
        row["actor_stances"] = stance_summary(r.get("actors"))
        rows.append({k: _SURROGATES.sub("\ufffd", v) if isinstance(v, str) else v
                     for k, v in row.items()})
    return pd.DataFrame(rows)


def write(records: list[dict], out: Path, fmt: str) -> None:
    """``records`` as a file at ``out``, written in full or not at all."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if fmt == "json":
            text = json.dumps(records, ensure_ascii=False, indent=1)
            tmp.write_text(_SURROGATES.sub("\ufffd", text), encoding="utf-8")
        elif fmt == "csv":
            safe_frame(flat_frame(records)).to_csv(tmp, index=False)
        else:
            _xlsx(flat_frame(records), tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def frame_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """A table as a downloadable file: CSV and xlsx neutralized, JSON as a list of records."""
    if fmt == "csv":
        return safe_frame(df).to_csv(index=False).encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        _xlsx(df, buffer)
        return buffer.getvalue()
    if fmt == "json":
        text = df.to_json(orient="records", force_ascii=False, indent=1, date_format="iso")
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
