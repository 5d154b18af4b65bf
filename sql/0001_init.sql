-- SPDX-License-Identifier: MIT
-- Foundation: accounts (users, their client records, sessions, API tokens), the
-- audit log, attempt counters for rate limits, and the business plan's defaults:
-- contact channels with their hours, loyalty discount tiers and branded gifts.
-- Instants are INTEGER seconds since the Unix epoch (UTC).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- stored lower-cased
  password_hash TEXT NOT NULL,                 -- argon2id, crypto_pwhash_str
  full_name     TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('student', 'staff', 'admin')),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE clients (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER UNIQUE REFERENCES users(id),  -- NULL: phone or walk-in client
  full_name         TEXT NOT NULL,
  email             TEXT,
  phone             TEXT,
  guardian_name     TEXT,
  guardian_email    TEXT,
  guardian_phone    TEXT,
  assistance        TEXT NOT NULL DEFAULT 'self_service'
                    CHECK (assistance IN ('personal', 'dedicated', 'self_service')),
  tutor_id          INTEGER REFERENCES users(id),
  level             TEXT,
  pace              TEXT CHECK (pace IN ('slow', 'steady', 'fast')),
  preferred_channel TEXT CHECK (preferred_channel IN ('phone', 'email', 'web', 'in_person')),
  locale            TEXT NOT NULL DEFAULT 'eu' CHECK (locale IN ('eu', 'es', 'en')),
  notes             TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX clients_email ON clients(email);

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  token_hash  BLOB NOT NULL UNIQUE,            -- BLAKE2b-256 of the cookie value
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  name        TEXT NOT NULL,
  token_hash  BLOB NOT NULL UNIQUE,            -- BLAKE2b-256 of the token
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  actor_id    INTEGER REFERENCES users(id),    -- NULL: command line or anonymous
  action      TEXT NOT NULL,                   -- "user.create", "session.login", ...
  entity      TEXT NOT NULL,
  entity_id   INTEGER,
  detail      TEXT,                            -- JSON object, never secrets
  request_id  TEXT
);

CREATE TABLE rate_events (
  bucket  TEXT NOT NULL,                       -- "login_email", "login_addr", ...
  key     TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX rate_events_lookup ON rate_events(bucket, key, at);

CREATE TABLE channels (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'web', 'in_person')),
  label          TEXT NOT NULL,
  value          TEXT NOT NULL,
  response_hours INTEGER CHECK (response_hours IS NULL OR response_hours > 0)
);

-- Weekly opening hours, local wall-clock time in the business time zone; a channel
-- without rows is always open. A window includes opens and excludes closes.
CREATE TABLE channel_hours (
  channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens       TEXT NOT NULL CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]'),
  closes      TEXT NOT NULL CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]'),
  CHECK (opens < closes)
);
CREATE INDEX channel_hours_channel ON channel_hours(channel_id);

CREATE TABLE discount_tiers (
  from_ordinal INTEGER PRIMARY KEY CHECK (from_ordinal >= 2),
  percent      INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100)
);

CREATE TABLE gifts (
  id     INTEGER PRIMARY KEY,
  key    TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  stock  INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

-- The business plan's defaults. Phone and e-mail values are placeholders for the
-- admin to set (PATCH /channels/{id}).
INSERT INTO channels (id, kind, label, value, response_hours) VALUES
  (1, 'phone', 'Telefonoa', '+34 943 000 000', NULL),
  (2, 'email', 'Posta elektronikoa', 'kaixo@harreman.eus', 48),
  (3, 'web', 'Webgunea', '/', 48);

INSERT INTO channel_hours (channel_id, weekday, opens, closes) VALUES
  (1, 1, '08:30', '14:30'), (1, 1, '16:00', '20:00'),
  (1, 2, '08:30', '14:30'), (1, 2, '16:00', '20:00'),
  (1, 3, '08:30', '14:30'), (1, 3, '16:00', '20:00'),
  (1, 4, '08:30', '14:30'), (1, 4, '16:00', '20:00'),
  (1, 5, '08:30', '14:30'), (1, 5, '16:00', '20:00');

INSERT INTO discount_tiers (from_ordinal, percent) VALUES (3, 5), (4, 10), (5, 15);

INSERT INTO gifts (id, key, name, stock) VALUES
  (1, 'pen', 'Boligrafoa', 0),
  (2, 'calendar', 'Egutegia', 0),
  (3, 'car_air_freshener', 'Autorako usain-gozagarria', 0);
