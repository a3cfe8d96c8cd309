"""The installable package (pyproject.toml): `pip install .` into a fresh environment makes
`analysis` importable from any folder, with its lexicons and models, and adds the
`coverage-lens` command."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What pyproject.toml builds the package from; the rest of the checkout stays behind.
BUILD_INPUTS = ("pyproject.toml", "requirements.txt", "README.md", "analysis", "ui")


def clean_env() -> dict[str, str]:
    """This environment without PYTHONPATH: nothing points at the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new virtual environment (its folder) with the package installed by pip from a copy of
    the build inputs. The dependencies come from this environment through a .pth file, so the
    install needs no network (--no-deps, --no-build-isolation: this environment's setuptools
    builds it)."""
    root = tmp_path_factory.mktemp("installed")
    src = root / "src"
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-build-isolation", "--no-index", str(src)],
                   check=True, capture_output=True, text=True, cwd=root, env=clean_env(), timeout=120)
    return venv


def run_installed(venv: Path, *args, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True,
                          text=True, timeout=timeout)


def test_package_installs_the_coverage_lens_command(installed, tmp_path):
    done = run_installed(installed, installed / "bin" / "coverage-lens", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: coverage-lens")
    for command in ("ingest", "export", "reanalyze", "coverage", "report"):
        assert command in done.stdout


def test_package_imports_analysis_with_its_lexicons_and_models_from_any_folder(installed, tmp_path):
    from analysis import pipeline

    # The analysis version hashes every lexicon and model file: equal only if all were installed.
    done = run_installed(installed, installed / "bin" / "python", "-c",
                         "import analysis, ui.report\nfrom analysis import pipeline\n"
                         "from analysis import store\nprint(analysis.__file__)\n"
                         "print(pipeline.analysis_version())\nprint(store.DEFAULT_DB)",
                         cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, version, default_db = done.stdout.split()
    assert Path(where).is_relative_to(installed)
    assert version == pipeline.analysis_version()
    # the default store is the user's, not a file beside the installed code
    assert not Path(default_db).is_relative_to(installed) and "coverage-lens" in default_db


def test_package_command_imports_like_python_m_analysis(installed, tmp_path):
    text = ("Mayor John Carter said the new bridge would open next year. Critics called the plan "
            "wasteful, according to a city council report.\n")
    (tmp_path / "bridge.txt").write_text("Mayor backs new bridge\n\n" + text, encoding="utf-8")
    db = tmp_path / "store.duckdb"
    done = run_installed(installed, installed / "bin" / "coverage-lens", "ingest", "bridge.txt",
                         "--outlet", "Valley Times", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    from analysis import store

    [record] = store.export_records(db)
    assert record["outlet"] == "Valley Times" and record["sources"]["n_attributions"] >= 1
    # the report's builder (ui/report.py) is part of the package too
    done = run_installed(installed, installed / "bin" / "coverage-lens", "report", "--out",
                         "report.html", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Valley Times" in (tmp_path / "report.html").read_text(encoding="utf-8")


CLUSTER_TEXTS = {
    "port.txt": "Port strike ends\n\nDock workers ended their strike on Monday. \"We won a fair "
                "deal,\" said union leader Maria Lopez. The port authority said ships would sail "
                "again by Wednesday.\n",
    "bank.txt": "Bank raises rates\n\nThe central bank raised rates again. \"Inflation is still "
                "too high,\" its governor told reporters in Frankfurt.\n",
    "storm.txt": "Storm closes schools\n\nA powerful storm closed schools across the county. "
                 "Officials said the roads were dangerous and urged residents to stay home.\n",
}
CLUSTER_BUDGET_S = 85  # the whole cluster test, processes started and stopped


@pytest.mark.slow
def test_package_cluster_started_as_documented_ingests_and_refuses_another_version(installed,
                                                                                  tmp_path):
    """docs/scaling.md's steps on loopback: `dask scheduler` and `dask worker` as processes of
    the environment where the package is installed, started in a folder that is not the
    checkout, with no PYTHONPATH; `coverage-lens ingest --scheduler` stores what a local
    import stores. An importing process whose lexicons differ from the worker's is refused
    with a message and stores nothing."""
    import json
    import signal
    import time

    from analysis import store
    from analysis.__main__ import main

    deadline = time.monotonic() + CLUSTER_BUDGET_S
    python = installed / "bin" / "python"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in CLUSTER_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    address_file = tmp_path / "scheduler.json"
    started = []

    def start(*args) -> subprocess.Popen:
        log = open(tmp_path / f"{args[0]}.log", "w")
        started.append(subprocess.Popen([str(python), "-m", "dask", *args], cwd=tmp_path,
                                        env=clean_env(), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True))
        return started[-1]

    def logs() -> str:
        return "\n".join(p.read_text() for p in tmp_path.glob("*.log"))

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(address_file))
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert address_file.is_file(), logs()
        time.sleep(0.2)  # the file is written whole, but give the writer its moment
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        start("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
              "--no-dashboard")

        on_cluster = tmp_path / "cluster.duckdb"
        done = run_installed(installed, installed / "bin" / "coverage-lens", "ingest", "in",
                             "--outlet", "X", "--db", on_cluster, "--scheduler", address,
                             cwd=tmp_path, timeout=max(1, deadline - time.monotonic()))
        assert done.returncode == 0, done.stderr + logs()
        local = tmp_path / "local.duckdb"
        assert main(["ingest", str(folder), "--outlet", "X", "--db", str(local)]) == 0
        assert len(store.export_records(on_cluster)) == len(CLUSTER_TEXTS)
        assert store.export_records(on_cluster) == store.export_records(local)

        # Another lexicon here than on the worker: another analysis version.
        extra = tmp_path / "my-lexicons"
        extra.mkdir()
        (extra / "hedges.txt").write_text("reportedly perhaps\n", encoding="utf-8")
        refused_db = tmp_path / "refused.duckdb"
        env = {**clean_env(), "COVERAGE_LENS_LEXICONS": str(extra)}
        done = subprocess.run([str(installed / "bin" / "coverage-lens"), "ingest", "in", "--outlet",
                               "X", "--db", str(refused_db), "--scheduler", address], cwd=tmp_path,
                              env=env, capture_output=True, text=True,
                              timeout=max(1, deadline - time.monotonic()))
        assert done.returncode == 1, done.stderr
        assert "error: A worker runs analysis version" in done.stderr
        assert "install the same Coverage Lens code and lexicons on every worker" in done.stderr
        assert "Traceback" not in done.stderr
        assert store.export_records(refused_db) == []
    finally:
        for process in reversed(started):  # the worker first, then the scheduler
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
