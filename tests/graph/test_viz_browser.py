"""The offline HTML network in Debian's chromium: no requests, every node drawn, payloads shown as text,
hover, click, search and filters working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgraph.graph.viz import render
from tests.graph.test_viz import (
    GUILD,
    HOLLIS,
    PWN_HREF,
    PWN_IMG,
    PWN_QUOTE,
    PWN_SCRIPT,
    PWN_TITLE,
    UHT,
    payload_snapshot,
)

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Loaded:
    """A rendered page open in chromium, with every request it made."""

    def __init__(self, browser, path: Path, **options):
        self.snapshot = payload_snapshot()
        self.result = render(self.snapshot, path, title=PWN_TITLE, **options)
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(self.result.path.resolve().as_uri())
        self.page.wait_for_function("window.newsgraph && window.newsgraph.ready", timeout=60_000)

    def pwned(self) -> str:
        return self.page.evaluate("typeof window.__pwned")

    def point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        return self.page.evaluate(
            """(id) => {
                const p = network.canvasToDOM(network.getPositions([id])[id]);
                const box = document.getElementById('ng-network').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""",
            node_id,
        )

    def hover(self, x: float, y: float, expected: str) -> str:
        self.page.mouse.move(5, 200)
        self.page.mouse.move(x, y, steps=3)
        self.page.wait_for_function(
            """(text) => {
                const tip = document.querySelector('.vis-tooltip');
                return tip && tip.style.visibility === 'visible' && tip.innerText.includes(text);
            }""",
            arg=expected,
            timeout=5_000,
        )
        return self.page.evaluate("document.querySelector('.vis-tooltip').innerText")


@pytest.fixture(scope="module")
def edges_page(browser, tmp_path_factory):
    loaded = Loaded(browser, tmp_path_factory.mktemp("viz") / "edges.html")
    yield loaded
    loaded.page.close()


def actor(snapshot, name: str) -> str:
    return next(a.id for a in snapshot.actors if a.name == name)


def test_page_requests_only_its_own_file(edges_page):
    assert edges_page.requests and all(url.startswith("file:") for url in edges_page.requests)
    assert edges_page.errors == []


def test_every_selected_node_and_edge_is_drawn(edges_page):
    counts = edges_page.page.evaluate(
        "[network.body.data.nodes.length, network.body.data.edges.length,"
        " newsgraph.nodes.length, Object.keys(network.getPositions()).length]"
    )
    result = edges_page.result
    assert counts == [result.nodes, result.edges, result.nodes, result.nodes]
    assert result.nodes == len(edges_page.snapshot.actors)


def test_title_and_payload_names_are_text(edges_page):
    page = edges_page.page
    assert page.title() == PWN_TITLE
    assert page.text_content("#ng-title") == PWN_TITLE
    assert page.evaluate("document.querySelectorAll('img, a, b, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert edges_page.pwned() == "undefined"


@pytest.mark.parametrize("name", [PWN_SCRIPT, PWN_IMG, PWN_HREF, "Annual </script> Report"])
def test_hovering_a_payload_actor_shows_its_name_as_text(edges_page, name):
    node = actor(edges_page.snapshot, name)
    shown = edges_page.hover(*edges_page.point(node), expected=name)
    assert shown.splitlines()[0] == name
    assert edges_page.pwned() == "undefined"
    assert edges_page.page.evaluate("document.querySelectorAll('img, a').length") == 0


def test_hovering_an_event_edge_shows_evidence_quote_and_article(edges_page):
    snap = edges_page.snapshot
    (ax, ay), (bx, by) = (
        edges_page.point(actor(snap, PWN_HREF)),
        edges_page.point(actor(snap, "Annual </script> Report")),
    )
    shown = edges_page.hover((ax + bx) / 2, (ay + by) / 2, expected=PWN_QUOTE)
    assert "Write to (write_to)" in shown and f"Evidence: {PWN_HREF} wrote to" in shown
    assert f"Article: {PWN_TITLE}" in shown and "2024-12-20" in shown
    assert edges_page.pwned() == "undefined"


def test_clicking_selects_and_shows_details(edges_page):
    page = edges_page.page
    page.mouse.click(*edges_page.point(HOLLIS))
    assert page.evaluate("network.getSelectedNodes()") == [HOLLIS]
    assert page.text_content("#ng-details").startswith("Dana Hollis")
    page.mouse.click(*edges_page.point(actor(edges_page.snapshot, PWN_IMG)))
    assert page.text_content("#ng-details").startswith(PWN_IMG)
    assert edges_page.pwned() == "undefined"


def test_search_by_alias_focuses_and_selects(edges_page):
    page = edges_page.page
    page.fill("#ng-search", "uht")
    page.press("#ng-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [UHT]
    centre, position = page.evaluate("(id) => [network.getViewPosition(), network.getPositions([id])[id]]", UHT)
    assert abs(centre["x"] - position["x"]) < 1 and abs(centre["y"] - position["y"]) < 1
    page.fill("#ng-search", "no such actor")
    page.press("#ng-search", "Enter")
    assert "no actor matches" in page.text_content("#ng-status")


def test_category_and_date_filters_hide_events_and_idle_actors(edges_page):
    page = edges_page.page
    hidden_edges = "newsgraph.edges.get({filter: e => e.hidden}).map(e => e.category).sort()"
    hidden_nodes = "newsgraph.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()"
    page.uncheck("#ng-categories input[value=criticise]")
    assert page.evaluate(hidden_edges) == ["criticise"] * 3  # Hollis -> UHT and Guild; the payload pair
    page.check("#ng-categories input[value=criticise]")
    page.fill("#ng-from", "2024-12-02")
    page.fill("#ng-to", "2024-12-02")
    shown = page.evaluate("newsgraph.edges.get({filter: e => !e.hidden}).map(e => [e.category, e.date])")
    assert {category for category, _ in shown} == {"demand", "write_to", "criticise"}
    assert {date for _, date in shown} == {"2024-12-02"}
    assert HOLLIS not in page.evaluate(hidden_nodes) and GUILD not in page.evaluate(hidden_nodes)
    assert actor(edges_page.snapshot, "Mira Stone") in page.evaluate(hidden_nodes)
    assert "of" in page.text_content("#ng-status")
    page.click("#ng-reset")
    assert page.evaluate(hidden_edges) == [] and page.evaluate(hidden_nodes) == []


def test_screenshot(edges_page):
    ARTIFACTS.mkdir(exist_ok=True)
    edges_page.page.mouse.move(5, 200)
    edges_page.page.evaluate("network.unselectAll(); network.fit()")
    edges_page.page.screenshot(path=str(ARTIFACTS / "viz.png"))


def test_events_as_nodes_page(browser, tmp_path):
    loaded = Loaded(browser, tmp_path / "nodes.html", events_as="nodes")
    try:
        assert all(url.startswith("file:") for url in loaded.requests) and loaded.errors == []
        assert loaded.page.evaluate("network.body.data.nodes.length") == loaded.result.nodes
        statement = next(e for e in loaded.snapshot.events if e.category == "statement" and e.quote)
        shown = loaded.hover(*loaded.point(statement.id), expected="Quote:")
        assert "Statement (statement)" in shown and "Patients: none named" in shown
        write_to = next(e for e in loaded.snapshot.events if e.quote == PWN_QUOTE)
        assert PWN_QUOTE in loaded.hover(*loaded.point(write_to.id), expected=PWN_QUOTE)
        assert loaded.pwned() == "undefined"
        ARTIFACTS.mkdir(exist_ok=True)
        loaded.page.mouse.move(5, 200)
        loaded.page.screenshot(path=str(ARTIFACTS / "viz-nodes.png"))
    finally:
        loaded.page.close()
