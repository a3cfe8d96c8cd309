"""Readers for HTML, CSV/JSON/JSONL exports, zip archives, uploads, folders and pasted text;
the duplicate rules of an import."""
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from analysis import formats, ingest, pipeline, store
from analysis.ingest import RefusedInput, Refusal
from analysis.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ARTICLE = ("The river authority opened a new pumping station on Friday, three years after the "
           "flood that damaged more than four hundred homes in the lower valley. Engineers say the "
           "station can move enough water to fill an Olympic pool every two minutes.\n\n"
           "Residents welcomed the opening but asked why it had taken so long, and the authority "
           "promised a public report on the delays before the end of the year.")


@pytest.fixture
def quick_analysis(monkeypatch):
    """Stands in for the metrics: these tests are about what gets stored, not the analysis."""
    def analyze(articles, **_):
        for a in articles:
            yield a, {"word_count": len(a.text.split()), "sentence_count": 1, "readability": {},
                      "tone": {}, "sources": {}, "attributions": [], "actors": [], "sentences": []}

    monkeypatch.setattr(pipeline, "analyze_articles", analyze)


def read(name, data=None, **kw):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return list(ingest.read_upload(name, data, **kw))


def only_articles(items):
    return [i for i in items if isinstance(i, Article)]


def refusals(items):
    return [i for i in items if isinstance(i, Refusal)]


# --- HTML --------------------------------------------------------------------------------

HTML_CASES = {
    "news_page.html": dict(
        must=["voted six to three on Wednesday night", "We cannot keep asking families",
              "living shoreline of marsh grass", "report every quarter on costs"],
        must_not=["Subscribe today", "Lighthouse Mattress", "Seagull Burger", "Share this article",
                  "Ferry timetable", "aggressive gulls", "My cellar has flooded",
                  "Waste of taxpayer money", "Copyright 2024", "By Mara Ellison"],
        title="Harbor council approves flood wall after long night of debate",
        outlet="The Daily Harbor", author="Mara Ellison", published=dt.date(2024, 3, 14),
        url="https://www.dailyharbor.example/news/2024/03/14/flood-wall-vote"),
    "blog_page.html": dict(
        must=["proposed cutting the number 40 night bus", "two thirds of regular passengers",
              "has not yet set a date for it"],
        must_not=["About this blog", "cheap picnic spots", "weekly newsletter", "Tweet this post",
                  "Leave a Reply", "always packed"],
        title="Why the night bus matters", outlet="valleynotes.example", author=None,
        published=None, url="https://www.valleynotes.example/2024/05/night-bus"),
}


@pytest.mark.parametrize("name", HTML_CASES)
def test_ingest_formats_html_main_text_and_metadata(name):
    case = HTML_CASES[name]
    [article] = read(name, outlet="Import label")
    assert isinstance(article, Article), article
    for phrase in case["must"]:
        assert phrase in article.text
    for phrase in case["must_not"]:
        assert phrase not in article.text
    assert (article.title, article.outlet, article.url) == (case["title"], case["outlet"], case["url"])
    if case["author"]:
        assert article.author == case["author"]
    if case["published"]:
        assert article.published == case["published"]
    assert article.source_name == name


def test_ingest_formats_html_outlet_falls_back_to_import_label():
    body = "".join(f"<p>{par}</p>" for par in ARTICLE.split("\n\n"))
    html = f"<html><head><title>Pumping station opens</title></head><body>{body}</body></html>"
    [article] = read("saved.html", html.encode("utf-8"), outlet="Valley Post")
    assert article.outlet == "Valley Post"
    assert "outlet from the import label" in article.ingest_notes[0]


def test_ingest_formats_html_without_article_is_refused():
    [refusal] = read("no_article.html")
    assert refusal == Refusal("no_article.html", "no_article.html: no article text found in the page")


def test_ingest_formats_html_in_cp1252_is_decoded():
    body = "".join(f"<p>{par}</p>" for par in ARTICLE.replace("Residents", "Café owners").split("\n\n"))
    html = f"<html><head><title>Pumping station</title></head><body>{body}</body></html>"
    [article] = read("legacy.htm", html.encode("cp1252"))
    assert "Café owners welcomed" in article.text


