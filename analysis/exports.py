"""Writing per-article records as JSON, CSV or Excel."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from .store import flatten_metrics

FORMATS = ("json", "csv", "xlsx")
# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe;
    lists and dicts become JSON text (spreadsheets have no cell type for them)."""
    if isinstance(value, (list, dict, tuple)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralized, for CSV and xlsx."""
    return df.apply(lambda col: col.map(neutralize) if not pd.api.types.is_numeric_dtype(col) else col)


def flat_frame(records: list[dict]) -> pd.DataFrame:
    """One row per article: Article fields and scalar metrics (lists joined by '; ')."""
    rows = []
    for r in records:
        row = {k: v for k, v in r.items() if not isinstance(v, (dict, list))}
        row.update(flatten_metrics(r) if "readability" in r else {})
        row["ingest_notes"] = "; ".join(r.get("ingest_notes") or [])
        row["named_sources"] = "; ".join((r.get("sources") or {}).get("named_sources") or [])
        row["actors"] = "; ".join(a["name"] for a in r.get("actors") or [])
        rows.append(row)
    return pd.DataFrame(rows)


def write(records: list[dict], out: Path, fmt: str) -> None:
    if fmt == "json":
        out.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "csv":
        safe_frame(flat_frame(records)).to_csv(out, index=False)
    elif fmt == "xlsx":
        safe_frame(flat_frame(records)).to_excel(out, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def frame_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """A table as a downloadable file: CSV and xlsx neutralized, JSON as a list of records."""
    if fmt == "csv":
        return safe_frame(df).to_csv(index=False).encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        safe_frame(df).to_excel(buffer, index=False)
        return buffer.getvalue()
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=1, date_format="iso").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
