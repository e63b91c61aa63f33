"""The one rule for which reports tell one real event (newsgraph/store/consolidate.py): its cases one
by one, then as properties over made-up sets of reports, with a store of plain dicts that applies
`changes` as the backends do, so that any order of writes and removals gives the graph the whole
set gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import permutations

from hypothesis import given
from hypothesis import strategies as st

from newsgraph.store.consolidate import (
    SOFT_DAYS,
    ConsolidatedEvent,
    Report,
    StoredEvent,
    article_reports,
    changes,
    consolidate,
    context_date,
    event_key,
    is_soft,
    touched,
)

CRANE, VALE, UNION = "person:nell-crane", "person:idris-vale", "organisation:marsh-union"


def _report(
    article: str,
    date: str | None,
    *,
    start: int = 0,
    category: str = "die",
    agents=(),
    patients=(CRANE,),
    modality: str = "asserted",
    article_date: str | None = "2023-03-20",
    position: int = 0,
    soft: bool = False,
) -> Report:
    rid = f"ev_{article}_{start}"
    return Report(
        id=rid,
        key=event_key(category, modality, agents, patients, rid),
        article=article,
        article_date=article_date,
        category=category,
        agents=tuple(sorted(agents)),
        patients=tuple(sorted(patients)),
        trigger="died",
        date=date,
        date_text=None if soft else date and f"words for {date}",
        modality=modality,
        confidence=0.5 + start / 1000,
        quote=None,
        plover=None,
        evidence=f"Sentence at {start} of {article}.",
        start=start,
        end=start + 20,
        sentence=start // 100,
        position=position,
    )


def _groups(events: list[ConsolidatedEvent]) -> list[tuple[str | None, list[str]]]:
    return [(e.date, [r.article for r in e.reports]) for e in sorted(events, key=lambda e: (e.date or "", e.id))]


def test_reports_of_compatible_dates_are_one_event_dated_by_the_most_precise():
    told = [_report("a", "2023-03"), _report("b", "2023-03-17"), _report("c", None), _report("d", "2023")]
    [event] = consolidate(told)
    assert event.date == "2023-03-17" and event.id == "ev_b_0"  # the report that gives the date leads
    assert event.date_text == "words for 2023-03-17"
    assert [r.article for r in event.reports] == ["a", "b", "c", "d"]
    assert event.row()["reports"] == 4


def test_equally_precise_dates_that_differ_are_two_events_and_what_both_could_be_stays_apart():
    told = [_report("a", "2023-03-17"), _report("b", "2023-03-20"), _report("c", "2023-03"), _report("d", None),
            _report("e", "2023-03-17", start=5), _report("f", None, start=5)]  # fmt: skip
    assert _groups(consolidate(told)) == [
        (None, ["d", "f"]),  # undated, with two dated events to choose from: with the undated
        ("2023-03", ["c"]),  # the month of both days
        ("2023-03-17", ["a", "e"]),
        ("2023-03-20", ["b"]),
    ]


def test_an_undated_report_joins_the_one_dated_event_and_a_month_its_one_day():
    told = [_report("a", None), _report("b", "2023-04"), _report("c", "2023-03"), _report("d", "2023-03-17")]
    # 2023-04 and 2023-03-17 are the most precise dates: the undated report cannot choose.
    assert _groups(consolidate(told)) == [(None, ["a"]), ("2023-03-17", ["c", "d"]), ("2023-04", ["b"])]
    assert _groups(consolidate([told[0], told[1]])) == [("2023-04", ["a", "b"])]


def test_what_happened_is_one_telling_planned_demanded_and_negated_are_others():
    told = [
        _report("a", "2023-03-17"),
        _report("b", "2023-03-17", modality="reported"),
        _report("c", "2023-03-17", modality="planned"),
        _report("d", "2023-03-17", modality="negated"),
    ]
    events = consolidate(told)
    assert sorted((e.modality, [r.article for r in e.reports]) for e in events) == [
        ("asserted", ["a", "b"]),  # asserted by one article, reported by another: asserted
        ("negated", ["d"]),
        ("planned", ["c"]),
    ]


def test_other_parties_or_another_category_are_other_events():
    told = [
        _report("a", "2023-03-17"),
        _report("b", "2023-03-17", agents=(VALE,)),
        _report("c", "2023-03-17", category="resign"),
        _report("d", "2023-03-17", patients=(CRANE, UNION)),
    ]
    assert len(consolidate(told)) == 4


def test_an_event_without_parties_is_never_grouped():
    told = [_report("a", "2023-03-17", patients=()), _report("b", "2023-03-17", patients=())]
    assert [e.id for e in consolidate(told)] == ["ev_a_0", "ev_b_0"]


def test_an_article_telling_an_event_twice_gives_one_report_its_most_precise():
    told = [
        _report("a", None, start=0, position=0),
        _report("a", "2023-03-17", start=300, position=1),
        _report("a", "2023-03-17", start=500, position=2),
        _report("a", "2023-03-20", start=700, position=3),
    ]
    # The 17th twice (its first telling kept); the 20th apart; the undated cannot choose between them.
    assert [(r.date, r.start) for r in article_reports(told)] == [(None, 0), ("2023-03-17", 300), ("2023-03-20", 700)]
    assert [(r.date, r.start) for r in article_reports(told[:3])] == [("2023-03-17", 300)]


def test_the_event_keeps_the_surest_confidence_and_the_first_report_places_it():
    told = [_report("b", "2023-03-17", start=400, article_date="2023-03-18"),
            _report("a", "2023-03", start=10, article_date="2023-03-30")]  # fmt: skip
    [event] = consolidate(told)
    assert event.confidence == 0.9
    assert [r.article for r in event.reports] == ["b", "a"]  # by article date
    assert event.sort_key == f"2023-03-17 2023-03-18 b {400:010d} {0:010d}"
    [undated] = consolidate([replace(r, date=None) for r in told])
    assert undated.sort_key.startswith("2023-03-18 2023-03-18 b ")  # placed by its earliest report


# -- properties -----------------------------------------------------------------------------------

ARTICLES = {"a": "2023-03-18", "b": "2023-03-21", "c": None, "d": "2023-04-02", "e": "2023-03-18"}
DATES = [None, "2023", "2023-03", "2023-03-17", "2023-03-18", "2023-03-20", "2023-03-21", "2023-04", "2022-11",
         "2022-11-02", "2024"]  # fmt: skip
PARTIES = [((), (CRANE,)), ((VALE,), (CRANE,)), ((), ())]  # the last: no parties, never grouped


@st.composite
def corpora(draw) -> dict[str, list[Report]]:
    """Articles (a subset of ARTICLES, at least two) with the reports each gives after article_reports."""
    names = draw(st.lists(st.sampled_from(sorted(ARTICLES)), min_size=2, max_size=5, unique=True))
    out = {}
    for article in names:
        told = []
        for position in range(draw(st.integers(1, 4))):
            agents, patients = draw(st.sampled_from(PARTIES))
            told.append(
                _report(
                    article,
                    draw(st.sampled_from(DATES)),
                    start=100 * position,
                    position=position,
                    agents=agents,
                    patients=patients,
                    modality=draw(st.sampled_from(["asserted", "reported"])),
                    article_date=ARTICLES[article],
                    soft=draw(st.booleans()),  # no time phrase: soft when the date is the article's
                )  # fmt: skip
            )
        out[article] = article_reports(told)
    return out


def _compatible(one: Report, other: Report) -> bool:
    if one.date is None or other.date is None:
        return True
    a, b = one.date.split("-"), other.date.split("-")
    return a[: len(b)] == b or b[: len(a)] == a or _days_apart(one, other)


def _days_apart(one: Report, other: Report) -> bool:
    """A soft report (its article's date, no time phrase) and a day a time phrase gives up to
    SOFT_DAYS before it; or two soft ones that such a day joins."""
    if len(one.date) != 10 or len(other.date) != 10:
        return False
    gap = abs((date.fromisoformat(one.date) - date.fromisoformat(other.date)).days)
    return (is_soft(one) or is_soft(other)) and gap <= SOFT_DAYS


@given(corpora())
def test_every_report_is_in_one_event_with_compatible_reports_of_other_articles(corpus):
    told = [r for reports in corpus.values() for r in reports]
    events = consolidate(told)
    assert sorted(r.id for e in events for r in e.reports) == sorted(r.id for r in told)
    for event in events:
        articles = [r.article for r in event.reports]
        assert len(articles) == len(set(articles)), "two reports of one article in one event"
        assert {r.key for r in event.reports} == {event.key}
        assert all(_compatible(r, o) for r in event.reports for o in event.reports)
        assert event.id in {r.id for r in event.reports}
        assert event.date in {r.date for r in event.reports}
        assert all(len(r.date or "") <= len(event.date or "") for r in event.reports)
        dated = [r for r in event.reports if r.date == event.date]
        assert not event.soft or all(is_soft(r) for r in dated)
        hard_days = {r.date for r in event.reports if r.date and len(r.date) == 10 and not is_soft(r)}
        assert len(hard_days) <= 1, "two days from time phrases in one event"


def _apply(store: dict[str, StoredEvent], todo) -> None:
    """What a backend does with `changes`, on a store of plain dicts."""
    for event in todo.delete:
        del store[event]
    for row in todo.unlink:
        del store[row["event"]].reports[row["report"]]
    for row in todo.update:
        store[row["id"]].row = row
    for row in todo.create:
        assert row["id"] not in store
        store[row["id"]] = StoredEvent(row)
    return None


def _write(store: dict[str, StoredEvent], reports: dict[str, Report], article: list[Report]) -> None:
    """As the embedded store writes an article: of each key, only the events its reports can change
    (`touched`) are read, the dates of the others given as context."""
    read, context = {}, {}
    for key in {r.key for r in article}:
        events = {i: _dated(s) for i, s in store.items() if s.row["key"] == key}
        chosen = touched(events, [r.date for r in article if r.key == key])
        read.update({i: store[i] for i in chosen})
        if len(chosen) < len(events):
            context[key] = [context_date(d, soft) for i, (d, _, soft) in events.items() if i not in chosen]
    todo = changes(read, article, context)
    _apply(store, todo)
    for row in todo.link:
        store[row["event"]].reports[row["report"]] = reports[row["report"]]


def _dated(stored: StoredEvent) -> tuple:
    """An event as the embedded store's key index holds it: its date, its reports', and soft."""
    date_ = stored.row["date"]
    soft = date_ is not None and all(is_soft(r) for r in stored.reports.values() if r.date == date_)
    return date_, {r.date for r in stored.reports.values()}, soft


def _remove(store: dict[str, StoredEvent], reports: dict[str, Report], article: str) -> None:
    keys = {s.row["key"] for s in store.values() if any(r.article == article for r in s.reports.values())}
    for stored in store.values():  # deleting the Article deletes its REPORTED_IN edges
        stored.reports = {i: r for i, r in stored.reports.items() if r.article != article}
    todo = changes({i: s for i, s in store.items() if s.row["key"] in keys})
    _apply(store, todo)
    for row in todo.link:
        store[row["event"]].reports[row["report"]] = reports[row["report"]]


def _held(store: dict[str, StoredEvent]) -> dict[str, tuple]:
    return {i: (s.row, sorted(s.reports)) for i, s in store.items()}


def _whole(reports: list[Report]) -> dict[str, tuple]:
    return {e.id: (e.row(), sorted(r.id for r in e.reports)) for e in consolidate(reports)}


@given(corpora(), st.randoms(use_true_random=False))
def test_writes_in_any_order_give_the_graph_of_the_whole_set(corpus, rng):
    told = {r.id: r for reports in corpus.values() for r in reports}
    order = sorted(corpus)
    rng.shuffle(order)
    store: dict[str, StoredEvent] = {}
    for article in order:
        _write(store, told, corpus[article])
    assert _held(store) == _whole(list(told.values()))
    # Writing an article again changes nothing: its reports are where the rule puts them.
    for article in order:
        assert not changes({i: s for i, s in store.items() if s.row["key"] in {r.key for r in corpus[article]}})


@given(corpora(), st.randoms(use_true_random=False))
def test_removing_an_article_leaves_the_graph_of_the_others(corpus, rng):
    told = {r.id: r for reports in corpus.values() for r in reports}
    store: dict[str, StoredEvent] = {}
    for article in sorted(corpus):
        _write(store, told, corpus[article])
    gone = rng.choice(sorted(corpus))
    _remove(store, told, gone)
    assert _held(store) == _whole([r for r in told.values() if r.article != gone])
    _write(store, told, corpus[gone])  # and back: as if it had never gone
    assert _held(store) == _whole(list(told.values()))


def test_every_order_of_four_articles_gives_one_graph():
    """Exhaustively, on the case that needs the whole set: an undated report that joins the one
    dated event, until a second date makes it stay apart, and a month that joins its day."""
    corpus = {
        "a": [_report("a", None, article_date="2023-03-18")],
        "b": [_report("b", "2023-03-17", article_date="2023-03-21")],
        "c": [_report("c", "2023-03", article_date=None)],
        "d": [_report("d", "2023-03-20", article_date="2023-04-02")],
    }
    told = {r.id: r for reports in corpus.values() for r in reports}
    graphs = []
    for order in permutations(corpus):
        store: dict[str, StoredEvent] = {}
        for article in order:
            _write(store, told, corpus[article])
        graphs.append(_held(store))
    assert len(graphs) == 24 and all(g == graphs[0] for g in graphs)
    assert [(row["date"], reports) for row, reports in sorted(graphs[0].values(), key=lambda v: v[0]["id"])] == [
        (None, ["ev_a_0"]),
        ("2023-03-17", ["ev_b_0"]),
        ("2023-03", ["ev_c_0"]),
        ("2023-03-20", ["ev_d_0"]),
    ]


def test_a_write_reads_only_the_events_its_reports_can_change():
    """With two most precise dates or more, a report of March 2023 can change only the events of
    March 2023 and the undated one: the events of 2022 and of April 2023 are neither read nor
    changed, and the graph is the one the whole set gives."""
    dated = {"a": "2022-11-02", "b": "2023-03-17", "c": None, "d": "2023-03-20", "f": "2023-04-02", "g": "2023"}
    old = {article: [_report(article, date)] for article, date in dated.items()}
    told = {r.id: r for reports in old.values() for r in reports}
    store: dict[str, StoredEvent] = {}
    for article in sorted(old):
        _write(store, told, old[article])
    events = {i: (s.row["date"], {r.date for r in s.reports.values()}) for i, s in store.items()}
    dates = {i: date for i, (date, _) in events.items()}
    assert sorted(dates.values(), key=lambda d: d or "") == [None, "2022-11-02", "2023", "2023-03-17", "2023-03-20",
                                                             "2023-04-02"]  # fmt: skip
    march = {i for i, d in dates.items() if d in (None, "2023", "2023-03-17", "2023-03-20")}
    assert touched(events, ["2023-03"]) == march  # "2023" gains March: it was told of 2023 already
    assert touched(events, [None]) == {i for i, d in dates.items() if d is None}
    assert touched({"x": ("2023-03-17", {None})}, ["2024"]) == {"x"}  # one most precise date: its undated go
    new = _report("e", "2023-03")
    told[new.id] = new
    _write(store, told, [new])
    assert _held(store) == _whole(list(told.values()))