# --- CSV / JSON / JSONL ------------------------------------------------------------------

def test_ingest_formats_csv_odd_column_names_and_quoted_newlines():
    items = read("export_odd_columns.csv", outlet="Label")
    arts = {a.title: a for a in only_articles(items)}
    assert set(arts) == {"Bridge reopens after repairs", "School meals plan approved",
                         "Storm warning issued"}
    bridge = arts["Bridge reopens after repairs"]
    assert bridge.text.count("\n\n") == 1 and "Drivers had been forced" in bridge.text
    assert (bridge.outlet, bridge.url, bridge.author, bridge.published) == (
        "Riverside Courier", "https://courier.example/bridge", "Sam Whitlow", dt.date(2024, 2, 5))
    assert arts["School meals plan approved"].published == dt.date(2024, 2, 6)  # RFC 2822
    assert '"long overdue"' in arts["School meals plan approved"].text
    storm = arts["Storm warning issued"]
    assert storm.outlet == "stormwatch.example"  # no outlet cell: the URL's domain
    assert storm.published is None and "not understood" in storm.ingest_notes[-1]
    [skipped] = refusals(items)
    assert skipped.reason == ("export_odd_columns.csv row 2: no text in column 'Body Text' "
                              "(it has a URL: import the URL to fetch the page)")


def test_ingest_formats_csv_unknown_columns_need_a_mapping():
    [refusal] = read("export_custom.csv")
    assert refusal.reason.startswith("export_custom.csv: no text column")
    assert "'hed', 'copy', 'pub', 'when'" in refusal.reason
    mapping = formats.parse_mapping(["hed=title", "copy=text", "pub=outlet", "when=date"])
    arts = read("export_custom.csv", mapping=mapping)
    assert [(a.title, a.outlet, a.published) for a in arts] == [
        ("Port strike enters second week", "Northern Ledger", dt.date(2024, 4, 8)),
        ("Museum reopens", "Northern Ledger", dt.date(2024, 4, 6))]


def test_ingest_formats_mapping_to_a_missing_column_is_refused():
    [refusal] = read("export_custom.csv", mapping={"Body": "text"})
    assert refusal.reason.startswith("export_custom.csv: column 'Body' (mapped to text) is not in the file")


@pytest.mark.parametrize("pairs, message", [
    (["hed"], "write it as COLUMN=FIELD"),
    (["hed=colour"], "'colour' is not a field"),
    (["=text"], "write it as COLUMN=FIELD"),
])
def test_ingest_formats_bad_mapping_is_explained(pairs, message):
    with pytest.raises(ValueError, match=message):
        formats.parse_mapping(pairs)


def test_ingest_formats_mapping_accepts_one_string_and_synonyms():
    assert formats.parse_mapping("hed=title, copy=body, when=Date") == {
        "hed": "title", "copy": "text", "when": "published"}


def test_ingest_formats_jsonl_bad_lines_are_reported_and_the_rest_read():
    items = read("export_bad_line.jsonl")
    assert [a.title for a in only_articles(items)] == ["Water rates to rise", "New park opens"]
    water = only_articles(items)[0]
    assert (water.outlet, water.author, water.published) == ("Metro Daily", "Kim Yates, Joe Brand",
                                                             dt.date(2024, 6, 6))
    reasons = [r.reason for r in refusals(items)]
    assert reasons[0] == ("export_bad_line.jsonl line 2: not valid JSON (Unterminated string "
                          "starting at: column 37)")
    assert reasons[1:] == [
        "export_bad_line.jsonl line 4: not a JSON object",
        "export_bad_line.jsonl line 5: no text in column 'content' (it has a URL: import the URL "
        "to fetch the page)"]


def test_ingest_formats_json_api_response_is_unwrapped():
    arts = read("newsapi_export.json")
    assert [(a.title, a.outlet, a.author) for a in arts] == [
        ("Fishing quota talks stall", "Coastal Wire", "Pat Moreno"),
        ("Lighthouse sold", "Coastal Wire", None)]
    assert arts[0].source_name == "newsapi_export.json item 1"


