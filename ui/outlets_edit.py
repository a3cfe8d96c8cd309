"""The Corpus page's Outlets tab: each stored outlet's profile (display name, leaning,
country, kind, owner, domains), edited in a table or imported from a CSV of ratings, and
saved to the user's outlets file (``analysis.outlets``; docs/outlets.md)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import outlets

from . import safe, tables

COLUMNS = {"outlet": "Outlet label", "outlet_name": "Display name", "leaning": "Leaning",
           "country": "Country", "kind": "Kind", "owner": "Owner", "domains": "Domains",
           "n_articles": "Articles"}
TEMPLATE = ("outlet,leaning,domains,aliases,country,kind,owner\n"
            "Example Gazette,center,gazette.example,The Gazette,GB,newspaper,Example Media Ltd\n")


def profile_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet label of ``metrics`` with its profile and domains (";"-joined)."""
    frame = outlets.outlet_frame(metrics)
    table = outlets.load_outlets()
    frame["domains"] = [("; ".join(table.profiles[n].domains) if n in table.profiles else "")
                        for n in frame["outlet_name"]]
    return frame[list(COLUMNS)]


def changed_entries(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, dict]:
    """The user-file entries (display name -> fields) for the rows edited in ``after``; an
    outlet label other than the display name is kept as an alias, so its articles still
    find the profile."""
    entries: dict[str, dict] = {}
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
        if all(str(old[c]) == str(new[c]) for c in COLUMNS if c != "n_articles"):
            continue
        name = str(new["outlet_name"] or new["outlet"]).strip()
        entry = {"leaning": new["leaning"] or outlets.UNKNOWN,
                 "country": str(new["country"] or "").strip(), "kind": new["kind"] or "",
                 "owner": str(new["owner"] or "").strip(),
                 "domains": [d.strip() for d in str(new["domains"] or "").replace(",", ";").split(";")
                             if d.strip()]}
        if new["outlet"].strip().casefold() != name.casefold():
            known = outlets.load_outlets().profiles.get(name)
            entry["aliases"] = list(dict.fromkeys([*(known.aliases if known else ()), new["outlet"]]))
        entries[name] = entry
    return entries


def show(metrics: pd.DataFrame, *, editor: bool) -> None:
    """The tab: the profiles table (editable for editors), the CSV import and downloads."""
    st.markdown("**Outlet profiles**: display name, leaning, country, kind and owner of each "
                "outlet in the store. Coverage Lens ships names, domains and owners but rates no "
                "outlet: leanings are yours (typed here or imported from a CSV of ratings). An "
                "article finds its profile by its outlet label (a display name or alias) or by "
                "its web address's domain.")
    if metrics.empty:
        st.info("The store is empty: import articles first.")
        return
    try:
        before = profile_table(metrics)
    except ValueError as exc:  # a broken outlets file: its name, the outlet and the fault
        st.error(safe.md(str(exc)) if editor else "The outlets file could not be read.")
        return
    if not editor:
        tables.show(before.rename(columns=COLUMNS), "outlet profiles", key="dl-outlet-profiles")
        return
    after = st.data_editor(
        before, key="outlets_editor", hide_index=True, width="stretch", num_rows="fixed",
        disabled=["outlet", "n_articles"],
        column_config={
            **{c: st.column_config.TextColumn(h) for c, h in COLUMNS.items()},
            "leaning": st.column_config.SelectboxColumn("Leaning", options=list(outlets.LEANINGS),
                                                        required=True),
            "kind": st.column_config.SelectboxColumn("Kind", options=["", *outlets.KINDS]),
            "n_articles": st.column_config.NumberColumn("Articles"),
            "domains": st.column_config.TextColumn("Domains", help="separated by ;")})
    entries = changed_entries(before, after)
    if st.button(f"Save {len(entries)} changed profile(s)", key="outlets_save", disabled=not entries):
        try:
            outlets.save_user_outlets(entries)
        except ValueError as exc:
            st.error(safe.md(str(exc)))
        else:
            st.session_state["corpus_notice"] = (f"Saved {len(entries)} outlet profile(s) to your "
                                                 "outlets file.")
            st.rerun()
    st.caption(f"Saved to your outlets file ({safe.md(outlets.user_outlet_path())}), which "
               "overrides the shipped one field by field. Pages pick changes up on their next run.")

    st.markdown("**Import ratings from CSV** (columns `outlet`, `leaning`; optional `domains`, "
                "`aliases`, `country`, `kind`, `owner`; see docs/outlets.md)")
    upload = st.file_uploader("Ratings CSV", type=["csv", "tsv", "txt"], key="outlets_csv")
    if upload is not None and st.button("Import ratings", key="outlets_import"):
        try:
            _, n = outlets.import_ratings_csv(upload.getvalue(), upload.name)
        except ValueError as exc:  # the message names the file and the line
            st.error(safe.md(str(exc)))
        else:
            st.session_state["corpus_notice"] = (f"Imported the ratings of {n} outlet(s) from "
                                                 f"{safe.md(upload.name)}.")
            st.rerun()
    st.download_button("Download a CSV template", TEMPLATE, file_name="outlet-ratings.csv",
                       mime="text/csv", key="outlets_template")
