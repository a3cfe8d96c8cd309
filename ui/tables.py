"""Tables with a download button: everything the dashboard shows is also available as data."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analysis.exports import FORMATS, frame_bytes, safe_frame

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json"}


def show(df: pd.DataFrame, name: str, *, key: str | None = None, **kwargs) -> None:
    """``st.dataframe`` plus a CSV download named after ``name`` (formula cells neutralized)."""
    st.dataframe(df, hide_index=True, width="stretch", **kwargs)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    st.download_button(f"Download {name} (CSV)", safe_frame(df).to_csv(index=False).encode("utf-8"),
                       file_name=f"{slug}.csv", mime="text/csv", key=key or f"dl-{slug}")


def export_buttons(df: pd.DataFrame, name: str, *, key: str) -> None:
    """Download buttons for ``df`` as CSV, Excel and JSON (built when clicked)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        col.download_button(f"{name} ({fmt.upper()})", lambda fmt=fmt: frame_bytes(df, fmt),
                            file_name=f"{slug}.{fmt}", mime=MIME[fmt], key=f"{key}-{fmt}",
                            width="stretch")
