"""Plotly figure builders: pure functions, DataFrame in, Figure out.

Every builder colours by outlet with the map it is given, so an outlet keeps one colour
on every chart; fonts are sized to be read at projector distance. In the dashboard each
figure is built once per distinct input and shared by every session (``shared``).
"""
from __future__ import annotations

import functools
import hashlib
import html
import re
import sys
from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import limits, safe

FONT_SIZE = 16
# Fonts that have U+2212, the minus sign plotly writes before negative ticks (without one,
# -0.3 prints as 0.3 in a PNG); Liberation and DejaVu come with Debian's chromium.
FONT_FAMILY = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
# How the stored source types read on a chart or in a table.
SOURCE_TYPE_LABELS = {"named_person": "Named person", "named_organization": "Named organisation",
                      "media": "News outlet", "document": "Document", "anonymous": "Anonymous",
                      "vague": "Vague", "unresolved": "Unresolved pronoun"}
# How the stored attribution forms read.
KIND_LABELS = {"direct": "Direct quote", "mixed": "Paraphrase with quoted words",
               "indirect": "Paraphrase", "according_to": "According to"}
NO_HEADLINE = "(no headline)"
FIGURES_KEPT = 256  # per builder
# Figures of larger frames are built every time: hashing 10,000 rows costs about what
# building their figure does, and big stores are explored by one or two people at a time.
SHARED_MAX_ROWS = 2_000


