"""Benchmark of the data quality checker (issue 13, point 5): our
``check_file`` against ``frictionless validate`` and a bare read of the
same CSV by polars and by pyarrow.

The file (seeded, in a temporary directory): ``--rows`` rows (1,000,000 by
default) of 10 columns the way Thai agencies publish them: a running
number, Thai text, Buddhist Era dates (``15/03/2567``, one in ten
``2567-03-15``), province codes (one in a thousand invalid), ISO 3166
country and ISO 4217 currency codes, amounts with thousands separators
(``"1,234,567"``), quantities and notes with blanks, and codes with
leading zeros; 1 % of the rows repeat the row before them.

Each tool runs in a child process of its own, so that its peak memory is
its own (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the child, which
includes the interpreter and the tool's imports; the file is generated in
a child too, as Linux carries a parent's peak over into its children); its
time is the operation alone (imports done first, and one untimed run on the
file's first 1,000 rows: a jobs worker checks many files in one process,
so loading the code lists and compiling the patterns is not part of each
check; the checker's first use is printed apart); the median of ``--repeat``
runs (3) is compared, as a shared machine varies by about 20 % from one run
to the next. Printed per tool: rows, seconds, rows/s, peak MB and every
run's time; then the ratios "frictionless / ours" (rows/s; target
≥ 20) and "ours / polars read" (seconds; target ≤ 3), each with met / NOT
met. Our check must find the duplicates, thousands separators, date
formats and invalid codes it was given (counted: a fast failure is not a
result).

frictionless is slow (40,000-50,000 rows/s here: 20-25 s a run): ``--frictionless-rows N``
times it on the first N rows only, and the output says so; the ratio then
compares rows per second.

``--profile``: instead, cProfile one check of the file (200,000 rows by
default) and print the costliest functions.

    .venv/bin/python benchmarks/quality.py                 # 1,000,000 rows, about 3 minutes
    .venv/bin/python benchmarks/quality.py --rows 100000 --frictionless-rows 20000
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the checkout

FRICTIONLESS_TARGET, POLARS_TARGET = 20.0, 3.0
WARM_UP_ROWS = 1000
MARK = "@@quality-benchmark@@ "

WORDS = ("กรุงเทพมหานคร", "โรงเรียน", "สำนักงาน", "การส่งออก", "สินค้าเกษตร", "ข้าวหอมมะลิ",
         "ยางพารา", "มันสำปะหลัง", "ท่องเที่ยว", "สาธารณสุข", "ประมง", "ป่าไม้")
PROVINCES = ("10", "11", "12", "13", "20", "21", "30", "34", "40", "50", "57", "65", "80", "83", "90", "96")
COUNTRIES = ("TH", "LA", "MM", "KH", "VN", "MY", "CN", "JP", "US", "SG")
CURRENCIES = ("THB", "USD", "EUR", "JPY", "CNY", "LAK")
HEADER = ("ลำดับ", "รายการ", "วันที่", "จังหวัด", "ประเทศ", "สกุลเงิน", "มูลค่า", "จำนวน",
          "หมายเหตุ", "รหัสสินค้า")
DUPLICATE_SHARE = 0.01
INVALID_PROVINCE_SHARE = 0.001


def generate(path: str, rows: int, seed: int = 13) -> dict[str, int]:
    """Write the benchmark CSV; what it holds (to check the checker's counts)."""
    import polars as pl

    rnd = random.Random(seed)
    columns: dict[str, list[Any]] = {name: [] for name in HEADER}
    duplicates = invalid = iso_dates = 0
    previous: tuple[Any, ...] = ()
    for number in range(1, rows + 1):
        if previous and rnd.random() < DUPLICATE_SHARE:
            row = previous
            duplicates += 1
        else:
            day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(2560, 2568)
            province = "99" if rnd.random() < INVALID_PROVINCE_SHARE else rnd.choice(PROVINCES)
            row = (str(number), " ".join(rnd.sample(WORDS, 3)),
                   f"{year}-{month:02d}-{day:02d}" if rnd.random() < 0.1 else f"{day:02d}/{month:02d}/{year}",
                   province, rnd.choice(COUNTRIES), rnd.choice(CURRENCIES),
                   f"{rnd.randint(1000, 99_999_999):,}",
                   str(rnd.randint(0, 500)) if rnd.random() > 0.05 else None,
                   rnd.choice(WORDS) if rnd.random() > 0.3 else None,
                   f"{rnd.randint(0, 99_999):05d}")
        iso_dates += row[2][4] == "-"
        invalid += row[3] == "99"
        for name, cell in zip(HEADER, row):
            columns[name].append(cell)
        previous = row
    pl.DataFrame(columns, schema={name: pl.String for name in HEADER}).write_csv(path)
    return {"rows": rows, "duplicates": duplicates, "invalid_provinces": invalid, "iso_dates": iso_dates}


def head(path: str, rows: int, target: str) -> None:
    """The header and the first ``rows`` rows of ``path`` (no cell holds a line break)."""
    with open(path, "rb") as source, open(target, "wb") as out:
        for number, line in enumerate(source):
            if number > rows:
                break
            out.write(line)


# -- the children --------------------------------------------------------------------------------

def _tool(tool: str) -> Callable[[str], dict[str, Any]]:
    """The operation of one tool on a file: its facts, ``seconds`` the
    operation alone."""
    if tool == "ours":
        from ckanext.opendata_th.quality import check_file

        def ours(path: str) -> dict[str, Any]:
            started = time.perf_counter()
            report = check_file(path)
            seconds = time.perf_counter() - started
            found: dict[str, int] = {}
            for finding in report.findings:  # summed over the columns
                found[finding.code] = found.get(finding.code, 0) + finding.count
            return {"seconds": seconds, "rows": report.rows, "findings": found,
                    "complete": report.complete}
        return ours
    if tool == "polars read":
        import polars as pl

        def polars_read(path: str) -> dict[str, Any]:
            started = time.perf_counter()
            frame = pl.read_csv(path, infer_schema=False)
            return {"seconds": time.perf_counter() - started, "rows": frame.height}
        return polars_read
    if tool == "pyarrow read":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        def pyarrow_read(path: str) -> dict[str, Any]:
            started = time.perf_counter()
            names = pacsv.open_csv(path).schema.names
            table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}))
            return {"seconds": time.perf_counter() - started, "rows": table.num_rows}
        return pyarrow_read
    if tool == "frictionless":
        import frictionless

        def frictionless_validate(path: str) -> dict[str, Any]:
            started = time.perf_counter()
            with frictionless.system.use_context(trusted=True):
                report = frictionless.validate(path, limit_errors=10**9)
            task = report.tasks[0]
            return {"seconds": time.perf_counter() - started, "rows": task.stats.get("rows", 0),
                    "errors": len(task.errors)}
        return frictionless_validate
    raise ValueError(tool)


