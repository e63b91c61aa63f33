"""The query catalogue on the hand-built world: every query gives the real answers, parameters are
checked, coerced and resolved (actor names by alias and by misspelling), and errors are one line."""

from __future__ import annotations

import pytest

from newsgraph import queries
from newsgraph.errors import QueryError
from newsgraph.model import Article, Entity, Event, Extraction, actor_id, stable_id
from newsgraph.store.embedded import EmbeddedStore
from tests.fixtures.neo4j import BACKENDS, backend_store
from tests.fixtures.world import ART1, ART2, T1, T3, world

EXPECTED = {
    "actor",
    "actors",
    "between",
    "co-mentions",
    "events",
    "provenance",
    "quotes",
    "search",
    "timeline",
    "top-actors",
}


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    """The world in each backend: every answer below is the same on both."""
    with backend_store(request.param, tmp_path_factory.mktemp("catalogue") / "world.lbug") as s:
        for ex in world():
            s.write(ex)
        yield s


def run(store, name, **raw):
    return queries.run(store, name, raw)


def test_catalogue_lists_every_query_with_a_header():
    cat = queries.catalogue()
    assert set(cat) >= EXPECTED
    for name, query in cat.items():
        assert query.name == name and query.description
        assert query.text("embedded").lstrip().startswith("// name: " + name)
        for p in query.params:
            assert p.type in queries.TYPES
            assert p.required == (p.default is None and "= null" not in _param_line(query, p.name))


def _param_line(query, name):
    return next(line for line in query.text("embedded").splitlines() if line.startswith(f"// param: {name} "))


def test_header_is_parsed_into_params():
    q = queries.parse(
        "// name: x\n// description: An example.\n// param: actor actor = null   -- who\n"
        "// param: limit int = 100\n// param: day date\nMATCH (n) RETURN n\n",
        "x.cypher",
    )
    assert [(p.name, p.type, p.default, p.required, p.description) for p in q.params] == [
        ("actor", "actor", None, False, "who"),
        ("limit", "int", 100, False, ""),
        ("day", "date", None, True, ""),
    ]
    with pytest.raises(QueryError, match="bad param line"):
        queries.parse("// name: x\n// description: d\n// param: n integer\n", "x.cypher")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_query_runs_with_its_defaults(store, name):
    query = queries.catalogue()[name]
    raw = {p.name: SAMPLE[p.name] for p in query.params if p.required}
    rows = queries.run(store, name, raw)
    assert rows, f"{name} gave no rows on the world"
    for row in rows:  # flat: scalars and lists of scalars only
        for value in row.values():
            assert not isinstance(value, dict), (name, row)
            if isinstance(value, list):
                assert all(not isinstance(v, dict | list) for v in value), (name, row)


# A value for each required parameter of the catalogue (the event is the unions' demand).
SAMPLE = {
    "actor": "Dana Hollis",
    "a": "Dana Hollis",
    "b": "Owen Pryce",
    "text": "hollis",
    "event": world()[1].events[0].id,
}


def test_every_declared_param_reaches_the_store(store):
    """Defaults included and never an empty dict: Ladybug reads an unbound $name as NULL otherwise."""
    calls = []

    class Spy:
        backend = store.backend

        def query(self, cypher, params=None):
            calls.append(params)
            return store.query(cypher, params)

    for name, query in queries.catalogue().items():
        queries.run(Spy(), name, {p.name: SAMPLE[p.name] for p in query.params if p.required})
        assert set(calls[-1]) == {p.name for p in query.params}, name  # the query itself comes last
        assert calls[-1], name


def test_only_the_parts_that_can_give_rows_are_sent():
    timeline = queries.catalogue()["timeline"]
    whole = timeline.text("embedded")
    for_actor = timeline.statement("embedded", {"actor": "person:x", "limit": 5})
    for_all = timeline.statement("embedded", {"actor": None, "limit": 5})
    assert "UNION ALL" in whole and "UNION ALL" not in for_actor and "UNION ALL" not in for_all
    assert "{id: $actor}" in for_actor and "$actor IS NULL" in for_all
    events = queries.catalogue()["events"]
    both = events.statement("embedded", {"agent": "a", "patient": "b"})
    assert "// when: agent patient" in both and "UNION ALL" not in both
    actor = queries.catalogue()["actor"]
    assert actor.statement("embedded", {"actor": "a"}) == actor.text("embedded")  # no parts: as written


