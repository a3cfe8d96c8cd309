"""The annotated reader: article text with highlighted spans, as escaped HTML.

Data first, rendering second: ``layers_from_result`` turns an analysis result into plain
span dicts; ``render`` turns text plus spans into HTML. Article text is untrusted, so every
piece of it (and every label) is escaped; the only tags produced are the reader's own
``div`` and ``span`` with a ``style`` and a ``title``.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from analysis import tone

from .colors import NEGATIVE, POSITIVE, PALETTE

LAYERS = ("sentence tone", "quotes and attributions", "actors", "loaded words")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    layer: str
    label: str
    color: str = ""
    strength: float = 1.0  # sentence tone: |sentiment|


def _speaker_colors(attributions: list[dict]) -> dict[str, str]:
    speakers = sorted({a.get("actor") or a.get("source") or "unknown" for a in attributions})
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(speakers)}


def layers_from_result(result: dict) -> tuple[list[Span], dict[str, str]]:
    """(spans of every layer, speaker -> colour) from an ``analyze_text`` result."""
    spans: list[Span] = []
    for s in result.get("sentences", []):
        score = s.get("sentiment") or 0.0
        if abs(score) >= 0.05:
            spans.append(Span(s["start"], s["end"], "sentence tone", f"sentence sentiment {score:+.2f}",
                              POSITIVE if score > 0 else NEGATIVE, min(abs(score), 1.0)))
    attributions = result.get("attributions", [])
    speakers = _speaker_colors(attributions)
    for a in attributions:
        who = a.get("actor") or a.get("source") or "unknown"
        color = speakers[who]
        if a.get("content_start") is not None:
            spans.append(Span(a["content_start"], a["content_end"], "quotes and attributions",
                              f"{a.get('kind', 'attribution')} — {who} ({a.get('source_type', '')})", color))
        if a.get("source_start") is not None:
            spans.append(Span(a["source_start"], a["source_end"], "quotes and attributions",
                              f"source: {who}", color, 2.0))
    for actor in result.get("actors", []):
        for m in actor.get("mentions", []):
            spans.append(Span(m["start"], m["end"], "actors", f"actor: {actor['name']} ({actor['type']})"))
        for m in actor.get("references", []):  # "he", "the president": whom the tool says it is
            spans.append(Span(m["start"], m["end"], "actors", f"refers to: {actor['name']}"))
    for w in (result.get("tone") or {}).get("loaded_words", []) or []:
        # only what counts as loaded language: a lexicon term, not negated (emotion words,
        # intensifiers and superlatives are other dimensions of the Tone page)
        if isinstance(w, dict) and "start" in w and tone.is_loaded(w):
            spans.append(Span(w["start"], w["end"], "loaded words",
                              f"loaded: {w.get('word', '')} ({w.get('category', '')})"))
    return spans, speakers


def _style(active: list[Span]) -> str:
    rules = []
    for s in active:
        if s.layer == "sentence tone":
            alpha = 0.10 + 0.30 * s.strength
            r, g, b = (int(s.color[i:i + 2], 16) for i in (1, 3, 5))
            rules.append(f"background-color: rgba({r},{g},{b},{alpha:.2f})")
        elif s.layer == "quotes and attributions":
            width = 4 if s.strength > 1 else 3
            rules.append(f"border-bottom: {width}px solid {s.color}")
            if s.strength > 1:
                rules.append("font-weight: 700")
        elif s.layer == "actors":
            rules.append("text-decoration: underline dotted; text-underline-offset: 3px")
        elif s.layer == "loaded words":
            rules.append("text-decoration: underline wavy #D55E00; font-style: italic")
    return "; ".join(dict.fromkeys(rules))


# The page shows the reader through Markdown with HTML allowed, and Markdown still reads the
# text between the tags: links, emphasis, headings, lists, LaTeX, Streamlit's ":red[...]".
# Each mark is written as a character reference, which Markdown shows as the character.
_AUTOLINK = re.compile(r"(\w)(&#58;//|@)|(www)(&#46;)", re.IGNORECASE)
_INERT = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~$:=^"}


def inert(text: str) -> str:
    """``text`` as HTML that neither HTML nor Markdown reads as markup (every mark of
    either a character reference)."""
    # a line's leading space too: four of them would start a code block
    out = re.sub(r"(?m)^[ \t]", lambda m: f"&#{ord(m.group())};", text.translate(_INERT))
    # GFM links bare "http://", "www." and e-mail addresses after the references are read:
    # an empty tag inside each breaks the match and shows nothing
    return _AUTOLINK.sub(lambda m: "<span></span>".join(g for g in m.groups() if g), out)


def render(text: str, spans: list[Span], *, layers: tuple[str, ...] = LAYERS) -> str:
    """HTML of ``text`` with the spans of the chosen layers; visible text equals ``text``."""
    spans = [s for s in spans if s.layer in layers and 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = ['<div class="cl-reader" style="white-space: pre-wrap; line-height: 1.7; font-size: 1.1rem">']
    for a, b in zip(cuts, cuts[1:]):
        piece = inert(text[a:b])
        active = [s for s in spans if s.start <= a and b <= s.end]
        if active:
            title = html.escape(" | ".join(dict.fromkeys(s.label for s in active)), quote=True)
            out.append(f'<span style="{_style(active)}" title="{title}">{piece}</span>')
        else:
            out.append(piece)
    out.append("</div>")
    return "".join(out)
