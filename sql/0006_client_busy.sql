-- SPDX-License-Identifier: MIT
-- A client is never in two lessons at once (API.md v2, "Lessons"), enforced by the
-- database itself like the tutor's no-overlap triggers of 0002: a booked lesson may
-- not overlap another booked lesson of the same client with another tutor. An
-- overlap with the same tutor is the tutor's trigger's to refuse (slot_taken, or
-- full for a group's seats), so the two never answer for the same pair of lessons.
--
-- These triggers only guard new writes: a database that already holds overlapping
-- lessons of one client (booked before this rule) migrates, and those lessons stay
-- as they are until one of them is moved, re-timed or given to another client,
-- which is then refused like any new overlap. Cancelling is always allowed.
CREATE TRIGGER lessons_client_busy_insert BEFORE INSERT ON lessons
WHEN NEW.status = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'client_busy') WHERE EXISTS (
    SELECT 1 FROM lessons l
    WHERE l.client_id = NEW.client_id AND l.tutor_id <> NEW.tutor_id
      AND l.status = 'booked'
      AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
      AND l.starts_at > NEW.starts_at - 36000);  -- lessons last at most 600 minutes
END;

CREATE TRIGGER lessons_client_busy_update BEFORE UPDATE OF client_id, tutor_id, starts_at,
  ends_at, status ON lessons
WHEN NEW.status = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'client_busy') WHERE EXISTS (
    SELECT 1 FROM lessons l
    WHERE l.id <> NEW.id AND l.client_id = NEW.client_id AND l.tutor_id <> NEW.tutor_id
      AND l.status = 'booked'
      AND l.starts_at < NEW.ends_at AND l.ends_at > NEW.starts_at
      AND l.starts_at > NEW.starts_at - 36000);  -- lessons last at most 600 minutes
END;
