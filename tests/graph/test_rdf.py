"""RDF export of the hand-built world: every format, stable IRIs, SHACL validation, SPARQL."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV

from newsgraph.errors import InputError, QueryError
from newsgraph.graph import rdf
from newsgraph.graph.rdf import NG, OA, SEM, Iris
from newsgraph.store import ActorRecord, EventRecord, GraphSnapshot, ReportRecord, snapshot_from_extractions

ROOT = Path(__file__).resolve().parents[2]
# open namespaces: rdflib's defined SDO, TIME and XSD warn when pytest probes module attributes
SDO = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# accepted name -> the rdflib parser that reads it back (rdflib names its parsers as its serializers)
FORMAT_PARSERS = dict(rdf.FORMATS)

SUCCESSION = """
SELECT ?agent ?patient WHERE {
  ?event a sem:Event ;
         sem:eventType/skos:notation "appoint_succeed" ;
         sem:hasActor [ sem:roleType roletype:agent ; rdf:value/schema:name ?agent ] ;
         sem:hasActor [ sem:roleType roletype:patient ; rdf:value/schema:name ?patient ] .
}
ORDER BY ?agent
"""


@pytest.fixture
def snapshot(extractions) -> GraphSnapshot:
    return snapshot_from_extractions(extractions)


def exported(snapshot: GraphSnapshot, fmt: str, **options) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    count = rdf.export(snapshot, buffer, format=fmt, **options)
    return buffer.getvalue(), count


def parse(data: bytes, fmt: str) -> Graph:
    parser = FORMAT_PARSERS[fmt]
    graph: Graph = Dataset(default_union=True) if parser == "trig" else Graph()
    return graph.parse(data=data, format=parser)


def count_type(graph: Graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def without(graph: Graph, predicate: URIRef, subject=None) -> Graph:
    """A copy of the graph less the first subject's `predicate` triples (to break one shape)."""
    subject = subject or next(iter(sorted(graph.subjects(predicate, None))))
    broken = Graph()
    for triple in graph:
        if not (triple[0] == subject and triple[1] == predicate):
            broken.add(triple)
    return broken


@pytest.mark.parametrize("fmt", sorted(FORMAT_PARSERS))
def test_every_format_parses_back_with_the_snapshot_counts(snapshot, fmt):
    data, count = exported(snapshot, fmt, pipeline="en_core_web_md 3.8.0")
    graph = parse(data, fmt)

    assert count_type(graph, SEM.Event) == len(snapshot.events) == 9
    assert count_type(graph, SEM.Actor) == len(snapshot.actors) == 8
    assert count_type(graph, SDO.NewsArticle) == len(snapshot.articles) == 3
    quads = len(list(graph.quads())) if isinstance(graph, Dataset) else len(graph)
    assert count == quads


def test_export_writes_paths_and_text_streams(snapshot, tmp_path):
    path = tmp_path / "world.ttl"
    count = rdf.export(snapshot, path, format="ttl")
    assert count == len(Graph().parse(path, format="turtle"))

    text = io.StringIO()
    rdf.export(snapshot, text, format="nt")
    assert len(Graph().parse(data=text.getvalue(), format="nt")) == count


def test_streamed_ntriples_equal_the_in_memory_graph(snapshot):
    # the same role title from two articles is one triple, written once
    snapshot.roles.append(dataclasses.replace(snapshot.roles[0], article=snapshot.articles[1].id))
    data, count = exported(snapshot, "nt")
    graph = rdf.build_graph(snapshot)

    assert count == len(graph) == len(data.decode().splitlines())
    assert set(Graph().parse(data=data, format="nt")) == set(graph)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml", "trig"])
def test_iris_and_bytes_are_identical_across_exports(extractions, fmt):
    first, _ = exported(snapshot_from_extractions(extractions), fmt)
    second, _ = exported(snapshot_from_extractions(extractions), fmt)

    def iris(data: bytes) -> set[URIRef]:
        graph = parse(data, fmt)
        return {node for triple in graph for node in triple if isinstance(node, URIRef)}

    assert iris(first) == iris(second)
    assert first == second


