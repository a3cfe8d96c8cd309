"""Readers that turn files, folders, uploads, URLs and pasted text into ``Article`` records.

Every entry point (``read_paths``, ``read_upload``, ``read_url``) yields, per input item,
an ``Article`` or a ``Refusal`` saying why it was not read; the format readers for HTML,
tables and zip archives are in ``formats.py`` and URL fetching is in ``fetch.py``.

Plain text is decoded (UTF-8, UTF-8 with BOM, UTF-16, cp1252/latin-1), then cleaned: the
headline and byline are detected, and what is not article body (page fragments, share
widgets, comment prompts, "Related Posts" blocks, trailing teaser headlines, a headline
repeated in the body) is removed. Every removal is written to ``Article.ingest_notes``.
Bad input raises ``RefusedInput`` with a message naming the input; the entry points turn
any failure of one item (file, row, archive member, URL) into a ``Refusal`` of that item
alone, so that one bad input never stops the others.

Limits (docs/loading.md): an article's text is cut at ``MAX_ARTICLE_CHARS`` characters (at a
paragraph or sentence end, with a note), headlines and labels at ``MAX_TITLE_CHARS`` and
``MAX_LABEL_CHARS``; the import as a whole stops at ``MAX_IMPORT_CHARS`` (pipeline.py).
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import email.utils
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .model import Article, normalize_text

MAX_FILE_BYTES = 20_000_000  # one file, or one member of an archive
MAX_ARCHIVE_BYTES = 100_000_000  # a zip as stored; its members have caps of their own
TEXT_SUFFIXES = {".txt", ".text", ".md"}
MANIFEST_NAMES = ("manifest.csv",)
# Characters of one article's body that are analyzed: about 17,000 words, longer than nearly
# every news article; analysis time and memory grow with it (benchmarks/worst_inputs.py).
MAX_ARTICLE_CHARS = 100_000
# Characters of new article text in one import (about 8 million words, roughly half an hour
# of analysis on one core); the items after it are refused, to be imported separately.
MAX_IMPORT_CHARS = 50_000_000
MAX_TITLE_CHARS = 1_000  # a headline
MAX_LABEL_CHARS = 200  # outlet, story, author
log = logging.getLogger(__name__)


class RefusedInput(ValueError):
    """An input that cannot become an article; the message names it and says why."""


@dataclass
class Refusal:
    source_name: str
    reason: str


# --- decoding --------------------------------------------------------------------------

def decode_bytes(data: bytes, name: str) -> str:
    """Text of ``data``; refuses empty, binary and undecodable input, naming ``name``."""
    if len(data) > MAX_FILE_BYTES:
        raise RefusedInput(f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is "
                           f"{MAX_FILE_BYTES / 1e6:.0f} MB)")
    if not data.strip():
        raise RefusedInput(f"{name}: the file is empty")
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        encoding = "UTF-16" if "16" in exc.encoding else "UTF-8"
        raise RefusedInput(f"{name}: not readable as text (it starts with a {encoding} "
                           f"byte-order mark, but is not valid {encoding}: {exc.reason})") from None
    if text is None:
        raise RefusedInput(f"{name}: not readable as text (binary, or an unknown encoding)")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if "\x00" in text or controls > max(2, len(text) // 200):
        raise RefusedInput(f"{name}: looks like a binary file, not text")
    if not text.strip():
        raise RefusedInput(f"{name}: the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
    """The text of ``data``; None when no encoding fits. A byte-order mark is a promise:
    bytes that break it raise UnicodeDecodeError rather than being guessed at."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    # UTF-16 without a BOM: every other byte of ASCII-range text is NUL.
    if len(data) >= 4 and data.count(0) >= len(data) // 3:
        for enc, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
            if zeros.count(0) >= len(zeros) * 0.6:
                try:
                    return data.decode(enc)
                except UnicodeDecodeError:
                    return None
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    # Western news text that is not UTF-8 is nearly always cp1252; prefer it over a guess
    # at a rarer single-byte code page when both decode the bytes.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return str(best)


# --- cleaning --------------------------------------------------------------------------

_BYLINE = re.compile(r"^(?:written by|posted by|by|author:)\s+([^\n]{2,80}?)\s*$", re.I)
_SHARE = re.compile(r"^(?:share (?:this|the) (?:post|article|story|page)|share on \w+|share|"
                    r"tweet|email|print|copy link)\s*[:!]?$", re.I)
# The short prompts must be the whole paragraph: "Comments by the minister ..." is article text.
_COMMENT_PROMPT = re.compile(r"^(?:(?:leave a (?:reply|comment)|post a comment|\d+ comments?|"
                             r"comments)\s*[:!.]?$|your email address will not be published)",
                             re.I)
