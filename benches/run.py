"""Benchmarks for tradescribe: ingest + statistics against DuckDB, whole bulletins, a batch.

Run from the repository root (a fresh clone is enough; Python 3.9+ and cargo are needed):

    python3 benches/run.py                 # 10,000,000 synthetic rows (about 0.5 GB of CSV)
    python3 benches/run.py --rows 200000   # a quick run
    python3 benches/run.py --keep          # keep the output files in target/bench/out/

What it does, in order:

1. Makes DuckDB's Python package importable: the installed one if any, else
   `pip install --target target/bench/pydeps duckdb` (once; later runs reuse it).
2. Builds `target/release/tradescribe` with `cargo build --release`.
3. Writes a SYNTHETIC dataset, deterministic (seed SEED below), to
   `target/bench/synthetic-<rows>/`: dataset.yaml, data.csv (exactly --rows month rows of
   canonical CSV, 2000-01..2019-12, export and import: the reporter's total, 240 partners that add
   up exactly to it, and as many HS-like product codes as it takes to reach the row count) and
   PROVENANCE.txt. It is made once per row count and reused. These are not official statistics.
4. Ingest + statistics for 2019-12: `tradescribe stats` against DuckDB (benches/duckdb_stats.py)
   computing the same table, each in its own process, alternating, --repeat times; reports the
   best wall time and the largest peak RSS of each, and checks that both give the same figures.
5. Whole bulletins, start-up included: the default run (China) and the U.S. Census data for
   2019-07, --bulletin-runs times each; min and median wall time, peak RSS.
6. A batch: a bulletin per U.S. partner for every month of 2019 (`--each partner`), into a fresh
   folder each time; best wall time, files written, peak RSS.
7. The backtest: `tradescribe explain --from 1987-01 --to 2021-12` on the U.S. data, the rules
   run over all 420 months of the full U.S. range; best wall time, processor time, peak RSS.
8. The targets next to the results, PASS or MISS.

Every timed command runs under benches/measure.py, which forks it and reads its peak RSS with
os.wait4 (see that file for why it is not simply subprocess.Popen + os.wait4).

Exit status: 0 when every step ran, whether or not the targets are met (this is a report); 1 when
something broke (a command failed, or tradescribe and DuckDB disagree on a figure); 2 for a bad
command line.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "target" / "bench"
PYDEPS = BENCH_DIR / "pydeps"
OUT_DIR = BENCH_DIR / "out"
MEASURE = ROOT / "benches" / "measure.py"
DUCKDB_HELPER = ROOT / "benches" / "duckdb_stats.py"
BINARY = ROOT / "target" / "release" / "tradescribe"

SEED = 20191231
# Bump when the generator changes, so that datasets made by an older one are made again.
GENERATOR_VERSION = 1
FIRST_YEAR, LAST_YEAR = 2000, 2019
MONTHS = [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
PERIOD = "2019-12"  # the month the statistics are computed for
PARTNERS = 240
FLOWS = ("export", "import")
ROWS_PER_SERIES = len(MONTHS) * len(FLOWS)  # 480
# A member with fewer rows than a full history keeps its latest months; it keeps at least
# two whole years, so that 2019-12 and its year to date have a value a year earlier.
MIN_PARTIAL_ROWS = 24 * len(FLOWS)
MIN_ROWS = 3 * ROWS_PER_SERIES  # the total, one partner, one product
HEADER = "period,basis,flow,dimension,member,value"

# Targets (see the README).
TARGET_BULLETIN_MS = 20.0
TARGET_BATCH_S = 3.0
TARGET_BACKTEST_S = 5.0
BACKTEST_RANGE = ("1987-01", "2021-12")


def log(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# 1. DuckDB


def ensure_duckdb() -> tuple[str, dict[str, str]]:
    """Imports duckdb, installing it into target/bench/pydeps if needed.

    Returns its version and the environment for child processes (PYTHONPATH includes pydeps when
    that is where duckdb was found)."""
    env = dict(os.environ)
    try:
        import duckdb  # noqa: F401
    except ImportError:
        if not (PYDEPS / "duckdb").is_dir():
            log(f"duckdb is not installed: pip install --target {PYDEPS.relative_to(ROOT)} duckdb")
            PYDEPS.mkdir(parents=True, exist_ok=True)
            pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                   "--target", str(PYDEPS), "duckdb"]
            if subprocess.run(pip).returncode != 0:
                raise SystemExit(f"run.py: `{' '.join(pip)}` failed")
        sys.path.insert(0, str(PYDEPS))
        importlib.invalidate_caches()
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PYDEPS), env.get("PYTHONPATH")) if p)
    import duckdb

    return duckdb.__version__, env


# --------------------------------------------------------------------------------------------
# 2. Build


BUILD = ["cargo", "build", "--release", "--quiet"]


def build() -> None:
    if subprocess.run(BUILD, cwd=ROOT).returncode != 0:
        raise SystemExit(f"run.py: `{' '.join(BUILD)}` failed")
    if not BINARY.is_file():
        raise SystemExit(f"run.py: cargo build did not make {BINARY}")


# --------------------------------------------------------------------------------------------
# 3. Synthetic dataset


@dataclass
class Shape:
    """How many members each dimension has, and how many rows each product has."""

    partners: int
    product_rows: list[int]  # rows of each product, at most ROWS_PER_SERIES; partial ones last


def shape(rows: int) -> Shape:
    partners = min(PARTNERS, rows // ROWS_PER_SERIES - 2)
    rest = rows - ROWS_PER_SERIES * (1 + partners)  # at least one full product's worth
    product_rows = [ROWS_PER_SERIES] * (rest // ROWS_PER_SERIES)
    left = rest % ROWS_PER_SERIES
    if left:
        if left < MIN_PARTIAL_ROWS:
            # Too short a history: split the last full product's rows with it instead.
            product_rows[-1] = ROWS_PER_SERIES + left - MIN_PARTIAL_ROWS
            left = MIN_PARTIAL_ROWS
        product_rows.append(left)
    assert 1 + partners + len(product_rows) >= 3 and partners >= 1
    assert ROWS_PER_SERIES * (1 + partners) + sum(product_rows) == rows
    return Shape(partners, product_rows)


def product_codes(n: int) -> list[str]:
    """n distinct six-digit HS-like codes (chapter, heading, subheading), as member ids."""
    codes = []
    for i in range(n):
        chapter = 1 + i % 97
        heading = 1 + (i // 97) % 99
        subheading = 10 * (i // (97 * 99)) + 1 + i % 7
        codes.append(f"hs{chapter:02d}{heading:02d}{subheading:02d}")
    assert len(set(codes)) == n
    return codes


def dataset_yaml(rows: int, shp: Shape, partner_ids: list[str], products: list[str]) -> str:
    lines = [
        "# SYNTHETIC BENCHMARK DATA, made by benches/run.py; not official statistics of any country.",
        f"# Seed {SEED}, {rows} rows. See PROVENANCE.txt.",
        f"id: synthetic-{rows}",
        "reporter:",
        '  en: { name: "Synthetic reporter (benchmark data, not official)", possessive: "the synthetic reporter\'s" }',
        "currency: USD",
        "unit: 1000000   # values are millions of (synthetic) U.S. dollars",
        "source:",
        f'  en: "synthetic benchmark data made by benches/run.py (seed {SEED}); not official statistics"',
        "files: [data.csv]",
        "dimensions:",
        "  partner:",
        "    label: { en: trading partners }",
        "    complete: true   # the partners add up exactly to the total",
        "    members:",
    ]
    lines += [f'      {p}: {{ en: "Synthetic partner {p[1:]}" }}' for p in partner_ids]
    lines += [
        "  product:",
        "    label: { en: products }",
        "    members:",
    ]
    lines += [f'      {c}: {{ en: "Synthetic product HS {c[2:]}" }}' for c in products]
    return "\n".join(lines) + "\n"


PROVENANCE = """\
DATA SET: SYNTHETIC benchmark data. NOT OFFICIAL STATISTICS of any country.

