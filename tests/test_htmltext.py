"""HTML pages: main text only, as readable lines, with the right charset and title."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.document import Page
from ingest.htmltext import parse_html

PAGE = """<!DOCTYPE html>
<html lang="no">
<head>
  <meta charset="utf-8">
  <title>Smart spesialisering &ndash; Regjeringen</title>
  <style>p { color: red }</style>
  <script>document.write("<p>tracking</p>");</script>
</head>
<body>
  <header><a href="/">Logo</a><nav><ul><li>Home</li><li>News</li></ul></nav></header>
  <div class="layout">
    <aside>Related links</aside>
    <div class="content">
      <h1>Smart  spesialisering</h1>
      <p>Regionene   bør
         prioritere &amp; samarbeide.<br>Ny linje her.</p>
      <h2>Bakgrunn</h2>
      <ul><li>Første punkt</li><li>Andre punkt</li></ul>
      <form><button>Send</button><label>E-post</label></form>
      <noscript>Enable JavaScript</noscript>
      <div hidden>Hidden text</div>
      <table><tr><th>År</th><th>Beløp</th></tr><tr><td>2018</td><td>5&nbsp;mill.</td></tr></table>
    </div>
  </div>
  <footer>© Regjeringen</footer>
</body>
</html>
"""


def test_page_text_without_chrome() -> None:
    parsed = parse_html(PAGE.encode())

    assert parsed.pages == (
        Page(
            1,
            "Smart spesialisering\n\n"
            "Regionene bør prioritere & samarbeide.\nNy linje her.\n\n"
            "Bakgrunn\n\n"
            "Første punkt\nAndre punkt\n\n"
            "År Beløp\n2018 5 mill.",
        ),
    )
    assert parsed.title == "Smart spesialisering – Regjeringen"
    assert parsed.warnings == ()


def test_main_is_preferred() -> None:
    html = b"""<body><div>Cookie banner</div>
    <main><h1>Report</h1><p>The findings.</p></main><div>Share this</div></body>"""

    assert parse_html(html).pages[0].text == "Report\n\nThe findings."


def test_role_main_is_preferred_over_article() -> None:
    html = b"""<body><article>Teaser</article>
    <div role="main"><div><p>First</p></div><div>Second</div></div><p>After</p></body>"""

    assert parse_html(html).pages[0].text == "First\n\nSecond"


def test_articles_are_preferred_over_the_page() -> None:
    html = b"""<body><div>Menu</div>
    <article><header><h1>One</h1></header><p>Body one</p><footer>By Ola</footer></article>
    <div>Ad</div><article><p>Body two</p></article></body>"""

    assert parse_html(html).pages[0].text == "One\n\nBody one\n\nBy Ola\n\nBody two"


def test_empty_main_falls_back_to_the_page() -> None:
    html = b"<body><main><script>render()</script></main><p>Served text</p></body>"

    assert parse_html(html).pages[0].text == "Served text"


def test_unclosed_elements_end_with_their_parent() -> None:
    html = b"<body><div><nav><ul><li>Home<li>News</div><p>Kept<p>Also kept"

    assert parse_html(html).pages[0].text == "Kept\n\nAlso kept"


def test_charset_from_meta() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>æøå ÆØÅ</p></body></html>'

    assert parse_html(html.encode("latin-1")).pages[0].text == "æøå ÆØÅ"


def test_charset_from_http_equiv() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body>“æøå”</body></html>"
    )

    assert parse_html(html.encode("cp1252")).pages[0].text == "“æøå”"


def test_charset_argument_wins_over_meta() -> None:
    html = '<meta charset="utf-8"><p>æøå</p>'

    assert parse_html(html.encode("latin-1"), "iso-8859-1").pages[0].text == "æøå"


def test_undeclared_charset_falls_back_to_cp1252() -> None:
    assert parse_html("<p>blåbær</p>".encode("cp1252")).pages[0].text == "blåbær"


def test_title_from_og_title_then_h1() -> None:
    og = b'<head><meta property="og:title" content="  Open  Graph "></head><h1>Heading</h1>'
    h1 = b"<head><title> </title></head><nav><h1>Site</h1></nav><h1>The <em>real</em> one</h1>"

    assert parse_html(og).title == "Open Graph"
    assert parse_html(h1).title == "The real one"
    assert parse_html(b"<p>No heading</p>").title is None


def test_svg_title_is_not_the_page_title() -> None:
    html = b"<body><svg><title>icon</title></svg><h1>Heading</h1></body>"

    assert parse_html(html).title == "Heading"


def test_page_without_text_warns() -> None:
    parsed = parse_html(b"<html><body><nav>Only a menu</nav></body></html>")

    assert parsed.pages == (Page(1, ""),)
    assert parsed.warnings == ("the file has no text",)


@given(st.text())
def test_any_markup_parses(html: str) -> None:
    parsed = parse_html(html.encode())

    assert len(parsed.pages) == 1
    assert "\n\n\n" not in parsed.pages[0].text


def test_a_form_around_the_page_is_not_chrome() -> None:
    html = b"""<body><form id="aspnetForm" action="./Default.aspx">
    <input type="hidden" name="__VIEWSTATE" value="/wEPDwUBMA9kFgJmD2QWAg==">
    <div role="search"><label for="q">Search the site</label><input id="q"></div>
    <main><h1>Report</h1><p>The findings.</p>
    <form><label>Your e-mail</label><input name="e"><button>Subscribe</button></form></main>
    </form></body>"""

    assert parse_html(html).pages[0].text == "Report\n\nThe findings."


# Pages shaped like the government and conference pages kilde reads: for each,
# text that is the page's message, and chrome (menus, search boxes, cookie
# banners, breadcrumbs, footers) that is not.
REAL_PAGES = {
    "aspnet_form.html": (
        [
            "Tilskudd til regional utvikling 2024",
            "Fylkeskommunen lyser ut 42 millioner kroner",
            "varige arbeidsplasser utenfor de største byene",
            "Søknadsfristen er 15. mars 2024.",
            "Fordeling av midlene",
            "Ordning Beløp (mill. kr)\nBedriftsrettede tiltak 24,5\nKommunale næringsfond 11,0",
            "høyskoler og forskningsinstitutter",
        ],
        [
            "informasjonskapsler",
            "Godta alle",
            "Søk på nettstedet",
            "Tjenester og tilbud",
            "Kontakt oss",
            "Forsiden",
            "Innovasjon og forskning",
            "Postboks 1234",
            "Personvernerklæring",
            "Hopp til hovedinnhold",
            "/wEPDw",
        ],
    ),
    "regjeringen_article.html": (
        [
            "Statsbudsjettet 2024: Mer til kommunene",
            "øke kommunenes frie inntekter med 6,8 milliarder kroner",
            "kommuner med synkende folketall",
            "eldreomsorg prioriteres",
            "Vekst i frie inntekter 2024 (mrd. kr)\nForvaltningsnivå Vekst\nKommunene 5,7",
            "Fylkeskommunene 1,1",
            "resten av statsbudsjettet",
        ],
        [
            "informasjonskapsler",
            "Godta",
            "Søk på regjeringen.no",
            "Departementene",
            "Forsiden",
            "Postboks 8129",
            "Ansvarlig redaktør",
            "Tilgjengelighetserklæring",
            "Gå til hovedinnhold",
        ],
    ),
    "conference_programme.html": (
        [
            "University of Stavanger on 12 and 13 June 2024",
            "rooms E-101 to E-104",
            "Time Session Room\n09:00 Registration and coffee Foyer",
            "10:00 Keynote: Smart specialisation after ten years Main auditorium",
            "13:30 Parallel session B: Green industrial transition E-102",
            "09:30 Panel: Universities as regional actors Main auditorium",
            "Closing remarks and best paper award",
            "conference dinner",
        ],
        [
            "We use cookies",
            "Accept all cookies",
            "Search this site",
            "Call for papers",
            "Venue and travel",
            "contact@rip-conference",
            "All rights reserved",
        ],
    ),
    "main_element.html": (
        [
            "An independent evaluation finds",
            "a longer funding period",
            "Indicator 2019 2022\nProjects funded 312 405\nShare with a business partner 48 % 61 %",
            "downloaded as a PDF",
        ],
        [
            "We use cookies",
            "Accept all",
            "Funding",
            "About us",
            "Search",
            "PO Box 564",
            "Accessibility statement",
        ],
    ),
}
HTML_DATA = Path(__file__).parent / "data" / "html"


@pytest.mark.parametrize("name", sorted(REAL_PAGES))
def test_real_pages_keep_the_text_and_drop_the_chrome(name: str) -> None:
    kept, dropped = REAL_PAGES[name]

    text = parse_html((HTML_DATA / name).read_bytes()).pages[0].text

    assert [k for k in kept if k not in text] == []
    assert [d for d in dropped if d in text] == []


@pytest.mark.parametrize("name", sorted(REAL_PAGES))
def test_real_pages_have_paragraphs(name: str) -> None:
    text = parse_html((HTML_DATA / name).read_bytes()).pages[0].text

    assert text.count("\n\n") >= 4
    assert "\n\n\n" not in text


def test_real_page_title_is_the_page_title() -> None:
    parsed = parse_html((HTML_DATA / "aspnet_form.html").read_bytes())

    assert parsed.title == "Tilskudd til regional utvikling 2024 - Fylkeskommunen"


def test_extraction_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parse_html opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    for name in REAL_PAGES:
        assert parse_html((HTML_DATA / name).read_bytes()).pages[0].text
