"""The shared sidebar filters: built once in dashboard.py, read by every page.

The selection lives in ``st.session_state`` (widget keys below) and is mirrored into the
URL query string, so a copied link reopens the same view.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysis import outlets

from . import access, data, leaning, safe

# (column, label, query-string name) of the metric range sliders.
METRIC_RANGES = [
    ("readability_grade", "Readability grade", "grade"),
    ("tone_sentiment", "Sentiment", "sentiment"),
    ("sources_n_attributions", "Attributions", "attributions"),
]


@dataclass
class Selection:
    stories: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    leanings: list[str] = field(default_factory=list)
    dates: tuple[dt.date, dt.date] | None = None
    actors: list[str] = field(default_factory=list)
    search: str = ""
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)


def _from_query(options: dict[str, list[str]]) -> None:
    """Seed widget state from the URL once per browser session."""
    if st.session_state.get("_filters_seeded"):
        return
    st.session_state["_filters_seeded"] = True
    qp = st.query_params
    for key, name in LISTS:
        wanted = [v for v in qp.get_all(name) if v in options[name]]
        if wanted:
            st.session_state[key] = wanted
    try:  # the published range: ?since=2024-05-01&until=2024-05-03 (either may be absent)
        since, until = (dt.date.fromisoformat(qp[k]) if qp.get(k) else None for k in ("since", "until"))
    except ValueError:
        since = until = None
    if (since or until) and options["dates"]:
        lo, hi = options["dates"]
        st.session_state["f_dates"] = (max(lo, min(since or lo, hi)), min(hi, max(until or hi, lo)))
    if qp.get("q"):
        st.session_state["f_search"] = qp.get("q")
    for col, _, name in METRIC_RANGES:
        if qp.get(name) and "~" in qp.get(name):
            lo, hi = qp.get(name).split("~", 1)
            try:
                st.session_state[f"f_{col}"] = (float(lo), float(hi))
            except ValueError:
                pass


# The query-string names the filters own: any other name belongs to a page.
_FILTER_PARAMS = {"story", "outlet", "leaning", "actor", "q", "since", "until",
                  *(name for _, _, name in METRIC_RANGES)}


def _to_query(sel: Selection) -> None:
    params: dict[str, str | list[str]] = {}
    if sel.stories:
        params["story"] = sel.stories
    if sel.outlets:
        params["outlet"] = sel.outlets
    if sel.leanings:
        params["leaning"] = sel.leanings
    if sel.dates:
        params["since"], params["until"] = sel.dates[0].isoformat(), sel.dates[1].isoformat()
    if sel.actors:
        params["actor"] = sel.actors
    if sel.search:
        params["q"] = sel.search
    for col, _, name in METRIC_RANGES:
        if col in sel.ranges:
            lo, hi = sel.ranges[col]
            params[name] = f"{lo:g}~{hi:g}"
    # a page's own parameters (Compare's ``cmp``, Stories' ``st_story``) stay in the address
    params.update({k: st.query_params.get_all(k) for k in st.query_params.keys()
                   if k not in _FILTER_PARAMS})
    current = {k: (st.query_params.get_all(k) if isinstance(v, list) else st.query_params.get(k))
               for k, v in params.items()}
    if current != params or set(st.query_params.keys()) != set(params):
        st.query_params.from_dict(params)


# (widget key, query-string name) of the filters that pick several values from a list.
LISTS = (("f_story", "story"), ("f_outlets", "outlet"), ("f_leaning", "leaning"), ("f_actors", "actor"))


def sidebar(metrics: pd.DataFrame, actor_names: list[str]) -> Selection:
    """Draw the filters in the sidebar and return the selection."""
    leanings = leaning.with_leaning(metrics)["leaning"] if len(metrics) else pd.Series(dtype=str)
    choices, bounds = data.per_selection("sidebar", metrics, lambda: _choices(metrics))
    options = {
        **choices,
        # offered only when some outlet is rated: "unknown" alone filters nothing
        "leaning": (outlets.leaning_order(leanings) if (leanings != outlets.UNKNOWN).any() else []),
        "actor": actor_names,
    }
    _from_query(options)
    access.sidebar_login()
    for key, name in LISTS:
        stale = [v for v in st.session_state.get(key, []) if v not in options[name]]
        if stale:  # values that no longer exist (deleted, relabelled) would break the widget
            st.session_state[key] = [v for v in st.session_state[key] if v not in stale]
    sb = st.sidebar
    sb.header("Filter articles")
    sel = Selection()
    sel.stories = sb.multiselect("Story", options["story"], key="f_story", placeholder="All stories")
    sel.outlets = sb.multiselect("Outlets", options["outlet"], key="f_outlets", placeholder="All outlets")
    if options["leaning"]:
        sel.leanings = sb.multiselect("Leaning", options["leaning"], key="f_leaning",
                                      placeholder="Any leaning",
                                      help="The outlet's leaning from your outlets file "
                                           "(Corpus page, Outlets tab)")
    sel.actors = sb.multiselect("Mentions actor", options["actor"], key="f_actors",
                                placeholder="Any actor", help="Articles that mention all of these")
    sel.search = sb.text_input("Text search", key="f_search", placeholder="word or phrase in title or text")
    if options["dates"]:
        lo, hi = options["dates"]
        kept = st.session_state.get("f_dates")
        if kept is None:
            st.session_state["f_dates"] = (lo, hi)
        elif isinstance(kept, tuple) and len(kept) == 2:  # bounds moved by an import or deletion
            st.session_state["f_dates"] = (max(lo, min(kept[0], hi)), min(hi, max(kept[1], lo)))
        picked = sb.date_input("Published between", min_value=lo, max_value=hi, key="f_dates",
                               help="Articles without a date are kept")
        if isinstance(picked, tuple) and len(picked) == 2 and tuple(picked) != (lo, hi):
            sel.dates = tuple(picked)
    with sb.expander("Metric ranges"):
        for col, label, _ in METRIC_RANGES:
            if col not in bounds:
                continue
            lo, hi = bounds[col]
            key = f"f_{col}"
            if key in st.session_state:
                a, b = st.session_state[key]
                st.session_state[key] = (max(lo, min(a, hi)), min(hi, max(b, lo)))
            else:
                st.session_state[key] = (lo, hi)
            value = st.slider(label, lo, hi, key=key)
            if tuple(value) != (lo, hi):
                sel.ranges[col] = tuple(value)
    _to_query(sel)
    return sel


def _choices(metrics: pd.DataFrame) -> tuple[dict, dict[str, tuple[float, float]]]:
    """The sidebar's choices that depend on the stored articles only (computed once per store
    state, ``data.per_selection``): stories, outlets, the date range, and each metric's
    slider bounds (the metric has two values at least)."""
    dates = metrics["published"].dropna()
    choices = {
        "story": sorted(metrics["story"].dropna().unique()),
        "outlet": sorted(metrics["outlet"].dropna().unique()),
        "dates": ((pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date())
                  if not dates.empty and dates.min() != dates.max() else None),
    }
    bounds = {}
    for col, _, _ in METRIC_RANGES:
        values = metrics[col].dropna() if col in metrics else pd.Series(dtype=float)
        if not values.empty and values.min() != values.max():
            bounds[col] = (round(float(values.min()) - 0.005, 2), round(float(values.max()) + 0.005, 2))
    return choices, bounds


def apply(metrics: pd.DataFrame, sel: Selection, article_actors: pd.DataFrame | None) -> pd.DataFrame:
    """The articles of ``metrics`` that match the selection (``article_actors``, the linked
    actor rows, is needed only when the selection names actors)."""
    keep = pd.Series(True, index=metrics.index)
    if sel.stories:
        keep &= metrics["story"].isin(sel.stories)
    if sel.outlets:
        keep &= metrics["outlet"].isin(sel.outlets)
    if sel.leanings:
        keep &= leaning.with_leaning(metrics)["leaning"].isin(sel.leanings).to_numpy()
    if sel.dates:
        published = pd.to_datetime(metrics["published"]).dt.date
        keep &= published.between(*sel.dates) | published.isna()
    if sel.search:
        needle = sel.search.casefold()
        keep &= (metrics["title"].fillna("").str.casefold().str.contains(needle, regex=False)
                 | metrics["text"].str.casefold().str.contains(needle, regex=False))
    if sel.actors:
        names = article_actors.get("name", pd.Series(index=article_actors.index, dtype=str))
        for actor in sel.actors:
            ids = set(article_actors.loc[names == actor, "article_id"])
            keep &= metrics["article_id"].isin(ids)
    for col, (lo, hi) in sel.ranges.items():
        keep &= metrics[col].between(lo, hi)
    return metrics[keep]


def describe(sel: Selection, shown: int, total: int) -> str:
    """The selection in words: "Showing 2 of 5 articles: outlets A and B; mentioning Putin"."""
    parts = []
    if sel.stories:
        parts.append(f"story {_words(sel.stories)}")
    if sel.outlets:
        parts.append(f"{'outlet' if len(sel.outlets) == 1 else 'outlets'} {_words(sel.outlets)}")
    if sel.leanings:
        parts.append(f"leaning {_words(sel.leanings)}")
    if sel.actors:
        parts.append(f"mentioning {_words(sel.actors)}")
    if sel.search:
        parts.append(f"containing “{sel.search}”")
    if sel.dates:
        parts.append(f"published {sel.dates[0]:%d %b %Y} to {sel.dates[1]:%d %b %Y}")
    for col, label, _ in METRIC_RANGES:
        if col in sel.ranges:
            parts.append(f"{label.lower()} {sel.ranges[col][0]:g} to {sel.ranges[col][1]:g}")
    text = f"Showing {shown:,} of {total:,} articles"
    return text + (": " + "; ".join(parts) if parts else " (no filter)")


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def current() -> tuple[pd.DataFrame, Selection]:
    """(filtered metrics, selection) for pages: the selection built by dashboard.py."""
    sel = st.session_state.get("_selection", Selection())
    metrics = data.load_metrics()
    return apply(metrics, sel, data.load_actors() if sel.actors else None), sel


EMPTY = ("No articles match these filters. Clear a filter in the sidebar, or import articles "
         "on the Corpus page.")


def require_dashboard() -> None:
    """Run the page through dashboard.py. Streamlit starts in its old multipage mode when a
    ``pages/`` folder exists and only leaves it once ``st.navigation`` has run; a deep link
    (a shared URL) opened first on a fresh server would run the page file alone, without the
    sidebar filters. Leave that mode and rerun, which goes through dashboard.py."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_start(title: str) -> tuple[pd.DataFrame, Selection]:
    """Title, the "showing N of M" line, and an explanation instead of an empty page:
    the opening of every page that shows the filtered articles."""
    require_dashboard()
    st.title(title)
    df, sel = current()
    st.caption(safe.md(describe(sel, len(df), len(data.load_metrics()))))
    if df.empty:
        st.info(EMPTY)
        st.stop()
    return df, sel