Made by benches/run.py (generator version {version}) with random seed {seed}: {rows} rows of
canonical CSV (data.csv) and the dataset.yaml describing them. Every figure is invented by a
random walk with seasonality and noise, only to give tradescribe and DuckDB a large file to read.
The same command makes the same bytes again. Do not quote, publish or commit these figures.

Shape: months {first}..{last}, month basis only, flows export and import; the total (made the
exact sum of the partners), {partners} partners (dimension `partner`, complete) and {products}
products with HS-like codes (dimension `product`, not complete).{partial}
"""


def generate(folder: Path, rows: int) -> None:
    """Writes data.csv, dataset.yaml and PROVENANCE.txt for `rows` rows into folder."""
    shp = shape(rows)
    rng = random.Random(SEED)
    rnd = rng.random
    partner_ids = [f"p{i:03d}" for i in range(1, shp.partners + 1)]
    products = product_codes(len(shp.product_rows))

    # Seasonality by calendar month, and a world shock by year (2009 falls, 2010 recovers).
    season = [0.90, 0.86, 1.02, 0.99, 1.01, 1.00, 1.02, 1.01, 0.99, 1.03, 1.04, 1.06]
    shock = {2001: 0.94, 2002: 0.97, 2009: 0.79, 2010: 0.93, 2015: 0.95, 2016: 0.92}

    # Levels are in tenths of the unit (values have one decimal), so that sums are exact integers.
    total_export_2000 = 60_000.0 * 10  # 60,000 million (60 billion) dollars a month in 2000
    names = [("partner", p) for p in partner_ids] + [("product", c) for c in products]
    n = len(names)
    weights = []
    for i in range(n):
        rank = i if i < shp.partners else i - shp.partners
        weights.append((rank + 1) ** -0.9 * math.exp(rng.uniform(-0.7, 0.7)))
    partner_sum = sum(weights[: shp.partners])
    product_sum = sum(weights[shp.partners:])
    level = {f: [0.0] * n for f in FLOWS}
    trend = {f: [0.0] * n for f in FLOWS}
    for i in range(n):
        share = weights[i] / (partner_sum if i < shp.partners else product_sum)
        import_ratio = math.exp(rng.uniform(-0.6, 0.8))
        for f, ratio in (("export", 1.0), ("import", import_ratio)):
            level[f][i] = total_export_2000 * share * ratio
            annual = rng.uniform(-0.03, 0.12)
            trend[f][i] = (1 + annual) ** (1 / 12)

    # Products with fewer rows than a full history start later (and may lack their first import).
    start = [0] * n
    first_export_only = [False] * n
    for j, count in enumerate(shp.product_rows):
        i = shp.partners + j
        months = (count + 1) // 2
        start[i] = len(MONTHS) - months
        first_export_only[i] = count % 2 == 1
    full = shp.partners + sum(1 for c in shp.product_rows if c == ROWS_PER_SERIES)

    prefix = {f: [f",month,{f},{d},{m}," for d, m in names] for f in FLOWS}
    tmp = folder / "data.csv.tmp"
    written = 0
    with open(tmp, "w", encoding="ascii", newline="") as out:
        out.write(HEADER + "\n")
        for t, period in enumerate(MONTHS):
            year = int(period[:4])
            factor = season[t % 12] * shock.get(year, 1.0)
            for f in FLOWS:
                lv, tr, pre = level[f], trend[f], prefix[f]
                lines = []
                append = lines.append
                total = 0
                for i in range(full):
                    x = lv[i] * (tr[i] + 0.03 * (rnd() - 0.5))
                    lv[i] = x
                    v = int(x * factor * (0.88 + 0.24 * rnd()) + 0.5) or 1
                    if i < shp.partners:
                        total += v
                    append(f"{period}{pre[i]}{v // 10}.{v % 10}\n")
                for i in range(full, n):
                    if t < start[i] or (t == start[i] and f == "import" and first_export_only[i]):
                        continue
                    x = lv[i] * (tr[i] + 0.03 * (rnd() - 0.5))
                    lv[i] = x
                    v = int(x * factor * (0.88 + 0.24 * rnd()) + 0.5) or 1
                    append(f"{period}{pre[i]}{v // 10}.{v % 10}\n")
                out.write(f"{period},month,{f},total,all,{total // 10}.{total % 10}\n")
                out.write("".join(lines))
                written += 1 + len(lines)
    if written != rows:
        raise SystemExit(f"generator bug: wrote {written} rows, not {rows}")
    tmp.replace(folder / "data.csv")
    (folder / "dataset.yaml").write_text(dataset_yaml(rows, shp, partner_ids, products), encoding="utf-8")
    partial = [c for c in shp.product_rows if c != ROWS_PER_SERIES]
    (folder / "PROVENANCE.txt").write_text(
        PROVENANCE.format(
            version=GENERATOR_VERSION, seed=SEED, rows=rows, first=MONTHS[0], last=MONTHS[-1],
            partners=shp.partners, products=len(shp.product_rows),
            partial=(f"\nTo make the row count exact, the last {len(partial)} product(s) have only their latest\n"
                     f"{' and '.join(map(str, partial))} rows (all of 2018 and 2019 among them).\n" if partial else ""),
        ),
        encoding="utf-8",
    )


def ensure_dataset(rows: int) -> Path:
    """The synthetic dataset folder for `rows` rows, generated unless a finished one is there."""
    folder = BENCH_DIR / f"synthetic-{rows}"
    marker = folder / ".generated.json"
    want = {"rows": rows, "seed": SEED, "generator": GENERATOR_VERSION}
    if marker.is_file():
        have = json.loads(marker.read_text())
        csv_path = folder / "data.csv"
        if {k: have.get(k) for k in want} == want and csv_path.is_file() and csv_path.stat().st_size == have.get("bytes"):
            log(f"dataset: reusing {folder.relative_to(ROOT)}")
            return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    log(f"dataset: generating {rows:,} synthetic rows in {folder.relative_to(ROOT)} (seed {SEED}) ...")
    start = time.perf_counter()
    generate(folder, rows)
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({**want, "bytes": (folder / "data.csv").stat().st_size, "seconds": round(seconds, 1)}))
    log(f"dataset: generated in {seconds:.1f} s")
    return folder


# --------------------------------------------------------------------------------------------
# Measuring a child process


@dataclass
class Run:
    wall_s: float
    maxrss_kib: int
    exit_code: int
    stdout: str  # when not redirected to a file
    stderr: str
    cpu_s: float = math.nan  # processor time, user and system, all threads

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def failure(self, what: str) -> str:
        """`what exited with N: first line of stderr`, then up to 15 more lines of it."""
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        head = f"{what} exited with {self.exit_code}" + (f": {lines[0]}" if lines else "")
        return "\n".join([head, *("    " + line for line in lines[1:16])])


def measure(argv: list[str], stdout: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Runs argv under benches/measure.py; stdout goes to the file given, else is captured."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    result = OUT_DIR / ".measure.json"
    result.unlink(missing_ok=True)
    out_file = open(stdout, "wb") if stdout else subprocess.PIPE
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-S", str(MEASURE), str(result), *map(str, argv)],
            stdout=out_file, stderr=subprocess.PIPE, env=env, cwd=ROOT,
        )
    finally:
        if stdout:
            out_file.close()
    text = lambda b: (b or b"").decode("utf-8", "replace")  # noqa: E731
    if proc.returncode != 0 or not result.is_file():
        return Run(math.nan, 0, proc.returncode or -1, text(proc.stdout), text(proc.stderr))
    r = json.loads(result.read_text())
    return Run(r["wall_s"], r["maxrss_kib"], r["exit_code"], text(proc.stdout), text(proc.stderr), r.get("cpu_s", math.nan))


def mib(kib: int) -> float:
    return kib / 1024


# --------------------------------------------------------------------------------------------
# 4. Ingest + statistics, against DuckDB


@dataclass
class Engine:
    name: str
    walls: list[float]
    rss_kib: list[int]

    @property
    def best(self) -> float:
        return min(self.walls) if self.walls else math.nan

    @property
    def peak(self) -> int:
        return max(self.rss_kib) if self.rss_kib else 0


def read_stats(path: Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    """A stats CSV, export and import rows only, keyed by (dimension, member, flow, basis)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"dimension", "member", "flow", "basis", "value", "prior", "yoy_pct"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: no column {', '.join(sorted(missing))} (header: {reader.fieldnames})")
        rows = {}
        for row in reader:
            if row["flow"] in FLOWS:
                key = (row["dimension"], row["member"], row["flow"], row["basis"])
                if key in rows:
                    raise ValueError(f"{path}: {key} appears twice")
                rows[key] = row
        return rows


