"""Writing per-article records as JSON, CSV or Excel."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .store import flatten_metrics

FORMATS = ("json", "csv", "xlsx")
# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralized, for CSV and xlsx."""
    return df.apply(lambda col: col.map(neutralize) if col.dtype == object else col)


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