def child(tool: str, path: str, warm_up: str | None = None, repeat: int = 1) -> dict[str, Any]:
    """Run one tool on ``path`` (in a child process) ``repeat`` times; the
    facts of the run of median time, with every run's ``times``. With
    ``warm_up``, the tool first runs once on that small file, untimed, as a
    long-running worker has (code lists loaded, patterns compiled, thread
    pools started); its time is kept as ``first_use_seconds``."""
    run = _tool(tool)
    first = run(warm_up)["seconds"] if warm_up else None
    runs = sorted((run(path) for _ in range(repeat)), key=lambda result: result["seconds"])
    return {**runs[len(runs) // 2], "times": [result["seconds"] for result in runs],
            "first_use_seconds": first}


def run_child(tool: str, path: str, *extra: str) -> dict[str, Any]:
    output = subprocess.run([sys.executable, __file__, "--child", tool, path, *extra],
                            check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith(MARK))
    return json.loads(line[len(MARK):])


# -- the parent ----------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def benchmark(rows: int, frictionless_rows: int | None, directory: str, repeat: int = 3) -> int:
    path = os.path.join(directory, "benchmark.csv")
    started = time.perf_counter()
    facts = run_child("generate", path, str(rows))  # the parent stays small: see --child
    print(f"Generated {rows:,} rows x {len(HEADER)} columns ({os.path.getsize(path) / 2**20:.0f} MB) "
          f"in {time.perf_counter() - started:.0f} s: {facts['duplicates']:,} duplicate rows, "
          f"{facts['invalid_provinces']:,} invalid province codes, {facts['iso_dates']:,} ISO dates.")
    warm_up = os.path.join(directory, "warm-up.csv")
    head(path, WARM_UP_ROWS, warm_up)
    results = {tool: run_child(tool, path, warm_up, str(repeat))
               for tool in ("ours", "polars read", "pyarrow read")}
    friction_path = path
    if frictionless_rows and frictionless_rows < rows:
        friction_path = os.path.join(directory, "benchmark-head.csv")
        head(path, frictionless_rows, friction_path)
    results["frictionless"] = run_child("frictionless", friction_path, warm_up, str(repeat))

    print(f"\n{'tool':<14}{'rows':>12}{'seconds':>10}{'rows/s':>14}{'peak MB':>10}   runs (s)")
    for tool, result in results.items():
        rate = result["rows"] / result["seconds"] if result["seconds"] else float("inf")
        result["rate"] = rate
        print(f"{tool:<14}{result['rows']:>12,}{result['seconds']:>10.2f}{rate:>14,.0f}"
              f"{result['peak_mb']:>10.0f}   {' '.join(f'{time:.2f}' for time in result['times'])}")
    print(f"(each tool ran once on the file's first {WARM_UP_ROWS:,} rows before it was timed, as a "
          f"long-running jobs worker has, then {repeat} times on the file in the same process: the "
          f"median run is compared; our checker's first use in a process took "
          f"{results['ours']['first_use_seconds']:.2f} s there, most of it loading the code lists)")
    if friction_path != path:
        print(f"(frictionless read the first {results['frictionless']['rows']:,} rows only "
              f"(--frictionless-rows): its ratio compares rows per second.)")

    ours = results["ours"]
    found = ours["findings"]
    expected = {"rows.duplicate": facts["duplicates"], "codes.invalid": facts["invalid_provinces"],
                "dates.mixed_formats": facts["iso_dates"]}
    missed = {code: (found.get(code), count) for code, count in expected.items() if found.get(code) != count}
    if "numbers.thousands_separator" not in found:
        missed["numbers.thousands_separator"] = (None, rows)
    if ours["rows"] != rows or missed or not ours["complete"]:
        print(f"\nOur check did not find what the file holds: {missed} (rows {ours['rows']:,})")
        return 1
    print(f"\nOur check found: {', '.join(f'{code} {count:,}' for code, count in sorted(found.items()))}")
    versus_frictionless = ours["rate"] / results["frictionless"]["rate"]
    versus_polars = ours["seconds"] / results["polars read"]["seconds"]
    print(f"frictionless / ours (rows/s): {versus_frictionless:.1f}x faster "
          f"(target >= {FRICTIONLESS_TARGET:g}: {verdict(versus_frictionless >= FRICTIONLESS_TARGET)})")
    print(f"ours / polars read (seconds): {versus_polars:.2f}x "
          f"(target <= {POLARS_TARGET:g}: {verdict(versus_polars <= POLARS_TARGET)})")
    print(f"ours / pyarrow read (seconds): {ours['seconds'] / results['pyarrow read']['seconds']:.2f}x")
    return 0


def profile(rows: int, directory: str, top: int) -> None:
    import cProfile
    import pstats

    from ckanext.opendata_th.quality import check_file

    path = os.path.join(directory, "benchmark.csv")
    generate(path, rows)
    profiler = cProfile.Profile()
    profiler.enable()
    check_file(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--frictionless-rows", type=int, default=None,
                        help="time frictionless on the first N rows only")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs of each tool (the median is compared)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--child", nargs="+", metavar="TOOL PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # Linux keeps a process's peak memory across fork and exec: the parent
        # generates nothing itself, so that a child's peak is the child's own
        tool, path, *extra = args.child
        result = (generate(path, int(extra[0])) if tool == "generate"
                  else child(tool, path, extra[0] if extra else None,
                             int(extra[1]) if len(extra) > 1 else 1))
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(MARK + json.dumps(result), flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="quality-benchmark-") as directory:
        if args.profile:
            profile(args.rows if args.rows != 1_000_000 else 200_000, directory, args.top)
            return 0
        return benchmark(args.rows, args.frictionless_rows, directory, max(1, args.repeat))


if __name__ == "__main__":
    sys.exit(main())
