"""Running the analysis on several processes or machines; the caller alone writes the store.

Two ways to spread articles over workers, with the same unit of work (``analyze_batch``):

- ``analyze_in_processes``: this process and local worker processes
  (``python -m analysis ingest --processes``).
- ``analyze_on_cluster``: a Dask cluster (``python -m analysis ingest --scheduler ADDRESS``).

Each worker process loads spaCy once (``nlp.get_nlp`` is cached per process) and analyzes
whole batches: the metric modules run on the workers too, not only the parser. Results
come back to the calling process, which is the single writer of the DuckDB store.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator

from .model import Article
from .tone import FAST_TONE_ENV

PARENT_CHECK_S = 0.5  # how often a worker checks that its parent is alive


class VersionMismatch(RuntimeError):
    """A worker runs other analysis code or lexicons than the importing process."""


# Settings of the importing process that change results without changing the analysis
# version: a Dask worker does not inherit the importing process's environment, so they
# travel with each batch (local worker processes inherit them anyway).
SETTINGS_ENV = (FAST_TONE_ENV,)


def importing_settings() -> dict[str, str | None]:
    """This process's values of ``SETTINGS_ENV`` (None: not set)."""
    return {name: os.environ.get(name) for name in SETTINGS_ENV}


def analyze_batch(articles: list[Article], settings: dict[str, str | None] | None = None
                  ) -> tuple[str, list[tuple[Article, dict]]]:
    """(analysis version, (article, result) pairs) of one batch, analyzed in this process
    with the importing process's ``settings`` (``importing_settings``) when given; a result
    is a ``Refusal`` for an article whose analysis failed."""
    from . import pipeline

    for name, value in (settings or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

    return pipeline.analysis_version(), list(pipeline.analyze_articles(articles,
                                                                       batch_size=len(articles) or 1))


def _batches(articles: list[Article], batch_size: int) -> list[list[Article]]:
    from .pipeline import batches

    return batches(articles, batch_size)


def _checked(version: str, expected: str, pairs):
    if version != expected:
        raise VersionMismatch(
            f"A worker runs analysis version {version}, this process {expected}: install the "
            f"same Coverage Lens code and lexicons on every worker."
        )
    return pairs


def _context():
    """How worker processes start. fork when this process runs no other thread: a worker then
    starts at once, with the spaCy model and lexicons this process has loaded. spawn
    otherwise (a new interpreter that loads them itself, for seconds): fork would copy the
    other threads' locks (DuckDB's, Streamlit's, Dask's) in an undefined state."""
    from multiprocessing import get_context

    return get_context("fork" if threading.active_count() == 1 else "spawn")


def worker_pool(n_workers: int, context=None):
    """A process pool whose workers end themselves when this process is gone: killed with
    SIGKILL, it cannot tell them to stop, and they would wait for work for ever."""
    from concurrent.futures import ProcessPoolExecutor

    context = context or _context()
    return ProcessPoolExecutor(n_workers, mp_context=context, initializer=_exit_with_parent,
                               initargs=(os.getpid(),))


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: a thread that ends the worker once ``parent`` has died (the
    worker is then handed to another parent, so its parent id changes)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def analyze_in_processes(articles: Iterable[Article], n_process: int, *,
                         batch_size: int = 8) -> Iterator[tuple[Article, dict]]:
    """(article, result) pairs in input order, analyzed by this process and ``n_process - 1``
    worker processes. This process analyzes batches too: while a spawned worker starts, and
    whenever the workers have two batches each queued. Near the end it keeps as many of the
    last batches as each worker has queued, so that no process waits long for the others."""
    from concurrent.futures import Future

    from .pipeline import analysis_version, warm_up

    if n_process < 2:
        raise ValueError("analyze_in_processes needs n_process >= 2")
    expected = analysis_version()
    todo = deque(_batches(list(articles), batch_size))
    queued = deque()  # per batch, in input order: a worker's future or this process's result
    context = _context()
    if context.get_start_method() == "fork":
        warm_up()  # loaded once here, inherited by the workers
    with worker_pool(n_process - 1, context) as pool:
        while todo or queued:
            while todo:
                pending = sum(isinstance(q, Future) and not q.done() for q in queued)
                # per worker after this one: at most two batches, and no more than are left here
                if pending >= 2 * (n_process - 1) or pending + 1 > (len(todo) - 1) * (n_process - 1):
                    break
                queued.append(pool.submit(analyze_batch, todo.popleft()))
            if todo:
                queued.append(analyze_batch(todo.popleft()))
            while queued and (not todo or not isinstance(queued[0], Future) or queued[0].done()):
                head = queued.popleft()
                version, pairs = head.result() if isinstance(head, Future) else head
                yield from _checked(version, expected, pairs)


def analyze_on_cluster(articles: Iterable[Article], address: str, *,
                       batch_size: int = 16) -> Iterator[tuple[Article, dict]]:
    """(article, result) pairs in input order, analyzed on the Dask cluster whose scheduler
    listens at ``address`` (e.g. ``tcp://10.0.0.5:8786``). Every worker needs this project
    and its requirements installed; batches of articles travel to the workers and their
    results back here, so the store is only ever written by this process."""
    from dask.distributed import Client

    from .pipeline import analysis_version

    articles = list(articles)
    expected = analysis_version()
    with Client(address) as client:
        futures = client.map(analyze_batch, _batches(articles, batch_size),
                             settings=importing_settings(), pure=False)
        for future in futures:
            version, pairs = future.result()
            future.release()  # the worker may forget the batch once it is here
            yield from _checked(version, expected, pairs)
