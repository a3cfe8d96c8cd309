"""Corpus: import articles (files, zip, URLs, pasted text), label, delete, re-analyze, export.

Editors (ui.access.can_edit) see every tab; viewers see the stored articles and the export.
"""
import datetime as dt
import logging
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import exports, formats, ingest, pipeline, store
from ui import access, data, filters, outlets_edit, safe, stories_edit, tables

UPLOAD_TYPES = ["txt", "md", "html", "htm", "csv", "tsv", "json", "jsonl", "zip"]
log = logging.getLogger("coverage_lens")

filters.require_dashboard()
st.title("Corpus")
st.caption("Everything stored, whatever the sidebar filters say. Articles are stored once: "
           "the same text imported again is skipped, an edited file or page replaces its "
           "stored version, a near-copy is stored and flagged.")
if notice := st.session_state.pop("corpus_notice", None):
    st.success(notice)


def report_rows(report: pipeline.ImportReport) -> pd.DataFrame:
    """One row per imported item: what happened to it and why."""
    near = {id(a): note for a, note in report.near_duplicates}
    rows = [(r.source_name, "refused", r.reason) for r in report.refused]
    rows += [(a.source_name, "skipped as duplicate", f"already stored ({a.article_id})")
             for a in report.duplicates]
    rows += [(a.source_name, "added, near-duplicate" if id(a) in near else "added",
              near.get(id(a), f"{a.outlet} — {a.title or 'no headline'}")) for a in report.added]
    rows += [(a.source_name, "replaced (edited)",
              f"new version of {olds[-1].title or olds[-1].source_name!r} ({olds[-1].article_id}); "
              f"labels kept" + (f"; {near[id(a)]}" if id(a) in near else ""))
             for a, olds in report.replaced]
    rows += [(a.source_name, "re-analyzed", "stored before with an older analysis")
             for a in report.reanalyzed]
    return pd.DataFrame(rows, columns=["Item", "Result", "Detail"])