_RELATED = re.compile(r"^(?:related (?:posts|articles|stories|news|content)|you (?:may|might) "
                      r"also like|read (?:more|next)|more (?:from|stories|news)|recommended"
                      r"(?: for you)?|trending(?: now)?|popular (?:posts|stories))\s*:?$", re.I)


def _letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def is_page_fragment(par: str) -> bool:
    """Template leftovers such as "in ," (an empty category and date around a comma)."""
    return _letters(par) < 4 or bool(re.fullmatch(r"(?:\w+\s+)?[,;|:·•-](?:\s+\w+)?", par.strip()))


def is_headline_like(par: str) -> bool:
    """A short line that does not end as a sentence does: a headline or teaser title."""
    words = par.split()
    return 0 < len(words) <= 25 and len(par) <= 200 and not re.search(r"[.;,]['\"”’]?$", par)


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks (hard wraps joined); one line each when no blank lines."""
    text = text.strip()
    if re.search(r"\n[ \t]*\n", text):
        blocks = re.split(r"\n[ \t]*\n", text)
        return [re.sub(r"\s*\n\s*", " ", b).strip() for b in blocks if b.strip()]
    return [line.strip() for line in text.split("\n") if line.strip()]


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def clean(text: str, *, title: str | None = None) -> tuple[str | None, str | None, str, list[str]]:
    """(title, author, body, notes) of a raw article text."""
    notes: list[str] = []
    pars = split_paragraphs(text)

    while pars and is_page_fragment(pars[0]):
        notes.append(f"removed page fragment {_clip(pars.pop(0))!r}")
    if title is None and len(pars) > 1 and is_headline_like(pars[0]) and not _BYLINE.match(pars[0]):
        title = pars.pop(0)
        notes.append(f"headline: {_clip(title)!r}")
    elif title is not None and pars and normalize_text(pars[0]) == normalize_text(title):
        pars.pop(0)

    author = None
    body: list[str] = []
    for i, par in enumerate(pars):
        if _COMMENT_PROMPT.match(par) or _RELATED.match(par):
            removed = ", ".join(repr(_clip(p, 40)) for p in pars[i:])
            kind = "comment section" if _COMMENT_PROMPT.match(par) else "related-links block"
            notes.append(f"removed {kind} ({len(pars) - i} paragraph(s)): {removed}")
            break
        if (m := _BYLINE.match(par)) and len(par.split()) <= 10:
            author = author or m.group(1).strip()
            notes.append(f"byline: {m.group(1).strip()!r}")
        elif _SHARE.match(par):
            notes.append(f"removed share widget {par!r}")
        elif is_page_fragment(par):
            notes.append(f"removed page fragment {_clip(par)!r}")
        elif title and normalize_text(par) == normalize_text(title):
            notes.append("removed headline repeated in the body")
        else:
            body.append(par)

    # Teaser headlines of other stories trail many pages; the article itself ends with a
    # sentence. Keep at least one paragraph so that a headline-only text is not emptied.
    while len(body) > 1 and is_headline_like(body[-1]):
        notes.append(f"removed trailing headline {_clip(body.pop())!r}")
    return title, author, "\n\n".join(body), notes


def article_from_text(raw: str, *, source_name: str, outlet: str | None = None,
                      story: str | None = None, title: str | None = None,
                      url: str | None = None, author: str | None = None,
                      published: dt.date | None = None) -> Article:
    # Cleaning reads paragraph by paragraph; a text many times the limit is cut first, so
    # that neither cleaning nor the analysis ever sees more than a bounded amount.
    raw, cut_raw = cut_text(scrub(raw), 2 * MAX_ARTICLE_CHARS)
    raw, repaired = repair_mojibake(raw)
    title, author, outlet, story, url = (repair_mojibake(scrub(v))[0] if v else v
                                         for v in (title, author, outlet, story, url))
    found_title, found_author, body, notes = clean(raw, title=title)
    if repaired:
        notes.append(f"repaired {repaired:,} passage(s) of UTF-8 read with the wrong encoding "
                     f"(\"FranÃ§ois\" -> \"François\")")
    if not body.strip():
        raise RefusedInput(f"{source_name}: no article text left after removing page furniture")
    body, cut = cut_text(body, MAX_ARTICLE_CHARS)
    if cut or cut_raw:
        notes.append(f"text cut at {len(body):,} characters (the limit per article is "
                     f"{MAX_ARTICLE_CHARS:,}): about {cut + cut_raw:,} more characters are not "
                     f"analyzed")
    labels = {}
    for field, value, limit in (("title", found_title, MAX_TITLE_CHARS),
                                ("author", author or found_author, MAX_LABEL_CHARS),
                                ("outlet", outlet, MAX_LABEL_CHARS),
                                ("story", story, MAX_LABEL_CHARS)):
        if value and len(value) > limit:
            notes.append(f"{field} cut at {limit:,} characters")
            value = _clip(value, limit)
        labels[field] = value
    return Article(text=body, title=labels["title"], author=labels["author"],
                   outlet=labels["outlet"] or "Unknown outlet",
                   story=labels["story"] or "Unlabelled story",
                   url=url, published=published, source_name=source_name, ingest_notes=notes)


_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|([\ud800-\udfff])")


def scrub(text: str) -> str:
    """``text`` without control characters (but tab and line breaks), which JSON escapes
    can carry into any field, and with each unpaired surrogate (no UTF-8 file or table can
    hold one) replaced by U+FFFD."""
    return _UNSTORABLE.sub(lambda m: "\ufffd" if m.group(1) else "", text)


# A run of characters outside ASCII: UTF-8 read as cp1252 or Latin-1 turns each of its
# multi-byte characters into such a run ("ç" -> "Ã§", twice -> "Ã\x83Â§"; "’" -> "â€™").
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def _common_script(code: int) -> bool:
    """Latin, Greek, Cyrillic, punctuation and symbols, CJK, Hangul: what repaired text holds
    (a pair of legitimate characters that happens to decode gives something else)."""
    return code < 0x250 or 0x370 <= code < 0x530 or 0x2000 <= code < 0x2150 \
        or 0x3000 <= code < 0xA000 or 0xAC00 <= code < 0xD7B0


def repair_mojibake(text: str) -> tuple[str, int]:
    """``text`` with each passage of UTF-8 that was decoded as cp1252 or Latin-1 (once or
    twice) decoded again, and the number of passages repaired. A run that does not decode
    back to fewer characters of a common script is left as it is: "é", "日本" or German
    "Straße“" stay."""
    if text.isascii():
        return text, 0
    repaired = 0
    out = []
    last = 0
    for m in _NON_ASCII_RUN.finditer(text):
        fixed = _redecoded(m.group())
        repaired += fixed != m.group()
        out += [text[last:m.start()], fixed]
        last = m.end()
    return "".join(out) + text[last:], repaired


def _redecoded(run: str) -> str:
    """``run`` encoded back as cp1252 or Latin-1 and decoded as UTF-8, up to three times
    (decoded wrongly twice is common in scraped archives), while that gives fewer characters
    of a common script."""
    for _ in range(3):
        for encoding in ("cp1252", "latin-1"):
            try:
                fixed = run.encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
            if len(fixed) < len(run) and all(_common_script(ord(c)) for c in fixed):
                run = fixed
                break
        else:
            break
    return run


def cut_text(text: str, limit: int) -> tuple[str, int]:
    """(``text`` cut to at most ``limit`` characters, how many were left out): at the last
    paragraph break, else sentence end, else space in the second half of the limit."""
    if len(text) <= limit:
        return text, 0
    head = text[:limit]
    for mark in ("\n\n", ". ", "\n", " "):
        at = head.rfind(mark)
        if at >= limit // 2:
            head = head[:at + (1 if mark == ". " else 0)]
            break
    head = head.rstrip()
    return head, len(text) - len(head)


# --- dates --------------------------------------------------------------------------

def parse_date(value) -> dt.date | None:
    """The date in ``value``: ISO 8601, GDELT's 20240501T120000Z, RFC 2822 (RSS), a Unix
    timestamp, or a written date ("May 1, 2024"; 01/05/2024 reads month first). None when
    there is no recognizable date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if value == value and abs(value) < 1e13 else ""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()[:100]
    parsed = None
    with contextlib.suppress(ValueError):
        parsed = dt.date.fromisoformat(value[:10])
    if parsed is None and re.fullmatch(r"\d{9,10}(?:\.\d+)?|\d{12,13}", value):
        seconds = float(value) / (1000 if len(value) >= 12 else 1)
        parsed = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    elif parsed is None and (m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T?\d{4,6}Z?)?", value)):
        with contextlib.suppress(ValueError):
            parsed = dt.date(*map(int, m.groups()))
    if parsed is None:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            parsed = email.utils.parsedate_to_datetime(value).date()
    if parsed is None and re.search(r"\d", value) and not value.isdigit():
        from dateutil import parser as date_parser

        # Missing parts default to year 1, which the range check below refuses: "May 5"
        # or "5" must not become a date in the current year.
        with contextlib.suppress(ValueError, OverflowError, TypeError):
            parsed = date_parser.parse(value, default=dt.datetime(1, 1, 1)).date()
    return parsed if parsed and 1800 <= parsed.year <= 2200 else None