def test_exports_are_byte_identical_across_processes():
    # rdflib's default store iterates a hash-ordered set; a string hash seed must not change the bytes
    script = (
        "import hashlib, io\n"
        "from tests.fixtures.world import world\n"
        "from newsgraph.graph import rdf\n"
        "from newsgraph.store import snapshot_from_extractions\n"
        "snap = snapshot_from_extractions(world())\n"
        "for fmt in ('turtle', 'nt', 'jsonld', 'xml', 'trig'):\n"
        "    out = io.BytesIO(); rdf.export(snap, out, format=fmt)\n"
        "    print(fmt, hashlib.sha256(out.getvalue()).hexdigest())\n"
    )
    digests = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        digests.append(run.stdout)
    assert digests[0] == digests[1]


def test_iris_follow_the_base_and_encode_ids():
    iris = Iris("https://example.com/kg/")
    assert iris.actor("person:dana-hollis") == URIRef("https://example.com/kg/actor/person:dana-hollis")
    assert iris.actor("org:a b/c?d#é") == URIRef("https://example.com/kg/actor/org:a%20b%2Fc%3Fd%23%C3%A9")
    assert iris.event("ev_1") == URIRef("https://example.com/kg/event/ev_1")
    assert iris.article("art_1") == URIRef("https://example.com/kg/article/art_1")
    assert iris.category("demand") == URIRef("https://example.com/kg/taxonomy/demand")


@pytest.mark.parametrize("base", ["https://example.com/kg", "not an iri/", ""])
def test_a_base_that_cannot_prefix_ids_is_refused(snapshot, base):
    with pytest.raises(InputError, match="base"):
        rdf.build_graph(snapshot, base=base)


def test_a_custom_base_moves_every_minted_iri(snapshot):
    graph = rdf.build_graph(snapshot, base="https://example.com/kg/")
    minted = {s for s in graph.subjects() if isinstance(s, URIRef) and "newsgraph.example.org/id/" in s}
    assert minted == set()
    assert (URIRef("https://example.com/kg/actor/person:dana-hollis"), SDO.name, Literal("Dana Hollis")) in graph


