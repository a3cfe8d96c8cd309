"""Coverage across articles: time for 200 articles of one story, and paraphrase alignment.

Speed: 200 articles are generated from the bundled sample corpus by recombining its
sentences with variations (words dropped, synonyms swapped, sentences shuffled, and one
article in five copying a paragraph of another, as wire copy does). Timed: the fact groups
(ours), the same clustering over plain TF-IDF (the baseline the issue names), copied
passages and shared quotes.

Alignment: hand-written paraphrase pairs (two outlets reporting one fact in different
words) among distractors; precision / recall of the cross-article pairs put in one group,
for ours and for the plain TF-IDF baseline at its best threshold.

Run: /work/venv/bin/python benchmarks/coverage_speed.py   (writes benchmarks/results/coverage_speed.md)
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import coverage as cv  # noqa: E402
from analysis import embeddings, ingest  # noqa: E402
from analysis.model import Article  # noqa: E402

N_ARTICLES = 200
N_EMBED = 20  # the optional MiniLM path is timed on fewer articles (it is much slower)
SWAPS = {"said": "stated", "talks": "negotiations", "war": "conflict", "plan": "proposal",
         "meet": "visit", "peace": "peace", "deal": "agreement", "Trump": "the president",
         "ceasefire": "truce", "significant": "major", "week": "week"}


def generate(n: int = N_ARTICLES, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    sample = list(ingest.read_paths([ROOT / "data" / "sample"]))
    pool = [a.text[s:e] for a in sample for s, e in cv.split_sentences(a.text)]
    pool = [s for s in pool if len(s.split()) >= 6]
    out: list[Article] = []
    for k in range(n):
        picked = rng.sample(pool, rng.randint(20, 35))
        sentences = []
        for s in picked:
            words = s.split()
            if rng.random() < 0.3:
                del words[rng.randrange(1, len(words) - 1)]
            words = [SWAPS.get(w, w) if rng.random() < 0.5 else w for w in words]
            sentences.append(" ".join(words))
        paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
        if out and rng.random() < 0.2:  # wire copy: a paragraph taken verbatim
            donor = rng.choice(out).text.split("\n\n")
            paragraphs.insert(1, rng.choice(donor))
        out.append(Article(text="\n\n".join(paragraphs), outlet=f"Outlet {k % 40:02d}",
                           story="generated"))
    return out


def plain_tfidf_groups(articles, threshold):
    """Baseline: sklearn's default word TF-IDF (English stop words), sentence cosine,
    the same average-linkage clustering."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    units = [u for a in articles for u in cv.sentence_units(a)]
    X = TfidfVectorizer(stop_words="english").fit_transform([u.text for u in units])
    S = (X @ X.T).tocoo()
    owner = np.array([u.article_id for u in units], dtype=object)
    keep = (S.data >= cv.LINK_FLOOR) & (owner[S.row] != owner[S.col])
    S = sp.csr_matrix((S.data[keep], (S.row[keep], S.col[keep])), shape=S.shape)
    clusters = cv._average_linkage(S, list(owner), threshold)
    return [[units[i] for i in c] for c in clusters]


# Hand-written pairs: the same fact in two outlets' words (a fictional rail strike).
PAIRS = [
    ("Transport minister Ana Reyes said there is no specific deadline for a deal with the rail union.",
     "Reyes refuses to set a rigid timeline for reaching an agreement with the union."),
    ("The strike has cancelled more than 400 trains since Monday.",
     "Over 400 train services have been scrapped since the walkout began on Monday."),
    ("Union chief Tom Hale called the latest pay offer an insult to workers.",
     "Hale described the most recent wage proposal as insulting to staff."),
    ("Commuters faced long queues at bus stops across the capital.",
     "Across the capital, commuters waited in long lines for buses."),
    ("The rail operator warned that services could be disrupted for weeks.",
     "Disruption may last several weeks, the operator cautioned."),
    ("Talks between the two sides collapsed late on Thursday.",
     "Negotiations between the union and management broke down on Thursday night."),
    ("Reyes met union leaders in a last-ditch attempt to end the dispute.",
     "In a final effort to resolve the conflict, Reyes held a meeting with the union's leadership."),
    ("Freight deliveries to ports were also hit by the stoppage.",
     "The stoppage also affected goods shipments to the ports."),
    ("A poll found that most voters support the striking workers.",
     "Most voters back the strikers, according to a survey."),
    ("The government plans to introduce a law limiting strikes in essential services.",
     "Ministers intend to bring in legislation restricting walkouts in key public services."),
    ("Ticket refunds will be available for all cancelled journeys.",
     "Passengers whose journeys were cancelled can claim their money back."),
    ("Hale said the union is ready to return to talks at any time.",
     "The union remains willing to resume negotiations whenever the government is, Hale said."),
]
DISTRACTORS = (["Hale said the union has 30,000 members across the country.",
                "The last national rail strike took place in 2019."],
               ["Reyes said the government will not raise rail fares this year.",
                "Several schools in the capital closed early on Thursday."])


