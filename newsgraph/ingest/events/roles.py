"""The agents and patients of a trigger, and the events whose roles leave them no event at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

from newsgraph.ingest.entities import Cluster
from newsgraph.ingest.events.actors import DOCUMENTS, Actors
from newsgraph.ingest.events.raw import Trigger
from newsgraph.ingest.events.speech import after_quote
from newsgraph.ingest.events.syntax import PASS_SUBJ, RELATIVE_PRONOUNS, SUBJ, TOPIC_PREPS, is_passive, topic_preps
from newsgraph.ingest.taxonomy import Category

PARTIES = ("Organisation", "Person")  # who can be found at fault or be what is said is about
# Verbs that carry a noun trigger ("sent a letter", "launched an investigation", "in a letter sent").
LIGHT_VERBS = {
    "send",
    "write",
    "issue",
    "publish",
    "launch",
    "hold",
    "conduct",
    "carry",
    "make",
    "bring",
    "file",
    "lodge",
    "give",
    "open",
    "order",
    "start",
    "begin",
    "announce",
    "sign",
    "deliver",
    "hand",
    "submit",
    "offer",
    "say",
    "tell",
    "warn",
    "state",
    "add",
    "set",
}


class Roles:
    """Who plays which part in the events of one article's triggers."""

    def __init__(self, actors: Actors):
        self.actors = actors
        self.ctx = actors.ctx

    def of(self, trig: Trigger, category: str) -> tuple[list[Cluster], list[Cluster]] | None:
        """Agents and patients of a trigger, or None when what it names is no event: no one acts,
        no one is met or written to, a death of no one named."""
        kind = self.ctx.lex.categories[category]
        agents = self.agents_of(trig) if not kind.subject_is_patient else []  # "Mrs Perry's death" is hers
        if not agents and not trig.nominal and is_passive(trig.token):
            agents = self._implied_agent(kind)
        patients = self.patients_of(trig, agents, category)
        if not agents and kind.passive_subject_joins and not trig.nominal and is_passive(trig.token):
            # "is to be appointed to the House of Lords": the newcomer joins the body.
            newcomer = self._passive_subject(trig.token)
            agents, patients = newcomer, self._post_left(trig.token, newcomer) if newcomer else []
        agentless = kind.passive_without_agent and is_passive(trig.token) and not trig.nominal
        if not agents and not kind.subject_is_patient and not (agentless and patients):
            return None  # "was sacked for gross misconduct" is news even when no one is named as sacking
        if kind.subject_is_patient and not trig.nominal:
            # "Ruth Perry, who took her own life": who died is the verb's subject
            patients = self.agents_of(trig) or patients
        if not patients and _needs_patient(kind, trig):
            # "to meet gaps in its budget", "prefers to talk about legislation"; "the unions wrote",
            # "they write in the letter": quoting, not a letter to anyone
            return None
        if kind.patient_default == "affiliation" and not patients:
            # "who begins his term of office in January": the newcomer joins their body.
            patients = _affiliation(agents)
        if kind.patient_default == "post_or_affiliation" and not patients:
            # "quit his position as NHS England chief executive"; else the body the text ties one
            # to: "Paul Whiteman of the NAHT … stepped down".
            patients = self._post_left(trig.token, agents) or _affiliation(agents)
        return agents, patients

    def unnamed_doer(self, trig: Trigger) -> bool:
        """Whether an active verb's own subject is a noun that names no actor ("after auditors warned
        the council"): its doer is someone the article does not name, and no other actor of the
        sentence is."""
        tok = trig.token
        if trig.nominal or is_passive(tok):
            return False
        subjects = [c for c in tok.children if c.dep_ in SUBJ]
        if not subjects or any(c.pos_ not in ("NOUN", "PROPN") for c in subjects):
            return False  # a pronoun may stand for an actor the clusters missed
        # every subject the parser found: "The opposition Liberal Democrats called" can come out as two
        return not any(self.actors.actors_in(c) or self.actors.document_author(c) for c in subjects)

    def agents_of(self, trig: Trigger) -> list[Cluster]:
        tok = trig.token
        if trig.nominal:
            return self._nominal_agents(tok)
        if trig.rule.speech and after_quote(tok):
            # '"…," stated the CMA': the speaker after the verb, parsed as its object.
            after = [c for c in tok.children if c.dep_ in ("dobj", "attr") and tok.i < c.i <= tok.i + 4]
            subj = [c for c in tok.children if c.dep_ in SUBJ]
            if after and not subj:
                found = self.actors.actors_in(after[0])
                if found:
                    return found
        if is_passive(tok):
            for c in tok.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):  # "was fined £20,000 by X"
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self.actors.actors_in(g)
            # A mis-attached "by" phrase inside the verb's own clause: "rated inadequate … by HMICFRS".
            for t in tok.subtree:
                if t.lower_ == "by" and t.i > tok.i and t.head.pos_ != "VERB":
                    for g in t.children:
                        if g.dep_ == "pobj":
                            found = self.actors.actors_in(g)
                            if found:
                                return found
            return []
        verb = tok
        for _ in range(4):
            # Climbing from "to call" to "are expected", the passive subject is who is to call.
            subj = [c for c in verb.children if c.dep_ in SUBJ or (c.dep_ in PASS_SUBJ and verb.i != tok.i)]
            subj = nearest_first(subj, verb)
            if subj and subj[0].lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                # "Dr Vale, who will be taking over from …"; "the judgement by the Court of Appeal, which declared"
                return self.actors.actors_in(verb.head) or self.actors.document_author(verb.head)
            if subj:
                found = self.actors.actors_in(subj[0])
                if subj[0].lemma_.lower() in DOCUMENTS:
                    # "the letter, signed by X and Y, reads": its signers (the parser may hang Y on "letter")
                    author = self.actors.document_author(subj[0])
                    found = author + [a for a in found if a not in author]
                if found:
                    return found
                # "The report called on…": a document's author acts through it.
                author = self.actors.document_author(subj[0])
                if author:
                    return author
                return []
            if verb.pos_ == "NOUN":
                # "his decision to stand down", "their plan to sue": whose decision it is acts.
                owner = [c for c in verb.children if c.dep_ == "poss"]
                return self.actors.actors_in(owner[0]) if owner else []
            if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and self.ctx.lex.is_saying(verb.head.head):
                # "X said the report … and said …", "X said the changes fell short and called on Y":
                # the parser hangs X's second act inside what X said; it is X's unless that clause
                # has an actor of its own as subject.
                said_subj = [a for c in verb.head.children if c.dep_ in SUBJ for a in self.actors.actors_in(c)]
                if self.ctx.lex.is_saying(verb) or not said_subj:
                    verb = verb.head.head
                    continue
            if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl") and verb.head != verb:
                if verb.dep_ == "relcl":
                    return self.actors.actors_in(verb.head)
                if verb.dep_ == "acl" and verb.tag_ == "VBG":
                    found = self.actors.actors_in(verb.head)
                    if found or verb.head.head.i == verb.head.i:
                        return found
                    verb = verb.head.head  # "issued a statement calling on X": the issuers call
                    continue
                verb = verb.head
                continue
            break
        speakers = self.actors.quote_speakers(tok)
        return speakers

    def _nominal_agents(self, noun: Token) -> list[Cluster]:
        light = noun.head.head if noun.head.pos_ == "ADP" else noun.head
        if noun.dep_ == "dobj" and light.pos_ == "VERB" and light.lemma_.lower() in LIGHT_VERBS:
            # "Giving the court's verdict, Lord Reed …": who gives it, before whose it is.
            subj = [c for c in light.children if c.dep_ in SUBJ]
            if not subj and light.dep_ == "advcl" and light.tag_ == "VBG":
                subj = [c for c in light.head.children if c.dep_ in SUBJ]
            found = self.actors.actors_in(subj[0]) if subj else []
            if found:
                return found
        cat = self.ctx.lex.nouns.get(noun.lemma_.lower())
        compound_agent = cat is not None and self.ctx.lex.categories[cat].compound_is_agent
        for c in noun.children:
            # "Ofsted's inspection", "an Ofsted inspection"; but "the Perry inquest" is about Perry.
            if c.dep_ == "poss" or (c.dep_ == "compound" and compound_agent):
                found = self.actors.actors_in(c, depth=0)
                if found:
                    return found
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                return self.actors.of_objects(c)
            if c.dep_ == "acl":  # "claims brought by X", "a report published by Y"
                for g in c.children:
                    if g.dep_ == "agent":
                        return self.actors.of_objects(g)
        head = noun.head
        if head.pos_ == "ADP" and head.lower_ not in ("in", "with", "through", "via"):
            return []  # "died after an inspection": the sentence's subject did not inspect
        if head.pos_ == "ADP":
            head = head.head
        if noun.dep_ in ("dobj", "pobj", "attr") and head.pos_ == "VERB" and head.lemma_.lower() in LIGHT_VERBS:
            for c in head.children:
                if c.dep_ in SUBJ:
                    return self.actors.actors_in(c)
                if c.dep_ == "agent":
                    return [a for g in c.children for a in self.actors.actors_in(g)]
        if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "through", "via"):
            # "…, in a letter sent to X": the writer is the nearest clause above with a named subject.
            verb = head
            for _ in range(4):
                if verb.pos_ not in ("VERB", "AUX"):
                    if verb.head.i == verb.i:
                        break
                    verb = verb.head  # "a statement outlining steps in response to …": up to "issued"
                    continue
                subj = nearest_first([c for c in verb.children if c.dep_ in SUBJ], verb)
                found = self.actors.actors_in(subj[0]) if subj else []
                if found:
                    return found
                if verb.head.i == verb.i:
                    break
                verb = verb.head
        return []

    def patients_of(self, trig: Trigger, agents: list[Cluster], category: str | None = None) -> list[Cluster]:
        tok = trig.token
        out: list[Cluster] = []

        def add(found: list[Cluster]) -> None:
            for c in found:
                if c not in out and c not in agents:
                    out.append(c)

        if trig.nominal:
            # "a letter sent to the DfE and Ofsted": the participle's objects are the noun's
            preps = [c for c in tok.children if c.dep_ == "prep"]
            preps += [g for c in tok.children if c.dep_ == "acl" for g in c.children if g.dep_ in ("prep", "dative")]
            for c in preps:
                if c.lower_ in ("of", "into", "to", "against", "on", "from", "with"):
                    add(self.actors.of_objects(c))
            if self.ctx.lex.categories[trig.category].subject_is_patient and not out:
                for c in tok.children:
                    if c.dep_ == "poss":
                        add(self.actors.actors_in(c))
            return out
        kind = self.ctx.lex.categories[category or trig.category]
        if is_passive(tok) and trig.rule.passive_patient:
            for c in tok.children:
                if c.dep_ in PASS_SUBJ:
                    add(self.actors.actors_in(c))
            if not out and tok.dep_ in ("acl", "relcl"):
                add(self.actors.actors_in(tok.head))  # "the first force to be branded failing"
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "oprd"):
                found = self.actors.actors_in(c)
                if not found:  # "overturned the ruling against Lena Brook": whom the thing was against
                    found = [
                        a
                        for p in c.children
                        if p.dep_ == "prep" and p.lower_ == "against"
                        for g in p.children
                        for a in self.actors.actors_in(g)
                    ]
                add(found)
            elif c.dep_ == "prep" and c.lower_ in trig.rule.patient_preps or c.dep_ == "prt":
                add(self.actors.of_objects(c))
            if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and kind.patient_after_topic:
                for p in topic_preps(c):
                    if p.lower_ in ("to", "with"):
                        add(self.actors.of_objects(p))
            elif c.dep_ == "xcomp" or (
                c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("for", "to") for g in c.children)
            ):
                # "called on X to act", "urged X to", "call for X to resign": who is to act
                for g in c.children:
                    if g.dep_ in ("dobj", "nsubj", "nsubjpass"):
                        add(self.actors.actors_in(g))
            elif c.dep_ == "ccomp" and kind.patient_from_said != "none":
                for g in c.children:
                    if g.dep_ in ("nsubj", "nsubjpass"):
                        add(self.actors.actors_in(g))
        if kind.patient_from_said == "anyone_named" and not out:
            # what was said or asked for names the body: "calling for a pause to Ofsted inspections"
            for c in tok.children:
                if c.dep_ in ("ccomp", "xcomp", "dobj") or (c.dep_ == "prep" and c.lower_ in ("for", "about", "over")):
                    named = self._first_named(c.subtree, PARTIES, agents)
                    if named is not None:
                        add([named])
                        break
        return out

    def _passive_subject(self, tok: Token) -> list[Cluster]:
        """Who a passive is about, also through 'is to be appointed' and 'was set to be named'."""
        for verb in (tok, tok.head) if tok.dep_ == "xcomp" else (tok,):
            for c in verb.children:
                if c.dep_ in SUBJ + PASS_SUBJ:
                    return self.actors.actors_in(c)
        return []

    def _post_left(self, tok: Token, agents: list[Cluster]) -> list[Cluster]:
        """The organisation named in the post one leaves or takes: 'his position as NHS England chief',
        'appointed to the House of Lords'."""
        for c in tok.children:
            if c.dep_ in ("dobj", "prep") and (c.dep_ == "dobj" or c.lower_ in ("as", "from", "to")):
                body = self._first_named(c.subtree, ("Organisation",), agents)
                if body is not None:
                    return [body]
        # "The cabinet member for finance at a cash-strapped council has resigned": the body in the post.
        for c in tok.children:
            if c.dep_ in SUBJ:
                # "its former boss Mark Hollis resigned": whose boss
                owner = [a for p in c.children if p.dep_ == "poss" for a in self.actors.actors_in(p, 0)]
                if len(owner) == 1 and owner[0].type == "Organisation" and owner[0] not in agents:
                    return owner
                for t in c.subtree:
                    cl = self.ctx.ents.at(t.i)
                    if cl is not None and cl.type == "Organisation" and cl not in agents:
                        return [cl]
                    classes = self.ctx.ents.gaz.noun_classes.get(t.lower_, [])
                    bodies = [
                        b for k in classes for b in self.ctx.ents.clusters_of_class(k) if b.type == "Organisation"
                    ]
                    if t.pos_ == "NOUN" and len(bodies) == 1:
                        return bodies
        return []

    def _implied_agent(self, kind: Category) -> list[Cluster]:
        """A passive with no 'by' phrase gets the one actor the article names for that role:
        'has been awarded damages' -> the judge; 'was rated inadequate' -> the inspectorate."""
        clusters = self.ctx.ents.clusters
        people = [[c for c in clusters if c.type == "Person" and role in c.roles] for role in kind.implied_agent_roles]
        bodies = [[c for c in clusters if c.cls == cls] for cls in kind.implied_agent_classes]
        return next((group for group in people + bodies if len(group) == 1), [])

    def finding_against(self, trig: Trigger, category: str, agents: list[Cluster]) -> list[Cluster]:
        """The party a legal ruling finds fault with, when what is ruled carries a criticism cue."""
        finding_as = self.ctx.lex.categories[category].finding_as
        if finding_as is None or trig.nominal or not agents:
            return []
        clauses = [c for c in trig.token.children if c.dep_ == "ccomp"]
        if not clauses:
            return []
        text = " " + " ".join(t.lower_ for c in clauses for t in c.subtree) + " "
        if not any(re.search(r"\b" + re.escape(cue), text) for cue in self.ctx.lex.speech_cues.get(finding_as, [])):
            return []
        for clause in clauses:
            # Who is found at fault: the doer of a passive ("hacked by the publisher"), else the subject
            # ("the government's plan is unlawful"), else the first party named.
            # (the parser may hang "by the publisher" on a word inside the clause: "hacked to a modest
            # extent by the publisher")
            bys = [c for c in clause.children if c.dep_ == "agent"]
            if is_passive(clause):
                bys += [t for t in clause.subtree if t.lower_ == "by" and t.dep_ == "prep" and t.i > clause.i]
            for c in bys:
                found = [a for a in self.actors.of_objects(c) if a not in agents]
                if found:
                    return found
            subjects = [] if is_passive(clause) else [c for c in clause.children if c.dep_ in SUBJ]
            for c in subjects:
                found = [a for a in self.actors.actors_in(c) if a not in agents]
                if found:
                    return found
            named = self._first_named(clause.subtree, PARTIES, agents)
            if named is not None:
                return [named]
        return []

    def _first_named(self, tokens: Iterable[Token], types: tuple[str, ...], agents: list[Cluster]) -> Cluster | None:
        """The first actor of these types the tokens name, other than the agents."""
        for t in tokens:
            cl = self.ctx.ents.at(t.i)
            if cl is not None and cl.type in types and cl not in agents:
                return cl
        return None


