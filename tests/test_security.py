"""What one input must not break (issue 24): each file, row, archive member and URL is read
and analyzed on its own; work is bounded; untrusted text stays inert; a shared server.

Each trigger that once aborted a whole import is here with a good item beside it: the bad
one must come back as a refusal naming it, and the good one as an article.
"""
import io
import json
import os
import zipfile

import pytest

from analysis import ingest, pipeline, store
from analysis.ingest import Refusal
from analysis.model import Article

GOOD = ("The council approved the new budget on Tuesday after a long debate about the cost "
        "of repairing the old bridge. The mayor said the vote was a relief for the town.")


def read(name, data):
    return list(ingest.read_upload(name, data))


def refusal_of(items, name):
    [refusal] = [i for i in items if isinstance(i, Refusal) and i.source_name == name]
    assert refusal.reason.startswith(name + ": ")
    return refusal.reason


def nested(value, depth):
    for _ in range(depth):
        value = [value]
    return value


# --- 1. every item on its own: the triggers found -------------------------------------------

@pytest.mark.parametrize("data, reason", [
    (b"\xef\xbb\xbf" + GOOD.encode() + b" \xff and more.",
     "not readable as text (it starts with a UTF-8 byte-order mark, but is not valid UTF-8"),
    (b"\xff\xfe" + GOOD.encode("utf-16-le") + b"A",
     "not readable as text (it starts with a UTF-16 byte-order mark, but is not valid UTF-16"),
])
def test_security_broken_byte_order_mark_is_refused_alone(data, reason):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("bad.txt", data)
        z.writestr("good.txt", GOOD)
    items = read("both.zip", zipped.getvalue())
    assert reason in refusal_of(items, "both.zip/bad.txt")
    assert [a.text for a in items if isinstance(a, Article)] == [GOOD]


def test_security_json_nested_900_deep_refuses_only_its_row():
    rows = [{"title": "Deep", "text": nested("Deep text. " * 5, 900)},
            {"title": "Fine", "text": GOOD}]
    items = read("export.json", json.dumps(rows).encode())
    assert "no text in column 'text'" in refusal_of(items, "export.json item 1")
    assert [a.title for a in items if isinstance(a, Article)] == ["Fine"]


def test_security_bracketed_ipv4_url_is_refused_not_raised():
    [item] = ingest.read_paths(["http://[127.0.0.1]/"])
    assert item.reason.startswith("http://[127.0.0.1]/: not a valid URL")


def test_security_unexpected_reader_error_refuses_only_that_row(monkeypatch):
    real = ingest.parse_date

    def broken(value):
        if value == "boom":
            raise RuntimeError("a bug")
        return real(value)

    monkeypatch.setattr("analysis.formats.parse_date", broken)
    data = "title,text,date\nA,{0},boom\nB,{0},2024-05-01\n".format(GOOD).encode()
    items = read("rows.csv", data)
    reason = refusal_of(items, "rows.csv row 1")
    assert reason == "rows.csv row 1: could not be read (RuntimeError; the other items are not affected)"
    assert [a.title for a in items if isinstance(a, Article)] == ["B"]


def test_security_folder_import_does_not_follow_links_out(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret " + GOOD)
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD)
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "sub" / "inside.txt").symlink_to(folder / "good.txt")  # inside: followed
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    items = list(ingest.read_paths([folder]))
    refused = {i.source_name: i.reason for i in items if isinstance(i, Refusal)}
    assert refused["passwd.txt"] == "passwd.txt: a link to a file outside the folder; not followed"
    assert refused["loop.txt"] == "loop.txt: a broken link"
    texts = [a.text for a in items if isinstance(a, Article)]
    assert texts == [GOOD, GOOD] and not any("Secret" in t for t in texts)


# --- 2. bounded work --------------------------------------------------------------------------

def test_security_article_text_cut_at_the_limit_with_a_note():
    paragraph = "The harbour board met again on Monday to discuss the ferry timetable. " * 20
    article = ingest.read_pasted("\n\n".join([paragraph] * 200), title="Long")
    assert len(article.text) <= ingest.MAX_ARTICLE_CHARS
    assert article.text.endswith("timetable.")  # cut at a paragraph end, not mid-word
    [note] = [n for n in article.ingest_notes if n.startswith("text cut at")]
    assert f"the limit per article is {ingest.MAX_ARTICLE_CHARS:,}" in note


