"""The meeting-ready report: key findings, the main charts and a comparison table.

Pure Python (no Streamlit), so the Report page and ``python -m analysis report`` build the
same report. The HTML is one self-contained file: plotly.js is inlined, nothing is fetched.
"""
from __future__ import annotations

import datetime as dt
import html
import textwrap
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from analysis import actors as actors_mod
from analysis import findings, outlets, sources, tone

from . import charts, limits, safe
from .colors import outlet_colors

# Slide size for PNG export (16:9).
PNG_SIZE = dict(width=1600, height=900)
# The outlet table: (metrics column, heading, how its values are written). Counts are means
# per article over the outlet's articles: whole numbers print without decimals.
TABLE_COLUMNS = [
    ("n_articles", "Articles", "count"), ("word_count", "Words per article", "{:,.0f}"),
    ("readability_grade", "Readability grade", "{:.1f}"), ("tone_sentiment", "Sentiment", "{:+.2f}"),
    ("tone_subjectivity", "Subjectivity", "{:.2f}"),
    ("sources_n_attributions", "Attributions", "count"),
    ("sources_n_distinct_named_sources", "Distinct named sources", "count"),
    ("sources_n_direct_quotes", "Direct quotes", "count"),
    ("sources_n_anonymous_sources", "Anonymous attributions", "count"),
    ("sources_n_vague_sources", "Vague attributions", "count"),
]


class ReportFigure(NamedTuple):
    figure: go.Figure
    caption: str  # the one-line method note under the chart
    title: str


@dataclass
class Report:
    title: str
    selection: str
    findings: list[str]
    figures: dict[str, ReportFigure] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


def _count(value: float) -> str:
    """A count or a mean of counts: "7", not "7.0"; "2.5" for a mean that is not whole."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def outlet_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet, the ``TABLE_COLUMNS`` written as they read (text cells)."""
    means = findings.outlet_means(metrics)
    out = pd.DataFrame({"Outlet": means["name"]})
    for column, heading, fmt in TABLE_COLUMNS:
        if column in means:
            values = means[column].astype(float)
            out[heading] = [("–" if pd.isna(v) else _count(v) if fmt == "count" else fmt.format(v))
                            for v in values]
    return out


