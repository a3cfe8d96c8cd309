"""Format readers: HTML pages, CSV/JSON/JSONL exports and zip archives -> articles.

- HTML: trafilatura extracts the main text (navigation, ads, comments and related-link
  blocks left out) and the metadata; the outlet is the page's site name, else the URL's
  domain, else the label given at import.
- Tables: the columns of common exports (Media Cloud, GDELT, NewsAPI, scrapers) are
  mapped to article fields by name; an explicit ``{column: field}`` mapping overrides.
- Zip: read in memory, with caps on members, total uncompressed size and compression ratio.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .ingest import (MANIFEST_NAMES, MAX_ARCHIVE_BYTES, MAX_FILE_BYTES, MAX_IMPORT_CHARS,
                     Refusal, RefusedInput, article_from_text, cut_text, decode_bytes, kind_of,
                     parse_date, parse_manifest, read_bytes, unexpected)
from .model import Article

MAX_ZIP_MEMBERS = 2000  # entries in the archive's directory, folders included
MAX_ZIP_TOTAL = 200_000_000  # uncompressed bytes read from one archive
MAX_ZIP_RATIO = 100  # uncompressed / compressed, per member ...
ZIP_RATIO_FLOOR = 1_000_000  # ... over this size (small files may compress well)
MAX_ROWS = 100_000  # records in one CSV/JSON/JSONL file
MAX_CELL_DEPTH = 5  # lists and objects inside one JSON field
MAX_HTML_CHARS = 5_000_000  # of a page's HTML given to the extractor

# --- HTML ----------------------------------------------------------------------------


def _domain(url: str | None) -> str | None:
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # e.g. "http://[not-an-address"
        return None
    return re.sub(r"^www\d?\.", "", host) if host else None


def _web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: a "javascript:" link must never
    reach a page."""
    return url if url and url.lower().startswith(("http://", "https://")) and _domain(url) else None


