"""What the dating model sees of an event no time phrase dates: whether the headline tells it."""

import pytest

from newsgraph.ingest.events.dating import event_date, headline_words, news_day, news_features
from newsgraph.ingest.pipeline import Extractor, Settings
from newsgraph.model import Article

pytestmark = pytest.mark.slow

BODY = (
    "Marlow Harbour Board will appeal against the £40,000 fine the regulator imposed.\n"
    "The board had dredged the channel without a licence, the regulator found."
)


@pytest.fixture(scope="module")
def appeal():
    article = Article(body=BODY, source="marlow.txt", date="2024-03-05", title="Harbour board appeals against fine")
    extractor = Extractor(Settings())
    _ents, _rules, raw = extractor.raw_events(article, extractor.nlp(article.body))
    [event] = [ev for ev in raw if ev.trigger.token.text == "appeal"]
    return event


@pytest.mark.parametrize(
    "title, told",
    [
        ("Harbour board appeals against fine", True),  # "appeals" for "appeal": the same word
        ("Harbour board to appeal", True),
        ("Dredging licence row at Marlow", False),
        (None, False),  # no title: nothing is read from it
    ],
)
def test_the_headline_tells_the_news_by_its_trigger_word(appeal, title, told):
    assert ("headline_trigger" in news_features(appeal, False, headline_words(title))) is told


@pytest.mark.parametrize(
    "body, trigger, year, words",
    [
        # a year in the sentence that no time rule gave the event: what is told after it is history
        (
            "Marlow Harbour Board appealed against the fine after its chair resigned in 2019.",
            "appealed",
            True,
            {"after"},
        ),
        ("Marlow Harbour Board has repeatedly denied the regulator's claims.", "denied", False, {"repeatedly"}),
        ("Marlow Harbour Board denied the claims on Tuesday.", "denied", False, set()),
    ],
)
def test_the_dating_model_reads_a_year_and_the_words_of_a_storys_past(body, trigger, year, words):
    extractor = Extractor(Settings())
    article = Article(body=body, source="marlow.txt", date="2024-03-05")
    _ents, _rules, raw = extractor.raw_events(article, extractor.nlp(article.body))
    [event] = [ev for ev in raw if ev.trigger.token.text == trigger]
    feats = news_features(event, False)
    assert ("sentence_year" in feats) is year
    assert {k.split("=")[1] for k in feats if k in {"word=repeatedly", "word=after", "word=ago"}} == words


def test_the_extraction_gives_the_dating_model_the_articles_title(monkeypatch):
    seen = []
    import newsgraph.ingest.events.dating as dating

    real = dating.news_features

    def spy(ev, in_quote, headline=frozenset()):
        seen.append(headline)
        return real(ev, in_quote, headline)

    monkeypatch.setattr("newsgraph.ingest.events.classifier.news_features", spy)
    extractor = Extractor(Settings())
    article = Article(body=BODY, source="marlow.txt", date="2024-03-05", title="Harbour board to appeal")
    extractor.from_doc(article, extractor.nlp(article.body))
    assert seen and set(seen) == {headline_words("Harbour board to appeal")}


# --- the news day: the day the lead tells the news as done, when the story is dated a day or two later

FRIDAY = "2024-03-08"


@pytest.fixture(scope="module")
def extractor():
    return Extractor(Settings())


@pytest.mark.parametrize(
    "lead, date, day",
    [
        ("Marlow Harbour Board voted on Thursday to close the north channel to cargo ships.", FRIDAY, "2024-03-07"),
        ("Marlow Harbour Board was fined £40,000 yesterday for dredging without a licence.", FRIDAY, "2024-03-07"),
        ("Marlow Harbour Board will vote on Thursday on closing the north channel.", FRIDAY, FRIDAY),  # a plan
        ("Marlow Harbour Board said today that it had voted on Thursday to close the channel.", FRIDAY, FRIDAY),
        ("Marlow Harbour Board closed the north channel in January.", FRIDAY, FRIDAY),  # no day
        ("Marlow Harbour Board closed the north channel on 20 February.", FRIDAY, FRIDAY),  # weeks before
        # a standfirst above the lead is not the lead
        ("Ships turned away on Monday\nMarlow Harbour Board voted on Thursday to close it.", FRIDAY, "2024-03-07"),
        ("Marlow Harbour Board voted on Thursday to close the north channel.", "2024-03", "2024-03"),
        ("Marlow Harbour Board voted on Thursday to close the north channel.", None, None),
    ],
)
def test_the_news_day_is_the_day_the_lead_tells_the_news_as_done(extractor, lead, date, day):
    body = lead + "\nIts chair, Ellen Pryce, said the channel was no longer safe for large ships."
    article = Article(body=body, source="marlow.txt", date=date)
    assert news_day(article, extractor.nlp(body)) == day


def test_an_undated_event_of_the_news_takes_the_news_day_not_the_articles_date(extractor):
    body = (
        "Marlow Harbour Board voted on Thursday to close the north channel to cargo ships.\n"
        "Its chair, Ellen Pryce, said the channel was no longer safe for large ships."
    )
    article = Article(body=body, source="marlow.txt", date=FRIDAY)
    _ents, rules, raw = extractor.raw_events(article, extractor.nlp(body))
    [said] = [ev for ev in raw if ev.trigger.token.text == "said"]
    assert event_date(article, said, rules.lex.categories, lambda ev: True) == ("2024-03-07", None)
    assert event_date(article, said, rules.lex.categories, lambda ev: False) == (None, None)  # background


@pytest.mark.parametrize(
    "body, dated",
    [
        # "last week's" is the protests': the condemnation is the article's news
        ("Marlow Town Council condemned the violence of last week's protests.", (FRIDAY, None)),
        ("Marlow Town Council blamed the harbour board for the spill last month.", ("2024-02", "last month")),
        # the meeting is where the event happened: its day is the event's
        ("Marlow Town Council criticised the harbour board during Tuesday's meeting.", ("2024-03-05", "Tuesday")),
    ],
)
def test_a_time_phrase_that_modifies_a_noun_dates_that_nouns_occasion_not_the_event(extractor, body, dated):
    article = Article(body=body, source="marlow.txt", date=FRIDAY)
    _ents, rules, raw = extractor.raw_events(article, extractor.nlp(body))
    [event] = [ev for ev in raw if ev.category == "criticise"]
    assert event_date(article, event, rules.lex.categories, lambda ev: True) == dated


@pytest.mark.parametrize(
    "body, trigger, dated",
    [
        # "already" with a present perfect tells the news itself; with a past or pluperfect, background
        ("Ellen Pryce has already criticised the harbour board.", "criticised", (FRIDAY, None)),
        ("Ellen Pryce already criticised the harbour board.", "criticised", (None, None)),
        ("Ellen Pryce had already criticised the harbour board.", "criticised", (None, None)),
        # a plan no time phrase dates is no event of the news day; one it dates takes that date
        ("Ellen Pryce says she will resign from the harbour board.", "resign", (None, None)),
        ("Ellen Pryce will resign from the harbour board on Monday.", "resign", ("2024-03-11", "on Monday")),
    ],
)
def test_only_what_the_news_tells_as_done_takes_the_news_day(extractor, body, trigger, dated):
    article = Article(body=body, source="marlow.txt", date=FRIDAY)
    _ents, rules, raw = extractor.raw_events(article, extractor.nlp(body))
    [event] = [ev for ev in raw if ev.trigger.token.text == trigger]
    assert event_date(article, event, rules.lex.categories, lambda ev: True) == dated
