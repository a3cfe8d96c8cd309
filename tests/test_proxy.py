"""Several dashboard processes behind a reverse proxy with sticky sessions (docs/scaling.md,
*Rooms larger than one process*): nginx on loopback in front of two ``streamlit run
dashboard.py`` processes; a browser (its route cookie) stays on one process, new browsers
are spread over both, and a session through the proxy draws pages. Skipped where nginx is
not installed (``apt-get install nginx``)."""
from __future__ import annotations

import asyncio
import http.cookiejar
import shutil
import subprocess
import time
import urllib.request

import pytest

from benchmarks import load_sessions as load

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if shutil.os.path.exists(p)),
                                      None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NGINX is None, reason="nginx is not installed")]

# The documented configuration (docs/scaling.md), on loopback without TLS, plus a header that
# names the process that answered (for the test only).
CONFIG = """
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    map $cookie_lens_route $lens_route {{
        ""      $request_id;
        default $cookie_lens_route;
    }}
    upstream lens {{
        hash $lens_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        add_header Set-Cookie "lens_route=$lens_route; Path=/; HttpOnly; SameSite=Lax" always;
        add_header X-Lens-Upstream $upstream_addr always;
        location / {{
            proxy_pass http://lens;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 86400;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def proxy(sample_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("proxy")
    db = work / "store.duckdb"
    shutil.copy(sample_db, db)
    port = load.free_port()
    try:
        with load.Server(db, work / "a.log", start_s=60) as a, \
                load.Server(db, work / "b.log", start_s=60) as b:
            upstreams = {f"127.0.0.1:{s.port}" for s in (a, b)}
            servers = "\n".join(f"        server {u};" for u in sorted(upstreams))
            (work / "nginx.conf").write_text(CONFIG.format(work=work, port=port, servers=servers))
            nginx = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                        break
                    except OSError:
                        time.sleep(0.2)
                yield f"127.0.0.1:{port}", upstreams
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)
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
