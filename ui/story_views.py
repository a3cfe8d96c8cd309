"""The Stories page's views: the story table, the timeline, the headlines and, cached per
story, its fact groups and what each side carries alone (``analysis.sides``)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import coverage, outlets, sides
from analysis.model import Article

from . import charts, data, limits, tables

HEADLINE_COLUMNS = {  # metrics column -> heading (tone.headline_style, docs/metrics.md)
    "tone_headline_sentiment": "Headline sentiment", "tone_headline_body_gap": "Headline - body",
    "tone_headline_sensationalism": "Sensationalism", "tone_headline_question": "Question",
    "tone_headline_exclamation": "Exclamation", "tone_headline_colon": "Colon",
    "tone_headline_caps": "Capitals", "tone_headline_loaded": "Loaded words",
}


def _dates(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["published"], errors="coerce")


def story_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per story of ``df`` (rows of the metrics frame with ``leaning``), most
    articles first: articles, outlets, first and last publication, leanings in words, and
    the headline of its earliest article (the first stored when none is dated)."""
    d = df.assign(_date=_dates(df))
    g = d.groupby("story", sort=False)
    # the leanings in words from one crosstab (a loop over stories took 17 s at 2,000 stories)
    counts = pd.crosstab(d["story"], d["leaning"])
    counts = counts[outlets.leaning_order(counts.columns)]
    leanings = pd.Series([" · ".join(f"{n} {lean}" for lean, n in zip(counts.columns, row) if n)
                          for row in counts.to_numpy()], index=counts.index)
    titled = d[d["title"].fillna("") != ""].sort_values(["_date", "added_at"], na_position="last",
                                                         kind="stable").drop_duplicates("story")
    out = pd.DataFrame({"Articles": g.size(), "Outlets": g["outlet"].nunique(),
                        "First": g["_date"].min().dt.date, "Last": g["_date"].max().dt.date})
    out["Leanings"] = leanings.reindex(out.index)
    out["Headline"] = titled.set_index("story")["title"].reindex(out.index).fillna("(no headline)")
    out["Outlet names"] = g["outlet"].agg(lambda o: ", ".join(sorted(o.unique())))
    out = out.rename_axis("Story").reset_index()
    return out.sort_values(["Articles", "Story"], ascending=[False, True], kind="stable")


def blindspot_table(spots: list[dict]) -> pd.DataFrame:
    """``sides.blindspots`` as a table that reads."""
    return pd.DataFrame([{"Story": b["story"], "Covered mostly by": sides.SIDE_WORDS[b["side"]],
                          "Outlets of that side": f"{b['n_side_outlets']} of {b['n_rated_outlets']}",
                          "Little or no coverage from": ", ".join(sides.SIDE_WORDS[m] for m in b["missing"]),
                          "Articles": b["n_articles"]} for b in spots])


TIMELINE_GROUPS = 12  # more stacked groups than this are summed as "others"
WEEKLY_AFTER_DAYS = 90  # longer spans are counted per week: daily bars would be hairlines


def timeline(df: pd.DataFrame, by: str, colors: dict[str, str]) -> go.Figure:
    """Articles per day (per week, from its Monday, over more than ``WEEKLY_AFTER_DAYS``
    days), stacked by ``by`` ("outlet", "leaning" or "story"; the ``TIMELINE_GROUPS``
    largest, the rest as "others"); undated articles left out."""
    days = _dates(df).dt.normalize()
    if days.notna().any() and (days.max() - days.min()).days > WEEKLY_AFTER_DAYS:
        days = days - pd.to_timedelta(days.dt.weekday, unit="D")
    dated = df.assign(day=days).dropna(subset=["day"])
    largest = dated[by].value_counts().index[:TIMELINE_GROUPS]
    dated = dated.assign(**{by: dated[by].where(dated[by].isin(largest), "others")})
    counts = dated.groupby(["day", by]).size().rename("n").reset_index()
    order = (outlets.leaning_order(counts[by]) if by == "leaning"
             else counts.groupby(by)["n"].sum().sort_values(ascending=False).index.tolist())
    fig = go.Figure([go.Bar(x=part["day"], y=part["n"], name=str(name),
                            marker_color=colors.get(name),
                            # the name through plotly (escaped as a trace name): a story
                            # name in the template itself could hold markup or %{...}
                            hovertemplate="%{fullData.name}<br>%{x|%d %b %Y}: %{y} "
                                          "article(s)<extra></extra>")
                     for name in order if len(part := counts[counts[by] == name])])
    per_day = counts.groupby("day")["n"].sum()
    return charts.style(fig, height=380, barmode="stack",
                        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
                        xaxis=dict(type="date"),  # the caption says what the axis is
                        yaxis=charts.count_axis("Articles", per_day.max() if len(per_day) else 0))


