"""``python -m ckanext.opendata_th.quality FILE [--json] [--lang th|en]``

Checks one data file and prints the summary (Thai by default) or, with
``--json``, the JSON report (schema 1, see :mod:`.report`).

Exit status: 0 when no finding is an error, 1 when some are, 2 when the
file cannot be read as a table (a clear one-line message on stderr, in the
chosen language, never a traceback).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

from ckanext.opendata_th.playbook.messages import Message, N_
from ckanext.opendata_th.quality.checks import check_file
from ckanext.opendata_th.quality.report import LANGUAGES, catalog_gettext

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ckanext.opendata_th.quality",
        description="Check a data file (CSV, TSV, XLSX, XLS, JSON) before publishing it.")
    parser.add_argument("file", help="the file to check")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    parser.add_argument("--lang", choices=LANGUAGES, default="th",
                        help="language of the summary and messages (default: th)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
    try:
        report = check_file(args.file)
    except Exception as error:  # a bug must still not print a traceback to a publisher
        message = Message(N_("The check failed unexpectedly: {reason}"),
                          reason=f"{type(error).__name__}: {error}")
        print(message.render(catalog_gettext(args.lang), args.lang), file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    if not report.readable:
        print(report.summary(args.lang), file=sys.stderr)
        return EXIT_UNREADABLE
    if not args.json:
        print(report.summary(args.lang))
    return EXIT_ERRORS if report.has_errors else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
