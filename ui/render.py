"""HTML and Markdown for the web app. Every piece of document text is escaped here.

gr.HTML does not sanitise, and gr.Chatbot renders Markdown: a document that
contains `<img src=x onerror=...>` or `![](http://...)` must show as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from assistant.answer import Answer, Citation, ClaimResult
from index.hit import Hit
from ingest.source import SourceRecord
from ui.labels import label
from ui.page_image import PageImage
from ui.reasons import reason_kind, refusing_rule
from ui.source_links import SourceLinks

_MARKER = re.compile(r"(\[\d{1,3}\])")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
# Characters of the page shown around a quote: a little before, more after.
_BEFORE = 400
_AFTER = 1200

# A source's links by its id (ui/source_links.py), local copy as the app serves it.
Links = Callable[[str], SourceLinks]


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally: no links, images, emphasis or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer, lang: str, number: int = 0) -> str:
    """The answer for the chat: escaped, unsupported sentences marked, each marker [n] a link
    to "#kilde-cite-{number}-{n}" (`number`: the answer's in the conversation), which the
    page's script (PAGE_SCRIPT) opens in the viewer."""
    text = answer.text
    for sentence in answer.sentences:
        if not sentence.supported and sentence.text in text:
            text = text.replace(sentence.text, f"\u0000{sentence.text}\u0001", 1)
    pieces = []
    for piece in _MARKER.split(text):
        if _MARKER.fullmatch(piece):
            shown = piece.replace("[", "&#91;").replace("]", "&#93;")
            pieces.append(f"**[{shown}](#kilde-cite-{number}-{piece[1:-1]})**")
        else:
            pieces.append(escape_markdown(piece))
    warning = f"⚠️ _({label(lang, 'unsupported')})_ "
    out = "".join(pieces).replace("\u0000", warning + "~~").replace("\u0001", "~~")
    return out.replace("\n", "  \n")


# The page's script. Clicks on an answer's [n] (links to "#kilde-cite-{answer}-{n}") go to
# the hidden #kilde-cite-request box, whose change opens that citation in the viewer (the
# time makes a second click on the same [n] a change too). Ctrl+Enter (Cmd+Enter) in the
# claim box checks it, as Enter asks a question. On a phone, a [n] also opens the sources
# drawer.
PAGE_SCRIPT = """() => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href^='#kilde-cite-']");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const box = document.querySelector("#kilde-cite-request textarea");
    if (!box) return;
    const panel = document.querySelector("#kilde-sources-panel");
    if (panel) panel.classList.add("kilde-open");  // the drawer, on a phone
    box.value = link.getAttribute("href").slice(12) + "@" + Date.now();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!(event.target.closest && event.target.closest("#kilde-claim"))) return;
    event.preventDefault();
    const check = document.querySelector("#kilde-check");
    if (check) check.click();
  }, true);
}"""


def citations_html(answer: Answer, lang: str, links: Links) -> str:
    if not answer.answered or not answer.citations:
        return _closest_html(answer.closest[:3], lang, links)
    items = [_citation_html(c, lang, links) for c in answer.citations]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in answer.notes)
    head = f"<h4>{html.escape(label(lang, 'cited_passages'))}</h4>"
    return head + "".join(items) + (f"<ul class='kilde-notes'>{notes}</ul>" if notes else "")


def _citation_html(citation: Citation, lang: str, links: Links) -> str:
    start = max(0, citation.passage.find(citation.quote))
    passage = _highlight(citation.passage, start, start + len(citation.quote))
    return (
        f"<div class='kilde-cite' id='kilde-cite-{citation.n}'>"
        f"<div><b>[{citation.n}]</b> {html.escape(citation.title)}, "
        f"{html.escape(citation.location(label(lang, 'page')))}"
        f"{_links(links(citation.doc_id), citation.url, citation.page, lang)}</div>"
        f"<blockquote>{passage}</blockquote></div>"
    )


def _closest_html(hits: Sequence[Hit], lang: str, links: Links) -> str:
    if not hits:
        return ""
    head = f"<h4>{html.escape(label(lang, 'closest'))}</h4>"
    items = [
        f"<div class='kilde-cite'><div>{html.escape(h.title)}, "
        f"{html.escape(h.location(label(lang, 'page')))}"
        f"{_links(links(h.chunk.doc_id), h.url, h.chunk.page, lang)}</div>"
        f"<blockquote>{html.escape(h.chunk.text)}</blockquote></div>"
        for h in hits
    ]
    return head + "".join(items)


