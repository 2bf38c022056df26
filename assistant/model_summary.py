"""Summaries a model writes: map over the salient passages, reduce, verify every sentence.

A long document fits the model's context by design, not by cutting it off: the
model reads the chunks holding the document's most salient sentences (chosen
as the extractive summary chooses its quotes, spread over the sections), a
bounded number of them however long the document is, in groups that fit one
prompt each (map). The groups' partial summaries are combined (reduce; in
rounds while they do not fit one prompt). The passages keep one numbering
throughout, so the final [n] markers point at passages the model read.

Every sentence is then checked against the passages it cites; a sentence with
no citation or no support is dropped and noted. When fewer than half of the
model's sentences hold, its draft is set aside and the extractive summary, the
sources' own sentences, is given instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from assistant.answer import Citation, Draft
from assistant.llm import LLM, Message
from assistant.output import attach_markers, clean_output, markers, strip_markers
from assistant.prompts import combine_messages, new_tag, summary_messages
from assistant.summary import DOCUMENT_SENTENCES, ExtractiveSummarizer, Summary, SummarySentence
from assistant.support import SupportChecker
from assistant.texts import SUMMARY_SET_ASIDE, text_for
from index.chunk import Chunk
from index.search import DocInfo
from index.sentences import split_sentences

# The model reads the chunks of this many salient sentences per sentence it writes.
PASSAGES_PER_SENTENCE = 2
# One prompt's passages (about 700 tokens): with the rules and the reply, within a
# 4,096-token context (the bundled GGUF's, as kilde runs it).
GROUP_CHARS = 2400

T = TypeVar("T")


class LLMSummarizer:
    def __init__(
        self,
        llm: LLM,
        support: SupportChecker,
        fallback: ExtractiveSummarizer,
        *,
        group_chars: int = GROUP_CHARS,
        max_tokens: int = 384,
    ) -> None:
        self.name = llm.name
        self._llm = llm
        self._support = support
        self._fallback = fallback
        self._group_chars = group_chars
        self._max_tokens = max_tokens

    @property
    def sources(self) -> Mapping[str, DocInfo]:
        return self._fallback.sources

    def sections_naming(self, name: str) -> list[str]:
        return self._fallback.sections_naming(name)

    def overview(self, per_document: int = 1, limit: int | None = None) -> list[Summary]:
        """Each source's own best sentences: an overview of many sources is quotes, one
        model call per source would take minutes on a CPU."""
        return self._fallback.overview(per_document, limit)

    def summaries(
        self, doc_ids: Sequence[str], sentences: int | None = None, lang: str = "en"
    ) -> list[Summary]:
        if not doc_ids:
            return self._fallback.summaries(doc_ids, sentences)
        self._fallback.known(doc_ids)  # UnknownDocumentError before any model call
        return [self.summarize(d, sentences or DOCUMENT_SENTENCES, lang=lang) for d in doc_ids]

    def summarize(
        self, doc_id: str, sentences: int = 8, *, section: str = "", lang: str = "en"
    ) -> Summary:
        final = None
        for event in self.stream(doc_id, sentences, section=section, lang=lang):
            if isinstance(event, Summary):
                final = event
        assert final is not None
        return final

    def stream(
        self, doc_id: str, sentences: int, *, section: str = "", lang: str = "en"
    ) -> Iterator[Draft | Summary]:
        """Drafts while the model writes (each group's part, then the combined text), then
        the verified summary."""
        chunks = self._fallback.salient_chunks(
            doc_id, sentences * PASSAGES_PER_SENTENCE, section=section
        )
        if not chunks:
            yield self._fallback.summarize(doc_id, sentences, section=section)
            return
        source = self.sources[doc_id]
        scope = f"{source.title}: {section}" if section else source.title
        groups = _packed(chunks, lambda c: len(c.text), self._group_chars)
        each = min(sentences, max(2, math.ceil(2 * sentences / len(groups))))
        partials: list[str] = []
        first = 1
        for group in groups:
            passages = [("", c.page, c.text) for c in group]
            messages = summary_messages(passages, first, scope, each, lang, new_tag())
            partial = ""
            for partial in self._write(messages):
                yield Draft("\n\n".join([*partials, partial]))
            partials.append(partial)
            first += len(group)
        while len(partials) > 1:
            combined: list[str] = []
            for batch in _packed(partials, len, self._group_chars):
                text = batch[0]
                if len(batch) > 1:
                    for text in self._write(
                        combine_messages(batch, scope, sentences, lang, new_tag())
                    ):
                        yield Draft(text)
                combined.append(text)
            # A round that combined nothing (every part alone too long) would loop for ever.
            partials = combined if len(combined) < len(partials) else ["\n".join(combined)]
        yield self._verified(doc_id, source, partials[0], chunks, sentences, section, lang)

    def _write(self, messages: Sequence[Message]) -> Iterator[str]:
        """The model's reply so far, without images and links (none are the sources')."""
        raw = ""
        for piece in self._llm.stream(messages, max_tokens=self._max_tokens):
            raw += piece
            yield clean_output(raw, ())[0]

    def _verified(
        self,
        doc_id: str,
        source: DocInfo,
        draft: str,
        chunks: Sequence[Chunk],
        limit: int,
        section: str,
        lang: str,
    ) -> Summary:
        text = attach_markers(draft.strip())
        check = self._support.session()
        kept: list[SummarySentence] = []
        citations: list[Citation] = []
        notes: list[str] = []
        written = held = 0
        for start, end in split_sentences(text):
            sentence = text[start:end]
            plain = strip_markers(sentence)
            if not plain.strip():
                continue
            written += 1
            cited = list(dict.fromkeys(n for n in markers(sentence) if 1 <= n <= len(chunks)))
            passages = [chunks[n - 1] for n in cited]
            if not cited or not check.check(plain, [c.text for c in passages]).supported:
                notes.append(f"dropped a sentence its cited passages do not support: «{plain}»")
                continue
            held += 1
            if len(kept) == limit:  # more than was asked for: held, but not shown
                continue
            numbers = []
            for chunk in passages:
                best = check.check(plain, [chunk.text]).best
                _, a, b = best if best else (0, 0, len(chunk.text))
                n = len(citations) + 1
                citations.append(self._fallback.cite(n, chunk, chunk.start + a, chunk.start + b))
                numbers.append(n)
            kept.append(SummarySentence(plain, tuple(numbers)))
        if not kept or held * 2 < written:
            quoted = self._fallback.summarize(doc_id, limit, section=section)
            return Summary(
                quoted.doc_id,
                quoted.title,
                quoted.kind,
                quoted.sentences,
                quoted.citations,
                f"{self.name}+extractive",
                (text_for(SUMMARY_SET_ASIDE, lang), *dict.fromkeys(notes)),
                draft,
            )
        return Summary(
            doc_id,
            source.title,
            source.kind,
            tuple(kept),
            tuple(citations),
            self.name,
            tuple(dict.fromkeys(notes)),
        )


def _packed(items: Sequence[T], size: Callable[[T], int], budget: int) -> list[list[T]]:
    """Consecutive items in groups of at most `budget` in size (one item at least)."""
    groups: list[list[T]] = [[]]
    for item in items:
        if groups[-1] and sum(map(size, groups[-1])) + size(item) > budget:
            groups.append([])
        groups[-1].append(item)
    return groups
