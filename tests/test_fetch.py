"""Fetching URLs: public addresses only, redirects re-checked, time and size capped.

The servers here run on loopback addresses. Refusal tests use the fetcher's defaults; the
tests that need a page served use ``allow_private=True`` (or the environment override), and
one test treats 127.0.0.2 as if it were public so that a redirect from a "public" server to
127.0.0.1 can be shown to be refused.
"""
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis import fetch, ingest, pipeline, store
from analysis.fetch import address_problem
from analysis.ingest import Refusal, RefusedInput
from analysis.model import Article

BODY = ("The harbour ferry will run every twenty minutes from Monday, the transport office said, "
        "after a year in which passengers complained of long waits and crowded boats. "
        "The new timetable adds two boats and a late sailing on Fridays.")
PAGE = (f"<html><head><title>Ferry timetable changes</title>"
        f"<meta property='og:site_name' content='Harbour Post'></head>"
        f"<body><nav>Home | News | Sport</nav><article><h1>Ferry timetable changes</h1>"
        f"<p>{BODY}</p><p>{BODY.replace('harbour', 'island')}</p></article></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    other_port = 0  # port of the server on 127.0.0.1, for the redirect test

    def log_message(self, *args):
        pass

    def send(self, status=200, body=b"", ctype="text/html; charset=utf-8", headers=None,
             length=True):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/good":
            self.send(body=PAGE)
        elif path == "/text":
            self.send(body=BODY.encode(), ctype="text/plain")
        elif path == "/missing":
            self.send(404, b"not here")
        elif path == "/slow":
            time.sleep(3)
            self.send(body=PAGE)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<p>more</p>")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/drip-headers":  # a byte at a time: no single read ever times out
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 200:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass  # the client hung up, as it should
            self.close_connection = True
        elif path == "/big":
            self.send(body=b"<p>" + b"x" * 50_000 + b"</p>")
        elif path == "/big-unannounced":
            self.send(body=b"<p>" + b"x" * 50_000 + b"</p>", length=False)
            self.close_connection = True
        elif path == "/to-loopback":
            self.send(302, headers={"Location": f"http://127.0.0.1:{self.other_port}/good"})
        elif path == "/to-good":
            self.send(301, headers={"Location": "/good"})
        elif path == "/loop":
            self.send(302, headers={"Location": "/loop"})
        elif path == "/to-file":
            self.send(302, headers={"Location": "file:///etc/passwd"})
        elif path == "/pdf":
            self.send(body=b"%PDF-1.4", ctype="application/pdf")
        else:
            self.send(404, b"")


def serve(host):
    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def servers():
    """Servers on 127.0.0.1 (the usual loopback) and 127.0.0.2 (played as "public")."""
    main, other = serve("127.0.0.1"), serve("127.0.0.2")
    Handler.other_port = main.server_address[1]
    yield {"main": f"http://127.0.0.1:{main.server_address[1]}",
           "other": f"http://127.0.0.2:{other.server_address[1]}"}
    for s in (main, other):
        s.shutdown()
        s.server_close()


@pytest.fixture
def base(servers):
    return servers["main"]


# --- the address rule --------------------------------------------------------------------

@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.10", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("100.64.0.1", "not public"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("192.0.2.1", "private"),
    ("::ffff:127.0.0.1", "loopback (embedded in ::ffff:7f00:1)"),
    ("::ffff:10.0.0.1", "private (embedded in ::ffff:a00:1)"),
    ("64:ff9b::7f00:1", "loopback (embedded in 64:ff9b::7f00:1)"),
    ("64:ff9b::a9fe:a9fe", "link-local (embedded in 64:ff9b::a9fe:a9fe)"),
    ("2002:7f00:1::", "loopback (embedded in 2002:7f00:1::)"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback (embedded in 2001:0:4136:e378:8000:63bf:80ff:fffe)"),
])
def test_fetch_refuses_non_public_addresses(address, problem):
    assert address_problem(address) == problem


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_fetch_accepts_public_addresses(address):
    assert address_problem(address) is None


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.com/a", "only http and https URLs are fetched (got 'ftp')"),
    ("file:///etc/passwd", "only http and https URLs are fetched (got 'file')"),
    ("http://user:pw@example.com/", "URLs with a user name or password are not fetched"),
    ("http:///nohost", "no host name in 'http:///nohost'"),
    ("http://example.com:99999/", "invalid port in 'http://example.com:99999/'"),
])
def test_fetch_refuses_bad_urls(url, reason):
    with pytest.raises(RefusedInput) as exc:
        fetch.fetch(url)
    assert str(exc.value) == f"{url}: {reason}"


def test_fetch_refuses_loopback_by_default(base):
    with pytest.raises(RefusedInput, match=r"refused, 127\.0\.0\.1 resolves to a loopback address"):
        fetch.fetch(f"{base}/good")


def test_fetch_refuses_localhost_name(base):
    port = base.rsplit(":", 1)[1]
    with pytest.raises(RefusedInput, match="refused, localhost resolves to a loopback address"):
        fetch.fetch(f"http://localhost:{port}/good")


