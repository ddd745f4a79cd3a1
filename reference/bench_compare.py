"""Times the core of the evaluation in polars and in DuckDB, for comparison with `minxin bench`.

The aggregation: per project and item, the count, mean and sample standard deviation of the item
score (answer - 1) * 25, plus the rows per project: what `minxin evaluate` computes before it
derives dimensions, indices and quadrants (minxin also validates every row, checks duplicates and
builds the profile, which this comparison does not ask of the others).

Not run in CI. Usage (peak memory from GNU time):
    minxin bench generate --out /tmp/bench.csv --respondents 1000000
    /usr/bin/time -v python3 reference/bench_compare.py polars /tmp/bench.csv
    /usr/bin/time -v python3 reference/bench_compare.py duckdb /tmp/bench.csv
Requires: pip install polars duckdb
"""
import sys
import time

ITEMS = ["awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
         "trust_delivery", "trust_improvement"]


def run_polars(path):
    import polars as pl
    schema = {item: pl.Int8 for item in ITEMS}
    aggregations = [pl.len().alias("rows")]
    for item in ITEMS:
        score = (pl.col(item) - 1) * 25
        aggregations += [score.count().alias(f"{item}_n"), score.mean().alias(f"{item}_mean"),
                         score.std().alias(f"{item}_sd")]
    return (pl.scan_csv(path, schema_overrides=schema)
            .group_by("project").agg(aggregations).sort("project").collect())


def run_duckdb(path):
    import duckdb
    columns = ", ".join(
        f"count({i}) AS {i}_n, avg(({i} - 1) * 25) AS {i}_mean, stddev_samp(({i} - 1) * 25) AS {i}_sd"
        for i in ITEMS)
    types = ", ".join(f"'{i}': 'TINYINT'" for i in ITEMS)
    query = (f"SELECT project, count(*) AS rows, {columns} "
             f"FROM read_csv('{path}', header = true, types = {{{types}}}) "
             f"GROUP BY project ORDER BY project")
    return duckdb.sql(query).fetchall()


if __name__ == "__main__":
    engine, path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    run = {"polars": run_polars, "duckdb": run_duckdb}[engine]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run(path)
        timings.append(time.perf_counter() - start)
    print(f"{engine}: best {min(timings):.3f} s, median {sorted(timings)[len(timings) // 2]:.3f} s")
    print(str(result)[:600])