def html_article(name: str, data: bytes, *, outlet: str | None = None,
                 story: str | None = None, url: str | None = None) -> Article:
    """The main article of an HTML page, with its title, author, date and site."""
    import trafilatura

    # Extraction time grows with the markup (30 s for 20 MB); no article needs more than this
    # much of its page to reach the 100,000 characters of text kept (MAX_ARTICLE_CHARS).
    html, cut = cut_text(decode_bytes(data, name), MAX_HTML_CHARS)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=False)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        # lxml and trafilatura fail in these ways on malformed markup
        raise RefusedInput(f"{name}: the HTML could not be parsed "
                           f"({type(exc).__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise RefusedInput(f"{name}: no article text found in the page")
    page_url = _web_url(url or getattr(doc, "url", None))
    sitename = (getattr(doc, "sitename", None) or "").strip()
    if sitename and sitename.lower() != (_domain(page_url) or "").lower():
        found_outlet, how = sitename, "the page's site name"
    elif _domain(page_url) or sitename:
        found_outlet, how = _domain(page_url) or sitename, "the URL's domain"
    else:
        found_outlet, how = outlet, "the import label"
    article = article_from_text(text, source_name=name, outlet=found_outlet, story=story,
                                title=(doc.title or "").strip() or None, url=page_url,
                                author=(doc.author or "").strip() or None,
                                published=parse_date(doc.date))
    article.ingest_notes.insert(0, f"main text extracted from HTML; outlet from {how}")
    if cut:
        article.ingest_notes.insert(1, f"page cut at {len(html):,} characters of HTML before "
                                       f"extraction (the limit is {MAX_HTML_CHARS:,})")
    return article


# --- CSV / JSON / JSONL ----------------------------------------------------------------

FIELDS = ("text", "title", "outlet", "url", "published", "author", "story")
# Column names recognized without a mapping, best first; compared lower-case with
# everything but letters and digits removed ("Publish Date" == "publish_date").
ALIASES = {
    "text": ["text", "body", "content", "article", "fulltext", "articletext", "bodytext",
             "maintext", "storytext", "articlebody"],
    "title": ["title", "headline", "heading", "hed"],
    "outlet": ["outlet", "source", "publisher", "domain", "medianame", "media", "sitename",
               "site", "publication", "sourcename", "sourcecommonname", "newspaper"],
    "url": ["url", "link", "href", "articleurl", "permalink", "documentidentifier",
            "canonicalurl"],
    "published": ["date", "published", "publishdate", "publishedat", "publisheddate",
                  "publicationdate", "pubdate", "datetime", "seendate", "timestamp"],
    "author": ["author", "byline", "authors", "creator", "writer"],
    "story": ["story", "storylabel"],
}
FIELD_SYNONYMS = {"date": "published", "body": "text", "source": "outlet", "byline": "author",
                  "link": "url", "headline": "title"}


def _key(column: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(column).lower())


def parse_mapping(pairs) -> dict[str, str]:
    """``["hed=title", "copy=text"]`` (or one comma-separated string) -> {column: field}."""
    if isinstance(pairs, str):
        pairs = pairs.split(",")
    mapping = {}
    for pair in pairs or []:
        if not pair.strip():
            continue
        column, sep, field = pair.rpartition("=")
        field = field.strip().lower()
        field = FIELD_SYNONYMS.get(field, field)
        if not sep or not column.strip():
            raise ValueError(f"column mapping {pair.strip()!r}: write it as COLUMN=FIELD")
        if field not in FIELDS:
            raise ValueError(f"column mapping {pair.strip()!r}: {field!r} is not a field; "
                             f"fields are {', '.join(FIELDS)}")
        mapping[column.strip()] = field
    return mapping


def resolve_columns(columns: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """field -> column, from the explicit mapping first, then the known column names."""
    by_key = {}
    for col in columns:
        by_key.setdefault(_key(col), col)
    chosen: dict[str, str] = {}
    for column, field in (mapping or {}).items():
        col = column if column in columns else by_key.get(_key(column))
        if col is None:
            raise RefusedInput(f"column {column!r} (mapped to {field}) is not in the file; "
                               f"columns are: {_columns_list(columns)}")
        chosen[field] = col
    taken = set(chosen.values())
    for field, aliases in ALIASES.items():
        if field not in chosen:
            col = next((by_key[a] for a in aliases if a in by_key and by_key[a] not in taken), None)
            if col is not None:
                chosen[field] = col
                taken.add(col)
    return chosen


def _columns_list(columns: list[str]) -> str:
    shown = ", ".join(repr(str(c))[:40] for c in columns[:30])
    return shown + (f" (and {len(columns) - 30} more)" if len(columns) > 30 else "") or "none"


def _cell(value, depth: int = 0) -> str | None:
    """A cell as text: nested objects (NewsAPI's source) give their name, lists are joined.
    Nesting deeper than ``MAX_CELL_DEPTH`` gives None: no export nests a field that deep."""
    if depth > MAX_CELL_DEPTH:
        return None
    if isinstance(value, dict):
        value = next((value[k] for k in ("name", "title", "value", "text") if value.get(k)), None)
        if isinstance(value, (dict, list)):
            return _cell(value, depth + 1)
    if isinstance(value, list):
        value = ", ".join(filter(None, (_cell(v, depth + 1) for v in value))) or None
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    return value or None


def _records(name: str, text: str, kind: str) -> Iterator[tuple[str, dict | str]]:
    """(label, record) pairs; a record that cannot be read is (label, reason)."""
    if kind == "csv":
        sample = text[:8192]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel_tab if name.lower().endswith(".tsv") else csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise RefusedInput(f"{name}: no header row with column names")
            header = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
            for n, row in enumerate(reader, start=1):
                if any(cell.strip() for cell in row):
                    yield f"row {n}", dict(zip(header, row))
        except csv.Error as exc:
            raise RefusedInput(f"{name}: not a readable CSV file ({exc})") from None
    elif kind == "jsonl":
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                why = f"{exc.msg}: column {exc.colno}" if isinstance(exc, json.JSONDecodeError) \
                    else "nested too deeply"
                yield f"line {n}", f"not valid JSON ({why})"
                continue
            yield f"line {n}", obj if isinstance(obj, dict) else "not a JSON object"
    else:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RefusedInput(f"{name}: not valid JSON ({exc.msg}: line {exc.lineno} "
                               f"column {exc.colno})") from None
        except RecursionError:
            raise RefusedInput(f"{name}: not valid JSON (nested too deeply)") from None
        if isinstance(obj, dict):
            # API responses wrap the list: NewsAPI "articles", Media Cloud "results", ...
            lists = [v for k, v in obj.items() if isinstance(v, list) and k.lower() in
                     ("articles", "results", "data", "items", "stories", "records", "docs")]
            obj = lists[0] if lists else [obj]
        if not isinstance(obj, list):
            raise RefusedInput(f"{name}: expected a list of article objects")
        for n, item in enumerate(obj, start=1):
            yield f"item {n}", item if isinstance(item, dict) else "not a JSON object"


def table_articles(name: str, data: bytes, kind: str, *, outlet: str | None = None,
                   story: str | None = None,
                   mapping: dict[str, str] | None = None) -> Iterator[Article | Refusal]:
    """One article per row of a CSV, JSON or JSONL export; a Refusal per skipped row."""
    records = list(_records(name, decode_bytes(data, name), kind))
    if len(records) > MAX_ROWS:
        raise RefusedInput(f"{name}: too many rows ({len(records)}; the limit is {MAX_ROWS})")
    if not records:
        raise RefusedInput(f"{name}: no rows")
    columns = list(dict.fromkeys(k for _, r in records if isinstance(r, dict) for k in r))
    try:
        chosen = resolve_columns(columns, mapping)
    except RefusedInput as exc:
        raise RefusedInput(f"{name}: {exc}") from None
    if "text" not in chosen:
        raise RefusedInput(f"{name}: no text column (looked for {', '.join(ALIASES['text'])}); "
                           f"columns are: {_columns_list(columns)}. Name the text column with "
                           f"a column mapping COLUMN=text (--map on the command line)")
    for label, record in records:
        where = f"{name} {label}"
        if isinstance(record, str):
            yield Refusal(where, f"{where}: {record}")
            continue
        try:
            values = {field: _cell(record.get(col)) for field, col in chosen.items()}
        except Exception as exc:  # e.g. a value no reader foresaw
            yield unexpected(where, exc, "read")
            continue
        if not values["text"]:
            hint = " (it has a URL: import the URL to fetch the page)" if values.get("url") else ""
            yield Refusal(where, f"{where}: no text in column {chosen['text']!r}{hint}")
            continue
        notes = []
        if values.get("url") and not _web_url(values["url"]):
            notes.append(f"URL {values['url'][:40]!r} ignored: not an http(s) address")
            values["url"] = None
        try:
            published = parse_date(values.get("published"))
            row_outlet = values.get("outlet") or _domain(values.get("url")) or outlet
            article = article_from_text(values["text"], source_name=where, outlet=row_outlet,
                                        story=story or values.get("story"),
                                        title=values.get("title"), url=values.get("url"),
                                        author=values.get("author"), published=published)
        except RefusedInput as exc:
            yield Refusal(where, str(exc))
            continue
        except Exception as exc:  # one row's failure must not stop the others
            yield unexpected(where, exc, "read")
            continue
        if values.get("published") and published is None:
            notes.append(f"date {values['published'][:40]!r} not understood; left empty")
        article.ingest_notes += notes
        yield article


# --- zip -------------------------------------------------------------------------------

def _unsafe_member(member: str) -> bool:
    path = member.replace("\\", "/")
    return (path.startswith("/") or re.match(r"^[A-Za-z]:", path) is not None
            or ".." in PurePosixPath(path).parts)


def _junk_member(member: str) -> bool:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1] in (".DS_Store", "Thumbs.db")
                            or parts[-1].startswith("._"))


