"""Which language a text is in: lingua, told of the languages kilde meets.

lingua-language-detector knows bokmål, nynorsk, Danish, Swedish, German and
English apart, on short texts too. Measured on 682 questions and claims of
kilde's development sets and calibration bank (bokmål, nynorsk, English):
lingua alone 0.937 right on Norwegian against English, kilde's former
function-word counter 0.943 (and no answer for 38), lingua with the priors
below 0.988 (0.941 on bokmål against nynorsk too), at 0.15 ms a text. Short
bokmål questions otherwise come out Danish ("Hvorfor maler katter?"): in a
tool for Norwegian reports, Danish and Swedish need the stronger evidence.

Codes: "no" (bokmål or nynorsk; `norwegian_variety` tells which), "en", "da",
"sv", "de", or the caller's default when the text gives too little to go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any, Protocol

_CODES = {
    "BOKMAL": "nb",
    "NYNORSK": "nn",
    "DANISH": "da",
    "SWEDISH": "sv",
    "GERMAN": "de",
    "ENGLISH": "en",
}
UNDETERMINED = "und"  # the language of a text that gives too little to go on
_PRIOR = {"nb": 1.0, "nn": 1.0, "en": 1.0, "da": 0.4, "sv": 0.4, "de": 0.6}
# A text is judged by its beginning: enough for a language, bounded for a 1,000-page file.
_SAMPLE = 10_000
# From this length a passage is told by lingua's quick models (trigrams only, 0.05 s to
# load; the full ones take 1.3 s). Its author: accuracy "mostly unaffected" above 120
# characters; measured on 6,300 passages (NorQuAD articles, the report, English prose,
# mixed text), 1 label of those this long differed. Scoring costs the same per character.
SHORT_TEXT = 120
_LOWER_WORD = re.compile(r"\b[a-zæøåäöüé][a-zæøåäöüéß]+\b")


def detect_language(text: str, *, default: str = UNDETERMINED) -> str:
    """ "no", "en", "da", "sv", "de", or `default` when the text gives too little evidence."""
    variety = _variety(text)
    if variety is None:
        return default
    return "no" if variety in ("nb", "nn") else variety


def opening(parts: Iterable[str]) -> str:
    """The beginning of `parts` joined by newlines that a language is judged by (a
    1,000-page document is not joined whole to be sliced)."""
    taken: list[str] = []
    size = 0
    for part in parts:
        taken.append(part)
        size += len(part) + 1
        if size >= _SAMPLE:
            break
    return "\n".join(taken)[:_SAMPLE]


def norwegian_variety(text: str, *, default: str = "nb") -> str:
    """ "nb" or "nn" for a Norwegian text; `default` for anything else."""
    variety = _variety(text)
    return variety if variety in ("nb", "nn") else default


def _variety(text: str) -> str | None:
    sample = text[:_SAMPLE]
    return _short_variety(sample) if len(sample) <= _CACHED else _measured_variety(sample)


# A question or claim is identified several times on its way (retrieval, analysis, the
# answer's language): short texts are remembered, a bounded few.
_CACHED = 2_000


@lru_cache(maxsize=2048)
def _short_variety(sample: str) -> str | None:
    return _measured_variety(sample)


class Languages(Protocol):
    """Tells the language of each of many texts, as `detect_languages` does."""

    def __call__(self, texts: Sequence[str], *, default: str = UNDETERMINED) -> list[str]: ...


def detect_languages(
    texts: Sequence[str], *, default: str = UNDETERMINED, parallel: bool = True
) -> list[str]:
    """`detect_language` of each text: the passages of a document, all at once. `parallel`
    measures them on every core (quicker, but a third more CPU time in all)."""
    samples = [text[:_SAMPLE] for text in texts]
    measured = [i for i, sample in enumerate(samples) if _says_enough(sample)]
    found = [default] * len(texts)
    for quick in (True, False):
        chosen = [i for i in measured if (len(samples[i]) >= SHORT_TEXT) == quick]
        if not chosen:
            continue  # the full models are not loaded for nothing
        detector = _detector(quick=quick)
        values = (
            detector.compute_language_confidence_values_in_parallel([samples[i] for i in chosen])
            if parallel
            else [detector.compute_language_confidence_values(samples[i]) for i in chosen]
        )
        for i, confidences in zip(chosen, values, strict=True):
            variety = _judged(confidences)
            if variety is not None:
                found[i] = "no" if variety in ("nb", "nn") else variety
    return found


def _says_enough(sample: str) -> bool:
    # Names and numbers alone ("Seville 2018", "OECD") say nothing of the language.
    return len(_LOWER_WORD.findall(sample)) >= 2


def _measured_variety(sample: str) -> str | None:
    if not _says_enough(sample):
        return None
    return _judged(_detector().compute_language_confidence_values(sample))


def _judged(confidences: Any) -> str | None:
    scores = {
        _CODES[c.language.name]: c.value * _PRIOR[_CODES[c.language.name]] for c in confidences
    }
    if not scores or max(scores.values()) <= 0:
        return None
    best = max(scores, key=scores.__getitem__)
    norwegian = scores.get("nb", 0.0) + scores.get("nn", 0.0)
    if best in ("nb", "nn") or norwegian >= scores[best]:
        return "nb" if scores.get("nb", 0.0) >= scores.get("nn", 0.0) else "nn"
    return best


@cache
def _detector(*, quick: bool = False) -> Any:
    from lingua import Language, LanguageDetectorBuilder  # lazy: loads language models

    languages = [getattr(Language, name) for name in _CODES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if quick else builder).build()
