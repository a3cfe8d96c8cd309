"""The annotated reader escapes untrusted article text: only its own tags, same visible text."""
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.highlight import LAYERS, Span, layers_from_result, render

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    '" onmouseover="alert(1)',
    "</div><script>alert(1)</script><div>",
]


class Collector(HTMLParser):
    """Tags, attributes and visible text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Collector:
    c = Collector()
    c.feed(fragment)
    c.close()
    return c


def assert_safe(out: str, text: str) -> None:
    c = parse(out)
    assert set(c.tags) <= {"div", "span"}
    assert set(c.attrs) <= {"style", "class", "title"}
    assert "".join(c.text) == text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_highlight_escapes_payloads_in_text_and_labels(payload):
    text = f"Officials said {payload} was found. {payload}"
    result = {
        "sentences": [{"start": 0, "end": len(text), "sentiment": -0.6}],
        "attributions": [{"source": payload, "actor": payload, "source_type": "vague", "kind": "direct",
                          "source_start": 0, "source_end": 9, "content_start": 15,
                          "content_end": 15 + len(payload)}],
        "actors": [{"name": payload, "type": "person", "mentions": [{"start": 0, "end": 9}]}],
        "tone": {"loaded_words": [{"word": payload, "start": 15, "end": 20, "category": payload}]},
    }
    spans, _ = layers_from_result(result)
    out = render(text, spans)
    assert_safe(out, text)
    assert "<script" not in out and "<img" not in out and "<svg" not in out


span_strategy = st.tuples(st.integers(0, 80), st.integers(0, 80), st.sampled_from(LAYERS),
                          st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), raw_spans=st.lists(span_strategy, max_size=12))
def test_highlight_any_text_and_spans_keep_visible_text(text, raw_spans):
    spans = [Span(min(a, b), max(a, b), layer, label, "#D55E00", 0.5) for a, b, layer, label in raw_spans]
    assert_safe(render(text, spans), text)


def test_highlight_layers_can_be_switched_off():
    text = "Putin spoke."
    spans = [Span(0, 5, "actors", "actor: Putin")]
    assert "span" in render(text, spans)
    assert "span" not in render(text, spans, layers=("sentence tone",))


def test_highlight_references_say_whom_they_refer_to():
    from ui import highlight

    result = {"actors": [{"name": "Angela Merkel", "type": "person",
                          "mentions": [{"start": 0, "end": 13}],
                          "references": [{"start": 19, "end": 22}]}]}
    spans, _ = highlight.layers_from_result(result)
    assert [(s.start, s.label) for s in spans] == [(0, "actor: Angela Merkel (person)"),
                                                  (19, "refers to: Angela Merkel")]


def test_highlight_only_loaded_terms_are_underlined_as_loaded():
    from ui import highlight

    result = {"tone": {"loaded_words": [
        {"word": "disastrous", "start": 0, "end": 10, "category": "evaluative"},
        {"word": "reckless", "start": 20, "end": 28, "category": "evaluative", "negated": True},
        {"word": "furious", "start": 30, "end": 37, "category": "emotion: anger"}]}}
    spans, _ = highlight.layers_from_result(result)
    assert [s.label for s in spans] == ["loaded: disastrous (evaluative)"]


@pytest.mark.parametrize("text", [
    "[a link](http://example.com/x) ![img](http://e.com/i.png)", ":red[red] $x^2$ **bold** _it_",
    "# heading\n- item\n1. item\n    code", "mail a@b.com or www.example.org", "It's <b>&amp;</b>",
])
def test_highlight_inert_text_is_no_markdown_and_reads_the_same(text):
    import html as html_mod
    import re

    from ui.highlight import inert

    out = inert(text)
    visible = html_mod.unescape(re.sub(r"<span></span>", "", out))
    assert visible == text
    assert not re.search(r"[\[\]()*_$:#<>`!]|https?://|www\.", re.sub(r"&#\d+;|<span></span>", "", out))