@pytest.mark.parametrize(
    "name, raw",
    [
        ("timeline", {}),
        ("timeline", {"actor": "UHT"}),
        ("events", {}),
        ("events", {"agent": "UHT"}),
        ("events", {"agent": "UHT", "patient": "Schools Inspectorate"}),
        ("events", {"patient": "Schools Inspectorate"}),
        ("quotes", {}),
        ("quotes", {"speaker": "Pryce"}),
        ("co-mentions", {}),
        ("co-mentions", {"actor": "UHT"}),
        ("top-actors", {}),
        ("top-actors", {"category": "demand"}),
        ("top-actors", {"until": "2024-11", "kind": "person"}),
    ],
)
def test_whole_union_and_chosen_part_agree(store, name, raw):
    """The guards in the Cypher keep the whole text right; sending one part is only quicker."""
    query = queries.catalogue()[name]
    params = queries.bind(store, query, raw)
    chosen_text = query.statement(store.backend, params)
    assert "UNION ALL" not in chosen_text
    whole = store.query(query.text(store.backend), params)
    assert whole == store.query(chosen_text, params) and whole


def test_who_succeeded_whom(store):
    rows = run(store, "events", category="appoint_succeed", agent="Dana Hollis")
    assert [(r["agents"], r["patients"], r["trigger"]) for r in rows] == [
        (["Dana Hollis"], ["Owen Pryce"], "takes over from")
    ]
    [link] = run(store, "between", a="Dana Hollis", b="Owen Pryce")
    assert link["link"] == "event" and link["hops"] == 1
    assert link["path"] == ["Dana Hollis", "appoint_succeed: takes over from", "Owen Pryce"]
    assert link["evidence"].startswith("Dana Hollis takes over from Owen Pryce")


def test_which_unions_demanded_a_pause(store):
    [row] = run(store, "events", category="demand")
    assert sorted(row["agents"]) == ["Lecturers Guild", "Union of Head Teachers"]
    assert row["patients"] == ["Schools Inspectorate"]
    assert "pause" in row["evidence"] and row["modality"] == "demanded"


def test_timeline_is_in_date_order(store):
    rows = run(store, "timeline")
    assert len(rows) == 9
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert dates[0] == "2024-11-05" and dates[-1] == "2025-01"
    hollis = run(store, "timeline", actor="Dana Hollis")
    assert [(r["date"], r["trigger"]) for r in hollis] == [
        ("2024-11-05", "takes over from"),
        ("2024-12-02", "criticised"),
        ("2025-01", "led by"),
    ]
    assert [r["trigger"] for r in run(store, "timeline", limit="2")] == ["takes over from", "steps down"]


def test_actor_by_alias_and_by_misspelling(store):
    uht = run(store, "actor", actor="UHT")
    assert {(r["name"], tuple(r["aliases"]), tuple(r["affiliations"]), tuple(r["roles"])) for r in uht} == {
        ("Union of Head Teachers", ("UHT",), (), ())  # no ", " left by a missing role
    }
    assert [(r["date"], r["role"], r["category"], r["trigger"]) for r in uht] == [
        ("2024-12-02", "agent", "demand", "demanded"),
        ("2024-12-02", "agent", "write_to", "letter"),
        ("2024-12-02", "patient", "criticise", "criticised"),
    ]
    assert uht[0]["evidence"] == T1 and uht[0]["article"] == ART2.title and all(r["via"] == [] for r in uht)
    hollis = run(store, "actor", actor="Dana Holis")
    assert {r["name"] for r in hollis} == {"Dana Hollis"} and hollis[0]["roles"] == ["chief inspector"]
    assert hollis[0]["affiliations"] == ["chief inspector, Schools Inspectorate"] and hollis[0]["articles"] == 2
    assert [(r["date"], r["role"], r["trigger"]) for r in hollis] == [  # in date order, a month after its days
        ("2024-11-05", "agent", "takes over from"),
        ("2024-12-02", "agent", "criticised"),
        ("2025-01", "patient", "led by"),
    ]
    assert run(store, "actor", actor="uht")[0]["name"] == "Union of Head Teachers"  # any case
    assert run(store, "actor", actor="person:owen-pryce")[0]["name"] == "Owen Pryce"  # by id
    assert run(store, "actor", actor="Pryce")[0]["name"] == "Owen Pryce"
    assert len(run(store, "actor", actor="UHT", limit="2")) == 2


