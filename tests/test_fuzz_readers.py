"""Fuzzing every reader: whatever the bytes, an upload becomes articles or clear refusals.

No input may raise anything but what the readers catch and turn into a ``Refusal`` whose
message starts with the input's name; ``parse_date`` and the address check never raise.
"""
import csv
import io
import json
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import fetch, formats, ingest
from analysis.ingest import Refusal
from analysis.model import Article

# COVERAGE_LENS_FUZZ_EXAMPLES=2000 for a longer run than the one CI does
FUZZ = settings(max_examples=int(os.environ.get("COVERAGE_LENS_FUZZ_EXAMPLES", 60)),
                deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".html", ".csv", ".tsv", ".json", ".jsonl", ".zip", ".md", ".exe", ""]

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=20)


def check(name: str, data: bytes, **kw) -> list:
    items = list(ingest.read_upload(name, data, **kw))
    shown = ingest.safe_name(name)
    for item in items:
        assert isinstance(item, (Article, Refusal)), item
        if isinstance(item, Refusal):
            assert item.reason.startswith(item.source_name + ":"), item
            assert item.source_name.startswith(shown)
        else:
            assert item.text.strip()
    return items


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2000))
def test_fuzz_readers_arbitrary_bytes(suffix, data):
    check("input" + suffix, data)


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), text=st.text(max_size=2000),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_fuzz_readers_arbitrary_text(suffix, text, encoding):
    check("input" + suffix, text.encode(encoding, errors="replace"))


@FUZZ
@given(header=st.lists(words, min_size=1, max_size=6) | st.just(
           ["title", "text", "url", "date", "outlet", "author", "story"]),
       rows=st.lists(st.lists(words | st.just("Some words of an article.\n\nMore."), max_size=7),
                     max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]),
       mapping=st.dictionaries(words, st.sampled_from(formats.FIELDS), max_size=2))
def test_fuzz_readers_csv(header, rows, delimiter, mapping):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    check("export.csv", buf.getvalue().encode(), mapping=mapping)


@FUZZ
@given(value=json_values, lines=st.lists(json_values | words, max_size=6))
def test_fuzz_readers_json_and_jsonl(value, lines):
    check("export.json", json.dumps(value).encode())
    check("export.jsonl", "\n".join(v if isinstance(v, str) else json.dumps(v)
                                    for v in lines).encode())


tags = st.sampled_from(["p", "div", "article", "script", "style", "nav", "h1", "title", "meta",
                        "a", "table", "td", "li", "!--", "![CDATA[", "body", "html", "aside"])


@FUZZ
@given(parts=st.lists(st.tuples(tags, words, st.booleans()), max_size=30))
def test_fuzz_readers_html(parts):
    html = "".join(f"<{t}>{w}" + (f"</{t}>" if close else "") for t, w, close in parts)
    check("page.html", html.encode())


@FUZZ
@given(members=st.dictionaries(words.filter(bool), st.binary(max_size=300), max_size=6),
       flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=5))
def test_fuzz_readers_zip(members, flips):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
    data = bytearray(buf.getvalue())
    check("archive.zip", bytes(data))
    for pos, byte in flips:  # damage the archive: headers, sizes, compressed data
        data[pos % len(data)] = byte
    check("archive.zip", bytes(data))


@FUZZ
@given(value=json_values)
def test_fuzz_readers_parse_date_never_raises(value):
    result = ingest.parse_date(value)
    assert result is None or 1800 <= result.year <= 2200


@FUZZ
@given(address=st.ip_addresses())
def test_fuzz_readers_address_check_never_raises(address):
    problem = fetch.address_problem(str(address))
    assert problem is None or isinstance(problem, str)
    if address.is_loopback or address.is_private:
        assert problem is not None


# --- pathological structures (issue 24): every item becomes an article or a refusal ---------

BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


@FUZZ
@given(bom=st.sampled_from(BOMS), body=st.binary(max_size=400),
       suffix=st.sampled_from([".txt", ".html", ".csv", ".json", ".jsonl"]))
def test_fuzz_readers_byte_order_marks_with_any_bytes(bom, body, suffix):
    check("input" + suffix, bom + body)


@FUZZ
@given(depth=st.integers(0, 1200), wrap=st.sampled_from(["list", "dict"]),
       field=st.sampled_from(["text", "title", "outlet", "date", "url"]))
def test_fuzz_readers_deeply_nested_json(depth, wrap, field):
    value = "The council met on Monday. " * 3
    for _ in range(depth):
        value = [value] if wrap == "list" else {"text": value}
    row = {"text": "A short article about the council budget vote.", field: value}
    body = json.dumps([row, {"text": "The second article text is here."}])
    items = check("nested.json", body.encode())
    assert len(items) >= 1  # the second row never depends on the first


@FUZZ
@given(text=st.text(min_size=1, max_size=3000), title=st.text(max_size=300) | st.none())
def test_fuzz_readers_pasted_text_and_labels(text, title):
    try:
        article = ingest.read_pasted(text, title=title, outlet=text[:50] or None)
    except ingest.RefusedInput as exc:
        assert str(exc).startswith("pasted text:")
        return
    article.text.encode("utf-8")  # storable: no lone surrogate
    assert len(article.text) <= ingest.MAX_ARTICLE_CHARS and article.text.strip()


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FUZZ
@given(members=st.lists(st.tuples(st.sampled_from(["a.txt", "b.json", "c.csv", "d.html", "e.zip",
                                                    "../up.txt", "/abs.txt", "manifest.csv"]),
                                  st.binary(max_size=200) | st.just(b"Article text. " * 20)),
                        max_size=8))
def test_fuzz_readers_zip_members_each_on_their_own(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, (name, data) in enumerate(members):
            zf.writestr(f"{n}/{name}" if not name.startswith(("/", "..")) else name, data)
    check("bundle.zip", buf.getvalue())


# The analysis: whatever the text, each article gets a result or a refusal naming it.
analysis_texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(["said", "that", "the", "mayor", ",", "\"", "(", ")", "-", "“", "”"]),
             min_size=250, max_size=600).map(" ".join),  # one long sentence, no full stop
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
            max_size=200).map(lambda s: (s + " ") * 5),
)


@settings(max_examples=int(os.environ.get("COVERAGE_LENS_FUZZ_EXAMPLES", 60)) // 4,
          deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(analysis_texts.filter(lambda t: t.strip()), min_size=1, max_size=3))
def test_fuzz_readers_analysis_never_raises(texts):
    from analysis import pipeline

    articles = [Article(text=t, title=t[:30], source_name=f"{n}.txt") for n, t in enumerate(texts)]
    pairs = list(pipeline.analyze_articles(articles))
    assert [a for a, _ in pairs] == articles
    for article, result in pairs:
        if isinstance(result, Refusal):
            assert result.reason.startswith(article.source_name + ":")
        else:
            assert result["word_count"] >= 0 and -1 <= result["tone"]["sentiment"] <= 1