def run_import(items) -> None:
    """Import with a progress bar; the per-item result list is kept for the next rerun."""
    bar = st.progress(0.0, text="Reading…")
    items = list(items)

    def show(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Analyzed {done} of {total} articles")

    try:
        report = pipeline.import_articles(items, data.db(), progress=show)
    except store.StoreBusy:
        raise  # the dashboard says the store is busy
    except Exception as exc:  # the log has the details; the page names no path
        log.exception("import failed")
        bar.empty()
        st.error(f"The import failed ({type(exc).__name__}); nothing was stored. The server's "
                 "log has the details.")
        return
    bar.empty()
    st.session_state["corpus_result"] = (report.summary(), report_rows(report))


def read_uploads(files, urls: list[str], outlet, story, mapping) -> list:
    """Articles and refusals from the uploaded files and URLs, with a progress bar."""
    bar = st.progress(0.0, text="Reading files…")
    total = len(files) + len(urls)
    items = []
    for n, f in enumerate(files, start=1):
        items += ingest.read_upload(f.name, f.getvalue(), outlet=outlet, story=story,
                                    mapping=mapping)
        bar.progress(n / total, text=f"Read {n} of {total} inputs")
    for n, url in enumerate(urls, start=len(files) + 1):
        items += ingest.read_url(url, outlet=outlet, story=story, mapping=mapping)
        bar.progress(n / total, text=f"Fetched {n} of {total} inputs")
    bar.empty()
    return items


editor = access.can_edit()
# What is stored comes first, for editors too (issue 21: it was under Labels).
TABS = (["Stored articles", "Import", "Paste text", "Labels", "Stories", "Delete",
         "Re-analyze and export"]
        if editor else ["Stored articles", "Export"])
TABS.append("Outlets")  # outlet profiles and leanings, for viewers read only
tabs = dict(zip(TABS, st.tabs(TABS)))
if not editor:
    access.viewer_note("importing, relabelling, deleting and re-analyzing")
else:
    with tabs["Import"]:
        files = st.file_uploader("Files: .txt, .html, .csv, .json, .jsonl, or a .zip of them",
                                 type=UPLOAD_TYPES, accept_multiple_files=True, key="corpus_files")
        urls = st.text_area("Or web addresses, one per line", key="corpus_urls",
                            help="Fetched now, from public addresses only, with a 30 s time limit "
                                 "and a 5 MB size limit per page.")
        c1, c2, c3 = st.columns(3)
        outlet = c1.text_input("Outlet", key="corpus_outlet",
                               help="For text files; pages and table rows keep the site or outlet "
                                    "they name, and use this only when they name none.")
        story = c2.text_input("Story", key="corpus_story",
                              help="Story label for every imported article; auto: find the "
                                   "stories of the articles that have none (see the Stories tab).")
        mapping_text = c3.text_input("Column mapping (CSV/JSON)", key="corpus_map",
                                     placeholder="hed=title, copy=text",
                                     help="COLUMN=FIELD pairs, for columns the importer does not "
                                          f"recognize. Fields: {', '.join(formats.FIELDS)}.")
        if st.button("Import", type="primary", key="corpus_import"):
            url_list = [u.strip() for u in urls.splitlines() if u.strip()]
            try:
                mapping = formats.parse_mapping(mapping_text)
            except ValueError as exc:
                st.error(str(exc))
            else:
                if not files and not url_list:
                    st.warning("Choose files or enter web addresses first.")
                else:
                    auto = story.strip() == stories_edit.AUTO
                    run_import(read_uploads(files or [], url_list, outlet.strip() or None,
                                            None if auto else story.strip() or None, mapping))
                    if auto:
                        stories_edit.find_after_import()

    with tabs["Paste text"]:
        with st.form("corpus_paste", clear_on_submit=True):
            c1, c2, c3, c4 = st.columns(4)
            p_title = c1.text_input("Headline", key="paste_title")
            p_outlet = c2.text_input("Outlet", key="paste_outlet")
            p_date = c3.date_input("Date", value=None, key="paste_date")
            p_story = c4.text_input("Story", key="paste_story")
            p_text = st.text_area("Article text", height=250, key="paste_text")
            if st.form_submit_button("Add article"):
                try:
                    article = ingest.read_pasted(p_text, title=p_title, outlet=p_outlet.strip() or None,
                                                 published=p_date, story=p_story.strip() or None)
                except ingest.RefusedInput as exc:
                    run_import([ingest.Refusal("pasted text", str(exc))])
                else:
                    run_import([article])

if "corpus_result" in st.session_state:
    summary, rows = st.session_state["corpus_result"]
    st.subheader("Last import")
    (st.success if "0 refused" in summary else st.warning)(summary)
    tables.show(rows, "import results", key="dl-import-results")

metrics = data.load_metrics()
labels = data.article_names(metrics)


def stored_table() -> None:
    if metrics.empty:
        st.info("No articles are stored yet: import some in the Import tab.")
        return
    notes = metrics["ingest_notes"].map(
        lambda ns: "; ".join(n for n in ns if n.startswith("near-duplicate")))
    table = metrics.assign(flags=notes, title=metrics["title"].fillna("(no headline)"))[
        ["outlet", "story", "title", "published", "source_name", "word_count", "flags",
         "article_id"]].rename(columns={
            "outlet": "Outlet", "story": "Story", "title": "Title", "published": "Published",
            "source_name": "File", "word_count": "Words", "flags": "Near-duplicate of",
            "article_id": "Article id"})
    # the id is for the download (to match other exports), not for reading
    tables.show(table, "stored articles", key="dl-stored-articles",
                column_order=[c for c in table.columns if c != "Article id"])


def export_controls() -> None:
    st.markdown("**Export** every article with its metrics (JSON keeps every detail; CSV and "
                "Excel hold one row of scalar metrics per article).")
    fmt = st.radio("Format", exports.FORMATS, horizontal=True, key="export_format")
    if st.button("Prepare export", key="export_go"):
        try:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / f"coverage-lens-{dt.date.today():%Y-%m-%d}.{fmt}"
                exports.write(store.export_records(data.db()), out, fmt)
                st.session_state["corpus_export"] = (out.name, out.read_bytes())
        except store.StoreBusy:
            raise
        except Exception as exc:  # never the article text or a path in the page
            log.exception("export failed")
            st.error(f"The export failed ({type(exc).__name__}). The server's log has the details.")
    if "corpus_export" in st.session_state:
        name, blob = st.session_state["corpus_export"]
        st.download_button(f"Download {name}", blob, file_name=name, key="export_download")


with tabs["Stored articles"]:
    stored_table()
with tabs["Outlets"]:
    outlets_edit.show(metrics, editor=editor)
if not editor:
    with tabs["Export"]:
        export_controls()
else:
    with tabs["Labels"]:
        if metrics.empty:
            st.info("The store is empty: import articles first.")
        else:
            st.markdown("**Rename an outlet or a story** (every article carrying it)")
            c1, c2, c3 = st.columns([2, 2, 3])
            column = c1.selectbox("Label", ["outlet", "story"], key="rename_column")
            names = sorted(metrics[column].dropna().unique())
            old = c2.selectbox("Current name", names, key="rename_old")
            new = c3.text_input("New name", key="rename_new")
            if st.button("Rename", key="rename_go") and new.strip():
                ids = metrics.loc[metrics[column] == old, "article_id"].tolist()
                store.update_labels(ids, db=data.db(), **{column: new.strip()})
                st.session_state["corpus_notice"] = (f"Renamed {column} {safe.md(repr(old))} to "
                                                     f"{safe.md(repr(new.strip()))} on {len(ids)} "
                                                     f"articles.")
                st.rerun()
            st.markdown("**Relabel chosen articles**")
            chosen = st.multiselect("Articles", list(labels), format_func=labels.get, key="relabel_ids")
            c1, c2 = st.columns(2)
            r_outlet = c1.text_input("New outlet (empty: unchanged)", key="relabel_outlet")
            r_story = c2.text_input("New story (empty: unchanged)", key="relabel_story")
            if st.button("Apply labels", key="relabel_go", disabled=not chosen):
                store.update_labels(chosen, outlet=r_outlet.strip() or None,
                                    story=r_story.strip() or None, db=data.db())
                st.session_state["corpus_notice"] = f"Relabelled {len(chosen)} articles."
                st.rerun()

    with tabs["Stories"]:
        stories_edit.show(metrics, labels)

    with tabs["Delete"]:
        doomed = st.multiselect("Articles to delete", list(labels), format_func=labels.get,
                                key="delete_ids")
        sure = st.checkbox(f"Yes, delete {len(doomed)} article(s) and their analysis",
                           key="delete_sure")
        if st.button("Delete", key="delete_go", disabled=not (doomed and sure)):
            store.delete(doomed, db=data.db())
            st.session_state["corpus_notice"] = f"Deleted {len(doomed)} articles."
            st.rerun()

    with tabs["Re-analyze and export"]:
        stale = data.stale_count()
        st.markdown(f"**Re-analyze** — {stale} of {len(metrics)} articles were analyzed with older "
                    "lexicons, aliases or code.")
        everything = st.checkbox("Re-analyze every article, not only out-of-date ones",
                                 key="reanalyze_all")
        if st.button("Re-analyze", key="reanalyze_go"):
            bar = st.progress(0.0, text="Re-analyzing…")
            n = pipeline.reanalyze(data.db(), everything=everything, progress=lambda d, t: bar.progress(
                d / max(t, 1), text=f"Re-analyzed {d} of {t} articles"))
            st.session_state["corpus_notice"] = f"Re-analyzed {n} articles."
            st.rerun()
        export_controls()
