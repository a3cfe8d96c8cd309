"""What a person does, in a real browser: Playwright drives Debian's chromium against
``streamlit run dashboard.py`` on localhost. Screenshots of every page are saved in
tests/artifacts/screens/ for a person to look at.

Skipped when chromium or playwright is missing, except in CI (CI=true), where that fails.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "tests" / "artifacts" / "screens"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["", "compare", "sources", "actors", "tone", "readability", "coverage", "stories", "article",
         "corpus", "report"]


def _require_browser():
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    _require_browser()
    db = tmp_path_factory.mktemp("browser") / "store.duckdb"
    shutil.copy(sample_db, db)
    port = _free_port()
    env = {**os.environ, "COVERAGE_LENS_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stderr.read().decode()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def settle(page, quiet_ms: int = 800, timeout_s: float = 120) -> None:
    """Wait until the script run has finished and nothing is still loading, for a while."""
    page.wait_for_selector('[data-testid="stApp"]')
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    busy = '[data-testid="stSkeleton"], [data-testid="stSpinner"]'
    while time.monotonic() < deadline:
        state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        if state == "notRunning" and page.locator(busy).count() == 0:
            quiet_since = quiet_since or time.monotonic()
            if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(200)
    raise AssertionError("the page did not settle")


def open_page(page, server, path: str = "", query: str = "") -> None:
    page.goto(f"{server}/{path}{'?' + query if query else ''}")
    settle(page)


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "could not be drawn" not in body


def shoot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def caption_text(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]').first.inner_text()


def test_browser_shared_link_first_on_a_fresh_server(page, server):
    """Runs first: a copied link to a page is the first request the server ever gets."""
    open_page(page, server, "article", "outlet=Chatty+blog")
    body = page.inner_text("body")
    assert "Filter articles" in body  # the shared sidebar, built by dashboard.py
    assert "Showing 1 of 5 articles: outlet Chatty blog" in body
    assert page.locator(".cl-reader").count() == 1


def test_browser_opens_dashboard_on_sample(page, server):
    open_page(page, server)
    assert page.locator("h1").first.inner_text() == "Overview"
    assert "Showing 5 of 5 articles" in page.inner_text("body")
    assert page.locator(".js-plotly-plot").count() >= 4
    assert_no_exception(page)


@pytest.mark.parametrize("path", PAGES)
def test_browser_every_page_shows_data(page, server, path):
    open_page(page, server, path)
    assert_no_exception(page)
    body = page.inner_text("body")
    assert page.locator("h1").count() >= 1
    assert len(body) > 600, f"{path or 'overview'} says almost nothing"
    assert "No articles match" not in body
    shoot(page, f"page-{path or 'overview'}")


def test_browser_filter_two_outlets(page, server):
    open_page(page, server)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1)
    for outlet in ("Chatty blog", "Summary news site"):
        box.click()
        page.get_by_role("option", name=outlet, exact=True).click()
        settle(page)
    page.keyboard.press("Escape")
    settle(page)
    assert "Showing 2 of 5 articles: outlets Chatty blog and Summary news site" in page.inner_text("body")
    assert "outlet=Chatty+blog" in page.url or "outlet=Chatty%20blog" in page.url
    shoot(page, "filter-two-outlets")
    # the copied link reopens the same view
    fresh = page.context.new_page()
    fresh.goto(page.url)
    settle(fresh)
    assert "Showing 2 of 5 articles" in fresh.inner_text("body")


def test_browser_compare_two_articles(page, server):
    open_page(page, server, "compare")
    body = page.inner_text("body")
    assert "Main differences" in body and "Side by side" in body
    assert page.locator('[data-testid="stMetric"]').count() >= 8
    assert page.locator(".js-plotly-plot").count() >= 1  # the profile radar
    shoot(page, "compare-two-articles")


def test_browser_article_highlights(page, server):
    open_page(page, server, "article")
    reader = page.locator(".cl-reader").first
    assert reader.locator("span[title]").count() > 10
    titles = reader.locator("span[title]").evaluate_all("els => els.map(e => e.title)")
    assert any(t.startswith("actor:") or "| actor:" in t for t in titles)
    assert any("sentence sentiment" in t for t in titles)
    shoot(page, "article-reader")


def download_report(page, server, folder: Path) -> Path:
    """The Report page's HTML download, saved in ``folder``."""
    open_page(page, server, "report")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the report (HTML, works offline)").click()
    path = folder / "report.html"
    info.value.save_as(path)
    return path


def test_browser_export_report(page, server, tmp_path):
    html = download_report(page, server, tmp_path).read_text(encoding="utf-8")
    assert "Key findings" in html and "Chatty blog" in html
    assert html.count("Plotly.newPlot") >= 3  # the charts
    assert not re.search(r"<script[^>]*\bsrc=", html)  # self-contained: plotly.js is inlined


# What a reader must never see: Python's and pandas' empty values, stored codes, column names,
# hex article ids.
INTERNAL = re.compile(r"\b(None|nan|NaN|named_person|named_organization|according_to|"
                      r"(sources|tone|readability)_[a-z_]+|[0-9a-f]{16})\b")
# Per figure: the SVG box, the plot area and every label, legend and title box, in page pixels.
FIGURE_BOXES = """figs => figs.map(fig => {
    const box = el => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
    const svg = fig.querySelector('svg.main-svg');
    const texts = [...fig.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, '
                                           + '.g-ytitle text, .legendtext, .gtitle')]
        .filter(el => el.textContent.trim());
    return {figure: box(svg), plots: [...fig.querySelectorAll('.nsewdrag')].map(box),
            legend: fig.querySelector('g.legend') ? box(fig.querySelector('g.legend')) : null,
            labels: texts.map(el => [el.textContent, box(el)])};
})"""