def test_security_over_max_length_text_imports_cut(monkeypatch):
    """A text beyond spaCy's 2,000,000 characters (an 18 MB page did it) is cut on reading,
    so that the parser never refuses it."""
    text = ("Word " * 400_001).strip() + "."
    [article] = read("huge.txt", text.encode())
    assert len(article.text) <= ingest.MAX_ARTICLE_CHARS
    assert len(article.text) < 2_000_000


def test_security_titles_and_labels_are_capped():
    article = ingest.article_from_text(GOOD, source_name="x", title="T" * 5000,
                                       outlet="O" * 500, story="S" * 500)
    assert len(article.title) == ingest.MAX_TITLE_CHARS
    assert len(article.outlet) == len(article.story) == ingest.MAX_LABEL_CHARS
    assert {"title cut at 1,000 characters", "outlet cut at 200 characters"} <= set(article.ingest_notes)


def test_security_cut_text_prefers_paragraph_then_sentence():
    assert ingest.cut_text("abc", 10) == ("abc", 0)
    assert ingest.cut_text("One two. Three four five six", 14) == ("One two.", 20)
    assert ingest.cut_text("One two. Three four five six", 20) == ("One two. Three four", 9)
    assert ingest.cut_text("a" * 30, 10) == ("a" * 10, 20)


def test_security_json_escapes_cannot_smuggle_controls_or_surrogates():
    row = {"title": "Red \u001b[31m title\u0000", "outlet": "Out\ud800let",
           "text": GOOD + " Null \u0000 bell \u0007 end."}
    [article] = read("row.json", json.dumps([row]).encode())
    assert article.title == "Red [31m title" and article.outlet == "Out\ufffdlet"
    assert "\x00" not in article.text and "\x07" not in article.text
    article.text.encode("utf-8")  # storable


# --- 1 and 2 in the analysis: one article's failure, long sentences, batches, budgets --------

def stub_result(doc, *, title=None, title_doc=None):
    if title == "Boom":
        raise RecursionError("maximum recursion depth exceeded")
    return {"word_count": len(doc), "sentence_count": 1, "readability": {}, "tone": {},
            "sources": {}, "attributions": [], "actors": [], "sentences": []}


def test_security_analysis_failure_refuses_only_that_article(tmp_db, monkeypatch):
    monkeypatch.setattr(pipeline, "analyze_doc", stub_result)
    boom = Article(text="Another text. " + GOOD, title="Boom", source_name="boom.txt")
    huge = Article(text="word " * 400_001, title="Huge", source_name="huge.txt")  # > max_length
    fine = Article(text=GOOD, title="Fine", source_name="fine.txt")
    report = pipeline.import_articles([boom, huge, fine], tmp_db)
    assert [a.title for a in report.added] == ["Fine"]
    reasons = sorted(r.reason for r in report.refused)
    assert reasons == ["boom.txt: could not be analyzed (RecursionError; the other items are not affected)",
                       "huge.txt: could not be analyzed (ValueError; the other items are not affected)"]
    assert [a.title for a in store.articles(tmp_db)] == ["Fine"]


def test_security_long_sentence_is_cut_before_the_parser():
    """One 27 KB sentence of clauses: once 56 s to analyze; now sentences of at most
    MAX_SENTENCE_TOKENS tokens, cut after a comma where there is one."""
    sentence = "Officials " + ", ".join("said that the mayor" for _ in range(1400)) + " won."
    assert len(sentence) > 27_000
    doc = next(pipeline.parse([sentence]))
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= pipeline.MAX_SENTENCE_TOKENS and len(lengths) >= 25
    assert all(s[-1].text == "," for s in list(doc.sents)[:-1])
    short = next(pipeline.parse([GOOD]))  # ordinary text: the parser's own sentences
    assert [s.text for s in short.sents] == [s.text for s in pipeline.get_nlp()(GOOD).sents]


def test_security_batches_are_sized_by_characters(monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 100)
    articles = [Article(text="x" * n) for n in (40, 40, 40, 500, 10)]
    sizes = [[len(a.text) for a in b] for b in pipeline.batches(articles, batch_size=16)]
    assert sizes == [[40, 40], [40], [500], [10]]
    assert [len(b) for b in pipeline.batches(articles, batch_size=2)] == [2, 1, 1, 1]


