#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The positive control of attack/sqlmap: a deliberately injectable search
endpoint on 127.0.0.1 (GET /clients?q=), built by pasting the parameter into the
SQL text, the one thing Harreman never does. It hides its SQL errors behind a
generic 500, as Harreman would, so sqlmap has to find it the hard way. If sqlmap,
run with the options the test uses against Harreman, does not report this one,
the test's "nothing injectable" verdict would mean nothing. Prints the port it
listens on, then serves until killed."""
import json
import sqlite3
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DB = sqlite3.connect(":memory:", check_same_thread=False)
DB.executescript(
    "CREATE TABLE clients (id INTEGER PRIMARY KEY, full_name TEXT);"
    "INSERT INTO clients (full_name) VALUES ('Ane'), ('Bea'), ('Carlos');"
)
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server interface)
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query).get("q", [""])[0]
        status, body = 404, {"error": {"code": "not_found"}}
        if url.path == "/clients":
            try:
                with LOCK:
                    rows = DB.execute(
                        "SELECT id, full_name FROM clients WHERE full_name LIKE '%"
                        + q + "%' ORDER BY id").fetchall()
                status, body = 200, {"items": [{"id": r[0], "full_name": r[1]}
                                               for r in rows]}
            except sqlite3.Error:
                status, body = 500, {"error": {"code": "internal"}}
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