def zip_items(name: str, data: bytes, *, outlet: str | None = None, story: str | None = None,
              mapping: dict[str, str] | None = None) -> Iterator[Article | Refusal]:
    """Articles in the supported files of a zip archive, read in memory (nothing is
    written to disk, so member names never become paths)."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise RefusedInput(f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is "
                           f"{MAX_ARCHIVE_BYTES / 1e6:.0f} MB)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise RefusedInput(f"{name}: not a valid zip archive") from None
    except NotImplementedError as exc:  # e.g. a zip format version this Python cannot read
        raise RefusedInput(f"{name}: unsupported zip archive ({exc})") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise RefusedInput(f"{name}: too many entries in the archive ({len(infos)}; the limit "
                           f"is {MAX_ZIP_MEMBERS})")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_ZIP_TOTAL:
        raise RefusedInput(f"{name}: unpacks to too much data ({declared / 1e6:.0f} MB; the "
                           f"limit is {MAX_ZIP_TOTAL / 1e6:.0f} MB)")
    # not ZipInfo.is_dir(): it fails on an empty name, which a crafted archive can hold
    members = [i for i in infos if not i.filename.endswith("/") and not _junk_member(i.filename)]
    if not members:
        raise RefusedInput(f"{name}: the archive holds no files")
    manifests = {}
    for info in members:
        path = PurePosixPath(info.filename)
        if path.name in MANIFEST_NAMES and not _unsafe_member(info.filename):
            try:
                content = _read_member(archive, info, name, MAX_FILE_BYTES)
                manifests[path.parent] = parse_manifest(
                    decode_bytes(content, info.filename))
            except (RefusedInput, csv.Error):
                pass  # the member is reported below as an unreadable table
    budget, text_budget = MAX_ZIP_TOTAL, MAX_IMPORT_CHARS
    for info in members:
        member = f"{name}/" + "".join(c for c in info.filename if c.isprintable())[:200]
        path = PurePosixPath(info.filename)
        if text_budget <= 0:
            yield Refusal(member, f"{member}: not read, the archive's text already reaches the "
                                  f"limit of {MAX_IMPORT_CHARS:,} characters per import")
            continue
        try:
            if _unsafe_member(info.filename):
                raise RefusedInput(f"{member}: refused, unsafe name in the archive (an absolute "
                                   f"path or '..')")
            if path.name in MANIFEST_NAMES and path.parent in manifests:
                continue
            kind = kind_of(info.filename)
            if kind == "zip":
                raise RefusedInput(f"{member}: archives inside archives are not opened")
            if kind is None:
                raise RefusedInput(f"{member}: not a supported file type "
                                   f"({path.suffix or 'no extension'})")
            content = _read_member(archive, info, member, min(MAX_FILE_BYTES, budget))
            budget -= len(content)
        except RefusedInput as exc:
            yield Refusal(member, str(exc))
            continue
        except Exception as exc:  # one member's failure must not stop the others
            yield unexpected(member, exc, "read")
            continue
        labels = manifests.get(path.parent, {}).get(path.name)
        for item in read_bytes(member, content, outlet=outlet, story=story, mapping=mapping,
                               labels=labels, kind=kind):
            if isinstance(item, Article):
                text_budget -= len(item.text)
            yield item


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: str,
                 limit: int) -> bytes:
    """A member's bytes, refusing it before reading when it is too large or compressed
    suspiciously well, and stopping at ``limit`` whatever its header claims."""
    if info.file_size > limit:
        raise RefusedInput(f"{member}: too large ({info.file_size / 1e6:.1f} MB unpacked; "
                           f"the limit is {limit / 1e6:.1f} MB)")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > ZIP_RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
        raise RefusedInput(f"{member}: refused, compressed {ratio:.0f}:1 (more than "
                           f"{MAX_ZIP_RATIO}:1 suggests a zip bomb)")
    try:
        with archive.open(info) as fh:
            content = fh.read(limit + 1)
    except RuntimeError:
        raise RefusedInput(f"{member}: encrypted; password-protected archives are not "
                           f"supported") from None
    except NotImplementedError:
        raise RefusedInput(f"{member}: compressed with an unsupported method") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise RefusedInput(f"{member}: damaged in the archive ({exc})") from None
    if len(content) > limit:
        raise RefusedInput(f"{member}: too large (over {limit / 1e6:.1f} MB unpacked)")
    return content
