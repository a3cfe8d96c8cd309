"""Untrusted text made inert where Streamlit and plotly would read it as markup.

Article data (outlets, titles, actor names, notes) and query parameters reach three
renderers that each have their own markup:

- Streamlit's Markdown (``st.markdown``, ``st.caption``, ``st.info``, ``st.subheader``,
  widget and button labels): links, images (fetched by every viewer), emphasis, headings,
  colour directives (``:red[...]``), icons and emoji (``:smile:``), LaTeX (``$...$``).
  ``md`` escapes all of it, so the text shows as written.
- plotly's HTML-like labels: ``<a href>``, ``<b>``, ``<br>``, ``<span style>`` and entities
  in trace text, hover labels, legend names and category axes. ``label`` escapes them;
  ``figure`` escapes every data string of a figure in place (``ui.charts.style`` calls it
  for every chart), keeping the line breaks the chart builders put in hover texts.
- HTML: escaped where it is written (``ui.highlight``, ``ui.report``).
"""
from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

# Marks that start Markdown or Streamlit markup anywhere in a line: emphasis, code, links
# and images ([), HTML and autolinks (<), strikethrough, LaTeX ($), tables, entities (&),
# e-mail autolinks (@); ":" before a word or "/" (":red[", ":smile:", "http://" autolinks)
# and "." after "www" (GFM links "www.example.com" by itself). A backslash before any ASCII
# punctuation is always allowed in CommonMark and shows the mark itself, so text reads the
# same: "(3)", "a: b" and "St. Paul" are left as they are.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>~$|&@])|:(?=[\w/])|(?<=www)\.", re.I)
# Marks that start a block at the beginning of a line: heading, quote, list, rule, table.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
# "&" not already starting an entity: escaping twice must not show "&amp;lt;"
_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});)")
_BREAK = "&lt;br&gt;"
# Trace properties that hold data plotly draws as text (hover, ticks, legend, labels).
_TRACE_TEXT = ("x", "y", "text", "hovertext", "customdata", "labels", "name", "legendgroup",
               "theta", "ids", "parents")
_AXIS_TEXT = ("categoryarray", "ticktext")


def md(text) -> str:
    """``text`` as a Markdown literal for one line: every mark that could start markup
    escaped, line breaks made spaces (no heading, list or table can start)."""
    one_line = " ".join(str(text).splitlines())
    escaped = _MARKDOWN.sub(lambda m: "\\" + m.group(), one_line)
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                    else m.group(2) + "\\"), escaped)


def label(text) -> str:
    """``text`` for a plotly label: ``<`` ``>`` and ``&`` as entities, so that no tag (a
    link, a style) is drawn. Escaping an escaped label changes nothing."""
    return _AMPERSAND.sub("&amp;", str(text)).replace("<", "&lt;").replace(">", "&gt;")


def _label_keeping_breaks(value):
    if isinstance(value, str):
        return label(value).replace(_BREAK, "<br>")
    if isinstance(value, (list, tuple)):
        return type(value)(_label_keeping_breaks(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OU" and value.size:
        return np.vectorize(_label_keeping_breaks, otypes=[object])(value)
    return value


def _has_markup(value) -> bool:
    if isinstance(value, str):
        return "<" in value or ">" in value or "&" in value
    if isinstance(value, (list, tuple)):
        return any(_has_markup(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OU":
        return any(_has_markup(v) for v in value.ravel().tolist())
    return False


def figure(fig: go.Figure) -> go.Figure:
    """``fig`` with every data string of its traces and categorical axes escaped by
    ``label`` (in place; returned for chaining). ``<br>`` stays a line break: the chart
    builders wrap hover texts with it, and a break carries no link or style. Properties
    without ``<``, ``>`` or ``&`` are left alone (each assignment costs plotly a check)."""
    for trace in fig.data:
        for prop in _TRACE_TEXT:
            if prop in trace and _has_markup(trace[prop]):
                trace[prop] = _label_keeping_breaks(trace[prop])
    for axis in [k for k in fig.layout if k.startswith(("xaxis", "yaxis"))]:
        for prop in _AXIS_TEXT:
            if _has_markup(fig.layout[axis][prop]):
                fig.layout[axis][prop] = _label_keeping_breaks(fig.layout[axis][prop])
    return fig
