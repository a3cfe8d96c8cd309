"""Outlet profiles: each outlet's display name, domains, leaning, country, kind and owner.

The shipped file is ``analysis/lexicons/outlets.json``; a user file in the same format
($COVERAGE_LENS_OUTLETS, default ~/.config/coverage-lens/outlets.json) goes on top of it,
field by field (a user entry that gives only ``leaning`` keeps the shipped domains). The
shipped file rates no outlet: every leaning in it is "unknown". Users import their own
ratings as CSV (``read_ratings_csv``; columns in docs/outlets.md).

How an article finds its profile (``OutletTable.find``), first match wins:

1. its outlet label equals a profile's display name or one of its ``aliases`` (case-folded);
2. its URL's host is one of a profile's ``domains`` or a subdomain of one
   ("edition.cnn.com" -> "cnn.com"; a leading "www." is ignored);
3. its outlet label is itself a host name ("foxnews.com", "www.foxnews.com") matched as in 2.

An article with no profile has the leaning "unknown" and keeps its label as display name.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

# the user files are kept as the alias file is: keyed on (path, mtime, size), written atomically
from .userfiles import file_key, read_json_object, write_json

# Most left to most right; "unknown" last. The order is the order of every chart and table.
LEANINGS = ("left", "lean left", "center", "lean right", "right", "unknown")
KINDS = ("wire", "newspaper", "broadcaster", "digital", "blog", "aggregator")
UNKNOWN = "unknown"
OUTLET_FILE = Path(__file__).parent / "lexicons" / "outlets.json"
USER_OUTLETS_ENV = "COVERAGE_LENS_OUTLETS"
DEFAULT_USER_OUTLETS = Path("~/.config/coverage-lens/outlets.json")
FIELDS = ("domains", "aliases", "leaning", "country", "kind", "owner")
# Ways rating services and spreadsheets write a leaning -> ours (case, spaces, hyphens folded).
LEANING_SYNONYMS = {
    "left": "left", "far left": "left", "extreme left": "left",
    "lean left": "lean left", "leans left": "lean left", "left center": "lean left",
    "center left": "lean left", "centre left": "lean left", "left centre": "lean left",
    "center": "center", "centre": "center", "least biased": "center", "neutral": "center",
    "lean right": "lean right", "leans right": "lean right", "right center": "lean right",
    "center right": "lean right", "centre right": "lean right", "right centre": "lean right",
    "right": "right", "far right": "right", "extreme right": "right",
    "unknown": UNKNOWN, "": UNKNOWN, "n/a": UNKNOWN, "none": UNKNOWN, "unrated": UNKNOWN,
    "mixed": UNKNOWN,
}


@dataclass(frozen=True)
class OutletProfile:
    """One outlet. ``leaning`` is one of ``LEANINGS``; ``kind`` one of ``KINDS`` or ""."""

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    leaning: str = UNKNOWN
    country: str = ""
    kind: str = ""
    owner: str = ""

    def as_entry(self) -> dict:
        """The profile as the outlets file writes it (without its name, the entry's key)."""
        return {"domains": list(self.domains), "aliases": list(self.aliases),
                "leaning": self.leaning, "country": self.country, "kind": self.kind,
                "owner": self.owner}


@dataclass(frozen=True)
class OutletTable:
    """The outlets file(s) in lookup form."""

    profiles: dict[str, OutletProfile] = field(default_factory=dict)   # display name -> profile
    by_label: dict[str, str] = field(default_factory=dict)   # folded name or alias -> name
    by_domain: dict[str, str] = field(default_factory=dict)  # domain -> name

    def find(self, outlet: str | None, url: str | None = None) -> OutletProfile | None:
        """The profile of an article with this outlet label and URL (rules in the module
        docstring), or None."""
        if isinstance(outlet, str) and outlet.strip().casefold() in self.by_label:
            return self.profiles[self.by_label[outlet.strip().casefold()]]
        for host in (_host(url), _host(outlet) if _looks_like_host(outlet) else None):
            name = self._domain(host)
            if name:
                return self.profiles[name]
        return None

    def _domain(self, host: str | None) -> str | None:
        while host and "." in host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.split(".", 1)[1]
        return None

    def leaning(self, outlet: str | None, url: str | None = None) -> str:
        """The leaning of an article with this outlet label and URL: "unknown" without a profile."""
        found = self.find(outlet, url)
        return found.leaning if found else UNKNOWN


def _looks_like_host(text) -> bool:
    return isinstance(text, str) and bool(re.fullmatch(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/?", text.strip()))


def _host(url) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    host = urlsplit(url if "//" in url else "//" + url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def user_outlet_path() -> Path:
    """The user's outlets file: $COVERAGE_LENS_OUTLETS, else ~/.config/coverage-lens/outlets.json."""
    return Path(os.environ.get(USER_OUTLETS_ENV) or DEFAULT_USER_OUTLETS).expanduser()


def _read_json(path: Path) -> dict:
    data = read_json_object(path, "outlets file")
    if not isinstance(data.get("outlets", {}), dict):
        raise ValueError(f"{path}: an outlets file holds a JSON object with an \"outlets\" object")
    return data


def normalize_leaning(value, where: str = "") -> str:
    """One of ``LEANINGS`` for a leaning as people write it ("Lean Left", "left-center",
    "Least biased"); a ValueError naming ``where`` for anything else."""
    key = re.sub(r"[\s_-]+", " ", str(value if value is not None else "")).strip().casefold()
    if key in LEANING_SYNONYMS:
        return LEANING_SYNONYMS[key]
    raise ValueError(f"{where}leaning {value!r}: use one of {', '.join(LEANINGS)}")


def _profile(name: str, entry: Mapping, where: str, base: OutletProfile | None = None) -> OutletProfile:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: the entry of {name!r} must be an object")
    unknown = set(entry) - set(FIELDS)
    if unknown:
        raise ValueError(f"{where}: {name!r} has unknown field(s) {', '.join(sorted(unknown))}; "
                         f"the fields are {', '.join(FIELDS)}")
    out = base or OutletProfile(name)
    changes: dict = {}
    for key in ("domains", "aliases"):
        if key in entry:
            values = entry[key]
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list):
                raise ValueError(f"{where}: {name!r}: {key} is a list of strings")
            clean = [str(v).strip() for v in values if str(v).strip()]
            changes[key] = tuple((_host(v) or v.casefold()) if key == "domains" else v for v in clean)
    if "leaning" in entry:
        changes["leaning"] = normalize_leaning(entry["leaning"], f"{where}: {name!r}: ")
    if entry.get("kind"):
        kind = str(entry["kind"]).strip().casefold()
        if kind not in KINDS:
            raise ValueError(f"{where}: {name!r}: kind {entry['kind']!r}; use one of {', '.join(KINDS)}")
        changes["kind"] = kind
    for key in ("country", "owner"):
        if key in entry:
            changes[key] = str(entry[key] or "").strip()
    return replace(out, **changes)


def load_outlets() -> OutletTable:
    """The shipped outlets file with the user's file applied on top (user fields win)."""
    return _load_outlets(file_key(OUTLET_FILE), file_key(user_outlet_path()))


@functools.lru_cache(maxsize=4)
def _load_outlets(shipped_key: tuple, user_key: tuple) -> OutletTable:
    profiles: dict[str, OutletProfile] = {}
    for key in (shipped_key, user_key):
        for name, entry in _read_json(Path(key[0])).get("outlets", {}).items():
            name = str(name).strip()
            if name:
                profiles[name] = _profile(name, entry, key[0], profiles.get(name))
    by_label: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for name, p in profiles.items():
        for label in (*p.aliases, name):  # a display name wins over another outlet's alias
            by_label[label.casefold()] = name
        for domain in p.domains:
            by_domain[domain] = name
    return OutletTable(profiles, by_label, by_domain)


def outlet_fingerprint() -> str:
    """What the outlet files are: changes when either file changes (a cache key for views)."""
    return repr((file_key(OUTLET_FILE), file_key(user_outlet_path())))


# --- per-article profiles --------------------------------------------------------------

def profile_rows(articles, table: OutletTable | None = None) -> list[dict]:
    """For each (outlet, url) of ``articles`` (records or a frame with those columns), in
    order: ``{"outlet_name", "leaning", "country", "kind", "owner"}`` of its profile; the
    label itself and "unknown" when it has none."""
    table = table or load_outlets()
    if hasattr(articles, "to_dict"):
        articles = articles.reindex(columns=["outlet", "url"]).to_dict("records")
    cache: dict[tuple, dict] = {}
    out = []
    for a in articles:
        key = (a.get("outlet"), a.get("url") if isinstance(a.get("url"), str) else None)
        if key not in cache:
            p = table.find(*key)
            cache[key] = ({"outlet_name": p.name, "leaning": p.leaning, "country": p.country,
                           "kind": p.kind, "owner": p.owner} if p else
                          {"outlet_name": key[0], "leaning": UNKNOWN, "country": "", "kind": "",
                           "owner": ""})
        out.append(cache[key])
    return out


def outlet_frame(metrics, table: OutletTable | None = None):
    """One row per outlet label of ``metrics`` (``outlet`` and ``url`` columns): its
    profile's fields and the number of articles; an outlet whose articles' URLs lead to
    several profiles takes the most frequent one."""
    import pandas as pd

    if metrics.empty:
        return pd.DataFrame(columns=["outlet", "outlet_name", "leaning", "country", "kind",
                                     "owner", "n_articles"])
    rows = pd.DataFrame(profile_rows(metrics, table), index=metrics.index)
    rows.insert(0, "outlet", metrics["outlet"])
    counts = rows.groupby("outlet").size().rename("n_articles")
    first = (rows.groupby(list(rows.columns), dropna=False).size().rename("n").reset_index()
             .sort_values(["outlet", "n"], ascending=[True, False]).drop_duplicates("outlet"))
    return first.drop(columns="n").merge(counts, on="outlet").reset_index(drop=True)


# --- writing the user's file -----------------------------------------------------------

def save_user_outlets(entries: Mapping[str, Mapping]) -> Path:
    """Write ``entries`` (display name -> fields, as in the file) into the user's outlets
    file, each field given replacing the user's; checked first, so a bad entry writes
    nothing. Returns the file written."""
    path = user_outlet_path()
    data = _read_json(path)
    outlets = data.setdefault("outlets", {})
    for name, entry in entries.items():
        name = str(name).strip()
        if not name:
            raise ValueError("an outlet needs a name")
        _profile(name, entry, str(path))
    for name, entry in entries.items():
        outlets[str(name).strip()] = {**outlets.get(str(name).strip(), {}), **dict(entry)}
    write_json(path, data)
    return path


def remove_user_outlet(name: str) -> Path:
    """Drop ``name`` from the user's outlets file (a shipped profile of that name stays)."""
    path = user_outlet_path()
    data = _read_json(path)
    data.get("outlets", {}).pop(name, None)
    write_json(path, data)
    return path


# --- ratings as CSV --------------------------------------------------------------------

CSV_REQUIRED = ("outlet", "leaning")
CSV_OPTIONAL = ("domains", "aliases", "country", "kind", "owner")
_CSV_HEADINGS = {"name": "outlet", "source": "outlet", "outlet name": "outlet",
                 "domain": "domains", "bias": "leaning", "rating": "leaning",
                 "alias": "aliases", "type": "kind"}


def read_ratings_csv(text: str | bytes, source: str = "ratings.csv") -> dict[str, dict]:
    """Outlet entries (display name -> fields) from a CSV of ratings: a header row naming
    ``outlet`` and ``leaning`` (or ``name``/``source`` and ``bias``/``rating``), optionally
    ``domains`` and ``aliases`` (several separated by ";" or "|"), ``country``, ``kind``,
    ``owner``; comma, semicolon or tab separated. Empty optional cells leave the field as it
    was. A ValueError names ``source`` and the line of the first bad row."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(f"{source}: not UTF-8 text; save the file as UTF-8 CSV") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError(f"{source}: the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [re.sub(r"\s+", " ", h).strip().casefold() for h in next(reader)]
    header = [_CSV_HEADINGS.get(h, h) for h in header]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise ValueError(f"{source}, line 1: the header has no {' or '.join(missing)} column "
                         f"(columns: {', '.join(CSV_REQUIRED + CSV_OPTIONAL)})")
    out: dict[str, dict] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ValueError(f"{source}, line {line}: {len(row)} cells for {len(header)} columns "
                             "(a cell holding the separator must be in double quotes)")
        cells = dict(zip(header, (c.strip() for c in row)))
        name = cells.get("outlet", "")
        if not name:
            raise ValueError(f"{source}, line {line}: the outlet cell is empty")
        entry: dict = {"leaning": normalize_leaning(cells.get("leaning", ""), f"{source}, line {line}: ")}
        for key in ("domains", "aliases"):
            if cells.get(key):
                entry[key] = [v.strip() for v in re.split(r"[;|]", cells[key]) if v.strip()]
        for key in ("country", "kind", "owner"):
            if cells.get(key):
                entry[key] = cells[key]
        _profile(name, entry, f"{source}, line {line}")
        out[name] = entry
    if not out:
        raise ValueError(f"{source}: no outlet rows under the header")
    return out


def import_ratings_csv(text: str | bytes, source: str = "ratings.csv") -> tuple[Path, int]:
    """``read_ratings_csv`` then ``save_user_outlets``: (file written, outlets imported)."""
    entries = read_ratings_csv(text, source)
    return save_user_outlets(entries), len(entries)


def leaning_order(values: Iterable[str]) -> list[str]:
    """``values`` sorted left to right, "unknown" last (each once)."""
    rank = {v: i for i, v in enumerate(LEANINGS)}
    return sorted(set(values), key=lambda v: (rank.get(v, len(LEANINGS)), v))
