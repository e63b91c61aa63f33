"""What the dating model sees of an event no time phrase dates: whether the headline tells it."""

import pytest

from newsgraph.ingest.events.dating import headline_words, news_features
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
