"""Coverage Lens dashboard: page config, navigation over pages/, shared sidebar filters.

Run with:  streamlit run dashboard.py
"""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from analysis.store import StoreBusy
from ui import access, data, filters

# (file, title, icon): a page appears once its file exists.
PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/compare.py", "Compare", ":material/compare:"),
    ("pages/sources.py", "Sources", ":material/record_voice_over:"),
    ("pages/actors.py", "Actors", ":material/groups:"),
    ("pages/tone.py", "Tone", ":material/mood:"),
    ("pages/readability.py", "Readability", ":material/menu_book:"),
    ("pages/coverage.py", "Coverage", ":material/join_inner:"),
    ("pages/stories.py", "Stories", ":material/timeline:"),
    ("pages/article.py", "Article", ":material/article:"),
    ("pages/corpus.py", "Corpus", ":material/database:"),
    ("pages/report.py", "Report", ":material/slideshow:"),
]
HERE = Path(__file__).parent
log = logging.getLogger("coverage_lens")

# The icon is a local file: a Material icon name makes the browser fetch it from a font server.
st.set_page_config(page_title="Coverage Lens", page_icon=str(HERE / "ui" / "favicon.png"), layout="wide")
page = st.navigation([st.Page(f, title=t, icon=i, default=(f == PAGES[0][0]))
                      for f, t, i in PAGES if (HERE / f).is_file()])


def store_notice() -> None:
    """Say in the sidebar when the store holds the bundled sample (one click removes it) or
    nothing at all (one click loads the sample), so nobody mistakes either for their data."""
    shown = data.sample_ids()
    if shown:
        st.sidebar.info(f"The {len(shown)} sample articles bundled with Coverage Lens are in this "
                        "store, beside anything you import.", icon=":material/info:")
        if access.can_edit() and st.sidebar.button("Remove the sample articles", key="remove_sample"):
            data.remove_sample()
            st.rerun()
    elif data.load_metrics().empty:
        where = f" ({data.db()})" if access.can_edit() else ""  # a viewer is not told the path
        st.sidebar.info(f"This store{where} holds no articles yet: import yours on the "
                        "Corpus page.", icon=":material/info:")
        if access.can_edit() and st.sidebar.button("Load the sample articles", key="load_sample"):
            with st.spinner("Analyzing the sample articles…"):
                data.load_sample()
            st.rerun()


try:
    data.ensure_corpus()
    st.session_state["_selection"] = filters.sidebar(data.load_metrics(), data.actor_names())
    store_notice()
    page.run()
except StoreBusy as exc:
    st.warning(f"{exc} The page will work again once it has finished: reload it then.")
except Exception as exc:  # never a raw traceback in the page; the log keeps it
    log.exception("page failed")
    # The error's kind only: its message may hold a server path or article text.
    st.error(f"This page could not be drawn ({type(exc).__name__}). "
             "The stored articles are untouched; try another page or reload.")
finally:
    data.warm_up()  # once the page is drawn: the frames other pages need, in the background
