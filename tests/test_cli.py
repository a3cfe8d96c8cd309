"""The command line: ingest then export, per the design's schema."""
import json
import subprocess
import sys

ARTICLE_FIELDS = {"article_id", "outlet", "title", "text", "url", "author", "published", "story",
                  "source_name", "ingest_notes"}
RESULT_KEYS = {"word_count", "sentence_count", "readability", "tone", "sources", "attributions", "actors"}


def run(*args, env_db):
    return subprocess.run([sys.executable, "-m", "analysis", *args, "--db", str(env_db)],
                          capture_output=True, text=True, timeout=300)


def test_cli_ingest_then_export_json(tmp_path, sample_dir):
    db = tmp_path / "cli.duckdb"
    first = run("ingest", str(sample_dir), env_db=db)
    assert first.returncode == 0, first.stderr
    assert "5 added" in first.stdout
    again = run("ingest", str(sample_dir), env_db=db)
    assert "0 added" in again.stdout and "5 skipped as already stored" in again.stdout
    out = tmp_path / "x.json"
    assert run("export", "--format", "json", "--out", str(out), env_db=db).returncode == 0
    records = json.loads(out.read_text())
    assert len(records) == 5
    for r in records:
        assert ARTICLE_FIELDS | RESULT_KEYS <= set(r)
    assert {r["outlet"] for r in records} >= {"Chatty blog", "Summary news site"}


def test_cli_export_csv_and_xlsx(tmp_path, sample_db):
    import openpyxl
    import pandas as pd

    csv_out, xlsx_out = tmp_path / "m.csv", tmp_path / "m.xlsx"
    assert run("export", "--format", "csv", "--out", str(csv_out), env_db=sample_db).returncode == 0
    frame = pd.read_csv(csv_out)
    assert len(frame) == 5 and "readability_grade" in frame
    assert run("export", "--format", "xlsx", "--out", str(xlsx_out), env_db=sample_db).returncode == 0
    sheet = openpyxl.load_workbook(xlsx_out).active
    assert sheet.max_row == 6


def test_cli_refusal_is_reported_with_the_file_name(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    proc = run("ingest", str(bad), env_db=tmp_path / "db.duckdb")
    assert proc.returncode == 1
    assert "broken.txt" in proc.stderr and "1 refused" in proc.stdout


def test_cli_export_format_follows_the_extension(tmp_path, sample_db):
    import openpyxl

    out = tmp_path / "m.xlsx"
    assert run("export", "--out", str(out), env_db=sample_db).returncode == 0
    assert openpyxl.load_workbook(out).active.max_row == 6  # a workbook, not JSON named .xlsx
    mismatch = run("export", "--format", "json", "--out", str(tmp_path / "n.xlsx"), env_db=sample_db)
    assert mismatch.returncode == 2 and "does not match" in mismatch.stderr
    assert not (tmp_path / "n.xlsx").exists()
    unknown = run("export", "--out", str(tmp_path / "n.dat"), env_db=sample_db)
    assert unknown.returncode == 2 and "cannot tell the format" in unknown.stderr
    assert run("export", "--format", "csv", "--out", str(tmp_path / "n.dat"), env_db=sample_db).returncode == 0


def test_cli_progress_in_a_log_is_one_line_per_tenth(capsys):
    from analysis.__main__ import _progress_printer

    show = _progress_printer("analyzing", terminal=False)
    for done in range(1, 101):
        show(done, 100)
    lines = capsys.readouterr().err.splitlines()
    assert "\r" not in "".join(lines)
    assert len(lines) == 11 and lines[-1].startswith("analyzing: 100/100 articles")


def test_cli_report_is_the_pages_report(tmp_path, sample_db):
    from analysis.__main__ import main

    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--db", str(sample_db)]) == 0
    html = out.read_text(encoding="utf-8")
    for heading in ("Attributions by kind of source", "Readability grade per article",
                    "Distinct named sources", "Anonymous attributions"):
        assert heading in html
    assert '"template"' in html and "automargin" in html  # styled for export, not the page's theme
