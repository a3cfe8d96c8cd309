"""Fetching article pages by URL, safely enough for a shared server.

Only http and https. Every address a host name resolves to (IPv4 and IPv6, with the
IPv4 inside IPv4-mapped, 6to4, Teredo and NAT64 addresses) must be a public one: private,
loopback, link-local, shared (carrier-grade NAT), multicast and reserved ranges are
refused, so that a URL cannot reach the machine or the network the tool runs on. The
connection goes to the address that was checked (no second DNS lookup an attacker could
answer differently), redirects are followed one at a time and each is checked again, and
both the time and the bytes spent on one URL are capped. The time cap holds for the whole
request, however slowly the server sends its headers or body: a timer shuts the connection
down at the deadline.

Every failure raises ``RefusedInput`` with a message naming the URL and the reason.
"""
from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .ingest import RefusedInput

TIMEOUT_S = 10.0  # per connect and per read
TOTAL_TIMEOUT_S = 30.0  # whole fetch of one URL, redirects included
MAX_FETCH_BYTES = 5_000_000
MAX_REDIRECTS = 5
USER_AGENT = "CoverageLens/0.1 (article import)"
# Test-only escape hatch: lets tests fetch from servers on 127.0.0.1. Never set it on a server.
ALLOW_PRIVATE_ENV = "COVERAGE_LENS_ALLOW_PRIVATE_URLS"

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


@dataclass
class Page:
    url: str  # the final URL, after redirects
    data: bytes
    content_type: str  # lower-case media type without parameters, "" when absent


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` must not be contacted ("loopback", "private", ...), or None if public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        problem = address_problem(str(inner))
        return f"{problem} (embedded in {ip})" if problem else None
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # e.g. 100.64.0.0/10, shared address space
        return "not public"
    return None


def _resolve(host: str, port: int, url: str, allow_private: bool) -> str:
    """The first address of ``host``, after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedInput(f"{url}: host name {host!r} could not be resolved ({exc})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise RefusedInput(f"{url}: host name {host!r} has no address")
    if not allow_private:
        for address in addresses:
            if problem := address_problem(address):
                raise RefusedInput(f"{url}: refused, {host} resolves to a {problem} address "
                                   f"({address}); only public addresses are fetched")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address chosen in advance, whatever the Host header says."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _read_capped(resp, url: str, max_bytes: int, deadline: float) -> bytes:
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise RefusedInput(f"{url}: the page is too large ({int(length) / 1e6:.1f} MB; "
                           f"the limit is {max_bytes / 1e6:.1f} MB)")
    chunks, size = [], 0
    while chunk := resp.read1(64 * 1024) if hasattr(resp, "read1") else resp.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise RefusedInput(f"{url}: the page is too large (over {max_bytes / 1e6:.1f} MB, "
                               f"the limit)")
        if time.monotonic() > deadline:
            raise RefusedInput(f"{url}: timed out (the server was too slow)")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, allow_private: bool = False, timeout: float = TIMEOUT_S,
          total_timeout: float = TOTAL_TIMEOUT_S, max_bytes: int = MAX_FETCH_BYTES,
          max_redirects: int = MAX_REDIRECTS) -> Page:
    """The page at ``url``. ``allow_private`` (or $COVERAGE_LENS_ALLOW_PRIVATE_URLS=1) lifts
    the public-address rule, for tests against local servers only."""
    allow_private = allow_private or os.environ.get(ALLOW_PRIVATE_ENV) == "1"
    deadline = time.monotonic() + total_timeout
    original, current = url, url.strip()
    for _hop in range(max_redirects + 1):
        try:
            parts = urlsplit(current)
            parts.hostname  # parsed lazily, and may raise
        except ValueError as exc:  # e.g. "http://[127.0.0.1]/": brackets hold IPv6 only
            raise RefusedInput(f"{original}: not a valid URL ({exc})") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise RefusedInput(f"{original}: only http and https URLs are fetched "
                               f"(got {parts.scheme or 'no scheme'!r})")
        if not parts.hostname:
            raise RefusedInput(f"{original}: no host name in {current!r}")
        if parts.username or parts.password:
            raise RefusedInput(f"{original}: URLs with a user name or password are not fetched")
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise RefusedInput(f"{original}: invalid port in {current!r}") from None
        address = _resolve(parts.hostname, port, original, allow_private)
        cls = _PinnedHTTPS if parts.scheme.lower() == "https" else _PinnedHTTP
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RefusedInput(f"{original}: timed out (the server was too slow)")
        conn = cls(parts.hostname, port, address, min(timeout, remaining))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # The socket timeout bounds each wait; a server sending a byte at a time never trips
        # it. At the deadline the timer shuts the connection down, which ends any read.
        watchdog = threading.Timer(remaining, _shut, (conn,))
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.request("GET", path, headers={"User-Agent": USER_AGENT,
                                               "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5"})
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise RefusedInput(f"{original}: redirect ({resp.status}) without a target")
                current = urljoin(current, location.strip())
                continue
            if resp.status != 200:
                raise RefusedInput(f"{original}: the server answered {resp.status} "
                                   f"{resp.reason or ''}".rstrip())
            data = _read_capped(resp, original, max_bytes, deadline)
            # the body ended because the timer cut it (its flag is set only after the cut, so
            # a read the cut ended can come first: the clock says so too)
            if watchdog.finished.is_set() or time.monotonic() >= deadline:
                raise TimeoutError
            ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return Page(url=current, data=data, content_type=ctype)
        except (OSError, http.client.HTTPException) as exc:
            if watchdog.finished.is_set() or isinstance(exc, TimeoutError):
                raise RefusedInput(f"{original}: timed out (the server was too slow)") from None
            if isinstance(exc, ssl.SSLError):
                raise RefusedInput(f"{original}: secure connection failed "
                                   f"({exc.reason or exc})") from None
            why = getattr(exc, "strerror", None) or exc
            raise RefusedInput(f"{original}: could not be fetched ({why})") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise RefusedInput(f"{original}: too many redirects (more than {max_redirects})")


def _shut(conn: http.client.HTTPConnection) -> None:
    """Ends the connection's reads from another thread (``close`` would not wake a blocked
    read; the plain socket's shutdown does, for TLS connections too)."""
    sock = conn.sock
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed
