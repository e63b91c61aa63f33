"""The events of a whole article made one each: the same event told twice, a statement told again,
documents acting through their authors, decisions and the bodies a resignation leaves."""

from __future__ import annotations

from newsgraph.ingest.entities import Cluster
from newsgraph.ingest.events.actors import Actors
from newsgraph.ingest.events.raw import RawEvent
from newsgraph.ingest.events.speech import after_quote
from newsgraph.ingest.events.syntax import RELATIVE_PRONOUNS, SUBJ, complement
from newsgraph.ingest.taxonomy import Category
from newsgraph.model import Event

DECISIONS = {"decision", "ruling", "judgement", "judgment", "verdict", "finding", "findings", "report", "move"}


def consolidate(events: list[RawEvent], actors: Actors) -> list[RawEvent]:
    """The article's events once each, with the parties the article gives elsewhere."""
    kinds = actors.ctx.lex.categories
    events = told_once(events)
    decision_makers(events, actors, kinds)
    authors_for_documents(events, kinds)
    return bodies_left(first_statements(dedupe(events, kinds), kinds), kinds)


def dedupe(events: list[RawEvent], kinds: dict[str, Category]) -> list[RawEvent]:
    """One event per category, agent set and sentence (a plain saying whatever it is about): a quote
    on one occasion is one event."""
    seen: set[tuple] = set()
    out = []
    for ev in events:
        key = (ev.sent_index, ev.category, tuple(id(a) for a in ev.agents), tuple(id(p) for p in ev.patients))
        loose = (ev.sent_index, ev.category, tuple(id(a) for a in ev.agents))
        if key in seen or (kinds[ev.category].plain_saying and loose in seen):
            continue
        seen.add(key)
        seen.add(loose)
        out.append(ev)
    return out


def told_once(events: list[RawEvent]) -> list[RawEvent]:
    """'The Supreme Court has ruled … in a verdict delivered this morning': the noun names the
    event the verb tells, not a second one."""
    verbal = {(ev.sent_index, ev.category) for ev in events if not ev.trigger.nominal}
    return [ev for ev in events if not (ev.trigger.nominal and (ev.sent_index, ev.category) in verbal)]


def bodies_left(events: list[RawEvent], kinds: dict[str, Category]) -> list[RawEvent]:
    """A resignation told again without its body ('his decision to stand down') is from the body
    the article gives for that person's resignation elsewhere."""
    bodies: dict[tuple[int, ...], list[Cluster]] = {}
    for ev in events:
        if kinds[ev.category].patient_from_other_telling and ev.patients:
            bodies.setdefault(tuple(sorted(id(a) for a in ev.agents)), ev.patients)
    for ev in events:
        if kinds[ev.category].patient_from_other_telling and not ev.patients:
            ev.patients = list(bodies.get(tuple(sorted(id(a) for a in ev.agents)), []))
    return events


def authors_for_documents(events: list[RawEvent], kinds: dict[str, Category]) -> None:
    """'The report called on…': a document acts through its author, the agent of its publication."""
    authors: dict[int, list[Cluster]] = {}
    for ev in events:
        if kinds[ev.category].authors_documents:
            for doc in ev.patients:
                if doc.type == "Document" and ev.agents:
                    authors.setdefault(id(doc), ev.agents)
    for ev in events:
        if any(a.type == "Document" for a in ev.agents):
            replaced: list[Cluster] = []
            for a in ev.agents:
                for x in authors.get(id(a), [a]) if a.type == "Document" else [a]:
                    if x not in replaced:
                        replaced.append(x)
            ev.agents = replaced


