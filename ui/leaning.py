"""Outlet leanings on the pages: each article's leaning, one colour per leaning, and the
"colour by outlet or leaning" switch, shown only when some leaning is known (the shipped
outlets file rates none; users add their ratings, see docs/outlets.md)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import outlets

from . import charts, data, safe

# Diverging blue-to-red with a purple center, so "center" never reads as "unknown" (grey).
LEANING_COLORS = {"left": "#2166AC", "lean left": "#67A9CF", "center": "#8E6BB8",
                  "lean right": "#EF8A62", "right": "#B2182B", "unknown": "#BDBDBD"}


@st.cache_resource(show_spinner=False, max_entries=2)
def _profiles(path: str, rev: str, files: str) -> pd.DataFrame:
    metrics = data.load_metrics()
    rows = pd.DataFrame(outlets.profile_rows(metrics), index=metrics.index)
    return rows.assign(article_id=metrics["article_id"]).set_index("article_id")


def profiles() -> pd.DataFrame:
    """Every stored article's outlet profile (``outlets.profile_rows``), indexed by
    article_id: outlet_name, leaning, country, kind, owner. Kept per store state and
    outlets files: read it, never modify it in place. A broken outlets file is said in the
    sidebar (its path and fault to editors) and every leaning is then unknown."""
    try:
        return _profiles(data.db(), data.revision(), outlets.outlet_fingerprint())
    except ValueError as exc:  # the message names the file, the outlet and the fault
        from . import access

        st.sidebar.warning("The outlets file could not be read, so no leaning is known"
                           + (f": {safe.md(str(exc))}" if access.can_edit() else "."),
                           icon=":material/warning:")
        metrics = data.load_metrics()
        return pd.DataFrame({"outlet_name": metrics["outlet"].to_numpy(), "leaning": outlets.UNKNOWN,
                             "country": "", "kind": "", "owner": ""},
                            index=pd.Index(metrics["article_id"], name="article_id"))


def with_leaning(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (rows of the metrics frame) with a ``leaning`` column."""
    return df.assign(leaning=profiles()["leaning"].reindex(df["article_id"]).fillna(
        outlets.UNKNOWN).to_numpy())


def known(df: pd.DataFrame) -> bool:
    """Whether any article of ``df`` has a known leaning."""
    leaning = df["leaning"] if "leaning" in df else with_leaning(df)["leaning"]
    return bool((leaning != outlets.UNKNOWN).any())


def group_control(df: pd.DataFrame, key: str) -> str:
    """"outlet", or "leaning" when some leaning of ``df`` is known and the user picks it in
    a small switch (drawn only then, so pages look as before when no outlet is rated)."""
    if not known(df):
        return "outlet"
    picked = st.segmented_control("Colour by", ["Outlet", "Leaning"], default="Outlet", key=key,
                                  help="Leanings come from your outlets file (Corpus page, "
                                       "Outlets tab; docs/outlets.md).")
    return "leaning" if picked == "Leaning" else "outlet"


def grouped(df: pd.DataFrame, by: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """(frame, colours) for the chart builders of ``ui.charts``, which colour by the
    ``outlet`` column: by leaning, each article's outlet is replaced by its leaning."""
    if by != "leaning":
        return df, data.colors()
    return with_leaning(df).assign(outlet=lambda d: d["leaning"]), LEANING_COLORS


def distribution_chart(rows: list[dict], *, height: int = 120) -> go.Figure:
    """One stacked bar of articles per leaning (``sides.distribution`` rows), left to right."""
    fig = go.Figure([go.Bar(x=[r["n_articles"]], y=[""], orientation="h", name=r["leaning"],
                            marker_color=LEANING_COLORS.get(r["leaning"]),
                            text=[f"{r['leaning']} {r['n_articles']}"], textposition="inside", textangle=0,
                            hovertemplate=f"{r['leaning']}: {r['n_articles']} article(s) from "
                                          f"{r['n_outlets']} outlet(s)<extra></extra>")
                     for r in rows])
    return charts.style(fig, height=height, barmode="stack", showlegend=False,
                        xaxis=charts.count_axis("Articles", max([r["n_articles"] for r in rows] or [0])),
                        )


def text(rows: list[dict]) -> str:
    """A distribution in words: "2 left · 1 center · 3 unknown" (articles)."""
    return " · ".join(f"{r['n_articles']} {r['leaning']}" for r in rows)


def regroup(rows: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Item rows (actors, sentences: ``article_id``, ``outlet``) grouped as ``shown`` (the
    output of ``grouped``) groups their articles."""
    if "leaning" not in shown or not shown["outlet"].equals(shown["leaning"]):
        return rows  # grouped by outlet: the rows' own outlets
    return rows.assign(outlet=rows["article_id"].map(shown.set_index("article_id")["outlet"]))


def per_outlet(rows: pd.DataFrame, df: pd.DataFrame, by: str, count: str) -> pd.DataFrame:
    """Counts per ``outlet`` (and other keys, e.g. word), for outlets of ``df``; by leaning,
    each outlet is replaced by its leaning and ``count`` summed, largest first."""
    if by != "leaning" or rows.empty:
        return rows
    leaning_of = with_leaning(df).drop_duplicates("outlet").set_index("outlet")["leaning"]
    keys = [c for c in rows.columns if c != count]
    return (rows.assign(outlet=rows["outlet"].map(leaning_of).fillna(outlets.UNKNOWN))
            .groupby(keys, as_index=False, sort=False)[count].sum()
            .sort_values(count, ascending=False, kind="stable", ignore_index=True))


def as_leanings(articles: list, df: pd.DataFrame) -> list:
    """``articles`` (``analysis.model.Article``, of ``df``) with each outlet replaced by its
    article's leaning, ordered left to right, unknown last: the Coverage page's fact table
    then has one column per leaning."""
    import dataclasses

    leaning_of = dict(zip(df["article_id"], with_leaning(df)["leaning"]))
    order = {name: k for k, name in enumerate(outlets.LEANINGS)}
    rows = [dataclasses.replace(a, outlet=leaning_of.get(a.article_id, outlets.UNKNOWN))
            for a in articles]
    return sorted(rows, key=lambda a: order[a.outlet])


def show_distribution(df: pd.DataFrame, key: str) -> None:
    """The articles of ``df`` per leaning, as one bar with a caption; nothing when no
    leaning is known."""
    from analysis import sides

    rated = with_leaning(df)
    if not known(rated):
        return
    st.plotly_chart(distribution_chart(sides.distribution(rated)), key=key)
    st.caption("Articles per outlet leaning, left to right, from your outlets file (Corpus page, "
               "Outlets tab); unknown: outlets without a rating.")
