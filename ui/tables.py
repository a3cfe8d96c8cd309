"""Tables with a download button: everything the dashboard shows is also available as data."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.exports import FORMATS, frame_bytes

from . import limits

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json"}


def show(df: pd.DataFrame, name: str, *, key: str | None = None, **kwargs) -> None:
    """``st.dataframe`` (its first ``limits.TABLE_ROWS`` rows) plus a CSV download of every row named
    after ``name`` (formula cells neutralized; the file is written when the button is
    clicked, not on every rerun)."""
    st.dataframe(df.head(limits.TABLE_ROWS), hide_index=True, width="stretch", **kwargs)
    if len(df) > limits.TABLE_ROWS:
        st.caption(f"The first {limits.TABLE_ROWS:,} of {len(df):,} rows are shown; the download "
                   "has them all.")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    st.download_button(f"Download {name} (CSV)", lambda: frame_bytes(df, "csv"),
                       file_name=f"{slug}.csv", mime="text/csv", key=key or f"dl-{slug}")


def export_buttons(df: pd.DataFrame | Callable[[], pd.DataFrame], name: str, *, key: str) -> None:
    """Download buttons for ``df`` as CSV, Excel and JSON (built when clicked); ``df`` may be
    a function returning the frame, so that a large selection is only cut out on a click."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    get = df if callable(df) else lambda: df
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        col.download_button(f"{name} ({fmt.upper()})", lambda fmt=fmt: frame_bytes(get(), fmt),
                            file_name=f"{slug}.{fmt}", mime=MIME[fmt], key=f"{key}-{fmt}",
                            width="stretch")
