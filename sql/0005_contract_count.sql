-- SPDX-License-Identifier: MIT
-- Each client's number of contracts that are not cancelled, kept by triggers, so
-- that a new contract's ordinal (and with it the loyalty discount) is read from one
-- row instead of counted over every contract the client ever had: a school that
-- books for years has thousands (docs/performance.md).
ALTER TABLE clients ADD COLUMN active_contracts INTEGER NOT NULL DEFAULT 0
  CHECK (active_contracts >= 0);

UPDATE clients SET active_contracts =
  (SELECT count(*) FROM contracts c WHERE c.client_id = clients.id AND c.status <> 'cancelled');

CREATE TRIGGER contracts_count_insert AFTER INSERT ON contracts
WHEN NEW.status <> 'cancelled'
BEGIN
  UPDATE clients SET active_contracts = active_contracts + 1 WHERE id = NEW.client_id;
END;

CREATE TRIGGER contracts_count_update AFTER UPDATE OF client_id, status ON contracts
WHEN (OLD.status <> 'cancelled') <> (NEW.status <> 'cancelled') OR OLD.client_id <> NEW.client_id
BEGIN
  UPDATE clients SET active_contracts = active_contracts - 1
    WHERE id = OLD.client_id AND OLD.status <> 'cancelled';
  UPDATE clients SET active_contracts = active_contracts + 1
    WHERE id = NEW.client_id AND NEW.status <> 'cancelled';
END;

CREATE TRIGGER contracts_count_delete AFTER DELETE ON contracts
WHEN OLD.status <> 'cancelled'
BEGIN
  UPDATE clients SET active_contracts = active_contracts - 1 WHERE id = OLD.client_id;
END;
