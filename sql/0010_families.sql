-- SPDX-License-Identifier: MIT
-- Families (API.md v2, "Families"): every client belongs to one, a parent books for
-- its children, and the loyalty discount counts what the family contracts.
--
-- A family is a row of its own, carrying the number of its members' contracts that
-- are not cancelled: the sum of their clients.active_contracts (sql/0005), kept by
-- triggers, so a new contract's ordinal stays one row read on the booking path.
-- The upgrade makes every existing client a family of one whose id is the client's
-- id; contracts already made keep their ordinals and discounts untouched.
CREATE TABLE families (
  id                INTEGER PRIMARY KEY,
  active_contracts  INTEGER NOT NULL DEFAULT 0 CHECK (active_contracts >= 0),
  created_at        INTEGER NOT NULL
);

INSERT INTO families (id, active_contracts, created_at)
  SELECT id, active_contracts, created_at FROM clients;

-- NULL only for the instant between a client's INSERT and the trigger below.
ALTER TABLE clients ADD COLUMN family_id INTEGER REFERENCES families(id);
UPDATE clients SET family_id = id;
CREATE INDEX clients_family ON clients(family_id);

-- A client inserted without a family founds a family of one.
CREATE TRIGGER clients_family_new AFTER INSERT ON clients
WHEN NEW.family_id IS NULL
BEGIN
  INSERT INTO families (active_contracts, created_at) VALUES (0, NEW.created_at);
  UPDATE clients SET family_id = last_insert_rowid() WHERE id = NEW.id;
END;

-- Never without a family once made.
CREATE TRIGGER clients_family_required BEFORE UPDATE OF family_id ON clients
WHEN NEW.family_id IS NULL
BEGIN
  SELECT RAISE(ABORT, 'family_required');
END;

-- A client moving between families takes its contracts' count with it.
CREATE TRIGGER clients_family_move AFTER UPDATE OF family_id ON clients
WHEN OLD.family_id IS NOT NEW.family_id
BEGIN
  UPDATE families SET active_contracts = active_contracts - OLD.active_contracts
    WHERE id = OLD.family_id;
  UPDATE families SET active_contracts = active_contracts + NEW.active_contracts
    WHERE id = NEW.family_id;
END;

-- A client's count changes (sql/0005's triggers on contracts): so does its family's.
CREATE TRIGGER clients_family_count AFTER UPDATE OF active_contracts ON clients
WHEN OLD.active_contracts <> NEW.active_contracts
BEGIN
  UPDATE families SET active_contracts = active_contracts + NEW.active_contracts
    - OLD.active_contracts WHERE id = NEW.family_id;
END;
