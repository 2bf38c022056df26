"""The Gradio web app: ask with cited answers, view the cited page, check claims, manage sources."""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr
from gradio.events import api as gr_api

from assistant.answer import Answer, Draft
from assistant.llm import LLMError, Message
from index.errors import KildeIndexError
from index.sections import location
from ingest.errors import IngestError
from ui.export import (
    claims_markdown,
    conversation_docx,
    conversation_markdown,
    export_turns,
    turn_markdown,
)
from ui.labels import CLAIM_EXAMPLES, EXAMPLES, label
from ui.page_image import PageImageError, PageImages
from ui.progress import GradioProgress
from ui.reasons import failure_html, failure_markdown
from ui.render import (
    answer_markdown,
    citations_html,
    escape_markdown,
    file_route,
    page_html,
    page_image_html,
    sources_html,
    verdicts_html,
)
from ui.services import BACKENDS, AppServices
from ui.source_links import SourceLinks

# Downloads stay this long on disk (Gradio copies them to its cache when it serves them).
_EXPORTS_KEPT_S = 3600
# A drawn page's width in the viewer, per cent: at first, the range, and one step.
_ZOOM = 100
_ZOOMS = (50, 300)
_ZOOM_STEP = 25
History = list[dict[str, Any]]
Cites = list[dict[str, Any]]
Outputs = tuple[Any, ...]
CSS = """
.kilde-hidden { display: none !important; }
.kilde-pdf-frame { max-height: 75vh; overflow: auto; border: 1px solid #e5e5e5; }
.kilde-pdf { position: relative; }
.kilde-pdf img { width: 100%; height: auto; display: block; }
.kilde-box { position: absolute; background: rgba(255, 214, 0, 0.4); outline: 2px solid #e0a800; }
.kilde-note { font-size: 0.9em; color: #595959; }
#kilde-intro h1 { font-size: 1.5em; }
#kilde-drawer-toggle, #kilde-drawer-close { display: none; }
/* Gradio's footer link is too faint to read (axe: colour contrast). */
.show-api, .show-api * { color: #374151 !important; opacity: 1 !important; }
@media (max-width: 640px) {
  /* A phone: the title only, the question box and the latest answer in view; the sources
     in a drawer from the bottom. */
  #kilde-intro p { display: none; }
  #kilde-intro h1 { font-size: 1.1em; margin: 0; }
  #kilde-sources-panel {
    position: fixed; left: 0; right: 0; bottom: 0; max-height: 80vh; overflow-y: auto;
    z-index: 1000; padding: 12px; background: var(--background-fill-primary);
    box-shadow: 0 -4px 16px rgba(0, 0, 0, 0.25); transform: translateY(110%);
    transition: transform 0.2s;
  }
  #kilde-sources-panel.kilde-open { transform: none; }
  #kilde-drawer-toggle {
    display: block; position: fixed; right: 12px; bottom: 12px; z-index: 999; width: auto;
  }
  #kilde-drawer-close { display: block; }
}
.kilde-mark { background: #ffe066; padding: 0 2px; }
.kilde-page-text { max-height: 420px; overflow-y: auto; line-height: 1.5; }
.kilde-cite blockquote { margin: 4px 0 12px 0; font-size: 0.92em; }
.kilde-sources td, .kilde-sources th { padding: 2px 6px; font-size: 0.9em; }
#kilde-chips label { min-width: 3em; }
.kilde-verdict { margin-bottom: 16px; padding-bottom: 8px; border-bottom: 1px solid #e5e5e5; }
"""


