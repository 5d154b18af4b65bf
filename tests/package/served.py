# SPDX-License-Identifier: MIT
# A `harreman serve` started on 127.0.0.1 with a free port, for the backup and
# package tests: start it, ask it things over HTTP, stop it with SIGTERM (it must
# exit 0). Every wait is bounded.
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

START_SECONDS = 30
STOP_SECONDS = 20


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, expect=0, env=None, timeout=300, stdin=None, cwd=None):
    """Runs cmd; fails the test unless it exits with expect. Returns its output."""
    print("+ " + " ".join(cmd), flush=True)
    full_env = dict(os.environ, **(env or {}))
    try:
        p = subprocess.run(cmd, env=full_env, cwd=cwd, input=stdin, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except subprocess.TimeoutExpired:
        fail(f"{cmd[0]} did not finish within {timeout} s")
    if p.returncode != expect:
        print(p.stdout, flush=True)
        fail(f"{' '.join(cmd)} exited {p.returncode}, expected {expect}")
    return p.stdout


class Server:
    def __init__(self, binary, db, web=None, extra=()):
        """binary: the program, or a list (a wrapper such as setpriv, then it)."""
        prefix = list(binary) if isinstance(binary, (list, tuple)) else [binary]
        cmd = prefix + ["serve", "--listen", "127.0.0.1:0", "--db", db, "--threads", "2"]
        if web:
            cmd += ["--web", web]
        cmd += list(extra)
        print("+ " + " ".join(cmd), flush=True)
        # Unbuffered bytes: select() sees exactly what has not been read yet.
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     bufsize=0, env=dict(os.environ,
                                     GLIBC_TUNABLES="glibc.malloc.tcache_count=0"))
        self.log = []
        seen = b""
        deadline = time.monotonic() + START_SECONDS
        while True:
            m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)/", seen)
            if m:
                self.base = f"http://127.0.0.1:{m.group(1).decode()}"
                self.log.append(seen.decode(errors="replace"))
                print(seen.decode(errors="replace").rstrip(), flush=True)
                return
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                fail(f"the server printed no 'listening' line in {START_SECONDS} s:\n"
                     + seen.decode(errors="replace"))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                self.proc.wait(timeout=5)
                fail(f"the server exited at start ({self.proc.returncode}):\n"
                     + seen.decode(errors="replace"))
            seen += chunk

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes); never raises for an HTTP status."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=dict(headers or {}))
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def login(self, email, password):
        status, headers, body = self.request("POST", "/api/v1/auth/login",
                                             {"email": email, "password": password})
        return status, (json.loads(body) if body else None)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def stop(self):
        """SIGTERM; the server must exit 0 within STOP_SECONDS."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            fail(f"the server did not stop within {STOP_SECONDS} s of SIGTERM")
        self.log.append(out.decode(errors="replace"))
        if self.proc.returncode != 0:
            print("".join(self.log), flush=True)
            fail(f"the server exited {self.proc.returncode} after SIGTERM, expected 0")
        return "".join(self.log)


def check(cond, msg):
    if not cond:
        fail(msg)
    print(f"ok: {msg}", flush=True)