@pytest.mark.parametrize("data, reason", [
    (b"{\"title\": \"x\",",
     "x.json: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 15)"),
    (b"42", "x.json: expected a list of article objects"),
    (b"[]", "x.json: no rows"),
])
def test_ingest_formats_bad_json_file_is_refused(data, reason):
    assert read("x.json", data) == [Refusal("x.json", reason)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_ingest_formats_csv_encodings(encoding):
    text = "title,text\nCafé reopens,\"The café on the square reopened on Monday — after a fire.\"\n"
    [article] = read("e.csv", text.encode(encoding))
    assert article.title == "Café reopens" and "café on the square" in article.text


def test_ingest_formats_story_label_applies_to_every_row():
    data = b"title,text,story\nA,Some words of a text here.,From file\nB,Other words of a text.,\n"
    assert [a.story for a in read("s.csv", data)] == ["From file", "Unlabelled story"]
    assert {a.story for a in read("s.csv", data, story="Flood wall")} == {"Flood wall"}


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2024-03-14", dt.date(2024, 3, 14)),
    ("2024-03-14T08:30:00Z", dt.date(2024, 3, 14)),
    ("20240314T083000Z", dt.date(2024, 3, 14)),
    ("20240314083000", dt.date(2024, 3, 14)),
    ("Thu, 14 Mar 2024 08:30:00 GMT", dt.date(2024, 3, 14)),
    ("March 14, 2024", dt.date(2024, 3, 14)),
    ("1710405000", dt.date(2024, 3, 14)),
    (1710405000, dt.date(2024, 3, 14)),
    (dt.datetime(2024, 3, 14, 8), dt.date(2024, 3, 14)),
    ("14/03/2024", dt.date(2024, 3, 14)),
    ("yesterday", None), ("", None), (None, None), ("99999-99-99", None), ("5", None),
    ("2024", None), ("March 5", None),
])
def test_ingest_formats_parse_date(value, expected):
    assert ingest.parse_date(value) == expected


# --- zip archives ------------------------------------------------------------------------

def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_ingest_formats_zip_reads_every_supported_member():
    data = make_zip({
        "batch/story.txt": ARTICLE.encode(),
        "batch/manifest.csv": b"file,outlet,title\nstory.txt,Valley Post,Pumping station opens\n",
        "batch/pages/news_page.html": (FIXTURES / "news_page.html").read_bytes(),
        "export.jsonl": (FIXTURES / "export_bad_line.jsonl").read_bytes(),
        "__MACOSX/batch/._story.txt": b"\x00\x05\x16\x07",
        "batch/notes.docx": b"PK\x03\x04",
    })
    items = read("colleague.zip", data)
    arts = {a.source_name: a for a in only_articles(items)}
    assert set(arts) == {"colleague.zip/batch/story.txt", "colleague.zip/batch/pages/news_page.html",
                         "colleague.zip/export.jsonl line 1", "colleague.zip/export.jsonl line 3"}
    story = arts["colleague.zip/batch/story.txt"]
    assert (story.outlet, story.title) == ("Valley Post", "Pumping station opens")
    reasons = sorted(r.reason for r in refusals(items))
    assert "colleague.zip/batch/notes.docx: not a supported file type (.docx)" in reasons
    assert len(reasons) == 4  # .docx, and three bad rows of the JSONL; no __MACOSX entry


@pytest.mark.parametrize("member", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt",
                                    "C:/evil.txt", "..\\evil.txt"])
def test_ingest_formats_zip_unsafe_member_names_are_refused(member):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("fine.txt", ARTICLE)
        # writestr would normalize the name; a ZipInfo keeps it as an attacker would write it
        zf.writestr(zipfile.ZipInfo(member), "Overwrite something. " * 20)
    items = read("x.zip", buf.getvalue())
    assert len(only_articles(items)) == 1
    [refusal] = refusals(items)
    assert refusal.reason.endswith("refused, unsafe name in the archive (an absolute path or '..')")


def test_ingest_formats_zip_bomb_member_is_refused_by_ratio():
    data = make_zip({"bomb.txt": b"a" * (5 * 1024 * 1024), "ok.txt": ARTICLE.encode()})
    assert len(data) < 50_000
    items = read("bomb.zip", data)
    [refusal] = refusals(items)
    assert refusal.source_name == "bomb.zip/bomb.txt"
    assert "suggests a zip bomb" in refusal.reason and "more than 100:1" in refusal.reason
    assert len(only_articles(items)) == 1