def test_security_import_stops_at_the_character_budget(tmp_db, monkeypatch):
    monkeypatch.setattr(pipeline, "analyze_doc", stub_result)
    monkeypatch.setattr(pipeline, "MAX_IMPORT_CHARS", 2 * len(GOOD) + 20)
    articles = [Article(text=f"{GOOD} Part {n}.", source_name=f"{n}.txt") for n in range(3)]
    report = pipeline.import_articles(articles, tmp_db)
    assert len(report.added) == 2
    [refused] = report.refused
    assert refused.reason.startswith("2.txt: not imported, the import reached the limit of ")


def test_security_cli_exit_status_says_some_refused_and_output_is_inert(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "bad\x1b[2J\x1b]0;owned\x07.txt").write_bytes(b"\xef\xbb\xbfBad \xff text here.")
    proc = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(folder),
                           "--db", str(tmp_path / "db.duckdb")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 4, proc.stderr
    assert "1 added" in proc.stdout and "1 refused" in proc.stdout
    assert "refused: bad.txt: not readable as text" in proc.stderr
    assert "\x1b" not in proc.stderr + proc.stdout and "\x07" not in proc.stderr


# --- 6. a server you can share ------------------------------------------------------------------

def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_security_worker_processes_exit_when_their_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = ("import os, time\n"
              "from analysis import distributed\n"
              "with distributed.worker_pool(1) as pool:\n"
              "    print(pool.submit(os.getpid).result(), flush=True)\n"
              "    time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    worker = int(parent.stdout.readline())
    assert _running(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker)


# --- 5. untrusted text is inert: Markdown, plotly labels, every page ----------------------------

MARKDOWN_PAYLOADS = ["![x](http://evil.example/i.png)", "[click](javascript:alert(1))",
                     ":red[big] :smile: :material/home:", "$x^2$", "<img src=x onerror=alert(1)>",
                     "# heading", "- item", "1. one", "**bold** _it_ ~~s~~", "`code`",
                     "see http://evil.example, www.evil.example, a@evil.example", "> quote",
                     "| a | b |", "two\n# lines"]
LABEL_PAYLOADS = ['<a href="http://evil.example">x</a>', "<b>bold</b>", "a<br>b",
                  '<span style="font-size:99px">big</span>', "&lt;a href=x&gt;"]


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_security_md_renders_as_plain_text(payload):
    from markdown_it import MarkdownIt

    from ui import safe

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(safe.md(payload))
    assert html.startswith("<p>") and html.count("<") == 2, html  # one paragraph, no markup
    assert ":red[" not in safe.md(payload) and "http://" not in safe.md(payload)


def test_security_md_leaves_ordinary_text_as_written():
    from ui import safe

    text = "Showing 2 of 5 articles: outlets St. Paul Times (3) and BBC"
    assert safe.md(text) == text


@pytest.mark.parametrize("payload", LABEL_PAYLOADS)
def test_security_figure_labels_draw_no_tags(payload):
    import plotly.graph_objects as go

    from ui import charts, safe

    fig = go.Figure(go.Bar(x=[payload, "plain"], y=[1, 2], name=payload, text=[payload, "t"],
                           customdata=[[payload], ["c"]]))
    charts.style(fig, xaxis=dict(categoryorder="array", categoryarray=[payload, "plain"]))
    trace = fig.data[0]
    for value in [*trace.x, trace.name, *trace.text, trace.customdata[0][0],
                  *fig.layout.xaxis.categoryarray]:
        assert "<a" not in value and "<b>" not in value and "<span" not in value
    assert safe.label(safe.label(payload)) == safe.label(payload)  # escaping twice: no change
    assert trace.x[1] == "plain"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A store whose outlets, titles, stories and actors are markup payloads."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    articles = [
        Article(text=f'{GOOD} "It was hard," said Maria Lopez of {payload}. The mayor agreed.',
                outlet=payload, story="![s](http://evil.example/s.png)", title=f"Title {payload}",
                source_name=f"{n}.txt")
        for n, payload in enumerate(['<a href="http://evil.example">Outlet A</a>',
                                     "![o](http://evil.example/o.png)"])]
    pipeline.import_articles(articles, path)
    return path


