// SPDX-License-Identifier: MIT
// Automatic answers (include/harreman/db_answers.h): the SQL of /answers and what
// POST /ask gathers. A search turns the words of a question into an FTS5 query
// "w1" OR "w2" ..., which the index's own tokenizer (src/db/search.c) cuts into
// the same stemmed terms as the answers, and ranks with bm25 (a word in the
// question counts twice as much as one in the answer). The live facts come from
// the channels, the services and the slot rules (src/domain/slots.c), never from
// a client's data.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/buf.h"
#include "harreman/db_answers.h"
#include "harreman/db_json.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/limits.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/words.h"
#include "harreman/banned.h"

/* Words of a question that go into a query, at most. */
#define QUERY_WORDS 32
/* Days ahead in which /ask looks for a subject's next free slot. */
#define NEXT_SLOT_DAYS 14

/* id, locale, question, answer, score (NULL in a plain list). */
static json_t *answer_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "locale",
			 (const char *)sqlite3_column_text(stmt, 1), "question",
			 (const char *)sqlite3_column_text(stmt, 2), "answer",
			 (const char *)sqlite3_column_text(stmt, 3), "score",
			 sqlite3_column_type(stmt, 4) == SQLITE_NULL
				 ? json_null()
				 : json_real(sqlite3_column_double(stmt, 4)));
}

enum hm_err hm_db_answers_list(struct hm_db *db, const char *locale, int64_t after, int limit,
			       json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT id, locale, question, answer, NULL FROM answers"
		" WHERE (?1 = '' OR locale = ?1) AND id > ?2 ORDER BY id LIMIT ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*items = NULL;
	*next_after = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, locale ? locale : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, after);
	sqlite3_bind_int(stmt, 3, limit + 1);
	return hm_db_page(db, stmt, limit, answer_from_row, items, next_after);
}

/* The FTS5 query of text into out: its words quoted and joined by OR (a word holds
 * letters and digits only, so quoting cannot break). Returns how many words it
 * holds, -1 when memory runs out. */
static int match_query(const char *text, struct hm_buf *out)
{
	char word[HM_WORD_MAX + 1];
	size_t pos = 0, start, end, len = strlen(text);
	int n = 0;
	while (n < QUERY_WORDS && hm_word_next(text, len, &pos, word, &start, &end))
		if (!hm_buf_printf(out, "%s\"%s\"", n++ ? " OR " : "", word))
			return -1;
	return n;
}

enum hm_err hm_db_answers_search(struct hm_db *db, const char *q, const char *locale, int limit,
				 json_t **items)
{
	/* The locale test is constant for the statement: SQLite checks it once and
	 * skips the other languages' indexes. Each index ranks its own matches and
	 * keeps its best limit (a query's common words match most answers: only
	 * (id, score) pairs are sorted), and only those are joined with their text. */
#define ARM(L)                                                                                 \
	"SELECT * FROM (SELECT rowid AS id, round(-bm25(answers_" L ", 2.0, 1.0), 4) AS score" \
	" FROM answers_" L " WHERE ?2 IN ('', '" L "') AND answers_" L " MATCH ?1"             \
	" ORDER BY score DESC, rowid LIMIT ?3)"
	static const char sql[] =
		"SELECT a.id, a.locale, a.question, a.answer, f.score FROM (" ARM("eu") " UNION ALL " ARM(
			"es") " UNION ALL " ARM("en") ") AS f"
						      " JOIN answers a ON a.id = f.id"
						      " ORDER BY f.score DESC, a.id LIMIT ?3";
#undef ARM
	struct hm_buf query;
	hm_buf_init(&query, (size_t)QUERY_WORDS * (HM_WORD_MAX + 6) + 1);
	*items = NULL;
	int words = match_query(q, &query);
	if (words <= 0) {
		hm_buf_release(&query);
		if (words < 0)
			return HM_ERR_INTERNAL;
		*items = json_array();
		return *items ? HM_OK : HM_ERR_INTERNAL;
	}
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_text(stmt, 1, query.data, (int)query.len, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, locale ? locale : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 3, limit);
	}
	hm_buf_release(&query);
	return hm_db_rows(db, stmt, answer_from_row, items, "search answers");
}

enum hm_err hm_db_answers_get(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] =
		"SELECT id, locale, question, answer, NULL FROM answers WHERE id = ?1";
	return hm_db_row_by_id(db, sql, id, answer_from_row, out, "read answer");
}

/* ---- writes, each inside its transaction ----------------------------------- */

/* Adds answer id's terms to the index of its locale (add), or takes them out, as
 * its row holds them now: before a change or a delete, out; after a create or a
 * change, in (sql/0007 says why no trigger does it). A step of the caller's
 * transaction. */
