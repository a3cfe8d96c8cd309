"""Several dashboard processes behind a reverse proxy with sticky sessions (docs/scaling.md,
*Rooms larger than one process*): nginx on loopback, configured as benchmarks/load_proxy.py
does, in front of two ``streamlit run dashboard.py`` processes; a browser (its route cookie)
stays on one process, new browsers are spread over both, and a session through the proxy
draws pages. Skipped where nginx is not installed (``apt-get install nginx-light``)."""
from __future__ import annotations

import asyncio
import http.cookiejar
import shutil
import urllib.request

import pytest

from benchmarks import load_proxy
from benchmarks import load_sessions as load

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(load_proxy.nginx_path() is None, reason="nginx is not installed")]


@pytest.fixture(scope="module")
def proxy(sample_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("proxy")
    db = work / "store.duckdb"
    shutil.copy(sample_db, db)
    try:
        with load.Server(db, work / "a.log", start_s=60) as a, \
                load.Server(db, work / "b.log", start_s=60) as b:
            upstreams = [f"127.0.0.1:{s.port}" for s in (a, b)]
            with load_proxy.proxy(upstreams, work) as address:
                yield address, set(upstreams)
    except load.ServerDidNotStart as exc:
        pytest.skip(f"streamlit did not start: {exc}")


def _browser():
    """An opener that keeps cookies, like a browser's tab."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _upstream(opener, address: str, path: str = "/") -> str:
    with opener.open(f"http://{address}{path}", timeout=20) as response:
        assert response.status == 200
        return response.headers["X-Lens-Upstream"]


def test_proxy_keeps_a_browser_on_one_process_and_spreads_new_ones(proxy):
    address, upstreams = proxy
    browser = _browser()
    first = _upstream(browser, address)
    assert first in upstreams
    assert {_upstream(browser, address, p) for p in ("/", "/_stcore/health", "/")} == {first}
    # New browsers get random routes: 16 of them all on one of two processes would be 1 in 32,768.
    assert {_upstream(_browser(), address) for _ in range(16)} == upstreams


def test_proxy_session_draws_pages_on_the_browsers_process(proxy):
    address, upstreams = proxy
    browser = _browser()
    mine = _upstream(browser, address)
    [cookie] = [c for c in browser.handlers if isinstance(c, urllib.request.HTTPCookieProcessor)]
    route = next(c.value for c in cookie.cookiejar if c.name == "lens_route")

    async def session():
        import websockets

        async with websockets.connect(f"ws://{address}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, ping_interval=None, open_timeout=30,
                                      additional_headers={"Cookie": f"lens_route={route}"}) as ws:
            upstream = ws.response.headers["X-Lens-Upstream"]
            runs = [await load.run_page(ws, page, 60) for page in ("", "compare")]
        return upstream, runs

    upstream, runs = asyncio.run(session())
    assert upstream == mine
    assert [run.error for run in runs] == [None, None]
