"""Quotes and sayings: where the quoted passages are, the quote of a sentence, and which category
a verb of saying takes from what is said."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from newsgraph.ingest.events.context import Context
from newsgraph.ingest.events.lexicon import Lexicon
from newsgraph.ingest.events.raw import Trigger
from newsgraph.ingest.nlp import doc_text

QUOTE_CHARS = "\"“”‘’'"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted passages (straight or curly double quotes, or curly single quotes)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“[^”]{2,}?(?:”|$)|\"[^\"\n]{2,}?(?:\"|$)|‘[^’]{3,}?’(?!\w)", text, flags=re.M):
        start, end = m.start(), m.end()
        # A quote over several paragraphs reopens each paragraph and closes only at its end:
        # a paragraph left open continues into the next one that opens with the same mark.
        if spans and text[spans[-1][1] - 1] not in '”"’' and not text[spans[-1][1] : start].strip():
            start = spans.pop()[0]
        spans.append((start, end))
    return spans


def quote_in(ctx: Context, sent: Span) -> str | None:
    """The quoted passages of a sentence (of three words or more), joined by " … "."""
    parts = [doc_text(ctx.doc)[s:e].strip(QUOTE_CHARS + " ") for s, e in ctx.quotes_of(sent.start_char, sent.end_char)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return " … ".join(parts) if parts else None


def classify_speech(ctx: Context, trig: Trigger, sent: Span) -> str:
    """The category a verb of saying takes from what is said: the first whose cues it carries."""
    tok = trig.token
    said = " ".join(t.text for t in _said(ctx.lex, tok))
    # The quote counts when the saying has no words of its own ("X said: '…'"); "said the report
    # described the worst findings and said the Home Office needed to act" is two sayings.
    quote = quote_in(ctx, sent)
    if said.strip() and quote and not any(q in said for q in _quote_words(quote)):
        quote = None
    text = f" {said} {quote or ''} ".lower()
    if not said.strip() and not quote:
        return trig.category
    for cat in (name for name, kind in ctx.lex.categories.items() if kind.from_saying):
        if has_cue(text, ctx.lex.speech_cues.get(cat, [])):
            return cat
    return trig.category


def _said(lex: Lexicon, tok: Token) -> list[Token]:
    """The words a verb of saying reports, without a second saying the parser hung inside them
    ('said the report described … and said the Home Office needed to intervene')."""
    out = []
    for c in tok.children:
        if c.dep_ not in ("ccomp", "dobj", "xcomp"):
            continue
        nested = {t.i for d in c.subtree if d.i != tok.i and d.dep_ == "conj" and lex.is_saying(d) for t in d.subtree}
        out.extend(t for t in c.subtree if t.i not in nested)
    return out


def after_quote(tok: Token) -> bool:
    """Whether a verb comes straight after a closing quote ('…,” stated the CMA')."""
    before = [t.text for t in tok.doc[max(0, tok.i - 2) : tok.i]]
    return bool(before) and (before[-1] in "”\"'’" or (before[-1] == "," and len(before) == 2 and before[0] in "”\"'’"))


def _quote_words(quote: str) -> list[str]:
    """A few words of each part of a quote, to see whether a clause contains it."""
    return [" ".join(part.split()[:3]) for part in quote.split(" … ") if part.split()]


def has_cue(text: str, cues: list[str]) -> bool:
    """Whether a word of `text` starts with one of the cues."""
    return bool(cues) and _cue_pattern(tuple(cues)).search(text) is not None


@lru_cache(maxsize=256)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, cues)) + ")")
