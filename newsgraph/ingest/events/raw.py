"""What the event jobs hand each other: a Trigger found in a sentence and the RawEvent built on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsgraph.ingest.entities import Cluster
from newsgraph.ingest.events.lexicon import VerbRule


@dataclass
class Trigger:
    token: Token
    category: str
    rule: VerbRule
    text: str
    start: int
    end: int
    nominal: bool = False


@dataclass
class RawEvent:
    category: str
    trigger: Trigger
    sentence: Span
    sent_index: int
    agents: list[Cluster] = field(default_factory=list)
    patients: list[Cluster] = field(default_factory=list)
    modality: str = "asserted"
    quote: str | None = None
    confidence: float = 0.5
    tense: str | None = None
    # What the trained layer saw of its trigger (its features), when the model decided it.
    features: dict[str, float] = field(default_factory=dict)
