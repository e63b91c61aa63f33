"""The Store protocol: every method callers use, which every backend implements. It imports no
backend; newsgraph.store finds them by URI scheme."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from newsgraph.errors import QueryError
from newsgraph.model import Extraction
from newsgraph.store.records import GraphSnapshot, WriteResult, WriteStats
from newsgraph.store.selection import Selection

# actor id -> the merge records cross-article resolution made into it (graph/resolve.py)
Merges = dict[str, list[str]]


@runtime_checkable
class Store(Protocol):
    """A graph store. Writes are one transaction per article and idempotent; what spans articles
    (aliases, roles, co-mention counts) is up to date once a write, write_many or remove returns."""

    uri: str
    backend: str  # "embedded" | "neo4j": which catalogue variant (NAME.BACKEND.cypher) it runs
    read_only: bool

    def write(self, extraction: Extraction, merges: Merges | None = None) -> WriteResult:
        """Store one article: "added", "replaced" (its url or source was stored with other content:
        the old facts go) or "unchanged" (its content is stored)."""
        ...

    def write_many(self, items: Iterable[tuple[Extraction, Merges]], *, writers: int = 1) -> Iterator[WriteResult]:
        """Store articles already resolved against each other and the store, one transaction each,
        with up to `writers` at once where the backend allows more than one; results in input order.
        The graph is the one writing them one by one gives."""
        ...

    @property
    def write_stats(self) -> WriteStats:
        """What the last write_many took: transactions, retries, deadlocks, writers at once."""
        ...

    def remove(self, article: str) -> bool:
        """Remove an article (by id, url or source) and the actors and events left without any article."""
        ...

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only statement; a write attempt raises QueryError."""
        ...

    def snapshot(self, selection: Selection | None = None) -> GraphSnapshot:
        """The graph, or the part a Selection names (selection.select), as plain records."""
        ...

    def counts(self) -> dict[str, int]:
        """Numbers of articles, actors, events and relationships, for summaries and tests."""
        ...

    def upgrade(self) -> dict[str, int]:
        """Fill what every write keeps up to date (KEPT_UP) where a store made before it lacks it;
        how many events and pairs of actors it filled (none when the store is up to date)."""
        ...

    def keep_apart(self, actor: str, names: Iterable[str]) -> bool:
        """Record names cross-article resolution must never merge into this actor (`Actor.not_same`,
        kept as long as the actor is); False when the store holds no such actor."""
        ...

    def set_actor_metrics(self, metrics: dict[str, dict[str, float | int]]) -> int:
        """Store network metrics (schema.ACTOR_METRICS) as actor properties, replacing any earlier
        analysis; how many actors were written."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


# What every write keeps up to date for the catalogue's unfiltered queries, and a store made
# before it lacks until upgraded: Event.sort_key (consolidate.event_sort_key), a CO_MENTIONED edge
# from the smaller id of each pair of actors that share articles, with how many (`articles`), and
# Actor.co_mention_max, the most articles the actor shares with any one other actor (0 for none);
# and the events one per real event (store/consolidate.py), with their `reports` and the `report`
# each REPORTED_IN carries.
KEPT_UP = re.compile(r"\b(sort_key|co_mention_max|CO_MENTIONED)\b|\.reports?\b")


def outdated_store(where: str, uri: str) -> QueryError:
    """The error for a query that reads KEPT_UP data on a store made before it was kept."""
    return QueryError(
        f"{where} was made by an older newsgraph and lacks the event sort keys and co-mention counts"
        f" this query reads; add them with: newsgraph upgrade --store {uri}"
    )
