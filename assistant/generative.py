"""Answers from a chat model: streamed, then cited, checked and cleaned."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace

from assistant.answer import Answer, AnswerSentence, Citation, ClaimResult, Draft, Evidence
from assistant.claims import ExtractiveClaimChecker
from assistant.extractive import ExtractiveAnswerer, Said, not_answered
from assistant.llm import LLM, LLMError
from assistant.output import attach_markers, clean_output, markers, strip_markers
from assistant.passages import ScoredSentence
from assistant.prompts import answer_messages, claim_messages, new_tag
from assistant.relevance import Judgement
from assistant.support import SupportChecker, SupportSession
from assistant.texts import DRAFT_SET_ASIDE, NOT_ANSWERED, NOTHING_MORE, text_for
from index.hit import Hit
from index.language import detect_language
from index.search import Retrieval
from index.sentences import split_sentences


class LLMAnswerer:
    """A model's answer, each sentence verified against the passages it cites.

    When most sentences fail verification the model's text is not the answer:
    `fallback` (the extractive answerer) quotes the sources instead, and the
    model's draft is kept in `Answer.set_aside` for whoever wants to see it.
    """

    def __init__(
        self,
        llm: LLM,
        support: SupportChecker,
        fallback: ExtractiveAnswerer,
        *,
        passages: int = 6,
        max_tokens: int = 512,
    ) -> None:
        self.name = llm.name
        self._llm = llm
        self._support = support
        self._fallback = fallback
        self._passages = passages
        self._max_tokens = max_tokens

    def answer(self, question: str, retrieval: Retrieval, lang: str) -> Answer:
        final = None
        for event in self.stream(question, retrieval, lang):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(
        self, question: str, retrieval: Retrieval, lang: str, given: Collection[str] = ()
    ) -> Iterator[Draft | Answer]:
        """`given`: earlier answers; passages they already quoted in full are left out."""
        said = Said.of(given)
        hits = [h for h in retrieval.hits if not _all_said(h.chunk.text, said)][: self._passages]
        # The same decision as without a model: a model is not asked what the sources
        # do not answer (it would answer anyway).
        judged = self._fallback.judge(question, retrieval)
        if not judged[0].answer or not retrieval.hits:
            yield not_answered(question, retrieval, lang, self.name)
            return
        if not hits:
            yield not_answered(question, retrieval, lang, self.name, NOTHING_MORE)
            return
        sentinel = text_for(NOT_ANSWERED, lang)
        messages = answer_messages(question, hits, lang, sentinel, new_tag())
        allowed = {h.url for h in hits if h.url}
        raw = ""
        for piece in self._llm.stream(messages, max_tokens=self._max_tokens):
            raw += piece
            yield Draft(clean_output(raw, allowed)[0])
        yield self._finish(question, raw, hits, retrieval, lang, judged)

    def _finish(
        self,
        question: str,
        raw: str,
        hits: Sequence[Hit],
        retrieval: Retrieval,
        lang: str,
        judged: tuple[Judgement, list[ScoredSentence]],
    ) -> Answer:
        text, removed = clean_output(raw.strip(), {h.url for h in hits if h.url})
        text = attach_markers(text)
        notes = [f"removed {item} from the model's answer" for item in removed]
        if not text or any(s.rstrip(".") in text for s in NOT_ANSWERED.values()):
            answer = not_answered(question, retrieval, lang, self.name)
            return Answer(**{**answer.__dict__, "notes": tuple(notes)})
        check = self._support.session()  # each sentence and passage embedded once
        citations: list[Citation] = []
        sentences: list[AnswerSentence] = []
        parts: list[str] = []
        for start, end in split_sentences(text):
            sentence = text[start:end]
            cited, dropped = _valid(markers(sentence), len(hits))
            notes.extend(
                f"dropped citation [{n}]: no such source was retrieved"
                for n in dict.fromkeys(dropped)
            )
            plain = strip_markers(sentence)
            new = [
                _cite(check, len(citations) + i + 1, plain, hits[n - 1], retrieval)
                for i, n in enumerate(cited)
            ]
            citations.extend(new)
            support = check.check(plain, [h.chunk.text for h in (hits[n - 1] for n in cited)])
            numbers = tuple(c.n for c in new)
            sentences.append(
                AnswerSentence(
                    plain,
                    numbers,
                    bool(cited) and support.supported,
                    support.score if cited else 0.0,
                )
            )
            parts.append(plain + "".join(f" [{n}]" for n in numbers))
        body = " ".join(parts)
        unsupported = sum(not s.supported for s in sentences)
        if sentences and unsupported * 2 > len(sentences):
            return self._set_aside(question, retrieval, lang, judged, body, notes)
        return Answer(
            question,
            body,
            self.name,
            tuple(citations),
            tuple(sentences),
            True,
            tuple(retrieval.hits),
            tuple(notes),
            lang=lang,
        )

    def _set_aside(
        self,
        question: str,
        retrieval: Retrieval,
        lang: str,
        judged: tuple[Judgement, list[ScoredSentence]],
        draft: str,
        notes: list[str],
    ) -> Answer:
        quoted = self._fallback.quote(question, retrieval, lang, *judged)
        return replace(
            quoted,
            backend=f"{self.name}+extractive",
            notes=(text_for(DRAFT_SET_ASIDE, lang), *notes, *quoted.notes),
            set_aside=draft,
        )


def _cite(check: SupportSession, n: int, sentence: str, hit: Hit, retrieval: Retrieval) -> Citation:
    """Citation n of `hit`, quoting the passage sentence closest to `sentence`."""
    support = check.check(sentence, [hit.chunk.text])
    chunk = hit.chunk
    _, start, end = support.best if support.best else (0, 0, len(chunk.text))
    return Citation(
        n,
        chunk.doc_id,
        hit.title,
        hit.url,
        chunk.page,
        chunk.text[start:end],
        chunk.start + start,
        chunk.start + end,
        chunk.id,
        chunk.text,
        retrieval.place(hit, chunk.start + start),
    )


def _valid(numbers: list[int], available: int) -> tuple[list[int], list[int]]:
    cited = list(dict.fromkeys(n for n in numbers if 1 <= n <= available))
    dropped = [n for n in numbers if not 1 <= n <= available]
    return cited, dropped


class LLMClaimChecker:
    """Asks the model for a JSON verdict with verbatim quotes, and checks every quote.

    A verdict whose quotes are not in the cited passages is not trusted: the
    rule-based checker decides instead, and the reason says so.
    """

    def __init__(self, llm: LLM, fallback: ExtractiveClaimChecker, *, passages: int = 4) -> None:
        self.name = llm.name
        self._llm = llm
        self._fallback = fallback
        self._passages = passages

    def check(self, claim: str, retrieval: Retrieval, lang: str = "en") -> ClaimResult:
        hits = retrieval.hits[: self._passages]
        if not hits:
            return self._fallback.check(claim, retrieval)
        try:
            raw = "".join(
                self._llm.stream(claim_messages(claim, hits, lang, new_tag()), max_tokens=400)
            )
            verdict, quotes, reason = _parse_verdict(raw)
        except (LLMError, ValueError) as error:
            return self._fallback_with(
                claim, retrieval, f"the model's verdict was unusable ({error})"
            )
        # The reason is the model's own text, which a source may have steered.
        reason, _ = clean_output(reason, {h.url for h in hits if h.url})
        evidence = [e for n, q in quotes if (e := _locate(q, hits, n, retrieval)) is not None]
        if verdict != "not_in_sources" and not evidence:
            return self._fallback_with(
                claim, retrieval, "the model's quotes are not in the sources"
            )
        if verdict == "supported":
            # The model's word is checked as kilde's own verdict would be: a number, a
            # name, an opposite or a negation the alignment finds outweighs it.
            rules = self._fallback.check(claim, retrieval)
            if rules.verdict == "contradicted":
                return ClaimResult(
                    rules.claim,
                    rules.verdict,
                    rules.confidence,
                    f"{rules.reason} (the model called it supported)",
                    rules.evidence,
                    f"{self.name}+extractive",
                )
            passages = "\n".join(
                h.chunk.text for h in hits if any(e.doc_id == h.chunk.doc_id for e in evidence)
            )
            quoted = " ".join(e.quote for e in evidence)
            missing = ", ".join(self._fallback.unheld(claim, quoted, passages))
            if missing:
                # The model may have read the gist right and a fact wrong: a number, a
                # name, a nationality its quotes do not have is not confirmed.
                return ClaimResult(
                    claim,
                    "not_in_sources",
                    0.6,
                    f"avsnittene modellen siterte nevner ikke {missing} "
                    "(modellen kalte den støttet)"
                    if detect_language(claim, default="en") == "no"
                    else f"the passages the model quoted do not mention {missing} "
                    "(the model called it supported)",
                    tuple(evidence),
                    f"{self.name}+extractive",
                )
        confidence = 0.8 if evidence else 0.6
        return ClaimResult(claim, verdict, confidence, reason, tuple(evidence), self.name)

    def _fallback_with(self, claim: str, retrieval: Retrieval, why: str) -> ClaimResult:
        result = self._fallback.check(claim, retrieval)
        return ClaimResult(
            result.claim,
            result.verdict,
            result.confidence * 0.9,
            f"{result.reason} ({why}; decided without the model)",
            result.evidence,
            f"{self.name}+extractive",
        )


def _parse_verdict(raw: str) -> tuple[str, list[tuple[int, str]], str]:
    """The verdict, its quotes (source number, text) and reason; ValueError if unusable."""
    match = re.search(r"\{.*\}", raw, re.DOTALL)
    if not match:
        raise ValueError("no JSON object in the reply")
    data = json.loads(match.group(0))
    if not isinstance(data, dict):
        raise ValueError("the reply is not a JSON object")
    verdict = str(data.get("verdict", "")).strip().lower()
    if verdict not in ("supported", "contradicted", "not_in_sources"):
        raise ValueError(f"unknown verdict {verdict[:40]!r}")
    items = data.get("quotes") or []
    if not isinstance(items, list):
        raise ValueError("quotes is not a list")
    quotes = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("a quote is not an object")
        try:
            source = int(item.get("source") or 0)
        except (TypeError, ValueError):
            number = repr(item.get("source"))[:40]
            raise ValueError(f"a quote names no source number: {number}") from None
        quotes.append((source, str(item.get("quote") or "")))
    return verdict, quotes, str(data.get("reason") or "").strip()


def _all_said(passage: str, said: Said) -> bool:
    """Whether earlier answers quoted every sentence of `passage`."""
    return bool(said) and all(said.holds(passage[a:b]) for a, b in split_sentences(passage))


def _locate(quote: str, hits: Sequence[Hit], n: int, retrieval: Retrieval) -> Evidence | None:
    """The quote's exact place in source n (whitespace may differ), or None."""
    if not 1 <= n <= len(hits) or len(quote.strip()) < 8:
        return None
    hit = hits[n - 1]
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    found = re.search(pattern, hit.chunk.text)
    if found is None:
        return None
    chunk = hit.chunk
    return Evidence(
        chunk.doc_id,
        hit.title,
        hit.url,
        chunk.page,
        found.group(0),
        chunk.start + found.start(),
        chunk.start + found.end(),
        retrieval.place(hit, chunk.start + found.start()),
    )
