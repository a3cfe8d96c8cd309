"""Plotly figure builders: pure functions, DataFrame in, Figure out.

Every builder colours by outlet with the map it is given, so an outlet keeps one colour
on every chart; fonts are sized to be read at projector distance.
"""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

FONT_SIZE = 16


def style(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    fig.update_layout(font=dict(size=FONT_SIZE), legend_title_text="", margin=dict(l=10, r=10, t=40, b=10),
                      hoverlabel=dict(font_size=FONT_SIZE))
    if height:
        fig.update_layout(height=height)
    return fig


def article_labels(df: pd.DataFrame) -> pd.Series:
    """Short names for chart axes: the outlet, plus a clipped title where an outlet has several."""
    titles = df["title"].where(df["title"].notna() & (df["title"] != ""), df["source_name"]).astype(str)
    clipped = titles.str[:28] + titles.map(lambda t: "…" if len(t) > 28 else "")
    several = df["outlet"].map(df["outlet"].value_counts()) > 1
    labels = df["outlet"].where(~several, df["outlet"] + " · " + clipped)
    nth = labels.groupby(labels).cumcount()  # labels are axis categories: keep them unique
    return labels.where(nth == 0, labels + " (" + (nth + 1).astype(str) + ")")


def _height(n_rows: int) -> int:
    return max(260, 60 + 38 * n_rows)


def metric_by_article(df: pd.DataFrame, column: str, label: str, colors: dict[str, str]) -> go.Figure:
    """One horizontal bar per article (labelled by ``label_col``), coloured by outlet."""
    d = df.sort_values(column)
    fig = px.bar(d, x=column, y="label", color="outlet", orientation="h", color_discrete_map=colors,
                 labels={column: label, "label": ""}, hover_data={"label": False, "outlet": True})
    fig.update_yaxes(categoryorder="array", categoryarray=d["label"].tolist())
    return style(fig, height=_height(len(d)))


def source_mix(df: pd.DataFrame) -> go.Figure:
    """Named / anonymous / vague source counts per article, stacked."""
    parts = {"sources_n_named_sources": "Named", "sources_n_anonymous_sources": "Anonymous",
             "sources_n_vague_sources": "Vague"}
    long = df.melt(id_vars=["label", "outlet"], value_vars=list(parts), var_name="kind",
                   value_name="count")
    long["kind"] = long["kind"].map(parts)
    fig = px.bar(long, x="count", y="label", color="kind", orientation="h",
                 color_discrete_map={"Named": "#0072B2", "Anonymous": "#E69F00", "Vague": "#999999"},
                 labels={"count": "Sources", "label": "", "kind": ""})
    return style(fig, height=_height(df.shape[0]))


def sentiment_vs_subjectivity(df: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    fig = px.scatter(df, x="tone_subjectivity", y="tone_sentiment", color="outlet", size="word_count",
                     hover_name="label", color_discrete_map=colors, size_max=40,
                     labels={"tone_subjectivity": "Subjectivity (0 objective – 1 subjective)",
                             "tone_sentiment": "Sentiment (−1 negative – +1 positive)"})
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    return style(fig, height=420)


def actor_mentions(actors: pd.DataFrame, colors: dict[str, str], top: int = 12) -> go.Figure:
    """Mentions of the most mentioned actors, split by outlet."""
    counts = actors.groupby(["name", "outlet"], as_index=False)["n_mentions"].sum()
    leaders = counts.groupby("name")["n_mentions"].sum().nlargest(top).index
    counts = counts[counts["name"].isin(leaders)]
    fig = px.bar(counts, x="n_mentions", y="name", color="outlet", orientation="h",
                 color_discrete_map=colors, labels={"n_mentions": "Mentions", "name": ""})
    fig.update_yaxes(categoryorder="total ascending")
    return style(fig, height=_height(len(leaders)))


def profile(items: pd.DataFrame, metrics: list[tuple[str, str]], bounds: pd.DataFrame,
            colors: dict[str, str]) -> go.Figure:
    """Radar of the chosen items, each metric scaled 0-1 between the corpus minimum and maximum.

    ``metrics`` are (column, label) pairs; ``bounds`` has the corpus ``min`` and ``max`` per
    column; each item is drawn in its outlet's colour (dashed for a second article of one outlet).
    """
    fig = go.Figure()
    labels = [label for _, label in metrics]
    seen: set[str] = set()
    for _, row in items.iterrows():
        scaled = []
        for col, _ in metrics:
            lo, hi = bounds.loc[col, "min"], bounds.loc[col, "max"]
            scaled.append(0.5 if hi == lo else float((row[col] - lo) / (hi - lo)))
        outlet = row["outlet"]
        fig.add_trace(go.Scatterpolar(
            r=scaled + scaled[:1], theta=labels + labels[:1], name=row["name"], fill="toself",
            opacity=0.55, line=dict(color=colors.get(outlet), width=3,
                                    dash="dash" if outlet in seen else "solid"),
            customdata=[row[c] for c, _ in metrics] + [row[metrics[0][0]]],
            hovertemplate="%{theta}: %{customdata:.2f}<extra>%{fullData.name}</extra>"))
        seen.add(outlet)
    fig.update_layout(polar=dict(radialaxis=dict(range=[0, 1], showticklabels=False)),
                      legend=dict(orientation="h", y=-0.1))
    return style(fig, height=520)


def formulas_by_outlet(df: pd.DataFrame, formulas: dict[str, str], colors: dict[str, str]) -> go.Figure:
    """Grouped bars: each readability formula's mean grade per outlet."""
    long = (df.groupby("outlet")[list(formulas)].mean().reset_index()
            .melt(id_vars="outlet", var_name="formula", value_name="grade"))
    long["formula"] = long["formula"].map(formulas)
    fig = px.bar(long, x="formula", y="grade", color="outlet", barmode="group",
                 color_discrete_map=colors, labels={"grade": "US school grade", "formula": ""})
    return style(fig, height=440)


def sentence_lengths(sentences: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Distribution of sentence length in words, one box per article."""
    fig = px.box(sentences, x="words", y="label", color="outlet", color_discrete_map=colors,
                 points=False, labels={"words": "Words per sentence", "label": ""})
    return style(fig, height=_height(sentences["label"].nunique()))


def actor_heatmap(counts: pd.DataFrame, column: str = "outlet") -> go.Figure:
    """Mentions per actor (rows, most mentioned on top) and ``column`` (outlet or article label):
    ``counts`` has ``name``, ``column`` and ``n_mentions``."""
    matrix = counts.pivot_table(index="name", columns=column, values="n_mentions", aggfunc="sum",
                                fill_value=0)
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
    fig = px.imshow(matrix, text_auto=True, aspect="auto", color_continuous_scale="Blues",
                    labels={"x": "", "y": "", "color": "Mentions"})
    fig.update_xaxes(side="top")
    return style(fig, height=_height(len(matrix)) + 60)


def actor_prominence(prom: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Each actor's share of an outlet's actor mentions, one dot per outlet; a diamond marks
    an outlet that names the actor in a headline."""
    d = prom.assign(headline=prom["in_title"].gt(0))
    order = d.groupby("name")["mention_share"].max().sort_values().index.tolist()
    fig = px.scatter(d, x="mention_share", y="name", color="outlet", color_discrete_map=colors,
                     custom_data=["headline"],
                     hover_data={"mentions": True, "articles": True, "in_lead": ":.0%",
                                 "first_rank": True},
                     labels={"mention_share": "Share of the outlet's actor mentions", "name": "",
                             "in_lead": "articles naming it in the lead",
                             "first_rank": "mean rank of first mention"})
    for trace in fig.data:
        trace.marker.symbol = ["diamond" if h else "circle" for h in trace.customdata[:, 0]]
    fig.update_traces(marker=dict(size=14, line=dict(width=1, color="white")))
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    return style(fig, height=_height(len(order)))


def co_mention_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Articles naming both actors of each pair (the diagonal: articles naming the actor)."""
    fig = px.imshow(matrix, text_auto=True, aspect="auto", color_continuous_scale="Purples",
                    labels={"x": "", "y": "", "color": "Articles"})
    fig.update_xaxes(side="top", tickangle=-35)
    return style(fig, height=_height(len(matrix)) + 80)


def _hover_text(text: str, width: int = 70) -> str:
    """Article text made safe for a plotly hover label (escaped, wrapped)."""
    import html
    import textwrap

    return "<br>".join(textwrap.wrap(html.escape(text), width)) if text else "not reported"


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
    fig.update_xaxes(side="top", tickangle=-30)
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=_height(len(matrix)) + 80)


def coverage_shares(rows: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Share of each article's content (``label``) shared with other articles or unique to it."""
    d = rows.melt(id_vars=["label", "outlet"], value_vars=["shared_share", "unique_share"],
                  var_name="part", value_name="share")
    d["part"] = d["part"].map({"shared_share": "also in other articles",
                               "unique_share": "only in this article"})
    fig = px.bar(d, x="share", y="label", color="part", orientation="h",
                 color_discrete_map={"also in other articles": "#0072B2",
                                     "only in this article": "#E69F00"},
                 labels={"share": "Share of the article's sentences (by characters)", "label": ""},
                 hover_data={"outlet": True, "share": ":.0%"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return style(fig, height=_height(rows["label"].nunique()))


def copy_overlap(pairs: pd.DataFrame, labels: list[str]) -> go.Figure:
    """Share of each row article's words found nearly verbatim in the column article.
    ``pairs`` has ``label_a``, ``label_b``, ``share_a``, ``share_b``."""
    matrix = pd.DataFrame(0.0, index=labels, columns=labels)
    for r in pairs.itertuples():
        matrix.loc[r.label_a, r.label_b] = r.share_a
        matrix.loc[r.label_b, r.label_a] = r.share_b
    fig = px.imshow(matrix, text_auto=".0%", aspect="auto", color_continuous_scale="Oranges",
                    zmin=0, zmax=1, labels={"x": "copied from / shared with", "y": "",
                                            "color": "Share"})
    fig.update_xaxes(side="top", tickangle=-30)
    return style(fig, height=_height(len(labels)) + 100)


SOURCE_TYPE_COLORS = {"named_person": "#0072B2", "named_organization": "#56B4E9", "media": "#009E73",
                      "document": "#CC79A7", "anonymous": "#E69F00", "vague": "#999999",
                      "unresolved": "#DDDDDD"}


def source_type_mix(mix: pd.DataFrame, by: str = "outlet") -> go.Figure:
    """Share of each ``by`` value's attributions per source type, stacked to 100%.
    ``mix`` is ``analysis.sources.type_mix`` output."""
    fig = px.bar(mix, x="share", y=by, color="source_type", orientation="h",
                 color_discrete_map=SOURCE_TYPE_COLORS,
                 category_orders={"source_type": list(SOURCE_TYPE_COLORS)},
                 labels={"share": "Share of attributions", by: "", "source_type": ""},
                 hover_data={"count": True, "share": ":.0%"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return style(fig, height=_height(mix[by].nunique()))


def speaker_outlet_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Attributions per speaker (rows) and outlet (columns); blank = never quoted there.
    ``matrix`` is ``analysis.sources.speaker_matrix`` output."""
    fig = px.imshow(matrix.where(matrix > 0), text_auto=True, aspect="auto",
                    color_continuous_scale="Blues", labels={"x": "", "y": "", "color": "Attributions"})
    fig.update_xaxes(side="top", tickangle=-30)
    return style(fig, height=_height(len(matrix)) + 80)


def source_share_compare(mix: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Named / anonymous / vague share of attributions, one bar per outlet in each group."""
    groups = {"named_person": "Named", "named_organization": "Named", "anonymous": "Anonymous",
              "vague": "Vague"}
    d = mix[mix["source_type"].isin(groups)].assign(group=lambda x: x["source_type"].map(groups))
    d = d.groupby(["outlet", "group"], as_index=False)["share"].sum()
    fig = px.bar(d, x="group", y="share", color="outlet", barmode="group", color_discrete_map=colors,
                 category_orders={"group": ["Named", "Anonymous", "Vague"]},
                 labels={"share": "Share of the outlet's attributions", "group": ""},
                 hover_data={"share": ":.0%"})
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return style(fig)


def tone_dimensions(means: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Tone dimensions (rows) by outlet (columns): colour = the value relative to the other
    outlets (z-score per row), text = the value itself. ``means`` is
    ``analysis.tone.outlet_means`` output (rows outlets); ``labels`` names the dimensions."""
    values = means.T.reindex([k for k in labels if k in means.columns]).astype(float)
    spread = values.std(axis=1).replace(0, 1).fillna(1)
    relative = values.sub(values.mean(axis=1), axis=0).div(spread, axis=0).fillna(0)
    fig = go.Figure(go.Heatmap(
        z=relative.to_numpy(), x=list(values.columns), y=[labels[k] for k in values.index],
        text=values.apply(lambda col: col.map(lambda v: "–" if pd.isna(v) else f"{v:.2f}")).to_numpy(),
        texttemplate="%{text}",
        colorscale="PuOr", zmid=0, colorbar=dict(title="vs other<br>outlets"),
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>"))
    fig.update_xaxes(side="top", tickangle=-20)
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=_height(len(values)) + 60)


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
    fig.update_xaxes(title="Sentence (reading order)")
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=_height(len(tone)) + 60)


def actor_tone_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Tone toward each actor (rows) per outlet (columns), -1 harsh to +1 favourable;
    ``matrix`` is ``analysis.tone.actor_tone_matrix`` output. Blank: never mentioned."""
    fig = px.imshow(matrix, text_auto=".2f", aspect="auto", color_continuous_scale="RdYlGn",
                    zmin=-1, zmax=1, labels={"x": "", "y": "", "color": "Tone"})
    fig.update_xaxes(side="top", tickangle=-20)
    return style(fig, height=_height(len(matrix)) + 80)


def loaded_word_bars(counts: pd.DataFrame, colors: dict[str, str], top: int = 20) -> go.Figure:
    """The ``top`` most used loaded words, bars split by outlet; ``counts`` is
    ``analysis.tone.word_counts`` output."""
    leaders = counts.groupby("word")["count"].sum().nlargest(top).index.tolist()
    d = counts[counts["word"].isin(leaders)]
    fig = px.bar(d, x="count", y="word", color="outlet", orientation="h", color_discrete_map=colors,
                 hover_data={"category": True}, labels={"count": "Uses (narration)", "word": ""})
    fig.update_yaxes(categoryorder="array", categoryarray=leaders[::-1])
    return style(fig, height=_height(len(leaders)))
