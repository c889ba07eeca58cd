#!/usr/bin/env python3
"""creds_stub.py — a loopback server for tests/aws_creds.sh.

  GET  /creds                     container credentials; needs Authorization: --token
  PUT  /latest/api/token          IMDSv2 token (needs X-aws-ec2-metadata-token-ttl-seconds)
  GET  /latest/meta-data/iam/security-credentials/[ROLE]
                                  IMDSv2 role name / credentials; 401 without the token
  POST /  and  POST /throttle/    STS GetCallerIdentity; the Arn names the access key id
                                  that signed the request. /throttle/ first answers
                                  400 ThrottlingException --throttle times.
  POST /hang/                     never answers (for timeouts)
  any absolute-form request       (a proxy's view) logged to --log, answered as STS
  GET  /                          ok (readiness)
With --tls CERT KEY it serves HTTPS.
"""
import argparse
import datetime
import json
import re
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--token", default="container-auth-token")
ap.add_argument("--throttle", type=int, default=2)
ap.add_argument("--expired", action="store_true", help="hand out expired credentials")
ap.add_argument("--log", default=None)
ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
args = ap.parse_args()

IMDS_TOKEN = "imds-session-token-123"
ROLE = "stub-role"
lock = threading.Lock()
throttled = [0]


def creds(akid, secret, token):
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        hours=-1 if args.expired else 1)
    return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": akid,
            "SecretAccessKey": secret, "Token": token,
            "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ")}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, body, ctype="application/json", headers=None):
        b = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(b)))
        self.send_header("x-amzn-RequestId", "stub-req-1")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(b)

    def sts(self, who=None):
        m = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
        akid = who or (m.group(1) if m else "unsigned")
        xml = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
               "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/%s</Arn>"
               "<UserId>%s</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
               "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
               "</GetCallerIdentityResponse>" % (akid, akid))
        self.send(200, xml, "text/xml")

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def proxied(self):
        if not self.path.startswith("http://"):
            return False
        if args.log:
            with lock, open(args.log, "a") as f:
                f.write("%s %s\n" % (self.command, self.path))
        self.body()
        self.sts("via-proxy")
        return True

    def do_GET(self):
        if self.proxied():
            return
        p = self.path
        if p == "/":
            return self.send(200, "ok", "text/plain")
        if p == "/creds":
            if self.headers.get("Authorization") != args.token:
                return self.send(401, '{"message":"bad authorization"}')
            return self.send(200, json.dumps(creds("AKIDCONTAINER", "containerSECRETvalue",
                                                   "containerTOKENvalue")))
        prefix = "/latest/meta-data/iam/security-credentials/"
        if p.startswith(prefix):
            if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self.send(401, "", "text/plain")
            if p == prefix:
                return self.send(200, ROLE, "text/plain")
            if p == prefix + ROLE:
                return self.send(200, json.dumps(creds("AKIDIMDS", "imdsSECRETvalue",
                                                       "imdsTOKENvalue")))
        self.send(404, "not found", "text/plain")

    def do_PUT(self):
        self.body()
        if self.path == "/latest/api/token":
            if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.send(400, "", "text/plain")
            return self.send(200, IMDS_TOKEN, "text/plain")
        self.send(404, "", "text/plain")

    def do_POST(self):
        if self.proxied():
            return
        self.body()
        if self.path == "/hang/":
            time.sleep(30)
            return
        if self.path == "/throttle/":
            with lock:
                n = throttled[0]
                throttled[0] += 1
            if n < args.throttle:
                xml = ("<ErrorResponse><Error><Type>Sender</Type><Code>ThrottlingException"
                       "</Code><Message>Rate exceeded</Message></Error>"
                       "<RequestId>t%d</RequestId></ErrorResponse>" % n)
                return self.send(400, xml, "text/xml")
        self.sts()


srv = ThreadingHTTPServer(("127.0.0.1", args.port), H)
srv.daemon_threads = True
if args.tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.tls[0], args.tls[1])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