def test_actor_without_events_is_one_row_without_an_event(tmp_path):
    extraction = world()[0]
    extraction.events = []
    with EmbeddedStore(tmp_path / "quiet.lbug") as quiet:
        quiet.write(extraction)
        [row] = queries.run(quiet, "actor", {"actor": "Owen Pryce"})
    assert row["name"] == "Owen Pryce" and row["aliases"] == ["Pryce"] and row["articles"] == 1
    assert row["date"] is row["id"] is row["evidence"] is None and row["agents"] == [] and row["via"] == []


def test_speakers_count_for_the_organisation_they_hold_a_role_in(store):
    """Dana Hollis is chief inspector of the Schools Inspectorate: with speakers=true her acts count
    for the Inspectorate, named in the via column; without, the Inspectorate has its own only."""
    own = run(store, "actor", actor="Schools Inspectorate")
    assert all(r["via"] == [] for r in own) and len(own) == 4
    counted = run(store, "actor", actor="Schools Inspectorate", speakers="true")
    via = [(r["date"], r["role"], r["trigger"]) for r in counted if r["via"] == ["Dana Hollis"]]
    assert via == [
        ("2024-11-05", "agent", "takes over from"),
        ("2024-12-02", "agent", "criticised"),
        ("2025-01", "patient", "led by"),
    ]
    assert len(counted) == len(own) + 3 and [r["date"] for r in counted] == sorted(r["date"] for r in counted)
    assert run(store, "between", a="Schools Inspectorate", b="UHT") != run(
        store, "between", a="Schools Inspectorate", b="UHT", speakers="true"
    )
    [criticism] = [r for r in run(store, "between", a="Schools Inspectorate", b="UHT", speakers="true") if r["via"]]
    assert criticism["via"] == ["Dana Hollis for Schools Inspectorate"] and criticism["evidence"] == T3
    assert criticism["path"] == ["Schools Inspectorate", "criticise: criticised", "Union of Head Teachers"]


def test_unresolvable_actor_lists_the_closest(store):
    with pytest.raises(QueryError, match=r"no actor matches 'Dina Holt' \(closest: Dana Hollis"):
        run(store, "timeline", actor="Dina Holt")


def test_unknown_query_suggests(store):
    with pytest.raises(QueryError, match=r"unknown query 'timelime' \(did you mean: timeline"):
        run(store, "timelime")


def test_missing_unknown_and_mistyped_params(store):
    with pytest.raises(QueryError, match="query 'actor': missing parameter actor") as err:
        run(store, "actor")
    assert "\n" not in str(err.value)
    with pytest.raises(QueryError, match=r"unknown parameter colour \(accepted: actor, limit\)"):
        run(store, "timeline", colour="red")
    with pytest.raises(QueryError, match="limit: 'ten' is not a valid whole number"):
        run(store, "timeline", limit="ten")
    with pytest.raises(QueryError, match=r"since: '2024-13' is not a valid date \(YYYY-MM-DD or YYYY-MM\)"):
        run(store, "events", since="2024-13")


def test_coercion():
    limit = queries.Param("limit", "int")
    assert queries.coerce(limit, " 7 ") == 7 and queries.coerce(limit, 7) == 7
    assert queries.coerce(queries.Param("x", "float"), "0.5") == 0.5
    flag = queries.Param("flag", "bool")
    assert queries.coerce(flag, "yes") is True and queries.coerce(flag, "False") is False
    with pytest.raises(QueryError):
        queries.coerce(flag, "maybe")
    assert queries.coerce(queries.Param("d", "date"), "2024-11") == "2024-11"


@pytest.mark.parametrize(
    "name, raw, message",
    [
        (
            "events",
            {"category": "demnd"},
            "parameter category: 'demnd' is not an event category (did you mean demand?)",
        ),
        ("top-actors", {"category": "resgn"}, "(did you mean resign?)"),
        ("actors", {"kind": "Persn"}, "parameter kind: 'Persn' is not an actor kind (did you mean Person?)"),
        ("top-actors", {"kind": "org"}, "(did you mean Organisation?)"),
        ("events", {"limit": "-5"}, "parameter limit: -5 is out of range (want at least 1)"),
        ("timeline", {"limit": "0"}, "parameter limit: 0 is out of range (want at least 1)"),
        (
            "between",
            {"a": "x", "b": "y", "hops": "9"},
            "parameter hops: 9 is out of range (want at least 1 and at most 4)",
        ),
        ("events", {"limit": str(2**63)}, "too large for a 64-bit whole number"),
        ("events", {"since": "2024-02-30"}, "since: '2024-02-30' is not a valid date"),
    ],
)
def test_a_value_no_row_could_match_is_an_error_before_any_store(name, raw, message):
    # Before: a mistyped category or kind gave no rows and exit 0; a negative limit the engine's text.
    with pytest.raises(QueryError) as caught:
        queries.check(queries.get(name), raw)
    assert message in str(caught.value)