def _top(counts: pd.Series, n: int = 3) -> str:
    items = [f"{name} ({count:,})" for name, count in counts.nlargest(n).items()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_findings(metrics: pd.DataFrame, cited: pd.DataFrame, actors: pd.DataFrame,
                 links: dict[str, str] | None = None) -> list[str]:
    out = []
    stories = metrics["story"].unique()
    n_outlets = metrics["outlet"].nunique()
    out.append(f"{len(metrics):,} article{'s' if len(metrics) != 1 else ''} from {n_outlets} "
               f"outlet{'s' if n_outlets != 1 else ''}"
               + (f" on “{stories[0]}”." if len(stories) == 1 else f" on {len(stories)} stories."))
    if n_outlets > 1:
        out += findings.differences(findings.outlet_means(metrics))
    silent = sorted(metrics.groupby("outlet")["sources_n_named_sources"].sum().loc[lambda s: s == 0].index)
    if silent and len(silent) < n_outlets:
        out.append(f"{', '.join(silent)} quote{'s' if len(silent) == 1 else ''} or paraphrase"
                   f"{'s' if len(silent) == 1 else ''} no named source.")
    named = cited[cited["source_type"].isin(sources.NAMED_TYPES)]
    if not named.empty:
        who = actors_mod.canonical_names(sources.speakers(named), links or {})
        counts = named["n"].groupby(who.to_numpy()).sum()
        out.append("Most quoted or paraphrased: " + _top(counts) + " attributions.")
    people = actors.loc[actors["type"] == "person", ["name", "n_mentions"]] if len(actors) else actors
    if not people.empty:
        out.append("Most mentioned people: " + _top(people.groupby("name")["n_mentions"].sum()) + " mentions.")
    if n_outlets > 1 and {"sentiment", "article_id", "outlet"} <= set(actors.columns):
        out += tone_findings(actors)
    return out


def tone_findings(actors: pd.DataFrame, top: int = 5) -> list[str]:
    """Differences of tone toward the ``top`` most mentioned actors between outlets, stated
    only where the outlets' 95% intervals do not overlap (``tone.tone_differences``); one
    sentence saying so when none does. ``actors``: linked actor rows with their tone."""
    scored = actors[actors["sentiment"].notna()]
    leaders = scored.groupby("name")["n_mentions"].sum().nlargest(top).index.tolist()
    if not leaders:
        return []
    found = tone.tone_differences(tone.actor_tone_cells(scored, leaders))
    if not found:
        return [f"Tone toward {_names(leaders)}: no outlet differs from another beyond the "
                "uncertainty (95% intervals overlap, or too few mentions to tell)."]
    return [f"Tone toward {name}: {hi} is warmer ({v_hi:+.2f}) than {lo} ({v_lo:+.2f}); their "
            "95% intervals do not overlap." for name, hi, v_hi, lo, v_lo in found]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def build(metrics: pd.DataFrame, cited: pd.DataFrame, actors: pd.DataFrame, *,
          selection: str, colors: dict[str, str] | None = None,
          title: str = "Coverage Lens report", links: dict[str, str] | None = None,
          attributions: pd.DataFrame | None = None) -> Report:
    """The report for the articles in ``metrics``, from the sources they cite (``cited``:
    ``store.source_counts`` of them) and their linked ``actors`` (name, type, outlet and
    n_mentions per row, as ``data.load_actors`` has them); ``links`` (``actors.corpus_links``)
    names each speaker as the actors are named. When some outlet's leaning is known
    (``analysis.outlets``), the findings say what one side carried alone (quotes and sources
    from ``attributions``, the articles' attribution rows; facts; actors) and the table has a
    Leaning column."""
    colors = colors or outlet_colors(metrics["outlet"])
    labelled = metrics.assign(label=charts.article_labels(metrics))
    report = Report(title, selection, key_findings(metrics, cited, actors, links))
    try:
        rated = metrics.assign(leaning=[r["leaning"] for r in outlets.profile_rows(metrics)])
    except ValueError:  # a broken outlets file (the page's sidebar says so): no leaning known
        rated = metrics.assign(leaning=outlets.UNKNOWN)
    report.findings += findings.side_findings(rated, attributions, actors)
    n = len(metrics)
    each = charts.per_article(n)
    report.figures["sources"] = ReportFigure(
        charts.source_mix(labelled),
        "Attributions (quotes, paraphrases, \"according to\") per article, by the kind of source: "
        "named, anonymous (\"officials\") or vague (\"critics\"); a speaker quoted five times counts five."
        + ("" if each else " " + charts.outlet_mean_note(n)),
        "Attributions by kind of source")
    report.figures["tone"] = ReportFigure(
        charts.sentiment_vs_subjectivity(labelled, colors),
        "Mean sentence sentiment (VADER, -1 to +1) against subjectivity (TextBlob, 0 to 1); dot size = words."
        + ("" if n <= limits.POINTS else " " + charts.sample_note(n)),
        "Tone: sentiment and subjectivity per article")
    report.figures["readability"] = ReportFigure(
        charts.metric_by_article(labelled, "readability_grade", "US school grade", colors),
        "Consensus readability grade (median of five formulas); higher = harder."
        + ("" if each else " " + charts.per_outlet_note(n)),
        "Readability grade per article")
    if not actors.empty:
        report.figures["actors"] = ReportFigure(
            charts.actor_mentions(actors, colors),
            "Mentions of the most mentioned people, organisations and countries (aliases merged), by outlet.",
            "Most mentioned actors")
    report.table = outlet_table(metrics)
    if (rated["leaning"] != outlets.UNKNOWN).any():
        leaning_of = rated.drop_duplicates("outlet").set_index("outlet")["leaning"]
        report.table.insert(1, "Leaning", report.table["Outlet"].map(leaning_of).to_numpy())
    return report


def _wrap(text: str, width: int) -> str:
    """``text`` escaped for a plotly label and broken into lines of at most ``width`` characters."""
    return "<br>".join(safe.label(line) for line in textwrap.wrap(text, width)) if text else ""


def export_figure(fig: go.Figure, title: str | None = None, note: str | None = None, *,
                  width: int | None = None) -> go.Figure:
    """A copy of ``fig`` styled to leave the dashboard: an explicit white template (the
    dashboard's process sets Streamlit's, which neither grows margins nor has a background),
    margins that grow to fit every label, the legend beside the plot (never over the data),
    fonts with a minus sign, and, for a slide, the ``title`` and the method ``note`` drawn in
    it. ``width`` (pixels) sets where the note's lines break."""
    out = go.Figure(fig)
    layout = dict(template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
                  font=dict(family=charts.FONT_FAMILY, size=charts.FONT_SIZE, color="#1a1a1a"),
                  margin=dict(l=20, r=20, t=30, b=20),
                  legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    if title:
        chars = max(40, int((width or PNG_SIZE["width"]) / 8.5))  # ~8 px per 15 px character
        layout["title"] = dict(
            text=f"<b>{safe.label(title)}</b>", x=0.01, xanchor="left", xref="container",
            yref="paper", y=1, yanchor="bottom", automargin=True, pad=dict(b=24),
            font=dict(size=26),
            subtitle=dict(text=_wrap(note or "", chars), font=dict(size=15, color="#444444")))
    out.update_layout(**layout)
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    return out


def to_html(report: Report) -> str:
    """One self-contained HTML file; every piece of article data is escaped."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.title)}</title>",
        "<style>body{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:18px;"
        "max-width:1200px;margin:2em auto;padding:0 1em;color:#1a1a1a}h1{font-size:2.2em}"
        "li{margin:.4em 0}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;"
        "padding:.4em .6em;text-align:left}td+td,th+th{text-align:right}th{background:#f0f4f8}"
        ".caption{color:#444;font-size:.9em}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f"<p class='caption'>{html.escape(report.selection)} · generated "
        f"{dt.datetime.now():%d %b %Y %H:%M} by Coverage Lens</p>",
        "<h2>Key findings</h2><ul>",
        *(f"<li>{html.escape(s)}</li>" for s in report.findings),
        "</ul>",
    ]
    first = True
    for fig, caption, title in report.figures.values():
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(export_figure(fig).to_html(full_html=False, include_plotlyjs=first,
                                                config={"displaylogo": False, "responsive": True}))
        parts.append(f"<p class='caption'>{html.escape(caption)}</p>")
        first = False
    parts.append("<h2>Outlets compared</h2>")
    parts.append("<p class='caption'>Per article: each outlet's mean over its articles.</p>")
    parts.append(report.table.to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)


def slide(item: ReportFigure) -> go.Figure:
    """The figure of a slide: ``item`` with its title and method note drawn in it."""
    return export_figure(item.figure, item.title, item.caption, width=PNG_SIZE["width"])


def png(item: ReportFigure) -> bytes:
    """The report figure as a slide-sized PNG (kaleido drives the system's chromium)."""
    return slide(item).to_image(format="png", **PNG_SIZE)
