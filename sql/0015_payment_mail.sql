-- SPDX-License-Identifier: MIT
-- Finishing payments (issue 15): the e-mails of payments, the rule that a desk
-- payment never settles an invoice an open direct-debit run holds, and the
-- erasure of a client's mandates.
--
-- The outbox learns three kinds of message (a receipt per payment, the notice
-- before a direct debit, the reminder of an overdue invoice) and the rows they
-- speak of (payment_id, invoice_id, direct_debit_id). SQLite cannot change a
-- CHECK in place: outbox and its delivery log (the only table that refers to it)
-- are rebuilt as sql/0008_waitlists.sql did, the log first copied to a table that
-- refers to the new outbox so that no reference is ever left dangling. Neither
-- table has a trigger; every index is made again. The unique indexes say each
-- message goes once: one receipt per payment, one notice per run and client, one
-- reminder per invoice, ever.
CREATE TABLE outbox_new (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('lesson_booked', 'lesson_cancelled',
                    'lesson_reminder', 'inquiry_received', 'inquiry_answered',
                    'waitlist_registered', 'waitlist_offer', 'payment_receipt',
                    'debit_notice', 'invoice_overdue')),
  client_id       INTEGER REFERENCES clients(id),
  lesson_id       INTEGER REFERENCES lessons(id),
  inquiry_id      INTEGER REFERENCES inquiries(id),
  locale          TEXT NOT NULL CHECK (locale IN ('eu', 'es', 'en')),
  to_addr         TEXT,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  message_id      TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent',
                    'failed', 'unknown', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  data_started    INTEGER NOT NULL DEFAULT 0 CHECK (data_started IN (0, 1)),
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  payment_id      INTEGER REFERENCES payments(id),
  invoice_id      INTEGER REFERENCES invoices(id),
  direct_debit_id INTEGER REFERENCES direct_debit_runs(id),
  CHECK (to_addr IS NOT NULL OR state NOT IN ('queued', 'sending')),
  CHECK ((kind = 'payment_receipt') = (payment_id IS NOT NULL)),
  CHECK ((kind = 'invoice_overdue') = (invoice_id IS NOT NULL)),
  CHECK ((kind = 'debit_notice') = (direct_debit_id IS NOT NULL))
);
INSERT INTO outbox_new SELECT *, NULL, NULL, NULL FROM outbox;
CREATE TABLE outbox_attempts_new (
  id           INTEGER PRIMARY KEY,
  outbox_id    INTEGER NOT NULL REFERENCES outbox_new(id),
  attempt      INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  outcome      TEXT CHECK (outcome IN ('sent', 'retry', 'failed', 'interrupted', 'unknown')),
  smtp_code    INTEGER,
  detail       TEXT,
  retry_at     INTEGER
);
INSERT INTO outbox_attempts_new SELECT * FROM outbox_attempts;
DROP TABLE outbox_attempts;
DROP TABLE outbox;
-- Renaming rewrites outbox_attempts_new's reference to the new name.
ALTER TABLE outbox_new RENAME TO outbox;
ALTER TABLE outbox_attempts_new RENAME TO outbox_attempts;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_client ON outbox(client_id);
CREATE INDEX outbox_lesson ON outbox(lesson_id);
CREATE INDEX outbox_inquiry ON outbox(inquiry_id);
CREATE UNIQUE INDEX outbox_one_reminder ON outbox(lesson_id) WHERE kind = 'lesson_reminder';
CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id, id);
CREATE UNIQUE INDEX outbox_one_receipt ON outbox(payment_id) WHERE kind = 'payment_receipt';
CREATE UNIQUE INDEX outbox_one_overdue ON outbox(invoice_id) WHERE kind = 'invoice_overdue';
CREATE UNIQUE INDEX outbox_one_notice ON outbox(direct_debit_id, client_id)
  WHERE kind = 'debit_notice';

-- A payment other than a run's own collection never settles an invoice an open
-- run holds (the run will collect it; API: 409 in_direct_debit). Undoing (a
-- negative allocation) is always allowed.
CREATE TRIGGER payment_allocations_not_held BEFORE INSERT ON payment_allocations
WHEN NEW.amount_cents > 0
  AND (SELECT direct_debit_id FROM payments WHERE id = NEW.payment_id) IS NULL
  AND EXISTS (SELECT 1 FROM direct_debit_items d JOIN direct_debit_runs r ON r.id = d.run_id
              WHERE d.invoice_id = NEW.invoice_id AND r.status = 'open'
                AND d.returned_reason IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'invoice_in_direct_debit');
END;

-- A mandate says the same until revoked, and a revoked one stays revoked; but the
-- erasure of its client (clients.erased_at set) replaces the IBAN with the
-- placeholder 'XX00ERASED00000' and the holder's name with 'erased', revoking it:
-- the row stays for the books (reference, dates, the runs that used it).
DROP TRIGGER mandates_immutable;
CREATE TRIGGER mandates_immutable BEFORE UPDATE ON mandates
WHEN NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id
  OR NEW.reference IS NOT OLD.reference OR NEW.signed_on IS NOT OLD.signed_on
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.status = 'revoked'
      AND (NEW.status IS NOT OLD.status OR NEW.revoked_at IS NOT OLD.revoked_at))
  OR ((NEW.iban IS NOT OLD.iban OR NEW.holder_name IS NOT OLD.holder_name)
      AND NOT (NEW.iban = 'XX00ERASED00000' AND NEW.holder_name = 'erased'
               AND NEW.status = 'revoked'
               AND (SELECT erased_at FROM clients WHERE id = OLD.client_id) IS NOT NULL))
BEGIN
  SELECT RAISE(ABORT, 'mandate_immutable');
END;