def test_allowed_values_are_taken_in_any_case_as_the_store_writes_them(store):
    assert {r["category"] for r in run(store, "events", category="DEMAND")} == {"demand"}
    assert {r["kind"] for r in run(store, "actors", kind="person")} == {"Person"}
    with pytest.raises(QueryError, match="did you mean demand"):
        run(store, "events", category="demnd")


def test_every_limit_is_bounded_and_every_category_and_kind_is_checked():
    for query in queries.catalogue().values():
        for p in query.params:
            if p.name == "limit":
                assert (p.type, p.low) == ("int", 1), query.name
            if p.name in ("category", "kind", "article"):
                assert p.type == p.name, query.name


def test_an_article_no_one_stored_is_an_error_naming_the_closest(store):
    with pytest.raises(QueryError, match="no article matches 'nope'"):
        run(store, "events", article="nope")
    with pytest.raises(QueryError, match=f"closest: {ART2.url}"):
        run(store, "events", article=ART2.url + "x")


def test_bounds_in_the_header():
    q = queries.parse("// name: x\n// description: d\n// param: n int = 3 in 1..4   -- hops\n", "x.cypher")
    assert [(p.default, p.low, p.high, p.description, p.spec()) for p in q.params] == [
        (3, 1, 4, "hops", "n:int in 1..4=3")
    ]
    with pytest.raises(QueryError, match="only an int or float takes bounds"):
        queries.parse("// name: x\n// description: d\n// param: s string in 1..2\n", "x.cypher")
    with pytest.raises(QueryError, match="out of range"):
        queries.parse("// name: x\n// description: d\n// param: n int = 0 in 1..\n", "x.cypher")


def test_events_filters(store):
    december = run(store, "events", since="2024-12", until="2024-12")
    assert {r["category"] for r in december} == {"demand", "write_to", "criticise", "publish_report", "respond"}
    november = run(store, "events", until="2024-11-30")
    assert {r["trigger"] for r in november} == {"takes over from", "steps down", "said"}
    assert [r["trigger"] for r in run(store, "events", since="2025-01-15")] == ["led by"]  # month overlaps the day
    by_patient = run(store, "events", patient="Schools Inspectorate")
    assert {r["category"] for r in by_patient} == {"resign", "demand", "write_to"}
    by_url = run(store, "events", article=ART2.url)
    assert len(by_url) == 3 and {r["article"] for r in by_url} == {ART2.title}
    assert len(run(store, "events", article=ART1.source)) == 4


def test_actors_and_kinds(store):
    rows = run(store, "actors")
    assert len(rows) == 8
    assert rows[0]["name"] == "Schools Inspectorate" and rows[0]["articles"] == 3 and rows[0]["events"] == 4
    people = run(store, "actors", kind="person")
    assert {r["name"] for r in people} == {"Dana Hollis", "Owen Pryce", "Mira Stone"}


def test_quotes_by_speaker(store):
    [quote] = run(store, "quotes", speaker="Pryce")
    assert quote["quote"] == "It has been a privilege to serve."
    assert quote["speakers"] == ["Owen Pryce"] and quote["url"] == ART1.url
    assert run(store, "quotes", speaker="Mira Stone") == []


def test_provenance_points_into_the_body(store):
    [row] = run(store, "provenance", event=SAMPLE["event"])
    assert row["sentence"] == T1
    assert ART2.body[row["start"] : row["end"]] == T1
    assert row["article"] == ART2.id and row["url"] == ART2.url and row["sentence_index"] == 0
    assert row["category"] == "demand" and row["published"] == "2024-12-02"
    assert run(store, "provenance", event=SAMPLE["event"][:11]) == [row]  # as the tables print it
    with pytest.raises(QueryError, match="no event has the id 'ev_nothing'"):
        run(store, "provenance", event="ev_nothing")
    with pytest.raises(QueryError, match="event 'ev_1': give the id as printed"):
        run(store, "provenance", event="ev_1")


