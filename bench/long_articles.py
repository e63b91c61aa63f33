"""Long articles: extraction time per 10k words at 1k, 10k, 100k and 200k words, in one run.

    python bench/long_articles.py                          # 1k, 10k, 100k, 200k words
    python bench/long_articles.py --words 1000 10000       # a quick run
    python bench/long_articles.py --profile 50000          # cProfile of one 50k-word article

Each article is generated from sentences written for this benchmark (no news text): sections under
subheadings, a few actors who run through the whole article and new ones in every section, dates,
reporting verbs, quotes, pronouns, acronyms and role descriptions, so that every stage of extraction
(sentences, headings, entities and aliases, events, speech, modality, roles, dates, the trained
layer) has work in every section. Extraction time should be linear in length: the largest seconds
per 10k words ÷ the smallest should be at most 1.5. Peak memory is the process's peak RSS, reached
with the largest article.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsgraph.model import Article  # noqa: E402

TARGET_RATIO = 1.5
FIRST = (
    "Ailsa Bertram Calla Dorian Edda Florian Greer Hamish Iona Jasper Kit Linnea Magnus Nell Oswin Perpetua "
    "Quentin Rosalind Sven Tamsin Ulric Verity Wilfred Xanthe Yorick Zelda"
)
LAST = (
    "Abernant Birchall Cawdor Drummore Esslin Fairlie Glenross Hallam Inchbrae Kilbride Lochart Merridew "
    "Northcott Orrell Pettigrew Quarrie Rendall Strachan Tulloch Urquhart Vallance Wedderburn"
)
PLACES = "Ardmore Bellhaven Corriston Dunvale Eskbridge Fordhame Glaswick Hartwell Kelso Lunan Mossgiel Pitcairn"
FIELDS = "Ferry Harbour Forestry Salmon Peat Lighthouse Canal Crofting Tidal Wind Quarry Heritage"
BODIES = "Trust Council Board Authority Commission Agency Union"
ROLES = ["chief executive", "chair", "general secretary", "finance director", "harbour master", "convener"]
MONTHS = "January February March April May June July August September October November December"
DAYS = "Monday Tuesday Wednesday Thursday Friday"

# {p} {q}: people (full name first, surname or pronoun after); {o} {r}: organisations; {oa}: {o}'s
# acronym; {place}; {role}; {when}: a date phrase; {n}: a number; {month}.
HEADINGS = [
    "What the {o} decided",
    "A long dispute in {place}",
    "Money for the {r}",
    "The view from {place}",
    "Who pays for the repairs",
    "Questions for {p}",
]
OPENINGS = [
    "The {o} ({oa}) said on {day} that it would close its {place} depot by the end of {month}.",
    "{p}, the {role} of the {o} ({oa}), announced {when} that {n} posts in {place} would be cut.",
    "{p} was appointed {role} of the {o} ({oa}) {when}, replacing {q}, who retired in {month}.",
    "The {r} fined the {o} ({oa}) {n},000 pounds {when} for polluting the estuary at {place}.",
]
SENTENCES = [
    "“We will not accept cuts that leave {place} without a service,” said {p}.",
    "{p} told the {r} that the {oa} had broken its promise to the town.",
    "In a letter to the {r}, {q} urged the {oa} to delay the closure until {month}.",
    "The {oa} denied the claims and said the depot had lost money for {n} years.",
    "{q} resigned as {role} of the {r} {when} after a vote of no confidence.",
    "The {r} launched an inquiry into the {oa} {when}.",
    "Workers in {place} went on strike {when} over the planned cuts.",
    "Police arrested {n} protesters outside the offices of the {r} in {place} {when}.",
    "{p} met {q} in {place} {when} to discuss the future of the {oa}.",
    "The {oa} plans to sign a new agreement with the {r} in {month}, according to {q}.",
    "She said the {oa} had not consulted anyone in {place} before the decision.",
    "He added that the {r} would publish its findings {when}.",
    "The {r} criticised the {oa} for failing to answer {n} letters from residents.",
    "{q} warned that the {r} could take the {oa} to court if the depot closed.",
    "The {oa} did not respond to a request for comment.",
    "Residents demanded that the {oa} reverse the decision, {p} said.",
    "“This is a betrayal of {place},” {q} said on {day}. “Nobody asked us.”",
    "The {r} sued the {oa} in {month} over unpaid harbour dues of {n},000 pounds.",
    "Ministers are expected to announce {n} million pounds for the {r} {when}.",
    "{p}, who is also known as the Skipper, praised the {r} for its patience.",
    "According to the {r}, the {oa} owes {n} contractors money for work done in {month}.",
    "The union voted to accept the offer from the {oa} {when}.",
]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def long_article(words: int, seed: int = 18) -> Article:
    """An article of about `words` words (never fewer), the same for a given (words, seed): a
    headline, then sections of four paragraphs under a subheading. Two people and an organisation run
    through the whole article; each section brings in new people and organisations."""
    rng = random.Random(seed)
    first, last, places, fields, bodies = FIRST.split(), LAST.split(), PLACES.split(), FIELDS.split(), BODIES.split()
    months, days = MONTHS.split(), DAYS.split()

    def person() -> str:
        return f"{rng.choice(first)} {rng.choice(last)}"

    def org() -> str:
        return f"{rng.choice(places)} {rng.choice(fields)} {rng.choice(bodies)}"

    def when() -> str:
        return rng.choice(
            [
                f"on {rng.choice(days)}",
                f"on {rng.randint(1, 28)} {rng.choice(months)}",
                "last week",
                f"in {rng.choice(months)} {rng.randint(2019, 2025)}",
                "yesterday",
            ]
        )

    regulars = {"p": person(), "q": person(), "r": org()}
    lines = [f"{regulars['r']} under pressure over {rng.choice(places)} closures", ""]
    count = 0
    while count < words:
        cast = dict(regulars)
        cast["o"] = org()
        cast["oa"] = _acronym(cast["o"])
        newcomer = person()
        if rng.random() < 0.5:
            cast["p"] = newcomer
        else:
            cast["q"] = newcomer

        def fill(template: str, cast: dict = cast) -> str:
            return template.format(
                **cast,
                place=rng.choice(places),
                role=rng.choice(ROLES),
                when=when(),
                day=rng.choice(days),
                month=rng.choice(months),
                n=rng.randint(2, 90),
            )

        section = [fill(rng.choice(HEADINGS)), ""]
        for k in range(4):
            opening = [fill(rng.choice(OPENINGS))] if k == 0 else []
            section.append(" ".join(opening + [fill(s) for s in rng.sample(SENTENCES, rng.randint(2, 4))]))
            section.append("")
        lines.extend(section)
        count += sum(len(line.split()) for line in section)
    body = "\n".join(lines).strip()
    return Article(body=body, source=f"long/{words}.txt", date="2024-06-14", outlet="newsgraph bench")


def _peak_rss_mb() -> float:
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[1_000, 10_000, 100_000, 200_000])
    parser.add_argument("--pipeline", help="spaCy pipeline (default: the best installed English one)")
    parser.add_argument("--profile", type=int, metavar="WORDS", help="print a cProfile of one article instead")
    args = parser.parse_args(argv)

    from newsgraph.ingest.pipeline import Extractor, Settings

    extractor = Extractor(Settings(pipeline=args.pipeline))
    nlp = extractor.nlp
    warm = long_article(300)
    extractor.from_doc(warm, nlp(warm.body))  # loads the models and dateparser before timing
    if args.profile:
        import cProfile
        import pstats

        article = long_article(args.profile)
        doc = nlp(article.body)
        profile = cProfile.Profile()
        profile.runcall(extractor.from_doc, article, doc)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return

    articles = [long_article(n) for n in sorted(args.words)]
    longest = max(len(a.body) for a in articles)
    if longest > nlp.max_length:
        # 200k words is past spaCy's guard (1,000,000 characters, where `extract` skips an article
        # with a reason); the benchmark raises it to time the stages, not to change what extract does.
        print(f"(spaCy's max_length raised from {nlp.max_length:,} to {longest:,} characters for this run)")
        nlp.max_length = longest
    print(
        f"{'words':>8} {'chars':>10} {'spaCy s':>8} {'rest s':>8} {'s / 10k words':>14} {'entities':>9} {'events':>7}"
    )
    per_10k = []
    for article in articles:
        words = len(article.body.split())
        started = time.perf_counter()
        doc = nlp(article.body)
        parsed = time.perf_counter()
        extraction = extractor.from_doc(article, doc)
        done = time.perf_counter()
        del doc
        rate = (done - started) / words * 10_000
        per_10k.append(rate)
        print(
            f"{words:>8,} {len(article.body):>10,} {parsed - started:>8.1f} {done - parsed:>8.1f} {rate:>14.2f}"
            f" {len(extraction.entities):>9} {len(extraction.events):>7}",
            flush=True,
        )
    if len(per_10k) >= 2:
        ratio = max(per_10k) / min(per_10k)
        verdict = "ok" if ratio <= TARGET_RATIO else "over target"
        print(f"largest / smallest seconds per 10k words: {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})")
    print(f"peak memory (RSS): {_peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
