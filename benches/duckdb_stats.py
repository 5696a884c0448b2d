"""DuckDB's side of the ingest + statistics benchmark (run by benches/run.py as a child process).

    python3 benches/duckdb_stats.py DATA.csv PERIOD OUT.csv

Reads a canonical tradescribe CSV (month rows only) and writes, for every (dimension, member) and
flow (export, import, total, balance), the month and year-to-date value at PERIOD, the value a year
earlier and the year-on-year growth in percent, rounded to 6 decimals: the same table as
`tradescribe stats --period PERIOD`, in the same columns
(dimension,member,flow,basis,value,prior,yoy_pct), with the same rules:

* a year to date is the sum of January..PERIOD and is missing if any of those months is;
* growth is missing where there is no prior value or it is not positive; for a balance, where the
  two balances differ in sign (or either is zero), and otherwise it is the change of the
  balance's size.

DuckDB uses all cores (its default). On stdout it prints one JSON line: the DuckDB version, its
thread count and the seconds spent in the query (excluding interpreter start-up and import).
"""

import json
import sys
import time

import duckdb

COLUMNS = {
    "period": "VARCHAR",
    "basis": "VARCHAR",
    "flow": "VARCHAR",
    "dimension": "VARCHAR",
    "member": "VARCHAR",
    "value": "DECIMAL(18,1)",
}

QUERY = """
COPY (
  WITH rows AS (
    SELECT * FROM read_csv($csv, header = true, auto_detect = false, delim = ',', quote = '"',
                           columns = $columns)
  ),
  -- Export and import of every series: month and year to date, now and a year earlier.
  flows AS (
    SELECT dimension, member, flow,
      sum(value) FILTER (WHERE period = $period) AS month_now,
      sum(value) FILTER (WHERE period = $prior_period) AS month_prior,
      CASE WHEN count(*) FILTER (WHERE period BETWEEN $ytd_from AND $period) = $months
           THEN sum(value) FILTER (WHERE period BETWEEN $ytd_from AND $period) END AS ytd_now,
      CASE WHEN count(*) FILTER (WHERE period BETWEEN $prior_ytd_from AND $prior_period) = $months
           THEN sum(value) FILTER (WHERE period BETWEEN $prior_ytd_from AND $prior_period) END AS ytd_prior
    FROM rows
    WHERE basis = 'month' AND flow IN ('export', 'import')
      AND period BETWEEN $prior_ytd_from AND $period
    GROUP BY dimension, member, flow
  ),
  -- Total trade and balance, from export and import.
  all_flows AS (
    SELECT * FROM flows
    UNION ALL
    SELECT e.dimension, e.member, f.flow,
      CASE f.flow WHEN 'total' THEN e.month_now + i.month_now ELSE e.month_now - i.month_now END,
      CASE f.flow WHEN 'total' THEN e.month_prior + i.month_prior ELSE e.month_prior - i.month_prior END,
      CASE f.flow WHEN 'total' THEN e.ytd_now + i.ytd_now ELSE e.ytd_now - i.ytd_now END,
      CASE f.flow WHEN 'total' THEN e.ytd_prior + i.ytd_prior ELSE e.ytd_prior - i.ytd_prior END
    FROM flows e
    JOIN flows i ON i.dimension = e.dimension AND i.member = e.member AND i.flow = 'import'
    CROSS JOIN (VALUES ('total'), ('balance')) f(flow)
    WHERE e.flow = 'export'
  ),
  figures AS (
    SELECT dimension, member, flow, 'month' AS basis, month_now AS value, month_prior AS prior FROM all_flows
    UNION ALL
    SELECT dimension, member, flow, 'ytd', ytd_now, ytd_prior FROM all_flows
  )
  SELECT dimension, member, flow, basis, value, prior,
    round(CASE
      WHEN flow = 'balance' THEN
        CASE WHEN value <> 0 AND prior <> 0 AND sign(value) = sign(prior)
             THEN (abs(value) - abs(prior))::DOUBLE / abs(prior)::DOUBLE * 100 END
      WHEN prior > 0 THEN (value - prior)::DOUBLE / prior::DOUBLE * 100
    END, 6) AS yoy_pct
  FROM figures
  ORDER BY dimension, member, flow, basis
) TO $out (FORMAT csv, HEADER true)
"""


def shift(period: str, months: int) -> str:
    """`YYYY-MM` moved by a number of months."""
    year, month = int(period[:4]), int(period[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def main() -> int:
    if len(sys.argv) != 4:
        sys.stderr.write("usage: duckdb_stats.py DATA.csv PERIOD OUT.csv\n")
        return 2
    csv_path, period, out_path = sys.argv[1:]
    prior_period = shift(period, -12)
    start = time.perf_counter()
    con = duckdb.connect()  # in memory; threads default to the number of cores
    # COPY ... TO takes no prepared parameters for the file name: quote it into the statement.
    query = QUERY.replace("$out", "'" + out_path.replace("'", "''") + "'")
    con.execute(
        query,
        {
            "csv": csv_path,
            "columns": COLUMNS,
            "period": period,
            "prior_period": prior_period,
            "ytd_from": period[:4] + "-01",
            "prior_ytd_from": prior_period[:4] + "-01",
            "months": int(period[5:7]),
        },
    )
    seconds = time.perf_counter() - start
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(json.dumps({"version": duckdb.__version__, "threads": threads, "query_s": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
