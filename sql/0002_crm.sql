-- SPDX-License-Identifier: MIT
-- The CRM core: tutors and what they teach, services, weekly availability,
-- contracts (with their loyalty ordinal, discount and gift fixed when made),
-- lessons, the contact history, and inquiries. Instants are INTEGER Unix seconds;
-- weekly times are local wall-clock "HH:MM" in the business time zone.

CREATE TABLE tutors (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id),
  bio         TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL
);

CREATE TABLE tutor_subjects (
  tutor_id  INTEGER NOT NULL REFERENCES tutors(user_id) ON DELETE CASCADE,
  subject   TEXT NOT NULL,
  PRIMARY KEY (tutor_id, subject)
) WITHOUT ROWID;
CREATE INDEX tutor_subjects_subject ON tutor_subjects(subject);

CREATE TABLE availability (
  tutor_id  INTEGER NOT NULL REFERENCES tutors(user_id) ON DELETE CASCADE,
  weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts    TEXT NOT NULL CHECK (starts GLOB '[0-2][0-9]:[0-5][0-9]'),
  ends      TEXT NOT NULL CHECK (ends GLOB '[0-2][0-9]:[0-5][0-9]'),
  CHECK (starts < ends)
);
CREATE INDEX availability_tutor ON availability(tutor_id, weekday);

CREATE TABLE services (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  subject       TEXT NOT NULL,
  level         TEXT NOT NULL DEFAULT '',
  kind          TEXT NOT NULL CHECK (kind IN ('private', 'group', 'workshop')),
  duration_min  INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 600),
  price_cents   INTEGER NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),
  capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    INTEGER NOT NULL,
  CHECK (kind <> 'private' OR capacity = 1)
);
CREATE INDEX services_subject ON services(subject);

CREATE TABLE contracts (
  id                INTEGER PRIMARY KEY,
  client_id         INTEGER NOT NULL REFERENCES clients(id),
  service_id        INTEGER NOT NULL REFERENCES services(id),
  kind              TEXT NOT NULL CHECK (kind IN ('one_off', 'subscription')),
  sessions_total    INTEGER NOT NULL CHECK (sessions_total BETWEEN 1 AND 200),
  sessions_used     INTEGER NOT NULL DEFAULT 0,
  ordinal           INTEGER NOT NULL CHECK (ordinal >= 1),
  list_price_cents  INTEGER NOT NULL CHECK (list_price_cents >= 0),
  discount_percent  INTEGER NOT NULL CHECK (discount_percent BETWEEN 0 AND 100),
  discount_cents    INTEGER NOT NULL CHECK (discount_cents >= 0),
  price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
  gift_id           INTEGER REFERENCES gifts(id),
  channel           TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'email', 'in_person')),
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_at        INTEGER NOT NULL,
  cancelled_at      INTEGER,
  created_by        INTEGER REFERENCES users(id),
  CHECK (kind <> 'one_off' OR sessions_total = 1),
  CHECK (sessions_used BETWEEN 0 AND sessions_total),
  CHECK (discount_cents + price_cents = list_price_cents)
);
CREATE INDEX contracts_client ON contracts(client_id, status);

CREATE TABLE lessons (
  id           INTEGER PRIMARY KEY,
  client_id    INTEGER NOT NULL REFERENCES clients(id),
  tutor_id     INTEGER NOT NULL REFERENCES tutors(user_id),
  service_id   INTEGER NOT NULL REFERENCES services(id),
  contract_id  INTEGER REFERENCES contracts(id),
  made_contract INTEGER NOT NULL DEFAULT 0 CHECK (made_contract IN (0, 1)),
                                 -- 1: its contract was made on the spot with it
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  status       TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  attendance   TEXT CHECK (attendance IN ('attended', 'no_show')),
  notes        TEXT NOT NULL DEFAULT '',
  channel      TEXT NOT NULL DEFAULT 'web'
               CHECK (channel IN ('web', 'phone', 'email', 'in_person')),
  created_at   INTEGER NOT NULL,
  created_by   INTEGER REFERENCES users(id),
  cancelled_at INTEGER,
  logged_at    INTEGER,
  logged_by    INTEGER REFERENCES users(id),
  CHECK (ends_at > starts_at)
);
CREATE INDEX lessons_tutor_time ON lessons(tutor_id, starts_at);
CREATE INDEX lessons_client_time ON lessons(client_id, starts_at);
CREATE INDEX lessons_contract ON lessons(contract_id);
CREATE INDEX lessons_time ON lessons(starts_at);

-- No double booking, ever, enforced by the database itself: a booked lesson may
-- not overlap another booked lesson of the same tutor, except the seats of one
-- group session (same service, same start), which may fill up to its capacity.
CREATE TRIGGER lessons_no_overlap_insert BEFORE INSERT ON lessons
WHEN NEW.status = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'slot_taken') WHERE EXISTS (
    SELECT 1 FROM lessons l JOIN services s ON s.id = NEW.service_id
    WHERE l.tutor_id = NEW.tutor_id AND l.status = 'booked'
      AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
      AND l.starts_at > NEW.starts_at - 36000  -- lessons last at most 600 minutes
      AND NOT (s.kind <> 'private' AND l.service_id = NEW.service_id
               AND l.starts_at = NEW.starts_at AND l.client_id <> NEW.client_id));
  SELECT RAISE(ABORT, 'full') WHERE (
    SELECT count(*) FROM lessons l WHERE l.tutor_id = NEW.tutor_id
      AND l.service_id = NEW.service_id AND l.starts_at = NEW.starts_at
      AND l.status = 'booked') >= (SELECT capacity FROM services WHERE id = NEW.service_id);
END;

CREATE TRIGGER lessons_no_overlap_update BEFORE UPDATE OF tutor_id, starts_at, ends_at, status,
  service_id ON lessons
WHEN NEW.status = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'slot_taken') WHERE EXISTS (
    SELECT 1 FROM lessons l JOIN services s ON s.id = NEW.service_id
    WHERE l.id <> NEW.id AND l.tutor_id = NEW.tutor_id AND l.status = 'booked'
      AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
      AND l.starts_at > NEW.starts_at - 36000  -- lessons last at most 600 minutes
      AND NOT (s.kind <> 'private' AND l.service_id = NEW.service_id
               AND l.starts_at = NEW.starts_at AND l.client_id <> NEW.client_id));
END;

CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY,
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  channel     TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'web', 'in_person')),
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  summary     TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX interactions_client ON interactions(client_id, id);

CREATE TABLE inquiries (
  id           INTEGER PRIMARY KEY,
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'web', 'phone')),
  full_name    TEXT NOT NULL,
  email        TEXT,
  phone        TEXT,
  subject      TEXT NOT NULL,
  message      TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  due_at       INTEGER,
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
  reply        TEXT,
  answered_at  INTEGER,
  answered_by  INTEGER REFERENCES users(id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX inquiries_status_due ON inquiries(status, due_at);

CREATE INDEX clients_phone ON clients(phone);
CREATE INDEX clients_tutor ON clients(tutor_id);
