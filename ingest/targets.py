"""What to obtain: root sources from config or the command line, and the links they hold."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from index.document import Page
from ingest.links import DroppedLink, LinkPolicy
from ingest.naming import LinkNamer, slug_title
from ingest.reflow import UrlMention, reflow
from ingest.settings import SourceSpec
from ingest.source import Mention
from ingest.textfile import parse_text
from ingest.url import normalise_url

_URL = re.compile(r"https?://[^\s<>\"']+")
SUPPORTED_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".text", ".md", ".markdown")


@dataclass(frozen=True)
class Target:
    """One document to obtain, with what is known of it before it is read."""

    id: str
    url: str | None
    path: Path | None
    obtained_as: str  # bundled | local | (fetched: decided by the fetcher)
    title: str | None
    title_from: str
    parent: str | None = None
    mention: Mention | None = None
    spec: SourceSpec | None = None


class PathResolver:
    """`Path.resolve`, with each folder resolved once: the files of one folder share it,
    and resolving 10,000 of them component by component was a tenth of a re-run."""

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name


def root_target(spec: SourceSpec, resolve: Callable[[Path], Path] = Path.resolve) -> Target:
    title_from = "config" if spec.title else ""
    if spec.bundled:
        path = Path(str(resources.files("ingest") / "bundled" / spec.bundled))
        return Target(
            spec.id or document_id(path.stem),
            None,
            path,
            "bundled",
            spec.title,
            title_from,
            spec=spec,
        )
    if spec.path:
        path = Path(spec.path).expanduser()
        return Target(
            spec.id or document_id(path.stem, str(resolve(path))),
            None,
            path,
            "local",
            spec.title,
            title_from,
            spec=spec,
        )
    url = normalise_url(spec.url or "")
    return Target(
        spec.id or document_id(slug_title(url), url),
        url,
        None,
        "",
        spec.title,
        title_from,
        spec=spec,
    )


def linked_targets(
    parent: str, pages: tuple[Page, ...], raw_text: str | None, policy: LinkPolicy
) -> tuple[list[Target], list[DroppedLink]]:
    """The links of a root source, each named the way the source names it."""
    mentions = _mentions(pages, raw_text)
    targets: list[Target] = []
    all_dropped: list[DroppedLink] = []
    for number, page_mentions in mentions.items():
        links, dropped = policy.select(page_mentions)
        all_dropped.extend(dropped)
        namer = LinkNamer(next(p.text for p in pages if p.number == number))
        for link in links:
            name = namer.name(link.url)
            where = name.mentioned_in
            targets.append(
                Target(
                    id=document_id(slug_title(link.url), link.url),
                    url=link.url,
                    path=None,
                    obtained_as="",
                    title=name.title,
                    title_from="report" if name.title else "",
                    parent=parent,
                    mention=Mention(parent, number, where.start, where.end, where.text)
                    if where
                    else None,
                )
            )
    return targets, all_dropped


def _mentions(pages: tuple[Page, ...], raw_text: str | None) -> dict[int, list[UrlMention]]:
    if raw_text is not None:
        # Reflowing took bare-URL lines out of the text; find them in the raw text again.
        return {pages[0].number: list(reflow(raw_text).urls)}
    return {
        p.number: [UrlMention(m.group(0), m.start()) for m in _URL.finditer(p.text)] for p in pages
    }


def raw_text_of(data: bytes) -> str:
    return parse_text(data).pages[0].text


def expand_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """Supported files under `folder` (recursively), and the files left out."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    kept = [p for p in files if p.suffix.lower() in SUPPORTED_SUFFIXES]
    return kept, [p for p in files if p.suffix.lower() not in SUPPORTED_SUFFIXES]


def document_id(title: str, key: str = "") -> str:
    """A short readable id, with a hash of `key` when names could collide."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "doc"
    if not key:
        return slug
    return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