def compare(ours: Path, theirs: Path) -> tuple[int, list[str]]:
    """Compares tradescribe's and DuckDB's statistics: (figures that agree, mismatches)."""
    a, b = read_stats(ours), read_stats(theirs)
    problems = [f"only in tradescribe: {k}" for k in sorted(a.keys() - b.keys())]
    problems += [f"only in DuckDB: {k}" for k in sorted(b.keys() - a.keys())]
    agreed = 0
    for key in sorted(a.keys() & b.keys()):
        for col in ("value", "prior", "yoy_pct"):
            x, y = a[key][col].strip(), b[key][col].strip()
            if not x or not y:
                same = x == y
            elif col == "yoy_pct":
                same = abs(float(x) - float(y)) <= 1e-6 + 1e-9  # both rounded to 6 decimals
            else:
                same = Decimal(x) == Decimal(y)
            if same:
                agreed += 1
            else:
                problems.append(f"{'/'.join(key)} {col}: tradescribe {x or '(empty)'}, DuckDB {y or '(empty)'}")
    if not a:
        problems.append("tradescribe printed no export or import rows")
    return agreed, problems


def bench_stats(folder: Path, repeat: int, env: dict[str, str], failures: list[str]) -> dict | None:
    csv_path = folder / "data.csv"
    ours, theirs = OUT_DIR / "stats-tradescribe.csv", OUT_DIR / "stats-duckdb.csv"
    ts = Engine("tradescribe", [], [])
    dk = Engine("DuckDB", [], [])
    dk_info: dict = {}
    query_s: list[float] = []
    ts_error = dk_error = None
    for i in range(repeat):
        line = f"  run {i + 1}/{repeat}:"
        if ts_error is None:
            r = measure([BINARY, "stats", "--data", folder, "--period", PERIOD], stdout=ours)
            if r.ok:
                ts.walls.append(r.wall_s)
                ts.rss_kib.append(r.maxrss_kib)
                line += f" tradescribe {r.wall_s:.3f} s {mib(r.maxrss_kib):.0f} MiB;"
            else:
                ts_error = r.failure("tradescribe stats")
                line += " tradescribe failed;"
        if dk_error is None:
            r = measure([sys.executable, DUCKDB_HELPER, csv_path, PERIOD, theirs], env=env)
            if r.ok:
                dk.walls.append(r.wall_s)
                dk.rss_kib.append(r.maxrss_kib)
                dk_info = json.loads(r.stdout.strip().splitlines()[-1])
                query_s.append(dk_info["query_s"])
                line += f" DuckDB {r.wall_s:.3f} s {mib(r.maxrss_kib):.0f} MiB"
            else:
                dk_error = r.failure("DuckDB (benches/duckdb_stats.py)")
                line += " DuckDB failed"
        log(line)
    for err in (ts_error, dk_error):
        if err:
            log("ERROR: " + err)
            failures.append(err.splitlines()[0])

    agreed = None
    if ts_error is None and dk_error is None:
        try:
            agreed, problems = compare(ours, theirs)
        except (ValueError, ArithmeticError) as e:
            agreed, problems = 0, [str(e)]
        if problems:
            log(f"ERROR: tradescribe and DuckDB disagree ({len(problems)} differences); the first:")
            for p in problems[:20]:
                log("  " + p)
            failures.append("tradescribe and DuckDB disagree")
            agreed = None
        else:
            log(f"outputs agree on {agreed:,} figures (value, prior and yoy_pct of export and import, month and ytd)")

    size = csv_path.stat().st_size
    log("")
    log(f"data: {csv_path.relative_to(ROOT)}, {size / 2**20:,.1f} MiB, {count_rows(folder):,} rows")
    log(f"{'engine':<12} {'wall s':>8} {'peak MiB':>10}   (best of {repeat} wall; largest peak RSS)")
    for e in (ts, dk):
        log(f"{e.name:<12} {e.best:>8.3f} {mib(e.peak):>10.1f}")
    if dk_info:
        log(f"DuckDB {dk_info['version']} ran {dk_info['threads']} threads; its query alone "
            f"(no interpreter start-up or import) took {min(query_s):.3f} s at best")
    time_ratio = dk.best / ts.best if ts.walls and dk.walls else math.nan
    mem_ratio = dk.peak / ts.peak if ts.peak and dk.peak else math.nan
    log(f"ratios: DuckDB time / tradescribe time = {time_ratio:.2f}; DuckDB memory / tradescribe memory = {mem_ratio:.2f}")
    return {
        "ok": ts_error is None and dk_error is None and agreed is not None,
        "ts": ts, "dk": dk, "time_ratio": time_ratio, "mem_ratio": mem_ratio,
    }


