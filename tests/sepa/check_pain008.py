#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# An independent reader of a pain.008.001.02 file (the standard library's
# xml.etree): checks that GrpHdr/NbOfTxs and CtrlSum agree with the transactions,
# that each PmtInf's do too and carry one SeqTp, and prints one line per
# transaction "SEQ IBAN AMOUNT MNDTID" for the caller to compare with what it asked.
# Usage: check_pain008.py FILE ; exit 1 on a disagreement.
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def fail(msg):
    print("not ok:", msg)
    sys.exit(1)


root = ET.parse(sys.argv[1]).getroot()
head = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", NS)
txs = root.findall(".//p:DrctDbtTxInf", NS)
total = sum(Decimal(t.find("p:InstdAmt", NS).text) for t in txs)
if int(head.find("p:NbOfTxs", NS).text) != len(txs):
    fail("GrpHdr NbOfTxs")
if Decimal(head.find("p:CtrlSum", NS).text) != total:
    fail("GrpHdr CtrlSum")
for pmt in root.findall(".//p:PmtInf", NS):
    own = pmt.findall("p:DrctDbtTxInf", NS)
    seq = pmt.find("p:PmtTpInf/p:SeqTp", NS).text
    if int(pmt.find("p:NbOfTxs", NS).text) != len(own):
        fail("PmtInf NbOfTxs")
    if Decimal(pmt.find("p:CtrlSum", NS).text) != sum(
            Decimal(t.find("p:InstdAmt", NS).text) for t in own):
        fail("PmtInf CtrlSum")
    for t in own:
        print(seq, t.find("p:DbtrAcct/p:Id/p:IBAN", NS).text,
              t.find("p:InstdAmt", NS).text,
              t.find("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", NS).text)
