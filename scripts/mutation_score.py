#!/usr/bin/env python3
"""Print the share of mutants killed in the last ``mutmut run`` (``make mutation``).

Reads the counts that ``mutmut export-cicd-stats`` writes to
``mutants/mutmut-cicd-stats.json``. A mutant that makes the tests hang
(``timeout``) counts as killed: the suite notices it. Every other mutant
that was not killed, including those no test reaches (``no_tests``) and
``suspicious`` ones, counts against the score.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

STATS = Path("mutants") / "mutmut-cicd-stats.json"


def main() -> int:
    if not STATS.exists():
        print(f"{STATS} not found: run `mutmut run` and `mutmut export-cicd-stats` first", file=sys.stderr)
        return 1
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    total = stats["total"] - stats.get("skipped", 0)
    killed = stats["killed"] + stats.get("timeout", 0)
    if total <= 0:
        print("no mutants were tested", file=sys.stderr)
        return 1
    print("mutants: " + ", ".join(f"{stats.get(k, 0)} {k.replace('_', ' ')}" for k in (
        "killed", "timeout", "survived", "no_tests", "suspicious", "segfault", "skipped")))
    print(f"mutation score: {100 * killed / total:.1f} % ({killed} of {total} killed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
