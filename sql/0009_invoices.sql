-- SPDX-License-Identifier: MIT
-- Invoices (API.md, "Invoices and TicketBAI"): the business's settings (one row),
-- the invoices issued with every contract and with every cancellation of an
-- invoiced one, and the columns that will receive each invoice's signed TicketBAI
-- file. The database has the last word on what an invoice is: numbers run per
-- series with no gap and no repeat, an issued invoice never changes what it says
-- nor disappears, and its TicketBAI file, once stored, stays. Clients gain the tax
-- id and billing address a full invoice names. Instants are INTEGER Unix seconds.

-- The one row of settings (PUT /business replaces them all). Text fields are NULL
-- until set; is_set says whether PUT /business ever ran (until then invoices are
-- numbered in the default series and stay pending).
CREATE TABLE business (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  legal_name    TEXT,
  nif           TEXT,
  address       TEXT,
  postcode      TEXT,
  city          TEXT,
  territory     TEXT CHECK (territory IN ('araba', 'bizkaia', 'gipuzkoa')),
  invoice_series TEXT NOT NULL DEFAULT 'F'
                CHECK (length(invoice_series) BETWEEN 1 AND 19
                       AND invoice_series NOT GLOB '*[^0-9A-Z-]*'),
  vat_exempt    INTEGER NOT NULL DEFAULT 1 CHECK (vat_exempt IN (0, 1)),
  vat_percent   INTEGER NOT NULL DEFAULT 21 CHECK (vat_percent BETWEEN 0 AND 100),
  creditor_id   TEXT,
  is_set        INTEGER NOT NULL DEFAULT 0 CHECK (is_set IN (0, 1)),
  updated_at    INTEGER
);
INSERT INTO business (id) VALUES (1);
CREATE TRIGGER business_no_delete BEFORE DELETE ON business
BEGIN
  SELECT RAISE(ABORT, 'business_settings_stay');
END;

ALTER TABLE clients ADD COLUMN tax_id TEXT;
ALTER TABLE clients ADD COLUMN billing_address TEXT;

-- An invoice. lines: a JSON array of {description, quantity, unit_price_cents,
-- discount_cents, amount_cents}, written once with the row (docs/decisions.md).
-- customer_*: the client as the invoice names it when issued (a legal record:
-- kept when the client's record is erased). issued_on: the business's local date.
-- The number is the next of its series, taken under the write lock; the counter
-- of a series is its largest number, read through UNIQUE (series, number).
CREATE TABLE invoices (
  id               INTEGER PRIMARY KEY,
  series           TEXT NOT NULL CHECK (length(series) BETWEEN 1 AND 20),
  number           INTEGER NOT NULL CHECK (number >= 1),
  issued_at        INTEGER NOT NULL,
  issued_on        TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind             TEXT NOT NULL CHECK (kind IN ('simplified', 'full', 'rectifying')),
  client_id        INTEGER NOT NULL REFERENCES clients(id),
  contract_id      INTEGER REFERENCES contracts(id),
  rectifies        INTEGER REFERENCES invoices(id),
  customer_name    TEXT NOT NULL,
  customer_tax_id  TEXT,
  customer_address TEXT,
  lines            TEXT NOT NULL CHECK (lines LIKE '[%]'),
  base_cents       INTEGER NOT NULL,
  vat_percent      INTEGER NOT NULL CHECK (vat_percent BETWEEN 0 AND 100),
  vat_cents        INTEGER NOT NULL,
  total_cents      INTEGER NOT NULL,
  paid_cents       INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL DEFAULT 'unpaid'
                   CHECK (status IN ('unpaid', 'partly_paid', 'paid')),
  tbai_status      TEXT NOT NULL DEFAULT 'pending'
                   CHECK (tbai_status IN ('pending', 'signed', 'sent', 'accepted', 'rejected')),
  tbai_error       TEXT,
  tbai_xml         TEXT,
  tbai_signature   TEXT,  -- the full SignatureValue (the next invoice chains to it)
  tbai_id          TEXT,
  tbai_qr_url      TEXT,
  signed_at        INTEGER,
  UNIQUE (series, number),
  CHECK (base_cents + vat_cents = total_cents),
  CHECK ((kind = 'rectifying') = (rectifies IS NOT NULL)),
  CHECK (tbai_status = 'pending' OR (tbai_xml IS NOT NULL AND tbai_signature IS NOT NULL
                                     AND tbai_id IS NOT NULL AND tbai_qr_url IS NOT NULL))
);
CREATE INDEX invoices_client ON invoices(client_id); -- lists, and a contract's invoices
CREATE INDEX invoices_rectifies ON invoices(rectifies) WHERE rectifies IS NOT NULL;

-- No gap, no repeat: the first of a series is 1, every next one the largest + 1.
CREATE TRIGGER invoices_number_next BEFORE INSERT ON invoices
WHEN NEW.number IS NOT (SELECT coalesce(max(number), 0) + 1 FROM invoices
                        WHERE series = NEW.series)
BEGIN
  SELECT RAISE(ABORT, 'invoice_number_gap');
END;

-- An issued invoice is never deleted ...
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN
  SELECT RAISE(ABORT, 'invoice_immutable');
END;

-- ... never says anything else ...
CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
WHEN NEW.id IS NOT OLD.id OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_at IS NOT OLD.issued_at OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.kind IS NOT OLD.kind OR NEW.client_id IS NOT OLD.client_id
  OR NEW.contract_id IS NOT OLD.contract_id OR NEW.rectifies IS NOT OLD.rectifies
  OR NEW.customer_name IS NOT OLD.customer_name
  OR NEW.customer_tax_id IS NOT OLD.customer_tax_id
  OR NEW.customer_address IS NOT OLD.customer_address
  OR NEW.lines IS NOT OLD.lines OR NEW.base_cents IS NOT OLD.base_cents
  OR NEW.vat_percent IS NOT OLD.vat_percent OR NEW.vat_cents IS NOT OLD.vat_cents
  OR NEW.total_cents IS NOT OLD.total_cents
BEGIN
  SELECT RAISE(ABORT, 'invoice_immutable');
END;

-- ... and its TicketBAI file, signature, identifier and QR address are written once.
CREATE TRIGGER invoices_tbai_once BEFORE UPDATE ON invoices
WHEN (OLD.tbai_xml IS NOT NULL AND NEW.tbai_xml IS NOT OLD.tbai_xml)
  OR (OLD.tbai_signature IS NOT NULL AND NEW.tbai_signature IS NOT OLD.tbai_signature)
  OR (OLD.tbai_id IS NOT NULL AND NEW.tbai_id IS NOT OLD.tbai_id)
  OR (OLD.tbai_qr_url IS NOT NULL AND NEW.tbai_qr_url IS NOT OLD.tbai_qr_url)
  OR (OLD.signed_at IS NOT NULL AND NEW.signed_at IS NOT OLD.signed_at)
BEGIN
  SELECT RAISE(ABORT, 'invoice_immutable');
END;
