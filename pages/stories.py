"""Stories: every story with its outlets, dates and leanings; one story over time, by side,
and its headlines side by side."""
import pandas as pd
import streamlit as st

from analysis import sides
from ui import data, filters, leaning, safe, story_views, tables

df, sel = filters.page_start("Stories")
df = leaning.with_leaning(df)
rated = leaning.known(df)

stories = story_views.story_table(df)
st.subheader(f"{len(stories):,} stor{'y' if len(stories) == 1 else 'ies'} in the selection")
tables.show(stories, "stories", key="dl-stories")
st.caption("Per story label: articles, outlets, first and last publication date, articles per "
           "outlet leaning, and the headline of its earliest article. Labels come from the "
           "import or the Corpus page.")

if df["story"].nunique() > 1 and df["published"].notna().any():
    st.plotly_chart(story_views.timeline(df, "story", {}), key="st-attention")
    st.caption("Attention over time: articles per publication day (per week over more than "
               f"{story_views.WEEKLY_AFTER_DAYS} days), stacked by story, the "
               f"{story_views.TIMELINE_GROUPS} largest apart; undated articles left out.")

if rated:
    spots = sides.blindspots(df)
    st.subheader("Blindspots")
    if spots:
        tables.show(story_views.blindspot_table(spots), "blindspots", key="dl-blindspots")
    else:
        st.info("No story is covered mostly by one side.")
    st.caption(f"A blindspot: at least {sides.BLINDSPOT_MIN_OUTLETS} outlets of known leaning cover "
               f"the story and {sides.BLINDSPOT_SHARE:.0%} or more of them are on one side (left = "
               "left and lean left, right = lean right and right), while the corpus has outlets of "
               "the other side. Outlets are counted, not articles.")

counts = df["story"].value_counts()
story = counts.index[0]
if len(counts) > 1:
    wanted = st.query_params.get("st_story")
    story = st.selectbox("Story", counts.index.tolist(), key="st_story",
                         index=counts.index.tolist().index(wanted) if wanted in counts else 0,
                         format_func=lambda s: f"{s} ({counts[s]:,} articles)")
    if st.query_params.get("st_story") != story:
        st.query_params["st_story"] = story
part = df[df["story"] == story]
st.header(safe.md(story))

c1, c2, c3 = st.columns(3)
c1.metric("Articles", f"{len(part):,}")
c2.metric("Outlets", part["outlet"].nunique())
dated = pd.to_datetime(part["published"], errors="coerce").dropna()
c3.metric("Days", (dated.max() - dated.min()).days + 1 if len(dated) else "—",
          help="from the first to the last publication date")
if rated:
    st.plotly_chart(leaning.distribution_chart(sides.distribution(part)), key="st-dist")
    st.caption("Articles of this story per outlet leaning (from your outlets file).")

st.subheader("Over time")
if dated.empty:
    st.info("No article of this story has a publication date: the timeline needs dates "
            "(a `published` column or field in the import).")
else:
    by = leaning.group_control(part, key="st_by")
    colors = leaning.grouped(part, by)[1]
    st.plotly_chart(story_views.timeline(part, by, colors), key="st-timeline")
    st.caption(f"Articles per publication day (per week over more than "
               f"{story_views.WEEKLY_AFTER_DAYS} days), stacked by {by}"
               + (f"; {len(part) - len(dated)} undated article(s) left out."
                  if len(dated) < len(part) else "."))

st.subheader("Headlines side by side")
tables.show(story_views.headlines(part), "headlines", key="dl-headlines")
st.caption("Headline sentiment: VADER, -1 to +1; headline - body: the headline's sentiment minus "
           "the body's (above 0: rosier headline); sensationalism: share of four signals present "
           "(question or exclamation, capitals, loaded words, a tone far from the body's), 0 to 1.")

if len(part) < 2:
    st.info("One article: nothing to compare within this story.")
    st.stop()
aligned = story_views.aligned_subset(part)
if len(aligned) < len(part):
    st.info(f"Facts are aligned over {len(aligned)} of the story's {len(part):,} articles (the "
            "latest of each outlet first); narrow the selection in the sidebar to align others.",
            icon=":material/info:")
result = story_views.story_sides(data.selection_key(aligned), aligned)

st.subheader("Who reported each fact first")
if result["first"]:
    first = pd.DataFrame([{"Fact": f["fact"], "First reported": f["first"],
                           "By": ", ".join(f["first_outlets"]), "Outlets carrying it": f["n_outlets"],
                           "Last reported": f["last"]} for f in result["first"]])
    tables.show(first, "first reports", key="dl-first")
    st.caption("Facts carried by two or more outlets (sentences aligned as on the Coverage page), "
               "with the earliest publication date among their dated articles; dates have a "
               "day's resolution, so outlets of the same day tie.")
else:
    st.info("Needs facts carried by two or more outlets in articles with publication dates.")

st.subheader("Carried by one side only")
present = {sides.side_of(v) for v in aligned["leaning"]} - {None}
if not rated:
    st.info("No outlet of this selection has a known leaning. Rate outlets in your outlets file "
            "(Corpus page, Outlets tab, or import a CSV of ratings) to see what each side carries.")
elif len(present) < 2:
    st.info("Only one side's outlets (of known leaning) cover this story: nothing can be "
            "one-sided within it. See the blindspots above.")
else:
    story_views.one_sided_tabs(result)
    st.caption("An item is one-sided when every outlet of known leaning that carries it is on one "
               "side and the story has articles from another side; unrated outlets carrying it "
               "are listed but do not count. Evidence: each carrying article's sentence. Actors "
               "count only when the other sides' texts do not name them at all.")
