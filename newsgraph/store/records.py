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
class ReportRecord:
    """One article's report of an event: where it tells it, and how."""

    article: str  # article id
    evidence: str  # the sentence
    start: int  # evidence offsets into the article body
    end: int
    sentence: int  # the sentence's index in the article
    trigger: str
    date: str | None  # the date this report gives, None when it gives none
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    id: str  # the extraction's event id


@dataclass
class EventRecord:
    """One real event and its reports (store/consolidate.py), by article date. Its `lead` is the
    report it takes its id, date and trigger from (when a selection left it out, its first report);
    the event's `article`, `evidence`, `start` and `end` are the lead's."""

    id: str
    category: str
    trigger: str
    date: str | None  # the most precise date its reports give
    date_text: str | None
    modality: str
    confidence: float
    quote: str | None
    agents: list[str] = field(default_factory=list)  # actor ids
    patients: list[str] = field(default_factory=list)
    reports: list[ReportRecord] = field(default_factory=list)

    @property
    def lead(self) -> ReportRecord:
        return next((r for r in self.reports if r.id == self.id), self.reports[0])

    @property
    def articles(self) -> list[str]:
        """The ids of the articles reporting it, in report order."""
        return [r.article for r in self.reports]

    @property
    def article(self) -> str:
        return self.lead.article

    @property
    def evidence(self) -> str:
        return self.lead.evidence

    @property
    def start(self) -> int:
        return self.lead.start

    @property
    def end(self) -> int:
        return self.lead.end


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
