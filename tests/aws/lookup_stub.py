#!/usr/bin/env python3
"""lookup_stub — a loopback CloudTrail LookupEvents endpoint for tests/aws_lookup.sh.

    lookup_stub.py --port N --events FILE.ndjson [--throttle-every K] [--secret AKID=SECRET]
                   [--deny-after N]

POST / checks X-Amz-Target, Content-Type and the SigV4 signature (tests/aws/sigv4check.py;
secrets from --secret, default the test key AKIDEXAMPLE), then answers like LookupEvents:
the events of FILE (one CloudTrail record per line) matching the one lookup attribute and
StartTime/EndTime, newest first, in pages of MaxResults with an opaque NextToken bound to
the other parameters (InvalidNextTokenException when they change).

Throttling (400 ThrottlingException): every K-th request with --throttle-every K, and any
request arriving less than 0.45 s after the previous one (the 2 requests/s quota, with
50 ms of slack for loopback jitter).

--deny-after N: once N pages were served, every request gets 400 AccessDeniedException.

GET /__stats: {"requests", "throttled", "rate_throttled", "attributes" (sorted distinct
"Key=Value" or "none"), "max_per_second" (most requests whose arrivals fall within any
0.95 s span: a 2/s client scores 2 — the 50 ms tolerance absorbs scheduling jitter),
"max_per_3s" (the same over 2.95 s), "min_gap_ms" and "median_gap_ms" (between arrivals),
"bad_signatures", "bad_requests", "pages"}.
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import sigv4check  # helper A1's verifier (botocore)
except Exception:  # pragma: no cover - until it lands
    sigv4check = None

TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
NS = "com.amazonaws.cloudtrail.v20131101#"
KEYS = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
        "EventSource", "AccessKeyId")
RATE_GAP = 0.45
WINDOW = 0.95

LOCK = threading.Lock()
STATS = {"requests": 0, "throttled": 0, "rate_throttled": 0, "bad_signatures": 0,
         "bad_requests": 0, "pages": 0}
ATTRS = set()
ARRIVALS = []


def epoch(ts):
    return datetime.strptime(ts.replace(".000Z", "Z"), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc).timestamp()


def username(ev):
    ui = ev.get("userIdentity") or {}
    if ui.get("userName"):
        return ui["userName"]
    arn = ui.get("arn") or ""
    return arn.rsplit("/", 1)[-1] if "/" in arn else None


def attr_value(ev, key):
    """The values an event offers for a lookup attribute."""
    ui = ev.get("userIdentity") or {}
    res = ev.get("resources") or []
    if key == "EventId":
        return [ev.get("eventID")]
    if key == "EventName":
        return [ev.get("eventName")]
    if key == "EventSource":
        return [ev.get("eventSource")]
    if key == "ReadOnly":
        ro = ev.get("readOnly")
        return ["true" if ro is True or ro == "true" else "false"]
    if key == "Username":
        return [username(ev)]
    if key == "AccessKeyId":
        return [ui.get("accessKeyId")]
    if key == "ResourceName":
        return [r.get("ARN") for r in res if isinstance(r, dict)]
    if key == "ResourceType":
        return [r.get("type") for r in res if isinstance(r, dict)]
    return []


def load(path):
    evs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                ev = json.loads(line)
                evs.append((epoch(ev["eventTime"]), ev))
    evs.sort(key=lambda p: (-p[0], p[1].get("eventID", "")))
    return evs


def max_in_window(ts, window=None):
    window = WINDOW if window is None else window
    best, j = 0, 0
    for i in range(len(ts)):
        while ts[i] - ts[j] >= window:
            j += 1
        best = max(best, i - j + 1)
    return best


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def send_json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "stub-%d" % STATS["requests"])
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, msg, status=400):
        self.send_json(status, {"__type": NS + code, "message": msg})

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                out = dict(STATS)
                out["attributes"] = sorted(ATTRS)
                ts = sorted(ARRIVALS)
                out["max_per_second"] = max_in_window(ts)
                # jitter-tolerant forms of the same limit, for loaded machines
                out["max_per_3s"] = max_in_window(ts, 2.95)
                gaps = [b - a for a, b in zip(ts, ts[1:])]
                out["min_gap_ms"] = int(min(gaps) * 1000) if gaps else 100000
                # a stall on a loaded machine shortens one gap (the request after a late one
                # goes out at once); the median stays near 500 ms when paced
                out["median_gap_ms"] = int(sorted(gaps)[len(gaps) // 2] * 1000) if gaps else 100000
            self.send_json(200, out)
        else:
            self.send_json(404, {"message": "POST / with X-Amz-Target"})

    def do_POST(self):
        arrival = time.monotonic()
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with LOCK:
            STATS["requests"] += 1
            seq = STATS["requests"]
            gap = arrival - ARRIVALS[-1] if ARRIVALS else None
            ARRIVALS.append(arrival)
        if self.headers.get("X-Amz-Target") != TARGET:
            with LOCK:
                STATS["bad_requests"] += 1
            return self.error("UnknownOperationException", "unexpected X-Amz-Target")
        if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
            with LOCK:
                STATS["bad_requests"] += 1
            return self.error("SerializationException", "Content-Type must be application/x-amz-json-1.1")
        ok, detail = self.check_signature(body)
        if not ok:
            with LOCK:
                STATS["bad_signatures"] += 1
            print("bad signature: %s" % detail, file=sys.stderr, flush=True)
            return self.error("InvalidSignatureException",
                              "The request signature we calculated does not match the "
                              "signature you provided. Check your AWS Secret Access Key "
                              "and signing method.")
        throttle = (ARGS.throttle_every and seq % ARGS.throttle_every == 0)
        if gap is not None and gap < RATE_GAP:
            throttle = True
            with LOCK:
                STATS["rate_throttled"] += 1
        if throttle:
            with LOCK:
                STATS["throttled"] += 1
            return self.error("ThrottlingException", "Rate exceeded")
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return self.error("SerializationException", "body is not JSON")
        self.lookup(req)

    def check_signature(self, body):
        auth = self.headers.get("Authorization") or ""
        if sigv4check is None:
            return auth.startswith("AWS4-HMAC-SHA256 Credential="), "shape only"
        url = "http://%s%s" % (self.headers.get("Host"), self.path)
        return sigv4check.verify("POST", url, list(self.headers.items()), body, SECRETS)

    def lookup(self, req):
        attrs = req.get("LookupAttributes") or []
        if len(attrs) > 1 or any(a.get("AttributeKey") not in KEYS for a in attrs):
            return self.error("InvalidLookupAttributesException",
                              "at most one lookup attribute, with a known key")
        mx = req.get("MaxResults", 50)
        if not isinstance(mx, int) or not 1 <= mx <= 50:
            return self.error("InvalidMaxResultsException", "MaxResults must be 1-50")
        start, end = req.get("StartTime"), req.get("EndTime")
        for t in (start, end):
            if t is not None and not isinstance(t, (int, float)):
                return self.error("SerializationException", "timestamps are epoch seconds")
        if start is not None and end is not None and start > end:
            return self.error("InvalidTimeRangeException", "StartTime is after EndTime")
        if ARGS.deny_after and STATS["pages"] >= ARGS.deny_after:
            return self.error("AccessDeniedException", "User: arn:aws:iam::111122223333:user/"
                              "test is not authorized to perform: cloudtrail:LookupEvents")
        key = attrs[0]["AttributeKey"] if attrs else None
        value = attrs[0].get("AttributeValue") if attrs else None
        params = json.dumps([key, value, start, end, mx], sort_keys=True)
        h = hashlib.sha256(params.encode()).hexdigest()[:16]
        offset = 0
        if "NextToken" in req:
            try:
                tok = json.loads(base64.b64decode(req["NextToken"]))
                assert tok["h"] == h
                offset = int(tok["o"])
            except Exception:
                with LOCK:
                    STATS["bad_requests"] += 1
                return self.error("InvalidNextTokenException",
                                  "the token does not belong to these parameters")
        with LOCK:
            ATTRS.add("%s=%s" % (key, value) if key else "none")
            STATS["pages"] += 1
        match = [ev for t, ev in EVENTS
                 if (start is None or t >= start) and (end is None or t <= end)
                 and (key is None or value in attr_value(ev, key))]
        page = match[offset:offset + mx]
        out = {"Events": [{
            "EventId": ev.get("eventID"),
            "EventName": ev.get("eventName"),
            "ReadOnly": attr_value(ev, "ReadOnly")[0],
            "AccessKeyId": (ev.get("userIdentity") or {}).get("accessKeyId"),
            "EventTime": epoch(ev["eventTime"]),
            "EventSource": ev.get("eventSource"),
            "Username": username(ev),
            "Resources": [{"ResourceType": r.get("type"), "ResourceName": r.get("ARN")}
                          for r in (ev.get("resources") or []) if isinstance(r, dict)],
            "CloudTrailEvent": json.dumps(ev, separators=(",", ":")),
        } for ev in page]}
        if offset + mx < len(match):
            out["NextToken"] = base64.b64encode(
                json.dumps({"o": offset + mx, "h": h}).encode()).decode()
        self.send_json(200, out)


def main():
    global ARGS, EVENTS, SECRETS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--throttle-every", type=int, default=0)
    ap.add_argument("--secret", action="append", default=[])
    ap.add_argument("--deny-after", type=int, default=0)
    ARGS = ap.parse_args()
    EVENTS = load(ARGS.events)
    SECRETS = dict(s.split("=", 1) for s in ARGS.secret) or {
        "AKIDEXAMPLE": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
