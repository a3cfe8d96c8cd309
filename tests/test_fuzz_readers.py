"""Fuzzing every reader: whatever the bytes, an upload becomes articles or clear refusals.

No input may raise anything but what the readers catch and turn into a ``Refusal`` whose
message starts with the input's name; ``parse_date`` and the address check never raise.
"""
import csv
import io
import json
import os
import zipfile

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
