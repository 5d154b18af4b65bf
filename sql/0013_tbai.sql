-- SPDX-License-Identifier: MIT
-- TicketBAI signing (src/tbai/worker.c, src/db/tbai.c): invoices are signed strictly
-- in id order, each chained to the one before it. The database refuses to mark an
-- invoice signed while an invoice with a lower id is still pending, so the chain
-- can have no gap whatever the code does; a partial index finds the lowest pending
-- invoice without scanning the signed ones.
CREATE INDEX invoices_tbai_pending ON invoices(id) WHERE tbai_status = 'pending';

CREATE TRIGGER invoices_tbai_chain BEFORE UPDATE OF tbai_status ON invoices
WHEN OLD.tbai_status = 'pending' AND NEW.tbai_status <> 'pending'
  AND EXISTS (SELECT 1 FROM invoices WHERE id < NEW.id AND tbai_status = 'pending')
BEGIN
  SELECT RAISE(ABORT, 'tbai_chain_order');
END;

-- Once signed, an invoice never goes back to pending.
CREATE TRIGGER invoices_tbai_no_unsign BEFORE UPDATE OF tbai_status ON invoices
WHEN OLD.tbai_status <> 'pending' AND NEW.tbai_status = 'pending'
BEGIN
  SELECT RAISE(ABORT, 'invoice_immutable');
END;

-- Every submission of a signed invoice to the treasury (--tbai-url) and its answer:
-- http_status 0 when no answer came (network error), estado '00' accepted / '01'
-- rejected or NULL when the answer had none, codes the ResultadosValidacion
-- ("Codigo: Descripcion; ..."), body the answer's first bytes. Kept for good.
CREATE TABLE tbai_submissions (
  id          INTEGER PRIMARY KEY,
  invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
  attempt     INTEGER NOT NULL CHECK (attempt >= 1),
  sent_at     INTEGER NOT NULL,
  http_status INTEGER NOT NULL CHECK (http_status BETWEEN 0 AND 999),
  estado      TEXT CHECK (estado IN ('00', '01')),
  codes       TEXT,
  body        TEXT CHECK (length(body) <= 2000),
  error       TEXT,
  UNIQUE (invoice_id, attempt)
);