def headlines(df: pd.DataFrame) -> pd.DataFrame:
    """The story's headlines side by side, earliest first: outlet, leaning, date, headline
    and its tone and style (``tone.headline_style``)."""
    df = df.assign(_date=_dates(df)).sort_values(["_date", "outlet"], na_position="last", kind="stable")
    out = pd.DataFrame({"Outlet": df["outlet"], "Leaning": df["leaning"],
                        "Published": df["_date"].dt.date,
                        "Headline": df["title"].where(df["title"].fillna("") != "", "(no headline)")})
    for column, heading in HEADLINE_COLUMNS.items():
        if column in df:
            out[heading] = df[column].to_numpy()
    return out.reset_index(drop=True)


def aligned_subset(df: pd.DataFrame) -> pd.DataFrame:
    """At most ``limits.ALIGNED`` articles of a story to align, the latest article of each
    outlet first (as on the Coverage page)."""
    if len(df) <= limits.ALIGNED:
        return df
    recent = df.sort_values(["published", "added_at"], ascending=False, na_position="last")
    turn = recent.groupby("outlet").cumcount().sort_values(kind="stable")
    return df.loc[df.index.isin(turn.index[:limits.ALIGNED])]


@st.cache_data(show_spinner="Aligning the story's sentences and sorting them by side…", max_entries=8)
def story_sides(selection: str, _df: pd.DataFrame) -> dict:
    """For the articles of ``_df`` (one story, with ``leaning``; ``selection`` is its
    ``data.selection_key``): ``groups`` (fact groups, as dicts), ``first`` (who reported
    each fact first, ``sides.first_reports``) and the one-sided facts, quotes, speakers and
    actors of ``sides.story_sides`` as dicts."""
    ids = _df["article_id"].tolist()
    articles = [Article(text=r.text, outlet=r.outlet, title=r.title, story=r.story,
                        article_id=r.article_id) for r in _df.itertuples()]
    spans = coverage.spans_from_frame(data.select_items("sentences", ids))
    groups = coverage.fact_groups(articles, sentences={a: spans[a] for a in ids if a in spans})
    atts: dict[str, list[dict]] = {}
    for att in data.select_items("attributions", ids).to_dict("records"):
        atts.setdefault(att["article_id"], []).append(att)
    found = sides.story_sides(articles, dict(zip(_df["article_id"], _df["leaning"])),
                              groups=groups, attributions=atts,
                              actors=data.rows_of(data.load_actors(), ids))
    published = {aid: (d.date() if pd.notna(d) else None)
                 for aid, d in zip(_df["article_id"], _dates(_df))}
    return {"groups": [g.as_dict() for g in groups],
            "first": sides.first_reports(groups, published, dict(zip(_df["article_id"], _df["outlet"]))),
            **{k: [i.as_dict() | {"n_outlets": i.n_outlets} for i in found[k]]
               for k in ("facts", "quotes", "speakers", "actors")}}


def one_sided_table(items: list[dict]) -> pd.DataFrame:
    """One row per one-sided item: what, the side, its outlets, the sides without it and
    the evidence sentences (outlet: sentence, one per line)."""
    return pd.DataFrame([{"Item": i["label"], "Only on": sides.SIDE_WORDS[i["side"]],
                          "Outlets": ", ".join(i["outlets"]), "Not on": ", ".join(
                              sides.SIDE_WORDS[s] for s in i["absent"]),
                          "Evidence": "\n".join(f"{e['outlet']}: {e['text']}" for e in i["evidence"]),
                          "Also unrated": ", ".join(i["unrated"])} for i in items],
                        columns=["Item", "Only on", "Outlets", "Not on", "Evidence", "Also unrated"])


ONE_SIDED_KINDS = {"facts": "Facts", "quotes": "Quotes", "speakers": "Sources quoted or cited",
                   "actors": "Actors mentioned"}


def one_sided_tabs(result: dict) -> None:
    """The one-sided items of ``story_sides`` in one tab per kind, with a slider for the
    least number of the side's outlets carrying them."""
    kinds = ONE_SIDED_KINDS
    most = max(i["n_outlets"] for k in kinds for i in result[k]) if any(result[k] for k in kinds) else 1
    # 2 by default once a few items reach it; with one outlet per side, 1 is all there is
    shared = sum(i["n_outlets"] >= 2 for k in kinds for i in result[k])
    least = (st.slider("Carried by at least this many outlets of the side", 1, most,
                       2 if shared >= 5 else 1,
                       key="st_min", help="One outlet alone is what it reports alone (Coverage "
                                          "page); two or more are a side's shared choice.")
             if most > 1 else 1)
    shown = {k: [i for i in result[k] if i["n_outlets"] >= least] for k in kinds}
    for key, tab in zip(kinds, st.tabs([f"{name} ({len(shown[k])})" for k, name in kinds.items()])):
        with tab:
            if shown[key]:
                tables.show(one_sided_table(shown[key]), f"one-sided {key}",
                            key=f"dl-side-{key}")
            else:
                st.info(f"No {kinds[key].lower()} carried by {least} or more outlets of one side only.")
