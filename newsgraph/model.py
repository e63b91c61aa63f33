"""The one data model: Article, Mention, Entity, Event, Extraction, and their lossless JSON form.

Ids are deterministic: they are derived from content (article body, names, offsets), never from
time, randomness or process state, so the same input gives the same ids on every run and machine.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Literal

EntityType = Literal["Person", "Organisation", "Place", "Document", "Other"]
ENTITY_TYPES: tuple[str, ...] = ("Person", "Organisation", "Place", "Document", "Other")
MODALITIES: tuple[str, ...] = ("asserted", "planned", "demanded", "negated", "reported")
# The source of an article read from standard input ("<stdin>", or "<stdin>:3" for a JSONL line).
# It names no place the article can be read from again, so it never identifies an article.
STDIN_SOURCE = "<stdin>"


def normalise_body(text: str) -> str:
    """The body as hashed: NFC, unified newlines, trailing spaces and outer blank lines removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(body: str) -> str:
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short deterministic id: prefix + sha256 of the parts joined by a unit separator."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:length]}"


SHORT_ID_DIGITS = 8


def short_event_id(event_id: str) -> str:
    """An event id as tables and pages print it: the prefix and the first 8 hex digits of the hash
    (`ev_1a2b3c4d`). `newsgraph explain` takes it, or any longer part of the id, like the whole."""
    prefix, sep, digest = event_id.partition("_")
    return f"{prefix}_{digest[:SHORT_ID_DIGITS]}" if sep else event_id


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def straight_apostrophes(text: str) -> str:
    """Typographic apostrophes as the straight one: "Commissioner’s" and "Commissioner's" are one
    name (in an id, NFKD would drop the first and split on the second)."""
    return text.translate(_APOSTROPHES)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", straight_apostrophes(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def actor_id(name: str, type_: str) -> str:
    """Actors are keyed by type and canonical name, so one real-world actor is one node across articles."""
    return f"{type_.lower()}:{slug(name)}"


class _JSON:
    """Shared to_dict/from_dict for the model's dataclasses (nested lists of models included)."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {}
        for key, value in data.items():
            if key not in known:
                continue
            nested = cls._nested.get(key)
            if nested is not None and value is not None:
                value = [nested.from_dict(v) for v in value] if isinstance(value, list) else nested.from_dict(value)
            kwargs[key] = value
        return cls(**kwargs)


def replacing_source(source: str | None) -> str | None:
    """The source by which a new version of an article replaces the stored one: the file or URL it
    came from, never standard input (two texts piped in on two runs are two articles)."""
    if source is None or source == STDIN_SOURCE or source.startswith(STDIN_SOURCE + ":"):
        return None
    return source


@dataclass
class Article(_JSON):
    body: str
    source: str
    url: str | None = None
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    id: str = ""
    content_hash: str = ""

    def __post_init__(self) -> None:
        self.body = normalise_body(self.body)
        if not self.content_hash:
            self.content_hash = content_hash(self.body)
        if not self.id:
            self.id = "art_" + self.content_hash[:16]


@dataclass
class Mention(_JSON):
    text: str
    start: int
    end: int
    sentence: int


@dataclass
class Entity(_JSON):
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # titles the text gives ("chief inspector")
    affiliation: str | None = None  # entity id of the organisation the text ties this actor to
    source: str = "ner"  # ner | gazetteer | description | group

    _nested: ClassVar[dict[str, type]] = {"mentions": Mention}


@dataclass
class Event(_JSON):
    id: str
    category: str
    trigger: str
    trigger_start: int
    trigger_end: int
    agents: list[str]
    patients: list[str]
    evidence: str
    evidence_start: int
    evidence_end: int
    sentence: int
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_text: str | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    quote: str | None = None
    plover: str | None = None


@dataclass
class Extraction(_JSON):
    article: Article
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pipeline: dict[str, str] = field(default_factory=dict)  # name and version of the NLP pipeline

    _nested: ClassVar[dict[str, type]] = {"article": Article, "entities": Entity, "events": Event}

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)
