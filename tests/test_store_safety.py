"""Nothing lost: an import killed midway changes nothing, concurrent imports both land,
and a process that finds the store busy is told so in words."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from analysis import pipeline, store
from analysis.model import Article

ROOT = Path(__file__).resolve().parent.parent
IMPORTER = textwrap.dedent("""
    import sys
    from analysis import pipeline
    from analysis.model import Article
    db, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pipeline.STAGE_ARTICLES = 2  # stage every batch: a kill finds staged rows
    articles = [Article(f"{prefix} report {i}. The minister spoke in Kyiv on Monday about aid. "
                        * 5, source_name=f"{prefix}{i}.txt") for i in range(n)]
    pipeline.import_articles(articles, db, batch_size=2,
                             progress=lambda done, total: print(done, flush=True))
""")


def importer(db, prefix, n):
    return subprocess.Popen([sys.executable, "-c", IMPORTER, str(db), prefix, str(n)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_store_killed_import_leaves_store_as_before(tmp_db):
    pipeline.import_articles([Article("An article stored before the import.", source_name="old.txt")], tmp_db)
    before = store.stored_versions(tmp_db)
    proc = importer(tmp_db, "killed", 40)
    for line in proc.stdout:  # wait until several batches are analyzed and staged
        if int(line) >= 6:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert store.stored_versions(tmp_db) == before
    # the next import discards what the dead one staged, and works
    report = pipeline.import_articles([Article("A later article.", source_name="new.txt")], tmp_db)
    assert len(report.added) == 1
    with store.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM staged").fetchone()[0] == 0
    assert len(store.stored_versions(tmp_db)) == 2


def test_store_two_imports_at_once_lose_nothing(tmp_db):
    procs = [importer(tmp_db, prefix, 8) for prefix in ("first", "second")]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
    names = {a.source_name for a in store.articles(tmp_db)}
    assert names == {f"{p}{i}.txt" for p in ("first", "second") for i in range(8)}


def test_store_busy_is_said_in_words(tmp_db):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(tmp_db)!r}); "
                               "print('open', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(store.StoreBusy, match="in use by another process"):
            with store.connect(tmp_db, wait_s=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with store.connect(tmp_db, wait_s=5):  # usable again once the other process is gone
        pass


# Another process (an import) takes the store's lock for a moment, as often as it can.
HOLDER = """
import sys, time, duckdb
taken, end = 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    try:
        con = duckdb.connect(sys.argv[1])
    except duckdb.IOException:
        time.sleep(0.01)
        continue
    taken += 1
    time.sleep(0.2)
    con.close()
    time.sleep(0.05)
print(taken)
"""


def test_store_connect_from_threads_while_another_process_writes(tmp_path):
    db = tmp_path / "store.duckdb"
    with store.connect(db):
        pass
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "5"], text=True,
                              stdout=subprocess.PIPE)
    end = time.monotonic() + 5
    errors = []

    def read():  # what each dashboard session does, with a page's pause between reads
        while time.monotonic() < end:
            try:
                with store.connect(db) as con:
                    con.execute("SELECT count(*) FROM articles").fetchall()
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    taken = int(holder.communicate(timeout=30)[0])
    assert taken > 0  # the other process did hold the file meanwhile
    assert errors == []


# --- publishing in steps (issue 24): readers wait about a second, an import ends all in -------

STAGER = textwrap.dedent("""
    import sys, time
    from analysis import store
    from analysis.model import Article
    db, n = sys.argv[1], int(sys.argv[2])
    result = {"word_count": 9, "sentence_count": 1, "readability": {}, "tone": {"loaded_words": []},
              "sources": {}, "actors": [],
              "attributions": [{"source": "Maria Lopez", "content": "x" * 200} for _ in range(40)],
              "sentences": [{"text": "y" * 200, "sentiment": 0.1} for _ in range(60)]}
    import_id = store.begin_import(db)
    for start in range(0, n, 50):
        store.stage(import_id, [(Article(f"Article {i}. " * 40, source_name=f"{i}.txt"), result)
                                for i in range(start, min(n, start + 50))], "v", db)
    print("staged", flush=True)
    sys.stdin.readline()  # the test starts reading, then lets the import publish
    started = time.monotonic()
    store.publish(import_id, db)
    print(f"published {time.monotonic() - started:.1f}", flush=True)
""")


def test_store_safety_publishing_blocks_readers_at_most_two_seconds(tmp_db):
    store.stored_versions(tmp_db)  # the store exists
    proc = subprocess.Popen([sys.executable, "-c", STAGER, str(tmp_db), "200"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "staged", proc.stderr.read()[-2000:]
    proc.stdin.write("go\n")
    proc.stdin.flush()
    waits = []
    while proc.poll() is None:
        started = time.monotonic()
        store.stored_versions(tmp_db)
        waits.append(time.monotonic() - started)
        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert len(store.stored_versions(tmp_db)) == 200
    assert max(waits) < 2.0, (max(waits), out)


def test_store_safety_import_killed_while_publishing_is_finished_by_the_next(tmp_db, monkeypatch):
    result = {"word_count": 3, "sentence_count": 1, "readability": {}, "tone": {}, "sources": {},
              "attributions": [], "actors": [], "sentences": []}
    import_id = store.begin_import(tmp_db)
    store.stage(import_id, [(Article(f"Text number {i}.", source_name=f"{i}.txt"), result)
                            for i in range(6)], "v", tmp_db)
    monkeypatch.setattr(store, "PUBLISH_GROUP", 2)
    monkeypatch.setattr(store, "PUBLISH_STEP_S", 0.0)  # one group per step
    with store._transaction(tmp_db) as con:  # the first step of a publish, then the process "dies"
        assert store._publish_step(con, import_id) == 2
        con.execute("UPDATE imports SET publishing = true WHERE import_id = ?", [import_id])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with store.connect(tmp_db) as con:
        con.execute("UPDATE imports SET pid = ? WHERE import_id = ?", [int(dead), import_id])
    assert len(store.stored_versions(tmp_db)) == 2
    store.begin_import(tmp_db)  # the next import finishes the dead one's publishing
    assert len(store.stored_versions(tmp_db)) == 6
    with store.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM staged").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM staged_index").fetchone()[0] == 0
