"""What every event job reads of one article: its parse, its actors, the lexicon, its sentences and quotes."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events.lexicon import Lexicon


@dataclass(frozen=True)
class Context:
    doc: Doc
    ents: ArticleEntities
    lex: Lexicon
    sents: list[Span]
    quotes: list[tuple[int, int]]  # character ranges of the quoted passages