def _inside(inner, outer, slack=1.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [1400, 800])
def test_browser_downloaded_report_shows_every_label_and_stays_offline(page, server, tmp_path, width):
    """The downloaded report opened as a file, as someone would in a meeting: every tick,
    category and axis label lies inside its figure (none clipped at the edge), no legend sits
    on the plot area, no text reads as a Python value or a stored code, and nothing is
    requested from anywhere."""
    path = download_report(page, server, tmp_path)
    viewer = page.context.browser.new_page(viewport={"width": width, "height": 1000})
    requested = []
    viewer.on("request", lambda r: requested.append(r.url))
    viewer.goto(path.as_uri())
    viewer.wait_for_selector(".js-plotly-plot .main-svg")
    viewer.wait_for_timeout(1000)
    figures = viewer.locator(".js-plotly-plot").evaluate_all(FIGURE_BOXES)
    assert len(figures) >= 3
    for fig in figures:
        assert fig["labels"], "a figure without labels"
        for text, box in fig["labels"]:
            assert _inside(box, fig["figure"]), f"{text!r} sticks out of its figure ({width} px wide)"
        if fig["legend"]:
            assert not any(_overlap(fig["legend"], plot) for plot in fig["plots"]), "legend over the data"
    words = viewer.inner_text("body") + " ".join(t for f in figures for t, _ in f["labels"])
    assert not INTERNAL.search(words), INTERNAL.search(words).group()
    assert [u for u in requested if not u.startswith("file://")] == []
    viewer.close()


def test_browser_pages_ask_nothing_outside_the_machine(page, server):
    """The favicon, fonts and scripts all come from the server on 127.0.0.1."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    for path in ("", "report", "compare"):
        open_page(page, server, path)
    outside = [u for u in requested if not re.match(r"(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:", u)]
    assert outside == []


def test_browser_report_slides_are_titled_pngs(sample_db):
    """Each report chart downloads as a 1600x900 PNG with its title drawn at the top
    (kaleido drives the system chromium)."""
    _require_browser()
    import io

    from PIL import Image

    from analysis import store
    from ui import report

    metrics = store.metrics_frame(sample_db)
    rep = report.build(metrics, store.source_counts(metrics["article_id"], sample_db),
                       store.actor_rows(sample_db), selection="all")
    assert len(rep.figures) == 4
    for item in rep.figures.values():
        assert item.title in report.slide(item).layout.title.text
        png = report.png(item)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        image = Image.open(io.BytesIO(png)).convert("L")
        assert image.size == (1600, 900)
        top = image.crop((0, 0, 800, 70))  # where the title is drawn, left-aligned
        assert top.getextrema()[0] < 80, f"no title drawn on the {item.title!r} slide"


def test_browser_report_page_downloads_a_titled_slide(page, server, tmp_path):
    """The Report page's first PNG button gives the slide itself (kaleido in the server)."""
    from PIL import Image

    open_page(page, server, "report")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=re.compile("Download as PNG")).first.click()
    path = tmp_path / "slide.png"
    info.value.save_as(path)
    image = Image.open(path).convert("L")
    assert image.size == (1600, 900)
    assert image.crop((0, 0, 800, 70)).getextrema()[0] < 80  # the title, drawn at the top


def test_browser_imports_a_mixed_file_and_finds_its_stories(page, server, tmp_path):
    """Runs last (it adds articles): a JSONL export of three events without story labels is
    imported on the Corpus page, "Find stories" groups it, the stories are listed, and one
    opens on the Stories page."""
    from .test_stories import mixed_jsonl

    path = tmp_path / "mixed.jsonl"
    path.write_bytes(mixed_jsonl())
    open_page(page, server, "corpus")
    page.get_by_role("tab", name="Import").click()
    uploader = 'input[data-testid="stFileUploaderDropzoneInput"][accept*=".jsonl"]'
    page.locator(uploader).set_input_files(str(path))
    settle(page)
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page)
    assert "9 added" in page.inner_text("body")
    page.get_by_role("tab", name="Stories").click()
    page.get_by_role("button", name="Find stories").click()
    settle(page)
    assert "Placed 9 articles in 3 stories" in page.inner_text("body")
    assert_no_exception(page)
    page.get_by_role("tab", name="Stories").click()
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Story").first.click()
    options = page.get_by_role("option").all_inner_texts()
    assert sum("Anna Berg" in o for o in options) == 2  # the summit and the call, apart
    assert any("Millbrook" in o or "dam" in o for o in options)
    shoot(page, "corpus-stories")
    page.keyboard.press("Escape")
    # open one of the stories found: the Stories page shows it, its three outlets and views
    label = next(o for o in options if "Anna Berg" in o).rsplit(" (", 1)[0]  # "label (3 articles)"
    open_page(page, server, "stories", urllib.parse.urlencode({"st_story": label}))
    assert_no_exception(page)
    body = page.inner_text("body")
    assert label in body and "Over time" in body
    assert "Headlines side by side" in body and "Who reported each fact first" in body
    assert re.search(r"Articles\s+3\s+Outlets\s+3", body)  # the summit's three outlets
    shoot(page, "stories-found")
