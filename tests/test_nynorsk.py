from __future__ import annotations

from index.nynorsk import bokmal


def test_nynorsk_endings_and_common_words_in_bokmal() -> None:
    assert bokmal("strategiar") == "strategier"
    assert bokmal("viktigare") == "viktigere"
    assert bokmal("helgane") == "helgene"
    assert bokmal("ikkje") == "ikke"
    assert bokmal("frå") == "fra"
    # Short words and words without a nynorsk ending stay as they are.
    assert bokmal("bar") == "bar"
    assert bokmal("kompetanse") == "kompetanse"
