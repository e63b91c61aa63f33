"""The offline HTML network without a browser: what the page holds and loads, selection, limits, layout."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from newsgraph.errors import InputError
from newsgraph.graph.viz import KIND_COLOURS, layout_positions, render, select, selection_title
from newsgraph.model import Article, Entity, Event, Extraction, actor_id, stable_id
from newsgraph.store import snapshot_from_extractions
from tests.fixtures.world import world

PWN_SCRIPT = "<script>window.__pwned=1</script>"
PWN_IMG = '<img src=x onerror="window.__pwned=1">'
PWN_HREF = 'Harbour Board <a href="javascript:window.__pwned=1">x</a>'
PWN_TITLE = "Leak </script><script>window.__pwned=1</script> & more"
PWN_QUOTE = 'See <a href="javascript:window.__pwned=1">the file</a>'

HOLLIS = actor_id("Dana Hollis", "Person")
PRYCE = actor_id("Owen Pryce", "Person")
MINISTRY = actor_id("Ministry of Learning", "Organisation")
UHT = actor_id("Union of Head Teachers", "Organisation")
GUILD = actor_id("Lecturers Guild", "Organisation")
INSPECTORATE = actor_id("Schools Inspectorate", "Organisation")
STONE = actor_id("Mira Stone", "Person")
SCHOOL = actor_id("Elm Primary School", "Organisation")


def payload_extraction() -> Extraction:
    """An article whose names, aliases, quote and title try to run script if shown as HTML."""
    body = "\n".join(
        [
            f"{PWN_SCRIPT} criticised {PWN_IMG} over the href leak.",
            f"{PWN_HREF} wrote to the Annual </script> Report.",
            "Mr & Mrs <b>Bold</b> said nothing.",
        ]
    )
    article = Article(body=body, source="tests/world/payload.txt", title=PWN_TITLE, date="2024-12-20")
    person = Entity(actor_id(PWN_SCRIPT, "Person"), PWN_SCRIPT, "Person")
    org = Entity(actor_id(PWN_IMG, "Organisation"), PWN_IMG, "Organisation", aliases=["Line\u2028Sep\u2029Corp"])
    place = Entity(actor_id(PWN_HREF, "Place"), PWN_HREF, "Place", aliases=["href harbour"])
    document = Entity(actor_id("Annual </script> Report", "Document"), "Annual </script> Report", "Document")
    other = Entity(actor_id("Mr & Mrs <b>Bold</b>", "Other"), "Mr & Mrs <b>Bold</b>", "Other")
    lines = body.split("\n")

    def event(category: str, trigger: str, line: int, agents, patients, **kw) -> Event:
        start = body.index(lines[line])
        return Event(
            id=stable_id("ev", article.id, category, line),
            category=category,
            trigger=trigger,
            trigger_start=start,
            trigger_end=start + 1,
            agents=[a.id for a in agents],
            patients=[p.id for p in patients],
            evidence=lines[line],
            evidence_start=start,
            evidence_end=start + len(lines[line]),
            sentence=line,
            date="2024-12-20",
            **kw,
        )

    return Extraction(
        article,
        [person, org, place, document, other],
        [
            event("criticise", "criticised", 0, [person], [org]),
            event("write_to", "wrote to", 1, [place], [document], quote=PWN_QUOTE),
            event("statement", "said", 2, [other], []),
        ],
    )


def payload_snapshot():
    return snapshot_from_extractions([*world(), payload_extraction()])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    tags.close()
    return tags


def page_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="ng-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


@pytest.fixture
def snapshot(extractions):
    return snapshot_from_extractions(extractions)


def test_page_loads_nothing_from_the_network(snapshot, tmp_path):
    page = render(snapshot, tmp_path / "g.html").path.read_text(encoding="utf-8")
    tags = parse(page)
    for tag, attrs in tags.tags:
        for name in ("src", "href", "srcset", "data", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {name}={value}>"
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert len(scripts) == 3 and not any("src" in attrs for attrs in scripts)
    assert not [tag for tag, _ in tags.tags if tag in ("link", "img", "iframe")]
    lowered = page.lower()
    for cdn in ("bootstrap", "cdnjs", "jsdelivr", "unpkg", "tom-select"):
        assert cdn not in lowered
    assert "vis.Network" in page  # vis-network is inline


def test_payloads_stay_data_not_markup(tmp_path):
    page = render(payload_snapshot(), tmp_path / "g.html", title=PWN_TITLE).path.read_text(encoding="utf-8")
    for raw in ("<script>window.__pwned", "<img src=x", '<a href="javascript', "<b>Bold", "</script><script>"):
        assert raw not in page
    tags = parse(page)
    # the same three scripts as any page, and no element a payload could have opened
    assert [tag for tag, _ in tags.tags].count("script") == 3
    assert not [tag for tag, _ in tags.tags if tag in ("img", "a", "b")]
    assert tags.title == PWN_TITLE
    data = page_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {PWN_SCRIPT, PWN_IMG, PWN_HREF, "Annual </script> Report"} <= labels
    names = {name for n in data["nodes"] for name in n.get("names", [])}
    assert "Line\u2028Sep\u2029Corp" in names
    assert "\u2028" not in page and "\u2029" not in page


def test_tooltips_are_text_lines_never_html(tmp_path):
    data = page_data(render(payload_snapshot(), tmp_path / "g.html").path.read_text(encoding="utf-8"))
    for item in data["nodes"] + data["edges"]:
        assert "title" not in item  # the page's own script turns `tip` into text nodes
        assert all(isinstance(line, str) for line in item["tip"])
    write_to = next(e for e in data["edges"] if e["category"] == "write_to" and PWN_QUOTE in " ".join(e["tip"]))
    assert any(line.startswith("Evidence: ") and PWN_HREF in line for line in write_to["tip"])
    assert any(line.startswith("Article: " + PWN_TITLE) for line in write_to["tip"])
    template = resources.files("newsgraph.data").joinpath("viz_template.html").read_text(encoding="utf-8")
    own_script = template.split("@@VIS_JS@@", 1)[1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in own_script


def test_actors_coloured_by_kind_and_sized_by_activity(snapshot, tmp_path):
    data = page_data(render(snapshot, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    actors = {a.id: a for a in snapshot.actors}
    for node in data["nodes"]:
        assert "group" not in node
        assert node["color"]["background"] == KIND_COLOURS[actors[node["id"]].kind]
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size[INSPECTORATE] > size[MINISTRY]  # five events against one


def test_events_as_edges_go_agent_to_patient_and_hidden_ones_are_counted(snapshot, tmp_path):
    result = render(snapshot, tmp_path / "g.html")
    page = result.path.read_text(encoding="utf-8")
    data = page_data(page)
    assert (result.nodes, result.edges, result.hidden_events) == (8, 11, 1)  # Pryce's statement: no patient
    assert "1 event not drawn" in page
    takes_over = [e for e in data["edges"] if e["from"] == HOLLIS and e["to"] == PRYCE]
    assert len(takes_over) == 1
    assert takes_over[0]["label"] == "Appoint or succeed" and takes_over[0]["arrows"] == "to"
    colours = {e["category"]: e["color"]["color"] for e in data["edges"]}
    assert len(set(colours.values())) == len(colours)
    legend = {c["name"]: c["count"] for c in data["legend"]["categories"]}
    assert "statement" not in legend and legend["demand"] == 1


def test_events_as_nodes_keep_events_with_one_side_only(snapshot, tmp_path):
    result = render(snapshot, tmp_path / "g.html", events_as="nodes")
    data = page_data(result.path.read_text(encoding="utf-8"))
    assert (result.nodes, result.hidden_events) == (8 + 9, 0)
    statement = next(n for n in data["nodes"] if n.get("category") == "statement")
    assert statement["shape"] != "dot"
    assert [(e["from"], e["label"]) for e in data["edges"] if e["to"] == statement["id"]] == [(PRYCE, "agent")]
    assert "Quote: “It has been a privilege to serve.”" in statement["tip"]


def test_too_many_nodes_is_an_input_error(snapshot, tmp_path):
    with pytest.raises(InputError, match=r"^8 nodes exceed --max-nodes 5: narrow the selection with --actor/--hops"):
        render(snapshot, tmp_path / "g.html", max_nodes=5)
    with pytest.raises(InputError, match=r"^17 nodes exceed --max-nodes 10:"):
        render(snapshot, tmp_path / "g.html", events_as="nodes", max_nodes=10)
    assert not (tmp_path / "g.html").exists()


def test_above_physics_limit_positions_come_from_python(snapshot, tmp_path):
    result = render(snapshot, tmp_path / "g.html", physics_limit=3)
    data = page_data(result.path.read_text(encoding="utf-8"))
    assert result.physics is False and data["options"]["physics"] == {"enabled": False}
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == len(data["nodes"])
    small = page_data(render(snapshot, tmp_path / "h.html").path.read_text(encoding="utf-8"))
    assert small["options"]["physics"]["enabled"] is True
    assert small["options"]["physics"]["stabilization"]["iterations"] == 150
    assert small["options"]["layout"]["improvedLayout"] is False and small["options"]["edges"]["smooth"] is False
    assert not any("x" in n for n in small["nodes"])


def test_same_graph_same_page(snapshot, tmp_path):
    first = render(snapshot, tmp_path / "a.html", physics_limit=3).path.read_bytes()
    assert render(snapshot, tmp_path / "b.html", physics_limit=3).path.read_bytes() == first


def test_layout_separates_components_and_nodes():
    edges = [(f"a{i}", f"a{i + 1}") for i in range(40)] + [("b0", "b1"), ("b1", "b2")]
    nodes = [f"a{i}" for i in range(41)] + ["b0", "b1", "b2", "lonely"]
    pos = layout_positions(nodes, edges)
    assert set(pos) == set(nodes)
    points = list(pos.values())
    closest = min(
        ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 for i, (x1, y1) in enumerate(points) for x2, y2 in points[i + 1 :]
    )
    assert closest > 20  # pixels
    assert layout_positions(nodes, edges) == pos


def ids(snap):
    return {a.id for a in snap.actors}


def test_select_ego_network_by_hops(snapshot):
    one = select(snapshot, actor=HOLLIS)
    assert ids(one) == {HOLLIS, MINISTRY, PRYCE, UHT, GUILD}
    # events among the chosen actors only: the demand and the letter reach the Inspectorate, outside
    assert {e.category for e in one.events} == {"appoint_succeed", "criticise", "statement"}
    assert ids(select(snapshot, actor=HOLLIS, hops=2)) == ids(one) | {INSPECTORATE}
    assert ids(select(snapshot, actor=HOLLIS, hops=3)) == ids(one) | {INSPECTORATE, STONE}
    assert ids(select(snapshot, actor=HOLLIS, hops=0)) == {HOLLIS}
    assert {a.id for a in select(snapshot, actor=SCHOOL, hops=1).actors} == {SCHOOL, STONE}


def test_select_by_category_and_date(snapshot):
    by_category = select(snapshot, categories=["criticise", "demand"])
    assert sorted(e.category for e in by_category.events) == ["criticise", "demand"]
    assert ids(by_category) == {HOLLIS, UHT, GUILD, INSPECTORATE}
    december = select(snapshot, since="2024-12-01", until="2024-12-05")
    assert {e.category for e in december.events} == {"demand", "write_to", "criticise"}
    assert [a.title for a in december.articles] == ["Unions demand pause of inspections"]
    # an event dated by month belongs to every day of it
    mid_january = select(snapshot, since="2025-01-15")
    assert [(e.category, e.date) for e in mid_january.events] == [("appoint_succeed", "2025-01")]
    assert ids(mid_january) == {MINISTRY, HOLLIS}
    assert select(snapshot, until="2024").events == [e for e in snapshot.events if e.date and e.date < "2025"]
    combined = select(snapshot, actor=HOLLIS, hops=2, categories=["resign", "appoint_succeed"])
    assert ids(combined) == {HOLLIS, MINISTRY, PRYCE, INSPECTORATE}


def test_select_by_article(snapshot):
    unions = select(snapshot, article="https://example.org/news/unions-pause")
    assert len(unions.events) == 3 and ids(unions) == {UHT, GUILD, INSPECTORATE, HOLLIS}
    assert ids(select(snapshot, article="tests/world/coroner.txt")) == {STONE, SCHOOL, INSPECTORATE}
    everything = select(snapshot)
    assert ids(everything) == ids(snapshot) and everything.events == snapshot.events


def test_select_rejects_what_it_cannot_find(snapshot):
    with pytest.raises(InputError, match="actor 'person:nobody' is not in the graph"):
        select(snapshot, actor="person:nobody")
    with pytest.raises(InputError, match="article 'nowhere' is not in the graph"):
        select(snapshot, article="nowhere")
    with pytest.raises(InputError, match="since '12/01/2024'"):
        select(snapshot, since="12/01/2024")
    with pytest.raises(InputError, match="hops"):
        select(snapshot, actor=HOLLIS, hops=-1)


def test_selection_title_names_the_selection(snapshot):
    title = selection_title(snapshot, actor=HOLLIS, hops=2, categories=["demand"], since="2024-12-01")
    assert title == "newsgraph: Dana Hollis, 2 hops · demand · from 2024-12-01"
    assert selection_title(snapshot) == "newsgraph: all actors and events"


def test_odd_records_do_not_break_the_page(snapshot, tmp_path):
    snapshot.events.append(snapshot.events[0])  # the same event twice, as a store might hand out
    snapshot.actors[0].kind = "Vessel"  # a kind the page has no colour for
    result = render(snapshot, tmp_path / "g.html")
    data = page_data(result.path.read_text(encoding="utf-8"))
    assert result.edges == 11 and len({e["id"] for e in data["edges"]}) == 11
    assert data["nodes"][0]["color"]["background"] == KIND_COLOURS["Other"]
    assert {k["kind"]: k["count"] for k in data["legend"]["kinds"]}["Other"] == 1
