#!/usr/bin/env python3
"""athena_rows.py SQLFILE NDJSON... -> moto's /moto-api/static/athena/query-results body on
stdout: a header row, then one Athena row per event, with the columns of the events-mode
SELECT in SQLFILE (`trailguide sql --events`). JSON-string columns hold compact JSON, readOnly
'true'/'false', absent values a Data entry without VarCharValue (SQL NULL)."""
import json, re, sys

def columns(sql):
    m = re.search(r"^SELECT (.*)$", sql, re.M)
    cols = []
    for item in m.group(1).split(", "):
        expr, _, alias = item.partition(" AS ")
        cols.append((expr.strip(), (alias or expr).strip()))
    return cols

def get(ev, path):
    cur = ev
    for seg in path.split("."):
        if not isinstance(cur, dict):
            return None
        k = next((k for k in cur if k.lower() == seg.lower()), None)
        if k is None:
            return None
        cur = cur[k]
    return cur

def cell(v):
    if v is None:
        return {}
    if isinstance(v, bool):
        return {"VarCharValue": "true" if v else "false"}
    if isinstance(v, (dict, list)):
        return {"VarCharValue": json.dumps(v, separators=(",", ":"))}
    return {"VarCharValue": str(v)}

def main():
    cols = columns(open(sys.argv[1]).read())
    rows = [{"Data": [{"VarCharValue": a} for _, a in cols]}]
    for f in sys.argv[2:]:
        for line in open(f):
            if line.strip():
                ev = json.loads(line)
                rows.append({"Data": [cell(get(ev, p)) for p, _ in cols]})
    json.dump({"results": [{"rows": rows, "column_info": [
        {"Name": a, "Label": a, "Type": "varchar"} for _, a in cols]}]}, sys.stdout)

main()
