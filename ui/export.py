"""Answers, claim checks and conversations as a reader keeps them: clean Markdown (and a
Word document) with a numbered reference list: title, section or page, URL and quote.

The text is the answer's own, unescaped: the escaping the chat needs to show it
safely has no place in a copy or a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer import Answer, ClaimResult, Evidence
from index.sections import location
from ui.labels import label


@dataclass(frozen=True)
class Reference:
    n: int
    title: str
    where: str  # "p. 3" in a PDF, "Deltakere, ¶ 2" in a text or a web page
    url: str | None
    quote: str

    @classmethod
    def of(cls, n: int, evidence: Evidence, page_word: str) -> Reference:
        return cls(n, evidence.title, evidence.location(page_word), evidence.url, evidence.quote)

    @classmethod
    def from_cite(cls, cite: dict[str, Any], page_word: str) -> Reference:
        """From the app's record of a citation (ui/app.py)."""
        where = location(int(cite["page"]), cite.get("section"), cite.get("paragraph"), page_word)
        return cls(int(cite["n"]), str(cite["title"]), where, cite.get("url"), str(cite["quote"]))

    def markdown(self) -> str:
        link = f" <{self.url}>" if self.url else ""
        return f"{self.n}. {self.title}, {self.where}.{link}\n   > «{' '.join(self.quote.split())}»"


@dataclass(frozen=True)
class Turn:
    """A question and its answer, as kept: the answer's text and its references."""

    question: str
    answer: str
    references: tuple[Reference, ...]


def export_turns(
    conversation: Sequence[dict[str, Any]], cites: Sequence[dict[str, Any]], page_word: str
) -> list[Turn]:
    """The app's conversation (user and assistant turns, in order) and its citations (keyed
    "answer-n", ui/app.py) as turns."""
    turns = []
    questions = [t for t in conversation if t.get("role") == "user"]
    answers = [t for t in conversation if t.get("role") == "assistant"]
    for number, (asked, said) in enumerate(zip(questions, answers, strict=False), start=1):
        prefix = f"{number}-"
        references = tuple(
            Reference.from_cite(c, page_word)
            for c in cites
            if str(c.get("key", "")).startswith(prefix)
        )
        turns.append(Turn(str(asked["content"]), str(said["content"]), references))
    return turns


def answer_markdown(answer: Answer, lang: str) -> str:
    page_word = label(lang, "page")
    references = tuple(Reference.of(c.n, c.evidence(), page_word) for c in answer.citations)
    return turn_markdown(Turn(answer.question, answer.text, references), lang)


def turn_markdown(turn: Turn, lang: str) -> str:
    lines = [f"## {turn.question}", "", turn.answer.strip()]
    if turn.references:
        lines += ["", f"**{label(lang, 'references')}**", ""]
        lines += [r.markdown() for r in turn.references]
    return "\n".join(lines) + "\n"


def claims_markdown(results: Sequence[ClaimResult], lang: str) -> str:
    page_word = label(lang, "page")
    parts = []
    for result in results:
        lines = [
            f"## {result.claim}",
            "",
            f"**{result.verdict}** ({result.confidence:.0%}): {result.reason}",
        ]
        if result.evidence:
            lines += ["", f"**{label(lang, 'references')}**", ""]
            lines += [
                Reference.of(n, e, page_word).markdown()
                for n, e in enumerate(result.evidence, start=1)
            ]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def conversation_markdown(title: str, turns: Iterable[Turn], lang: str) -> str:
    return f"# {title}\n\n" + "\n".join(turn_markdown(t, lang) for t in turns)


def conversation_docx(title: str, turns: Iterable[Turn], lang: str, path: Path) -> Path:
    """The conversation as a Word document at `path`: each question a heading, its answer,
    then its numbered references with their quotes."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for turn in turns:
        document.add_heading(turn.question, level=2)
        document.add_paragraph(turn.answer.strip())
        if turn.references:
            document.add_paragraph().add_run(label(lang, "references")).bold = True
            for r in turn.references:
                # Numbered by hand: a Word list would number on across the answers.
                item = document.add_paragraph(f"{r.n}. {r.title}, {r.where}.")
                if r.url:
                    item.add_run(f" {r.url}")
                item.add_run(f"\n«{' '.join(r.quote.split())}»").italic = True
    document.save(str(path))
    return path
