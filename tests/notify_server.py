#!/usr/bin/env python3
"""notify_server.py PORTFILE LOG [FAILS [STATUS]] - a webhook on 127.0.0.1 for tests/notify.sh.

Listens on a free loopback port (written to PORTFILE), appends each request to LOG as one
JSON line {"method", "path", "content_type", "body"}, and answers STATUS (default 500) to
the first FAILS requests (default 0), then 200. Runs until killed."""
import http.server
import json
import sys

portfile, log = sys.argv[1], sys.argv[2]
fails = int(sys.argv[3]) if len(sys.argv) > 3 else 0
status = int(sys.argv[4]) if len(sys.argv) > 4 else 500
seen = 0


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        with open(log, "a") as f:
            f.write(json.dumps({"method": "POST", "path": self.path,
                                "content_type": self.headers.get("Content-Type"),
                                "body": body}) + "\n")
        seen += 1
        code = status if seen <= fails else 200
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Hook)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
