"""The graph as plain records: what a store hands out (snapshot) and says about each write."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleRecord:
    id: str
    source: str
    url: str | None
    title: str | None
    date: str | None
    outlet: str | None
    content_hash: str
    pipeline: str | None = None  # the NLP pipeline that extracted it, "en_core_web_md 3.8.0"


@dataclass
class ActorRecord:
    id: str
    name: str
    kind: str  # Person | Organisation | Place | Document | Other
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # ids of the articles that mention the actor


@dataclass
class EventRecord:
    id: str
    category: str
    trigger: str
    date: str | None
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    article: str  # article id
    evidence: str
    start: int  # evidence offsets into the article body
    end: int
    agents: list[str] = field(default_factory=list)  # actor ids
    patients: list[str] = field(default_factory=list)


@dataclass
class RoleRecord:
    holder: str  # actor id
    organisation: str | None  # actor id, or None when the article names no organisation for it
    title: str
    article: str


@dataclass
class GraphSnapshot:
    """The whole graph, or a selection of it, as plain records: what RDF export, viz and analytics
    consume. Every backend and the graph built in memory give them in one order (selection.order)."""

    articles: list[ArticleRecord] = field(default_factory=list)
    actors: list[ActorRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    roles: list[RoleRecord] = field(default_factory=list)


@dataclass
class WriteResult:
    article: str
    status: str  # "added" | "replaced" | "unchanged"
    events: int = 0
    actors: int = 0


@dataclass
class WriteStats:
    """What the writes of a store's last write_many took: transactions begun (a retried one counts
    each time), retries after transient errors and how many of those were deadlocks, and the most
    writers that had a transaction open at once."""

    transactions: int = 0
    retries: int = 0
    deadlocks: int = 0
    peak_writers: int = 0