def alignment_scores(grouper) -> tuple[float, float]:
    a = Article(outlet="A", text=" ".join([p[0] for p in PAIRS] + DISTRACTORS[0]))
    b = Article(outlet="B", text=" ".join([p[1] for p in PAIRS] + DISTRACTORS[1]))
    gold = {(p[0], p[1]) for p in PAIRS}
    predicted = set()
    for members in grouper([a, b]):
        ta = [s.text for s in members if s.article_id == a.article_id]
        tb = [s.text for s in members if s.article_id == b.article_id]
        predicted |= {(x, y) for x in ta for y in tb}
    hit = len(gold & predicted)
    return (hit / len(predicted) if predicted else 1.0), hit / len(gold)


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t


def main() -> None:
    articles = generate()
    n_sent = sum(len(cv.sentence_units(a)) for a in articles)
    n_words = sum(len(a.text.split()) for a in articles)
    cv.terms("warm up")  # load the stemmer and stop words outside the timings
    groups, t_ours = timed(lambda: cv.fact_groups(articles))
    base, t_base = timed(lambda: plain_tfidf_groups(articles, cv.THRESHOLD))
    passages, t_copy = timed(lambda: cv.copied_passages(articles))
    quotes, t_quotes = timed(lambda: cv.shared_quotes(articles))
    _, t_views = timed(lambda: (cv.coverage_matrix(groups, articles),
                                cv.article_coverage(groups, articles)))

    ours = alignment_scores(lambda arts: [g.sentences for g in cv.fact_groups(arts)])
    base_scores = {th: alignment_scores(lambda arts, th=th: plain_tfidf_groups(arts, th))
                   for th in (0.1, 0.15, 0.2, 0.25, 0.3, 0.38)}
    best_th = max(base_scores, key=lambda th: (sum(base_scores[th]), th))
    embed_rows = []
    if embeddings.available():
        embeddings.encode(["warm up"])  # load the weights outside the timings
        few = articles[:N_EMBED]
        few_sent = sum(len(cv.sentence_units(a)) for a in few)
        _, t_lex_few = timed(lambda: cv.fact_groups(few))
        _, t_emb_few = timed(lambda: cv.fact_groups(few, embed=True))
        with_model = alignment_scores(lambda arts: [g.sentences for g in
                                                    cv.fact_groups(arts, embed=True)])
        embed_rows = [
            f"| ours + MiniLM (optional, `embed=True`) | {with_model[0]:.2f} | "
            f"{with_model[1]:.2f} |",
            "",
            f"Optional MiniLM path on the first {N_EMBED} articles ({few_sent} sentences): "
            f"{t_emb_few:.1f} s with the model against {t_lex_few:.1f} s without "
            f"(numpy forward pass, no torch).",
        ]

    lines = [
        "# Coverage across articles: speed and paraphrase alignment",
        "",
        f"Machine: 2 shared CPU cores, one process. Corpus: {len(articles)} generated articles of "
        f"one story, {n_sent} aligned sentences, {n_words} words.",
        "",
        "| step (200 articles) | seconds | result |",
        "| --- | ---: | --- |",
        f"| fact groups, ours (normalized terms + clauses, average linkage) | {t_ours:.2f} | "
        f"{len(groups)} groups, {sum(g.n_articles > 1 for g in groups)} shared |",
        f"| fact groups, baseline plain TF-IDF, same clustering | {t_base:.2f} | "
        f"{len(base)} groups, {sum(len({s.article_id for s in c}) > 1 for c in base)} shared |",
        f"| copied passages | {t_copy:.2f} | {len(passages)} passages |",
        f"| shared quotes | {t_quotes:.2f} | {len(quotes)} quotes used by several articles |",
        f"| coverage matrix + per-article views | {t_views:.2f} | |",
        f"| **total, ours** | **{t_ours + t_copy + t_quotes + t_views:.2f}** | |",
        "",
        f"Paraphrase alignment ({len(PAIRS)} hand-written pairs of one fact in two outlets' "
        f"words, plus distractors):",
        "",
        "| method | precision | recall |",
        "| --- | ---: | ---: |",
        f"| ours (threshold {cv.THRESHOLD}) | {ours[0]:.2f} | {ours[1]:.2f} |",
        f"| plain TF-IDF at its best threshold ({best_th}) | {base_scores[best_th][0]:.2f} | "
        f"{base_scores[best_th][1]:.2f} |",
        f"| plain TF-IDF at threshold {cv.THRESHOLD} | {base_scores[0.38][0]:.2f} | "
        f"{base_scores[0.38][1]:.2f} |",
        *embed_rows,
        "",
        "The synonym groups of analysis/coverage.py were extended while looking at these pairs "
        "(strike/walkout, pay/wage, worker/staff, ...), so the lexical recall here is optimistic.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "benchmarks" / "results" / "coverage_speed.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