def count_rows(folder: Path) -> int:
    marker = json.loads((folder / ".generated.json").read_text())
    return marker["rows"]


# --------------------------------------------------------------------------------------------
# 5. Whole bulletins


def bench_bulletins(runs: int, failures: list[str]) -> list[dict]:
    commands = [
        ("default run (China, 2019-07)", [BINARY]),
        ("U.S. Census, 2019-07", [BINARY, "generate", "--data", "data/us-census", "--period", "2019-07"]),
    ]
    results = []
    log(f"{'bulletin':<30} {'min ms':>8} {'median ms':>10} {'peak MiB':>9}   ({runs} runs each, stdout to /dev/null)")
    for label, argv in commands:
        walls, rss, error = [], [], None
        for _ in range(runs):
            r = measure(argv, stdout=Path(os.devnull))
            if not r.ok:
                error = r.failure(" ".join(map(str, argv[1:])) or "tradescribe")
                break
            walls.append(r.wall_s * 1000)
            rss.append(r.maxrss_kib)
        if error:
            log(f"{label:<30} ERROR: {error}")
            failures.append(error.splitlines()[0])
            results.append({"label": label, "ok": False})
            continue
        med = statistics.median(walls)
        log(f"{label:<30} {min(walls):>8.1f} {med:>10.1f} {mib(max(rss)):>9.1f}")
        results.append({"label": label, "ok": True, "min_ms": min(walls), "median_ms": med})
    return results


