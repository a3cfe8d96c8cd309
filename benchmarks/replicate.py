"""Big stores made cheaply for the scale benchmarks: analyzed rows replicated in SQL."""
from __future__ import annotations

from pathlib import Path

from analysis import store


def replicate(dst: Path, src: Path, n: int, article_columns: str) -> None:
    """Fill the store ``dst`` with n articles: ``src``'s analyzed rows (articles, results and
    every per-article item table) copied under new ids, copy k of source article i becoming
    article k * len(src) + i.

    ``article_columns`` is the SELECT list of the new ``articles`` rows, in the table's column
    order, over ``i`` (old_id, k = copy number, pos = new position, new_id) and ``a`` (the
    source article)."""
    with store.connect(src):
        pass  # a seed made by an earlier version gets the current columns (store._UPGRADES)
    with store.connect(dst) as con:
        con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        n_src = con.execute("SELECT count(*) FROM src.articles").fetchone()[0]
        con.execute(f"""
            CREATE TEMP TABLE ids AS
            SELECT s.article_id AS old_id, k, row_number() OVER () - 1 AS pos,
                   substr(md5(s.article_id || '-' || k), 1, 16) AS new_id
            FROM (SELECT article_id FROM src.articles ORDER BY article_id) s,
                 range({-(-n // n_src)}) AS r(k)
            QUALIFY pos < {n}""")
        con.execute(f"INSERT INTO articles SELECT {article_columns} "
                    "FROM ids i JOIN src.articles a ON a.article_id = i.old_id")
        con.execute("INSERT INTO results SELECT i.new_id, r.analysis_version, r.metrics, r.result "
                    "FROM ids i JOIN src.results r ON r.article_id = i.old_id")
        for table in store.ITEM_TABLES:
            cols = [c for c, in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_catalog = 'src' ORDER BY ordinal_position", [table]).fetchall()]
            select = ", ".join("i.new_id" if c == "article_id" else f"t.{c}" for c in cols)
            con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} "
                        f"FROM ids i JOIN src.{table} t ON t.article_id = i.old_id")
        con.execute("CHECKPOINT")
