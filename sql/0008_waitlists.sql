-- SPDX-License-Identifier: MIT
-- Waitlists (API.md, "Waitlists"): a line of students for a full event, and a line
-- for a full group session (a service, a tutor, a start) whose first student is
-- offered a freed seat for 12 hours. A line is first come, first served: the
-- position is the order of the rows' ids. The triggers refuse joining a line that
-- is not needed; a held offer counts as a taken seat for every booking, in the
-- rebuilt lessons_no_overlap_insert. The outbox learns two kinds of message.
-- Instants are INTEGER Unix seconds.

-- One row per student in an event's line; a student promoted to a place leaves it
-- in the same transaction.
CREATE TABLE event_waitlist (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  created_at  INTEGER NOT NULL,
  UNIQUE (event_id, client_id)
);
CREATE INDEX event_waitlist_client ON event_waitlist(client_id);

-- A line is only for an event that is full, for a student not registered in it.
CREATE TRIGGER event_waitlist_needed BEFORE INSERT ON event_waitlist
BEGIN
  SELECT RAISE(ABORT, 'registered') WHERE EXISTS (
    SELECT 1 FROM event_registrations WHERE event_id = NEW.event_id
      AND client_id = NEW.client_id);
  SELECT RAISE(ABORT, 'not_full') WHERE (
    SELECT count(*) FROM event_registrations WHERE event_id = NEW.event_id)
    < (SELECT capacity FROM events WHERE id = NEW.event_id);
END;

-- One row per student in a group session's line. state: waiting (in line),
-- offered (the first in line holds a freed seat until offer_expires_at), expired
-- (an offer not taken in time: kept so that a late accept answers 409, out of the
-- line). Accepting or leaving deletes the row.
CREATE TABLE slot_waitlist (
  id                INTEGER PRIMARY KEY,
  client_id         INTEGER NOT NULL REFERENCES clients(id),
  service_id        INTEGER NOT NULL REFERENCES services(id),
  tutor_id          INTEGER NOT NULL REFERENCES tutors(user_id),
  starts_at         INTEGER NOT NULL,
  state             TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (state IN ('waiting', 'offered', 'expired')),
  offer_expires_at  INTEGER,
  created_at        INTEGER NOT NULL,
  CHECK ((state = 'waiting') = (offer_expires_at IS NULL))
);
-- A student is in a session's line once.
CREATE UNIQUE INDEX slot_waitlist_once ON slot_waitlist(tutor_id, service_id, starts_at,
  client_id) WHERE state IN ('waiting', 'offered');
CREATE INDEX slot_waitlist_session ON slot_waitlist(tutor_id, starts_at, service_id, state);
CREATE INDEX slot_waitlist_client ON slot_waitlist(client_id);
CREATE INDEX slot_waitlist_offers ON slot_waitlist(offer_expires_at) WHERE state = 'offered';

-- A line is only for a full session (booked seats and held offers), for a student
-- who has no seat in it.
CREATE TRIGGER slot_waitlist_needed BEFORE INSERT ON slot_waitlist
WHEN NEW.state = 'waiting'
BEGIN
  SELECT RAISE(ABORT, 'booked') WHERE EXISTS (
    SELECT 1 FROM lessons WHERE tutor_id = NEW.tutor_id AND service_id = NEW.service_id
      AND starts_at = NEW.starts_at AND client_id = NEW.client_id AND status = 'booked');
  SELECT RAISE(ABORT, 'not_full') WHERE
    (SELECT count(*) FROM lessons WHERE tutor_id = NEW.tutor_id
       AND service_id = NEW.service_id AND starts_at = NEW.starts_at AND status = 'booked')
    + (SELECT count(*) FROM slot_waitlist WHERE tutor_id = NEW.tutor_id
       AND service_id = NEW.service_id AND starts_at = NEW.starts_at AND state = 'offered')
    < (SELECT capacity FROM services WHERE id = NEW.service_id);
END;

-- A held offer is a taken seat: the no-double-booking trigger of 0002, with the
-- offers of a session counted among its seats, and an offer of another session of
-- the tutor at that time as a taken slot. The offered student accepts by deleting
-- the offer first, in the same transaction as the booking.
DROP TRIGGER lessons_no_overlap_insert;
CREATE TRIGGER lessons_no_overlap_insert BEFORE INSERT ON lessons
WHEN NEW.status = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'slot_taken') WHERE EXISTS (
    SELECT 1 FROM lessons l JOIN services s ON s.id = NEW.service_id
    WHERE l.tutor_id = NEW.tutor_id AND l.status = 'booked'
      AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
      AND l.starts_at > NEW.starts_at - 36000  -- lessons last at most 600 minutes
      AND NOT (s.kind <> 'private' AND l.service_id = NEW.service_id
               AND l.starts_at = NEW.starts_at AND l.client_id <> NEW.client_id))
  OR EXISTS (
    SELECT 1 FROM slot_waitlist w JOIN services ws ON ws.id = w.service_id
    WHERE w.tutor_id = NEW.tutor_id AND w.state = 'offered'
      AND w.starts_at < NEW.ends_at AND w.starts_at + 60 * ws.duration_min > NEW.starts_at
      AND w.starts_at > NEW.starts_at - 36000
      AND NOT (w.service_id = NEW.service_id AND w.starts_at = NEW.starts_at));
  SELECT RAISE(ABORT, 'full') WHERE (
    SELECT count(*) FROM lessons l WHERE l.tutor_id = NEW.tutor_id
      AND l.service_id = NEW.service_id AND l.starts_at = NEW.starts_at
      AND l.status = 'booked')
    + (SELECT count(*) FROM slot_waitlist w WHERE w.tutor_id = NEW.tutor_id
      AND w.service_id = NEW.service_id AND w.starts_at = NEW.starts_at
      AND w.state = 'offered')
    >= (SELECT capacity FROM services WHERE id = NEW.service_id);
END;

-- The outbox learns the two waitlist messages. SQLite cannot change a CHECK in
-- place: outbox and its delivery log (the only table that refers to it) are
-- rebuilt, the log first copied to a table that refers to the new outbox, so that
-- dropping the old ones never leaves a reference dangling (foreign keys stay on).
CREATE TABLE outbox_new (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('lesson_booked', 'lesson_cancelled',
                    'lesson_reminder', 'inquiry_received', 'inquiry_answered',
                    'waitlist_registered', 'waitlist_offer')),
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
  CHECK (to_addr IS NOT NULL OR state NOT IN ('queued', 'sending'))
);
INSERT INTO outbox_new SELECT * FROM outbox;
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