class App:
    """Holds the services; its methods are the event handlers."""

    def __init__(self, services: AppServices, pages: PageImages) -> None:
        self.services = services
        self._pages = pages
        self.lang = "nb" if services.config.ui.language == "nb" else "en"

    def links(self, doc_id: str, version: str | None = None) -> SourceLinks:
        """Where the reader can open `doc_id`: its original, the address it came from when the
        original no longer answered, and its local copy."""
        record = self.services.record(doc_id)
        return SourceLinks.of(record, self.file_url(doc_id, version))

    def file_url(self, doc_id: str, version: str | None = None) -> str | None:
        path = self.services.local_copy(doc_id, version)
        return file_route(str(path)) if path else None

    # Chat

    def respond(
        self,
        message: str,
        history: History | None,
        conversation: History | None,
        cites: Cites | None,
        backend: str,
        k: int,
        lang: str,
    ) -> Iterator[Outputs]:
        """Streams the answer into the chat; `conversation` keeps the raw turns for follow-ups,
        `cites` every answer's citations (each [n] in the chat opens its own)."""
        history = list(history or [])
        turns = list(conversation or [])
        cites = list(cites or [])
        question = message.strip()
        if not question:
            yield history, turns, gr.update(), gr.update(), gr.update(), gr.update(), ""
            return
        yield self._open(question, history, turns, lang)
        try:
            assistant = self.services.assistant(backend)
            earlier = [Message(t["role"], t["content"]) for t in turns]
            events = assistant.ask_stream(question, earlier, int(k))
            yield from self._stream(question, events, history, turns, cites, lang, assistant)
        except (KildeIndexError, LLMError, ValueError) as error:
            yield self._failed(history, turns, error, lang)

    def summarize(
        self,
        doc_id: str | None,
        history: History | None,
        conversation: History | None,
        cites: Cites | None,
        backend: str,
        lang: str,
    ) -> Iterator[Outputs]:
        """A source's summary (no `doc_id`: the overview of all of them) into the chat, as
        an answer with its citations; a follow-up ("hva mer?") goes on from it."""
        history = list(history or [])
        turns = list(conversation or [])
        cites = list(cites or [])
        title = next((t for t, d in self.summary_choices(lang) if d and d == doc_id), None)
        question = (
            label(lang, "summary_of").format(title=title or doc_id)
            if doc_id
            else label(lang, "overview")
        )
        yield self._open(question, history, turns, lang)
        try:
            assistant = self.services.assistant(backend)
            answer_lang = "no" if lang == "nb" else "en"
            events = assistant.summarize_stream(question, doc_id or None, answer_lang)
            yield from self._stream(question, events, history, turns, cites, lang, assistant)
        except (KildeIndexError, LLMError, ValueError) as error:
            yield self._failed(history, turns, error, lang)

    def summary_choices(self, lang: str) -> list[tuple[str, str]]:
        """The overview, then every indexed source by title (none before the first ingest)."""
        try:
            sources = self.services.searcher().documents
        except KildeIndexError:
            sources = {}
        titled = sorted((info.title or doc_id, doc_id) for doc_id, info in sources.items())
        return [(label(lang, "overview"), ""), *titled]

    def exports(self, conversation: History | None, cites: Cites | None, lang: str) -> Outputs:
        """The conversation so far as Markdown and as a Word document, for the download
        buttons (none before the first answer)."""
        turns = export_turns(conversation or [], cites or [], label(lang, "page"))
        if not turns:
            return gr.update(value=None, interactive=False), gr.update(
                value=None, interactive=False
            )
        folder = self._export_folder()
        name = label(lang, "export_name")
        title = label(lang, "title")
        markdown = folder / f"{name}.md"
        markdown.write_text(conversation_markdown(title, turns, lang), encoding="utf-8")
        word = conversation_docx(title, turns, lang, folder / f"{name}.docx")
        return gr.update(value=str(markdown), interactive=True), gr.update(
            value=str(word), interactive=True
        )

    def _export_folder(self) -> Path:
        """A new folder for one download, under the app's own temporary folder (Gradio serves
        files from the system's temporary folder); folders older than an hour go."""
        root = Path(tempfile.gettempdir()) / f"kilde-exports-{os.getpid()}"
        root.mkdir(mode=0o700, exist_ok=True)
        for old in root.iterdir():
            if time.time() - old.stat().st_mtime > _EXPORTS_KEPT_S:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=root))

    def _open(self, question: str, history: History, turns: History, lang: str) -> Outputs:
        """The question in the chat, the answer's place held, the last answer's chips gone
        (its [n] in the chat still open its passages)."""
        history += [
            {"role": "user", "content": escape_markdown(question)},
            {"role": "assistant", "content": "…"},
        ]
        empty = label(lang, "viewer_empty")
        return history, turns, gr.update(choices=[], value=None), empty, "", gr.update(), ""

    def _stream(
        self,
        question: str,
        events: Iterator[Draft | Answer],
        history: History,
        turns: History,
        cites: Cites,
        lang: str,
        assistant: Any,
    ) -> Iterator[Outputs]:
        for event in events:
            if isinstance(event, Draft):
                history[-1] = {"role": "assistant", "content": escape_markdown(event.text)}
                yield history, turns, gr.update(), gr.update(), gr.update(), gr.update(), ""
            elif isinstance(event, Answer):
                turns += [
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": event.text},
                ]
                yield self._final(history, turns, cites, event, lang, assistant)

    def _failed(self, history: History, turns: History, error: Exception, lang: str) -> Outputs:
        history[-1] = {"role": "assistant", "content": failure_markdown(error, lang)}
        return history, turns, gr.update(choices=[]), gr.update(), "", gr.update(), ""

    def _final(
        self,
        history: History,
        turns: History,
        cites: Cites,
        answer: Answer,
        lang: str,
        assistant: Any,
    ) -> Outputs:
        # The answer's number in the conversation: its [n] are keyed "answer-n".
        number = sum(1 for t in turns if t["role"] == "assistant")
        history[-1] = {"role": "assistant", "content": answer_markdown(answer, lang, number)}
        if answer.set_aside is not None:
            # The model's draft failed verification: shown folded away, never as the answer.
            history.append(
                {
                    "role": "assistant",
                    "content": escape_markdown(answer.set_aside),
                    "metadata": {"title": label(lang, "set_aside"), "status": "done"},
                }
            )
        version = getattr(assistant.retriever, "version", "")
        chips = [(f"[{c.n}]", f"{number}-{c.n}") for c in answer.citations]
        cites += [
            {
                "key": f"{number}-{c.n}",
                "n": c.n,
                "doc_id": c.doc_id,
                "title": c.title,
                "page": c.page,
                "section": c.evidence().section,
                "paragraph": c.evidence().paragraph,
                "start": c.start,
                "end": c.end,
                "quote": c.quote,
                "url": c.url,
                "version": version,
            }
            for c in answer.citations
        ]
        return (
            history,
            turns,
            gr.update(choices=chips, value=None),
            label(lang, "viewer_empty"),
            citations_html(answer, lang, lambda doc_id: self.links(doc_id, version)),
            cites,
            "",
        )

    def show_citation(self, key: str | None, cites: Cites | None, lang: str) -> Outputs:
        """The page of citation `key` ("answer-n", of any answer in the conversation) from
        the index version its answer came from, the quote marked: a PDF's page drawn, a
        text's section. Also what the viewer now shows, for paging and zooming, and whether
        the paging and zooming tools are shown."""
        wanted = (key or "").split("@")[0]  # "@time": a click on the same [n] again
        cite = next((c for c in cites or [] if wanted and c.get("key") == wanted), None)
        if cite is None:
            return label(lang, "viewer_empty"), {}, gr.update(visible=False)
        viewing = {"key": wanted, "page": int(cite["page"]), "zoom": _ZOOM}
        # Paging and zooming are for drawn pages: a PDF's.
        tools = gr.update(visible=self._is_pdf(cite))
        return self._view(cite, viewing, lang), viewing, tools

    def turn_page(
        self, viewing: dict[str, Any] | None, step: int, cites: Cites | None, lang: str
    ) -> Outputs:
        """The PDF page before or after the one shown (`step` -1 or 1)."""
        return self._changed_view(viewing, cites, lang, page=step)

    def zoom(
        self, viewing: dict[str, Any] | None, step: int, cites: Cites | None, lang: str
    ) -> Outputs:
        """The page shown larger or smaller (`step` 1 or -1)."""
        return self._changed_view(viewing, cites, lang, zoom=step)

    def _changed_view(
        self,
        viewing: dict[str, Any] | None,
        cites: Cites | None,
        lang: str,
        *,
        page: int = 0,
        zoom: int = 0,
    ) -> Outputs:
        cite = next((c for c in cites or [] if viewing and c.get("key") == viewing["key"]), None)
        if cite is None or viewing is None or not self._is_pdf(cite):
            return gr.update(), viewing or {}
        record = self.services.record(cite["doc_id"])
        last = record.pages if record and record.pages else int(viewing["page"]) + page
        changed = {
            **viewing,
            "page": min(last, max(1, int(viewing["page"]) + page)),
            "zoom": min(_ZOOMS[-1], max(_ZOOMS[0], int(viewing["zoom"]) + zoom * _ZOOM_STEP)),
        }
        return self._view(cite, changed, lang), changed

    def _view(self, cite: dict[str, Any], viewing: dict[str, Any], lang: str) -> str:
        page = int(viewing["page"])
        cited = page == int(cite["page"])
        text = self.services.page(cite["version"], cite["doc_id"], int(cite["page"])) or ""
        if text[cite["start"] : cite["end"]] != cite["quote"]:
            return f"<p>{html.escape(label(lang, 'source_changed'))}</p>"
        page_word = label(lang, "page")
        where = (
            location(page, cite.get("section"), cite.get("paragraph"), page_word)
            if cited
            else f"{page_word} {page}"
        )
        failed = ""
        path = self.services.local_copy(cite["doc_id"], cite["version"])
        if path is not None and self._is_pdf(cite):
            try:
                image = self._pages.image(path, page, cite["quote"] if cited else "")
            except PageImageError as error:
                failed = failure_html(error, lang, "page_not_drawn")
            else:
                note = label(lang, "quote_not_drawn") if cited and not image.boxes else ""
                return page_image_html(cite["title"], where, image, int(viewing["zoom"]), note)
        if not cited:  # a page turned to that could not be drawn
            return failed
        return failed + page_html(cite["title"], where, text, cite["start"], cite["end"])

    def _is_pdf(self, cite: dict[str, Any]) -> bool:
        path = self.services.local_copy(cite["doc_id"], cite["version"])
        return path is not None and path.suffix.lower() == ".pdf"

    # API (gradio_client): a question alone is enough.

    def chat_api(self, question: str, history: list[dict[str, str]] | None = None) -> str:
        """Answer a question from the sources; the answer carries [n] citations."""
        earlier = [
            Message(str(m.get("role", "user")), str(m.get("content", ""))) for m in history or []
        ]
        answer = _api_call(lambda: self.services.assistant().ask(question, earlier))
        lines = [answer.text, ""]
        lines += [f"[{c.n}] {c.title}, {c.location()}: «{c.quote}»" for c in answer.citations]
        return "\n".join(lines).strip()

    def check_api(self, text: str) -> list[dict[str, Any]]:
        """A verdict (supported, contradicted, not_in_sources) for each claim in the text."""
        return [r.to_json() for r in _api_call(lambda: self.services.assistant().check(text))]

    def summarize_api(self, doc_id: str = "", sentences: int = 0) -> list[dict[str, Any]]:
        """A cited summary of one document (its id, see /search), or with no id an overview of
        every source; `sentences` per document (0: the defaults of `kilde summarize`)."""
        ids = [doc_id] if doc_id else []
        found = _api_call(lambda: self.services.summarizer().summaries(ids, int(sentences) or None))
        return [s.to_json() for s in found]

    def search_api(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        """The passages that best match the query."""
        hits = _api_call(lambda: self.services.searcher().retrieve(query, int(k)).hits)
        return [h.to_json(rank) for rank, h in enumerate(hits, 1)]

    # Check

    def check(self, text: str, backend: str, lang: str) -> tuple[str, str]:
        """The verdicts, shown, and as Markdown for the copy button."""
        if not text.strip():
            return "", ""
        try:
            results = self.services.assistant(backend).check(text)
        except (KildeIndexError, LLMError, ValueError) as error:
            return failure_html(error, lang), ""
        return verdicts_html(results, lang, self.links), claims_markdown(results, lang)

    def latest_markdown(self, conversation: History | None, cites: Cites | None, lang: str) -> str:
        """The latest answer (or summary) as Markdown with its references: what "copy" copies."""
        turns = export_turns(conversation or [], cites or [], label(lang, "page"))
        return turn_markdown(turns[-1], lang) if turns else ""

    # Sources

    def sources(self, lang: str) -> str:
        return sources_html(self.services.sources(), lang)

    def ingest(
        self,
        url: str,
        uploads: list[str] | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - how Gradio injects its progress bar
    ) -> Outputs:
        """Add URLs and uploads and ingest again (see _ingested)."""
        urls = [u for u in url.split() if u]
        files = [Path(p) for p in uploads or []]
        return self._ingested(lambda bar: self.services.ingest(urls, files, bar), lang, progress)

    def remove_source(
        self,
        doc_id: str | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - how Gradio injects its progress bar
    ) -> Outputs:
        """Forget a source and publish the index without it."""
        return self._ingested(lambda bar: self.services.remove(doc_id or "", bar), lang, progress)

    def retry_source(
        self,
        doc_id: str | None,
        lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - how Gradio injects its progress bar
    ) -> Outputs:
        """Fetch and read a source again."""
        return self._ingested(lambda bar: self.services.retry(doc_id or "", bar), lang, progress)

    def manage_choices(self, lang: str) -> Any:
        """Every source, failed ones too, to remove or try again."""
        records = self.services.sources()
        return gr.update(
            choices=[(f"{r.id} ({r.status})", r.id) for r in records],
            value=None,
            label=label(lang, "manage"),
        )

    def _ingested(
        self, work: Callable[[GradioProgress], str], lang: str, progress: gr.Progress
    ) -> Outputs:
        """The report of an ingest (or a removal), the sources table, and the sources a
        summary can be of and that can be managed, all as they now are."""
        try:
            status = _ingest_status(work(GradioProgress(progress)), lang)
        except (IngestError, KildeIndexError, ValueError) as error:
            status = failure_markdown(error, lang)
        return (
            status,
            self.sources(lang),
            gr.update(choices=self.summary_choices(lang)),
            self.manage_choices(lang),
        )


def build_app(services: AppServices) -> gr.Blocks:
    app = App(services, PageImages())
    lang = app.lang
    config = services.config
    # An in-process GGUF answers one request at a time; the others can run several.
    concurrency = 1 if config.llm.backend == "llama-cpp" else config.ui.concurrency
    report = (config.corpus.sources[0].title if config.corpus.sources else None) or "the report"
    # Every component with words on it, and how it says them in a language: a language
    # switch goes through all of them (a test checks none is left out).
    words: list[tuple[Any, Callable[[str], Any]]] = []

    def say(component: T, words_in: Callable[[str], Any]) -> T:
        words.append((component, words_in))
        return component

    def text(key: str) -> Callable[[str], Any]:
        return lambda lang: gr.update(value=label(lang, key))

    def titled(key: str) -> Callable[[str], Any]:
        return lambda lang: gr.update(label=label(lang, key))

    def button(key: str, elem_id: str, **options: Any) -> gr.Button:
        return say(gr.Button(label(lang, key), elem_id=elem_id, **options), text(key))

    def download(key: str, elem_id: str) -> gr.DownloadButton:
        button = gr.DownloadButton(label(lang, key), size="sm", interactive=False, elem_id=elem_id)
        return say(button, titled(key))

    blocks: gr.Blocks
    # Each ingest removes its uploads; every hour, uploads no ingest asked for are removed
    # after a day.
    with gr.Blocks(title="kilde", analytics_enabled=False, delete_cache=(3600, 86400)) as blocks:
        cites = gr.State([])
        conversation = gr.State([])  # the raw turns, for follow-up questions
        language = gr.State(lang)
        say(
            gr.Markdown(_intro(lang, report), elem_id="kilde-intro"),
            lambda lang: _intro(lang, report),
        )
        with gr.Tabs():
            with say(gr.Tab(label(lang, "chat_tab"), id="chat"), titled("chat_tab")):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            # On a phone the question box stays above the fold.
                            height="min(480px, 48vh)",
                            elem_id="kilde-chat",
                            show_label=False,
                            sanitize_html=True,
                            buttons=["copy"],
                        )
                        with gr.Row():
                            question = say(
                                gr.Textbox(
                                    show_label=False,
                                    scale=5,
                                    elem_id="kilde-question",
                                    placeholder=label(lang, "placeholder"),
                                ),
                                lambda lang: gr.update(placeholder=label(lang, "placeholder")),
                            )
                            send = button("send", "kilde-send", variant="primary", scale=1)
                        examples = gr.Examples(
                            [[q] for q in EXAMPLES[lang]],
                            inputs=question,
                            label=label(lang, "examples"),
                        )
                        say(examples.dataset, lambda lang: _examples(EXAMPLES, lang))
                        with gr.Row(equal_height=True):
                            summary_source = say(
                                gr.Dropdown(
                                    app.summary_choices(lang),
                                    value="",
                                    label=label(lang, "summarize_choice"),
                                    scale=5,
                                    elem_id="kilde-summary-source",
                                ),
                                lambda lang: gr.update(
                                    label=label(lang, "summarize_choice"),
                                    choices=app.summary_choices(lang),
                                ),
                            )
                            summarize = button("summarize", "kilde-summarize", scale=1)
                        with gr.Row():
                            copy_answer = button("copy_answer", "kilde-copy-answer", size="sm")
                            download_md = download("download_md", "kilde-download-md")
                            download_docx = download("download_docx", "kilde-download-docx")
                        drawer = button("citations", "kilde-drawer-toggle", size="sm")
                        clear = button("clear", "kilde-clear", size="sm")
                        with say(
                            gr.Accordion(label(lang, "saved"), open=False, elem_id="kilde-saved"),
                            titled("saved"),
                        ):
                            with gr.Row(equal_height=True):
                                save_name = say(
                                    gr.Textbox(
                                        label=label(lang, "save_name"),
                                        scale=3,
                                        elem_id="kilde-save-name",
                                    ),
                                    titled("save_name"),
                                )
                                save = button("save", "kilde-save", scale=1)
                            with gr.Row(equal_height=True):
                                saved_list = say(
                                    gr.Dropdown(
                                        [],
                                        label=label(lang, "saved_list"),
                                        scale=3,
                                        elem_id="kilde-saved-list",
                                    ),
                                    titled("saved_list"),
                                )
                                open_saved = button("open", "kilde-open", scale=1)
                                delete_saved = button("delete", "kilde-delete", scale=1)
                    # On a phone, a drawer from the bottom (CSS): opened by a click on an
                    # answer's [n] or by the "Sources" button, which only a phone shows.
                    with gr.Column(scale=2, elem_id="kilde-sources-panel"):
                        drawer_close = button("close", "kilde-drawer-close", size="sm")
                        chips = say(
                            gr.Radio(
                                [],
                                label=label(lang, "citations"),
                                elem_id="kilde-chips",
                                interactive=True,
                            ),
                            titled("citations"),
                        )
                        viewer = say(
                            gr.HTML(label(lang, "viewer_empty"), elem_id="kilde-viewer"),
                            lambda lang: label(lang, "viewer_empty"),
                        )
                        viewing = gr.State({})  # the citation and page shown, its zoom
                        with gr.Row(elem_id="kilde-page-tools", visible=False) as page_tools:
                            page_back = button("page_back", "kilde-page-back", size="sm")
                            page_on = button("page_on", "kilde-page-on", size="sm")
                            zoom_out = button("zoom_out", "kilde-zoom-out", size="sm")
                            zoom_in = button("zoom_in", "kilde-zoom-in", size="sm")
                        # Filled by a click on an answer's [n] (render.PAGE_SCRIPT).
                        cite_request = gr.Textbox(
                            elem_id="kilde-cite-request",
                            elem_classes=["kilde-hidden"],
                            show_label=False,
                            container=False,
                        )
                        cited = gr.HTML("", elem_id="kilde-cited")
            with say(gr.Tab(label(lang, "check_tab"), id="check"), titled("check_tab")):
                claim = say(
                    gr.Textbox(
                        label=label(lang, "claim"),
                        lines=5,
                        elem_id="kilde-claim",
                        placeholder=label(lang, "claim_placeholder"),
                    ),
                    lambda lang: gr.update(
                        label=label(lang, "claim"), placeholder=label(lang, "claim_placeholder")
                    ),
                )
                check = button("check", "kilde-check", variant="primary")
                claim_examples = gr.Examples(
                    [[c] for c in CLAIM_EXAMPLES[lang]], inputs=claim, label=label(lang, "examples")
                )
                say(claim_examples.dataset, lambda lang: _examples(CLAIM_EXAMPLES, lang))
                verdicts = gr.HTML("", elem_id="kilde-verdicts")
                verdicts_markdown = _hidden("kilde-verdicts-markdown")
                copy_verdicts = button("copy_check", "kilde-copy-check", size="sm")
                say(
                    gr.Markdown(label(lang, "confidence_help"), elem_id="kilde-confidence-help"),
                    lambda lang: label(lang, "confidence_help"),
                )
            with say(gr.Tab(label(lang, "sources_tab"), id="sources"), titled("sources_tab")):
                table = say(gr.HTML(app.sources(lang), elem_id="kilde-sources"), app.sources)
                url = say(
                    gr.Textbox(
                        label=label(lang, "add_url"), placeholder="https://…", elem_id="kilde-url"
                    ),
                    titled("add_url"),
                )
                upload = say(
                    gr.File(
                        label=label(lang, "upload"),
                        file_count="multiple",
                        type="filepath",
                        file_types=[".pdf", ".html", ".htm", ".txt", ".md"],
                    ),
                    titled("upload"),
                )
                ingest = button("ingest", "kilde-ingest")
                with gr.Row(equal_height=True):
                    managed = say(
                        gr.Dropdown(label=label(lang, "manage"), elem_id="kilde-manage", scale=3),
                        app.manage_choices,
                    )
                    remove = button("remove", "kilde-remove", scale=1)
                    retry = button("retry", "kilde-retry", scale=1)
                status = gr.Markdown("", elem_id="kilde-ingest-status")
            with say(gr.Tab(label(lang, "settings_tab"), id="settings"), titled("settings_tab")):
                # Only backends that can run are offered; the others say how to set them up.
                missing = services.unconfigured()
                backend = say(
                    gr.Radio(
                        [b for b in BACKENDS if b not in missing],
                        value=config.llm.backend,
                        label=label(lang, "backend"),
                        info=_how_to_configure(missing, lang),
                        elem_id="kilde-backend",
                    ),
                    lambda lang: gr.update(
                        label=label(lang, "backend"), info=_how_to_configure(missing, lang)
                    ),
                )
                k = say(
                    gr.Slider(
                        2, 12, value=config.retrieval.k, step=1, label=label(lang, "passages")
                    ),
                    titled("passages"),
                )
                language_choice = say(
                    gr.Radio(
                        [("Norsk (bokmål)", "nb"), ("English", "en")],
                        value=lang,
                        label=label(lang, "language"),
                        elem_id="kilde-language",
                    ),
                    titled("language"),
                )

        chat_inputs = [question, chatbot, conversation, cites, backend, k, language]
        chat_outputs = [chatbot, conversation, chips, viewer, cited, cites, question]
        downloads = ([conversation, cites, language], [download_md, download_docx])
        answered = gr.on(
            [question.submit, send.click],
            app.respond,
            chat_inputs,
            chat_outputs,
            api_name="ui_chat",
            api_visibility="undocumented",
            concurrency_limit=concurrency,
            concurrency_id="answers",
        ).then(app.exports, *downloads, api_visibility="private")
        summarised = summarize.click(
            app.summarize,
            [summary_source, chatbot, conversation, cites, backend, language],
            chat_outputs,
            api_name="ui_summarize",
            api_visibility="undocumented",
            concurrency_limit=concurrency,
            concurrency_id="answers",
        ).then(app.exports, *downloads, api_visibility="private")
        for opens_or_closes in (drawer, drawer_close):
            opens_or_closes.click(None, None, None, js=_TOGGLE_DRAWER)
        # The conversation is kept in the browser: a reload brings it back; saved ones are
        # kept under their names until deleted.
        kept = gr.BrowserState({}, storage_key="kilde-conversation")
        saved = gr.BrowserState({}, storage_key="kilde-saved")
        chat_state = [chatbot, conversation, cites]
        # The latest answer as Markdown, for the copy button: in the page (hidden), as the
        # button's script reads it there (a State never leaves the server).
        latest = _hidden("kilde-latest-markdown")
        blocks.load(
            _restored, [kept, saved], [*chat_state, saved_list], api_visibility="private"
        ).then(app.exports, *downloads, api_visibility="private").then(
            app.latest_markdown, [conversation, cites, language], [latest]
        )
        for event in (answered, summarised):
            event.then(_kept, chat_state, [kept], api_visibility="private").then(
                app.latest_markdown, [conversation, cites, language], [latest]
            )
        copy_answer.click(None, [latest], None, js=_COPY)
        save.click(
            _saved, [save_name, *chat_state, saved], [saved, saved_list], api_visibility="private"
        )
        open_saved.click(
            _opened, [saved_list, saved], [*chat_state, kept], api_visibility="private"
        ).then(app.exports, *downloads, api_visibility="private").then(
            app.latest_markdown, [conversation, cites, language], [latest]
        )
        delete_saved.click(
            _deleted, [saved_list, saved], [saved, saved_list], api_visibility="private"
        )
        clear.click(
            lambda lang: (
                [],
                [],
                gr.update(choices=[], value=None),
                label(lang, "viewer_empty"),
                "",
                [],
                gr.update(value=None, interactive=False),
                gr.update(value=None, interactive=False),
            ),
            [language],
            [chatbot, conversation, chips, viewer, cited, cites, download_md, download_docx],
            api_name="ui_clear",
            api_visibility="private",
        ).then(_kept, chat_state, [kept], api_visibility="private")
        for tool, change, step in (
            (page_back, app.turn_page, -1),
            (page_on, app.turn_page, 1),
            (zoom_out, app.zoom, -1),
            (zoom_in, app.zoom, 1),
        ):
            tool.click(
                partial(_stepped, change, step),
                [viewing, cites, language],
                [viewer, viewing],
                api_visibility="private",
            )
        cite_request.change(
            app.show_citation,
            [cite_request, cites, language],
            [viewer, viewing, page_tools],
            api_name="ui_cite_link",
            api_visibility="private",
        )
        chips.change(
            app.show_citation,
            [chips, cites, language],
            [viewer, viewing, page_tools],
            api_name="ui_citation",
            api_visibility="undocumented",
        )
        copy_verdicts.click(None, [verdicts_markdown], None, js=_COPY)
        check.click(
            app.check,
            [claim, backend, language],
            [verdicts, verdicts_markdown],
            api_name="ui_check",
            api_visibility="undocumented",
            concurrency_limit=concurrency,
            concurrency_id="answers",
        )
        ingested = [status, table, summary_source, managed]
        ingest.click(
            app.ingest,
            [url, upload, language],
            ingested,
            api_name="ui_ingest",
            api_visibility="undocumented",
            concurrency_limit=1,
            concurrency_id="ingest",
        ).then(
            # An ingest removes Gradio's temporary files of its uploads, read or refused;
            # the box must not offer them again.
            lambda: None,
            None,
            upload,
            api_visibility="private",
        )
        for manages, work in ((remove, app.remove_source), (retry, app.retry_source)):
            manages.click(
                work,
                [managed, language],
                ingested,
                api_visibility="private",
                concurrency_limit=1,
                concurrency_id="ingest",
            )
        blocks.load(app.manage_choices, [language], [managed], api_visibility="private")
        # The interface's language: the one chosen before (kept in the browser), else the
        # browser's own on the first visit (nb, nn, no: bokmål; anything else: English).
        chosen = gr.BrowserState("", storage_key="kilde-language")
        blocks.load(
            lambda kept: kept if kept in ("nb", "en") else lang,
            [chosen],
            [language_choice],
            js=BROWSER_LANGUAGE,
            api_visibility="private",
        )
        language_choice.change(
            lambda choice: [choice, choice, *(words_in(choice) for _, words_in in words)],
            [language_choice],
            [language, chosen, *(component for component, _ in words)],
            api_name="ui_language",
            api_visibility="private",
        )
        gr_api(
            app.chat_api, api_name="chat", concurrency_limit=concurrency, concurrency_id="answers"
        )
        gr_api(
            app.check_api, api_name="check", concurrency_limit=concurrency, concurrency_id="answers"
        )
        gr_api(app.search_api, api_name="search")
        gr_api(app.summarize_api, api_name="summarize")
    return blocks