# --- one input -> articles -------------------------------------------------------------

SUFFIX_KINDS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html",
                ".htm": "html", ".xhtml": "html", ".csv": "csv", ".tsv": "csv",
                ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".zip": "zip"}
SUPPORTED = ".txt, .html, .csv, .json, .jsonl or .zip"


def kind_of(name: str) -> str | None:
    """The reader for a file name, from its last extension only (``a.html.exe`` is .exe)."""
    return SUFFIX_KINDS.get(PurePosixPath(name.replace("\\", "/")).suffix.lower())


def safe_name(name: str, limit: int = 120) -> str:
    """A display name for an uploaded or archived file: no directories, no control
    characters. Uploaded names are only ever shown, never used as paths."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return _clip(base, limit) or "unnamed file"


def read_bytes(name: str, data: bytes, *, outlet: str | None = None, story: str | None = None,
               mapping: dict[str, str] | None = None, labels: dict | None = None,
               url: str | None = None, kind: str | None = None) -> Iterator[Article | Refusal]:
    """Articles in one file's bytes (several for a table or a zip); a Refusal for each
    input that cannot become one. ``name`` is for messages and ``source_name`` only."""
    from . import formats  # formats builds on the decoding and cleaning above

    kind = kind or kind_of(name)
    try:
        if kind is None:
            suffix = PurePosixPath(name).suffix or "no extension"
            raise RefusedInput(f"{name}: not a supported file type ({suffix}); use {SUPPORTED}")
        if kind == "zip":
            yield from formats.zip_items(name, data, outlet=outlet, story=story, mapping=mapping)
        elif kind == "html":
            yield formats.html_article(name, data, outlet=outlet, story=story, url=url)
        elif kind in ("csv", "json", "jsonl"):
            yield from formats.table_articles(name, data, kind, outlet=outlet, story=story,
                                              mapping=mapping)
        else:
            yield text_article(name, data, outlet=outlet, story=story, labels=labels, url=url)
    except RefusedInput as exc:
        yield Refusal(name, str(exc))
    except Exception as exc:  # one item's failure must not stop the others
        yield unexpected(name, exc, "read")


def unexpected(name: str, exc: BaseException, what: str) -> Refusal:
    """The refusal of an item whose reading or analysis failed in a way no reader foresaw
    (a bug, or a library's limit): it names the item and the error's kind, never the
    text; the log keeps the traceback."""
    log.warning("%s could not be %s", name, what, exc_info=exc)
    return Refusal(name, f"{name}: could not be {what} ({type(exc).__name__}; the other "
                         f"items are not affected)")


def text_article(name: str, data: bytes, *, outlet=None, story=None, labels=None,
                 url=None) -> Article:
    labels = labels or {}
    return article_from_text(
        decode_bytes(data, name), source_name=name,
        outlet=outlet or labels.get("outlet") or None,
        story=story or labels.get("story") or None,
        title=labels.get("title") or None, url=url or labels.get("url") or None,
        author=labels.get("author") or None, published=parse_date(labels.get("published")),
    )


def read_upload(name: str, data: bytes, *, outlet: str | None = None, story: str | None = None,
                mapping: dict[str, str] | None = None) -> Iterator[Article | Refusal]:
    """Articles in an uploaded file (any supported format, a zip included)."""
    yield from read_bytes(safe_name(name), data, outlet=outlet, story=story, mapping=mapping)


def read_pasted(text: str, *, title: str | None = None, outlet: str | None = None,
                published=None, story: str | None = None) -> Article:
    """An article from text pasted in the dashboard (cleaned like a .txt file)."""
    if not text or not text.strip():
        raise RefusedInput("pasted text: the text is empty")
    return article_from_text(text.replace("\r\n", "\n"), source_name="pasted text",
                             title=(title or "").strip() or None, outlet=outlet, story=story,
                             published=parse_date(published))


def read_url(url: str, *, outlet: str | None = None, story: str | None = None,
             mapping: dict[str, str] | None = None,
             allow_private: bool = False) -> Iterator[Article | Refusal]:
    """The article (or export) at ``url``, fetched with the limits of ``analysis.fetch``."""
    from . import fetch

    try:
        page = fetch.fetch(url, allow_private=allow_private)
    except RefusedInput as exc:
        yield Refusal(url, str(exc))
        return
    except Exception as exc:  # one URL's failure must not stop the others
        yield unexpected(url, exc, "fetched")
        return
    kind = CONTENT_KINDS.get(page.content_type) or kind_of(urlsplit(page.url).path)
    if kind is None and not page.content_type and page.data.lstrip()[:1] == b"<":
        kind = "html"
    if kind is None:
        yield Refusal(url, f"{url}: not an article page or export "
                           f"(content type {page.content_type or 'unknown'})")
        return
    yield from read_bytes(url, page.data, outlet=outlet, story=story, mapping=mapping,
                          url=page.url, kind=kind)


CONTENT_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
                 "text/csv": "csv", "application/json": "json",
                 "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
                 "application/zip": "zip"}


# --- files and folders ---------------------------------------------------------------

def parse_manifest(text: str) -> dict[str, dict]:
    """file name -> labels, from a manifest.csv (columns documented in README)."""
    rows = csv.DictReader(io.StringIO(text))
    return {row["file"].strip(): row for row in rows if (row.get("file") or "").strip()}


def read_manifest(folder: Path) -> dict[str, dict]:
    """file name -> labels, from the folder's manifest.csv."""
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            return parse_manifest(path.read_text(encoding="utf-8-sig"))
    return {}


def read_file(path: Path, *, outlet: str | None = None, story: str | None = None,
              labels: dict | None = None) -> Article:
    """The article in one text file."""
    return text_article(path.name, path.read_bytes(), outlet=outlet, story=story, labels=labels)


def read_paths(paths: Iterable[str | Path], *, outlet: str | None = None,
               story: str | None = None, mapping: dict[str, str] | None = None,
               allow_private: bool = False) -> Iterator[Article | Refusal]:
    """Articles from files, folders (recursively) and http(s) URLs; a Refusal for each
    bad input."""
    for raw in paths:
        if isinstance(raw, str) and raw.lower().startswith(("http://", "https://")):
            yield from read_url(raw, outlet=outlet, story=story, mapping=mapping,
                                allow_private=allow_private)
            continue
        p = Path(raw)
        try:
            if p.is_dir():
                yield from _read_folder(p, outlet, story, mapping)
            elif p.is_file():
                yield from _read_path(p, outlet, story, mapping, _manifest(p.parent).get(p.name))
            else:
                yield Refusal(str(p), f"{p}: no such file or folder")
        except Exception as exc:  # e.g. a folder that cannot be listed
            yield unexpected(str(p), exc, "read")


def _read_folder(folder: Path, outlet, story, mapping) -> Iterator[Article | Refusal]:
    """The files under ``folder``, recursively; a link to anything outside the folder is
    refused, not followed (a shared folder must not import /etc/passwd)."""
    root = folder.resolve()
    files = sorted(f for f in folder.rglob("*") if kind_of(f.name)
                   and f.name not in MANIFEST_NAMES and (f.is_file() or f.is_symlink()))
    if not files:
        yield Refusal(str(folder), f"{folder}: no {SUPPORTED} files in this folder")
    manifests: dict[Path, dict] = {}
    for f in files:
        name = str(f.relative_to(folder))
        try:
            target = f.resolve()
            if not target.is_relative_to(root):
                raise RefusedInput(f"{name}: a link to a file outside the folder; not followed")
            if not target.is_file():
                raise RefusedInput(f"{name}: not a file")
        except (RefusedInput, OSError, RuntimeError) as exc:  # RuntimeError: a link loop
            why = str(exc) if isinstance(exc, RefusedInput) else f"{name}: a broken link"
            yield Refusal(name, why)
            continue
        if f.parent not in manifests:
            manifests[f.parent] = _manifest(f.parent)
        yield from _read_path(f, outlet, story, mapping, manifests[f.parent].get(f.name))


def _manifest(folder: Path) -> dict[str, dict]:
    """``read_manifest``, with an unreadable manifest counting as none."""
    try:
        return read_manifest(folder)
    except (OSError, UnicodeDecodeError, csv.Error):
        log.warning("manifest in %s not readable", folder, exc_info=True)
        return {}


def _read_path(path: Path, outlet, story, mapping, labels) -> Iterator[Article | Refusal]:
    limit = MAX_ARCHIVE_BYTES if kind_of(path.name) == "zip" else MAX_FILE_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise RefusedInput(f"{path.name}: too large ({size / 1e6:.1f} MB; the limit is "
                               f"{limit / 1e6:.0f} MB)")
        data = path.read_bytes()
    except RefusedInput as exc:
        yield Refusal(path.name, str(exc))
        return
    except OSError as exc:
        yield Refusal(path.name, f"{path.name}: cannot be read ({exc.strerror or exc})")
        return
    yield from read_bytes(path.name, data, outlet=outlet, story=story, mapping=mapping,
                          labels=labels)
