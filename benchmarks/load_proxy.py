"""Load: N dashboard sessions on one process against the same N on several processes behind
nginx with sticky sessions (docs/scaling.md, *Rooms larger than one process*).

In one run, over a copy of the sample store and with no import: K ``streamlit run
dashboard.py`` processes on 127.0.0.1 (each warmed with one run of every page), nginx on
127.0.0.1 in front of them with the documented configuration; N websocket sessions (the
client of benchmarks/load_sessions.py) rerun Overview, Compare, Article and Report in turn
for --duration seconds, first all on one process, then through the proxy. Prints page runs,
errors, median and p95 seconds of a page run, and the load average (also to
benchmarks/results/load_proxy.md).

Run: .venv/bin/python benchmarks/load_proxy.py [--sessions 50] [--processes 2] [--duration 30]
Needs nginx (apt-get install nginx-light).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import load_sessions as load  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load_proxy.md"

# The documented nginx configuration (docs/scaling.md) on loopback without TLS, plus a header
# that names the process that answered (to check the routing).
CONFIG = """
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
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


def nginx_path() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)),
                                         None)


@contextlib.contextmanager
def proxy(upstreams: list[str], work: Path):
    """nginx on a free loopback port in front of ``upstreams`` (host:port); yields its
    host:port and stops it on exit."""
    port = load.free_port()
    servers = "\n".join(f"        server {u};" for u in upstreams)
    (work / "nginx.conf").write_text(CONFIG.format(work=work, port=port, servers=servers))
    process = subprocess.Popen([nginx_path(), "-c", str(work / "nginx.conf"), "-p", str(work)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(url: str, n: int, duration_s: float) -> str:
    sessions = asyncio.run(load.hold_sessions(url, n, duration_s=duration_s, timeout_s=90,
                                              ramp_s=5))
    runs = [run for session in sessions for run in session]
    ok = [run.seconds for run in runs if not run.error]
    errors = len(runs) - len(ok)
    figures = (f"median {load.median(ok):.2f} s, p95 {load.percentile(ok, 95):.2f} s"
               if ok else "no successful run")
    return (f"{len(runs)} page runs, {errors} errors, {figures} "
            f"(load average {os.getloadavg()[0]:.1f} after)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--duration", type=float, default=30.0)
    args = ap.parse_args()
    if not nginx_path():
        sys.exit("nginx is not installed (apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="load-proxy-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        db = work / "store.duckdb"
        load.build_store(db)
        servers = [stack.enter_context(load.Server(db, work / f"server{k}.log", start_s=120))
                   for k in range(args.processes)]
        for server in servers:  # every page once, so that no measured run pays the first load
            asyncio.run(load.hold_sessions(server.url, 1, max_runs=len(load.PAGES), timeout_s=90))
        address = stack.enter_context(proxy([f"127.0.0.1:{s.port}" for s in servers], work))
        lines = [f"{args.sessions} sessions, {args.duration:.0f} s each way, {os.cpu_count()} "
                 f"cores, load average {os.getloadavg()[0]:.1f} before"]
        print(lines[-1], flush=True)
        lines.append(f"- one process: {measure(servers[0].url, args.sessions, args.duration)}")
        print(lines[-1], flush=True)
        lines.append(f"- {args.processes} processes behind nginx: "
                     f"{measure(f'ws://{address}/_stcore/stream', args.sessions, args.duration)}")
        print(lines[-1], flush=True)
    RESULTS.write_text("# Load: one dashboard process vs several behind nginx\n\n"
                       + "\n".join(lines) + "\n\nCommand: `.venv/bin/python benchmarks/"
                       f"load_proxy.py --sessions {args.sessions} --processes {args.processes} "
                       f"--duration {args.duration:.0f}`\n", encoding="utf-8")


if __name__ == "__main__":
    main()
