"""The same text under two names is one document; near-copies never take two hit slots."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from index.chunk import Chunk
from index.document import Document, Page
from index.search import _distinct
from ingest.duplicates import duplicates, text_key
from ingest.source import SourceRecord
from ui.cli import main

ARTICLE = (
    "Fylket satser på havvind.\n\n"
    "Fylkestinget vedtok i går en strategi for havvind. Strategien skal gi nye arbeidsplasser "
    "langs kysten, og den skal evalueres hvert tredje år.\n"
)
OTHER = "Kommunen bygger ny skole.\n\nSkolen skal stå ferdig i 2027 og gi plass til 400 elever.\n"


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, doc_id, None, None, "text", "no", (Page(1, text),))


def test_the_same_text_differently_wrapped_is_a_duplicate() -> None:
    rewrapped = ARTICLE.replace(". ", ".\n").upper()

    class Outcome:
        def __init__(self, document: Document) -> None:
            self.document = document
            # As a run makes it: no text key yet, so the document's text is read.
            self.record = SourceRecord(
                document.id, document.title, "file", None, None, None, "text", "local", "ok"
            )

    outcomes = [
        Outcome(_doc("a", ARTICLE)),
        Outcome(_doc("b", OTHER)),
        Outcome(_doc("c", rewrapped)),
    ]
    assert text_key(outcomes[0].document) == text_key(outcomes[2].document)
    assert duplicates(outcomes) == {2: 0}
    # A record that carries its text's key (a document taken over unchanged) is not read.
    keyed = Outcome(_doc("d", "Nothing like the others."))
    keyed.record = replace(keyed.record, text_key=text_key(outcomes[0].document))
    assert duplicates([*outcomes, keyed]) == {2: 0, 3: 0}


def test_ingest_folds_a_copy_into_the_first_as_an_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "havvind.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "havvind-kopi.txt").write_text(ARTICLE.replace("\n\n", "\n\n\n"), encoding="utf-8")
    (folder / "skole.txt").write_text(OTHER, encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data")]
    env_config = tmp_path / "kilde.toml"
    env_config.write_text('[corpus]\nsources = []\n[embedding]\nbackend = "hash"\n')
    assert main(["--config", str(env_config), *data, "ingest", "--offline", str(folder)]) == 0
    assert "1 duplicate" in capsys.readouterr().out
    assert main(["--config", str(env_config), *data, "sources", "--json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    statuses = sorted(r["status"] for r in records.values())
    assert statuses == ["duplicate", "ok", "ok"]
    (copy,) = [r for r in records.values() if r["status"] == "duplicate"]
    (kept,) = [r for r in records.values() if r["aliases"]]
    assert [a["id"] for a in kept["aliases"]] == [copy["id"]]
    assert copy["id"] in copy["error"] or kept["id"] in copy["error"]
    # The table names both: the copy has its row, the kept one says it is also the copy.
    assert main(["--config", str(env_config), *data, "sources"]) == 0
    table = capsys.readouterr().out
    assert f"(also as {copy['id']})" in table
    # Only one copy is searched: every hit about the article is the same document.
    assert main(["--config", str(env_config), *data, "search", "--json", "havvind strategi"]) == 0
    hits = json.loads(capsys.readouterr().out)[0]["hits"]
    assert {h["doc_id"] for h in hits if "havvind" in h["text"]} == {kept["id"]}


def test_near_identical_passages_take_one_hit_slot() -> None:
    def chunk(doc_id: str, text: str) -> Chunk:
        return Chunk(f"{doc_id}:p1:0-{len(text)}", doc_id, 1, 0, len(text), text, "no")

    passage = "Fylkestinget vedtok i går en strategi for havvind som skal gi nye arbeidsplasser."
    chunks = [
        chunk("a", passage),
        chunk("b", passage.replace("i går", "i går,")),  # a comma apart
        chunk("c", OTHER),
    ]
    assert _distinct([0, 1, 2], chunks, 2) == [0, 2]
    assert _distinct([1, 0, 2], chunks, 5) == [1, 2]
