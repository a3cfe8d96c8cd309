"""One colour per outlet, the same on every chart and page."""
from __future__ import annotations

# Okabe-Ito (colour-blind safe) first, then Plotly's D3 set for larger corpora.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#7F7F7F", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
           "#E377C2", "#BCBD22", "#17BECF"]


def outlet_colors(outlets) -> dict[str, str]:
    """Colour of each outlet, assigned in sorted order so every page agrees."""
    names = sorted({str(o) for o in outlets})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


# Sentiment and speaker colours used by the annotated reader.
NEGATIVE = "#D55E00"
POSITIVE = "#009E73"
