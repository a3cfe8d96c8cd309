"""Sources: who each outlet lets speak, and how transparently it names them."""
import streamlit as st

from analysis import sources
from ui import charts, data, filters, leaning, limits, tables

df, sel = filters.page_start("Sources")

items = data.select_items("attributions", df["article_id"])  # with their ``speaker``
if items.empty:
    st.info("No quotes, paraphrases or \"according to\" attributions were found in these articles.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Attributions", f"{len(items):,}", help="quotes, paraphrases and \"according to\" in the selection")
c2.metric("Direct quotes", f"{int(items['kind'].isin(['direct', 'mixed']).sum()):,}")
c3.metric("Distinct named sources", items.loc[items["source_type"].isin(sources.NAMED_TYPES), "speaker"].nunique(),
          help="different named people and organisations quoted or paraphrased (one speaker quoted "
               "five times counts once)")
c4.metric("Anonymous or vague", f"{items['source_type'].isin(['anonymous', 'vague']).mean():.0%}",
          help="share of attributions to unnamed (\"officials\") or vague (\"critics\") sources")

by_group, colors = leaning.grouped(df, leaning.group_control(df, key="src_by"))
grouped_items = leaning.regroup(items, by_group)  # by leaning, each attribution's outlet is its leaning
mix = sources.type_mix(grouped_items)

# One chart per row: seven source types and long outlet names need the page's width.
st.subheader("Source types by outlet")
st.plotly_chart(charts.source_type_mix(mix), key="src-mix")
st.caption("Share of each outlet's attributions by source type: a named person or "
           "organisation, a news outlet, a document, anonymous (\"officials\"), vague "
           "(\"critics\", \"reports\") or a pronoun that could not be resolved.")
st.subheader("Named, anonymous, vague")
st.plotly_chart(charts.source_share_compare(mix, colors), key="src-shares")
st.caption("The same shares side by side for the three kinds analysts compare most: "
           "attributions to named sources against anonymous and vague ones.")

st.subheader("Who each outlet lets speak")
top = st.slider("Speakers shown", 5, 40, 15, key="src_top")
matrix = sources.speaker_matrix(grouped_items, top)
if matrix.empty:
    st.caption("No named speaker in these articles.")
else:
    st.plotly_chart(charts.speaker_outlet_matrix(matrix), key="src-matrix")
    st.caption(f"Attributions to the {len(matrix)} most cited named speakers (people, "
               "organisations, outlets) per outlet; pronouns and role nouns (\"the president\") "
               "count for the person named before them. A blank cell: that outlet never quotes them.")
    tables.show(matrix.reset_index(), "speakers by outlet", key="dl-src-matrix")

st.subheader("Every attribution")
f1, f2, f3 = st.columns([3, 3, 2])
types = f1.multiselect("Source types", sources.SOURCE_TYPES, default=list(sources.SOURCE_TYPES),
                       format_func=charts.human, key="src_types")
kinds = f2.multiselect("Forms", sorted(items["kind"].unique()), default=sorted(items["kind"].unique()),
                       format_func=charts.human, key="src_kinds")
who = f3.text_input("Speaker contains", key="src_who")
keep = items["source_type"].isin(types) & items["kind"].isin(kinds)
if who:
    keep &= items["speaker"].str.contains(who, case=False, regex=False)
columns = {"speaker": "Speaker", "source_type": "Source type", "source": "Source as written",
           "cue": "Cue", "kind": "Form", "content": "Quote or paraphrase", "outlet": "Outlet",
           "article_id": "Article"}
table = items[list(columns)] if keep.all() else items.loc[keep, list(columns)]
table = table.assign(article_id=table["article_id"].map(data.article_names(df)),
                     source_type=table["source_type"].map(charts.human),
                     kind=table["kind"].map(charts.human)).rename(columns=columns)
tables.show(table, "attributions", key="dl-src-table")
st.caption("Form: a direct quote, a paraphrase with quoted words, a paraphrase, or \"according "
           "to\". A quote without its own cue takes the speaker before it.")

st.subheader("Quotes several outlets share")


@st.cache_data(show_spinner="Matching quotes across outlets…", max_entries=16)
def shared_quotes(selection: str, _items):
    return sources.shared_quotes(_items)


quoted = int(items["kind"].isin(["direct", "mixed"]).sum())
note = st.empty()
match_all = quoted > limits.SHARED_QUOTES and st.toggle(
    f"Match all {quoted:,} quotes (about {quoted * limits.SECONDS_PER_QUOTE:.0f} s)", key="src_match_all")
if quoted > limits.SHARED_QUOTES and not match_all:
    note.info(f"These articles hold {quoted:,} direct and mixed quotes; matching them across "
            f"outlets takes about {quoted * limits.SECONDS_PER_QUOTE:.0f} s, so it runs by itself for "
            f"up to {limits.SHARED_QUOTES:,}. Narrow the selection in the sidebar (a story, a few "
            "outlets or dates), or turn on the switch below to match them all.")
else:
    shared = shared_quotes(data.selection_key(df), items)
    if shared.empty:
        st.caption("No quotation appears in more than one outlet's articles in this selection.")
    else:
        tables.show(shared, "shared quotes", key="dl-src-shared")
        st.caption("Quotations found in articles of two or more outlets (matched on a run of six "
                   "identical words, ignoring case and punctuation).")
