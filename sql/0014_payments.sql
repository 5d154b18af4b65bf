-- SPDX-License-Identifier: MIT
-- Payments and SEPA direct debits (API.md, "Payments and SEPA direct debits"):
-- payments taken at the desk or collected by direct debit, how each one settles
-- invoices (allocations), the SEPA mandates of clients and the direct-debit runs.
-- The database keeps the books straight: an allocation moves its invoice's
-- paid_cents and status (trigger), an invoice is never paid beyond its total nor
-- below zero and its status always says what paid_cents says, one active mandate
-- per client, and no invoice in two open runs. A family's books are its clients'
-- (until the families migration lands, a client alone: the queries name client_id
-- in one place each). Instants are INTEGER Unix seconds.

CREATE TABLE payments (
  id            INTEGER PRIMARY KEY,
  client_id     INTEGER NOT NULL REFERENCES clients(id),
  method        TEXT NOT NULL CHECK (method IN ('cash', 'card', 'transfer', 'direct_debit')),
  amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
  paid_at       INTEGER NOT NULL,
  direct_debit_id INTEGER REFERENCES direct_debit_runs(id),
  created_at    INTEGER NOT NULL,
  created_by    INTEGER
);
CREATE INDEX payments_client ON payments(client_id);

-- What a payment settles: amount_cents of invoice_id. A returned direct debit adds
-- a negative allocation that undoes its positive one (API.md: the invoice is unpaid
-- again).
CREATE TABLE payment_allocations (
  id            INTEGER PRIMARY KEY,
  payment_id    INTEGER NOT NULL REFERENCES payments(id),
  invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
  amount_cents  INTEGER NOT NULL CHECK (amount_cents <> 0)
);
CREATE INDEX payment_allocations_payment ON payment_allocations(payment_id);
CREATE INDEX payment_allocations_invoice ON payment_allocations(invoice_id);
CREATE TRIGGER payment_allocations_no_change BEFORE UPDATE ON payment_allocations
BEGIN
  SELECT RAISE(ABORT, 'payment_immutable');
END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN
  SELECT RAISE(ABORT, 'payment_immutable');
END;

-- Every allocation moves its invoice; the status follows paid_cents.
CREATE TRIGGER payment_allocations_settle AFTER INSERT ON payment_allocations
BEGIN
  UPDATE invoices SET paid_cents = paid_cents + NEW.amount_cents,
    status = CASE WHEN paid_cents + NEW.amount_cents = 0 THEN 'unpaid'
                  WHEN paid_cents + NEW.amount_cents >= total_cents THEN 'paid'
                  ELSE 'partly_paid' END
  WHERE id = NEW.invoice_id;
END;

-- Never paid beyond the total nor below zero (a rectifying invoice, with its
-- negative total, takes no payment); the status says what paid_cents says.
CREATE TRIGGER invoices_paid_bounds BEFORE UPDATE OF paid_cents, status ON invoices
WHEN NEW.paid_cents < 0 OR NEW.paid_cents > max(NEW.total_cents, 0)
  OR NEW.status IS NOT (CASE WHEN NEW.paid_cents = 0 THEN 'unpaid'
                             WHEN NEW.paid_cents >= NEW.total_cents THEN 'paid'
                             ELSE 'partly_paid' END)
BEGIN
  SELECT RAISE(ABORT, 'invoice_overpaid');
END;

-- A SEPA mandate. iban: the compact IBAN (shown masked, API.md); reference: the
-- unique mandate reference (AT-01); signed_on: the local date of signature.
CREATE TABLE mandates (
  id            INTEGER PRIMARY KEY,
  client_id     INTEGER NOT NULL REFERENCES clients(id),
  reference     TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 35),
  iban          TEXT NOT NULL CHECK (length(iban) BETWEEN 15 AND 34
                                     AND iban GLOB '[A-Z][A-Z][0-9][0-9]*'
                                     AND iban NOT GLOB '*[^0-9A-Z]*'),
  holder_name   TEXT NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 70),
  signed_on     TEXT NOT NULL CHECK (signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX mandates_client ON mandates(client_id);
CREATE UNIQUE INDEX mandates_one_active ON mandates(client_id) WHERE status = 'active';
-- A mandate says the same until revoked, and a revoked one stays revoked.
CREATE TRIGGER mandates_immutable BEFORE UPDATE ON mandates
WHEN NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id
  OR NEW.reference IS NOT OLD.reference OR NEW.iban IS NOT OLD.iban
  OR NEW.holder_name IS NOT OLD.holder_name OR NEW.signed_on IS NOT OLD.signed_on
  OR NEW.created_at IS NOT OLD.created_at OR OLD.status = 'revoked'
BEGIN
  SELECT RAISE(ABORT, 'mandate_immutable');
END;

-- A direct-debit run: open until settled.
CREATE TABLE direct_debit_runs (
  id              INTEGER PRIMARY KEY,
  collection_date TEXT NOT NULL
                  CHECK (collection_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled')),
  created_at      INTEGER NOT NULL,
  created_by      INTEGER,
  settled_at      INTEGER,
  CHECK ((status = 'settled') = (settled_at IS NOT NULL))
);

-- One invoice collected by a run, under a mandate, FRST or RCUR as decided when the
-- run was made; returned_reason: the ISO reason code of a return.
CREATE TABLE direct_debit_items (
  run_id          INTEGER NOT NULL REFERENCES direct_debit_runs(id),
  invoice_id      INTEGER NOT NULL REFERENCES invoices(id),
  client_id       INTEGER NOT NULL REFERENCES clients(id),
  mandate_id      INTEGER NOT NULL REFERENCES mandates(id),
  amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
  sequence        TEXT NOT NULL CHECK (sequence IN ('FRST', 'RCUR')),
  returned_reason TEXT CHECK (returned_reason GLOB '[A-Z0-9][A-Z0-9][0-9A-Z][0-9A-Z]'),
  PRIMARY KEY (run_id, invoice_id)
) WITHOUT ROWID;
CREATE INDEX direct_debit_items_invoice ON direct_debit_items(invoice_id);

-- No invoice in two open runs (a returned item no longer holds its invoice).
CREATE TRIGGER direct_debit_items_once BEFORE INSERT ON direct_debit_items
WHEN EXISTS (SELECT 1 FROM direct_debit_items d JOIN direct_debit_runs r ON r.id = d.run_id
             WHERE d.invoice_id = NEW.invoice_id AND r.status = 'open'
               AND d.returned_reason IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'invoice_in_open_run');
END;

-- An item says the same for ever, but for its return, written once.
CREATE TRIGGER direct_debit_items_immutable BEFORE UPDATE ON direct_debit_items
WHEN NEW.run_id IS NOT OLD.run_id OR NEW.invoice_id IS NOT OLD.invoice_id
  OR NEW.client_id IS NOT OLD.client_id OR NEW.mandate_id IS NOT OLD.mandate_id
  OR NEW.amount_cents IS NOT OLD.amount_cents OR NEW.sequence IS NOT OLD.sequence
  OR OLD.returned_reason IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'direct_debit_immutable');
END;
-- A settled run stays settled.
CREATE TRIGGER direct_debit_runs_settled_once BEFORE UPDATE ON direct_debit_runs
WHEN OLD.status = 'settled' OR NEW.collection_date IS NOT OLD.collection_date
BEGIN
  SELECT RAISE(ABORT, 'direct_debit_immutable');
END;

-- The creditor's account the direct debits are paid into (PUT /business).
ALTER TABLE business ADD COLUMN creditor_iban TEXT;