static enum hm_err reindex(struct hm_db *db, int64_t id, bool add)
{
#define ADD(L)                                                \
	"INSERT INTO answers_" L " (rowid, question, answer)" \
	" SELECT id, question, answer FROM answers_" L "_rows WHERE id = ?1"
#define DEL(L)                                                               \
	"INSERT INTO answers_" L " (answers_" L ", rowid, question, answer)" \
	" SELECT 'delete', id, question, answer FROM answers_" L "_rows WHERE id = ?1"
	static const char *const add_sql[] = {ADD("eu"), ADD("es"), ADD("en")};
	static const char *const del_sql[] = {DEL("eu"), DEL("es"), DEL("en")};
#undef ADD
#undef DEL
	for (size_t i = 0; i < sizeof add_sql / sizeof add_sql[0]; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, add ? add_sql[i] : del_sql[i]);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, id);
		int rc = sqlite3_step(stmt);
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "index answer");
	}
	return HM_OK;
}

enum hm_err hm_db_answers_optimize(struct hm_db *db)
{
	static const char *const sql[] = {
		"INSERT INTO answers_eu (answers_eu) VALUES ('optimize')",
		"INSERT INTO answers_es (answers_es) VALUES ('optimize')",
		"INSERT INTO answers_en (answers_en) VALUES ('optimize')",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, sql[i]);
		if (!stmt)
			return HM_ERR_INTERNAL;
		int rc = sqlite3_step(stmt);
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "merge the answers' index");
	}
	return HM_OK;
}

/* Runs the INSERT or UPDATE of an answer (create: *id is 0 and becomes the new
 * one's). */
static enum hm_err write_answer(struct hm_db *db, int64_t *id, const struct hm_answer_input *in,
				const struct hm_actor *who)
{
	static const char insert_sql[] =
		"INSERT INTO answers (locale, question, answer, created_at, updated_at,"
		" created_by) VALUES (?2, ?3, ?4, ?5, ?5, nullif(?6, 0))";
	static const char update_sql[] =
		"UPDATE answers SET locale = coalesce(?2, locale), question = coalesce(?3, "
		"question),"
		" answer = coalesce(?4, answer), updated_at = ?5 WHERE id = ?1";
	bool create = *id == 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, create ? insert_sql : update_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	if (!create)
		sqlite3_bind_int64(stmt, 1, *id);
	hm_db_bind_text_or_null(stmt, 2, in->locale);
	hm_db_bind_text_or_null(stmt, 3, in->question);
	hm_db_bind_text_or_null(stmt, 4, in->answer);
	sqlite3_bind_int64(stmt, 5, who->now);
	if (create)
		sqlite3_bind_int64(stmt, 6, who->user_id);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "write answer");
	else if (create)
		*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	else if (sqlite3_changes(hm_db_handle(db)) == 0)
		err = HM_ERR_NOT_FOUND;
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_answers_insert(struct hm_db *db, const struct hm_answer_input *in,
				 const struct hm_actor *who, int64_t *id)
{
	*id = 0;
	enum hm_err err = write_answer(db, id, in, who);
	return err == HM_OK ? reindex(db, *id, true) : err;
}

/* A create (id 0) or an update, audited and read back, in one transaction. */
static enum hm_err save_answer(struct hm_db *db, int64_t id, const struct hm_answer_input *in,
			       const struct hm_actor *who, json_t **out)
{
	bool create = id == 0;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	if (create) {
		err = hm_db_answers_insert(db, in, who, &id);
	} else {
		err = reindex(db, id, false);
		if (err == HM_OK)
			err = write_answer(db, &id, in, who);
		if (err == HM_OK)
			err = reindex(db, id, true);
	}
	if (err == HM_OK)
		err = hm_db_answers_optimize(db);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, create ? "answer.create" : "answer.update",
				      "answer", id, in->detail, who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_answers_get(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_answers_create(struct hm_db *db, const struct hm_answer_input *in,
				 const struct hm_actor *who, json_t **out)
{
	return save_answer(db, 0, in, who, out);
}

enum hm_err hm_db_answers_update(struct hm_db *db, int64_t id, const struct hm_answer_input *in,
				 const struct hm_actor *who, json_t **out)
{
	*out = NULL;
	return id > 0 ? save_answer(db, id, in, who, out) : HM_ERR_NOT_FOUND;
}

static enum hm_err delete_answer(struct hm_db *db, int64_t id)
{
	static const char sql[] = "DELETE FROM answers WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "delete answer");
	else if (sqlite3_changes(hm_db_handle(db)) == 0)
		err = HM_ERR_NOT_FOUND;
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_answers_delete(struct hm_db *db, int64_t id, const struct hm_actor *who)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = reindex(db, id, false);
	if (err == HM_OK)
		err = delete_answer(db, id);
	if (err == HM_OK)
		err = hm_db_answers_optimize(db);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "answer.delete", "answer", id, NULL,
				      who->request_id, who->now);
	return hm_db_end(db, err);
}

/* ---- suggestions and POST /ask ------------------------------------------------ */

enum hm_err hm_db_answers_suggest(struct hm_db *db, const char *text, enum hm_locale locale,
				  int64_t ids[HM_ANSWERS_SUGGESTED], size_t *n)
{
	json_t *items = NULL, *item;
	size_t i;
	*n = 0;
	enum hm_err err = hm_db_answers_search(db, text, hm_locale_name(locale),
					       HM_ANSWERS_SUGGESTED, &items);
	json_array_foreach(items, i, item) if (*n < HM_ANSWERS_SUGGESTED)
		ids[(*n)++] = json_integer_value(json_object_get(item, "id"));
	json_decref(items);
	return err;
}

/* {id, name, subject} of a service that may be a question's subject. */
static json_t *subject_service_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "subject",
			 (const char *)sqlite3_column_text(stmt, 2));
}