Kept = dict[str, Any]  # a conversation as the browser keeps it


def _kept(history: History, turns: History, cites: Cites) -> Kept:
    return {"history": history, "turns": turns, "cites": cites}


def _restored(kept: Kept | None, saved: dict[str, Kept] | None) -> Outputs:
    """The conversation of the last visit, and the names of the saved ones."""
    kept = kept or {}
    names = sorted(saved or {})
    return (
        kept.get("history", []),
        kept.get("turns", []),
        kept.get("cites", []),
        gr.update(choices=names, value=names[0] if names else None),
    )


def _saved(
    name: str, history: History, turns: History, cites: Cites, saved: dict[str, Kept] | None
) -> Outputs:
    """The conversation saved under `name` (a saved one of that name replaced)."""
    saved = dict(saved or {})
    name = " ".join(name.split())[:80]
    if not name or not turns:
        return saved, gr.update()
    saved[name] = _kept(history, turns, cites)
    return saved, gr.update(choices=sorted(saved), value=name)


def _opened(name: str | None, saved: dict[str, Kept] | None) -> Outputs:
    found = (saved or {}).get(name or "")
    if found is None:
        return gr.update(), gr.update(), gr.update(), gr.update()
    return found["history"], found["turns"], found["cites"], found


def _deleted(name: str | None, saved: dict[str, Kept] | None) -> Outputs:
    saved = {k: v for k, v in (saved or {}).items() if k != name}
    names = sorted(saved)
    return saved, gr.update(choices=names, value=names[0] if names else None)


