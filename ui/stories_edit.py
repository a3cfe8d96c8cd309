"""The Corpus page's Stories tab: find the stories of unlabelled articles, list the stories
found, and edit them (rename, merge, move articles or split them off). The grouping and the
edits are analysis.stories'; edits are logged in the store and survive a regrouping, a
re-analysis and a new import."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import stories, store
from ui import data, safe, tables

NEW_STORY = "(a new story)"
AUTO = stories.AUTO  # typed as the Import tab's story: find the stories after the import


def story_table(metrics: pd.DataFrame, detected: set[str]) -> pd.DataFrame:
    """One row per story: how it was labelled, its articles, outlets and publication span."""
    if metrics.empty:
        return pd.DataFrame(columns=["Story", "Found by", "Articles", "Outlets", "First", "Last"])
    published = pd.to_datetime(metrics["published"], errors="coerce").dt.date
    rows = []
    for label, part in metrics.assign(published=published).groupby("story", sort=True):
        rows.append({"Story": label,
                     "Found by": ("detection" if label in detected else
                                  "nobody (unlabelled)" if label == stories.UNLABELLED else "hand"),
                     "Articles": len(part), "Outlets": ", ".join(sorted(part["outlet"].unique())),
                     "First": part["published"].min(), "Last": part["published"].max()})
    return pd.DataFrame(rows).sort_values(["Found by", "Articles"], ascending=[True, False])


def _done(message: str) -> None:
    st.session_state["corpus_notice"] = message
    st.rerun()


def find_controls(metrics: pd.DataFrame) -> None:
    n = int((metrics["story"] == stories.UNLABELLED).sum()) if not metrics.empty else 0
    st.markdown(f"**Find stories** — {n} of {len(metrics)} articles have no story label. Articles "
                "reporting the same event within a few days, with shared content and actors, "
                "become one story; stories found before stay, new articles join them or start "
                "new ones. Hand labels are never changed.")
    regroup = st.checkbox("Regroup every story found before (your edits are replayed)",
                          key="stories_regroup")
    if st.button("Find stories", key="stories_find", type="primary", disabled=not (n or regroup)):
        with st.spinner("Grouping articles…"):
            placed = stories.detect(data.db(), regroup=regroup)
        _done(f"Placed {len(placed)} articles in {len(set(placed.values()))} stories.")


def find_after_import() -> None:
    """The Import tab's story "auto": group every article without a story label, now."""
    placed = stories.detect(data.db())
    st.success(f"Found stories: placed {len(placed)} articles without a story label in "
               f"{len(set(placed.values()))} stories (see the Stories tab).")


def edit_controls(metrics: pd.DataFrame, names: dict[str, str]) -> None:
    labels = sorted(metrics["story"].dropna().unique())
    labels = [s for s in labels if s != stories.UNLABELLED]
    if not labels:
        return
    st.markdown("**Rename a story**")
    c1, c2 = st.columns(2)
    old = c1.selectbox("Story", labels, key="stories_rename_old")
    new = c2.text_input("New name", key="stories_rename_new")
    if st.button("Rename story", key="stories_rename_go", disabled=not new.strip()):
        _edit(lambda: stories.rename(old, new, data.db()),
              f"Renamed the story {safe.md(repr(old))} to {safe.md(repr(new.strip()))}.")

    st.markdown("**Merge stories** into one")
    c1, c2 = st.columns(2)
    parts = c1.multiselect("Stories to merge", labels, key="stories_merge_parts")
    into = c2.selectbox("Into", labels, key="stories_merge_into")
    if st.button("Merge stories", key="stories_merge_go",
                 disabled=not [p for p in parts if p != into]):
        _edit(lambda: stories.merge(parts, into, data.db()),
              f"Merged {len(parts)} stories into {safe.md(repr(into))}.")

    st.markdown("**Move articles** to another story, or split them off into a new one")
    chosen = st.multiselect("Articles", list(names), format_func=names.get, key="stories_move_ids")
    c1, c2 = st.columns(2)
    to = c1.selectbox("To", [NEW_STORY, *labels], key="stories_move_to")
    name = c2.text_input("Name of the new story (empty: found from its articles)",
                         key="stories_move_name", disabled=to != NEW_STORY)
    if st.button("Move articles", key="stories_move_go", disabled=not chosen):
        target = None if to == NEW_STORY else to
        _edit(lambda: stories.move(chosen, target, data.db(), name=name.strip() or None),
              f"Moved {len(chosen)} articles.")


def _edit(action, message: str) -> None:
    try:
        action()
    except ValueError as exc:  # names the story or label the user typed
        st.error(str(exc))
        return
    _done(message)


def show(metrics: pd.DataFrame, names: dict[str, str]) -> None:
    """The tab's content; ``metrics`` is every stored article, ``names`` their menu names."""
    if metrics.empty:
        st.info("The store is empty: import articles first.")
        return
    find_controls(metrics)
    detected = set(store.story_state(data.db())["auto"].values())
    st.markdown("**Stories**")
    st.caption("Every story label in the store: found by detection, given by hand (an import's "
               "story, a manifest, the Labels tab), or none yet.")
    tables.show(story_table(metrics, detected), "stories", key="dl-stories")
    edit_controls(metrics, names)
