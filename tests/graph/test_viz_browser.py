"""The offline HTML network in Debian's chromium: no requests, payloads shown as text, and the story map
read as an analyst reads it (a story cluster of our own, ingested through the real pipeline)."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from newsgraph.graph.viz import render, select, selection_title
from tests.fixtures.story import ingest_story
from tests.graph.test_viz import HOLLIS, PWN_HREF, PWN_IMG, PWN_QUOTE, PWN_SCRIPT, PWN_TITLE, UHT, payload_snapshot

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
VISIBLE_EDGES = "newsgraph.edges.get({filter: e => !e.hidden})"
VISIBLE_NODES = "newsgraph.nodes.get({filter: n => !n.hidden})"


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
    """A rendered page open in chromium, with every request it made and every script error."""

    def __init__(self, browser, snapshot, path: Path, **options):
        self.snapshot = snapshot
        self.result = render(snapshot, path, **options)
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(self.result.path.resolve().as_uri())
        self.wait_until("() => window.newsgraph && window.newsgraph.ready", timeout=60)
        self.actor_ids = self.page.evaluate("newsgraph.data.actors.map(a => a.id)")

    def node(self, actor_id: str) -> str:
        return f"a{self.actor_ids.index(actor_id)}"

    def named(self, name: str) -> str:
        return self.node(next(a.id for a in self.snapshot.actors if a.name == name))

    def pwned(self) -> str:
        return self.page.evaluate("typeof window.__pwned")

    def _to_page(self, point: dict) -> tuple[float, float]:
        return self.page.evaluate(
            """(p) => {
                const d = network.canvasToDOM(p);
                const box = document.getElementById('ng-network').getBoundingClientRect();
                return [box.left + d.x, box.top + d.y];
            }""",
            point,
        )

    def point(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        return self._to_page(self.page.evaluate("(id) => network.getPositions([id])[id]", node))

    def edge_point(self, edge: str) -> tuple[float, float]:
        """The middle of an edge as drawn (straight or curved), in page coordinates."""
        return self._to_page(self.page.evaluate("(id) => network.body.edges[id].edgeType.getPoint(0.5)", edge))

    def hover(self, x: float, y: float, expected: str) -> str:
        self.away()
        self.page.mouse.move(x, y, steps=3)
        self.wait_until(
            """(text) => {
                const tip = document.getElementById('ng-tip');
                return tip.style.display === 'block' && tip.innerText.includes(text);
            }""",
            expected,
        )
        return self.page.inner_text("#ng-tip")

    def away(self) -> None:
        self.page.mouse.move(3, 3)
        self.wait_until("() => document.getElementById('ng-tip').style.display !== 'block'")

    def wait_until(self, predicate: str, arg=None, timeout: float = 5.0) -> None:
        """Poll a predicate from here: the page's own CSP forbids the eval that wait_for_function needs."""
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(predicate, arg):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {predicate}")
            self.page.wait_for_timeout(50)

    def panel_events(self) -> list[dict]:
        return self.page.evaluate(
            """() => [...document.querySelectorAll('#ng-details li[data-event]')].map(li => ({
                id: li.getAttribute('data-event'),
                date: li.querySelector('.ng-date').textContent,
                sentence: li.querySelector('.ng-sentence').textContent,
                source: li.querySelector('.ng-source').textContent,
                links: [...li.querySelectorAll('a')].map(a => a.getAttribute('href')),
            }))"""
        )

    def legend(self) -> dict[str, int]:
        return self.page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('#ng-categories li')]
                .filter(li => li.style.display !== 'none')
                .map(li => [li.getAttribute('data-category'), +li.querySelector('.ng-count').textContent]))"""
        )

    def close(self) -> None:
        self.page.close()


def actor(snapshot, name: str) -> str:
    return next(a.id for a in snapshot.actors if a.name == name)


# ---- a page built from payloads ------------------------------------------------------------------


@pytest.fixture(scope="module")
def payload_page(browser, tmp_path_factory):
    loaded = Loaded(browser, payload_snapshot(), tmp_path_factory.mktemp("viz") / "payload.html", title=PWN_TITLE)
    yield loaded
    loaded.close()


def test_page_requests_only_its_own_file(payload_page):
    assert payload_page.requests and all(url.startswith("file:") for url in payload_page.requests)
    assert payload_page.errors == []


def test_every_actor_and_link_is_in_the_page(payload_page):
    counts = payload_page.page.evaluate(
        f"[newsgraph.nodes.length, newsgraph.edges.length, {VISIBLE_NODES}.length, {VISIBLE_EDGES}.length,"
        " Object.keys(network.getPositions()).length]"
    )
    result = payload_page.result
    assert counts == [result.nodes, result.edges, result.shown_actors, result.links, result.nodes]
    assert result.nodes == len(payload_page.snapshot.actors)


def test_title_and_payload_names_are_text(payload_page):
    page = payload_page.page
    assert page.title() == PWN_TITLE
    assert page.text_content("#ng-title") == PWN_TITLE
    assert page.evaluate("document.querySelectorAll('img, a, b, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert payload_page.pwned() == "undefined"


@pytest.mark.parametrize("name", [PWN_SCRIPT, PWN_IMG, PWN_HREF, "Annual </script> Report"])
def test_hovering_a_payload_actor_shows_its_name_as_text(payload_page, name):
    shown = payload_page.hover(*payload_page.point(payload_page.named(name)), expected=name)
    assert shown.splitlines()[0] == name
    assert payload_page.pwned() == "undefined"
    assert payload_page.page.evaluate("document.querySelectorAll('img, a, b').length") == 0


def test_clicking_a_payload_actor_lists_its_event_as_text(payload_page):
    page = payload_page.page
    payload_page.away()
    page.mouse.click(*payload_page.point(payload_page.named(PWN_HREF)))
    assert page.text_content("#ng-details h3") == PWN_HREF
    (listed,) = payload_page.panel_events()
    assert listed["sentence"] == f"{PWN_HREF} wrote to the Annual </script> Report."
    assert f"“{PWN_QUOTE}”" in page.text_content("#ng-details")
    assert listed["links"] == []  # the article has no url: its title is text
    assert PWN_TITLE in listed["source"]
    assert page.evaluate("document.querySelectorAll('img, b, iframe, #ng-details a').length") == 0
    assert payload_page.pwned() == "undefined"


def test_hovering_a_link_shows_its_events(payload_page):
    link = payload_page.page.evaluate(
        "(ids) => newsgraph.edges.get().find(e => e.from === ids[0] && e.to === ids[1]).id",
        [payload_page.named(PWN_HREF), payload_page.named("Annual </script> Report")],
    )
    shown = payload_page.hover(*payload_page.edge_point(link), expected="Write to")
    assert shown.splitlines()[:2] == [f"{PWN_HREF} → Annual </script> Report", "1 event: Write to"]
    assert f"2024-12-20 · Write to: {PWN_HREF} wrote to" in shown
    assert payload_page.pwned() == "undefined"


def test_search_by_alias_focuses_and_selects(payload_page):
    page = payload_page.page
    page.fill("#ng-search", "uht")
    page.press("#ng-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [payload_page.node(UHT)]
    centre, position = page.evaluate(
        "(id) => [network.getViewPosition(), network.getPositions([id])[id]]", payload_page.node(UHT)
    )
    assert abs(centre["x"] - position["x"]) < 1 and abs(centre["y"] - position["y"]) < 1
    assert page.text_content("#ng-details h3") == "Union of Head Teachers"
    page.fill("#ng-search", "no such actor")
    page.press("#ng-search", "Enter")
    assert "no actor matches" in page.text_content("#ng-status")


def test_category_filter_hides_links_and_idle_actors_then_reset(payload_page):
    page = payload_page.page
    page.uncheck("#ng-categories input[value=criticise]")
    shown = page.evaluate(f"{VISIBLE_EDGES}.map(e => e.id)")
    assert len(shown) == payload_page.result.links - 3  # Hollis -> UHT and Guild; the payload pair
    hidden_nodes = page.evaluate("newsgraph.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert payload_page.named(PWN_IMG) in hidden_nodes and payload_page.node(HOLLIS) not in hidden_nodes
    assert payload_page.legend()["criticise"] == 0
    assert page.text_content("#ng-summary").startswith("Showing ")
    page.click("#ng-reset")
    assert page.evaluate(f"{VISIBLE_EDGES}.length") == payload_page.result.links
    assert page.text_content("#ng-summary") == payload_page.result.summary()


# ---- the story cluster ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    return ingest_story(tmp_path_factory.mktemp("story") / "graph.lbug")


@pytest.fixture(scope="module")
def story_page(browser, story, tmp_path_factory):
    loaded = Loaded(browser, story, tmp_path_factory.mktemp("viz") / "story.html", title="The ferry story")
    yield loaded
    loaded.close()


def test_the_page_says_the_counts_the_cli_says(story_page):
    # The header is recomputed in the page from its records; the CLI prints result.summary().
    assert story_page.errors == []
    assert story_page.page.text_content("#ng-summary") == story_page.result.summary()
    result = story_page.result
    assert result.linked_events and result.solo_events and result.shown_actors < result.actors
    legend = story_page.legend()
    assert sum(legend.values()) == result.events == len(story_page.snapshot.events)
    kinds = story_page.page.evaluate(
        "[...document.querySelectorAll('#ng-kinds .ng-count')].reduce((n, count) => n + +count.textContent, 0)"
    )
    assert kinds == result.shown_actors


def test_no_isolated_node_is_shown_by_default(story_page):
    page = story_page.page
    nodes = page.evaluate(f"{VISIBLE_NODES}.map(n => n.id)")
    ends = {end for edge in page.evaluate(f"{VISIBLE_EDGES}.map(e => [e.from, e.to])") for end in edge}
    ringed = set(page.evaluate("newsgraph.data.actors.map((a, i) => a.solo.length ? 'a' + i : null).filter(Boolean)"))
    assert nodes and all(node in ends or node in ringed for node in nodes)
    idle = {a.id for a in story_page.snapshot.actors} - {
        p for ev in story_page.snapshot.events for p in (*ev.agents, *ev.patients)
    }
    assert idle and not {story_page.node(a) for a in idle} & set(nodes)
    page.check("#ng-idle")
    assert {story_page.node(a) for a in idle} <= set(page.evaluate(f"{VISIBLE_NODES}.map(n => n.id)"))
    assert "without events hidden" not in page.text_content("#ng-summary")
    page.uncheck("#ng-idle")
    assert page.evaluate(f"{VISIBLE_NODES}.length") == len(nodes)


def test_at_most_one_edge_per_actor_pair_and_direction(story_page):
    edges = story_page.page.evaluate(f"{VISIBLE_EDGES}.map(e => [e.from, e.to, e.link.events.length])")
    pairs = Counter((source, target) for source, target, _ in edges)
    assert pairs and max(pairs.values()) == 1
    linked = [ev for ev in story_page.snapshot.events if ev.agents and set(ev.patients) - set(ev.agents)]
    assert sum(n for _, _, n in edges) == sum(len(ev.agents) * len(set(ev.patients) - set(ev.agents)) for ev in linked)
    widths = story_page.page.evaluate(f"Object.fromEntries({VISIBLE_EDGES}.map(e => [e.link.events.length, e.width]))")
    assert len(widths) > 1 and sorted(widths.values()) == [widths[k] for k in sorted(widths)]  # wider with more
    assert not story_page.page.evaluate(f"{VISIBLE_EDGES}.filter(e => e.label).length")  # no label until hovered


def _busiest_link(loaded) -> dict:
    return loaded.page.evaluate(
        f"{VISIBLE_EDGES}.sort((a, b) => b.link.events.length - a.link.events.length)"
        ".map(e => ({id: e.id, events: e.link.events.map(i => newsgraph.data.events[i].evidence)}))[0]"
    )


def test_hovering_an_edge_shows_its_events_and_its_label(story_page):
    link = _busiest_link(story_page)
    assert len(link["events"]) >= 2
    shown = story_page.hover(*story_page.edge_point(link["id"]), expected=link["events"][0][:40])
    for sentence in link["events"]:
        assert sentence[:100] in shown
    assert (
        story_page.page.evaluate("(id) => newsgraph.edges.get(id).label", link["id"]) == f"{len(link['events'])} events"
    )
    story_page.away()
    assert not story_page.page.evaluate("(id) => newsgraph.edges.get(id).label", link["id"])


def test_clicking_an_actor_lists_its_events_with_sentences_in_date_order(story_page):
    busiest = Counter(p for ev in story_page.snapshot.events for p in dict.fromkeys([*ev.agents, *ev.patients]))
    actor_id, n = busiest.most_common(1)[0]
    story_page.away()
    story_page.page.mouse.click(*story_page.point(story_page.node(actor_id)))
    listed = story_page.panel_events()
    assert len(listed) == n >= 4
    dates = [item["date"] for item in listed]
    assert dates == sorted(dates)
    articles = {a.id: a for a in story_page.snapshot.articles}
    for item in listed:
        ev = next(e for e in story_page.snapshot.events if e.id == item["id"])
        assert item["sentence"] == ev.evidence
        art = articles[ev.article]
        assert item["source"].startswith(f"{art.outlet} · {art.title} · ev_")
        assert item["links"] == [art.url]
    assert story_page.page.evaluate(
        "[...document.querySelectorAll('#ng-details a')].every(a => a.rel.includes('noopener'))"
    )


def test_clicking_an_edge_lists_the_events_between_the_pair(story_page):
    link = _busiest_link(story_page)
    story_page.away()
    story_page.page.mouse.click(*story_page.edge_point(link["id"]))
    listed = story_page.panel_events()
    sentences = [item["sentence"] for item in listed]
    assert set(link["events"]) <= set(sentences)  # and any events the other way
    assert [item["date"] for item in listed] == sorted(item["date"] for item in listed)
    assert " ↔ " in story_page.page.text_content("#ng-details h3")
    story_page.page.click("#ng-reset")


def _visible_centre(page) -> tuple[float, float, float]:
    """The centre of the nodes that show and their extent, in canvas units."""
    return page.evaluate(
        f"""() => {{
            const pos = Object.values(network.getPositions({VISIBLE_NODES}.map(n => n.id)));
            const xs = pos.map(p => p.x), ys = pos.map(p => p.y);
            const [l, r, t, b] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
            return [(l + r) / 2, (t + b) / 2, Math.max(r - l, b - t, 1)];
        }}"""
    )


def test_moving_the_time_filter_changes_nodes_edges_legend_counts_and_the_view(story_page):
    page = story_page.page
    before = story_page.legend()
    nodes, edges = page.evaluate(f"[{VISIBLE_NODES}.length, {VISIBLE_EDGES}.length]")
    page.evaluate("network.moveTo({position: {x: 5000, y: -5000}, scale: 0.1})")  # the reader wandered off
    page.focus("#ng-to")
    for _ in range(page.evaluate("+document.getElementById('ng-to').max") // 2):
        page.keyboard.press("ArrowLeft")
    until = page.text_content("#ng-to-day")
    after = story_page.legend()
    assert sum(after.values()) < sum(before.values())
    articles = {a.id: a.date for a in story_page.snapshot.articles}
    dates = {ev.id: ev.date or articles[ev.article] for ev in story_page.snapshot.events}
    # a partial date (2024-05) sorts before the days it covers: it shows while its first day does
    expected = Counter(ev.category for ev in story_page.snapshot.events if dates[ev.id] and dates[ev.id] <= until)
    assert {k: v for k, v in after.items() if v} == dict(expected)
    shown = page.evaluate(f"[{VISIBLE_NODES}.length, {VISIBLE_EDGES}.length]")
    assert shown[0] <= nodes and shown[1] <= edges and shown != [nodes, edges]
    assert page.text_content("#ng-summary").startswith(f"Showing {shown[0]} actors")
    # fitted again: the view centres on what shows
    x, y, extent = _visible_centre(page)
    view = page.evaluate("[network.getScale(), network.getViewPosition()]")
    assert view[0] > 0.1 and abs(view[1]["x"] - x) < 0.1 * extent and abs(view[1]["y"] - y) < 0.1 * extent
    page.click("#ng-reset")
    assert story_page.legend() == before


def test_screenshot(story_page):
    ARTIFACTS.mkdir(exist_ok=True)
    story_page.away()
    story_page.page.screenshot(path=str(ARTIFACTS / "viz.png"))


def test_the_focus_actor_is_centred_and_marked(browser, story, tmp_path):
    busiest = Counter(p for ev in story.events for p in dict.fromkeys([*ev.agents, *ev.patients]))
    focus = busiest.most_common(3)[-1][0]
    selection = select(story, actor=focus, hops=1)
    loaded = Loaded(browser, selection, tmp_path / "focus.html", focus=focus, title=selection_title(story, actor=focus))
    try:
        node = loaded.node(focus)
        centre, position = loaded.page.evaluate(
            "(id) => [network.getViewPosition(), network.getPositions([id])[id]]", node
        )
        assert abs(centre["x"] - position["x"]) < 1 and abs(centre["y"] - position["y"]) < 1
        marked = loaded.page.evaluate("(id) => newsgraph.nodes.get(id)", node)
        assert marked["label"].startswith("★ ") and marked["borderWidth"] == 5
        box = loaded.page.evaluate("document.getElementById('ng-network').getBoundingClientRect().toJSON()")
        for other in loaded.page.evaluate(f"{VISIBLE_NODES}.map(n => n.id)"):  # everything fits in the window
            x, y = loaded.point(other)
            assert box["left"] <= x <= box["right"] and box["top"] <= y <= box["bottom"]
        assert loaded.errors == []
    finally:
        loaded.close()


def test_events_as_nodes_page(browser, story, tmp_path):
    loaded = Loaded(browser, story, tmp_path / "nodes.html", events_as="nodes")
    try:
        assert all(url.startswith("file:") for url in loaded.requests) and loaded.errors == []
        assert loaded.page.text_content("#ng-summary") == loaded.result.summary()
        death = next(i for i, ev in enumerate(loaded.page.evaluate("newsgraph.data.events")) if not ev["agents"])
        data = loaded.page.evaluate("(i) => newsgraph.data.events[i]", death)
        label = loaded.page.evaluate("(i) => newsgraph.nodes.get('e' + i).label", death)
        assert label.endswith("\n" + data["date"])
        shown = loaded.hover(*loaded.point(f"e{death}"), expected=data["evidence"][:40])
        assert "Agents: none named" in shown
        ARTIFACTS.mkdir(exist_ok=True)
        loaded.away()
        loaded.page.screenshot(path=str(ARTIFACTS / "viz-nodes.png"))
    finally:
        loaded.close()
