"""What every event job reads of one article: its parse, its actors, the lexicon, its sentences and quotes."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events.lexicon import Lexicon


@dataclass(frozen=True)
class Context:
    doc: Doc
    ents: ArticleEntities
    lex: Lexicon
    sents: list[Span]
    quotes: list[tuple[int, int]]  # character ranges of the quoted passages, in order, never overlapping
    # Indexes built once, so that finding a token's sentence or quote is a bisection, not a walk
    # over the article (which made extraction quadratic in its length).
    sent_starts: list[int] = field(init=False, repr=False, compare=False)  # first token of each sentence
    sent_chars: list[int] = field(init=False, repr=False, compare=False)  # its first character
    quote_starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sent_starts", [s.start for s in self.sents])
        object.__setattr__(self, "sent_chars", [s.start_char for s in self.sents])
        object.__setattr__(self, "quote_starts", [s for s, _ in self.quotes])

    def sentence_index(self, token_i: int) -> int:
        """The index in `sents` of the sentence a token belongs to."""
        return bisect_right(self.sent_starts, token_i) - 1

    def sentence_at(self, offset: int, closing: bool = False) -> int | None:
        """The sentence a character offset falls in (start <= offset < end), or with `closing` the
        one it closes (start < offset <= end); None in the whitespace between sentences."""
        k = (bisect_left(self.sent_chars, offset) if closing else bisect_right(self.sent_chars, offset)) - 1
        if k < 0:
            return None
        s = self.sents[k]
        inside = s.start_char < offset <= s.end_char if closing else s.start_char <= offset < s.end_char
        return k if inside else None

    def quote_at(self, offset: int) -> tuple[int, int] | None:
        """The quoted passage a character offset falls in."""
        k = bisect_right(self.quote_starts, offset) - 1
        return self.quotes[k] if k >= 0 and offset < self.quotes[k][1] else None

    def quotes_of(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quoted passages that open in [start, end) or run on into it, in order."""
        out = []
        k = bisect_left(self.quote_starts, start)
        if k > 0 and start < self.quotes[k - 1][1]:
            out.append(self.quotes[k - 1])
        while k < len(self.quotes) and self.quotes[k][0] < end:
            out.append(self.quotes[k])
            k += 1
        return out