def test_search_by_part_alias_and_spelling(store):
    assert [r["name"] for r in run(store, "search", text="head teach")] == ["Union of Head Teachers"]
    assert [r["name"] for r in run(store, "search", text="uht")] == ["Union of Head Teachers"]
    assert "Lecturers Guild" in [r["name"] for r in run(store, "search", text="Lectrers Gild")]
    assert [r["name"] for r in run(store, "search", text="Holis")] == ["Dana Hollis"]  # part of a name, misspelt
    names = [r["name"] for r in run(store, "search", text="hollis")]
    assert names[0] == "Dana Hollis"
    assert run(store, "search", text="zzzz qqqq") == []


def test_top_actors(store):
    rows = run(store, "top-actors", limit="3")
    assert len(rows) == 3
    assert (rows[0]["name"], rows[0]["events"], rows[0]["as_agent"], rows[0]["as_patient"]) == (
        "Schools Inspectorate",
        4,
        1,
        3,
    )
    demands = run(store, "top-actors", category="demand")
    assert {r["name"] for r in demands} == {"Union of Head Teachers", "Lecturers Guild", "Schools Inspectorate"}
    people = run(store, "top-actors", kind="Person", since="2024-12")
    assert [(r["name"], r["events"]) for r in people] == [("Dana Hollis", 2), ("Mira Stone", 2)]


def test_co_mentions(store):
    rows = run(store, "co-mentions")
    assert {rows[0]["actor"], rows[0]["other"]} == {"Dana Hollis", "Schools Inspectorate"}
    assert rows[0]["articles"] == 2 and all(r["articles"] == 1 for r in rows[1:])
    assert all(r["actor_id"] < r["other_id"] for r in rows)  # each pair once
    partners = run(store, "co-mentions", actor="UHT")
    assert {r["other"] for r in partners} == {"Lecturers Guild", "Schools Inspectorate", "Dana Hollis"}


def test_between_lists_the_events_in_date_order_from_agent_to_patient(tmp_path):
    """An earlier meeting stored last still comes first; its path runs from the Inspectorate, its agent."""
    body = "The Schools Inspectorate met the Union of Head Teachers in October."
    article = Article(body, source="tests/world/meeting.txt", title="Inspectorate meets union", date="2024-10-01")
    insp = Entity(actor_id("Schools Inspectorate", "Organisation"), "Schools Inspectorate", "Organisation")
    uht = Entity(actor_id("Union of Head Teachers", "Organisation"), "Union of Head Teachers", "Organisation")
    met = Event(stable_id("ev", article.id, "meet"), "meet", "met", 25, 28, [insp.id], [uht.id], body, 0, len(body), 0)
    with EmbeddedStore(tmp_path / "more.lbug") as more:
        for ex in [*world(), Extraction(article, [insp, uht], [met])]:
            more.write(ex)
        rows = queries.run(more, "between", {"a": "UHT", "b": "Schools Inspectorate"})
    assert [(r["date"], r["path"][1]) for r in rows] == [
        ("2024-10-01", "meet: met"),
        ("2024-12-02", "demand: demanded"),
        ("2024-12-02", "write_to: letter"),
    ]
    assert rows[0]["path"] == ["Schools Inspectorate", "meet: met", "Union of Head Teachers"]
    assert rows[1]["path"] == ["Union of Head Teachers", "demand: demanded", "Schools Inspectorate"]


def test_between_finds_a_chain_when_no_event_is_shared(store):
    [chain] = run(store, "between", a="Pryce", b="UHT")
    assert chain["link"] == "chain" and chain["hops"] == 2
    assert chain["path"][0] == "Owen Pryce" and chain["path"][-1] == "Union of Head Teachers"
    # Two chains are as short (Pryce resigned from the Inspectorate the unions wrote to; Hollis took
    # over from Pryce and criticised the unions): a backend may give either.
    assert chain["path"][1:4] in (
        ["resign: steps down", "Schools Inspectorate", "demand: demanded"],
        ["resign: steps down", "Schools Inspectorate", "write_to: letter"],
        ["appoint_succeed: takes over from", "Dana Hollis", "criticise: criticised"],
    )
    assert run(store, "between", a="Pryce", b="Elm Primary School", hops="2") == []
    assert run(store, "between", a="Pryce", b="Elm Primary School")[0]["hops"] == 3


def test_actors_a_text_fits_come_in_id_order(store):
    """The same list from both backends (an unordered MATCH gave each its own order)."""
    ids = queries.resolve_actors(store, "e")
    assert len(ids) >= 5 and ids == sorted(ids)
