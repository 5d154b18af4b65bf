-- SPDX-License-Identifier: MIT
-- Rescheduling and content in three languages (API.md v2, "Rescheduling and
-- content in three languages").
--
-- Moving a lesson is an UPDATE of its tutor and times (POST /lessons/{id}/move): the
-- lesson keeps its id and contract. moved_at and moves record it for calendar
-- feeds (Last-Modified, the event's SEQUENCE). The no-double-booking trigger for
-- updates of 0002 is rebuilt to judge a moved lesson as 0008's insert trigger
-- judges a new one: a held waitlist offer is a taken seat, and a full group
-- session is refused ('full'); the moved lesson itself never counts against its
-- new time. 0006's client_busy update trigger already holds for moves.
ALTER TABLE lessons ADD COLUMN moved_at INTEGER;
ALTER TABLE lessons ADD COLUMN moves INTEGER NOT NULL DEFAULT 0 CHECK (moves >= 0);

DROP TRIGGER lessons_no_overlap_update;
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
               AND l.starts_at = NEW.starts_at AND l.client_id <> NEW.client_id))
  OR EXISTS (
    SELECT 1 FROM slot_waitlist w JOIN services ws ON ws.id = w.service_id
    WHERE w.tutor_id = NEW.tutor_id AND w.state = 'offered'
      AND w.starts_at < NEW.ends_at AND w.starts_at + 60 * ws.duration_min > NEW.starts_at
      AND w.starts_at > NEW.starts_at - 36000
      AND NOT (w.service_id = NEW.service_id AND w.starts_at = NEW.starts_at));
  SELECT RAISE(ABORT, 'full') WHERE (
    SELECT count(*) FROM lessons l WHERE l.id <> NEW.id AND l.tutor_id = NEW.tutor_id
      AND l.service_id = NEW.service_id AND l.starts_at = NEW.starts_at
      AND l.status = 'booked')
    + (SELECT count(*) FROM slot_waitlist w WHERE w.tutor_id = NEW.tutor_id
      AND w.service_id = NEW.service_id AND w.starts_at = NEW.starts_at
      AND w.state = 'offered')
    >= (SELECT capacity FROM services WHERE id = NEW.service_id);
END;

-- Content in three languages: the base fields (name, title, description) are
-- Basque; translations holds {"es": {...}, "en": {...}} as JSON text, each entry an
-- object (services: name, description; events: title, description), a field it
-- lacks falling back to the Basque one. The JSON functions cannot be used in the
-- schema (SQLite refuses them there while the schema is not trusted), so the
-- database keeps only the outline (a JSON object, bounded: two entries of at most
-- 200 + 10,000 characters, escaped); the shape ({es, en} only, strings) is checked
-- by the one writer of the column (src/http/validate.c, hm_validate_translations).
-- Services gain a Basque description.
ALTER TABLE services ADD COLUMN description TEXT NOT NULL DEFAULT ''
  CHECK (length(description) <= 10000);
ALTER TABLE services ADD COLUMN translations TEXT NOT NULL DEFAULT '{}'
  CHECK (substr(translations, 1, 1) = '{' AND substr(translations, -1, 1) = '}'
         AND length(translations) <= 45000);
ALTER TABLE events ADD COLUMN translations TEXT NOT NULL DEFAULT '{}'
  CHECK (substr(translations, 1, 1) = '{' AND substr(translations, -1, 1) = '}'
         AND length(translations) <= 45000);
