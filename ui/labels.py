"""Interface text in Norwegian (bokmål) and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "kilde — spør rapporten og kildene den lenker til",
        "intro": (
            "Still spørsmål om **{report}** og dokumentene rapporten lenker til: en veileder fra "
            "Kommunal- og moderniseringsdepartementet, konferansesider og presentasjoner fra "
            "SMARTER-konferansen i Sevilla 2018. Hvert svar viser avsnittet og siden det bygger "
            "på. Klikk på et kildenummer for å se avsnittet i sin sammenheng. Du kan spørre på "
            "norsk eller engelsk, og sjekke påstander under «Sjekk påstand»."
        ),
        "chat_tab": "Spør",
        "check_tab": "Sjekk påstand",
        "sources_tab": "Kilder",
        "settings_tab": "Innstillinger",
        "question": "Spørsmål",
        "placeholder": "Skriv et spørsmål på norsk eller engelsk …",
        "send": "Spør",
        "clear": "Ny samtale",
        "citations": "Kilder i svaret",
        "viewer": "Kilden",
        "viewer_empty": "Klikk på et kildenummer for å se avsnittet på sin side.",
        "cited_passages": "Siterte avsnitt",
        "closest": "Nærmeste avsnitt",
        "claim": "Påstand eller avsnitt",
        "claim_placeholder": "Lim inn en påstand eller et avsnitt, f.eks. fra et notat …",
        "check": "Sjekk",
        "add_url": "Legg til URL",
        "upload": "Last opp PDF, HTML, TXT eller Markdown",
        "ingest": "Les inn på nytt",
        "backend": "Svarmotor",
        "passages": "Antall avsnitt",
        "language": "Språk i grensesnittet",
        "page": "s.",
        "original": "original",
        "local_copy": "lokal kopi",
        "original_dead": "original (svarer ikke lenger)",
        "references": "Kilder",
        "archived": "arkivert kopi",
        "rewritten": "ny adresse",
        "unsupported": "ikke støttet av kildene",
        "set_aside": "Modellens utkast (lagt til side: støttes ikke av kildene)",
        "supported": "støttet",
        "contradicted": "motsagt",
        "not_in_sources": "ikke i kildene",
        "err_busy": "Kildene leses inn akkurat nå; prøv igjen når det er ferdig.",
        "err_not_web": "Bare nettadresser (http eller https) kan legges til her; last opp "
        "filer med opplastingsknappen.",
        "err_no_source": "Fant ikke den kilden; velg en fra listen.",
        "err_nothing_to_retry": "Denne kilden har ingen adresse eller fil å lese på nytt.",
        "err_no_index": "Ingen kilder er lest inn ennå; les dem inn under «Kilder».",
        "err_index": "Kildene kunne ikke leses; les dem inn på nytt under «Kilder».",
        "err_llm": "Svarmotoren svarte ikke; prøv igjen, eller velg «extractive» under "
        "«Innstillinger».",
        "err_ingest": "Innlesingen stoppet.",
        "err_other": "Det gikk ikke.",
        "details": "Detaljer",
        "examples": "Eksempler",
        "status": "Status",
        "source_changed": "Kilden er endret siden dette svaret ble gitt; still spørsmålet på nytt.",
        "summarize_choice": "Oppsummer en kilde",
        "summarize": "Oppsummer",
        "overview": "Oversikt over alle kildene",
        "summary_of": "Oppsummer {title}",
        "export_name": "kilde-samtale",
        "page_back": "◀ Forrige side",
        "page_on": "Neste side ▶",
        "zoom_out": "Forminsk",
        "zoom_in": "Forstørr",
        "page_not_drawn": "Siden kunne ikke tegnes; her er teksten",
        "quote_not_drawn": "Sitatet kunne ikke markeres på siden; se «Siterte avsnitt».",
        "columns": "id|status|hentet|type|språk|sider|biter|tittel / grunn",
        "close": "Lukk",
        "why_offline": "Ikke hentet: kilde kjørte uten nett og hadde ingen kopi.",
        "why_host_unknown": "Nettstedet finnes ikke (adressen er feil, eller stedet er borte).",
        "why_refused": "Avvist av sikkerhetsreglene",
        "why_silent": "Nettstedet svarte ikke.",
        "why_gone": "Adressen finnes ikke lenger.",
        "why_forbidden": "Nettstedet nektet tilgang.",
        "why_encrypted": "PDF-en er kryptert med passord.",
        "why_not_pdf": "Ikke en PDF, selv om adressen sier det.",
        "why_damaged": "Filen er skadet eller kunne ikke leses.",
        "why_other": "Kunne ikke leses inn.",
        "manage": "Kilde",
        "ingest_done": "Ferdig: {ok} kilder lest inn, {failed} feilet, {skipped} hoppet over "
        "(grunnene står i tabellen).",
        "ingest_not_done": "Innlesingen ble ikke gjort; se loggen.",
        "ingest_log": "Logg",
        "remove": "Fjern kilden",
        "retry": "Prøv igjen",
        "copy_answer": "Kopier svaret (Markdown)",
        "copy_check": "Kopier vurderingene (Markdown)",
        "saved": "Lagrede samtaler",
        "configure_openai": "OpenAI-kompatibel modell: ikke satt opp; angi [llm] base_url og "
        "model i config.toml (se README).",
        "configure_llama": "Lokal GGUF-modell (llama-cpp): ikke installert; kjør `make local`.",
        "confidence_help": "Prosenten er hvor sikker kilde er på avgjørelsen, ut fra hvor godt "
        "avsnittet samsvarer med påstanden; den er ingen sannsynlighet for at påstanden er sann.",
        "save_name": "Navn på samtalen",
        "save": "Lagre",
        "saved_list": "Lagrede samtaler i denne nettleseren",
        "open": "Åpne",
        "delete": "Slett",
        "download_md": "Last ned samtalen (Markdown)",
        "download_docx": "Last ned samtalen (Word)",
    },
    "en": {
        "title": "kilde — ask the report and the sources it links to",
        "intro": (
            "Ask about **{report}** and the documents the report links to: a guide from the "
            "Norwegian Ministry of Local Government and Modernisation, conference pages and "
            "presentations from the SMARTER conference in Seville, 2018. Every answer shows the "
            "passage and page it rests on. Click a source number to see the passage in its "
            "context. Ask in Norwegian or English, and check claims under «Check a claim»."
        ),
        "chat_tab": "Ask",
        "check_tab": "Check a claim",
        "sources_tab": "Sources",
        "settings_tab": "Settings",
        "question": "Question",
        "placeholder": "Ask in Norwegian or English …",
        "send": "Ask",
        "clear": "New conversation",
        "citations": "Sources in the answer",
        "viewer": "The source",
        "viewer_empty": "Click a source number to see the passage on its page.",
        "cited_passages": "Cited passages",
        "closest": "Closest passages",
        "claim": "Claim or paragraph",
        "claim_placeholder": "Paste a claim or a paragraph, e.g. from a memo …",
        "check": "Check",
        "add_url": "Add a URL",
        "upload": "Upload a PDF, HTML, TXT or Markdown file",
        "ingest": "Ingest again",
        "backend": "Answer backend",
        "passages": "Passages per answer",
        "language": "Interface language",
        "page": "p.",
        "original": "original",
        "local_copy": "local copy",
        "original_dead": "original (no longer answers)",
        "references": "References",
        "archived": "archived copy",
        "rewritten": "new address",
        "unsupported": "not supported by the sources",
        "set_aside": "The model's draft (set aside: not supported by the sources)",
        "supported": "supported",
        "contradicted": "contradicted",
        "not_in_sources": "not in the sources",
        "err_busy": "The sources are being read right now; try again when that is done.",
        "err_not_web": "Only web addresses (http or https) can be added here; upload files "
        "with the upload button.",
        "err_no_source": "That source was not found; choose one from the list.",
        "err_nothing_to_retry": "This source has no address or file to read again.",
        "err_no_index": "No sources have been read yet; read them in under “Sources”.",
        "err_index": "The sources could not be read; read them in again under “Sources”.",
        "err_llm": "The answering model did not answer; try again, or choose “extractive” "
        "under “Settings”.",
        "err_ingest": "The ingest stopped.",
        "err_other": "That did not work.",
        "details": "Details",
        "examples": "Examples",
        "status": "Status",
        "source_changed": "The source has changed since this answer; ask again.",
        "summarize_choice": "Summarise a source",
        "summarize": "Summarise",
        "overview": "Overview of all sources",
        "summary_of": "Summarise {title}",
        "export_name": "kilde-conversation",
        "page_back": "◀ Previous page",
        "page_on": "Next page ▶",
        "zoom_out": "Zoom out",
        "zoom_in": "Zoom in",
        "page_not_drawn": "The page could not be drawn; here is its text",
        "quote_not_drawn": "The quote could not be marked on the page; see «Cited passages».",
        "columns": "id|status|obtained|kind|language|pages|chunks|title / reason",
        "close": "Close",
        "why_offline": "Not fetched: kilde ran offline and had no copy.",
        "why_host_unknown": "The site is unknown (the address is wrong, or the site is gone).",
        "why_refused": "Refused by the safety rules",
        "why_silent": "The site did not answer.",
        "why_gone": "The address no longer exists.",
        "why_forbidden": "The site refused access.",
        "why_encrypted": "The PDF is encrypted with a password.",
        "why_not_pdf": "Not a PDF, though its address says so.",
        "why_damaged": "The file is damaged or could not be read.",
        "why_other": "Could not be ingested.",
        "manage": "Source",
        "ingest_done": "Done: {ok} sources read, {failed} failed, {skipped} skipped "
        "(the reasons are in the table).",
        "ingest_not_done": "Nothing was ingested; see the log.",
        "ingest_log": "Log",
        "remove": "Remove the source",
        "retry": "Try again",
        "copy_answer": "Copy the answer (Markdown)",
        "copy_check": "Copy the verdicts (Markdown)",
        "saved": "Saved conversations",
        "configure_openai": "OpenAI-compatible model: not set up; set [llm] base_url and model "
        "in config.toml (see the README).",
        "configure_llama": "Local GGUF model (llama-cpp): not installed; run `make local`.",
        "confidence_help": "The percentage is how sure kilde is of the verdict, from how well "
        "the passage matches the claim; it is not a probability that the claim is true.",
        "save_name": "Name of the conversation",
        "save": "Save",
        "saved_list": "Conversations saved in this browser",
        "open": "Open",
        "delete": "Delete",
        "download_md": "Download the conversation (Markdown)",
        "download_docx": "Download the conversation (Word)",
    },
}

# The examples under the question box and the claim box, in the interface's language.
EXAMPLES = {
    "nb": [
        "Hva er det sentrale i prioriteringene, og hvor svikter det?",
        "Hva mener EIT at regionene bør benytte?",
        "Hvem utgjorde hovedmengden av deltakerne på konferansen?",
        "Oppsummer rapporten.",
    ],
    "en": [
        "What does the EIT think regions should make use of?",
        "Who made up most of the conference participants?",
        "Which co-authors with ties to Norway were mentioned?",
        "Summarise the report's main conclusions.",
    ],
}
CLAIM_EXAMPLES = {
    "nb": [
        "Ifølge rapporten gir smart spesialisering en god ramme for samarbeid mellom fagretninger.",
        "Rapporten sier at metoden for smart spesialisering i sin helhet oppsto innenfor EU.",
    ],
    "en": [
        "The report says the smart specialisation method originated entirely within the EU.",
        "According to the report, skills are becoming ever more important.",
    ],
}


# An answer's language code ("no", "nn") names the interface language it is shown in.
_INTERFACE = {"no": "nb", "nn": "nb"}


def label(lang: str, key: str) -> str:
    """The interface text `key` in `lang` (an interface or an answer language code)."""
    return LABELS.get(_INTERFACE.get(lang, lang), LABELS["en"])[key]
