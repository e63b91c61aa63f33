"""Property tests: extraction never raises on arbitrary text, and every offset points at its text."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsgraph.ingest.pipeline import extract
from newsgraph.model import Article

pytestmark = pytest.mark.slow

WORDS = st.sampled_from(
    [
        "Ofsted",
        "the",
        "watchdog",
        "said",
        "Ms",
        "Perry",
        "Ruth",
        "Perry",
        "coroner",
        "Heidi",
        "Connor",
        "called",
        "on",
        "DfE",
        "to",
        "pause",
        "inspections",
        "(ASCL)",
        "Association",
        "of",
        "School",
        "and",
        "College",
        "Leaders",
        "“",
        "”",
        '"',
        "'s",
        "’s",
        "took",
        "over",
        "from",
        "yesterday",
        "7",
        "February",
        "resigned",
        ",",
        ".",
        "\n",
        "\n\n",
        "we",
        "demand",
        "letter",
        "Sir",
        "Martyn",
        "Oliver",
        "was",
        "by",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(WORDS, max_size=60).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXTS, date=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
@example(body="\x12\x1fA", date=None)  # a control character that str.split() folds into a space
@example(body=" 0A said", date=None)  # a sentence that starts with a space
def test_extract_never_raises_and_offsets_hold(body, date):
    article = Article(body=body, source="prop.txt", date=date)
    ex = extract(article)
    text = ex.article.body
    ids = {e.id for e in ex.entities}
    for ent in ex.entities:
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text
    for ev in ex.events:
        assert text[ev.evidence_start : ev.evidence_end] == ev.evidence
        assert text[ev.trigger_start : ev.trigger_end] == ev.trigger
        assert set(ev.agents) | set(ev.patients) <= ids
        assert ev.date is None or len(ev.date) in (7, 10)