def _links(source: SourceLinks, url: str | None, page: int, lang: str) -> str:
    """The original (marked when it no longer answered), the address the copy came from
    instead, and the local copy; PDFs open at the page."""
    links = []
    original = source.original or url
    if original and original.startswith(("http://", "https://")):
        word = label(lang, "original" if source.answered else "original_dead")
        links.append(_anchor(_at_page(original, page), word))
    if source.fetched and source.fetched.startswith(("http://", "https://")):
        word = label(lang, "archived" if source.how == "archived" else "rewritten")
        links.append(_anchor(_at_page(source.fetched, page), word))
    if source.local:
        links.append(_anchor(_at_page(source.local, page), label(lang, "local_copy")))
    return (" — " + " · ".join(links)) if links else ""


def _at_page(address: str, page: int) -> str:
    return f"{address}#page={page}" if address.lower().split("?")[0].endswith(".pdf") else address


def _anchor(href: str, text: str) -> str:
    return (
        f"<a href='{html.escape(href, quote=True)}' target='_blank' "
        f"rel='noopener noreferrer'>{html.escape(text)}</a>"
    )


def page_image_html(title: str, where: str, image: PageImage, zoom: int, note: str = "") -> str:
    """A rendered PDF page, the quote's lines marked over it, `zoom` per cent of the viewer's
    width; `note` says what the reader should know (the quote not found on the image)."""
    boxes = "".join(
        f"<span class='kilde-box' style='left:{x:.3%};top:{y:.3%};width:{w:.3%};height:{h:.3%}'>"
        "</span>"
        for x, y, w, h in image.boxes
    )
    head = html.escape(f"{title}, {where}")
    extra = f"<div class='kilde-note'>{html.escape(note)}</div>" if note else ""
    return (
        f"<div class='kilde-page'><div class='kilde-page-head'>{head}</div>{extra}"
        f"<div class='kilde-pdf-frame'><div class='kilde-pdf' style='width:{zoom}%'>"
        f"<img src='data:image/png;base64,{image.png}' alt='{head}' "
        f"width='{image.width}' height='{image.height}'>{boxes}</div></div></div>"
    )


def page_html(title: str, where: str, text: str, start: int, end: int) -> str:
    """The cited page around the quote, with the quote highlighted; `where` is the
    citation's location ("s. 3", "Deltakere, ¶ 2")."""
    lo = max(0, start - _BEFORE)
    hi = min(len(text), end + _AFTER)
    body = _highlight(text[lo:hi], start - lo, end - lo)
    before = "… " if lo > 0 else ""
    after = " …" if hi < len(text) else ""
    return (
        f"<div class='kilde-page'><div class='kilde-page-head'>{html.escape(title)}, "
        f"{html.escape(where)}</div>"
        f"<div class='kilde-page-text'>{before}{body}{after}</div></div>"
    )


def _highlight(text: str, start: int, end: int) -> str:
    return (
        html.escape(text[:start])
        + "<mark class='kilde-mark'>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:])
    ).replace("\n", "<br>")


_BADGE = {"supported": "#1a7f37", "contradicted": "#b42318", "not_in_sources": "#6e6e6e"}


def verdicts_html(results: Sequence[ClaimResult], lang: str, links: Links) -> str:
    items = []
    for r in results:
        badge = (
            f"<span class='kilde-badge kilde-{r.verdict}' style='background:{_BADGE[r.verdict]};"
            f"color:white;padding:2px 8px;border-radius:10px'>"
            f"{html.escape(label(lang, r.verdict))}</span>"
        )
        evidence = "".join(
            f"<blockquote>«{html.escape(e.quote)}» — {html.escape(e.title)}, "
            f"{html.escape(e.location(label(lang, 'page')))}"
            f"{_links(links(e.doc_id), e.url, e.page, lang)}</blockquote>"
            for e in r.evidence
        )
        items.append(
            f"<div class='kilde-verdict'><p>{badge} {html.escape(r.claim)}</p>"
            f"<p><i>{html.escape(r.reason)}</i> ({r.confidence:.0%})</p>{evidence}</div>"
        )
    return "".join(items)


def sources_html(records: Sequence[SourceRecord], lang: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in label(lang, "columns").split("|"))
    rows = []
    for r in records:
        cells = (r.id, r.status, r.obtained, r.kind or "-", r.lang, str(r.pages), str(r.chunks))
        detail = html.escape(r.title) if r.status == "ok" else _why(r, lang)
        rows.append(
            "<tr>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
            + f"<td>{detail}</td></tr>"
        )
    return f"<table class='kilde-sources'><tr>{head}</tr>{''.join(rows)}</table>"


def _why(record: SourceRecord, lang: str) -> str:
    """Why a source failed, in plain words; the ingest's own reason folded away."""
    reason = record.error or ""
    plain = label(lang, reason_kind(reason))
    rule = refusing_rule(reason)
    if rule:
        plain += f": {rule}"
    return (
        f"{html.escape(record.title)}: <details><summary>{html.escape(plain)}</summary>"
        f"{html.escape(reason)}</details>"
    )


def file_route(path: str) -> str:
    """Gradio's file route for a path it is allowed to serve."""
    return "/gradio_api/file=" + quote(path)
