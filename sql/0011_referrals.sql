-- SPDX-License-Identifier: MIT
-- Third parties (API.md v2, "Third parties: referrals and partners"): a family's
-- referral code and the family that brought it, the rewards a referring family
-- earns when a family it brought makes its first contract, the admin's referral
-- policy, partner organisations with their codes, and how each contract's
-- discount was made up (loyalty, partner, referral).

-- Partner organisations: schools, ikastolas, companies, associations, town halls.
CREATE TABLE partners (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind              TEXT NOT NULL CHECK (kind IN ('school', 'company', 'association', 'public', 'other')),
  code              TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 3 AND 40),
  discount_percent  INTEGER NOT NULL CHECK (discount_percent BETWEEN 0 AND 100),
  contact_email     TEXT,
  active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

-- A family's own code (10 hex digits, made by the database), the family whose code
-- it registered with, and the partner it belongs to.
ALTER TABLE families ADD COLUMN referral_code TEXT;
ALTER TABLE families ADD COLUMN referred_by INTEGER REFERENCES families(id);
ALTER TABLE families ADD COLUMN partner_id INTEGER REFERENCES partners(id);
UPDATE families SET referral_code = lower(hex(randomblob(5)));
CREATE UNIQUE INDEX families_referral_code ON families(referral_code COLLATE NOCASE);
CREATE INDEX families_referred_by ON families(referred_by);
CREATE INDEX families_partner ON families(partner_id);

CREATE TRIGGER families_code_new AFTER INSERT ON families
WHEN NEW.referral_code IS NULL
BEGIN
  UPDATE families SET referral_code = lower(hex(randomblob(5))) WHERE id = NEW.id;
END;

-- A partner's code and a family's code never look alike to a registration.
CREATE TRIGGER partners_code_free_insert BEFORE INSERT ON partners
BEGIN
  SELECT RAISE(ABORT, 'code_taken') WHERE EXISTS (
    SELECT 1 FROM families WHERE referral_code = NEW.code COLLATE NOCASE);
END;
CREATE TRIGGER partners_code_free_update BEFORE UPDATE OF code ON partners
BEGIN
  SELECT RAISE(ABORT, 'code_taken') WHERE EXISTS (
    SELECT 1 FROM families WHERE referral_code = NEW.code COLLATE NOCASE);
END;

-- The admin's policy: one row.
CREATE TABLE referral_policy (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  reward_percent  INTEGER NOT NULL CHECK (reward_percent BETWEEN 0 AND 15),
  gift            INTEGER NOT NULL CHECK (gift IN (0, 1)),
  updated_at      INTEGER NOT NULL
);
INSERT INTO referral_policy (id, reward_percent, gift, updated_at) VALUES (1, 5, 1, 0);

-- A reward a family earned (family_id) when the family it brought
-- (referred_family_id) made its first contract (trigger_contract_id); used by one
-- later contract of the earner, or withdrawn when the trigger contract is
-- cancelled before it was used.
CREATE TABLE referral_rewards (
  id                   INTEGER PRIMARY KEY,
  family_id            INTEGER NOT NULL REFERENCES families(id),
  referred_family_id   INTEGER NOT NULL REFERENCES families(id),
  trigger_contract_id  INTEGER NOT NULL UNIQUE REFERENCES contracts(id),
  percent              INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 15),
  gift                 INTEGER NOT NULL CHECK (gift IN (0, 1)),
  created_at           INTEGER NOT NULL,
  used_contract_id     INTEGER UNIQUE REFERENCES contracts(id),
  withdrawn_at         INTEGER,
  CHECK (used_contract_id IS NULL OR withdrawn_at IS NULL)
);
CREATE INDEX referral_rewards_open ON referral_rewards(family_id, used_contract_id, withdrawn_at);
CREATE INDEX referral_rewards_referred ON referral_rewards(referred_family_id);

-- How a contract's discount_percent was made up: the partner's share and the
-- referral reward's (the rest is the loyalty tier's), and the reward's second gift.
-- Contracts made before keep 0 and 0: all their discount was loyalty.
ALTER TABLE contracts ADD COLUMN partner_percent INTEGER NOT NULL DEFAULT 0
  CHECK (partner_percent BETWEEN 0 AND 100);
ALTER TABLE contracts ADD COLUMN referral_percent INTEGER NOT NULL DEFAULT 0
  CHECK (referral_percent BETWEEN 0 AND 15);
ALTER TABLE contracts ADD COLUMN reward_gift_id INTEGER REFERENCES gifts(id);

-- Never both the loyalty tier and the partner, and the parts never exceed the whole.
CREATE TRIGGER contracts_discount_parts BEFORE UPDATE OF partner_percent, referral_percent,
  discount_percent ON contracts
BEGIN
  SELECT RAISE(ABORT, 'discount_parts') WHERE
    NEW.partner_percent + NEW.referral_percent > NEW.discount_percent
    OR (NEW.partner_percent > 0
        AND NEW.discount_percent - NEW.partner_percent - NEW.referral_percent > 0);
END;

-- A referred family's first contract earns its referrer a reward (at the policy of
-- the moment), unless the two are one family by then.
CREATE TRIGGER referral_reward_earned AFTER INSERT ON contracts
BEGIN
  INSERT INTO referral_rewards (family_id, referred_family_id, trigger_contract_id, percent,
    gift, created_at)
  SELECT f.referred_by, f.id, NEW.id, p.reward_percent, p.gift, NEW.created_at
  FROM clients c JOIN families f ON f.id = c.family_id JOIN referral_policy p ON p.id = 1
  WHERE c.id = NEW.client_id AND f.referred_by IS NOT NULL AND f.referred_by <> f.id
    AND NOT EXISTS (SELECT 1 FROM referral_rewards r WHERE r.referred_family_id = f.id)
    AND NOT EXISTS (SELECT 1 FROM contracts k JOIN clients o ON o.id = k.client_id
                    WHERE o.family_id = f.id AND k.id <> NEW.id);
END;

-- The trigger contract cancelled before its reward was used: the reward goes.
CREATE TRIGGER referral_reward_withdrawn AFTER UPDATE OF status ON contracts
WHEN NEW.status = 'cancelled' AND OLD.status <> 'cancelled'
BEGIN
  UPDATE referral_rewards SET withdrawn_at = coalesce(NEW.cancelled_at, NEW.created_at)
  WHERE trigger_contract_id = NEW.id AND used_contract_id IS NULL AND withdrawn_at IS NULL;
END;