def test_ingest_formats_zip_limits_members_and_total_size(monkeypatch):
    monkeypatch.setattr(formats, "MAX_ZIP_MEMBERS", 3)
    many = make_zip({f"a{i}.txt": ARTICLE.encode() for i in range(4)})
    assert read("many.zip", many) == [Refusal("many.zip", "many.zip: too many entries in the "
                                                          "archive (4; the limit is 3)")]
    monkeypatch.setattr(formats, "MAX_ZIP_TOTAL", len(ARTICLE) + 100)
    big = make_zip({"a.txt": ARTICLE.encode(), "b.txt": ARTICLE.encode()})
    [refusal] = read("big.zip", big)
    assert refusal.reason.startswith("big.zip: unpacks to too much data")


@pytest.mark.parametrize("members, reason", [
    ({"inner.zip": b"PK"}, "x.zip/inner.zip: archives inside archives are not opened"),
    ({"page.html.exe": b"MZ"}, "x.zip/page.html.exe: not a supported file type (.exe)"),
])
def test_ingest_formats_zip_member_refusals(members, reason):
    assert read("x.zip", make_zip(members)) == [Refusal(reason.split(":")[0], reason)]


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04broken", b""])
def test_ingest_formats_damaged_zip_is_refused(data):
    assert read("x.zip", data) == [Refusal("x.zip", "x.zip: not a valid zip archive")]


def test_ingest_formats_empty_zip_is_refused():
    assert read("e.zip", make_zip({"dir/": b""})) == [
        Refusal("e.zip", "e.zip: the archive holds no files")]


# --- uploads, folders, pasted text -------------------------------------------------------

@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\me\\story.txt", "story.txt"),
    ("bad\x00na\nme.txt", "badname.txt"),
    ("", "unnamed file"),
])
def test_ingest_formats_upload_names_are_only_display_names(name, shown):
    [item] = ingest.read_upload(name, ARTICLE.encode())
    assert item.source_name == shown


@pytest.mark.parametrize("name, message", [
    ("story.html.exe", "story.html.exe: not a supported file type (.exe); use .txt, .html, .csv, "
                       ".json, .jsonl or .zip"),
    ("README", "README: not a supported file type (no extension); use .txt, .html, .csv, .json, "
               ".jsonl or .zip"),
    ("photo.txt", "photo.txt: not readable as text (binary, or an unknown encoding)"),
])
def test_ingest_formats_unsupported_or_binary_upload_is_refused(name, message):
    data = ARTICLE.encode() if name != "photo.txt" else b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    assert read(name, data) == [Refusal(name, message)]


