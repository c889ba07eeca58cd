#!/usr/bin/env python3
"""lake_stub — a loopback CloudTrail Lake (StartQuery, DescribeQuery, GetQueryResults,
CancelQuery) for tests/aws_lake.sh.

    lake_stub.py --port N --events FILE.ndjson [--secret AKID=SECRET] [--page N]

Every request must be POST / with Content-Type application/x-amz-json-1.1 and X-Amz-Target
com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>, signed with SigV4 for
the service cloudtrail (the signature is recomputed with tests/aws/sigv4check.py, i.e.
botocore, when it is importable and --secret is given). A query moves QUEUED -> RUNNING ->
FINISHED over successive DescribeQuery calls; a statement containing FAILME goes QUEUED ->
FAILED with an ErrorMessage; one containing FAILPAGE fails every page after the first
(400 InvalidNextTokenException). GetQueryResults serves every event of FILE (the stub runs no
SQL: a superset, like a compiled filter that left parts to the client) as rows in the
statement's select-list order: a list of single-entry objects, NULL columns left out,
maps rendered {key=value, ...}, eventTime as '2026-11-20 02:13:07.000', in pages of at
most MaxQueryResults (or --page) rows with a NextToken.
GET /__stub answers {"statements": [...], "requests": N, "bad": M, "last_bad": "..."}.
"""
import argparse
import json
import os
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import sigv4check  # noqa: E402
except Exception:  # pragma: no cover - A1's checker not there
    sigv4check = None

PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."


class State:
    def __init__(self, events, secrets, page):
        self.events = events
        self.secrets = secrets
        self.page = page
        self.lock = threading.Lock()
        self.queries = {}
        self.statements = []
        self.requests = 0
        self.bad = 0
        self.last_bad = ""


def columns(sql):
    m = re.search(r"^SELECT (.*)$", sql, re.M)
    cols = []
    for item in (m.group(1).split(", ") if m else []):
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


def render(path, v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if path.lower() == "eventtime" and isinstance(v, str) and len(v) >= 19:
        return v[:10] + " " + v[11:19] + ".000"
    if isinstance(v, dict):  # map<string,string>
        parts = []
        for k, x in v.items():
            if isinstance(x, (dict, list)):
                x = json.dumps(x, separators=(",", ":"))
            elif isinstance(x, bool):
                x = "true" if x else "false"
            parts.append("%s=%s" % (k, x))
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, list):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(body)

    def err(self, code, typ, msg):
        self.send(code, {"__type": typ, "Message": msg})

    def do_GET(self):
        st = self.server.st
        if self.path.startswith("/__stub"):
            with st.lock:
                self.send(200, {"statements": st.statements, "requests": st.requests,
                                "bad": st.bad, "last_bad": st.last_bad})
            return
        self.send(200, {})

    def bad(self, why):
        st = self.server.st
        with st.lock:
            st.bad += 1
            st.last_bad = why

    def do_POST(self):
        st = self.server.st
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        with st.lock:
            st.requests += 1
        target = self.headers.get("X-Amz-Target", "")
        if self.path != "/" or not target.startswith(PREFIX):
            self.bad("target %r path %r" % (target, self.path))
            return self.err(400, "UnknownOperationException", "bad X-Amz-Target")
        if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
            self.bad("content-type %r" % self.headers.get("Content-Type"))
            return self.err(400, "SerializationException", "bad Content-Type")
        auth = self.headers.get("Authorization", "")
        if "/cloudtrail/aws4_request" not in auth:
            self.bad("not signed for cloudtrail")
            return self.err(403, "InvalidSignatureException", "not signed for cloudtrail")
        if sigv4check and st.secrets:
            url = "http://%s%s" % (self.headers.get("Host"), self.path)
            ok, detail = sigv4check.verify("POST", url, list(self.headers.items()), body,
                                           st.secrets)
            if not ok:
                self.bad(detail)
                return self.err(403, "InvalidSignatureException", "signature mismatch")
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return self.err(400, "SerializationException", "body is not JSON")
        op = target[len(PREFIX):]
        fn = getattr(self, "op_" + op, None)
        if not fn:
            return self.err(400, "UnknownOperationException", op)
        fn(req)

    def op_StartQuery(self, req):
        st = self.server.st
        sql = req.get("QueryStatement")
        if not isinstance(sql, str) or not 1 <= len(sql) <= 10000:
            return self.err(400, "InvalidQueryStatementException", "QueryStatement 1-10000")
        qid = str(uuid.uuid4())
        with st.lock:
            st.statements.append(sql)
            st.queries[qid] = {"sql": sql, "polls": 0, "fail": "FAILME" in sql}
        self.send(200, {"QueryId": qid})

    def query(self, req):
        q = self.server.st.queries.get(req.get("QueryId"))
        if not q:
            self.err(400, "QueryIdNotFoundException", "no such query")
        return q

    def op_DescribeQuery(self, req):
        q = self.query(req)
        if not q:
            return
        q["polls"] += 1
        if q["fail"]:
            status = "QUEUED" if q["polls"] < 2 else "FAILED"
        else:
            status = ["QUEUED", "RUNNING", "FINISHED"][min(q["polls"] - 1, 2)]
        out = {"QueryId": req["QueryId"], "QueryString": q["sql"], "QueryStatus": status}
        if status == "FAILED":
            out["ErrorMessage"] = "Query failed: line 1:8: Column 'failme' cannot be resolved"
        q["status"] = status
        self.send(200, out)

    def op_CancelQuery(self, req):
        q = self.query(req)
        if q:
            q["status"] = "CANCELLED"
            self.send(200, {"QueryId": req["QueryId"], "QueryStatus": "CANCELLED"})

    def op_GetQueryResults(self, req):
        st = self.server.st
        q = self.query(req)
        if not q:
            return
        if q.get("status") != "FINISHED":
            return self.err(400, "InactiveQueryException", "query not finished")
        size = int(req.get("MaxQueryResults") or 1000)
        if not 1 <= size <= 1000:
            return self.err(400, "InvalidMaxResultsException", "MaxQueryResults 1-1000")
        if st.page:
            size = min(size, st.page)
        start = int(req.get("NextToken") or 0)
        if start and "FAILPAGE" in q["sql"]:
            return self.err(400, "InvalidNextTokenException", "the token expired")
        cols = columns(q["sql"])
        rows = []
        for ev in st.events[start:start + size]:
            row = []
            for path, alias in cols:
                v = render(path, get(ev, path))
                if v is not None:
                    row.append({alias: v})
            rows.append(row)
        out = {"QueryStatus": "FINISHED", "QueryResultRows": rows,
               "QueryStatistics": {"ResultsCount": len(rows),
                                   "TotalResultsCount": len(st.events)}}
        if start + size < len(st.events):
            out["NextToken"] = str(start + size)
        self.send(200, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--secret", action="append", default=[])
    ap.add_argument("--page", type=int, default=0)
    a = ap.parse_args()
    events = [json.loads(l) for l in open(a.events) if l.strip()]
    secrets = dict(s.split("=", 1) for s in a.secret)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.st = State(events, secrets, a.page)
    srv.serve_forever()


main()