# --------------------------------------------------------------------------------------------
# 6. A batch


def bench_batch(repeat: int, failures: list[str]) -> dict:
    walls, rss, files = [], [], 0
    for i in range(repeat):
        out = OUT_DIR / f"batch-{i + 1}"
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        argv = [BINARY, "generate", "--data", "data/us-census", "--from", "2019-01", "--to", "2019-12",
                "--each", "partner", "--out", out, "--quiet"]
        r = measure(argv, stdout=Path(os.devnull))
        if not r.ok:
            error = r.failure("tradescribe generate --each partner")
            log("ERROR: " + error)
            failures.append(error.splitlines()[0])
            return {"ok": False}
        walls.append(r.wall_s)
        rss.append(r.maxrss_kib)
        files = sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
        log(f"  run {i + 1}/{repeat}: {r.wall_s:.3f} s, {files} files")
    log(f"batch: best {min(walls):.3f} s, {files} files written, peak {mib(max(rss)):.1f} MiB")
    if files == 0:
        failures.append("the batch wrote no files")
        return {"ok": False}
    return {"ok": True, "best_s": min(walls), "files": files}


# --------------------------------------------------------------------------------------------
# 7. The backtest


def bench_backtest(repeat: int, failures: list[str]) -> dict:
    first, last = BACKTEST_RANGE
    argv = [BINARY, "explain", "--data", "data/us-census", "--from", first, "--to", last]
    walls, cpus, rss = [], [], []
    for i in range(repeat):
        out = OUT_DIR / "backtest.txt"
        r = measure(argv, stdout=out)
        if not r.ok:
            error = r.failure("tradescribe explain --from --to")
            log("ERROR: " + error)
            failures.append(error.splitlines()[0])
            return {"ok": False}
        heading = out.read_text(encoding="utf-8").splitlines()[0]
        walls.append(r.wall_s)
        cpus.append(r.cpu_s)
        rss.append(r.maxrss_kib)
        log(f"  run {i + 1}/{repeat}: {r.wall_s:.3f} s wall, {r.cpu_s:.3f} s of processor time")
    log(f"backtest: best {min(walls):.3f} s wall ({min(cpus):.3f} s of processor time at best, on "
        f"{os.cpu_count()} cores), peak {mib(max(rss)):.1f} MiB; {heading}")
    return {"ok": True, "best_s": min(walls)}