def first_statements(events: list[RawEvent], kinds: dict[str, Category]) -> list[RawEvent]:
    """A plain statement counts once per speaker: later 'she said' lines go on with the same quote.

    The same speaker's words in a sentence that already makes them a demand, a criticism or a
    response are that event, not a second, plain statement; nor is a saying that only reports
    another event.
    """

    def speakers(ev: RawEvent) -> tuple[int, ...]:
        return tuple(sorted(id(a) for a in ev.agents))

    def plain(ev: RawEvent) -> bool:
        return kinds[ev.category].plain_saying

    # The events of each sentence and of each trigger token, for the events left at each step below:
    # the questions each step asks are about one sentence or one clause, not the whole article.
    in_sentence: dict[int, list[RawEvent]] = {}
    at_token: dict[int, list[RawEvent]] = {}

    def index(evs: list[RawEvent]) -> None:
        in_sentence.clear()
        at_token.clear()
        for ev in evs:
            in_sentence.setdefault(ev.sent_index, []).append(ev)
            at_token.setdefault(ev.trigger.token.i, []).append(ev)

    def reports_other_event(ev: RawEvent) -> bool:
        """'NHS England said Sir Simon notified the board…': the saying only sources another event."""
        said = complement(ev.trigger.token)
        return any(not plain(other) and other.trigger.token.i in said for other in in_sentence[ev.sent_index])

    def reports_same_kind(ev: RawEvent) -> bool:
        said = complement(ev.trigger.token)
        return any(other is not ev and other.category == ev.category for i in said for other in at_token.get(i, ()))

    def acted_too(ev: RawEvent) -> bool:
        """What someone said is the content of what they did in that sentence, not an event of its
        own, when the act is the saying's means ('have warned of a risk … in a letter sent to the
        DfE'), or the saying comes along with it ('has apologised but says') or in an aside ('the
        disaster she said households face'). A saying added by a participle ('wrote to him, saying
        that …') stays; so does a judge's finding beside the ruling."""
        said = ev.trigger.token
        content = complement(said)
        aside = said.dep_ == "relcl" and not any(
            c.dep_ in SUBJ and c.lower_ in RELATIVE_PRONOUNS for c in said.children
        )
        for other in in_sentence[ev.sent_index]:
            if (
                other.trigger.rule.speech
                or not kinds[other.category].absorbs_sayings
                or not set(speakers(ev)) & set(speakers(other))
            ):
                continue
            act = other.trigger.token
            means = act.i not in content and any(t.i == act.i for t in said.subtree)
            alongside = said.dep_ == "conj" and said.head.i == act.i
            if means or alongside or aside:
                return True
        return False

    def introduces_quote(ev: RawEvent) -> bool:
        """'X issued the following statement:' opens a quote whose own events by X say what it said."""
        if not ev.sentence.text.strip().endswith(":"):
            return False
        return any(
            not plain(other) and set(speakers(ev)) & set(speakers(other))
            for k in range(ev.sent_index + 1, ev.sent_index + 7)
            for other in in_sentence.get(k, ())
        )

    index(events)
    events = [ev for ev in events if not (ev.trigger.rule.speech and ev.agents and acted_too(ev))]
    index(events)
    # "Leora Cruddas said the trust has requested a meeting": the request, not a second demand.
    events = [ev for ev in events if not (ev.trigger.rule.speech and not plain(ev) and reports_same_kind(ev))]
    index(events)
    events = [ev for ev in events if not (plain(ev) and ev.agents and introduces_quote(ev))]
    index(events)
    framed = {(ev.sent_index, speakers(ev)) for ev in events if kinds[ev.category].from_saying}
    spoken: set[tuple[int, ...]] = set()
    out = []
    for ev in events:
        if plain(ev):
            if (ev.sent_index, speakers(ev)) in framed or speakers(ev) in spoken or reports_other_event(ev):
                continue
            spoken.add(speakers(ev))
        out.append(ev)
    return out


def decision_makers(events: list[RawEvent], actors: Actors, kinds: dict[str, Category]) -> None:
    """'We're disappointed that this decision …', 'will appeal the decision': criticism, response
    or appeal without a named party is aimed at whoever made the decision the article reports."""
    deciders = [
        (ev.sent_index, a)
        for ev in events
        if kinds[ev.category].decides
        for a in ev.agents
        if a.type in ("Organisation", "Person")
    ]
    for ev in events:
        if ev.patients or not kinds[ev.category].aimed_at_decision or ev.trigger.nominal:
            continue
        tok = ev.trigger.token
        scope = [t for c in tok.children if c.dep_ in ("dobj", "ccomp", "xcomp", "prep") for t in c.subtree]
        if ev.trigger.rule.speech and not scope or after_quote(tok):
            scope = [t for t in ev.sentence if t.i < tok.i]  # '"… this decision …," said X'
        decision = next((t for t in scope if t.lemma_.lower() in DECISIONS and t.tag_ != "NNS"), None)
        if decision is None or not any(c.dep_ in ("det", "poss") for c in decision.children):
            continue
        owner = [a for c in decision.children if c.dep_ == "poss" for a in actors.actors_in(c, 0)]
        earlier = next(([a] for at, a in deciders if at <= ev.sent_index and a not in ev.agents), [])
        maker = owner or earlier
        ev.patients = [a for a in maker if a not in ev.agents]


def once_per_patient(events: list[Event], kinds: dict[str, Category]) -> list[Event]:
    """An event told once per patient (a death) is one event however often the article returns to
    it: the first telling that says when ('her death on 8 January') stands, else the first."""
    tellings: dict[tuple[str, ...], list[Event]] = {}
    for ev in events:
        if kinds[ev.category].once_per_patient:
            tellings.setdefault(tuple(sorted(ev.patients)), []).append(ev)
    keep = {next((ev for ev in group if ev.date_text), group[0]).id for group in tellings.values()}
    return [ev for ev in events if not kinds[ev.category].once_per_patient or ev.id in keep]
