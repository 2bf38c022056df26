"""Fixed sentences kilde writes, in Norwegian (bokmål) and English, and how it compares
quoted text."""

from __future__ import annotations

# The sentinel for a question the sources do not answer: fixed, so it can be tested.
NOT_ANSWERED = {
    "en": "The sources do not answer this question.",
    "no": "Kildene svarer ikke på dette spørsmålet.",
}
# "What else", when every sentence that answers was quoted before.
NOTHING_MORE = {
    "en": "The sources say nothing more on this than what was quoted above.",
    "no": "Kildene sier ikke mer om dette enn det som er sitert over.",
}
# Retrieval found something, but it stands out little: answer, and say so.
UNSURE = {
    "en": "The sources may not answer this directly; the closest passages say:",
    "no": "Kildene svarer kanskje ikke direkte på dette; de nærmeste avsnittene sier:",
}
UNSURE_CROSS_LINGUAL = {
    ("en", "no"): "The sources may not answer this directly. They are in Norwegian; the closest "
    "passages say:",
    ("no", "en"): "Kildene svarer kanskje ikke direkte på dette. De er på engelsk; de nærmeste "
    "avsnittene sier:",
}
CROSS_LINGUAL = {
    ("en", "no"): "The sources are in Norwegian; this is what they say:",
    ("no", "en"): "Kildene er på engelsk; dette er hva de sier:",
}
# The model's answer failed verification; the verified extractive answer is shown instead.
DRAFT_SET_ASIDE = {
    "en": "The model's answer was set aside: most of its sentences are not supported by the "
    "sources. This answer quotes the sources instead.",
    "no": "Modellens svar ble lagt til side: de fleste setningene støttes ikke av kildene. "
    "Dette svaret siterer kildene i stedet.",
}
SUMMARY_SET_ASIDE = {
    "en": "The model's summary was set aside: most of its sentences are not supported by the "
    "sources. This summary quotes the sources instead.",
    "no": "Modellens sammendrag ble lagt til side: de fleste setningene støttes ikke av kildene. "
    "Dette sammendraget siterer kildene i stedet.",
}
LANGUAGE_NAMES = {
    "en": {"no": "Norwegian", "en": "English"},
    "no": {"no": "norsk", "en": "engelsk"},
}


def text_for(table: dict[str, str], lang: str) -> str:
    return table.get(lang, table["en"])


def normalise(text: str) -> str:
    """`text` as quotes are compared: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()
