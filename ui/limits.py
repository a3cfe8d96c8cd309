"""How much a page draws or computes by itself, so that every page stays quick on a large
corpus (10,000 articles: first render within 2 s, a filter change within 0.5 s). Above each
limit the page says what it shows instead and how to narrow the selection.
"""

# Charts that draw one row per article (bars, boxes, sentence strips, article columns) do so
# up to this many articles; above it they draw each outlet's distribution or mean.
ARTICLE_ROWS = 40
# Scatter plots draw at most this many articles: a seeded random sample above it.
POINTS = 1_000
# Rows a table sends to the browser; its download always has every row.
TABLE_ROWS = 10_000
# Coverage: articles of one story whose sentences are aligned by default (the latest of each
# outlet first), and the most a user can ask for. Aligning compares every sentence with
# every other: about 1 s for 40 articles, 20 s for 200.
ALIGNED = 40
ALIGNED_MAX = 200
# Sources: quotes matched across outlets without asking (analysis.sources.shared_quotes
# takes about 0.4 ms a quote: 30 s for the 70,000 quotes of 10,000 articles).
SHARED_QUOTES = 1_500
SECONDS_PER_QUOTE = 0.0004
# Until a page has loaded a whole table of rows (e.g. every actor of every article), the rows
# of at most this many articles are read on their own: Compare, Coverage, and any page whose
# filters leave that few.
FEW_ARTICLES = 200
# Stores of at least this many articles load their shared frames in a background thread
# after the first render (a smaller store loads them in moments when a page asks).
WARM_UP_ARTICLES = 1_000
