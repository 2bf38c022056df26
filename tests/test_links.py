from __future__ import annotations

import pytest

from ingest.links import LinkPolicy
from ingest.naming import LinkNamer, slug_title, url_tokens
from ingest.reflow import UrlMention, reflow
from ingest.settings import LinkSettings

CDN = "http://3ftfah3bhjub3knerv1hneul-wpengine.netdna-ssl.com/wp-content/uploads/2018/09/"

PRESENTERS = {
    "26-Sept.-Seville-JPTS_OA_Wessner.pdf": "Charles Wessner, Georgetown University",
    "Moving-to-Smart-Specialisation-2.0-Seville.pdf": "Peter Berkowitz, European Commission",
    "Radosevic_Smarter-2018_vers2.pdf": "Slavo Radosevic, University College London",
    "Seville-2018-ARP.pdf": "Andrés Rodríguez-Pose, London School of Economics",
    "Realities-of-RIS3KM.pdf": "Kevin Morgan: The Realities of RIS3",
    "Archontakis-Dragona_Trust-Sevilla-Presentation-FINAL.pdf": "Fragiskos Archontakis: Looking",
    "GPNs-and-regional-devt_Henry-Yeung.pdf": "Henry Wai-chung Yeung, National University",
    "SMARTER-Seville-2018-Iammarino.pdf": "Simona Iammarino, London School of Economics",
    "Paunov_GeographyDigital_Sevilla_27Sept2018F.pdf": "Caroline Paunov, OECD Directorate",
}


def _select(report_text: str) -> tuple[list[str], list[str]]:
    settings = LinkSettings()
    kept, dropped = LinkPolicy(settings.drop, settings.max_links).select(reflow(report_text).urls)
    return [k.url for k in kept], [d.url for d in dropped]


def test_report_links_reduce_to_fourteen_documents(report_text: str) -> None:
    kept, dropped = _select(report_text)
    assert len(kept) == 14
    assert sum(url.endswith(".pdf") and "netdna-ssl" in url for url in kept) == 9
    assert any("veileder-smart-spesialisering" in url for url in kept)
    assert len(dropped) == 5
    assert any("facebook.com" in url for url in dropped)
    assert any("eu-norway.org" in url for url in dropped)


def test_duplicates_are_dropped_silently_and_invalid_links_with_a_reason() -> None:
    policy = LinkPolicy(drop=[], max_links=1)
    kept, dropped = policy.select(
        [
            UrlMention("http://x.org/a", 0),
            UrlMention("HTTP://X.ORG/a#top", 5),
            UrlMention("http://", 9),
            UrlMention("http://y.org/b", 12),
        ]
    )
    assert [k.url for k in kept] == ["http://x.org/a"]
    assert [d.reason for d in dropped] == [
        "not an http(s) URL: 'http://'",
        "more than 1 links (links.max_links)",
    ]


def test_invalid_drop_rule_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"links\.drop"):
        LinkPolicy(drop=["("], max_links=5)


@pytest.mark.parametrize(("name", "presenter"), PRESENTERS.items())
def test_presentations_are_named_as_the_report_names_them(
    report_text: str, name: str, presenter: str
) -> None:
    namer = LinkNamer(reflow(report_text).text)
    found = namer.name(CDN + name)
    assert found.title is not None and found.title.startswith(presenter)
    assert found.mentioned_in is not None and presenter in found.mentioned_in.text


def test_title_printed_on_the_line_after_the_presenter_is_included(report_text: str) -> None:
    title = LinkNamer(reflow(report_text).text).name(CDN + "Seville-2018-ARP.pdf").title
    assert title is not None and title.endswith("the revenge of the places that don’t matter")


def test_guide_is_found_in_prose_without_a_caption(report_text: str) -> None:
    text = reflow(report_text).text
    url = (
        "https://www.regjeringen.no/contentassets/9cff31a9a15c457c9366c63c5aa65f42/"
        "veileder-smart-spesialisering-endelig.pdf"
    )
    found = LinkNamer(text).name(url)
    assert found.title is None
    assert found.mentioned_in is not None
    assert "lagt frem en veileder i smart spesialisering" in found.mentioned_in.text
    start, end = found.mentioned_in.start, found.mentioned_in.end
    assert text[start:end] == found.mentioned_in.text


def test_unmatched_links_get_no_caption(report_text: str) -> None:
    found = LinkNamer(reflow(report_text).text).name(
        "http://s3platform.jrc.ec.europa.eu/s3-platform"
    )
    assert found.title is None


def test_slug_title_and_tokens() -> None:
    assert (
        slug_title(
            "http://www.oecd.org/publications/productivity-and-jobs-in-a-globalised-"
            "world-9789264293137-en.htm"
        )
        == "Productivity and jobs in a globalised world"
    )
    assert slug_title("https://example.org/") == "example.org"
    words = {t.word: t.acronym for t in url_tokens(CDN + "Realities-of-RIS3KM.pdf")}
    assert words["realities"] is False
    assert "km" not in words or words["km"] is True
