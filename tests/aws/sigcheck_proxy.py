#!/usr/bin/env python3
"""sigcheck_proxy — a loopback HTTP proxy that checks the SigV4 signature of every request
with botocore (sigv4check.py) before passing it on to an upstream server (moto_server).

    sigcheck_proxy.py --port N --upstream http://127.0.0.1:M --secret AKID=SECRET [--log FILE]

A request whose signature botocore does not reproduce gets 403 SignatureDoesNotMatch (S3
XML, or JSON InvalidSignatureException when it has X-Amz-Target) and is not forwarded;
a good one is forwarded unchanged (method, path, query, headers except Host, body) and the
upstream's answer relayed. Unsigned GET / answers 200 (readiness probe, not counted).
GET /__sigcheck answers {"checked": N, "bad": M, "last_bad": "..."}.
"""
import argparse
import http.client
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4check  # noqa: E402

HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
       "trailer", "transfer-encoding", "upgrade", "content-length"}


class State:
    def __init__(self, upstream, secrets, log):
        self.upstream = urlsplit(upstream)
        self.secrets = secrets
        self.log = log
        self.lock = threading.Lock()
        self.checked = 0
        self.bad = 0
        self.last_bad = ""

    def record(self, line, ok, detail):
        with self.lock:
            self.checked += 1
            if not ok:
                self.bad += 1
                self.last_bad = "%s: %s" % (line, detail)
            if self.log:
                with open(self.log, "a", encoding="utf-8") as f:
                    f.write("%s %s: %s\n" % ("OK " if ok else "BAD", line, detail.replace("\n", "\n    ")))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):  # quiet: the log file says what matters
        pass

    def _send(self, status, ctype, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for n, v in headers:
            self.send_header(n, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _handle(self):
        st = self.state
        body = self._body()
        hdrs = list(self.headers.items())
        has_auth = any(n.lower() == "authorization" for n, _ in hdrs)
        if self.command == "GET" and self.path.split("?")[0] == "/__sigcheck" and not has_auth:
            with st.lock:
                out = {"checked": st.checked, "bad": st.bad, "last_bad": st.last_bad}
            return self._send(200, "application/json", json.dumps(out).encode())
        if self.command == "GET" and self.path == "/" and not has_auth:
            return self._send(200, "application/json", b'{"sigcheck": "ready"}')
        host = self.headers.get("Host", "")
        url = "http://%s%s" % (host, self.path)
        try:
            ok, detail = sigv4check.verify(self.command, url, hdrs, body, st.secrets)
        except Exception as e:  # a request botocore cannot even canonicalize is bad
            ok, detail = False, "verifier error: %r" % (e,)
        line = "%s %s" % (self.command, self.path)
        st.record(line, ok, detail)
        if not ok:
            first = detail.split("\n")[0]
            if self.headers.get("X-Amz-Target"):
                msg = {"__type": "com.amazon.coral.service#InvalidSignatureException",
                       "message": "The request signature we calculated does not match the "
                                  "signature you provided (sigcheck: %s)" % first}
                return self._send(403, "application/x-amz-json-1.1",
                                  json.dumps(msg).encode())
            xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch'
                   '</Code><Message>The request signature we calculated does not match the '
                   'signature you provided. sigcheck: %s</Message><RequestId>sigcheck</RequestId>'
                   '</Error>' % escape(first))
            return self._send(403, "application/xml", xml.encode())
        self._forward(hdrs, body)

    def _forward(self, hdrs, body):
        up = self.state.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port or 80, timeout=60)
        out_h = {}
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", up.netloc)
            for n, v in hdrs:
                if n.lower() in HOP or n.lower() == "host":
                    continue
                conn.putheader(n, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            out_h = [(n, v) for n, v in resp.getheaders() if n.lower() not in HOP]
        except OSError as e:
            msg = ("<Error><Code>ServiceUnavailable</Code><Message>sigcheck: upstream %s: %s"
                   "</Message></Error>" % (escape(up.netloc), escape(str(e))))
            return self._send(502, "application/xml", msg.encode())
        finally:
            conn.close()
        self.send_response(resp.status, resp.reason)
        for n, v in out_h:
            self.send_header(n, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _handle


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--secret", action="append", default=[], help="AKID=SECRET (repeatable)")
    ap.add_argument("--log")
    a = ap.parse_args()
    secrets = {}
    for s in a.secret:
        k, sep, v = s.partition("=")
        if not sep:
            ap.error("--secret wants AKID=SECRET")
        secrets[k] = v
    Handler.state = State(a.upstream, secrets, a.log)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