def test_ingest_formats_folder_is_read_recursively(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "one.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "deeper" / "page.html").write_bytes((FIXTURES / "news_page.html").read_bytes())
    (tmp_path / "sub" / "rows.json").write_bytes((FIXTURES / "newsapi_export.json").read_bytes())
    (tmp_path / "sub" / "manifest.csv").write_text("file,outlet\nrows.json,Ignored\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = list(ingest.read_paths([tmp_path], outlet="Folder label"))
    assert sorted(i.source_name for i in items) == [
        "one.txt", "page.html", "rows.json item 1", "rows.json item 2"]
    assert {i.outlet for i in items} == {"Folder label", "The Daily Harbor", "Coastal Wire"}


def test_ingest_formats_empty_folder_and_missing_path_are_refused(tmp_path):
    missing = tmp_path / "nope.txt"
    items = list(ingest.read_paths([tmp_path, missing]))
    assert [i.reason for i in items] == [
        f"{tmp_path}: no .txt, .html, .csv, .json, .jsonl or .zip files in this folder",
        f"{missing}: no such file or folder"]


def test_ingest_formats_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    path = tmp_path / "long.txt"
    path.write_text(ARTICLE)
    [refusal] = ingest.read_paths([path])
    assert refusal.reason.startswith("long.txt: too large")


def test_ingest_formats_pasted_text():
    art = ingest.read_pasted(ARTICLE, title="Pumping station opens", outlet="Valley Post",
                             published="2024-05-03", story="Floods")
    assert (art.title, art.outlet, art.published, art.story, art.source_name) == (
        "Pumping station opens", "Valley Post", dt.date(2024, 5, 3), "Floods", "pasted text")
    assert art.text == ARTICLE
    with pytest.raises(RefusedInput, match="pasted text: the text is empty"):
        ingest.read_pasted("  \n ")


# --- duplicates --------------------------------------------------------------------------

EDITED = ARTICLE.replace("on Friday", "on Friday morning").replace(
    "promised a public report", "has promised a detailed public report") + (
    "\n\nThe station cost twelve million dollars, most of it paid by the regional government.")


def test_ingest_formats_same_text_from_another_file_is_stored_once(tmp_db, quick_analysis):
    first = pipeline.import_articles(ingest.read_upload("a.txt", ARTICLE.encode()), tmp_db)
    csv_data = ("title,text\nPumping station,\"" + ARTICLE + "\"\n").encode()
    again = pipeline.import_articles(
        [*ingest.read_upload("b.csv", csv_data), *ingest.read_upload("c.txt", ARTICLE.encode())],
        tmp_db)
    assert len(first.added) == 1 and not again.added
    assert [a.source_name for a in again.duplicates] == ["b.csv row 1", "c.txt"]
    assert len(store.articles(tmp_db)) == 1


def test_ingest_formats_near_duplicate_is_stored_and_flagged(tmp_db, quick_analysis):
    pipeline.import_articles(ingest.read_upload("a.txt", ARTICLE.encode()), tmp_db)
    other = ("A different story: the council approved the new school budget on Tuesday after a "
             "short debate about the cost of heating the old buildings and repairing their roofs.")
    report = pipeline.import_articles([ingest.read_pasted(EDITED, outlet="Copy Desk"),
                                       ingest.read_pasted(other)], tmp_db)
    assert len(report.added) == 2
    [(article, note)] = report.near_duplicates
    assert article.outlet == "Copy Desk" and note.startswith("near-duplicate of 'a.txt'")
    assert "(1 flagged as near-duplicates)" in report.summary()
    stored = {a.outlet: a for a in store.articles(tmp_db)}
    assert any(n.startswith("near-duplicate of") for n in stored["Copy Desk"].ingest_notes)


def test_ingest_formats_near_duplicates_within_one_batch():
    from analysis import dedup

    a, b = ingest.read_pasted(ARTICLE), ingest.read_pasted(EDITED)
    flagged = dedup.flag_near_duplicates([a, b])
    assert [x is b for x, _ in flagged] == [True]
    assert not dedup.flag_near_duplicates([ingest.read_pasted(ARTICLE)],
                                          [ingest.read_pasted("Short text. " * 3)])


# --- command line ------------------------------------------------------------------------

def test_ingest_formats_cli_mapping_and_summary(tmp_path, capsys, quick_analysis):
    from analysis.__main__ import main

    db = tmp_path / "cli.duckdb"
    code = main(["ingest", str(FIXTURES / "export_custom.csv"), "--map", "hed=title",
                 "--map", "copy=text", "--map", "pub=outlet", "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == "2 added, 0 re-analyzed, 0 skipped as already stored, 0 refused"
    assert "analyzing: 2/2 articles" in err  # captured, not a terminal: one line per step
    assert main(["ingest", str(FIXTURES / "export_custom.csv"), "--map", "hed", "--db", str(db)]) == 2
    assert "write it as COLUMN=FIELD" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://[broken", "ftp://files.example/a"])
def test_ingest_formats_only_web_addresses_are_kept(url):
    [article] = read("u.csv", f"text,url\nSome words of a story here.,{url}\n".encode())
    assert article.url is None
    assert article.ingest_notes == [f"URL {url!r} ignored: not an http(s) address"]


@pytest.mark.parametrize("paragraph, cut", [
    ("Comments by the minister drew criticism from the opposition on Tuesday.", False),
    ("Leave a Reply", True), ("3 Comments", True), ("Comments:", True),
])
def test_ingest_formats_comment_prompt_only_when_it_is_the_whole_paragraph(paragraph, cut):
    [article] = read("c.txt", f"{ARTICLE}\n\n{paragraph}\n\nA closing sentence here.".encode())
    assert ("A closing sentence here." in article.text) is not cut
