"""The analysis on a Dask cluster (and on local processes) equals the analysis in one process."""
from pathlib import Path

import pytest

from analysis import distributed, pipeline, store
from analysis.__main__ import main
from analysis.model import Article

distributed_mod = pytest.importorskip("dask.distributed")

TEXTS = [
    ("Harbor Daily", "Port strike ends",
     'Dock workers ended their strike on Monday. "We won a fair deal," said union leader Maria '
     'Lopez. The port authority said ships would sail again by Wednesday.'),
    ("Valley Times", "Mayor backs new bridge",
     "Mayor John Carter said the new bridge would open next year. Critics called the plan "
     "wasteful, according to a city council report."),
    ("Harbor Daily", "Storm closes schools",
     "A powerful storm closed schools across the county. Officials said the roads were "
     "dangerous and urged residents to stay home."),
    ("Metro Wire", "Bank raises rates",
     'The central bank raised rates again. "Inflation is still too high," its governor told '
     "reporters in Frankfurt."),
]


def _articles():
    return [Article(text=t, outlet=o, title=title, story="Week", source_name=f"a{i}.txt")
            for i, (o, title, t) in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def scheduler():
    with distributed_mod.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def local_results(nlp):
    return {a.article_id: r for a, r in pipeline.analyze_articles(_articles())}


def test_distributed_cluster_results_equal_local_run(scheduler, local_results):
    pairs = list(distributed.analyze_on_cluster(_articles(), scheduler, batch_size=2))
    assert [a.article_id for a, _ in pairs] == [a.article_id for a in _articles()]
    assert {a.article_id: r for a, r in pairs} == local_results


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_distributed_local_processes_results_equal_local_run(local_results, monkeypatch, start):
    import multiprocessing

    monkeypatch.setattr(distributed, "_context", lambda: multiprocessing.get_context(start))
    # Batches of one: this process and the worker both analyze some, results stay in order.
    pairs = list(distributed.analyze_in_processes(_articles(), 2, batch_size=1))
    assert [a.article_id for a, _ in pairs] == [a.article_id for a in _articles()]
    assert {a.article_id: r for a, r in pairs} == local_results


def test_distributed_cli_ingest_with_scheduler_stores_what_a_local_import_stores(
        tmp_path, scheduler, local_results):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (_, title, text) in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    on_cluster, local = tmp_path / "cluster.duckdb", tmp_path / "local.duckdb"
    assert main(["ingest", str(folder), "--outlet", "X", "--db", str(on_cluster),
                 "--scheduler", scheduler]) == 0
    assert main(["ingest", str(folder), "--outlet", "X", "--db", str(local)]) == 0
    assert store.export_records(on_cluster) == store.export_records(local)
    assert len(store.export_records(on_cluster)) == len(TEXTS)


def test_distributed_forks_only_a_process_without_other_threads():
    import subprocess
    import sys
    import threading

    alone = subprocess.run([sys.executable, "-c", "from analysis import distributed; "
                            "print(distributed._context().get_start_method())"],
                           capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parent.parent)
    assert alone.stdout.strip() == "fork"
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert distributed._context().get_start_method() == "spawn"
    finally:
        release.set()
        thread.join()


def test_distributed_batches_cover_every_article_once():
    items = [Article(text=str(i)) for i in range(7)]  # batches are also capped by characters
    assert [[a.text for a in b] for b in distributed._batches(items, 3)] == [
        ["0", "1", "2"], ["3", "4", "5"], ["6"]]
    assert distributed._batches([], 3) == []


def test_distributed_refuses_a_worker_with_another_analysis_version():
    with pytest.raises(distributed.VersionMismatch, match="same Coverage Lens code"):
        distributed._checked("1-aaaa", "1-bbbb", [])


def test_distributed_cluster_workers_take_the_importing_process_tone_setting(scheduler, monkeypatch):
    from analysis import tone

    # The workers' own environment says nothing; the importing process asks for the fast path.
    monkeypatch.setenv(tone.FAST_TONE_ENV, "1")
    fast = {a.article_id: r for a, r in pipeline.analyze_articles(_articles())}
    pairs = list(distributed.analyze_on_cluster(_articles(), scheduler, batch_size=2))
    assert {a.article_id: r for a, r in pairs} == fast
    monkeypatch.setenv(tone.FAST_TONE_ENV, "0")
    default = {a.article_id: r for a, r in pipeline.analyze_articles(_articles())}
    assert default != fast  # the setting changes results: a worker ignoring it would differ
    pairs = list(distributed.analyze_on_cluster(_articles(), scheduler, batch_size=2))
    assert {a.article_id: r for a, r in pairs} == default
