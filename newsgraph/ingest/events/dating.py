"""When an event happened: the time expression of its sentence that governs it, resolved against
the article's date, else the day of the article's news (its date, or the earlier day its lead gives
the news) when the event is that news."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from spacy.tokens import Span, Token

from newsgraph.ingest.dates import find_time_expressions, resolve
from newsgraph.ingest.events.modality import WILL_AUX
from newsgraph.ingest.events.raw import RawEvent
from newsgraph.ingest.nlp import doc_text, is_heading, per_doc, span_ents, token_children, token_lowers
from newsgraph.ingest.taxonomy import Category
from newsgraph.model import Article

# Past-tense narration of background ("had warned", "previously said") carries no article date.
BACKGROUND_WORDS = {"previously", "earlier", "formerly", "once", "originally", "already"}
# ... but for a present perfect, where "already" tells of the news itself: "has already hit out".
RECENT_WITH_PERFECT = {"already"}
DATE_LABELS = ("DATE", "TIME")
DEADLINE_WORDS = {"by", "until", "before", "till"}
NEWS_DAY_LAG = 6  # a lead's "on Wednesday" names the news day at most this many days before the article's date
PLAN_AUX = WILL_AUX | {"would", "to"}  # "will strike on Thursday", "is to strike", "would strike"


def event_date(
    article: Article, ev: RawEvent, kinds: dict[str, Category], is_news: Callable[[RawEvent], bool] | None = None
) -> tuple[str | None, str | None]:
    """The date the sentence gives the event, resolved against the article date, else the day of the
    article's news (`news_day`) when the event is that news (`is_news`, a trained decision, says so;
    without it, every event not told as background is). Told as background: a pluperfect, or a
    verb with "previously", "earlier" ... ("already" but in a present perfect: "has already hit
    out" is the news). A plan or a future no time phrase dates is no event of the news day."""
    sent = ev.sentence
    kind = kinds[ev.category]
    tense = (
        "future"
        if ev.tense == "future" or ev.modality == "planned"
        else ("past" if ev.tense in ("past", "perfect", "pluperfect") or kind.always_past else None)
    )
    candidates: list[tuple[int, str]] = []
    for ent in span_ents(sent):
        if ent.label_ in DATE_LABELS:
            candidates.append((ent.start_char, ent.text))
    for start, _end, text in _time_expressions(sent):
        pos = sent.start_char + start
        if not any(abs(pos - s) < 3 for s, _ in candidates):
            candidates.append((pos, text))
    trig = ev.trigger.start
    anchor = _clause_verb(ev.trigger.token)
    own_phrase = kind.dated_by_own_phrase and ev.trigger.nominal
    for pos, text in sorted(candidates, key=lambda c: abs(c[0] - trig)):
        at = _token_at(sent, pos)
        verb = _clause_verb(at)
        if own_phrase and not ev.trigger.token.is_ancestor(at):
            continue  # "an inquest into the death of X opened on Monday": Monday is the inquest's
        if not own_phrase and not _governs(at, verb, anchor):
            continue  # "called on them to publish a plan by 7 February": the date is the plan's
        if not own_phrase and _dates_a_noun(sent, pos, text, verb, anchor, ev.trigger.token):
            continue  # "condemned the violence of last week's protests": the protests' date
        if _reports_it(ev, kind, anchor, verb):
            continue  # "Doctors will strike in January, the BMA has announced": the strike's date
        resolved = resolve(text, article.date, tense=tense)
        other_year = (
            resolved is not None and resolved.granularity == "year" and resolved.value != (article.date or "")[:4]
        )
        if other_year and verb.i == anchor.i:
            return None, text  # "sacked in 2012": another year, at no finer grain than the year
        if resolved is not None and resolved.granularity in ("day", "month"):
            if tense == "past" and article.date and resolved.value[:7] > article.date[:7]:
                continue  # "From September 2026 … the government has announced": the policy's date
            return resolved.value, text
    if article.date is None or own_phrase:
        return None, None  # "the inquest into the death of X" refers to a death; it does not date it
    # "previously said", not "earlier this month": the words the clause's verb governs (itself, as the root)
    lowers = token_lowers(sent.doc)
    words = {lowers[c] for c in token_children(sent.doc)[anchor.i]}
    if anchor.head.i == anchor.i:
        words.add(lowers[anchor.i])
    background = words & BACKGROUND_WORDS
    if ev.tense == "perfect":
        background -= RECENT_WITH_PERFECT
    if ev.tense == "pluperfect" or background:
        return None, None
    if tense == "future":
        return None, None  # a plan no time phrase dates is no event of the news day: "says he will step down"
    if is_news is not None and not is_news(ev):
        return None, None  # background the text does not date: "Moscow has repeatedly denied …"
    return news_day(article, sent.doc), None


def news_day(article: Article, doc) -> str | None:
    """The day of the article's news: the article's date, unless its lead sentence tells the news
    as done on an earlier day of the week before it ("… said on Wednesday", "was fined yesterday"
    in a story dated Thursday) and names no time of the article's own day."""
    return per_doc(doc, f"newsgraph.news_day.{article.date}", lambda: _lead_day(article, doc))


def _lead_day(article: Article, doc) -> str | None:
    try:
        earliest = (dt.date.fromisoformat(article.date or "") - dt.timedelta(days=NEWS_DAY_LAG)).isoformat()
    except ValueError:
        return article.date  # no date, or only a month: nothing to count back from
    lead = next((s for s in doc.sents if not is_heading(s)), None)  # not a standfirst above it
    if lead is None:
        return article.date
    days = set()
    for start, _end, text in _time_expressions(lead):
        verb = _clause_verb(_token_at(lead, lead.start_char + start))
        if {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")} & PLAN_AUX:
            continue  # "will strike on Thursday": a plan, not the day of the news
        resolved = resolve(text, article.date, tense="past")
        if resolved is not None and resolved.granularity == "day":
            days.add(resolved.value)
    if article.date in days:
        return article.date
    return max((d for d in days if earliest <= d < article.date), default=article.date)


def _dates_a_noun(sent: Span, pos: int, text: str, verb: Token, anchor: Token, trigger: Token) -> bool:
    """Whether the time phrase at `pos` is a bare modifier of a noun other than the trigger ("the
    violence of last week's protests", "the violence at events this week"): it dates that noun's
    occasion, not the clause's verb, unless the noun is where the event itself happened (a
    preposition's object hung on the trigger's verb: "said during Thursday's meeting"). A phrase
    with a preposition ("the report on Monday") is left to the clause, as the parser often hangs it
    on the wrong word."""
    span = sent.doc.char_span(pos, pos + len(text), alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root.head
    if head.i in (verb.i, trigger.i, span.root.i) or head.pos_ not in ("NOUN", "PROPN"):
        return False
    return not (head.dep_ == "pobj" and head.head.head.i == anchor.i)


def _time_expressions(sent: Span) -> tuple[tuple[int, int, str], ...]:
    """The sentence's time expressions, found once per sentence of a document (each of its events asks)."""
    found = per_doc(sent.doc, "newsgraph.time_expressions", dict)
    key = (sent.start_char, sent.end_char)
    if key not in found:
        found[key] = find_time_expressions(doc_text(sent.doc)[sent.start_char : sent.end_char])
    return found[key]


NEWS_WORDS = {"today", "now", "yesterday", "tonight", "this", "latest", "new", "announced"}
# Words that place what a sentence tells in a story's past or in a sequence ("has repeatedly
# denied", "two years ago", "days after", "since then"): the dating model weighs them.
HISTORY_WORDS = {"repeatedly", "since", "ago", "after", "then"}
YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def news_features(ev: RawEvent, in_quote: bool, headline: frozenset[str] = frozenset()) -> dict[str, float]:
    """What tells an event that is the article's news from background the text does not date; with
    the article's `headline` (headline_words of its title), whether it has the trigger's word
    ("to appeal", "fined")."""
    tok = ev.trigger.token
    verb = _clause_verb(tok)
    f: dict[str, float] = {f"category={ev.category}": 1.0, f"tense={ev.tense}": 1.0, f"modality={ev.modality}": 1.0}
    f[f"tag={verb.tag_}"] = 1.0
    f[f"dep={verb.dep_}"] = 1.0
    f[f"tense={ev.tense}|dep={verb.dep_}"] = 1.0
    if verb.dep_ in ("ccomp", "conj", "xcomp", "advcl") and verb.head.i != verb.i:
        f[f"head_tag={verb.head.tag_}"] = 1.0
    for c in verb.children:
        if c.dep_ in ("aux", "auxpass"):
            f[f"aux={c.lower_}"] = 1.0
        if c.dep_ in ("advmod", "npadvmod"):
            f[f"advmod={c.lower_}"] = 1.0
    if ev.trigger.nominal:
        f["nominal"] = 1.0
    position = ev.sent_index
    f["lead" if position == 0 else "second" if position == 1 else "early" if position < 5 else "later"] = 1.0
    if in_quote:
        f["in_quote"] = 1.0
    if ev.quote:
        f["quotes"] = 1.0
    words = set(token_lowers(tok.doc)[ev.sentence.start : ev.sentence.end])
    for w in sorted(words & (BACKGROUND_WORDS | NEWS_WORDS | HISTORY_WORDS)):
        f[f"word={w}"] = 1.0
    dates = [e for e in span_ents(ev.sentence) if e.label_ in DATE_LABELS]
    if dates:
        f["sentence_dated"] = 1.0
    if any(YEAR.search(e.text) for e in dates):
        f["sentence_year"] = 1.0  # "after she left in 2021": a year no time rule gave the event
    if _stem(tok.lower_) in headline or _stem(tok.lemma_.lower()) in headline:
        f["headline_trigger"] = 1.0
    return f


def headline_words(title: str | None) -> frozenset[str]:
    """The words of an article's title as news_features compares them with a trigger (none without one)."""
    return frozenset(_stem(w) for w in re.findall(r"[\w'’-]+", (title or "").lower()))


def _stem(word: str) -> str:
    """A word's first five letters: "appeal" / "appeals", "fined" / "fines" match a headline's."""
    return word.strip("'’-")[:5]


def _clause_verb(tok: Token) -> Token:
    """The verb whose clause a token belongs to (a noun trigger's governing verb, or itself)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _token_at(sent: Span, pos: int) -> Token:
    """The token at a character offset of the sentence (its root when none is)."""
    span = sent.doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else sent.root


def _reports_it(ev: RawEvent, kind: Category, anchor: Token, verb: Token) -> bool:
    """Whether a time expression's clause is what a saying or announcement reports, not the saying:
    below it ('announced that doctors will strike in January') or, when the saying is hung on the
    clause it reports, above it ('Doctors will strike in January, the BMA has announced')."""
    says = ev.trigger.rule.speech or kind.announces
    if not says or verb.i == anchor.i:
        return False
    hung = anchor.dep_ in ("advcl", "parataxis", "ccomp") and anchor.i > anchor.head.i and anchor.tag_ != "VBG"
    return anchor.is_ancestor(verb) or (hung and verb.is_ancestor(anchor))


def _governs(at: Token, verb: Token, anchor: Token) -> bool:
    """A time expression (first token `at`, in the clause of `verb`) dates an event when its clause
    is the trigger's clause or one above it."""
    if verb.i == anchor.i or verb.is_ancestor(anchor) or verb.pos_ not in ("VERB", "AUX"):
        return True
    # A deadline in a subordinate clause dates what is asked for, not the asking:
    # "called on them to publish a plan by 7 February". Other subordinate dates still count:
    # "said she would be writing to confirm this tomorrow".
    before = at.doc[at.i - 1].lower_ if at.i > 0 else ""
    if before in DEADLINE_WORDS or not anchor.is_ancestor(verb):
        return False
    # A relative clause dates its noun: "issued a report following an inquest that concluded
    # earlier this month" says when the inquest concluded, not when the report was issued.
    node = verb
    while node.i != anchor.i:
        if node.dep_ in ("relcl", "acl"):
            return False
        node = node.head
    return True
