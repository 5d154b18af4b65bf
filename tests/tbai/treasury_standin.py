#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A local HTTPS stand-in of a treasury's TicketBAI endpoint (tests/api/test_tbai_send.c):
# TLS on 127.0.0.1 with a self-signed server certificate, a client certificate
# required (and verified against the test certificate given), POST only. The first
# request is answered 503 (the sender must retry with backoff); then an invoice
# whose NumFactura is odd is accepted (Estado 00) and an even one rejected (Estado
# 01, Codigo 005). Every request is logged as one JSON line: path, content type,
# the client certificate's subject, NumFactura, the answer's status.
# Usage: treasury_standin.py PORT_FILE SERVER_CERT SERVER_KEY CLIENT_CA LOG
import http.server
import json
import re
import ssl
import sys

port_file, server_cert, server_key, client_ca, log_path = sys.argv[1:6]
state = {'requests': 0}

ANSWER = '''<?xml version="1.0" encoding="UTF-8"?>
<T:TicketBaiResponse xmlns:T="urn:ticketbai:emision">
  <Salida>
    <IdentificadorTBAI>{tbai}</IdentificadorTBAI>
    <Estado>{estado}</Estado>
    {results}
  </Salida>
</T:TicketBaiResponse>
'''


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(length).decode('utf-8', 'replace')
        state['requests'] += 1
        cert = self.connection.getpeercert() or {}
        subject = ','.join('%s=%s' % kv for rdn in cert.get('subject', ()) for kv in rdn)
        m = re.search(r'<NumFactura>(\d+)</NumFactura>', body)
        number = int(m.group(1)) if m else 0
        if state['requests'] == 1:
            status, text = 503, 'busy'
        elif number % 2 == 1:
            status = 200
            text = ANSWER.format(tbai='x', estado='00', results='')
        else:
            status = 200
            text = ANSWER.format(tbai='x', estado='01', results=(
                '<ResultadosValidacion><Codigo>005</Codigo>'
                '<Descripcion>Fichero rechazado de prueba</Descripcion></ResultadosValidacion>'))
        with open(log_path, 'a') as log:
            log.write(json.dumps({'path': self.path,
                                  'content_type': self.headers.get('Content-Type'),
                                  'subject': subject, 'number': number,
                                  'peer': self.client_address[0], 'status': status}) + '\n')
        data = text.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/xml;charset=UTF-8')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(server_cert, server_key)
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(client_ca)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(port_file + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + '.tmp', port_file)
server.serve_forever()
