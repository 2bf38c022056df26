"""The child process that tells passages' languages: `python -m index.language_worker`.

One JSON request per line on stdin, `{"texts": ["..."], "default": "no"}`, and one
reply per line on stdout, `{"langs": ["no", "en", ...]}`: `detect_languages` of the
texts, one text at a time (see index/language_process.py).
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from index.language import detect_languages


def serve(stdin: TextIO, stdout: TextIO) -> int:
    """Answer one request per line until stdin closes."""
    # lingua loads its models with the first text; loaded now, while the parent still
    # reads its first files (a passage this long loads only the quick ones).
    detect_languages(
        ["the models are loaded now, " * 5, "modellene lastes nå, " * 6], parallel=False
    )
    for line in stdin:
        request = json.loads(line)
        langs = detect_languages(request["texts"], default=request["default"], parallel=False)
        stdout.write(json.dumps({"langs": langs}) + "\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.stdin, sys.stdout))
