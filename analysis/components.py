"""Faster equivalents of two of the English pipeline's components, with identical output.

In ``en_core_web_sm`` the attribute ruler (tag → part of speech, morphology and lemma
exceptions: 179 Matcher patterns run over every doc) and the rule lemmatizer (a Python loop
over every token) took a fifth of the whole spaCy pass. ``speed_up`` swaps the class of the
loaded components for a subclass doing the same work on arrays: the ruler evaluates each
pattern on the doc's columns and skips the patterns whose values the doc does not contain;
the lemmatizer remembers the lemma of each (word, part of speech, morphology), which is all
the rule lemmatizer reads. Patterns of a kind the ruler does not know keep the original
component. ``tests/test_components.py`` checks identical annotations against the stock
pipeline.
"""
from __future__ import annotations

import re

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# Token attributes the patterns may test; those they may set (_OUT).
_MATCH = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE, "ORTH": ORTH}
_COLUMNS = list(_MATCH.values())
_OUT = [POS, MORPH, LEMMA, TAG, DEP]


class _Unsupported(ValueError):
    pass


class _Test:
    """One token attribute's test in a pattern: equal to a value, in or not in a set of
    values, or (on text attributes) matching a regular expression."""

    def __init__(self, vocab, attr: str, spec):
        if attr not in _MATCH:
            raise _Unsupported(attr)
        self.column = _COLUMNS.index(_MATCH[attr])

        def value(v):
            if isinstance(v, bool) and attr == "IS_SPACE":
                return int(v)
            if isinstance(v, str) and attr != "IS_SPACE":
                return vocab.strings.add(v)
            raise _Unsupported(f"{attr}: {v!r}")

        self.regex = None
        if not isinstance(spec, dict):
            self.op, self.values = "IN", {value(spec)}
        elif len(spec) == 1 and next(iter(spec)) in ("IN", "NOT_IN"):
            (self.op, values), = spec.items()
            self.values = {value(v) for v in values}
        elif len(spec) == 1 and "REGEX" in spec and attr in ("LOWER", "ORTH"):
            self.op, self.regex, self.vocab = "REGEX", re.compile(spec["REGEX"]), vocab
            self.known: dict[int, bool] = {}  # string hash -> whether it matches
        else:
            raise _Unsupported(f"{attr}: {spec!r}")

    def possible(self, present: list[set[int]]) -> bool:
        """Whether some token of the doc can pass (``present``: each column's values)."""
        if self.op == "IN":
            return not self.values.isdisjoint(present[self.column])
        if self.op == "REGEX":
            return any(self._matches(h) for h in present[self.column])
        return True

    def _matches(self, h: int) -> bool:
        if h not in self.known:
            self.known[h] = self.regex.search(self.vocab.strings[h]) is not None
        return self.known[h]

    def mask(self, columns: np.ndarray) -> np.ndarray:
        col = columns[:, self.column]
        if self.op == "REGEX":
            values = [h for h in np.unique(col).tolist() if self._matches(h)]
            return np.isin(col, values)
        inside = np.isin(col, list(self.values))
        return inside if self.op == "IN" else ~inside


class FastAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose ``__call__`` evaluates the patterns on the doc's arrays.
    As in the original, every pattern is matched against the doc as the ruler receives it,
    then the matches set their attributes in the patterns' order (a later one wins)."""

    def _compile(self) -> list:
        """Per pattern group, in order: its alternatives (each a list of tokens, each token
        a list of tests), the index of the token it sets, and the values it sets."""
        return [([[[_Test(self.vocab, attr, spec) for attr, spec in token.items()]
                   for token in pattern] for pattern in self.matcher.get(str(i))[1]],
                 self.indices[i], _values(self.vocab, self.attrs[i]))
                for i in range(len(self.attrs))]

    def __call__(self, doc: Doc) -> Doc:
        state = self.__dict__
        if state.get("_compiled_for") != len(self.attrs):  # patterns added since
            state["_rules"], state["_compiled_for"] = self._compile(), len(self.attrs)
        n = len(doc)
        if not n:
            return doc
        columns = doc.to_array(_COLUMNS)
        present = [set(np.unique(columns[:, k]).tolist()) for k in range(len(_COLUMNS))]
        out = doc.to_array(_OUT)
        changed = set()
        for alternatives, index, values in state["_rules"]:
            hits = []
            for tokens in alternatives:
                m = len(tokens)
                if m > n or not all(t.possible(present) for tests in tokens for t in tests):
                    continue
                ok = np.ones(n - m + 1, dtype=bool)
                for j, tests in enumerate(tokens):
                    for t in tests:
                        ok &= t.mask(columns)[j:n - m + 1 + j]
                hits.append(np.flatnonzero(ok) + (index if index >= 0 else m + index))
            where = np.concatenate(hits) if hits else ()
            if len(where):
                for k, value in values:
                    out[where, k] = value
                    changed.add(k)
        dep = _OUT.index(DEP)
        if dep in changed:  # token by token: from_array wants the heads with the labels
            before = columns[:, _COLUMNS.index(DEP)]
            for i in np.flatnonzero(out[:, dep] != before).tolist():
                doc[i].dep = int(out[i, dep])
            changed.discard(dep)
        if changed:
            keep = sorted(changed)
            doc.from_array([_OUT[k] for k in keep], np.ascontiguousarray(out[:, keep]))
        return doc


def _values(vocab, attrs: dict) -> list[tuple[int, int]]:
    """(column of ``_OUT``, value) for each attribute a rule sets (``attrs``: the ruler's
    normalized ones, keyed by attribute id), as spaCy stores it: set on a scratch token the
    way the original ruler sets it, then read back."""
    from spacy.tokens._retokenize import set_token_attrs

    if not set(attrs) <= set(_OUT):
        raise _Unsupported(str(attrs))
    scratch = Doc(vocab, words=["x"])
    set_token_attrs(scratch[0], attrs)
    row = scratch.to_array(_OUT)[0]
    return [(k, int(row[k])) for k, attr in enumerate(_OUT) if attr in attrs]


class FastEnglishLemmatizer(EnglishLemmatizer):
    """The rule lemmatizer, remembering each (word, POS, morphology)'s lemma: what
    ``rule_lemmatize`` reads of a token (its own cache skips base forms)."""

    def __call__(self, doc: Doc) -> Doc:
        if self.overwrite or self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        known = self.__dict__.setdefault("_known", {})
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        todo = np.flatnonzero(lemmas == 0)
        if not len(todo):
            return doc
        strings = self.vocab.strings
        for i, key in zip(todo.tolist(), map(tuple, arr[todo, :3].tolist())):
            lemma = known.get(key)
            if lemma is None:
                lemma = known[key] = strings.add(self.rule_lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def speed_up(nlp) -> list[str]:
    """Swap the stock attribute ruler and English rule lemmatizer of ``nlp`` for the faster
    equivalents above; the names of the components swapped."""
    swapped = []
    for name, component in nlp.pipeline:
        if type(component) is AttributeRuler:
            try:
                FastAttributeRuler._compile(component)  # every pattern is of a known kind
            except Exception:  # _Unsupported, or another spaCy's internals: keep the stock one
                continue
            component.__class__ = FastAttributeRuler
        elif type(component) is EnglishLemmatizer and component.mode == "rule":
            component.__class__ = FastEnglishLemmatizer
        else:
            continue
        swapped.append(name)
    return swapped