def nearest_first(subjects: list[Token], verb: Token) -> list[Token]:
    """A verb's subjects, the one nearest before it first: the parser may split one subject in two
    ("The opposition | Liberal Democrats called", "WHO director-general | Tedros Adhanom Ghebreyesus
    echoed"), and the part next to the verb is the phrase's head."""
    return sorted(subjects, key=lambda c: (c.i > verb.i, -c.i))


def _affiliation(agents: list[Cluster]) -> list[Cluster]:
    """The body the first agent with one belongs to."""
    return [a.affiliation for a in agents if a.affiliation is not None][:1]


def _needs_patient(kind: Category, trig: Trigger) -> bool:
    """Whether an event of this kind is no event without a patient (taxonomy.yaml `needs_patient`)."""
    if kind.needs_patient == "for_nouns":
        return trig.nominal
    if kind.needs_patient == "unless_addressed":
        return not _addressed(trig.token)
    return kind.needs_patient == "always"


def _addressed(tok: Token) -> bool:
    """Whether a writing names whom it is to: 'wrote to', 'a letter to', 'a letter sent to'."""
    kids = list(tok.children) + [g for c in tok.children if c.dep_ == "acl" for g in c.children]
    return any(c.dep_ in ("prep", "dative") and c.lower_ == "to" for c in kids)
