"""The offline HTML network without a browser: what the page holds and loads, selection, limits, layout."""

from __future__ import annotations

import itertools
import json
import math
import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from newsgraph.errors import InputError
from newsgraph.graph.viz import CATEGORY_PALETTE, KIND_COLOURS, layout_positions, render, select, selection_title
from newsgraph.ingest.taxonomy import load_taxonomy
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


def category(data: dict, event: dict) -> str:
    return data["categories"][event["category"]]["name"]


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
    labels = {a["name"] for a in data["actors"]}
    assert {PWN_SCRIPT, PWN_IMG, PWN_HREF, "Annual </script> Report"} <= labels
    names = {name for a in data["actors"] for name in a["names"]}
    assert "Line\u2028Sep\u2029Corp" in names
    assert "\u2028" not in page and "\u2029" not in page
    assert any(ev["quote"] == PWN_QUOTE for ev in data["events"])


def test_the_page_script_never_parses_data_as_html():
    template = resources.files("newsgraph.data").joinpath("viz_template.html").read_text(encoding="utf-8")
    own_script = template.split("@@VIS_JS@@", 1)[1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", 'setAttribute("href'):
        assert sink not in own_script
    assert own_script.count(".href = ") == 1  # the article link, behind a check that it is a web address


def test_only_web_addresses_become_links(tmp_path):
    snap = snapshot_from_extractions(world())
    snap.articles[0].url = "javascript:window.__pwned=1"
    snap.articles[1].url = " https://example.org/padded"
    data = page_data(render(snap, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    assert [a["url"] for a in data["articles"]] == [None, None, None]  # the third has no url
    assert [a["source"] for a in data["articles"]][2] == "tests/world/coroner.txt"


def test_story_map_one_link_per_pair_and_direction(snapshot, tmp_path):
    result = render(snapshot, tmp_path / "g.html")
    data = page_data(result.path.read_text(encoding="utf-8"))
    index = {a["id"]: i for i, a in enumerate(data["actors"])}
    links = {(data["actors"][link["from"]]["id"], data["actors"][link["to"]]["id"]): link for link in data["links"]}
    assert len(links) == len(data["links"]) == result.links == result.edges == 9
    # the unions' demand and letter to the Inspectorate: one link each, carrying both events
    for union in (UHT, GUILD):
        carried = [category(data, data["events"][i]) for i in links[(union, INSPECTORATE)]["events"]]
        assert carried == ["demand", "write_to"]
    assert (INSPECTORATE, UHT) not in links
    assert links[(HOLLIS, PRYCE)]["events"] == [
        i
        for i, ev in enumerate(data["events"])
        if category(data, ev) == "appoint_succeed" and index[HOLLIS] in ev["agents"]
    ]
    # Pryce's statement has no patient: drawn on Pryce, not as a link
    statement = next(i for i, ev in enumerate(data["events"]) if category(data, ev) == "statement")
    assert data["events"][statement]["agents"] == [index[PRYCE]] and data["events"][statement]["patients"] == []
    assert not any(statement in link["events"] for link in data["links"])
    assert (result.events, result.linked_events, result.solo_events, result.unplaced_events) == (9, 8, 1, 0)
    assert result.summary() == "8 actors, 9 events: 8 between actors on 9 links, 1 on one actor"
    assert result.summary() in result.path.read_text(encoding="utf-8")


def test_events_come_in_date_order_with_their_article_and_short_id(snapshot, tmp_path):
    data = page_data(render(snapshot, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    dates = [ev["date"] for ev in data["events"]]
    assert dates == sorted(dates) and dates[0] == "2024-11-05" and dates[-1] == "2025-01"
    first = data["events"][0]
    assert first["short"] == first["id"][: len("ev_") + 8] and len(first["short"]) == 11
    assert data["articles"][first["article"]]["outlet"] == "Example Gazette"
    undated = [ev for ev in snapshot.events if ev.date is None]
    assert not undated  # the world dates every event; the page dates an undated one by its article:
    snapshot.events[0].date = None
    data = page_data(render(snapshot, tmp_path / "h.html").path.read_text(encoding="utf-8"))
    moved = next(ev for ev in data["events"] if ev["id"] == snapshot.events[0].id)
    assert moved["date"] == "2024-11-05" and moved["ownDate"] is False


def test_actors_without_events_are_counted_hidden_unless_the_focus(tmp_path):
    extractions = world()
    bystander = Entity(actor_id("Quay Street", "Place"), "Quay Street", "Place")
    extractions[0].entities.append(bystander)
    snap = snapshot_from_extractions(extractions)
    result = render(snap, tmp_path / "g.html")
    assert (result.actors, result.shown_actors) == (9, 8)
    assert result.summary().endswith("; 1 actor without events hidden")
    focused = render(snap, tmp_path / "f.html", focus=bystander.id)
    assert focused.shown_actors == 9 and "without events" not in focused.summary()
    assert page_data(focused.path.read_text(encoding="utf-8"))["focus"] == [a.id for a in snap.actors].index(
        bystander.id
    )
    with pytest.raises(InputError, match="focus actor 'person:nobody' is not in the selection"):
        render(snap, tmp_path / "x.html", focus="person:nobody")


def test_events_naming_no_actor_are_counted(snapshot, tmp_path):
    snapshot.events[0].agents, snapshot.events[0].patients = ["person:not-selected"], []
    result = render(snapshot, tmp_path / "g.html")
    assert result.unplaced_events == 1 and "1 naming no actor" in result.summary()


def test_actors_coloured_by_kind_and_sized_by_activity(snapshot, tmp_path):
    data = page_data(render(snapshot, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    kinds = {k["kind"]: k["color"] for k in data["kinds"]}
    assert kinds == KIND_COLOURS
    size = {a["id"]: a["size"] for a in data["actors"]}
    assert size[INSPECTORATE] > size[MINISTRY]  # five events against one


def _lab(colour: str, vision) -> tuple[float, float, float]:
    """CIELAB of an sRGB colour as seen with a colour vision deficiency (a linear-RGB matrix)."""
    lin = [
        (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        for c in (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    ]
    lin = [min(max(sum(m * c for m, c in zip(row, lin, strict=True)), 0.0), 1.0) for row in vision]
    xyz = [sum(m * c for m, c in zip(row, lin, strict=True)) for row in SRGB_TO_XYZ]
    f = [
        t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (v / w for v, w in zip(xyz, WHITE, strict=True))
    ]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


SRGB_TO_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
WHITE = (0.95047, 1.0, 1.08883)
# Machado, Oliveira and Fernandes (2009), severity 1.0
VISION = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.01182, 0.04294, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.3039)),
}


def test_every_category_has_its_own_colour_distinct_under_colour_blindness(snapshot, tmp_path):
    categories = page_data(render(snapshot, tmp_path / "g.html").path.read_text(encoding="utf-8"))["categories"]
    assert [c["name"] for c in categories] == list(load_taxonomy()) and len(categories) == 16
    colours = [c["color"] for c in categories]
    assert len(set(colours)) == 16
    for vision, matrix in VISION.items():
        labs = [_lab(c, matrix) for c in colours]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
        assert closest >= (20 if vision == "normal" else 10), vision
    hues = sorted(math.degrees(math.atan2(b, a)) % 360 for _, a, b in (_lab(c, VISION["normal"]) for c in colours))
    assert min((b - a) % 360 for a, b in zip(hues, hues[1:] + hues[:1], strict=True)) >= 15  # distinct hues
    old = ("#d62728", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#2ca02c", "#444444", "#17becf")
    labs = [_lab(c, VISION["protanopia"]) for c in old]
    assert min(math.dist(a, b) for a, b in itertools.combinations(labs, 2)) < 10  # what the check would catch


def test_events_as_nodes_keep_events_with_one_side_only(snapshot, tmp_path):
    result = render(snapshot, tmp_path / "g.html", events_as="nodes")
    data = page_data(result.path.read_text(encoding="utf-8"))
    assert (result.nodes, result.edges) == (8 + 9, 11 + 9)  # every agent and patient of every event
    assert result.summary() == "8 actors, 9 events drawn as nodes"
    statement = next(ev for ev in data["events"] if category(data, ev) == "statement")
    assert statement["quote"] == "It has been a privilege to serve." and statement["patients"] == []


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
    points = {(a["x"], a["y"]) for a in data["actors"]}
    assert len(points) == len(data["actors"])
    small = page_data(render(snapshot, tmp_path / "h.html").path.read_text(encoding="utf-8"))
    assert small["options"]["physics"]["enabled"] is True
    assert small["options"]["physics"]["stabilization"]["iterations"] == 150
    assert small["options"]["layout"]["improvedLayout"] is False and small["options"]["edges"]["smooth"] is False
    assert not any("x" in a for a in small["actors"])


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
    snapshot.events[1].category = "blockade"  # a category of someone else's taxonomy
    result = render(snapshot, tmp_path / "g.html")
    data = page_data(result.path.read_text(encoding="utf-8"))
    assert result.events == 9 and len({ev["id"] for ev in data["events"]}) == 9
    assert data["actors"][0]["kind"] == "Other"
    blockade = next(c for c in data["categories"] if c["name"] == "blockade")
    assert blockade["label"] == "blockade" and blockade["color"] in CATEGORY_PALETTE


def test_an_event_told_in_two_articles_is_one_event_on_one_link(tmp_path):
    """The union's criticism of the board, told by two articles, is one event in the page and counts
    once in the link's width; the panel lists the other article. Selecting either article finds it."""
    from tests.fixtures.retold import A2, BOARD, UNION, retold

    extractions = retold()
    snap = snapshot_from_extractions(extractions)
    result = render(snap, tmp_path / "g.html")
    data = page_data(result.path.read_text(encoding="utf-8"))
    ids = {a["id"]: i for i, a in enumerate(data["actors"])}
    [link] = [link for link in data["links"] if (link["from"], link["to"]) == (ids[UNION], ids[BOARD])]
    [criticism] = [data["events"][i] for i in link["events"]]
    assert criticism["evidence"] == A2 and len(data["events"]) == result.events == 4
    titles = [a["title"] for a in data["articles"]]
    assert titles[criticism["article"]] == extractions[0].article.title
    assert [titles[i] for i in criticism["also"]] == [extractions[2].article.title]
    for ex in (extractions[0], extractions[2]):
        drawn = select(snap, article=ex.article.id, categories=["criticise"])
        assert [e.id for e in drawn.events] == [criticism["id"]]
