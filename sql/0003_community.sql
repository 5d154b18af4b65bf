-- SPDX-License-Identifier: MIT
-- The community: events (workshops, talks, forums) that students register for, and
-- contributions (blog posts, materials, methods) that students submit and staff
-- review before they are published. Instants are INTEGER Unix seconds.

CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('workshop', 'talk', 'forum')),
  subject      TEXT,                 -- a subject key as services use; NULL: any
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
  description  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   INTEGER REFERENCES users(id),
  updated_at   INTEGER NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX events_time ON events(starts_at);
CREATE INDEX events_end ON events(ends_at);

-- One row per student (by client record) registered for an event.
CREATE TABLE event_registrations (
  event_id    INTEGER NOT NULL REFERENCES events(id),
  client_id   INTEGER NOT NULL REFERENCES clients(id),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (event_id, client_id)
) WITHOUT ROWID;
CREATE INDEX event_registrations_client ON event_registrations(client_id);

-- An event never takes more registrations than its capacity, and registrations
-- close when it starts, enforced by the database itself: whatever the C code
-- checked before taking the write lock, these have the last word.
CREATE TRIGGER event_registrations_capacity BEFORE INSERT ON event_registrations
BEGIN
  SELECT RAISE(ABORT, 'full') WHERE (
    SELECT count(*) FROM event_registrations WHERE event_id = NEW.event_id)
    >= (SELECT capacity FROM events WHERE id = NEW.event_id);
  SELECT RAISE(ABORT, 'started') WHERE (
    SELECT starts_at FROM events WHERE id = NEW.event_id) <= NEW.created_at;
END;

-- A registration is made or withdrawn, never moved to another event or client.
CREATE TRIGGER event_registrations_fixed BEFORE UPDATE ON event_registrations
BEGIN
  SELECT RAISE(ABORT, 'registrations are not moved');
END;

-- Capacity may not drop below the registrations already taken.
CREATE TRIGGER events_capacity_floor BEFORE UPDATE OF capacity ON events
WHEN NEW.capacity < (SELECT count(*) FROM event_registrations WHERE event_id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'below_registrations');
END;

CREATE TABLE contributions (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients(id),
  kind            TEXT NOT NULL CHECK (kind IN ('blog_post', 'material', 'method')),
  title           TEXT NOT NULL,
  body            TEXT NOT NULL,      -- plain text, never HTML
  credit_name     TEXT NOT NULL,      -- the name shown with it when published
  status          TEXT NOT NULL DEFAULT 'submitted'
                  CHECK (status IN ('submitted', 'approved', 'rejected')),
  review_comment  TEXT,
  reviewed_by     INTEGER REFERENCES users(id),
  reviewed_at     INTEGER,
  submitted_at    INTEGER NOT NULL,
  CHECK ((status = 'submitted') = (reviewed_at IS NULL))
);
CREATE INDEX contributions_status ON contributions(status, id);
CREATE INDEX contributions_client ON contributions(client_id, id);
