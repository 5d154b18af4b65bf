-- SPDX-License-Identifier: MIT
-- Automatic answers (API.md v2, "Automatic answers"): question-answer pairs that
-- staff write per language, found by a full-text search that folds case and
-- accents and stems words per language. One FTS5 index per language (a tokenizer
-- is chosen per table, never per row), each an external-content index over a view
-- of the answers in its locale, so FTS5's 'rebuild' and 'integrity-check' see
-- exactly its rows. The tokenizer "harreman <locale>" is registered by the server
-- on every connection (src/db/search.c); without it these tables cannot be read
-- or written.
--
-- No trigger keeps the indexes in step: with PRAGMA trusted_schema=OFF (db.c)
-- SQLite 3.40 refuses FTS5 tables inside triggers ("unsafe use of virtual
-- table"). Every write of answers is in src/db/answers.c, which updates the index
-- of the old and of the new locale in the same transaction (index_answer,
-- unindex_answer); `INSERT INTO answers_eu (answers_eu) VALUES ('rebuild')`
-- repairs an index from its view.
CREATE TABLE answers (
  id          INTEGER PRIMARY KEY,
  locale      TEXT NOT NULL CHECK (locale IN ('eu', 'es', 'en')),
  question    TEXT NOT NULL,
  answer      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users(id)
);
CREATE INDEX answers_locale ON answers(locale, id);

CREATE VIEW answers_eu_rows AS SELECT id, question, answer FROM answers WHERE locale = 'eu';
CREATE VIEW answers_es_rows AS SELECT id, question, answer FROM answers WHERE locale = 'es';
CREATE VIEW answers_en_rows AS SELECT id, question, answer FROM answers WHERE locale = 'en';

CREATE VIRTUAL TABLE answers_eu USING fts5(question, answer, content = 'answers_eu_rows',
  content_rowid = 'id', tokenize = 'harreman eu');
CREATE VIRTUAL TABLE answers_es USING fts5(question, answer, content = 'answers_es_rows',
  content_rowid = 'id', tokenize = 'harreman es');
CREATE VIRTUAL TABLE answers_en USING fts5(question, answer, content = 'answers_en_rows',
  content_rowid = 'id', tokenize = 'harreman en');

-- The answers suggested to an inquiry when it arrived (a JSON array of answer ids,
-- best first; NULL for inquiries older than this migration), for the staff's queue.
ALTER TABLE inquiries ADD COLUMN suggested_answers TEXT;
