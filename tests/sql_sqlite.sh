#!/bin/bash
# sql_sqlite.sh — the Athena SQL of ~120 filters (hand-written, and every runbook step's)
# run on SQLite over the sample incident: a superset of trailguide's own matches, and
# exactly them when nothing is left to the local run. See tests/sql_sqlite.py.
. "${top_srcdir:-.}/tests/lib.sh"
heavy_test
python3 -c 'import sqlite3' 2>/dev/null || skip_all "python3 has no sqlite3"
python3 "$top_srcdir/tests/sql_sqlite.py" "$TG" "$top_srcdir/samples/incident" "$top_srcdir/runbooks"
