"""Coverage Lens dashboard: page config, navigation over pages/, shared sidebar filters.

Run with:  streamlit run dashboard.py
"""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from analysis.store import StoreBusy
from ui import data, filters

# (file, title, icon): a page appears once its file exists.
PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/compare.py", "Compare", ":material/compare:"),
    ("pages/sources.py", "Sources", ":material/record_voice_over:"),
    ("pages/actors.py", "Actors", ":material/groups:"),
    ("pages/tone.py", "Tone", ":material/mood:"),
    ("pages/readability.py", "Readability", ":material/menu_book:"),
    ("pages/coverage.py", "Coverage", ":material/join_inner:"),
    ("pages/article.py", "Article", ":material/article:"),
    ("pages/corpus.py", "Corpus", ":material/database:"),
    ("pages/report.py", "Report", ":material/slideshow:"),
]
HERE = Path(__file__).parent
log = logging.getLogger("coverage_lens")

st.set_page_config(page_title="Coverage Lens", page_icon=":material/newspaper:", layout="wide")
page = st.navigation([st.Page(f, title=t, icon=i, default=(f == PAGES[0][0]))
                      for f, t, i in PAGES if (HERE / f).is_file()])

try:
    data.ensure_corpus()
    st.session_state["_selection"] = filters.sidebar(data.load_metrics(), data.actor_names())
    page.run()
except StoreBusy as exc:
    st.warning(f"{exc} The page will work again once it has finished: reload it then.")
except Exception as exc:  # never a raw traceback in the page; the log keeps it
    log.exception("page failed")
    st.error(f"This page could not be drawn ({type(exc).__name__}: {exc}). "
             "The stored articles are untouched; try another page or reload.")
finally:
    data.warm_up()  # once the page is drawn: the frames other pages need, in the background
