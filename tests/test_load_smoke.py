"""Several users at once: 3 websocket sessions of a real ``streamlit run dashboard.py`` each
draw a page without error. The full load benchmark is benchmarks/load_sessions.py, whose
client this reuses. Skipped when the server cannot start here."""
import asyncio
import shutil

import pytest

from benchmarks import load_sessions as load


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    db = work / "store.duckdb"
    shutil.copy(sample_db, db)
    try:
        with load.Server(db, work / "server.log", start_s=45) as running:
            yield running
    except load.ServerDidNotStart as exc:
        pytest.skip(f"streamlit did not start: {exc}")


def test_load_smoke_three_sessions_draw_pages_without_error(server):
    pages = ("", "compare", "article")
    sessions = asyncio.run(load.hold_sessions(server.url, 3, duration_s=0, max_runs=1,
                                              timeout_s=45, pages=pages))
    runs = [run for session in sessions for run in session]
    assert [run.error for run in runs] == [None, None, None]
    assert sorted(run.page for run in runs) == sorted(pages)


@pytest.mark.parametrize("message, error", [
    ("exception", "exception: ValueError: boom"),
    ("error", "error alert: This page could not be drawn"),
    ("warning", None),
])
def test_load_smoke_classify_flags_failures(message, error):
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    element = msg.delta.new_element
    if message == "exception":
        element.exception.type, element.exception.message = "ValueError", "boom"
    else:
        element.alert.body = "This page could not be drawn"
        element.alert.format = Alert.ERROR if message == "error" else Alert.WARNING
    found_error, found_warning = load.classify(msg)
    assert found_error == error
    assert (found_warning is not None) == (message == "warning")