def test_fetch_checks_every_address_of_a_name(monkeypatch):
    """A name with one public and one private address is refused (no rebinding trick)."""
    def fake(host, port, *a, **kw):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in ("93.184.216.34", "10.0.0.7")]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", fake)
    with pytest.raises(RefusedInput, match=r"resolves to a private address \(10\.0\.0\.7\)"):
        fetch.fetch("http://mixed.example/")


def test_fetch_refuses_redirect_to_loopback(servers, monkeypatch):
    real = fetch.address_problem
    monkeypatch.setattr(fetch, "address_problem",
                        lambda a: None if a == "127.0.0.2" else real(a))
    assert fetch.fetch(f"{servers['other']}/good").data == PAGE  # the "public" server is fetched
    with pytest.raises(RefusedInput, match="refused, 127.0.0.1 resolves to a loopback address"):
        fetch.fetch(f"{servers['other']}/to-loopback")


# --- served pages (the address rule lifted for the local server) -------------------------

def test_fetch_good_page_and_redirect(base):
    page = fetch.fetch(f"{base}/to-good", allow_private=True)
    assert (page.url, page.data, page.content_type) == (f"{base}/good", PAGE, "text/html")


@pytest.mark.parametrize("path, kwargs, reason", [
    ("/missing", {}, "the server answered 404 Not Found"),
    ("/slow", {"timeout": 0.5}, "timed out (the server was too slow)"),
    ("/trickle", {"total_timeout": 1.0}, "timed out (the server was too slow)"),
    ("/big", {"max_bytes": 10_000}, "the page is too large (0.1 MB; the limit is 0.0 MB)"),
    ("/big-unannounced", {"max_bytes": 10_000}, "the page is too large (over 0.0 MB, the limit)"),
    ("/loop", {}, "too many redirects (more than 5)"),
    ("/to-file", {}, "only http and https URLs are fetched (got 'file')"),
])
def test_fetch_failures_have_reasons(base, path, kwargs, reason):
    with pytest.raises(RefusedInput) as exc:
        fetch.fetch(base + path, allow_private=True, **kwargs)
    assert str(exc.value) == f"{base}{path}: {reason}"


def test_fetch_unreachable_server_is_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    with pytest.raises(RefusedInput, match="could not be fetched"):
        fetch.fetch(f"http://127.0.0.1:{port}/", allow_private=True)


def test_fetch_read_url_gives_an_article(base):
    [article] = ingest.read_url(f"{base}/good", allow_private=True, story="Ferries")
    assert isinstance(article, Article)
    assert (article.title, article.outlet, article.story, article.url) == (
        "Ferry timetable changes", "Harbour Post", "Ferries", f"{base}/good")
    assert "late sailing on Fridays" in article.text and "Sport" not in article.text


def test_fetch_read_url_refusals_name_the_url(base):
    [pdf] = ingest.read_url(f"{base}/pdf", allow_private=True)
    assert pdf == Refusal(f"{base}/pdf", f"{base}/pdf: not an article page or export "
                                         f"(content type application/pdf)")
    [refused] = ingest.read_url(f"{base}/good")
    assert refused.source_name == f"{base}/good" and "loopback" in refused.reason


def test_fetch_read_paths_takes_urls_with_environment_override(base, monkeypatch):
    monkeypatch.setenv(fetch.ALLOW_PRIVATE_ENV, "1")
    items = list(ingest.read_paths([f"{base}/text", f"{base}/missing"]))
    assert isinstance(items[0], Article) and items[0].text == BODY
    assert items[1].reason == f"{base}/missing: the server answered 404 Not Found"


def test_fetch_same_text_by_url_is_a_duplicate(base, tmp_db, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "analyze_articles", lambda arts, **_: (
        (a, {"word_count": 1, "sentence_count": 1, "readability": {}, "tone": {}, "sources": {},
             "attributions": [], "actors": [], "sentences": []}) for a in arts))
    (tmp_path / "ferry.txt").write_text(BODY)
    pipeline.import_articles(ingest.read_paths([tmp_path / "ferry.txt"]), tmp_db)
    report = pipeline.import_articles(ingest.read_url(f"{base}/text", allow_private=True), tmp_db)
    assert [a.source_name for a in report.duplicates] == [f"{base}/text"]
    assert len(store.articles(tmp_db)) == 1


def test_fetch_deadline_holds_for_slow_headers(base):
    started = time.monotonic()
    with pytest.raises(RefusedInput, match="timed out"):
        fetch.fetch(f"{base}/drip-headers", allow_private=True, timeout=5.0, total_timeout=1.0)
    assert time.monotonic() - started < 2.0


def test_fetch_refuses_unparsable_url():
    with pytest.raises(RefusedInput, match=r"^http://\[127\.0\.0\.1\]/: not a valid URL"):
        fetch.fetch("http://[127.0.0.1]/")
