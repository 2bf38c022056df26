from __future__ import annotations

from pathlib import Path

import numpy as np

from index.analyzer import Analyzer
from index.chunk import Chunk
from index.lexical import LexicalIndex


def _chunk(i: int, text: str, lang: str = "no") -> Chunk:
    return Chunk(f"d:p1:{i}", "d", 1, 0, len(text), text, lang)


CHUNKS = [
    _chunk(0, "75 % av forskningsbudsjettet i Litauen har til nå bestått av strukturfondene."),
    _chunk(1, "Forskning og innovasjon er viktig for regionene."),
    _chunk(2, "Klynger får størst verdi når de kobler seg på internasjonale nettverk."),
    _chunk(3, "Clusters gain most when they connect to international networks.", "en"),
]


def test_words_drop_stopwords_and_split_hyphens() -> None:
    assert Analyzer().words("Det er en RIS3-strategi for the regions") == [
        "ris3",
        "strategi",
        "regions",
    ]


def test_norwegian_and_english_are_stemmed_with_their_own_stemmer() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("strukturfondene", "no") == ["strukturfond"]
    assert analyzer.terms("networks", "en") == ["network"]
    assert set(analyzer.query_terms("networks")) >= {"network"}


def test_compound_parts_are_indexed_when_the_head_is_a_known_word() -> None:
    analyzer = Analyzer({"forskning", "budsjett"})
    assert analyzer.parts("forskningsbudsjettet") == ["forskning", "budsjettet"]
    assert analyzer.parts("budsjett") == []
    assert Analyzer(set()).parts("forskningsbudsjettet") == []


def test_compounds_let_a_part_find_the_whole() -> None:
    query = "budsjett til forskning"
    with_parts = LexicalIndex.build(CHUNKS, compounds=True).scores(query)
    without = LexicalIndex.build(CHUNKS, compounds=False).scores(query)
    assert with_parts.argmax() == 0
    assert with_parts[0] > without[0]


def test_scores_follow_stems_across_forms() -> None:
    scores = LexicalIndex.build(CHUNKS).scores("strukturfond")
    assert scores.argmax() == 0 and scores[1] == 0


def test_coverage_is_high_in_the_corpus_language_and_low_across() -> None:
    index = LexicalIndex.build(CHUNKS[:3])
    assert index.coverage("Hvordan får klynger verdi fra internasjonale nettverk?") > 0.8
    assert index.coverage("How do groups of firms benefit from global ties?") < 0.2
    assert index.coverage("") == 0.0


def test_save_and_load_keep_scores(tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    index = LexicalIndex.build(CHUNKS)
    index.save(folder)
    loaded = LexicalIndex.load(folder)
    query = "internasjonale nettverk budsjett"
    assert loaded.scores(query).tolist() == index.scores(query).tolist()
    assert loaded.coverage(query) == index.coverage(query)


def test_empty_index_scores_nothing() -> None:
    index = LexicalIndex.build([])
    assert index.scores("anything").size == 0
    assert index.coverage("anything") == 0.0


def test_a_chunk_is_found_by_its_sections_heading() -> None:
    chunks = [
        _chunk(0, "Gode strategier har god forankring i politisk ledelse."),
        _chunk(1, "Klynger får størst verdi i internasjonale nettverk."),
    ]
    headings = ["Charles Wessner, Georgetown University", ""]
    scores = LexicalIndex.build(chunks, headings=headings).scores("Wessner")
    assert scores[0] > 0 and scores[1] == 0
    assert LexicalIndex.build(chunks).scores("Wessner").max() == 0


def _bm25s_scores(chunks: list[Chunk], query: str) -> list[float]:
    """What bm25s (Lucene's BM25, k1 1.5, b 0.75) scores over the same terms."""
    import bm25s

    plain = Analyzer(compounds=False)
    words = [plain.words(c.text) for c in chunks]
    analyzer = Analyzer({w for found in words for w in found})
    corpus = [
        analyzer.terms_of_words(found, c.lang) for found, c in zip(words, chunks, strict=True)
    ]
    reference = bm25s.BM25()
    reference.index(corpus, show_progress=False)
    known = {t for terms in corpus for t in terms}
    terms = [t for t in analyzer.query_terms(query) if t in known]
    return [float(s) for s in reference.get_scores(terms)]


ARTICLES = [
    _chunk(10 + i, paragraph)
    for i, paragraph in enumerate(
        p
        for path in sorted((Path(__file__).parent / "data" / "articles").glob("*.txt"))
        for p in path.read_text("utf-8").split("\n\n")
        if len(p) > 40
    )
]


def test_scores_are_those_of_bm25s() -> None:
    chunks = [*CHUNKS, *ARTICLES]
    index = LexicalIndex.build(chunks)
    for query in ["forskningsbudsjett i Litauen", "Glitterfjell albumet Nordavind", "networks"]:
        scores = index.scores(query)
        assert scores.max() > 0
        assert np.allclose(scores, _bm25s_scores(chunks, query), atol=1e-5)


def test_an_update_takes_unchanged_rows_and_scores_like_a_whole_build() -> None:
    before = LexicalIndex.build([*CHUNKS, *ARTICLES[:5]], compounds=False)
    chunks = [*CHUNKS[1:], *ARTICLES]  # the first chunk gone, articles added
    updated, analysed = before.updated(chunks)
    whole = LexicalIndex.build(chunks, compounds=False)
    assert analysed == len(ARTICLES) - 5
    for query in ["strukturfond Litauen", "Glitterfjell Nordavind", "laks eksport", "nettverk"]:
        assert np.allclose(updated.scores(query), whole.scores(query), atol=1e-5)
    # The words of a chunk that is gone are no longer known.
    assert before.knows("Litauen") and not updated.knows("Litauen")
    assert updated.coverage("strukturfondene i Litauen") == whole.coverage(
        "strukturfondene i Litauen"
    )


def test_an_updated_index_saves_and_loads(tmp_path: Path) -> None:
    updated, _ = LexicalIndex.build(CHUNKS).updated([*CHUNKS, *ARTICLES[:3]])
    updated.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.rows == updated.rows
    assert (
        loaded.scores("internasjonale nettverk").tolist()
        == updated.scores("internasjonale nettverk").tolist()
    )