/* The string member key of obj, or "". */
static const char *text_of(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* The active service the question names (by subject key or its name), by
 * topics->subject first; *service_id 0 when none. */
static enum hm_err named_service(struct hm_db *db, const char *question,
				 const struct hm_ask_topics *topics, int64_t *service_id)
{
	static const char sql[] = "SELECT id, name, subject FROM services WHERE active = 1"
				  " ORDER BY kind <> 'private', id";
	json_t *items = NULL, *item;
	size_t i;
	*service_id = 0;
	enum hm_err err = hm_db_rows(db, hm_db_stmt(db, sql), subject_service_from_row, &items,
				     "list services");
	json_array_foreach(items, i, item)
	{
		const char *subject = text_of(item, "subject");
		if (topics->subject && strcmp(subject, topics->subject) == 0) {
			*service_id = json_integer_value(json_object_get(item, "id"));
			break;
		}
	}
	json_array_foreach(items, i, item)
	{
		if (*service_id)
			break;
		if (hm_ask_names(question, strlen(question), text_of(item, "subject"),
				 text_of(item, "name")))
			*service_id = json_integer_value(json_object_get(item, "id"));
	}
	json_decref(items);
	return err;
}

enum hm_err hm_db_answers_next_slot(struct hm_db *db, int64_t service_id, int64_t now, json_t **out,
				    int64_t *until)
{
	struct hm_service svc;
	int64_t tutors[HM_DB_TUTORS_PER_SUBJECT], today = 0, best_tutor = 0;
	struct hm_slot best = {0}, slot;
	size_t n_tutors = 0;
	int weekday = 0;
	*out = NULL;
	enum hm_err err = hm_db_services_read(db, service_id, &svc);
	if (err == HM_OK)
		err = hm_db_tutors_teaching(db, svc.subject, 0, tutors, &n_tutors);
	hm_local_day(now, &today, &weekday);
	*until = hm_local_instant(today + 1, 0);
	for (size_t t = 0; err == HM_OK && t < n_tutors; t++) {
		struct hm_slot_query q;
		err = hm_db_tutors_slot_query(db, tutors[t], &svc, today,
					      today + NEXT_SLOT_DAYS - 1, now, &q);
		if (err != HM_OK)
			break;
		size_t found = hm_slots_generate(&q, &slot, 1);
		hm_db_tutors_slot_query_release(&q);
		if (found > 0 && (!best_tutor || slot.starts < best.starts)) {
			best = slot;
			best_tutor = tutors[t];
		}
	}
	if (err == HM_OK && best_tutor) {
		char starts[HM_RFC3339_LEN];
		hm_time_format(best.starts, starts);
		if (best.starts < *until)
			*until = best.starts;
		*out = json_pack("{s:I, s:I, s:s}", "service_id", (json_int_t)service_id,
				 "tutor_id", (json_int_t)best_tutor, "starts_at", starts);
		if (!*out)
			err = HM_ERR_INTERNAL;
	}
	return err;
}

enum hm_err hm_db_answers_ask(struct hm_db *db, const char *question, enum hm_locale locale,
			      const struct hm_ask_topics *topics, struct hm_db_asked *out)
{
	int64_t next_after = 0;
	*out = (struct hm_db_asked){.facts_until = INT64_MAX};
	enum hm_err err = hm_db_answers_search(db, question, hm_locale_name(locale),
					       HM_ANSWERS_SUGGESTED, &out->answers);
	if (err == HM_OK && topics->hours)
		err = hm_db_channels_list(db, &out->channels, &out->n_channels);
	if (err == HM_OK && topics->prices)
		err = hm_db_services_list(db, true, 0, HM_PAGE_MAX, &out->services, &next_after);
	if (err == HM_OK)
		err = named_service(db, question, topics, &out->service_id);
	if (err != HM_OK)
		hm_db_answers_asked_release(out);
	return err;
}

void hm_db_answers_asked_release(struct hm_db_asked *a)
{
	json_decref(a->answers);
	hm_db_channels_free(a->channels, a->n_channels);
	json_decref(a->services);
	json_decref(a->next_free_slot);
	*a = (struct hm_db_asked){0};
}
