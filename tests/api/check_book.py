#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Reads an accountant's book (GET /api/v1/reports/book.csv) back with Python's own
# csv module, independent of the server's writer, and prints what it found as JSON:
# {"rows": data rows, "columns": header, "sums": {column: cents}, "names": [...]}.
# Usage: check_book.py FILE rfc4180|semicolon. Exits 1 when the file is not
# well-formed: a record not ended by CRLF, a ragged row, a number that does not
# parse in the dialect's decimal mark, a missing BOM in the semicolon dialect.
import csv
import io
import json
import sys
from decimal import Decimal

AMOUNTS = {"base", "vat", "total", "paid", "amount", "collected", "settled"}


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def main():
    path, dialect = sys.argv[1], sys.argv[2]
    raw = open(path, "rb").read()
    semicolon = dialect == "semicolon"
    if semicolon != raw.startswith(b"\xef\xbb\xbf"):
        fail("byte order mark: expected only in the semicolon dialect")
    text = raw.decode("utf-8-sig")
    if not text.endswith("\r\n"):
        fail("the last record does not end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolon else ",",
                           strict=True))
    header, data = rows[0], rows[1:]
    # Every line break outside a quoted field is CRLF: the records re-joined with CRLF
    # and quoted as the reader found them must give back the same number of lines.
    if text.count("\n") != text.count("\r\n"):
        fail("a bare LF")
    sums = {c: 0 for c in header if c in AMOUNTS}
    for row in data:
        if len(row) != len(header):
            fail("ragged row: %r" % row)
        for col, value in zip(header, row):
            if col in sums:
                if semicolon:
                    if "." in value:
                        fail("a decimal point in the semicolon dialect: %r" % value)
                    value = value.replace(",", ".")
                elif "," in value:
                    fail("a decimal comma in RFC 4180: %r" % value)
                sums[col] += int(Decimal(value) * 100)
    names = [r[header.index("customer_name")] for r in data] if "customer_name" in header \
        else [r[header.index("client")] for r in data]
    print(json.dumps({"rows": len(data), "columns": header, "sums": sums, "names": names}))


if __name__ == "__main__":
    main()
