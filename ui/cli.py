"""The `kilde` command line: builds the objects, runs a command, prints the outcome."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.evaluation import EvalFileError
from assistant.llm import LLMError
from index.errors import KildeIndexError
from ingest.errors import IngestError
from ui.config import Config, ConfigError, load_config, redacted, to_toml


def main(argv: Sequence[str] | None = None) -> int:
    # OpenMP threads (the embedder, llama.cpp) must not spin while they wait: on a busy
    # 2-core machine spinning turned a 13 ms answer into 1.6 s (bench/answer.py).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    try:
        config = _config(args)
        return int(args.command(config, args))
    except (ConfigError, IngestError, KildeIndexError, EvalFileError, LLMError) as error:
        print(f"kilde: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kilde: interrupted", file=sys.stderr)
        return 130


def _config(args: argparse.Namespace) -> Config:
    config_path = getattr(args, "config", None) or os.environ.get("KILDE_CONFIG")
    config = load_config(Path(config_path) if config_path else None, os.environ)
    data_dir = getattr(args, "data_dir", None)
    if data_dir:
        config = config.model_copy(
            update={"paths": config.paths.model_copy(update={"data_dir": data_dir})}
        )
    return config


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="a TOML file overriding the defaults (see config.toml)",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where downloads, the corpus and the index are kept",
    )
    parser = argparse.ArgumentParser(
        prog="kilde",
        parents=[common],
        description="Ask questions of a report and the documents it links to, with citations.",
    )
    # No set_defaults for --config/--data-dir: the subcommands share these action
    # objects, so a default set here would overwrite a value given before the command.
    commands = parser.add_subparsers(title="commands")

    ingest = commands.add_parser(
        "ingest",
        parents=[common],
        help="build the corpus",
        description="Ingest the configured sources, the sources added "
        "before, and any URL, FILE or FOLDER given here.",
    )
    ingest.add_argument("sources", nargs="*", metavar="URL|FILE|FOLDER")
    ingest.add_argument(
        "--offline", action="store_true", help="use only the download cache and bundled files"
    )
    ingest.add_argument("--strict", action="store_true", help="exit non-zero if any source failed")
    ingest.add_argument(
        "--allow-private-hosts",
        action="store_true",
        help="allow loopback and private addresses, on any port (a local mirror); "
        "link-local, multicast and unspecified addresses stay refused",
    )
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="read every file again and rebuild the index whole, also when it was made "
        "with another embedder",
    )
    ingest.set_defaults(command=_ingest)

    sources = commands.add_parser("sources", parents=[common], help="list every source")
    sources.add_argument("--json", action="store_true", help="print JSON")
    sources.set_defaults(command=_sources)

    search = commands.add_parser(
        "search",
        parents=[common],
        help="find passages",
        description="Search the index; the models load once for all queries.",
    )
    search.add_argument("queries", nargs="+", metavar="QUERY")
    search.add_argument("-k", type=int, default=5, help="hits per query (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--doc", action="append", metavar="ID", help="only this document")
    search.add_argument("--lang", action="append", metavar="LANG", help="only chunks in LANG")
    search.add_argument("--kind", action="append", metavar="KIND", help="only pdf, html, text…")
    search.set_defaults(command=_search)

    ask = commands.add_parser(
        "ask",
        parents=[common],
        help="answer questions, with citations",
        description="Answer each question from the sources, citing passage and page.",
    )
    ask.add_argument("questions", nargs="+", metavar="QUESTION")
    ask_output = ask.add_mutually_exclusive_group()
    ask_output.add_argument("--json", action="store_true", help="print JSON")
    ask_output.add_argument(
        "--markdown", action="store_true", help="print Markdown with a numbered reference list"
    )
    ask.set_defaults(command=_ask)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="check claims against the sources",
        description="A verdict (supported, contradicted, not_in_sources) for each claim; a "
        "paragraph is split into its sentences.",
    )
    check.add_argument("claims", nargs="+", metavar="CLAIM")
    check_output = check.add_mutually_exclusive_group()
    check_output.add_argument("--json", action="store_true", help="print JSON")
    check_output.add_argument(
        "--markdown", action="store_true", help="print Markdown with a numbered reference list"
    )
    check.set_defaults(command=_check)

    summarize = commands.add_parser(
        "summarize",
        parents=[common],
        help="cited summaries of documents, or an overview of the corpus",
        description="A summary of each DOC_ID (see `kilde sources`) from its salient "
        "sentences, verbatim and cited; with no DOC_ID, an overview of every source.",
    )
    summarize.add_argument("doc_ids", nargs="*", metavar="DOC_ID")
    summarize.add_argument(
        "--sentences",
        type=int,
        metavar="N",
        help="sentences per document (default 10; in the overview 2 per source)",
    )
    summarize.add_argument(
        "--lang", choices=["no", "en"], default="no", help="language of the headings (default no)"
    )
    summarize.add_argument("--json", action="store_true", help="print JSON")
    summarize.set_defaults(command=_summarize)

    evaluate = commands.add_parser(
        "eval",
        parents=[common],
        help="measure retrieval, answers and claim checks",
        description="Recall@1/5/10, MRR and budget recall; answers that cite the evidence and "
        "contain the gold answer, answerable questions answered, unanswerable ones declined; "
        "claim verdicts with a confusion matrix; overall and per language, on JSON Lines "
        "evaluation files.",
    )
    evaluate.add_argument("files", type=Path, nargs="+", metavar="FILE")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument(
        "--mode",
        choices=["hybrid", "dense", "lexical", "rrf"],
        default="hybrid",
        help="retrieval to measure: kilde's fusion (default), one retriever, or plain RRF",
    )
    evaluate.add_argument(
        "--split",
        choices=["all", "tune", "validate"],
        default="all",
        help="only the tuning or the validation half of each file (by a hash of the item id)",
    )
    evaluate.set_defaults(command=_eval)

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="start the web app",
        description="Start the web app on this machine (127.0.0.1 unless --host says otherwise).",
    )
    serve.add_argument("--host", help="address to listen on (default: ui.host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: ui.port, 7860)")
    serve.add_argument(
        "--auth-file",
        type=Path,
        metavar="FILE",
        help="require a login: the users of FILE (see `kilde passwd`; default: ui.auth_file)",
    )
    serve.set_defaults(command=_serve)

    passwd = commands.add_parser(
        "passwd",
        parents=[common],
        help="add a user of the web app, or change a password",
        description="Store USER's password, salted and hashed, in the password file of "
        "`kilde serve`. The password is asked for twice; piped in, it is read once from "
        "standard input.",
    )
    passwd.add_argument("user", metavar="USER")
    passwd.add_argument(
        "--auth-file", type=Path, metavar="FILE", help="the password file (default: ui.auth_file)"
    )
    passwd.set_defaults(command=_passwd)

    config = commands.add_parser("config", parents=[common], help="show the configuration")
    config_commands = config.add_subparsers(title="actions", required=True)
    show = config_commands.add_parser(
        "show", parents=[common], help="print the merged config, secrets redacted"
    )
    show.set_defaults(command=_config_show)
    return parser


def _ingest(config: Config, args: argparse.Namespace) -> int:
    from ui.ingest_command import run_ingest

    return run_ingest(
        config,
        args.sources,
        offline=args.offline,
        strict=args.strict,
        allow_private_hosts=args.allow_private_hosts,
        rebuild=args.rebuild,
    )


def _search(config: Config, args: argparse.Namespace) -> int:
    from index.search import Filters
    from ui.search_command import run_search

    if args.k < 1:
        raise ConfigError("-k must be at least 1")
    filters = Filters(
        doc_ids=frozenset(args.doc) if args.doc else None,
        langs=frozenset(args.lang) if args.lang else None,
        kinds=frozenset(args.kind) if args.kind else None,
    )
    return run_search(config, args.queries, k=args.k, as_json=args.json, filters=filters)


def _serve(config: Config, args: argparse.Namespace) -> int:
    from ui.login import Login
    from ui.passwords import read_auth_file
    from ui.serve import launch

    path = _auth_file(config, args)
    auth = Login(read_auth_file(path)) if path else None
    launch(config, host=args.host or config.ui.host, port=args.port or config.ui.port, auth=auth)
    return 0


def _passwd(config: Config, args: argparse.Namespace) -> int:
    from ui.passwords import set_password

    path = _auth_file(config, args)
    if path is None:
        raise ConfigError("name the password file with --auth-file FILE (or ui.auth_file)")
    set_password(path, args.user, _new_password())
    print(f"kilde: the password of {args.user} is stored in {path}", file=sys.stderr)
    return 0


def _auth_file(config: Config, args: argparse.Namespace) -> Path | None:
    given = args.auth_file or config.ui.auth_file
    return Path(given).expanduser() if given else None


def _new_password() -> str:
    if not sys.stdin.isatty():
        # Piped in (a script, a test): one line, its line ending not part of it.
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    password = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != password:
        raise ConfigError("the two passwords differ; nothing was changed")
    return password


def _ask(config: Config, args: argparse.Namespace) -> int:
    from ui.ask_command import run_ask

    return run_ask(config, args.questions, as_json=args.json, markdown=args.markdown)


def _summarize(config: Config, args: argparse.Namespace) -> int:
    from ui.summarize_command import run_summarize

    return run_summarize(
        config, args.doc_ids, sentences=args.sentences, lang=args.lang, as_json=args.json
    )


def _check(config: Config, args: argparse.Namespace) -> int:
    from ui.ask_command import run_check

    return run_check(config, args.claims, as_json=args.json, markdown=args.markdown)


def _eval(config: Config, args: argparse.Namespace) -> int:
    from ui.search_command import run_eval

    return run_eval(config, args.files, as_json=args.json, mode=args.mode, split=args.split)


def _sources(config: Config, args: argparse.Namespace) -> int:
    from ingest.corpus import CorpusStore
    from ui.tables import sources_table

    store = CorpusStore(config.data_dir)
    if not store.exists():
        print(f"kilde: no corpus in {config.data_dir}; run `kilde ingest` first", file=sys.stderr)
        return 1
    records = store.sources()
    if args.json:
        print(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
    else:
        print(sources_table(records))
    return 0


def _config_show(config: Config, args: argparse.Namespace) -> int:
    print(to_toml(redacted(config)), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
