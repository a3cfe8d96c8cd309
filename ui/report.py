"""The meeting-ready report: key findings, the main charts and a comparison table.

Pure Python (no Streamlit), so the Report page and ``python -m analysis report`` build the
same report. The HTML is one self-contained file: plotly.js is inlined, nothing is fetched.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from analysis import findings, sources

from . import charts, limits
from .colors import outlet_colors

# Slide size for PNG export (16:9).
PNG_SIZE = dict(width=1600, height=900)
TABLE_COLUMNS = {
    "name": "Outlet", "n_articles": "Articles", "word_count": "Words (mean)",
    "readability_grade": "Grade", "tone_sentiment": "Sentiment", "tone_subjectivity": "Subjectivity",
    "sources_n_distinct_named_sources": "Named sources", "sources_n_direct_quotes": "Direct quotes",
    "sources_n_anonymous_sources": "Anonymous", "sources_n_vague_sources": "Vague",
}


@dataclass
class Report:
    title: str
    selection: str
    findings: list[str]
    figures: dict[str, tuple[go.Figure, str]] = field(default_factory=dict)  # name -> (figure, caption)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


def _top(counts: pd.Series, n: int = 3) -> str:
    items = [f"{name} ({count:,})" for name, count in counts.nlargest(n).items()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_findings(metrics: pd.DataFrame, cited: pd.DataFrame, actors: pd.DataFrame) -> list[str]:
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
        out.append(f"{', '.join(silent)} cite{'s' if len(silent) == 1 else ''} no named source.")
    named = cited[cited["source_type"].isin(sources.NAMED_TYPES)]
    if not named.empty:
        counts = named["n"].groupby(sources.speakers(named).to_numpy()).sum()
        out.append("Most quoted or paraphrased: " + _top(counts) + " attributions.")
    people = actors.loc[actors["type"] == "person", ["name", "n_mentions"]] if len(actors) else actors
    if not people.empty:
        out.append("Most mentioned people: " + _top(people.groupby("name")["n_mentions"].sum()) + " mentions.")
    return out


def build(metrics: pd.DataFrame, cited: pd.DataFrame, actors: pd.DataFrame, *,
          selection: str, colors: dict[str, str] | None = None,
          title: str = "Coverage Lens report") -> Report:
    """The report for the articles in ``metrics``, from the sources they cite (``cited``:
    ``store.source_counts`` of them) and their linked ``actors`` (name, type, outlet and
    n_mentions per row, as ``data.load_actors`` has them)."""
    colors = colors or outlet_colors(metrics["outlet"])
    labelled = metrics.assign(label=charts.article_labels(metrics))
    report = Report(title, selection, key_findings(metrics, cited, actors))
    n = len(metrics)
    each = charts.per_article(n)
    report.figures["sources"] = (charts.source_mix(labelled),
                                 "Sources per article: named, anonymous and vague."
                                 + ("" if each else " " + charts.outlet_mean_note(n)))
    report.figures["tone"] = (charts.sentiment_vs_subjectivity(labelled, colors),
                              "Mean sentence sentiment (VADER) against subjectivity (TextBlob); size = words."
                              + ("" if n <= limits.POINTS else " " + charts.sample_note(n)))
    report.figures["readability"] = (charts.metric_by_article(labelled, "readability_grade", "US school grade", colors),
                                     "Consensus readability grade (median of five formulas); higher = harder."
                                     + ("" if each else " " + charts.per_outlet_note(n)))
    if not actors.empty:
        report.figures["actors"] = (charts.actor_mentions(actors, colors),
                                    "Mentions of the most mentioned actors, by outlet.")
    table = findings.outlet_means(metrics)
    report.table = table[[c for c in TABLE_COLUMNS if c in table]].rename(columns=TABLE_COLUMNS).round(2)
    return report


def to_html(report: Report) -> str:
    """One self-contained HTML file; every piece of article data is escaped."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(report.title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;font-size:18px;max-width:1200px;margin:2em auto;"
        "padding:0 1em;color:#1a1a1a}h1{font-size:2.2em}li{margin:.4em 0}table{border-collapse:collapse;"
        "width:100%}td,th{border:1px solid #ccc;padding:.4em .6em;text-align:left}th{background:#f0f4f8}"
        ".caption{color:#555;font-size:.9em}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f"<p class='caption'>{html.escape(report.selection)} · generated "
        f"{dt.datetime.now():%d %b %Y %H:%M} by Coverage Lens</p>",
        "<h2>Key findings</h2><ul>",
        *(f"<li>{html.escape(s)}</li>" for s in report.findings),
        "</ul>",
    ]
    first = True
    for name, (fig, caption) in report.figures.items():
        parts.append(f"<h2>{html.escape(name.capitalize())}</h2>")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=first, config={"displaylogo": False}))
        parts.append(f"<p class='caption'>{html.escape(caption)}</p>")
        first = False
    parts.append("<h2>Outlets compared</h2>")
    parts.append(report.table.to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)


def png(fig: go.Figure) -> bytes:
    """The figure as a slide-sized PNG (kaleido drives the system's chromium)."""
    return fig.to_image(format="png", **PNG_SIZE)
