"""RDF export of a GraphSnapshot in standard vocabularies, SHACL validation, and SPARQL over an export.

Events are SEM events with roles, a SKOS event type and OWL-Time/xsd time; actors and articles are
schema.org; provenance is PROV-O; evidence spans are Web Annotations. An event reported by several
articles is one sem:Event, derived from each of them (prov:wasDerivedFrom) with one annotation per
report; its own triples go with its lead report's article. Every node has an IRI derived
from ids under a configurable base, so the same snapshot exports to the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from rdflib import RDF, RDFS, SDO, SKOS, TIME, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from newsgraph.errors import InputError, QueryError
from newsgraph.ingest.metadata import web_url
from newsgraph.ingest.taxonomy import Category, load_taxonomy
from newsgraph.outputs import output_file
from newsgraph.store.records import ArticleRecord, EventRecord, GraphSnapshot, ReportRecord, RoleRecord

DEFAULT_BASE = "https://newsgraph.example.org/id/"

# newsgraph's own terms (trigger, modality, confidence, role types). Unlike the id base this never
# changes with the export, so queries written against one export work on every other.
NG = Namespace("https://newsgraph.example.org/ns/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
# PLOVER publishes no RDF vocabulary. Its categories are named here by fragment IRIs on the
# project's repository page (plover:REQUEST = https://github.com/openeventdata/PLOVER#REQUEST):
# stable, and a reader who follows one lands on the codebook that defines the category.
PLOVER = Namespace("https://github.com/openeventdata/PLOVER#")

ROLE_AGENT = NG["role/agent"]
ROLE_PATIENT = NG["role/patient"]

PREFIXES: dict[str, str] = {
    "ng": str(NG),
    # ng:role/agent cannot be written as a prefixed name (rdflib's SPARQL does not unescape ng:role\/agent)
    "roletype": str(NG["role/"]),
    "sem": str(SEM),
    "schema": str(SDO),
    "prov": str(PROV),
    "oa": str(OA),
    "time": str(TIME),
    "skos": str(SKOS),
    "plover": str(PLOVER),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

# Accepted format names -> the rdflib serializer they mean.
FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
    "xml": "xml",
    "rdfxml": "xml",
    "rdf": "xml",
    "trig": "trig",
}

# File suffix -> rdflib parser, for validate() and sparql() on a file.
SUFFIX_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}

ACTOR_CLASSES: dict[str, URIRef] = {
    "Person": SDO.Person,
    "Organisation": SDO.Organization,
    "Place": SDO.Place,
    "Document": SDO.CreativeWork,
}

PLOVER_MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"\d{4}")
# Characters XML 1.0 cannot hold at all, even escaped: RDF/XML with one of them would not parse.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Triple = tuple[Node, Node, Node]


def _segment(value: str) -> str:
    """One IRI path segment: percent-encoded, keeping ':' so actor ids stay readable (person:dana-hollis)."""
    return quote(value, safe=":")


@dataclass(frozen=True)
class Iris:
    """The IRI of every node the export mints, under one base; the same ids give the same IRIs."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", self.base) or not self.base.endswith(("/", "#")):
            raise InputError(f"base {self.base!r}: must be an absolute IRI ending in '/' or '#'")

    def actor(self, actor_id: str) -> URIRef:
        return URIRef(f"{self.base}actor/{_segment(actor_id)}")

    def event(self, event_id: str) -> URIRef:
        return URIRef(f"{self.base}event/{_segment(event_id)}")

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}article/{_segment(article_id)}")

    def article_graph(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/{_segment(article_id)}")

    # Nodes that belong to one event are named flat ({base}role/ev_1-agent-1, not {base}event/ev_1/...):
    # rdflib's Turtle and TriG writers register every distinct IRI "namespace" they meet, and a
    # namespace per event makes them quadratic. Read right to left, the names are unambiguous.
    def role(self, event_id: str, role: str, position: int) -> URIRef:
        """The `position`-th (from 1) agent or patient of an event."""
        return URIRef(f"{self.base}role/{_segment(event_id)}-{role}-{position}")

    def evidence(self, report_id: str, part: str = "") -> URIRef:
        """The annotation of a report's evidence span, or its target, quote or position part. A report
        id is the id of the event an article alone tells (its lead report's is the event's)."""
        return URIRef(f"{self.base}annotation/{_segment(report_id)}" + (f"-{part}" if part else ""))

    def taxonomy(self) -> URIRef:
        return URIRef(f"{self.base}taxonomy")

    def category(self, name: str) -> URIRef:
        return URIRef(f"{self.base}taxonomy/{_segment(name)}")

    def publisher(self, outlet: str) -> URIRef:
        return URIRef(f"{self.base}publisher/{_segment(outlet)}")

    def instant(self, date: str) -> URIRef:
        return URIRef(f"{self.base}instant/{_segment(date)}")

    def software(self, version: str) -> URIRef:
        return URIRef(f"{self.base}software/newsgraph/{_segment(version)}")

    def run(self, run_id: str) -> URIRef:
        return URIRef(f"{self.base}run/{_segment(run_id)}")

    def context(self) -> dict[str, str]:
        """JSON-LD prefixes: the vocabularies plus the id namespaces of this base."""
        names = ("actor", "event", "role", "annotation", "article", "taxonomy", "publisher", "instant", "run", "graph")
        ids = {name: f"{self.base}{name}/" for name in names}
        return {**PREFIXES, **ids}


def _time_value(date: str | None) -> tuple[URIRef, URIRef] | None:
    """(xsd datatype, OWL-Time property) for a YYYY-MM-DD, YYYY-MM or YYYY date; None when not a real date."""
    if not date:
        return None
    if _DATE.fullmatch(date):
        try:
            dt.date.fromisoformat(date)
        except ValueError:  # 2024-02-30: typing it would give an ill-formed literal
            return None
        return XSD.date, TIME.inXSDDate
    if _YEAR_MONTH.fullmatch(date):
        return XSD.gYearMonth, TIME.inXSDgYearMonth
    if _YEAR.fullmatch(date):
        return XSD.gYear, TIME.inXSDgYear
    return None


def _confidence(value: float) -> Literal | None:
    """Confidence as xsd:decimal, whose lexical form is the float's shortest repr (no float noise)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return Literal(Decimal(repr(number))) if math.isfinite(number) else None


def articles_pipeline(snapshot: GraphSnapshot) -> str | None:
    """The pipelines that extracted the snapshot's articles, sorted and joined by "; "; None if none says."""
    return "; ".join(sorted({a.pipeline for a in snapshot.articles if a.pipeline})) or None


class _Triples:
    """The triples of one snapshot, in two parts: shared (taxonomy, actors, provenance, publishers,
    instants) and one part per article (the article, the events it leads, its reports of events with
    their evidence, roles and role titles).

    Everything is emitted in sorted id order, so insertion-ordered graphs serialise identically.
    """

    def __init__(
        self,
        snapshot: GraphSnapshot,
        iris: Iris,
        pipeline: str | None,
        taxonomy: dict[str, Category] | None,
        ended_at: dt.datetime | None,
    ) -> None:
        from newsgraph import __version__

        self.snapshot = snapshot
        self.iri = iris
        if pipeline is None:
            pipeline = articles_pipeline(snapshot)
        self.pipeline = pipeline
        self.taxonomy = load_taxonomy() if taxonomy is None else taxonomy
        self.ended_at = ended_at
        self.version = __version__
        self.records: dict[str, ArticleRecord] = {a.id: a for a in snapshot.articles}
        self.kinds = {a.id: a.kind for a in snapshot.actors}
        self.reports: dict[str, list[tuple[EventRecord, ReportRecord]]] = defaultdict(list)
        for ev in snapshot.events:
            for report in ev.reports:
                self.reports[report.article].append((ev, report))
        self.roles: dict[str, list[RoleRecord]] = defaultdict(list)
        for role in snapshot.roles:
            self.roles[role.article].append(role)
        self.mentions: dict[str, set[str]] = defaultdict(set)
        for actor in snapshot.actors:
            for article in actor.articles:
                self.mentions[article].add(actor.id)
        self.article_ids = sorted(set(self.records) | set(self.reports) | set(self.roles))
        hashes = sorted(a.content_hash for a in snapshot.articles)
        digest = hashlib.sha256("\x1f".join([*hashes, self.version, pipeline or ""]).encode("utf-8"))
        self.activity = self.iri.run("run_" + digest.hexdigest()[:16])

    def shared(self) -> Iterator[Triple]:
        yield from self._taxonomy()
        yield from self._provenance()
        for actor in sorted(self.snapshot.actors, key=lambda a: a.id):
            node = self.iri.actor(actor.id)
            yield node, RDF.type, SEM.Actor
            if actor.kind in ACTOR_CLASSES:
                yield node, RDF.type, ACTOR_CLASSES[actor.kind]
            yield node, SDO.name, Literal(actor.name)
            for alias in sorted(set(actor.aliases) - {actor.name}):
                yield node, SDO.alternateName, Literal(alias)
        for outlet in sorted({a.outlet for a in self.snapshot.articles if a.outlet}):
            yield self.iri.publisher(outlet), RDF.type, SDO.Organization
            yield self.iri.publisher(outlet), SDO.name, Literal(outlet)
        for date in sorted({ev.date for ev in self.snapshot.events if ev.date}):
            typed = _time_value(date)
            if typed:
                yield self.iri.instant(date), RDF.type, TIME.Instant
                yield self.iri.instant(date), typed[1], Literal(date, datatype=typed[0])

    def _taxonomy(self) -> Iterator[Triple]:
        scheme = self.iri.taxonomy()
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, Literal("newsgraph event taxonomy", lang="en")
        used = {ev.category for ev in self.snapshot.events}
        # A category an event uses but the taxonomy lacks still gets a concept, so the event keeps its type.
        categories = {**{name: Category(name, name, "", "", "") for name in used}, **self.taxonomy}
        for name in sorted(categories):
            cat = categories[name]
            concept = self.iri.category(name)
            yield scheme, SKOS.hasTopConcept, concept
            yield concept, RDF.type, SKOS.Concept
            yield concept, SKOS.inScheme, scheme
            yield concept, SKOS.notation, Literal(name)
            yield concept, SKOS.prefLabel, Literal(cat.label, lang="en")
            if cat.definition:
                yield concept, SKOS.definition, Literal(cat.definition, lang="en")
            if cat.plover:
                yield concept, PLOVER_MATCH.get(cat.plover_match or "", SKOS.relatedMatch), PLOVER[cat.plover]
        for role, label in ((ROLE_AGENT, "agent"), (ROLE_PATIENT, "patient")):
            yield role, RDF.type, SEM.RoleType
            yield role, RDFS.label, Literal(label, lang="en")

    def _provenance(self) -> Iterator[Triple]:
        software = self.iri.software(self.version)
        yield software, RDF.type, PROV.SoftwareAgent
        yield software, RDFS.label, Literal("newsgraph")
        yield software, SDO.softwareVersion, Literal(self.version)
        yield self.activity, RDF.type, PROV.Activity
        yield self.activity, RDFS.label, Literal("newsgraph extraction and RDF export")
        yield self.activity, PROV.wasAssociatedWith, software
        if self.pipeline:
            yield self.activity, NG.pipeline, Literal(self.pipeline)
        if self.ended_at is not None:
            yield self.activity, PROV.endedAtTime, Literal(self.ended_at)
        for article_id in self.article_ids:
            yield self.activity, PROV.used, self.iri.article(article_id)

    def article(self, article_id: str, seen_titles: set[Triple] | None = None) -> Iterator[Triple]:
        """One article's triples; `seen_titles` drops role-title triples another article already gave."""
        node = self.iri.article(article_id)
        record = self.records.get(article_id)
        if record is not None:
            yield node, RDF.type, SDO.NewsArticle
            if record.title:
                yield node, SDO.headline, Literal(record.title)
            if web_url(record.url):  # never a javascript: or data: url a store may hold
                yield node, SDO.url, Literal(record.url, datatype=XSD.anyURI)
            if _time_value(record.date) == (XSD.date, TIME.inXSDDate):
                yield node, SDO.datePublished, Literal(record.date, datatype=XSD.date)
            if record.outlet:
                yield node, SDO.publisher, self.iri.publisher(record.outlet)
            yield node, NG.contentHash, Literal(record.content_hash)
            # Where newsgraph read it: what identifies an article that has no url or headline.
            yield node, SDO.identifier, Literal(record.source)
            yield node, NG.source, Literal(record.source)
        for actor_id in sorted(self.mentions.get(article_id, ())):
            yield node, SDO.mentions, self.iri.actor(actor_id)
        for ev, report in sorted(self.reports.get(article_id, ()), key=lambda p: (p[0].id, p[1].id)):
            if report is ev.lead:
                yield from self._event(ev)
            yield from self._report(ev, report, node)
        for role in sorted(self.roles.get(article_id, ()), key=lambda r: (r.holder, r.title, r.organisation or "")):
            for triple in self._role_title(role):
                if seen_titles is not None:
                    if triple in seen_titles:
                        continue
                    seen_titles.add(triple)
                yield triple

    def _event(self, ev: EventRecord) -> Iterator[Triple]:
        node = self.iri.event(ev.id)
        yield node, RDF.type, SEM.Event
        yield node, SEM.eventType, self.iri.category(ev.category)
        yield node, NG.trigger, Literal(ev.trigger)
        yield node, NG.modality, Literal(ev.modality)
        confidence = _confidence(ev.confidence)
        if confidence is not None:
            yield node, NG.confidence, confidence
        if ev.quote is not None:
            yield node, NG.quote, Literal(ev.quote)
        if ev.date_text:
            yield node, NG.dateText, Literal(ev.date_text)
        typed = _time_value(ev.date)
        if typed and ev.date:
            yield node, SEM.hasTimeStamp, Literal(ev.date, datatype=typed[0])
            yield node, TIME.hasTime, self.iri.instant(ev.date)
        yield node, PROV.wasGeneratedBy, self.activity
        for role_name, role_type, actors in (("agent", ROLE_AGENT, ev.agents), ("patient", ROLE_PATIENT, ev.patients)):
            for position, actor_id in enumerate(dict.fromkeys(actors), start=1):
                role = self.iri.role(ev.id, role_name, position)
                yield node, SEM.hasActor, role
                yield role, RDF.type, SEM.Role
                yield role, RDF.value, self.iri.actor(actor_id)
                yield role, SEM.roleType, role_type

    def _report(self, ev: EventRecord, report: ReportRecord, article: URIRef) -> Iterator[Triple]:
        """An article's report of an event: the event derived from it, and the evidence annotated."""
        node = self.iri.event(ev.id)
        yield node, PROV.wasDerivedFrom, article
        annotation, target = self.iri.evidence(report.id), self.iri.evidence(report.id, "target")
        quote_sel, position = self.iri.evidence(report.id, "quote"), self.iri.evidence(report.id, "position")
        yield annotation, RDF.type, OA.Annotation
        yield annotation, OA.hasBody, node
        yield annotation, OA.hasTarget, target
        yield target, RDF.type, OA.SpecificResource
        yield target, OA.hasSource, article
        yield target, OA.hasSelector, quote_sel
        yield target, OA.hasSelector, position
        yield quote_sel, RDF.type, OA.TextQuoteSelector
        yield quote_sel, OA.exact, Literal(report.evidence)
        yield position, RDF.type, OA.TextPositionSelector
        yield position, OA.start, Literal(report.start, datatype=XSD.nonNegativeInteger)
        yield position, OA.end, Literal(report.end, datatype=XSD.nonNegativeInteger)

    def _role_title(self, role: RoleRecord) -> Iterator[Triple]:
        holder = self.iri.actor(role.holder)
        yield holder, SDO.jobTitle, Literal(role.title)
        if role.organisation:
            org = self.iri.actor(role.organisation)
            yield holder, SDO.memberOf, org
            if self.kinds.get(role.holder) == "Person":
                yield holder, SDO.affiliation, org


def _new_graph(iris: Iris) -> Graph:
    # SimpleMemory keeps insertion order (the default store iterates a hash-ordered set), which
    # makes the xml and nt serialisers byte-stable across processes.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in iris.context().items():
        graph.bind(prefix, namespace)
    return graph


def _new_dataset(iris: Iris) -> Dataset:
    dataset = Dataset()
    for prefix, namespace in iris.context().items():
        dataset.bind(prefix, namespace)
    return dataset


def build_graph(
    snapshot: GraphSnapshot,
    *,
    base: str = DEFAULT_BASE,
    pipeline: str | None = None,
    taxonomy: dict[str, Category] | None = None,
    ended_at: dt.datetime | None = None,
) -> Graph:
    """The whole snapshot as one in-memory rdflib Graph.

    `pipeline` names the NLP pipeline (e.g. "en_core_web_md 3.8.0") on the PROV activity, by default
    the pipelines the articles record (articles_pipeline);
    `taxonomy` defaults to the packaged one; `ended_at` adds prov:endedAtTime (omitted by default
    so that exports of the same data are byte-identical).
    """
    triples = _Triples(snapshot, Iris(base), pipeline, taxonomy, ended_at)
    graph = _new_graph(triples.iri)
    for triple in triples.shared():
        graph.add(triple)
    for article_id in triples.article_ids:
        for triple in triples.article(article_id):
            graph.add(triple)
    return graph


@contextmanager
def _byte_sink(dest: str | Path | IO) -> Iterator[Callable[[bytes], None]]:
    """A write(bytes) for a path (created or replaced once complete), a binary stream or a text stream."""
    if isinstance(dest, str | Path):
        with output_file(dest, "wb") as handle:  # whole or not at all: a full disk leaves no partial file
            yield handle.write
    elif isinstance(dest, io.TextIOBase) or "b" not in getattr(dest, "mode", "b"):
        yield lambda data: dest.write(data.decode("utf-8"))
    else:
        yield dest.write


def _format(name: str) -> str:
    fmt = FORMATS.get(name.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format {name!r} (use one of: {', '.join(FORMATS)})")
    return fmt


def export(
    snapshot: GraphSnapshot,
    dest: str | Path | IO,
    *,
    format: str,
    base: str = DEFAULT_BASE,
    pipeline: str | None = None,
    taxonomy: dict[str, Category] | None = None,
    ended_at: dt.datetime | None = None,
) -> int:
    """Write the snapshot as RDF to a path or stream; returns the number of triples (quads for trig).

    nt and trig stream: shared nodes first, then one small graph per article, serialised and written
    before the next is built, so memory stays flat however many articles there are. turtle, json-ld
    and xml build the whole graph in memory first (their serialisers need it). `pipeline` defaults
    to the pipelines the articles record, as for build_graph.
    """
    fmt = _format(format)
    iris = Iris(base)
    if fmt in ("nt", "trig"):
        triples = _Triples(snapshot, iris, pipeline, taxonomy, ended_at)
        with _byte_sink(dest) as write:
            return _stream(triples, fmt, write)
    graph = build_graph(snapshot, base=base, pipeline=pipeline, taxonomy=taxonomy, ended_at=ended_at)
    if fmt == "xml":
        _check_xml_text(graph)
    data = _jsonld(graph, iris.context()) if fmt == "json-ld" else graph.serialize(format=fmt, encoding="utf-8")
    with _byte_sink(dest) as write:
        write(data)
    return len(graph)


def _check_xml_text(graph: Graph) -> None:
    for s, _, o in graph:
        for text in (str(s), str(o)):
            bad = _NOT_XML.search(text)
            if bad:
                raise InputError(
                    f"RDF/XML cannot hold the control character U+{ord(bad.group()):04X} in {text[:40]!r}"
                    " (export as turtle, nt, jsonld or trig instead)"
                )


def _stream(triples: _Triples, fmt: str, write: Callable[[bytes], None]) -> int:
    """Shared nodes, then each article: build a small graph, serialise it, write it, drop it.

    For trig each chunk is a complete TriG document (the @prefix lines repeat, which TriG allows)
    holding the default graph or one article's named graph; the concatenation is one dataset.
    For nt, role titles two articles both give are written once, so the count is of distinct triples.
    """
    seen_titles: set[Triple] | None = set() if fmt == "nt" else None
    chunks: list[tuple[URIRef | None, Iterable[Triple]]] = [(None, triples.shared())]
    chunks += [(triples.iri.article_graph(a), triples.article(a, seen_titles)) for a in triples.article_ids]
    written = 0
    for name, part in chunks:
        container: Graph = _new_graph(triples.iri) if fmt == "nt" else _new_dataset(triples.iri)
        graph = container
        if isinstance(container, Dataset):
            graph = container.default_graph if name is None else container.graph(name)
        for triple in part:
            graph.add(triple)
        size = len(graph)
        if size:
            write(container.serialize(format=fmt, encoding="utf-8"))
            written += size
    return written


def _jsonld(graph: Graph, context: dict[str, str]) -> bytes:
    """Compact JSON-LD with a prefix @context; nodes sorted by @id (rdflib emits them in hash order)."""
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _load(source: Graph | str | Path, *, dataset: bool = False) -> Graph:
    """A graph as given, or parsed from a file whose suffix names the format (trig/nquads as a union;
    every format as a Dataset whose default graph is the union with `dataset`). Nothing is fetched:
    a JSON-LD @context that names a document instead of holding the terms is refused."""
    if isinstance(source, Graph):
        return source
    path = Path(source)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: cannot tell the RDF format from the suffix (use {', '.join(SUFFIX_FORMATS)})")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    graph: Graph = Dataset(default_union=True) if dataset or fmt in ("trig", "nquads") else Graph()
    try:
        if fmt == "json-ld":
            # rdflib fetches a context given by reference (a URL, or a path next to the file); read
            # here what the user named and nothing else.
            text = path.read_bytes().decode("utf-8")
            _check_local_contexts(json.loads(text), path)
            graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
        else:
            graph.parse(path, format=fmt)
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many types for bad input; all mean the same here
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: not valid {fmt} ({first})") from exc
    return graph


def _check_local_contexts(node: Any, path: Path) -> None:
    """InputError when a JSON-LD document's @context (anywhere in it) names another document."""
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for ref in value if isinstance(value, list) else [value]:
                        if isinstance(ref, str):
                            raise InputError(
                                f"{path}: its {key} refers to {ref[:80]!r}, which newsgraph does not fetch;"
                                " put the context's terms in the file"
                            )
                pending.append(value)


def _union(graph: Graph) -> Graph:
    """All triples in one graph on a context-aware store, as pyshacl needs.

    A dataset's named graphs are merged: a shape spans them (a role in an article's graph, its actor
    in the default graph).
    """
    if isinstance(graph, Dataset):
        union = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if graph.store.context_aware:
        return graph
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def shapes_graph() -> Graph:
    text = resources.files("newsgraph.data").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def validate(graph_or_path: Graph | str | Path, *, shapes: Graph | None = None) -> tuple[bool, str]:
    """Check an export against the shipped SHACL shapes; (conforms, pyshacl's report text)."""
    import pyshacl

    data = _union(_load(graph_or_path))
    conforms, _, report = pyshacl.validate(
        data, shacl_graph=shapes if shapes is not None else shapes_graph(), inference="none"
    )
    return bool(conforms), str(report)


def _uses_remote(node: Any) -> bool:
    """Whether a parsed query names a SERVICE (rdflib would fetch it over HTTP)."""
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_uses_remote(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_remote(v) for v in node)
    return False


def sparql(query: str, source: Graph | str | Path) -> tuple[list[str], list[dict[str, Any]]]:
    """Run a SPARQL query on a graph or an export file; (column names, rows).

    SELECT rows map each variable to the str of its value (None when unbound); ASK gives one row
    {"ask": bool}; CONSTRUCT and DESCRIBE give rows of subject, predicate, object. The usual prefixes
    (ng, sem, schema, prov, oa, time, skos, ...) are predeclared. Queries run on the local data only:
    FROM and SERVICE are refused.
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except Exception as exc:  # pyparsing's ParseException, or rdflib's "Unknown namespace prefix"
        raise QueryError(f"SPARQL: {(str(exc).strip().splitlines() or [type(exc).__name__])[0]}") from exc
    if prepared.algebra.get("datasetClause") or _uses_remote(prepared.algebra):
        raise QueryError("SPARQL: FROM and SERVICE are not supported (the query runs on the given data only)")
    graph = _load(source, dataset=True)
    if not isinstance(graph, Dataset) and _uses_graph(prepared.algebra):
        graph = _as_dataset(graph)  # GRAPH needs a dataset; one graph is a dataset's default graph
    if isinstance(graph, Dataset) and not graph.default_union:
        graph = Dataset(store=graph.store, default_union=True)
    try:
        # Results are lazy: evaluation errors (bad function arguments, type errors) come while reading rows.
        result = graph.query(prepared)
        if result.type == "ASK":
            return ["ask"], [{"ask": bool(result.askAnswer)}]
        if result.type == "SELECT":
            columns = [str(v) for v in result.vars or []]
            rows = [{c: (None if row[i] is None else str(row[i])) for i, c in enumerate(columns)} for row in result]
            return columns, rows
        columns = ["subject", "predicate", "object"]
        triples = sorted((str(s), str(p), str(o)) for s, p, o in result.graph or Graph())
    except Exception as exc:
        raise QueryError(f"SPARQL: {(str(exc).strip().splitlines() or [type(exc).__name__])[0]}") from exc
    return columns, [dict(zip(columns, t, strict=True)) for t in triples]


def _uses_graph(node: Any) -> bool:
    """Whether a parsed query has a GRAPH pattern."""
    if getattr(node, "name", None) in ("Graph", "GraphGraphPattern"):
        return True
    if isinstance(node, dict):
        return any(_uses_graph(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_graph(v) for v in node)
    return False


def _as_dataset(graph: Graph) -> Dataset:
    dataset = Dataset(default_union=True)
    for triple in graph:
        dataset.add(triple)
    return dataset