# The copy buttons: the Markdown the server prepared goes to the clipboard.
_COPY = "(text) => { if (text) navigator.clipboard.writeText(text); }"
_TOGGLE_DRAWER = (
    "() => document.querySelector('#kilde-sources-panel').classList.toggle('kilde-open')"
)


_COUNTS = re.compile(r"(\d+) ok, (\d+) failed, (\d+) skipped")


def _ingest_status(log: str, lang: str) -> str:
    """One plain line in the reader's language; the ingest's own log folded away under it."""
    counts = _COUNTS.search(log)
    if counts:
        ok, failed, skipped = counts.groups()
        plain = label(lang, "ingest_done").format(ok=ok, failed=failed, skipped=skipped)
    else:
        plain = label(lang, "ingest_not_done")
    return (
        f"{plain}\n\n<details><summary>{html.escape(label(lang, 'ingest_log'))}</summary>\n\n"
        f"```\n{log}\n```\n\n</details>"
    )


def _hidden(elem_id: str) -> gr.Textbox:
    return gr.Textbox(
        elem_id=elem_id, elem_classes=["kilde-hidden"], show_label=False, container=False
    )


def _how_to_configure(missing: dict[str, str], lang: str) -> str:
    return " ".join(label(lang, key) for key in missing.values())


def _intro(lang: str, report: str) -> str:
    return f"# {label(lang, 'title')}\n\n" + label(lang, "intro").format(report=report)


def _examples(examples: dict[str, list[str]], lang: str) -> Any:
    return gr.update(samples=[[e] for e in examples[lang]], label=label(lang, "examples"))


# The language kept from an earlier visit, else the browser's: what `blocks.load` starts with.
BROWSER_LANGUAGE = """(kept) => {
  if (kept === "nb" || kept === "en") return kept;
  const first = ((navigator.languages && navigator.languages[0]) || navigator.language || "");
  return /^(nb|nn|no)\\b/i.test(first) ? "nb" : "en";
}"""


def _stepped(
    change: Callable[[dict[str, Any] | None, int, Cites | None, str], Outputs],
    step: int,
    viewing: dict[str, Any] | None,
    cites: Cites | None,
    lang: str,
) -> Outputs:
    return change(viewing, step, cites, lang)


T = TypeVar("T")


def _api_call(call: Callable[[], T]) -> T:
    """Errors a person can act on become Gradio's error message, not a traceback."""
    try:
        return call()
    except (KildeIndexError, LLMError, ValueError) as error:
        raise gr.Error(str(error)) from error
