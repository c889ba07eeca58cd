#!/usr/bin/env python3
"""sso_stub.py — a loopback stand-in for the IAM Identity Center portal, for
tests/aws_creds.sh. moto_server has no portal, so this speaks the documented wire format
of GetRoleCredentials (botocore's data/sso/2019-06-10/service-2.json):

  GET /federation/credentials?role_name=R&account_id=A
      header x-amz-sso_bearer_token: TOKEN    (no SigV4 Authorization header allowed)
  200 {"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken",
                           "expiration": epoch milliseconds}}
  401 {"message": "Session token not found or invalid"} (x-amzn-ErrorType:
      UnauthorizedException) for another token; 403 ForbiddenException for another
      role or account.
  GET /__log   the requests seen, one JSON object each (no token values)
  GET /        ok (readiness)
"""
import argparse
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--token", default="ssoACCESStoken")
ap.add_argument("--account", default="111122223333")
ap.add_argument("--role", default="ReadOnly")
args = ap.parse_args()
seen = []


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, obj, etype=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if etype:
            self.send_header("x-amzn-ErrorType", etype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/__log":
            return self.send(200, seen)
        if u.path != "/federation/credentials":
            return self.send(200, {"ok": True})
        q = urllib.parse.parse_qs(u.query)
        tok = self.headers.get("x-amz-sso_bearer_token")
        seen.append({"role_name": q.get("role_name", [""])[0],
                     "account_id": q.get("account_id", [""])[0],
                     "signed": "Authorization" in self.headers,
                     "token_ok": tok == args.token})
        if "Authorization" in self.headers:
            return self.send(400, {"message": "the portal takes no SigV4 signature"},
                             "InvalidRequestException")
        if tok != args.token:
            return self.send(401, {"message": "Session token not found or invalid"},
                             "UnauthorizedException")
        if q.get("role_name") != [args.role] or q.get("account_id") != [args.account]:
            return self.send(403, {"message": "No access"}, "ForbiddenException")
        exp = int((time.time() + 3600) * 1000)
        self.send(200, {"roleCredentials": {
            "accessKeyId": "ASIASSOSTUB", "secretAccessKey": "ssoSECRETvalue",
            "sessionToken": "ssoSESSIONtoken", "expiration": exp}})


ThreadingHTTPServer(("127.0.0.1", args.port), H).serve_forever()
