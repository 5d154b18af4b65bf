#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A local SMTP sink for the API tests, standard library only.

Listens on 127.0.0.1 (--port, 0 for any free port), speaks enough SMTP for
libcurl (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), and prints one JSON
object per line on standard output for every event, flushed at once, so the test
reads them as they happen:

  {"event": "listening", "port": 2525}
  {"event": "rcpt", "to": "ane@example.com"}
  {"event": "message", "mail_from": ..., "rcpt_to": [...], "raw": ...,
   "subject": (decoded), "body": (decoded), "headers": {...}, ...}

Misbehaviour on request, to test the sender:
  --hang-at rcpt       after a RCPT, never answer again (the sender is stuck
                       before DATA: nothing of the message has gone out)
  --hang-at data-end   after the whole message, print it but never answer its
                       end of data (the sender cannot know it arrived)
  --reject SUBSTRING   answer 550 to a RCPT whose address contains SUBSTRING
"""
import argparse
import email
import email.policy
import json
import socket
import socketserver
import sys
import threading

OUT_LOCK = threading.Lock()


def emit(event):
    with OUT_LOCK:
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def parse_message(raw, mail_from, rcpt_to):
    """The event for one message: the raw text and what a real parser makes of it."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b"\r\n")
    try:
        body = msg.get_content()
    except (LookupError, ValueError) as err:  # a broken charset or encoding
        body = None
        emit({"event": "error", "what": "body", "error": str(err)})
    return {
        "event": "message",
        "mail_from": mail_from,
        "rcpt_to": rcpt_to,
        "raw": raw.decode("utf-8", "replace"),
        "raw_is_ascii": all(b < 128 for b in raw),
        "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
        "max_line": max((len(line) for line in lines), default=0),
        "subject": str(msg["Subject"]) if msg["Subject"] is not None else None,
        "body": body,
        "message_id": str(msg["Message-ID"]) if msg["Message-ID"] else None,
        "date": str(msg["Date"]) if msg["Date"] else None,
        "from": str(msg["From"]) if msg["From"] else None,
        "to": str(msg["To"]) if msg["To"] else None,
        "content_type": msg.get_content_type(),
        "charset": msg.get_content_charset(),
        "transfer_encoding": str(msg["Content-Transfer-Encoding"] or ""),
        "mime_version": str(msg["MIME-Version"] or ""),
        "defects": [type(d).__name__ for d in msg.defects],
    }


class Session(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def hang(self):
        # Keep the connection open and silent until the peer goes away.
        while self.rfile.readline():
            pass

    def handle(self):
        opts = self.server.opts
        emit({"event": "connect"})
        self.reply("220 sink.test ESMTP harreman test sink")
        mail_from, rcpt_to = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink.test" if verb == "EHLO" else "250 sink.test")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                mail_from = cmd.split(":", 1)[1].strip().strip("<>") if ":" in cmd else ""
                rcpt_to = []
                self.reply("250 OK")
            elif verb == "RCPT":
                to = cmd.split(":", 1)[1].strip().strip("<>") if ":" in cmd else ""
                emit({"event": "rcpt", "to": to})
                if opts.hang_at == "rcpt":
                    self.hang()
                    return
                if opts.reject and opts.reject in to:
                    self.reply("550 5.1.1 <%s>: no such mailbox" % to)
                    continue
                rcpt_to.append(to)
                self.reply("250 OK")
            elif verb == "DATA":
                if not rcpt_to:
                    self.reply("503 5.5.1 no valid recipients")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                data = []
                while True:
                    part = self.rfile.readline()
                    if not part:
                        return
                    if part == b".\r\n":
                        break
                    if part.startswith(b".."):
                        part = part[1:]  # dot-unstuffing (RFC 5321, 4.5.2)
                    data.append(part)
                emit(parse_message(b"".join(data), mail_from, rcpt_to))
                if opts.hang_at == "data-end":
                    self.hang()
                    return
                self.reply("250 OK queued")
                mail_from, rcpt_to = None, []
            elif verb == "RSET":
                mail_from, rcpt_to = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 5.5.2 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--hang-at", choices=("rcpt", "data-end"))
    parser.add_argument("--reject")
    opts = parser.parse_args()
    server = Server(("127.0.0.1", opts.port), Session)
    server.opts = opts
    server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    emit({"event": "listening", "port": server.server_address[1]})
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
