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