EVERY_PAGE = ["pages/overview.py", "pages/compare.py", "pages/sources.py", "pages/actors.py",
              "pages/tone.py", "pages/readability.py", "pages/coverage.py", "pages/article.py",
              "pages/corpus.py", "pages/report.py"]


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_security_pages_show_payloads_inert(page, hostile_db, monkeypatch):
    """Every Markdown element of every page holds the payloads escaped, and no chart
    carries a tag from the data."""
    import re

    from markdown_it import MarkdownIt

    from .helpers import open_dashboard

    monkeypatch.setenv("COVERAGE_LENS_DB", str(hostile_db))
    at = open_dashboard(page)
    at.query_params["q"] = "![q](http://evil.example/q.png)"
    elements = [e for kind in ("markdown", "caption", "info", "warning", "success", "subheader",
                               "title", "header") for e in at.get(kind)]
    html_blocks = [e.value for e in elements if getattr(e.proto, "allow_html", False)]
    texts = [e.value for e in elements if not getattr(e.proto, "allow_html", False)]
    texts += [b.label for b in at.button]
    for block in html_blocks:  # written by ui.highlight, which escapes the article's text
        assert "<a " not in block and "<img" not in block, (page, block)
    render = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render
    for text in texts:
        html = render(text)
        assert "<img" not in html and "<a " not in html, (page, text)
        assert not re.search(r"(?<!\\)(?:\]\(|:\w+\[|https?:)", text), (page, text)
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "<a href" not in spec and "\\u003ca href" not in spec, page


# --- 6. viewer mode ----------------------------------------------------------------------------

def test_security_viewer_sees_no_editing_controls(sample_db, monkeypatch):
    from .helpers import open_dashboard

    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    monkeypatch.setenv("COVERAGE_LENS_EDITOR_PASSWORD", "s3cret")
    at = open_dashboard("pages/corpus.py")
    keys = {b.key for b in at.button}
    assert not keys & {"corpus_import", "rename_go", "relabel_go", "delete_go", "reanalyze_go",
                       "outlets_save", "outlets_import"}
    assert "export_go" in keys
    assert [t.label for t in at.tabs] == ["Stored articles", "Export", "Outlets"]  # profiles read only
    assert "Viewer mode" in at.info[0].value
    at.switch_page("pages/actors.py").run()
    assert not {b.key for b in at.button} & {"merge_btn", "rename_btn", "hide_btn", "actors_reanalyze"}


def test_security_editor_password_unlocks_for_the_session(sample_db, monkeypatch):
    from .helpers import open_dashboard

    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    monkeypatch.setenv("COVERAGE_LENS_EDITOR_PASSWORD", "s3cret")
    at = open_dashboard("pages/corpus.py")
    at.text_input(key="editor_password").input("wrong")
    at.button(key="editor_login").click().run()
    assert "corpus_import" not in {b.key for b in at.button}
    at.text_input(key="editor_password").input("s3cret")
    at.button(key="editor_login").click().run()
    assert "corpus_import" in {b.key for b in at.button}


def test_security_access_rules(monkeypatch):
    import streamlit as st

    from ui import access

    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)
    for address, editor in (("127.0.0.1", True), ("localhost", True), ("0.0.0.0", False),
                            (None, False), ("10.0.0.5", False)):
        monkeypatch.setattr(st, "get_option", lambda name, a=address: a)
        assert access.can_edit() is editor, address
    monkeypatch.setenv(access.PASSWORD_ENV, "pw")
    monkeypatch.setattr(st, "get_option", lambda name: "127.0.0.1")
    assert access.can_edit() is False  # a password configured: editors sign in, even locally


def test_security_streamlit_binds_localhost_by_default():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"


def test_security_huge_html_page_is_cut_before_extraction(monkeypatch):
    from analysis import formats

    monkeypatch.setattr(formats, "MAX_HTML_CHARS", 5_000)
    body = "".join(f"<p>{GOOD} Paragraph {n}.</p>\n" for n in range(200))
    page = f"<html><head><title>Long page</title></head><body><article>{body}</article></body></html>"
    [article] = read("long.html", page.encode())
    assert "Paragraph 3." in article.text and "Paragraph 150." not in article.text
    assert any(n.startswith("page cut at") and "(the limit is 5,000)" in n
               for n in article.ingest_notes)


def test_security_exported_report_shows_payloads_inert(hostile_db, tmp_path):
    import re

    from analysis.__main__ import main

    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--db", str(hostile_db)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "evil.example" in html  # the payloads are there, as text
    assert not re.search(r"<(?:a|img)\s[^<>]*evil\.example", html)  # no tag from the data
    assert "\\u003ca href" not in html  # nor one in the charts' JSON
