"""Text processing is linear in the length of a page: a long HTML page or text file (one
"page") must not stall an ingest. Timed as a ratio, so a slow machine does not fail it."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from index.document import Document, Page
from index.lexical import LexicalIndex
from index.sentences import split_sentences
from index.views import chunk_views
from ingest.chunker import Chunker
from ingest.htmltext import parse_html
from ingest.reflow import reflow

_WORDS = (
    "regionen satser på smart spesialisering og klynger innen bioøkonomi bl.a. i Innlandet "
    "f.eks. Agder dr. A. Smith 25. september e.g. the region's cluster policy, in 2018"
).split()


def _text(size: int) -> str:
    """Prose with the shapes the splitter weighs: abbreviations, initials, ordinals,
    paragraphs, wrapped lines and lines of bare URLs."""
    rng = random.Random(size)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 24)))
        ending = rng.choice([". ", "? ", ".\n\n", ".\n", ".\nhttps://example.org/a\n"])
        part = sentence[:1].upper() + sentence[1:] + ending
        parts.append(part)
        length += len(part)
    return "".join(parts)


def _pipeline(text: str) -> int:
    reflowed = reflow(text).text
    document = Document(
        id="long",
        title="Long",
        url=None,
        path="long.txt",
        kind="text",
        lang="no",
        pages=(Page(1, reflowed),),
    )
    chunks = Chunker().chunk(document)
    chunk_views(chunks)
    LexicalIndex.build(chunks)
    return len(chunks)


def _ratio(work: Callable[[str], object], small: str, large: str) -> float:
    """Time on `large` over time on `small`, each the best of rounds taken in turn, so a
    busy moment of the machine slows both or is not counted."""
    best = {id(small): float("inf"), id(large): float("inf")}
    for _ in range(5):
        for text in (small, large):
            start = time.perf_counter()
            work(text)
            best[id(text)] = min(best[id(text)], time.perf_counter() - start)
    return best[id(large)] / best[id(small)]


def test_sentence_splitting_is_linear_in_the_text() -> None:
    small, large = _text(100_000), _text(400_000)
    ratio = _ratio(split_sentences, small, large)
    # 4x the text: about 4x the time; a quadratic splitter takes 16x (it took 300 s on 1 MB;
    # on these sizes it fails in a minute rather than hang).
    assert ratio < 9, f"4x the text took {ratio:.1f}x the time"


def test_reflow_chunking_views_and_the_lexical_index_are_linear_in_the_text() -> None:
    small, large = _text(250_000), _text(1_000_000)
    assert _pipeline(large) > 3.5 * _pipeline(small)
    ratio = _ratio(_pipeline, small, large)
    assert ratio < 9, f"4x the text took {ratio:.1f}x the time"


def _html(size: int) -> str:
    """A page shaped like an ASP.NET one, without <main> or <article>, so the main-text
    extractor, not just the parser, reads it: a body-wide form, a menu, text and tables."""
    blocks = []
    for n, paragraph in enumerate(_text(size).split("\n\n")):
        blocks.append(f"<p>{paragraph}</p>")
        if n % 5 == 0:
            blocks.append(f"<table><tr><th>År</th><th>Sum</th></tr><tr><td>{n}</td></tr></table>")
    menu = "".join(f'<li><a href="/s{n}">Side {n}</a></li>' for n in range(30))
    return (
        f'<html><body><form id="aspnetForm"><div class="menu"><ul>{menu}</ul></div>'
        f'<div id="contentBox"><h1>Rapport</h1>{"".join(blocks)}</div>'
        '<div id="footer">Postboks 1, 0001 Oslo</div></form></body></html>'
    )


def _main_text(page: str) -> str:
    return parse_html(page.encode()).pages[0].text


def test_html_main_text_is_linear_in_the_page() -> None:
    small, large = _html(100_000), _html(400_000)
    assert len(_main_text(large)) > 3.5 * len(_main_text(small))
    ratio = _ratio(_main_text, small, large)
    assert ratio < 9, f"4x the page took {ratio:.1f}x the time"
