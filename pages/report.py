"""Report: a meeting-ready summary of the current selection, as one HTML file and slide PNGs."""
import functools

import streamlit as st

from ui import data, filters, report, safe, tables

df, sel = filters.page_start("Report")

selection = filters.describe(sel, len(df), len(data.load_metrics()))
title = st.text_input("Report title", "Coverage Lens report", key="report_title")
rep = data.report_for(df, selection, title)
st.download_button("Download the report (HTML, works offline)", lambda: report.to_html(rep).encode("utf-8"),
                   file_name="coverage-lens-report.html", mime="text/html", type="primary",
                   key="report_html")

st.header("Key findings")
st.markdown("\n".join(f"- {safe.md(s)}" for s in rep.findings))


@st.cache_resource(show_spinner=False)
def _png_server() -> bool:
    """One kaleido browser for the process: the first PNG takes seconds, later ones well under one."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    return True


def _png(item: report.ReportFigure) -> bytes:
    _png_server()
    return report.png(item)


for name, item in rep.figures.items():
    st.subheader(item.title)
    st.plotly_chart(item.figure, key=f"report-{name}")
    st.caption(item.caption)
    st.download_button("Download as PNG (1600×900, with title and note)", functools.partial(_png, item),
                       file_name=f"{name}.png", mime="image/png", key=f"png-{name}")

st.header("Outlets compared")
st.caption("Per article: each outlet's mean over its articles.")
tables.show(rep.table, "outlet comparison", key="report-table")
