"""Readers that turn files and folders into ``Article`` records.

Plain text is decoded (UTF-8, UTF-8 with BOM, UTF-16, cp1252/latin-1), then cleaned: the
headline and byline are detected, and what is not article body (page fragments, share
widgets, comment prompts, "Related Posts" blocks, trailing teaser headlines, a headline
repeated in the body) is removed. Every removal is written to ``Article.ingest_notes``.
Bad input raises ``RefusedInput`` with a message naming the input.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Article, normalize_text

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md"}
MANIFEST_NAMES = ("manifest.csv",)


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
    text = _decode(data)
    if text is None:
        raise RefusedInput(f"{name}: not readable as text (binary, or an unknown encoding)")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if "\x00" in text or controls > max(2, len(text) // 200):
        raise RefusedInput(f"{name}: looks like a binary file, not text")
    if not text.strip():
        raise RefusedInput(f"{name}: the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
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
_COMMENT_PROMPT = re.compile(r"^(?:leave a (?:reply|comment)|post a comment|\d+ comments?|"
                             r"comments|your email address will not be published)", re.I)
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
    found_title, found_author, body, notes = clean(raw, title=title)
    if not body.strip():
        raise RefusedInput(f"{source_name}: no article text left after removing page furniture")
    return Article(text=body, title=found_title, author=author or found_author,
                   outlet=outlet or "Unknown outlet", story=story or "Unlabelled story",
                   url=url, published=published, source_name=source_name, ingest_notes=notes)


# --- files and folders ---------------------------------------------------------------

def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read_manifest(folder: Path) -> dict[str, dict]:
    """file name -> labels, from the folder's manifest.csv (columns documented in README)."""
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            with path.open(newline="", encoding="utf-8-sig") as fh:
                return {row["file"].strip(): row for row in csv.DictReader(fh) if row.get("file")}
    return {}


def read_file(path: Path, *, outlet: str | None = None, story: str | None = None,
              labels: dict | None = None) -> Article:
    labels = labels or {}
    raw = decode_bytes(path.read_bytes(), path.name)
    return article_from_text(
        raw, source_name=path.name,
        outlet=outlet or labels.get("outlet") or None,
        story=story or labels.get("story") or None,
        title=labels.get("title") or None, url=labels.get("url") or None,
        author=labels.get("author") or None, published=parse_date(labels.get("published")),
    )


def read_paths(paths: Iterable[str | Path], *, outlet: str | None = None,
               story: str | None = None) -> Iterator[Article | Refusal]:
    """Articles from files and folders (recursively); a Refusal for each bad input."""
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
            manifests = {}
            if not files:
                yield Refusal(str(p), f"{p}: no .txt files in this folder")
            for f in files:
                if f.parent not in manifests:
                    manifests[f.parent] = read_manifest(f.parent)
                yield _read_one(f, outlet, story, manifests[f.parent].get(f.name))
        elif p.is_file():
            yield _read_one(p, outlet, story, read_manifest(p.parent).get(p.name))
        else:
            yield Refusal(str(p), f"{p}: no such file or folder")


def _read_one(path: Path, outlet, story, labels) -> Article | Refusal:
    try:
        return read_file(path, outlet=outlet, story=story, labels=labels)
    except RefusedInput as exc:
        return Refusal(path.name, str(exc))
    except OSError as exc:
        return Refusal(path.name, f"{path.name}: cannot be read ({exc.strerror or exc})")