def _frame_key(frame: pd.DataFrame | pd.Series) -> bytes:
    """A fingerprint of every value of ``frame``: numbers as their bytes, anything else as
    its text. An article's text is left out where its ``article_id``, a hash of that text,
    is in the frame."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    h = hashlib.blake2b(repr((frame.shape, list(frame.columns))).encode(), digest_size=16)
    skip = "text" if "article_id" in frame.columns else None
    for column, values in frame.items():
        if column == skip:
            continue
        h.update(str(values.dtype).encode())
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "biufmM":
            h.update(values.to_numpy().tobytes())
            continue
        # text, not pandas' hash: that converts Arrow strings to NumPy first, and was
        # most of the key's cost
        h.update("\x1f".join(map(repr, values.tolist())).encode())
    h.update("\x1f".join(map(repr, frame.index.tolist())).encode())
    return h.digest()


def shared(build):
    """``build``, whose figures are kept (``st.cache_resource``) when it runs in a page of the
    dashboard: validating a plotly figure costs tens of milliseconds, most of a page run when
    a room of viewers reruns the same pages with the same filters. Outside the dashboard (the
    command line's report) or for frames over ``SHARED_MAX_ROWS`` rows it simply builds. A
    figure handed out is shared: callers never change it (``report.export_figure`` styles a
    copy)."""
    cached = None

    @functools.wraps(build)
    def run(*args, **kwargs):
        nonlocal cached
        frames = [a for a in (*args, *kwargs.values()) if isinstance(a, (pd.DataFrame, pd.Series))]
        if "streamlit" not in sys.modules or any(len(f) > SHARED_MAX_ROWS for f in frames):
            return build(*args, **kwargs)
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is None:
            return build(*args, **kwargs)
        if cached is None:
            import streamlit as st

            cached = st.cache_resource(show_spinner=False, max_entries=FIGURES_KEPT,
                                       hash_funcs={pd.DataFrame: _frame_key,
                                                   pd.Series: _frame_key})(build)
        return cached(*args, **kwargs)

    return run


def human(code) -> str:
    """A stored code (source type, attribution form) as it reads in a page, a chart or a
    table: "named_person" -> "Named person"; an empty value -> "–"."""
    if code is None or (isinstance(code, float) and np.isnan(code)) or code == "":
        return "–"
    code = str(code)
    return SOURCE_TYPE_LABELS.get(code) or KIND_LABELS.get(code) or code.replace("_", " ").capitalize()


def per_article(n_articles: int) -> bool:
    """Whether a per-article chart draws one row per article for ``n_articles`` (up to
    ``limits.ARTICLE_ROWS``; a 10,000-bar chart is unreadable and slow to send)."""
    return n_articles <= limits.ARTICLE_ROWS


def per_outlet_note(n_articles: int) -> str:
    """The caption line of a per-article chart drawn per outlet (see ``per_article``)."""
    return (f"{n_articles:,} articles are too many for one row each: each outlet's spread is "
            f"shown instead (box: middle half of its articles, line: median, whiskers: 1.5× "
            f"the box). Narrow the selection to {limits.ARTICLE_ROWS} articles or fewer to see "
            f"every article.")


def outlet_mean_note(n_articles: int) -> str:
    """The caption line of a per-article bar chart drawn as outlet means."""
    return (f"{n_articles:,} articles are too many for one bar each: each outlet's mean per "
            f"article is shown instead. Narrow the selection to {limits.ARTICLE_ROWS} articles or "
            f"fewer to see every article.")


def sample_note(n_articles: int) -> str:
    """The caption line of a scatter plot that draws a sample (above ``limits.POINTS``)."""
    return (f"{limits.POINTS:,} of the {n_articles:,} articles are drawn, picked at random (the "
            f"same ones on every rerun).")


def style(fig: go.Figure, *, height: int | None = None, **layout) -> go.Figure:
    """The shared look (16 px text, tight margins that grow to fit every axis label) plus the
    figure's own ``layout`` (axes, bar mode…), set in one update: each plotly update costs
    milliseconds of validation. Every data string is escaped (``safe.figure``): article data
    must not draw links or styles in plotly's labels."""
    if height:
        layout["height"] = height
    for axis in ("xaxis", "yaxis"):  # Streamlit's template neither grows the margins nor keeps 16 px ticks
        given = dict(layout.get(axis, {}))
        title = given.pop("title", None)
        layout[axis] = {"automargin": True, "tickfont": {"size": FONT_SIZE}, **given,
                        "title": {"text": title, "font": {"size": FONT_SIZE}} if title else {}}
    # Streamlit's template writes legends in 12 px: set 16 px, keeping the figure's own legend settings.
    layout["legend"] = {"title": {"text": ""}, "font": {"size": FONT_SIZE}, **layout.get("legend", {})}
    fig.update_layout(font=dict(size=FONT_SIZE, family=FONT_FAMILY),
                      margin=dict(l=10, r=10, t=40, b=10), hoverlabel=dict(font_size=FONT_SIZE),
                      **layout)
    return safe.figure(fig)


def count_axis(title: str, largest: float) -> dict:
    """An axis of counts: whole-number ticks only (0, 1, 2… rather than 0.5 steps when the
    counts are small), from zero."""
    return dict(title=title, rangemode="tozero", tickformat=",d",
                **({"dtick": 1} if largest <= 6 else {}))


def article_labels(df: pd.DataFrame) -> pd.Series:
    """Short names for chart axes: the outlet, plus a clipped title where an outlet has several.
    (Plain Python over the column lists: pandas' Arrow string operations took a tenth of a
    page run.)"""
    outlets = df["outlet"].tolist()
    titles = [t if isinstance(t, str) and t else s if isinstance(s, str) and s else NO_HEADLINE
              for t, s in zip(df["title"].tolist(), df["source_name"].tolist())]
    per_outlet = Counter(outlets)
    labels = [f"{o} · {t[:28]}{'…' if len(t) > 28 else ''}" if per_outlet[o] > 1 else o
              for o, t in zip(outlets, titles)]
    seen: Counter = Counter()  # labels are axis categories: keep them unique
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return pd.Series(unique, index=df.index, dtype=object)


def _height(n_rows: int) -> int:
    return max(260, 60 + 38 * n_rows)


def _box_stats(values: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Per group: the quartiles, mean, count and whisker ends (the furthest values within
    1.5 times the interquartile range, as plotly draws them) of ``values``."""
    keep = values.notna()
    values, groups = values[keep].astype(float), groups[keep]
    by = values.groupby(groups, observed=True)
    q = by.quantile([0.25, 0.5, 0.75]).unstack()
    stats = pd.DataFrame({"q1": q[0.25], "median": q[0.5], "q3": q[0.75], "mean": by.mean(),
                          "n": by.size()})
    reach = 1.5 * (stats["q3"] - stats["q1"])
    inside = values.between(groups.map(stats["q1"] - reach), groups.map(stats["q3"] + reach))
    within = values[inside].groupby(groups[inside], observed=True)
    stats["lowerfence"], stats["upperfence"] = within.min(), within.max()
    return stats


@shared
def outlet_boxes(values: pd.Series, outlets: pd.Series, label: str, colors: dict[str, str],
                 unit: str = "articles") -> go.Figure:
    """One box per outlet (rows, highest median on top) summarising ``values``; the box
    statistics are computed here, so the figure holds a few numbers per outlet whatever the
    number of ``unit`` behind them."""
    stats = _box_stats(values, outlets).sort_values("median")
    traces = [go.Box(y=[outlet], q1=[r["q1"]], median=[r["median"]], q3=[r["q3"]],
                     mean=[r["mean"]], lowerfence=[r["lowerfence"]], upperfence=[r["upperfence"]],
                     orientation="h", name=f"{outlet} ({int(r['n']):,} {unit})",
                     marker_color=colors.get(outlet), boxpoints=False, showlegend=False)
              for outlet, r in stats.to_dict("index").items()]
    fig = go.Figure(traces)
    return style(fig, height=_height(len(stats)), xaxis=dict(title=label),
                 yaxis=dict(categoryorder="array", categoryarray=stats.index.tolist()))


@shared
def metric_by_article(df: pd.DataFrame, column: str, label: str, colors: dict[str, str]) -> go.Figure:
    """One horizontal bar per article (labelled by ``label``), coloured by outlet; above
    ``limits.ARTICLE_ROWS`` articles, one box per outlet (``per_outlet_note`` says so)."""
    if not per_article(len(df)):
        return outlet_boxes(df[column], df["outlet"], label, colors)
    d = df.sort_values(column)
    # No legend: every bar's label starts with its outlet, and a legend would take the width
    # the labels need in half a page.
    fig = go.Figure([go.Bar(x=part[column], y=part["label"], name=outlet, orientation="h",
                            marker_color=colors.get(outlet), showlegend=False,
                            hovertemplate=f"%{{y}}<br>{label}: %{{x:.3~f}}<extra>%{{fullData.name}}</extra>")
                     for outlet, part in d.groupby("outlet", sort=False)])
    return style(fig, height=_height(len(d)), xaxis=dict(title=label),
                 yaxis=dict(categoryorder="array", categoryarray=d["label"].tolist()))


@shared
def source_mix(df: pd.DataFrame) -> go.Figure:
    """Attributions (quotes, paraphrases, "according to") per article to named, anonymous
    and vague sources, stacked; above ``limits.ARTICLE_ROWS`` articles, each outlet's mean
    per article. Attributions, not distinct sources: one speaker quoted five times counts 5."""
    parts = {"sources_n_named_sources": "Named", "sources_n_anonymous_sources": "Anonymous",
             "sources_n_vague_sources": "Vague"}
    title = "Attributions"
    if not per_article(len(df)):
        df = df.groupby("outlet", as_index=False)[list(parts)].mean().assign(label=lambda d: d["outlet"])
        df = df.iloc[df[list(parts)].sum(axis=1).argsort()]
        title = "Attributions per article (outlet mean)"
    colors = {"Named": "#0072B2", "Anonymous": "#E69F00", "Vague": "#999999"}
    fig = go.Figure([go.Bar(x=df[col], y=df["label"], name=name, orientation="h",
                            marker_color=colors[name],
                            hovertemplate=f"%{{y}}<br>{name}: %{{x:.3~f}} attributions<extra></extra>")
                     for col, name in parts.items()])
    axis = (count_axis(title, float(df[list(parts)].sum(axis=1).max() or 0)) if title == "Attributions"
            else dict(title=title, rangemode="tozero"))
    return style(fig, height=_height(df.shape[0]), barmode="stack", xaxis=axis,
                 legend=dict(traceorder="normal"))


@shared
def sentiment_vs_subjectivity(df: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """One dot per article (area = words), coloured by outlet; above ``limits.POINTS``
    articles a seeded random sample of them (``sample_note`` says so)."""
    if len(df) > limits.POINTS:
        df = df.sample(limits.POINTS, random_state=0)
    sizeref = 2 * max(float(df["word_count"].max()), 1) / 40 ** 2  # as plotly express, size_max=40
    fig = go.Figure([go.Scatter(
        x=part["tone_subjectivity"], y=part["tone_sentiment"], mode="markers", name=outlet,
        text=part["label"], marker=dict(size=part["word_count"], sizemode="area", sizeref=sizeref,
                                        color=colors.get(outlet), line=dict(width=0)),
        customdata=part["word_count"],
        hovertemplate="<b>%{text}</b><br>subjectivity %{x:.2f}, sentiment %{y:+.2f}<br>"
                      "%{customdata:,} words<extra>%{fullData.name}</extra>")
        for outlet, part in df.groupby("outlet", sort=False)])
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    return style(fig, height=420, xaxis=dict(title="Subjectivity (0 objective – 1 subjective)"),
                 yaxis=dict(title="Sentiment (−1 negative – +1 positive)"))


@shared
def actor_mentions(actors: pd.DataFrame, colors: dict[str, str], top: int = 12) -> go.Figure:
    """Mentions of the most mentioned actors, split by outlet."""
    counts = actors.groupby(["name", "outlet"], as_index=False)["n_mentions"].sum()
    leaders = counts.groupby("name")["n_mentions"].sum().nlargest(top).index
    counts = counts[counts["name"].isin(leaders)]
    fig = go.Figure([go.Bar(x=part["n_mentions"], y=part["name"], name=outlet, orientation="h",
                            marker_color=colors.get(outlet),
                            hovertemplate="%{y}: %{x} mentions<extra>%{fullData.name}</extra>")
                     for outlet, part in counts.groupby("outlet", sort=False)])
    largest = float(counts.groupby("name")["n_mentions"].sum().max() or 0)
    return style(fig, height=_height(len(leaders)), barmode="relative",
                 xaxis=count_axis("Mentions", largest),
                 yaxis=dict(categoryorder="array", categoryarray=leaders[::-1].tolist()))


def profile_scale(bounds: pd.DataFrame) -> pd.DataFrame:
    """The range each profile axis runs over: from 0 (or the lowest value, when it is below 0)
    to the highest value (or 0, when every value is below 0). Anchored at zero, equal values
    sit at the same distance from the centre and a small gap stays small, where a min-max
    scale put every equal value at the middle and stretched any gap to the full axis.
    ``bounds`` has the ``min`` and ``max`` of each metric (rows)."""
    lo = bounds["min"].astype(float).clip(upper=0)
    hi = bounds["max"].astype(float).clip(lower=0)
    return pd.DataFrame({"lo": lo, "hi": hi.where(hi > lo, lo + 1)})


@shared
def profile(items: pd.DataFrame, metrics: list[tuple[str, str]], bounds: pd.DataFrame,
            colors: dict[str, str]) -> go.Figure:
    """Radar of the chosen items, each metric placed 0-1 on its ``profile_scale`` (the
    corpus's values anchored at zero); hover shows the values themselves.

    ``metrics`` are (column, label) pairs; ``bounds`` has the corpus ``min`` and ``max`` per
    column; each item is drawn in its outlet's colour (dashed for a second article of one outlet).
    """
    fig = go.Figure()
    labels = [label for _, label in metrics]
    scale = profile_scale(bounds)
    seen: set[str] = set()
    for _, row in items.iterrows():
        values = [float(row[col]) for col, _ in metrics]
        scaled = [(v - scale.loc[col, "lo"]) / (scale.loc[col, "hi"] - scale.loc[col, "lo"])
                  for v, (col, _) in zip(values, metrics)]
        outlet = row["outlet"]
        fig.add_trace(go.Scatterpolar(
            r=scaled + scaled[:1], theta=labels + labels[:1], name=row["name"], fill="toself",
            opacity=0.55, line=dict(color=colors.get(outlet), width=3,
                                    dash="dash" if outlet in seen else "solid"),
            customdata=values + values[:1],
            hovertemplate="%{theta}: %{customdata:,.3~f}<extra>%{fullData.name}</extra>"))
        seen.add(outlet)
    return style(fig, height=520, polar=dict(radialaxis=dict(range=[0, 1], showticklabels=False)),
                 legend=dict(orientation="h", y=-0.15))


@shared
def formulas_by_outlet(df: pd.DataFrame, formulas: dict[str, str], colors: dict[str, str]) -> go.Figure:
    """Grouped bars: each readability formula's mean grade per outlet."""
    means = df.groupby("outlet")[list(formulas)].mean()
    names = list(formulas.values())
    fig = go.Figure([go.Bar(x=names, y=row.to_numpy(), name=outlet, marker_color=colors.get(outlet),
                            hovertemplate="%{x}: grade %{y:.1f}<extra>%{fullData.name}</extra>")
                     for outlet, row in means.iterrows()])
    return style(fig, height=440, barmode="group", yaxis=dict(title="US school grade"))


@shared
def sentence_lengths(sentences: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Distribution of sentence length in words (``words``), one box per article (``label``);
    above ``limits.ARTICLE_ROWS`` articles (or without ``label``), one box per outlet."""
    if "label" not in sentences or not per_article(sentences["article_id"].nunique()):
        return outlet_boxes(sentences["words"], sentences["outlet"], "Words per sentence",
                            colors, unit="sentences")
    fig = go.Figure([go.Box(x=part["words"], y=part["label"], name=outlet, orientation="h",
                            marker_color=colors.get(outlet), boxpoints=False, showlegend=False)
                     for outlet, part in sentences.groupby("outlet", sort=False)])
    return style(fig, height=_height(sentences["label"].nunique()),
                 xaxis=dict(title="Words per sentence"))


def _heatmap(matrix: pd.DataFrame, colorscale: str, value: str, *, fmt: str = "",
             zmin: float | None = None, zmax: float | None = None) -> go.Figure:
    """A labelled matrix as a heatmap with each cell's value written in it (empty cells, NaN,
    stay blank); rows run top to bottom in the frame's order once the caller reverses the
    y axis."""
    z = matrix.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(c) for c in matrix.columns], y=[str(i) for i in matrix.index],
        colorscale=colorscale, zmin=zmin, zmax=zmax, colorbar=dict(title=value),
        texttemplate=f"%{{z:{fmt}}}" if fmt else "%{z}",
        hovertemplate=f"%{{y}} · %{{x}}<br>{value}: %{{z:{fmt}}}<extra></extra>" if fmt
        else f"%{{y}} · %{{x}}<br>{value}: %{{z}}<extra></extra>"))
    return fig


@shared
def actor_heatmap(counts: pd.DataFrame, column: str = "outlet") -> go.Figure:
    """Mentions per actor (rows, most mentioned on top) and ``column`` (outlet or article label):
    ``counts`` has ``name``, ``column`` and ``n_mentions``."""
    matrix = counts.pivot_table(index="name", columns=column, values="n_mentions", aggfunc="sum",
                                fill_value=0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
    fig = _heatmap(matrix, "Blues", "Mentions")
    return style(fig, height=_height(len(matrix)) + 60, xaxis=dict(side="top"),
                 yaxis=dict(autorange="reversed"))


@shared
def actor_prominence(prom: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Each actor's share of an outlet's actor mentions, one dot per outlet; a diamond marks
    an outlet that names the actor in a headline."""
    d = prom.assign(headline=prom["in_title"].gt(0))
    order = d.groupby("name")["mention_share"].max().sort_values().index.tolist()
    fig = go.Figure([go.Scatter(
        x=part["mention_share"], y=part["name"], mode="markers", name=outlet,
        marker=dict(size=14, color=colors.get(outlet), line=dict(width=1, color="white"),
                    symbol=["diamond" if h else "circle" for h in part["headline"]]),
        customdata=part[["mentions", "articles", "in_lead", "first_rank"]].to_numpy(),
        hovertemplate="%{y}: %{x:.1%} of the outlet's actor mentions<br>%{customdata[0]} "
                      "mentions in %{customdata[1]} articles<br>articles naming it in the lead: "
                      "%{customdata[2]:.0%}<br>mean rank of first mention: %{customdata[3]:.1f}"
                      "<extra>%{fullData.name}</extra>")
        for outlet, part in d.groupby("outlet", sort=False)])
    return style(fig, height=_height(len(order)),
                 xaxis=dict(title="Share of the outlet's actor mentions", tickformat=".0%", rangemode="tozero"),
                 yaxis=dict(categoryorder="array", categoryarray=order))


@shared
def co_mention_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Articles naming both actors of each pair (the diagonal: articles naming the actor)."""
    fig = _heatmap(matrix, "Purples", "Articles")
    return style(fig, height=_height(len(matrix)) + 80, xaxis=dict(side="top", tickangle=-35),
                 yaxis=dict(autorange="reversed"))


def _hover_text(text: str, width: int = 70) -> str:
    """Article text made safe for a plotly hover label (escaped, wrapped at ``width``
    characters; one regular expression pass, where textwrap took 0.1 s for a fact matrix)."""
    if not text:
        return "not reported"
    lines = re.finditer(rf"\S.{{0,{width - 1}}}(?=\s|$)|\S{{{width}}}", html.escape(text))
    return "<br>".join(m.group() for m in lines)


@shared
def fact_coverage(matrix: pd.DataFrame, columns: list[str]) -> go.Figure:
    """Fact groups (rows, most widely carried on top) x outlets or articles (``columns``):
    a filled cell where the column reports the fact; hover shows its sentence. ``matrix`` is
    ``analysis.coverage.coverage_matrix`` output (one text column per outlet/article)."""
    labels = [f"{i + 1}. {t[:60]}{'…' if len(t) > 60 else ''}" for i, t in enumerate(matrix["fact"])]
    present = matrix[columns].ne("").astype(int).to_numpy()
    hover = [[_hover_text(v) for v in row] for row in matrix[columns].to_numpy()]
    fig = go.Figure(go.Heatmap(
        z=present, x=columns, y=labels, customdata=hover, zmin=0, zmax=1, xgap=2, ygap=2,
        colorscale=[[0, "#EEEEEE"], [1, "#0072B2"]], showscale=False,
        hovertemplate="<b>%{x}</b><br>%{customdata}<extra></extra>"))
    return style(fig, height=_height(len(matrix)) + 80, xaxis=dict(side="top", tickangle=-30),
                 yaxis=dict(autorange="reversed"))


@shared
def coverage_shares(rows: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Share of each article's content (``label``) shared with other articles or unique to it."""
    parts = {"shared_share": ("also in other articles", "#0072B2"),
             "unique_share": ("only in this article", "#E69F00")}
    fig = go.Figure([go.Bar(x=rows[col], y=rows["label"], name=name, orientation="h",
                            marker_color=color, customdata=rows["outlet"],
                            hovertemplate=f"%{{y}}<br>{name}: %{{x:.0%}}<extra></extra>")
                     for col, (name, color) in parts.items()])
    return style(fig, height=_height(rows["label"].nunique()), barmode="relative",
                 xaxis=dict(title="Share of the article's sentences (by characters)", tickformat=".0%", range=[0, 1]))


@shared
def copy_overlap(pairs: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Share of each row article's words found nearly verbatim in the column article.
    ``pairs`` has ``label_a``, ``label_b``, ``share_a``, ``share_b``."""
    at = {label: k for k, label in enumerate(labels)}
    a, b = pairs["label_a"].map(at).to_numpy(), pairs["label_b"].map(at).to_numpy()
    shares = np.zeros((len(labels), len(labels)))
    shares[a, b], shares[b, a] = pairs["share_a"].to_numpy(), pairs["share_b"].to_numpy()
    matrix = pd.DataFrame(shares, index=labels, columns=labels)
    fig = _heatmap(matrix, "Oranges", "Share", fmt=".0%", zmin=0, zmax=1)
    return style(fig, height=_height(len(labels)) + 100,
                 xaxis=dict(side="top", tickangle=-30, title="copied from / shared with"),
                 yaxis=dict(autorange="reversed"))


SOURCE_TYPE_COLORS = {"named_person": "#0072B2", "named_organization": "#56B4E9", "media": "#009E73",
                      "document": "#CC79A7", "anonymous": "#E69F00", "vague": "#999999",
                      "unresolved": "#DDDDDD"}


@shared
def source_type_mix(mix: pd.DataFrame, by: str = "outlet") -> go.Figure:
    """Share of each ``by`` value's attributions per source type, stacked to 100%.
    ``mix`` is ``analysis.sources.type_mix`` output."""
    present = [t for t in SOURCE_TYPE_COLORS if t in set(mix["source_type"])]
    fig = go.Figure([go.Bar(x=part["share"], y=part[by], name=SOURCE_TYPE_LABELS[kind], orientation="h",
                            marker_color=SOURCE_TYPE_COLORS[kind], customdata=part["count"],
                            hovertemplate=f"%{{y}}: %{{x:.0%}} {SOURCE_TYPE_LABELS[kind].lower()} "
                                          "(%{customdata} attributions)<extra></extra>")
                     for kind in present for part in [mix[mix["source_type"] == kind]]])
    # Up to seven source types: a legend in a row above the bars leaves them the width.
    return style(fig, height=_height(mix[by].nunique()) + 40, barmode="relative",
                 legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"),
                 # just past 1, so that plotly labels the 100 % tick at the axis end
                 xaxis=dict(title="Share of attributions", tickformat=".0%", range=[0, 1.001]),
                 yaxis=dict(categoryorder="array", categoryarray=list(dict.fromkeys(mix[by]))))


@shared
def speaker_outlet_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Attributions per speaker (rows) and outlet (columns); blank = never quoted there.
    ``matrix`` is ``analysis.sources.speaker_matrix`` output."""
    fig = _heatmap(matrix.where(matrix > 0), "Blues", "Attributions")
    return style(fig, height=_height(len(matrix)) + 80, xaxis=dict(side="top", tickangle=-30),
                 yaxis=dict(autorange="reversed"))


@shared
def source_share_compare(mix: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Named / anonymous / vague share of attributions, one bar per outlet in each group."""
    groups = {"named_person": "Named", "named_organization": "Named", "anonymous": "Anonymous",
              "vague": "Vague"}
    d = mix[mix["source_type"].isin(groups)].assign(group=lambda x: x["source_type"].map(groups))
    d = d.groupby(["outlet", "group"], as_index=False)["share"].sum()
    fig = go.Figure([go.Bar(x=part["group"], y=part["share"], name=outlet,
                            marker_color=colors.get(outlet),
                            hovertemplate="%{x}: %{y:.0%}<extra>%{fullData.name}</extra>")
                     for outlet, part in d.groupby("outlet", sort=False)])
    return style(fig, barmode="group",
                 xaxis=dict(categoryorder="array", categoryarray=["Named", "Anonymous", "Vague"]),
                 yaxis=dict(title="Share of the outlet's attributions", tickformat=".0%", range=[0, 1]))


# An outlet's mean this many article standard deviations from the outlets' mean is a large
# gap (Cohen's d): the colour is full from there on.
LARGE_GAP_SD = 0.8


@shared
def tone_dimensions(means: pd.DataFrame, labels: dict[str, str], spread: pd.Series) -> go.Figure:
    """Tone dimensions (rows) by outlet (columns): text = the value itself, colour = how far it
    sits from the outlets' mean in standard deviations of the articles (``spread``: per
    dimension), full from ``LARGE_GAP_SD``. A gap the articles' own variation dwarfs stays
    pale, however the outlets rank (a z-score per row made 0.311 against 0.309 look like
    opposites). ``means`` is ``analysis.tone.outlet_means`` output (rows outlets); ``labels``
    names the dimensions."""
    values = means.T.reindex([k for k in labels if k in means.columns]).astype(float)
    scale = spread.reindex(values.index).where(lambda s: s > 0)
    relative = values.sub(values.mean(axis=1), axis=0).div(scale, axis=0).fillna(0)
    fig = go.Figure(go.Heatmap(
        z=relative.to_numpy(), x=list(values.columns), y=[labels[k] for k in values.index],
        text=values.apply(lambda col: col.map(  # no "-0.00" for a tiny negative mean
            lambda v: "–" if pd.isna(v) else f"{v:.2f}".replace("-0.00", "0.00"))).to_numpy(),
        texttemplate="%{text}", zmin=-LARGE_GAP_SD, zmax=LARGE_GAP_SD,
        colorscale="PuOr", zmid=0, colorbar=dict(title="vs other<br>outlets<br>(article SDs)"),
        hovertemplate="%{y} · %{x}: %{text} (%{z:+.2f} SD from the outlets' mean)"
                      "<extra></extra>"))
    return style(fig, height=_height(len(values)) + 60, xaxis=dict(side="top", tickangle=-20),
                 yaxis=dict(autorange="reversed"))


@shared
def sentence_tone_strips(sentences: pd.DataFrame) -> go.Figure:
    """One strip per article (rows), one cell per sentence in reading order, coloured by the
    sentence's sentiment (-1 red to +1 green); a quote mark tags sentences mostly inside a
    direct quote. ``sentences`` has ``label``, ``number`` (1 = first sentence),
    ``sentiment``, ``in_quote`` and ``excerpt``."""
    tone = sentences.pivot_table(index="label", columns="number", values="sentiment", aggfunc="first")
    excerpt = sentences.pivot_table(index="label", columns="number", values="excerpt", aggfunc="first")
    quoted = sentences.pivot_table(index="label", columns="number", values="in_quote", aggfunc="first")
    marks = quoted.reindex_like(tone).apply(
        lambda col: col.map(lambda q: "❞" if pd.notna(q) and q else ""))
    fig = go.Figure(go.Heatmap(
        z=tone.to_numpy(), x=list(tone.columns), y=list(tone.index), zmin=-1, zmax=1,
        colorscale="RdYlGn", colorbar=dict(title="Sentiment"), xgap=1, ygap=4,
        text=marks.to_numpy(), texttemplate="%{text}",
        customdata=excerpt.reindex_like(tone).fillna("").to_numpy(),
        hovertemplate="%{y}<br>sentence %{x}: %{z:+.2f}<br>%{customdata}<extra></extra>"))
    return style(fig, height=_height(len(tone)) + 60, xaxis=dict(title="Sentence (reading order)"),
                 yaxis=dict(autorange="reversed"))


@shared
def tone_by_position(cells: pd.DataFrame) -> go.Figure:
    """Mean sentence sentiment per outlet (rows) and tenth of the article (columns: the
    first tenth of each article's sentences, the second…): the aggregate of
    ``sentence_tone_strips`` for selections too large to draw one strip per article.
    ``cells``: ``analysis.store.tone_by_part`` (outlet, part, tone, n, quoted)."""
    tone, n_sent, quoted = (cells.pivot(index="outlet", columns="part", values=c)
                            for c in ("tone", "n", "quoted"))
    reach = max(0.1, float(tone.abs().max().max()))
    labels = [f"{k * 10 - 10}–{k * 10}%" for k in tone.columns]
    fig = go.Figure(go.Heatmap(
        z=tone.to_numpy(), x=labels, y=list(tone.index), zmid=0, zmin=-reach, zmax=reach,
        colorscale="RdYlGn", colorbar=dict(title="Mean<br>sentiment"), xgap=1, ygap=4,
        text=tone.map(lambda v: "" if pd.isna(v) else f"{v:+.2f}").to_numpy(),
        texttemplate="%{text}", customdata=pd.concat([n_sent, quoted], axis=1).to_numpy()
        .reshape(len(tone), 2, -1).transpose(0, 2, 1),
        hovertemplate="%{y}, %{x} of the article: %{z:+.3f}<br>%{customdata[0]:,} sentences, "
                      "%{customdata[1]:.0%} inside quotes<extra></extra>"))
    return style(fig, height=_height(len(tone)) + 60,
                 xaxis=dict(title="Part of the article (reading order)", side="top"),
                 yaxis=dict(autorange="reversed"))


@shared
def actor_tone_heatmap(cells: pd.DataFrame) -> go.Figure:
    """Tone toward each actor (rows, in ``cells`` order) per outlet (columns), -1 harsh to +1
    favourable, each cell with its number of mentions; a weak cell (``weak``: too few
    mentions) is grey and its value written in brackets, so no colour claims what one or two
    mentions cannot show. ``cells`` is ``analysis.tone.actor_tone_cells`` output; hover gives
    the 95% interval. Blank: never mentioned in a scored sentence."""
    names = list(dict.fromkeys(cells["name"]))
    outlets = sorted(cells["outlet"].unique(), key=str)

    def grid(column, where=None):
        d = labels if where is None else labels[where]
        return d.pivot(index="name", columns="outlet", values=column).reindex(
            index=names, columns=outlets)

    def interval(low, high):
        return "no interval (one article)" if pd.isna(low) else f"95% interval {low:+.2f} to {high:+.2f}"

    labels = cells.assign(
        text=[(f"({t:+.2f})" if w else f"{t:+.2f}") + f"<br>n={m}"
              for t, m, w in zip(cells["tone"], cells["mentions"], cells["weak"])],
        hover=[f"{m:,} mentions in {a:,} article{'s' if a != 1 else ''}, "
               + interval(lo, hi) + (" · weak: fewer than 3 mentions" if w else "")
               for m, a, lo, hi, w in zip(cells["mentions"], cells["articles"], cells["low"],
                                          cells["high"], cells["weak"])])
    x, y = [safe.label(str(o)) for o in outlets], [safe.label(str(n)) for n in names]
    text, hover = grid("text").fillna("").to_numpy(), grid("hover").fillna("").to_numpy()
    strong = grid("tone", ~cells["weak"]).to_numpy(dtype=float)
    weak = grid("tone", cells["weak"]).notna().to_numpy()
    common = dict(x=x, y=y, xgap=2, ygap=2, text=text, customdata=hover, texttemplate="%{text}",
                  hovertemplate="%{y} · %{x}: %{text}<br>%{customdata}<extra></extra>")
    fig = go.Figure([
        go.Heatmap(z=strong, colorscale="RdYlGn", zmin=-1, zmax=1, zmid=0,
                   colorbar=dict(title="Tone"), **common),
        go.Heatmap(z=np.where(weak, 0.0, np.nan), colorscale=[[0, "#e4e4e4"], [1, "#e4e4e4"]],
                   showscale=False, textfont=dict(color="#777777"), **common)])
    return style(fig, height=_height(len(names)) + 80, xaxis=dict(side="top", tickangle=-20),
                 yaxis=dict(autorange="reversed"))


@shared
def loaded_word_bars(counts: pd.DataFrame, colors: dict[str, str], top: int = 20) -> go.Figure:
    """The ``top`` most used loaded words, bars split by outlet; ``counts`` is
    ``analysis.store.loaded_word_counts`` output."""
    leaders = counts.groupby("word")["count"].sum().nlargest(top).index.tolist()
    d = counts[counts["word"].isin(leaders)]
    fig = go.Figure([go.Bar(x=part["count"], y=part["word"], name=outlet, orientation="h",
                            marker_color=colors.get(outlet), customdata=part["category"],
                            hovertemplate="%{y} (%{customdata}): %{x} uses<extra>%{fullData.name}</extra>")
                     for outlet, part in d.groupby("outlet", sort=False)])
    largest = float(d.groupby("word")["count"].sum().max()) if len(d) else 0.0
    return style(fig, height=_height(len(leaders)), barmode="relative",
                 xaxis=count_axis("Uses (narration)", largest),
                 yaxis=dict(categoryorder="array", categoryarray=leaders[::-1]))