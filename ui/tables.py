"""Tables with a download button: everything the dashboard shows is also available as data."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.exports import FORMATS, frame_bytes

from . import limits
from .charts import NO_HEADLINE

# Column names of the metrics frame as they read in a table: one meaning per word,
# "attributions" for quotes and paraphrases, "distinct named sources" for who is given a voice.
COLUMN_LABELS = {
    "outlet": "Outlet", "title": "Title", "story": "Story", "published": "Published",
    "word_count": "Words", "sentence_count": "Sentences", "source_name": "File or address",
    "readability_grade": "Grade", "readability_flesch_reading_ease": "Reading ease",
    "readability_smog_index": "SMOG index", "readability_automated_readability_index": "ARI",
    "readability_reading_time_s": "Reading time (s)",
    "tone_sentiment": "Sentiment", "tone_subjectivity": "Subjectivity",
    "sources_n_attributions": "Attributions", "sources_n_direct_quotes": "Direct quotes",
    "sources_n_indirect": "Indirect attributions", "sources_n_according_to": "'According to' attributions",
    "sources_n_named_sources": "Attributions to named sources",
    "sources_n_anonymous_sources": "Anonymous attributions",
    "sources_n_vague_sources": "Vague attributions",
    "sources_n_media_sources": "Attributions to news outlets",
    "sources_n_document_sources": "Attributions to documents",
    "sources_n_unresolved_sources": "Unresolved attributions",
    "sources_n_distinct_named_sources": "Distinct named sources",
    "sources_named_share": "Named share of attributions",
    "sources_anonymous_share": "Anonymous share of attributions",
    "sources_vague_share": "Vague share of attributions",
}


def column_label(column: str) -> str:
    """How a metrics column is headed in a table: ``COLUMN_LABELS``, else the name without
    its family prefix, in words ("tone_headline_caps" -> "Headline caps")."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    words = re.sub(r"^(readability|tone|sources)_", "", column).replace("_", " ")
    return words[:1].upper() + words[1:]


MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json"}


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a person reads it: an empty text cell shows "–" instead of "None", an empty
    title "(no headline)". Number columns stay numbers (sortable)."""
    text = [c for c in df.columns if (pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c]))
            and df[c].isna().any()]
    if not text and "Title" not in df:
        return df
    out = df.assign(**{c: df[c].fillna("–") for c in text})
    if "Title" in out:
        out["Title"] = out["Title"].replace({"–": NO_HEADLINE, "": NO_HEADLINE})
    return out


def show(df: pd.DataFrame, name: str, *, key: str | None = None, **kwargs) -> None:
    """``st.dataframe`` (its first ``limits.TABLE_ROWS`` rows, ``readable``) plus a CSV download
    of every row named after ``name`` (formula cells neutralized; the file is written when
    the button is clicked, not on every rerun)."""
    st.dataframe(readable(df.head(limits.TABLE_ROWS)), hide_index=True, width="stretch", **kwargs)
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
