"""Text files: decoding, headline and byline detection, boilerplate removal."""
import pytest

from analysis import ingest
from analysis.ingest import RefusedInput, Refusal

BODY = ("The talks began on Monday in Geneva. Both delegations said they were hopeful.\n\n"
        "A second round is planned for next week, officials said.")


def clean(raw):
    return ingest.clean(raw)


def test_ingest_headline_short_first_line():
    title, _, body, _ = clean("Talks Begin in Geneva\n\n" + BODY)
    assert title == "Talks Begin in Geneva"
    assert body.startswith("The talks began")


def test_ingest_no_headline_when_file_starts_with_paragraph():
    title, _, body, _ = clean(BODY)
    assert title is None
    assert body == BODY


@pytest.mark.parametrize("boilerplate, kind", [
    ("Share This Post", "share widget"),
    ("in ,", "page fragment"),
])
def test_ingest_removes_inline_boilerplate(boilerplate, kind):
    _, _, body, notes = clean(f"Talks Begin\n\n{boilerplate}\n\n{BODY}")
    assert boilerplate not in body.split("\n\n")
    assert any(kind in n for n in notes)


def test_ingest_removes_comment_section_and_what_follows():
    raw = (f"Talks Begin\n\n{BODY}\n\nWritten by Staff Reports\n\nLeave a Reply\n\n"
           "Your email address will not be published. Required fields are marked *\n\n"
           "Mayor Under Fire as Crime Soars")
    _, author, body, notes = clean(raw)
    assert author == "Staff Reports"
    assert body == BODY
    assert any("comment section" in n for n in notes)


def test_ingest_removes_related_posts_block_and_teasers():
    raw = (f"Talks Begin\n\n{BODY}\n\nRelated Posts\n\nYou can book a bubble bath for $75\n\n"
           "A Luxurious Escape: Introducing the treatment For many of...")
    _, _, body, notes = clean(raw)
    assert body == BODY
    assert any("related-links block" in n for n in notes)


def test_ingest_removes_trailing_headlines():
    _, _, body, notes = clean(f"Talks Begin\n\n{BODY}\n\nDouglas Murray Reveals How Society Is Changing\n\n"
                              "Chicago Mayor Under Fire as Crime Soars")
    assert body == BODY
    assert sum("trailing headline" in n for n in notes) == 2


def test_ingest_removes_headline_repeated_in_body():
    _, _, body, notes = clean(f"Talks Begin\n\nA short standfirst sentence.\n\nTalks Begin\n\n{BODY}")
    assert "Talks Begin" not in body
    assert "removed headline repeated in the body" in notes


def test_ingest_keeps_section_headings_inside_the_article():
    _, _, body, _ = clean(f"Talks Begin\n\n{BODY}\n\nWhat Comes Next\n\nThe envoy flies home on Friday.")
    assert "What Comes Next" in body


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_ingest_decodes_common_encodings(encoding):
    text = "Zelenskyy’s café — “naïve” talks cost €5"
    if encoding == "cp1252":
        text = "Zelenskyy's café — “naïve” talks cost €5"
    assert ingest.decode_bytes(text.encode(encoding), "a.txt") == text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"  \n\n ", "empty"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary"),
])
def test_ingest_refuses_empty_and_binary_naming_the_file(data, reason):
    with pytest.raises(RefusedInput, match=rf"^bad\.txt: .*{reason}"):
        ingest.decode_bytes(data, "bad.txt")


def test_ingest_folder_reports_refusals_and_keeps_going(tmp_path):
    (tmp_path / "good.txt").write_text("Headline Here\n\n" + BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    items = list(ingest.read_paths([tmp_path, tmp_path / "missing.txt"]))
    refused = [i for i in items if isinstance(i, Refusal)]
    assert [a.title for a in items if not isinstance(a, Refusal)] == ["Headline Here"]
    assert {r.source_name for r in refused} == {"empty.txt", str(tmp_path / "missing.txt")}
    assert all(r.source_name.split("/")[-1] in r.reason for r in refused)


def test_ingest_sample_corpus_is_clean(sample_dir):
    articles = {a.source_name[:3]: a for a in ingest.read_paths([sample_dir])}
    assert len(articles) == 5
    assert {a.outlet for a in articles.values()} and "Unknown outlet" not in {a.outlet for a in articles.values()}
    assert articles["002"].title is None
    assert articles["003"].title == "Trump And Putin Discuss Ukraine Ceasefire"
    assert articles["000"].author == "Staff Reports"
    junk = ["in ,", "Leave a Reply", "Your email address", "Share This Post", "Related Posts",
            "Douglas Murray", "Chicago Mayor", "bubble bath", "Kailyn Lowry", "Winkleman",
            "Written by"]
    for a in articles.values():
        for phrase in junk:
            assert phrase not in a.text, (a.source_name, phrase)
    # every paragraph of the article is kept: first and last sentences survive
    assert articles["000"].text.startswith("In a world where diplomacy")
    assert articles["000"].text.endswith("Only time will tell.")
    assert articles["004"].text.endswith("Only time will tell.")
    assert articles["001"].text.count("High-Stakes Diplomacy") == 0
    assert "Tensions rise as Trump directs envoy" in articles["001"].text
    assert articles["003"].text.endswith("still very much being written.")


@pytest.mark.parametrize("broken, repaired", [
    ("Fran\u00c3\u00a7ois Hollande", "François Hollande"),              # UTF-8 read as Latin-1
    ("Fran\u00c3\u0083\u00c2\u00a7ois Hollande", "François Hollande"),  # ... twice
    ("don\u00e2\u20ac\u2122t stop", "don’t stop"),                       # ... as cp1252
])
def test_ingest_mojibake_repaired(broken, repaired):
    assert ingest.repair_mojibake(broken) == (repaired, 1)


@pytest.mark.parametrize("text", ["café “quoted” 日本 résumé — ok", "die Straße“ sagt"])
def test_ingest_mojibake_leaves_good_text(text):
    assert ingest.repair_mojibake(text) == (text, 0)


def test_ingest_mojibake_repaired_in_an_article_with_a_note():
    article = ingest.article_from_text("Fran\u00c3\u00a7ois Hollande spoke in Paris on Monday "
                                       "about the budget.", source_name="a.txt")
    assert article.text.startswith("François Hollande")
    assert any("wrong encoding" in n for n in article.ingest_notes)