# --------------------------------------------------------------------------------------------


def section(title: str) -> None:
    log("")
    log(f"== {title} " + "=" * max(0, 90 - len(title)))


def describe_machine(duckdb_version: str) -> None:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        git = ["git", "describe", "--always", "--dirty"]
        commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    log(f"machine: {os.cpu_count()} cores ({cpu}); Python {sys.version.split()[0]}; DuckDB {duckdb_version}; "
        f"tradescribe {commit or 'unknown commit'}")
    floor = [measure(["true"]) for _ in range(5)]
    log(f"floor: a no-op process (true) measures {min(r.wall_s for r in floor) * 1000:.1f} ms and "
        f"{mib(max(r.maxrss_kib for r in floor)):.1f} MiB peak RSS here; no figure below can be smaller")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of synthetic CSV (default 10,000,000)")
    parser.add_argument("--keep", action="store_true", help=f"keep the output files in {OUT_DIR.relative_to(ROOT)}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the stats comparison and the batch (default 3)")
    parser.add_argument("--bulletin-runs", type=int, default=20, help="runs of each whole bulletin (default 20)")
    args = parser.parse_args()
    if args.rows < MIN_ROWS:
        parser.error(f"--rows must be at least {MIN_ROWS}")
    if args.repeat < 1 or args.bulletin_runs < 1:
        parser.error("--repeat and --bulletin-runs must be at least 1")
    os.chdir(ROOT)
    if OUT_DIR.exists():
        shutil.rmtree(OUT_DIR)
    OUT_DIR.mkdir(parents=True)

    duckdb_version, env = ensure_duckdb()
    log(f"duckdb {duckdb_version}")
    log("building: " + " ".join(BUILD))
    build()
    folder = ensure_dataset(args.rows)
    describe_machine(duckdb_version)

    failures: list[str] = []
    section(f"ingest + statistics for {PERIOD}: tradescribe stats vs DuckDB, {args.rows:,} rows")
    stats = bench_stats(folder, args.repeat, env, failures)
    section("whole bulletins, start-up included")
    bulletins = bench_bulletins(args.bulletin_runs, failures)
    section("batch: a bulletin per U.S. partner for each month of 2019 (--each partner)")
    batch = bench_batch(args.repeat, failures)
    section(f"backtest: the default rules over every U.S. month, {BACKTEST_RANGE[0]} to {BACKTEST_RANGE[1]}")
    backtest = bench_backtest(args.repeat, failures)

    section("targets")

    def verdict(ok: bool | None) -> str:
        return "ERROR" if ok is None else ("PASS" if ok else "MISS")

    ts, dk = stats["ts"], stats["dk"]
    stats_ok = None
    if stats["ok"]:
        stats_ok = ts.best <= dk.best and ts.peak < dk.peak
    log(f"{verdict(stats_ok):<5}  ingest + stats at least as fast as DuckDB with lower peak memory: "
        f"{ts.best:.3f} s vs {dk.best:.3f} s, {mib(ts.peak):.1f} MiB vs {mib(dk.peak):.1f} MiB")
    for b in bulletins:
        ok = b["median_ms"] < TARGET_BULLETIN_MS if b["ok"] else None
        detail = f"median {b['median_ms']:.1f} ms (min {b['min_ms']:.1f})" if b["ok"] else "did not run"
        log(f"{verdict(ok):<5}  whole bulletin < {TARGET_BULLETIN_MS:.0f} ms, {b['label']}: {detail}")
    ok = batch["best_s"] < TARGET_BATCH_S if batch["ok"] else None
    detail = f"{batch['best_s']:.3f} s for {batch['files']} files" if batch["ok"] else "did not run"
    log(f"{verdict(ok):<5}  2019 per-partner batch < {TARGET_BATCH_S:.0f} s: {detail}")
    ok = backtest["best_s"] < TARGET_BACKTEST_S if backtest["ok"] else None
    detail = f"{backtest['best_s']:.3f} s" if backtest["ok"] else "did not run"
    log(f"{verdict(ok):<5}  backtest over the full U.S. range < {TARGET_BACKTEST_S:.0f} s: {detail}")

    if args.keep:
        log(f"\noutputs kept in {OUT_DIR.relative_to(ROOT)}")
    else:
        shutil.rmtree(OUT_DIR, ignore_errors=True)
    if failures:
        log("\nsomething broke:")
        for f in failures:
            log("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
