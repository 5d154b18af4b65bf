-- SPDX-License-Identifier: MIT
-- Messages and calendars: the outbox of e-mail written in the same transaction
-- as the event that causes it, with its delivery log; private calendar feeds of
-- clients; what erasing a client (privacy) needs to record. Instants are INTEGER
-- Unix seconds.

-- Inquiries get the language to answer in and a mark for erasure. SQLite cannot
-- change a CHECK in place, so the table is rebuilt (nothing refers to it yet): an
-- erased inquiry keeps its dates and status for the statistics but neither
-- e-mail nor phone.
CREATE TABLE inquiries_new (
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
  locale       TEXT CHECK (locale IN ('eu', 'es', 'en')),  -- NULL: the sender's client's, or eu
  erased_at    INTEGER,
  CHECK (email IS NOT NULL OR phone IS NOT NULL OR erased_at IS NOT NULL)
);
INSERT INTO inquiries_new (id, channel, full_name, email, phone, subject, message, received_at,
                           due_at, status, reply, answered_at, answered_by)
  SELECT id, channel, full_name, email, phone, subject, message, received_at, due_at, status,
         reply, answered_at, answered_by FROM inquiries;
DROP TABLE inquiries;
ALTER TABLE inquiries_new RENAME TO inquiries;
CREATE INDEX inquiries_status_due ON inquiries(status, due_at);
CREATE INDEX inquiries_email ON inquiries(email);

ALTER TABLE clients ADD COLUMN erased_at INTEGER;

-- One row per e-mail to send. Subject and body are rendered when the event
-- happens, in the recipient's language, so what is sent is what the event said.
-- States: queued (waiting, maybe for next_attempt_at after a failure), sending
-- (claimed by the sender thread in a committed transaction before it talks SMTP),
-- sent, failed (a permanent refusal, or too many attempts), unknown (the process
-- died after the message data began to go out: it may or may not have arrived, so
-- it is never resent without an admin's retry), cancelled (nothing to send any
-- more: the lesson was cancelled before its reminder went, the client erased).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('lesson_booked', 'lesson_cancelled',
                    'lesson_reminder', 'inquiry_received', 'inquiry_answered')),
  client_id       INTEGER REFERENCES clients(id),
  lesson_id       INTEGER REFERENCES lessons(id),     -- the (first) lesson concerned
  inquiry_id      INTEGER REFERENCES inquiries(id),
  locale          TEXT NOT NULL CHECK (locale IN ('eu', 'es', 'en')),
  to_addr         TEXT,                               -- NULL once erased
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  message_id      TEXT NOT NULL UNIQUE,               -- "<...@domain>", fixed when queued
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent',
                    'failed', 'unknown', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  data_started    INTEGER NOT NULL DEFAULT 0 CHECK (data_started IN (0, 1)),
                                                      -- the current attempt began the DATA phase
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  CHECK (to_addr IS NOT NULL OR state NOT IN ('queued', 'sending'))
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_client ON outbox(client_id);
CREATE INDEX outbox_lesson ON outbox(lesson_id);
CREATE INDEX outbox_inquiry ON outbox(inquiry_id);
-- "Your lesson is in 24 hours": at most one per lesson, whatever races.
CREATE UNIQUE INDEX outbox_one_reminder ON outbox(lesson_id) WHERE kind = 'lesson_reminder';

-- The delivery log: one row per attempt, written when it starts and completed
-- when it ends (an attempt the process did not live to finish is closed as
-- 'interrupted' or 'unknown' at the next start).
CREATE TABLE outbox_attempts (
  id           INTEGER PRIMARY KEY,
  outbox_id    INTEGER NOT NULL REFERENCES outbox(id),
  attempt      INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  outcome      TEXT CHECK (outcome IN ('sent', 'retry', 'failed', 'interrupted', 'unknown')),
  smtp_code    INTEGER,
  detail       TEXT,
  retry_at     INTEGER
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id, id);

-- A client's private calendar feed. The token in the feed URL is derived from
-- nonce with the server's secret key (a file next to the database, not in it), so
-- the URL can be shown again while the database holds only its hash; rotating
-- draws a new nonce.
CREATE TABLE calendar_feeds (
  client_id   INTEGER PRIMARY KEY REFERENCES clients(id),
  nonce       BLOB NOT NULL,
  token_hash  BLOB NOT NULL UNIQUE,                   -- BLAKE2b-256 of the token
  created_at  INTEGER NOT NULL
);