def test_the_activity_iri_depends_on_data_version_and_pipeline_not_time(snapshot, extractions):
    def activity(graph: Graph) -> URIRef:
        return next(iter(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/prov#Activity"))))

    a = activity(rdf.build_graph(snapshot, pipeline="en_core_web_md 3.8.0"))
    assert a == activity(rdf.build_graph(snapshot_from_extractions(extractions), pipeline="en_core_web_md 3.8.0"))
    assert a != activity(rdf.build_graph(snapshot, pipeline="en_core_web_sm 3.8.0"))
    assert a != activity(rdf.build_graph(dataclasses.replace(snapshot, articles=snapshot.articles[:2])))
    text = exported(snapshot, "turtle", pipeline="en_core_web_md 3.8.0")[0].decode()
    assert "endedAtTime" not in text
    assert '"en_core_web_md 3.8.0"' in text


def _activity_pipelines(graph: Graph) -> list[str]:
    activity = next(iter(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/prov#Activity"))))
    return sorted(str(p) for p in graph.objects(activity, rdf.NG.pipeline))


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml", "trig"])
def test_the_activity_names_the_pipelines_the_articles_record(extractions, fmt):
    extractions[0].pipeline = {"name": "en_core_web_sm", "version": "3.8.0", "spacy": "3.8.7"}
    extractions[1].pipeline = {"name": "en_core_web_md", "version": "3.8.0", "spacy": "3.8.7"}
    extractions[2].pipeline = dict(extractions[1].pipeline)
    snap = snapshot_from_extractions(extractions)
    data, _ = exported(snap, fmt)

    assert _activity_pipelines(parse(data, fmt)) == ["en_core_web_md 3.8.0; en_core_web_sm 3.8.0"]
    assert exported(snap, fmt) == (data, _)  # still byte-stable
    explicit, _ = exported(snap, fmt, pipeline="custom 1.0")  # the argument wins
    assert _activity_pipelines(parse(explicit, fmt)) == ["custom 1.0"]


def test_a_recorded_pipeline_exports_as_if_it_were_given(extractions):
    """The same data gives the same activity whether the pipeline comes from the articles or the caller."""
    bare = snapshot_from_extractions(extractions)
    for ex in extractions:
        ex.pipeline = {"name": "en_core_web_md", "version": "3.8.0"}
    recorded = snapshot_from_extractions(extractions)
    assert {a.pipeline for a in recorded.articles} == {"en_core_web_md 3.8.0"}
    assert set(rdf.build_graph(recorded)) == set(rdf.build_graph(bare, pipeline="en_core_web_md 3.8.0"))
    assert _activity_pipelines(rdf.build_graph(bare)) == []  # no article records one, none is given


def test_event_time_is_typed_by_precision(snapshot):
    graph = rdf.build_graph(snapshot)
    stamps = {o.datatype for o in graph.objects(None, SEM.hasTimeStamp)}
    assert stamps == {XSD.date, XSD.gYearMonth}
    assert Literal("2025-01", datatype=XSD.gYearMonth) in set(graph.objects(None, TIME.inXSDgYearMonth))
    assert Literal("2024-11-05", datatype=XSD.date) in set(graph.objects(None, TIME.inXSDDate))


def test_a_date_that_is_no_date_is_left_untyped(snapshot):
    snapshot.events[0].date = "2024-02-30"
    graph = rdf.build_graph(snapshot)
    event = Iris().event(snapshot.events[0].id)
    assert list(graph.objects(event, SEM.hasTimeStamp)) == []
    assert rdf.validate(graph)[0]


def test_the_taxonomy_is_a_skos_scheme_matched_to_plover(snapshot):
    graph = rdf.build_graph(snapshot)
    demand, resign = Iris().category("demand"), Iris().category("resign")
    assert (demand, SKOS.exactMatch, URIRef("https://github.com/openeventdata/PLOVER#REQUEST")) in graph
    assert (resign, SKOS.closeMatch, URIRef("https://github.com/openeventdata/PLOVER#RETREAT")) in graph
    assert (demand, SKOS.inScheme, Iris().taxonomy()) in graph
    assert (demand, SKOS.prefLabel, Literal("Demand", lang="en")) in graph


def test_a_category_missing_from_the_taxonomy_still_gets_a_concept(snapshot):
    snapshot.events[0].category = "blockade"
    graph = rdf.build_graph(snapshot)
    assert (Iris().category("blockade"), RDF.type, SKOS.Concept) in graph
    assert rdf.validate(graph)[0]


def test_evidence_is_a_web_annotation_on_the_article(snapshot):
    graph = rdf.build_graph(snapshot)
    ev = snapshot.events[0]
    annotation = next(iter(graph.subjects(OA.hasBody, Iris().event(ev.id))))
    target = graph.value(annotation, OA.hasTarget)
    assert graph.value(target, OA.hasSource) == Iris().article(ev.article)
    selectors = set(graph.objects(target, OA.hasSelector))
    assert {graph.value(s, RDF.type) for s in selectors} == {OA.TextQuoteSelector, OA.TextPositionSelector}
    assert Literal(ev.evidence) in {graph.value(s, OA.exact) for s in selectors}
    assert Literal(ev.start, datatype=XSD.nonNegativeInteger) in {graph.value(s, OA.start) for s in selectors}


def test_the_world_export_conforms_to_the_shapes(snapshot):
    conforms, report = rdf.validate(rdf.build_graph(snapshot, pipeline="en_core_web_md 3.8.0"))
    assert conforms, report


@pytest.mark.parametrize("fmt,suffix", [("trig", ".trig"), ("nt", ".nt"), ("jsonld", ".jsonld"), ("xml", ".rdf")])
def test_an_export_file_conforms(snapshot, tmp_path, fmt, suffix):
    path = tmp_path / f"world{suffix}"
    rdf.export(snapshot, path, format=fmt)
    conforms, report = rdf.validate(path)
    assert conforms, report


@pytest.mark.parametrize(
    "fmt,suffix", [("ttl", ".ttl"), ("trig", ".trig"), ("nt", ".nt"), ("jsonld", ".jsonld"), ("xml", ".rdf")]
)
def test_articles_without_headline_or_url_conform_in_every_format(snapshot, tmp_path, fmt, suffix):
    # A text file without a header gives an article with neither; newsgraph accepts it, so it must export.
    for article in snapshot.articles:
        article.title = article.url = article.outlet = article.date = None
    path = tmp_path / f"bare{suffix}"
    rdf.export(snapshot, path, format=fmt)
    conforms, report = rdf.validate(path)
    assert conforms, report
    graph = Dataset(default_union=True).parse(path) if fmt == "trig" else Graph().parse(path)
    identifiers = {str(graph.value(Iris().article(a.id), SDO.identifier)) for a in snapshot.articles}
    assert identifiers == {a.source for a in snapshot.articles} and len(identifiers) > 1


def _break_event_type(graph: Graph) -> Graph:
    return without(graph, SEM.eventType)


def _break_actor_name(graph: Graph) -> Graph:
    return without(graph, SDO.name, Iris().actor("person:dana-hollis"))


def _break_role_type(graph: Graph) -> Graph:
    return without(graph, SEM.roleType)


def _break_positions(graph: Graph) -> Graph:
    position = next(iter(sorted(graph.subjects(RDF.type, OA.TextPositionSelector))))
    broken = without(graph, OA.start, position)
    broken.add((position, OA.start, Literal(10_000, datatype=XSD.nonNegativeInteger)))
    return broken


def _break_second_event_type(graph: Graph) -> Graph:
    broken = Graph() + graph
    event = next(iter(sorted(graph.subjects(RDF.type, SEM.Event))))
    broken.add((event, SEM.eventType, Iris().category("demand")))
    broken.add((event, SEM.eventType, Iris().category("resign")))
    return broken


def _break_article_identifier(graph: Graph) -> Graph:
    return without(graph, SDO.identifier)


def _break_article_provenance(graph: Graph) -> Graph:
    return without(graph, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))


@pytest.mark.parametrize(
    "breaker,expected",
    [
        (_break_event_type, "eventType"),
        (_break_second_event_type, "eventType"),
        (_break_article_provenance, "wasDerivedFrom"),
        (_break_article_identifier, "identifier"),
        (_break_actor_name, "name"),
        (_break_role_type, "roleType"),
        (_break_positions, "start"),
    ],
)
def test_a_broken_graph_fails_validation(snapshot, breaker, expected):
    conforms, report = rdf.validate(breaker(rdf.build_graph(snapshot)))
    assert not conforms
    assert expected in report


def test_trig_has_one_named_graph_per_article(snapshot):
    data, _ = exported(snapshot, "trig")
    dataset = Dataset().parse(data=data, format="trig")
    named = {g.identifier: g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    named = {name: g for name, g in named.items() if len(g)}

    assert set(named) == {Iris().article_graph(a.id) for a in snapshot.articles}
    for article in snapshot.articles:
        graph = named[Iris().article_graph(article.id)]
        events = {s for s in graph.subjects(RDF.type, SEM.Event)}
        assert events == {Iris().event(e.id) for e in snapshot.events if e.article == article.id}
        assert len(set(graph.subjects(RDF.type, SEM.Role))) > 0
        assert len(set(graph.subjects(RDF.type, OA.Annotation))) == len(events)
    default = dataset.default_graph
    assert count_type(default, SEM.Actor) == len(snapshot.actors)
    assert count_type(default, SKOS.Concept) > 0
    assert count_type(default, SEM.Event) == 0


def test_sparql_finds_who_succeeded_whom(snapshot):
    columns, rows = rdf.sparql(SUCCESSION, rdf.build_graph(snapshot))
    assert columns == ["agent", "patient"]
    assert rows == [
        {"agent": "Dana Hollis", "patient": "Owen Pryce"},
        {"agent": "Ministry of Learning", "patient": "Dana Hollis"},
    ]


@pytest.mark.parametrize("fmt,suffix", [("turtle", ".ttl"), ("trig", ".trig"), ("jsonld", ".jsonld")])
def test_sparql_runs_on_an_export_file(snapshot, tmp_path, fmt, suffix):
    path = tmp_path / f"world{suffix}"
    rdf.export(snapshot, path, format=fmt)
    _, rows = rdf.sparql(SUCCESSION, path)
    assert ("Dana Hollis", "Owen Pryce") in {(r["agent"], r["patient"]) for r in rows}
    assert rdf.sparql("ASK { ?a schema:name 'Mira Stone' }", str(path)) == (["ask"], [{"ask": True}])


def test_sparql_leaves_unbound_values_as_none(snapshot):
    query = "SELECT ?event ?quote WHERE { ?event a sem:Event . OPTIONAL { ?event ng:quote ?quote } }"
    _, rows = rdf.sparql(query, rdf.build_graph(snapshot))
    quotes = [r["quote"] for r in rows]
    assert quotes.count(None) == 8
    assert "It has been a privilege to serve." in quotes


def test_sparql_construct_gives_triples(snapshot):
    columns, rows = rdf.sparql(
        "CONSTRUCT { ?a schema:name ?n } WHERE { ?a a sem:Actor ; schema:name ?n }", rdf.build_graph(snapshot)
    )
    assert columns == ["subject", "predicate", "object"]
    assert len(rows) == len(snapshot.actors)


@pytest.mark.parametrize(
    "query",
    [
        "SELEC ?s WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s nope:x ?o }",
        "SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT ?s FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    ],
)
def test_sparql_refuses_bad_and_remote_queries_in_one_line(snapshot, query):
    with pytest.raises(QueryError) as info:
        rdf.sparql(query, rdf.build_graph(snapshot))
    assert "\n" not in str(info.value)


def test_sparql_and_validate_refuse_unknown_files(tmp_path):
    with pytest.raises(InputError, match="suffix"):
        rdf.sparql("ASK {}", tmp_path / "world.txt")
    with pytest.raises(InputError, match="no such file"):
        rdf.validate(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="not valid turtle"):
        rdf.validate(bad)


@pytest.mark.parametrize("fmt,suffix", [("ttl", ".ttl"), ("trig", ".trig")])
@pytest.mark.parametrize("source", ["file", "graph"])
def test_sparql_graph_patterns_on_any_data_answer_without_a_traceback(snapshot, tmp_path, fmt, suffix, source):
    # GRAPH on a file of one graph raised rdflib's "requiring a dataset" from the lazy result.
    data: Path | Graph = tmp_path / f"world{suffix}"
    rdf.export(snapshot, data, format=fmt)
    if source == "graph":
        data = rdf.build_graph(snapshot)
    _, rows = rdf.sparql("SELECT * WHERE { GRAPH <x:g> { ?s ?p ?o } }", data)
    assert rows == []
    _, rows = rdf.sparql("SELECT ?s WHERE { GRAPH ?g { ?s a sem:Event } }", data)
    named = source == "file" and fmt == "trig"  # only a TriG file has named graphs
    assert len(rows) == (len(snapshot.events) if named else 0)


def test_sparql_evaluation_errors_are_one_line(snapshot):
    with pytest.raises(QueryError, match="^SPARQL: ") as info:
        rdf.sparql("SELECT (SUM(?s) AS ?n) WHERE { ?s ?p ?o }", rdf.build_graph(snapshot))  # fails as rows are read
    assert "\n" not in str(info.value)


def test_reading_rdf_fetches_nothing_it_was_not_given(tmp_path):
    # A JSON-LD @context by reference made rdflib fetch it over HTTP (or read a file beside the data).
    from tests.fixtures.loopback import loopback, respond

    context = b'{"@context": {"ex": "http://example.org/"}}'
    with loopback(lambda conn, head, server: respond(conn, context, "application/ld+json")) as server:
        secret = tmp_path / "secret.jsonld"
        secret.write_bytes(context)
        documents = {
            "remote": {"@context": server.url("/context.jsonld"), "@id": "ex:a", "ex:b": "c"},
            "listed": {"@context": [{"x": "http://x.org/"}, server.url("/c2")], "@id": "http://x.org/a"},
            "nested": {"@id": "http://x.org/a", "http://x.org/b": {"@context": server.url("/c3"), "@id": "x:c"}},
            "imported": {"@context": {"@version": 1.1, "@import": server.url("/c4")}, "@id": "http://x.org/a"},
            "relative": {"@context": "secret.jsonld", "@id": "ex:a", "ex:b": "c"},
        }
        for name, document in documents.items():
            path = tmp_path / f"{name}.jsonld"
            path.write_text(json.dumps(document), encoding="utf-8")
            with pytest.raises(InputError, match="which newsgraph does not fetch") as info:
                rdf.sparql("SELECT * WHERE { ?s ?p ?o }", path)
            assert "\n" not in str(info.value)
        entity = tmp_path / "entity.rdf"
        entity.write_text(
            f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{server.url("/entity")}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="http://example.org/a"><ex:b>&x;</ex:b></rdf:Description></rdf:RDF>""",
            encoding="utf-8",
        )
        rdf.sparql("SELECT * WHERE { ?s ?p ?o }", entity)
        assert server.requests == []
    inline = tmp_path / "inline.jsonld"
    inline.write_text(json.dumps({"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": "c"}))
    _, rows = rdf.sparql("SELECT ?o WHERE { ?s <http://example.org/b> ?o }", inline)
    assert rows == [{"o": "c"}]


def test_a_url_that_is_not_http_is_not_exported_as_schema_url(snapshot):
    article = dataclasses.replace(snapshot.articles[0], url="javascript:alert(1)")
    graph = rdf.build_graph(dataclasses.replace(snapshot, articles=[article, *snapshot.articles[1:]]))
    urls = {str(o) for o in graph.objects(None, URIRef("https://schema.org/url"))}
    assert urls and not any(u.startswith("javascript:") for u in urls)
    assert len(urls) == len([a for a in snapshot.articles[1:] if a.url])


def test_jsonld_uses_a_compact_context(snapshot):
    data, _ = exported(snapshot, "json-ld")
    doc = json.loads(data)
    assert doc["@context"]["schema"] == "https://schema.org/"
    assert doc["@context"]["sem"] == "http://semanticweb.cs.vu.nl/2009/11/sem/"

    keys = {key for node in doc["@graph"] for key in node}
    assert {"schema:name", "sem:eventType", "prov:wasDerivedFrom"} <= keys
    assert not [key for key in keys if key.startswith(("http://", "https://"))]
    types = {
        t
        for node in doc["@graph"]
        for t in ([node["@type"]] if isinstance(node.get("@type"), str) else node.get("@type", []))
    }
    assert {"sem:Event", "schema:NewsArticle", "schema:Person"} <= types


HOSTILE = 'Dana "The Axe" Hollis <script>alert(\'x\')</script>\nsecond line \\ & </rdf:RDF> ]]> {"@id": 1}'


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml", "trig"])
def test_hostile_actor_names_round_trip_exactly(snapshot, fmt):
    actor = next(a for a in snapshot.actors if a.id == "person:dana-hollis")
    actor.name = HOSTILE
    actor.aliases = [HOSTILE + " (alias)"]
    data, _ = exported(snapshot, fmt)
    graph = parse(data, fmt)
    node = Iris().actor(actor.id)
    assert graph.value(node, SDO.name) == Literal(HOSTILE)
    assert set(graph.objects(node, SDO.alternateName)) == {Literal(HOSTILE + " (alias)")}


def test_actor_kinds_map_to_schema_classes():
    snapshot = GraphSnapshot(
        actors=[
            ActorRecord("place:leeds", "Leeds", "Place"),
            ActorRecord("document:report", "The report", "Document"),
            ActorRecord("other:x", "X", "Other"),
        ]
    )
    graph = rdf.build_graph(snapshot)
    assert set(graph.objects(Iris().actor("place:leeds"), RDF.type)) == {SEM.Actor, SDO.Place}
    assert set(graph.objects(Iris().actor("document:report"), RDF.type)) == {SEM.Actor, SDO.CreativeWork}
    assert set(graph.objects(Iris().actor("other:x"), RDF.type)) == {SEM.Actor}


def test_role_titles_tie_people_to_their_organisation(snapshot):
    graph = rdf.build_graph(snapshot)
    hollis, inspectorate = Iris().actor("person:dana-hollis"), Iris().actor("organisation:schools-inspectorate")
    assert (hollis, SDO.jobTitle, Literal("chief inspector")) in graph
    assert (hollis, SDO.affiliation, inspectorate) in graph
    assert (hollis, SDO.memberOf, inspectorate) in graph


def test_an_unknown_format_is_an_input_error_listing_the_formats(snapshot):
    with pytest.raises(InputError, match="turtle.*trig") as info:
        rdf.export(snapshot, io.BytesIO(), format="yaml")
    assert "\n" not in str(info.value)


def test_an_event_whose_actor_is_missing_fails_validation(snapshot):
    snapshot.events.append(
        EventRecord(
            "ev_orphan",
            "demand",
            "urged",
            None,
            None,
            "asserted",
            0.5,
            None,
            agents=["person:nobody"],
            reports=[
                ReportRecord(
                    snapshot.articles[0].id, "x", 0, 1, 0, "urged", None, None, "asserted", 0.5, None, "ev_orphan"
                )
            ],  # fmt: skip
        )
    )
    conforms, report = rdf.validate(rdf.build_graph(snapshot))
    assert not conforms
    assert "sem:Actor" in report or "Actor" in report


def test_an_empty_snapshot_exports_the_taxonomy_and_conforms():
    data, count = exported(GraphSnapshot(), "nt")
    graph = Graph().parse(data=data, format="nt")
    assert count == len(graph) > 0
    assert count_type(graph, SKOS.Concept) == len(rdf.load_taxonomy())
    assert rdf.validate(graph)[0]


def test_rdfxml_refuses_text_xml_cannot_hold(snapshot):
    snapshot.actors[0].name = "form\x0cfeed"
    with pytest.raises(InputError, match="U\\+000C"):
        rdf.export(snapshot, io.BytesIO(), format="xml")
    data, _ = exported(snapshot, "turtle")
    assert Literal("form\x0cfeed") in set(parse(data, "turtle").objects(None, SDO.name))


def test_an_event_told_in_three_articles_is_one_sem_event_derived_from_each(tmp_path):
    """One sem:Event with its own triples once, a prov:wasDerivedFrom and an annotation per
    report (each pointing into its article with its own sentence), and it conforms; in TriG its
    triples are in the lead's article graph, each report in its own article's."""
    from tests.fixtures.retold import A1, B1, C1, retold

    extractions = retold()
    snap = snapshot_from_extractions(extractions)
    [death] = [e for e in snap.events if e.category == "die"]
    graph = rdf.build_graph(snap)
    iris = Iris()
    event = iris.event(death.id)
    assert count_type(graph, SEM.Event) == len(snap.events) == 4
    assert sorted(graph.objects(event, PROV.wasDerivedFrom)) == sorted(
        iris.article(ex.article.id) for ex in extractions
    )
    assert len(list(graph.objects(event, SEM.hasTimeStamp))) == len(list(graph.objects(event, NG.trigger))) == 1
    annotations = sorted(graph.subjects(OA.hasBody, event))
    assert len(annotations) == 3
    spans = set()
    for annotation in annotations:
        target = graph.value(annotation, OA.hasTarget)
        source = graph.value(target, OA.hasSource)
        exact = next(
            graph.value(sel, OA.exact) for sel in graph.objects(target, OA.hasSelector) if graph.value(sel, OA.exact)
        )
        spans.add((source, str(exact)))
    assert spans == {(iris.article(ex.article.id), text) for ex, text in zip(extractions, (A1, B1, C1), strict=True)}
    assert rdf.validate(graph)[0]

    data, _ = exported(snap, "trig")
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    lead = dataset.graph(iris.article_graph(extractions[0].article.id))
    assert (event, RDF.type, SEM.Event) in lead
    other = dataset.graph(iris.article_graph(extractions[2].article.id))
    assert (event, PROV.wasDerivedFrom, iris.article(extractions[2].article.id)) in other
    assert (event, RDF.type, SEM.Event) not in other
