"""Who a noun phrase denotes: named actors, coordination, pronouns, "we" in a quote (the quote's
speaker), group words ("the unions"), spokespeople and a document's author."""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from newsgraph.ingest.entities import GROUP_WORDS, Cluster
from newsgraph.ingest.events.context import Context
from newsgraph.ingest.events.syntax import PASS_SUBJ, SUBJ, conjuncts
from newsgraph.ingest.nlp import is_heading

PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
FEMALE_TITLES = {"Ms", "Mrs", "Miss", "Dame", "Lady", "Baroness", "Queen", "Princess", "Duchess"}
MALE_TITLES = {"Mr", "Sir", "Lord", "Baron", "King", "Prince", "Duke"}
DOCUMENTS = {"report", "letter", "statement", "ruling", "judgment", "judgement", "finding"}
PLACES_OF_PEOPLE = {
    "school",
    "college",
    "university",
    "hospital",
    "trust",
    "council",
    "company",
    "firm",
    "department",
    "home",
    "family",
    "team",
    "party",
    "union",
    "office",
    "staff",
    "board",
    "business",
    "charity",
    "club",
    "employer",
}
SPOKESPEOPLE = {"spokesperson", "spokesman", "spokeswoman", "spokespeople", "representative"}


class Actors:
    """The actors of one article's noun phrases (one per article: it keeps what it is resolving)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        # Tokens whose actor is being worked out: "we" in a quote whose speaker is another "we"
        # (or a pronoun pointing back into the quote) must not send the lookup round in a circle.
        self._resolving: set[int] = set()
        self._mentions: dict[str, tuple[list[int], list[Cluster]]] | None = None

    def actors_in(self, tok: Token, depth: int = 2) -> list[Cluster]:
        """The entities a noun phrase headed by `tok` denotes, with coordination, pronouns and groups."""
        out: list[Cluster] = []
        heads = conjuncts(tok)
        # "the Department for Education and Ofsted": the parser may hang the second name on a word
        # inside the first ("Education"), so conjuncts of any word of a named mention count too.
        named = self.ctx.ents.at(tok.i)
        if named is not None:
            i = tok.i
            while i > 0 and self.ctx.ents.at(i - 1) is named:
                i -= 1
            j = tok.i
            while j + 1 < len(self.ctx.doc) and self.ctx.ents.at(j + 1) is named:
                j += 1
            for t in self.ctx.doc[i : j + 1]:
                heads.extend(c for h in (t,) for c in conjuncts(h)[1:] if c not in heads)
        for head in heads:
            cl = self._actor_of(head, depth)
            for c in cl:
                if c not in out:
                    out.append(c)
        return out

    def _actor_of(self, tok: Token, depth: int) -> list[Cluster]:
        cl = self.ctx.ents.at(tok.i)
        if cl is not None:
            return [cl]
        if tok.i in self._resolving:
            return []
        self._resolving.add(tok.i)
        try:
            return self._unnamed_actor_of(tok, depth)
        finally:
            self._resolving.discard(tok.i)

    def _unnamed_actor_of(self, tok: Token, depth: int) -> list[Cluster]:
        """The actor a pronoun, group word, spokesperson or description stands for."""
        low = tok.lower_
        if low in PRONOUNS_PERSON:
            ahead = self._subject_ahead(tok)
            if ahead is not None:
                return [ahead]
            prev = self._previous(tok, "Person")
            return [prev] if prev else []
        if low in ("we", "us", "our"):
            speaker = self.quote_speakers(tok)
            if speaker:
                return speaker
        subject = tok.dep_ in SUBJ + PASS_SUBJ or tok.head.dep_ in SUBJ + PASS_SUBJ
        if low in ("it", "its", "they", "their"):
            # "Microsoft said it will appeal": the body whose saying the pronoun sits in.
            speaker = self._reporting_subject(tok)
            if speaker and (low not in ("it", "its") or (len(speaker) == 1 and speaker[0].type == "Organisation")):
                return speaker
        if low in ("it", "its", "they", "their") and subject:
            # A subject pronoun goes on with the last sentence's subject: "It has been rated …".
            carried = self._previous_subject(tok)
            if carried and (low not in ("it", "its") or (len(carried) == 1 and carried[0].type == "Organisation")):
                return carried
        if low in ("they", "them"):
            group = self._previous_group(tok)
            if group:
                return group
        if low == "it":
            prev = self._previous(tok, "Organisation")
            return [prev] if prev else []
        if low in GROUP_WORDS or tok.lemma_.lower() in GROUP_WORDS.values() and tok.tag_ == "NNS":
            cls = GROUP_WORDS.get(low, tok.lemma_.lower())
            members = self.ctx.ents.clusters_of_class(cls)
            if len(members) >= 2:
                return members
        if low in SPOKESPEOPLE:
            # "a Microsoft spokesperson", "a spokesman for the council", "an alliance spokesperson",
            # "a company spokesperson": the body they speak for; unnamed, the one the story last
            # named before the quote.
            for child in tok.children:
                if child.dep_ == "compound" and child.pos_ == "NOUN":
                    named = [
                        c
                        for c in self.ctx.ents.clusters
                        if c.type == "Organisation" and c.name.lower().endswith(" " + child.lower_)
                    ]
                    if len(named) == 1:
                        return named
                if child.dep_ in ("compound", "poss") or (child.dep_ == "prep" and child.lower_ in ("for", "at", "of")):
                    target = (
                        next((g for g in child.children if g.dep_ == "pobj"), child) if child.dep_ == "prep" else child
                    )
                    found = self.actors_in(target, 0)
                    if found:
                        return found
            said = tok.head if tok.dep_ in SUBJ and self.ctx.lex.is_saying(tok.head) else None
            for clause in [c for c in said.children if c.dep_ == "ccomp"] if said is not None else []:
                # "The firm plans to appeal, a spokesman said": whom what is said is about
                subj = [a for g in clause.children if g.dep_ in SUBJ for a in self.actors_in(g, 0)]
                if len(subj) == 1 and subj[0].type == "Organisation":
                    return subj
            quote = next((q for q in self.ctx.quotes if q[0] < tok.idx and q[1] >= tok.sent.start_char), None)
            limit = min(tok.sent.start_char, quote[0]) if quote else tok.sent.start_char
            prev = self.ctx.ents.previous_org(limit)
            return [prev] if prev else []
        # An apposition names the head: "the cabinet member for finance, Priya Nair, …".
        for child in tok.children:
            if child.dep_ == "appos":
                found = self.actors_in(child, depth)
                if found:
                    return found
        # Compound and possessive modifiers: "Ofsted inspections", "the coroner's report".
        if depth > 0:
            for child in tok.children:
                if (
                    child.dep_ == "poss"
                    and child.lower_ in ("his", "her", "their")
                    and tok.lemma_.lower() in PLACES_OF_PEOPLE
                ):
                    continue  # "her school" is not her; "her conduct" and "its ability" are still theirs
                if child.dep_ in ("compound", "poss", "nmod", "amod") or (
                    child.dep_ == "prep" and child.lower_ == "of"
                ):
                    target = (
                        child if child.dep_ != "prep" else next((g for g in child.children if g.dep_ == "pobj"), None)
                    )
                    if target is not None:
                        found = self.actors_in(target, depth - 1)
                        if found:
                            return found
        return []

    def _subject_ahead(self, tok: Token) -> Cluster | None:
        """'In his response, Zahawi listed…': a pronoun before the main clause is its named subject;
        'Zahawi has criticised the media … after he was sacked': one in a clause under it, too."""
        root = tok.sent.root
        wrong = MALE_TITLES if tok.lower_ in ("she", "her") else FEMALE_TITLES
        if tok.i > root.i and not (
            tok.lower_ in ("he", "she")
            and tok.dep_ in SUBJ + PASS_SUBJ
            and tok.head.dep_ == "advcl"
            and tok.head.head.i == root.i
        ):
            return None
        for c in root.children:
            if c.dep_ in SUBJ and c.i != tok.i and not any(t.i == tok.i for t in c.subtree):
                cl = self.ctx.ents.at(c.i)
                if (
                    cl is not None
                    and cl.type == "Person"
                    and not any(f.split()[0] in wrong for f in [cl.name, *cl.forms])
                ):
                    return cl
        return None

    def _previous(self, tok: Token, type_: str) -> Cluster | None:
        """The nearest earlier actor of a type; for 'he'/'she' a person the text names in full, and
        not one whose title says otherwise ('he' is not 'Queen Elizabeth II' or 'Ms Perry')."""
        best, pos = None, -1
        wrong = MALE_TITLES if tok.lower_ in ("she", "her") else FEMALE_TITLES if type_ == "Person" else set()
        # An object pronoun is not its own clause's subject: "Judge Carter told her" is not Carter.
        subjects = (
            {id(self.ctx.ents.at(c.i)) for c in tok.head.children if c.dep_ in SUBJ}
            if tok.dep_ in ("dobj", "dative", "pobj")
            else set()
        )
        fits: dict[int, bool] = {}

        def fit(c: Cluster) -> bool:
            if id(c) not in fits:
                fits[id(c)] = not (
                    (type_ == "Person" and len(c.name.split()) < 2)
                    or id(c) in subjects
                    or any(f.split()[0] in wrong for f in [c.name, *c.forms] if f)
                )
            return fits[id(c)]

        # back from the pronoun through the type's mentions to the latest of an actor that fits; of
        # two mentions at one offset, the actor listed first
        starts, clusters = self._mentions_of(type_)
        k = bisect_left(starts, tok.idx) - 1
        while k >= 0 and starts[k] >= 0 and (best is None or starts[k] == pos):
            if fit(clusters[k]):
                best, pos = clusters[k], starts[k]
            k -= 1
        return best

    def _mentions_of(self, type_: str) -> tuple[list[int], list[Cluster]]:
        """The mentions of each type's actors by offset (then by the actor's place in the list), built
        once: walking every actor's mentions for each pronoun made a long article quadratic."""
        if self._mentions is None:
            entries: dict[str, list[tuple[int, int, Cluster]]] = {}
            for n, c in enumerate(self.ctx.ents.clusters):
                for m in c.mentions:
                    entries.setdefault(c.type, []).append((m.start, n, c))
            self._mentions = {}
            for t, items in entries.items():
                items.sort(key=lambda x: (x[0], x[1]))
                self._mentions[t] = ([x[0] for x in items], [x[2] for x in items])
        return self._mentions.get(type_, ([], []))

    def _reporting_subject(self, tok: Token) -> list[Cluster]:
        clause = tok.head
        for _ in range(3):
            if clause.dep_ == "ccomp" and self.ctx.lex.is_saying(clause.head):
                subj = [c for c in clause.head.children if c.dep_ in SUBJ and c.lower_ not in PRONOUNS_PERSON]
                return self.actors_in(subj[0], depth=0) if subj else []
            if clause.head.i == clause.i:
                break
            clause = clause.head
        return []

    def _previous_subject(self, tok: Token) -> list[Cluster]:
        """The actors that were the subject of the sentence before the pronoun's."""
        k = self.ctx.sentence_index(tok.i) - 1  # the sentences before the pronoun's
        while k >= 0 and is_heading(self.ctx.sents[k]):
            k -= 1
        if k < 0:
            return []
        root = self.ctx.sents[k].root
        for c in root.children:
            if c.dep_ in SUBJ + PASS_SUBJ and c.lower_ not in ("it", "its", "they", "their"):
                return self.actors_in(c, depth=1)
        return []

    def _previous_group(self, tok: Token) -> list[Cluster]:
        """'they' after 'the unions' (or after two coordinated organisations) is that group."""
        k = self.ctx.sentence_index(tok.i)
        sent_before = self.ctx.sents[max(0, k - 2) : k + 1]  # the pronoun's sentence and two before it
        for s in reversed(sent_before):
            for t in reversed(list(s)):
                if t.i >= tok.i:
                    continue
                if t.lower_ in GROUP_WORDS:
                    members = self.ctx.ents.clusters_of_class(GROUP_WORDS[t.lower_])
                    if len(members) >= 2:
                        return members
                if t.dep_ in SUBJ and any(c.dep_ == "conj" for c in t.children):
                    members = self.actors_in(t)
                    if len(members) >= 2:
                        return members
        return []

    def of_objects(self, prep: Token) -> list[Cluster]:
        """The actors a preposition's objects denote: "by X and Y", "to the DfE"."""
        return [a for g in prep.children if g.dep_ == "pobj" for a in self.actors_in(g)]

    def quote_speakers(self, tok: Token) -> list[Cluster]:
        """The speaker of the quote a token sits in: the subject of the nearest verb of saying."""
        quote = self.ctx.quote_at(tok.idx)
        if quote is None:
            return []
        # The attribution sits in the sentence where the quote opens or closes, or just before or after it.
        around = []
        found = {self.ctx.sentence_at(quote[0]), self.ctx.sentence_at(quote[1], closing=True)}
        found.add(self.ctx.sentence_at(tok.idx))
        for i in sorted(k for k in found if k is not None):
            around.extend(x for x in self.ctx.sents[max(0, i - 1) : i + 2] if x not in around)
        around.sort(key=lambda s: abs(s.start_char - tok.idx))
        for s in around:
            for t in s:
                if quote[0] <= t.idx < quote[1]:
                    continue
                rule = self.ctx.lex.verb(t)
                issues_statement = t.lemma_ in ("issue", "release", "make") and any(
                    c.dep_ == "dobj" and c.lemma_ == "statement" for c in t.children
                )
                if rule and rule.speech or t.lemma_ in ("write", "read") or issues_statement:
                    for c in t.children:
                        if c.dep_ in SUBJ:
                            found = self.actors_in(c) or self.document_author(c)
                            if found:
                                return found
        return []

    def document_author(self, tok: Token) -> list[Cluster]:
        """Who wrote the document a noun names: its possessor, the 'by' of a participle, else the
        article's coroner or judge."""
        if tok.lemma_.lower() not in DOCUMENTS:
            return []
        for c in tok.children:
            if c.dep_ == "poss":
                return self.actors_in(c)
            if c.dep_ == "acl":  # "the judgement delivered by the Court of Appeal"
                for g in c.children:
                    if g.dep_ == "agent":
                        return self.of_objects(g)
        # The person whose role issues this kind of document: the coroner for a report.
        for cl in self.ctx.ents.clusters:
            if cl.type == "Person" and any(r in ("coroner", "judge") for r in cl.roles):
                return [cl]
        return []
