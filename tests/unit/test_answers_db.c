// SPDX-License-Identifier: MIT
// The answers' schema and search on :memory: with sql/ applied: the per-language
// indexes follow every insert, update (a change of language too) and delete of the
// answers table through its triggers; a search finds Basque inflections of one
// word ("klaseak", "klaseen", "klaseetan" meet "klase"), Spanish and English forms
// and accents; each write is audited; suggestions stay within their language.
#include <string.h>

#include "check.h"
#include "harreman/db.h"
#include "harreman/db_answers.h"

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	return db;
}

static const struct hm_actor who = {0, "test", 1000};

static int64_t add(struct hm_db *db, const char *locale, const char *question, const char *answer)
{
	struct hm_answer_input in = {locale, question, answer, NULL};
	json_t *out = NULL;
	CHECK_INT(hm_db_answers_create(db, &in, &who, &out), HM_OK);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* The id of the best answer for q in locale (0: none), and how many matched. */
static int64_t best(struct hm_db *db, const char *q, const char *locale, size_t *n)
{
	json_t *items = NULL;
	CHECK_INT(hm_db_answers_search(db, q, locale, 10, &items), HM_OK);
	int64_t id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	if (n)
		*n = json_array_size(items);
	json_decref(items);
	return id;
}

static void test_basque_inflections_meet(void)
{
	struct hm_db *db = fresh_db();
	int64_t klase = add(db, "eu", "Noiz dira klaseak?", "Astelehenetik ostiralera.");
	int64_t other = add(db, "eu", "Zein da helbidea?", "Bilboko Kale Nagusian gaude.");
	CHECK_INT(best(db, "klase", "eu", NULL), klase);
	CHECK_INT(best(db, "klaseen ordutegia", "eu", NULL), klase);
	CHECK_INT(best(db, "KLASEETAN", "eu", NULL), klase);
	CHECK_INT(best(db, "klasea", "eu", NULL), klase);
	CHECK_INT(best(db, "helbidearen", "eu", NULL), other);
	size_t n = 9;
	CHECK_INT(best(db, "zer eta nola", "eu", &n), 0); /* stopwords only */
	CHECK_INT(n, 0);
	CHECK_INT(best(db, "", NULL, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(best(db, "\"* OR NEAR(", NULL, &n), 0); /* FTS5 syntax is only text */
	hm_db_close(db);
}

static void test_spanish_and_english_forms(void)
{
	struct hm_db *db = fresh_db();
	int64_t es = add(db, "es", "¿Cómo cancelo una clase?", "Hasta 24 horas antes.");
	int64_t en = add(db, "en", "How do I cancel a lesson?", "Up to 24 hours before.");
	CHECK_INT(best(db, "cancelación de clases", "es", NULL), es);
	CHECK_INT(best(db, "CANCELACION", "es", NULL), es); /* no accent, other case */
	CHECK_INT(best(db, "cancelling lessons", "en", NULL), en);
	size_t n = 0;
	CHECK_INT(best(db, "cancel", "es", &n), es); /* only the Spanish index */
	CHECK_INT(n, 1);
	best(db, "cancel", NULL, &n); /* every language */
	CHECK_INT(n, 2);
	hm_db_close(db);
}

static void test_writes_keep_the_index(void)
{
	struct hm_db *db = fresh_db();
	int64_t id = add(db, "eu", "Opariak?", "Boligrafoa edo egutegia.");
	json_t *out = NULL;
	struct hm_answer_input change = {"es", "¿Regalos?", "Un bolígrafo o un calendario.", NULL};
	CHECK_INT(hm_db_answers_update(db, id, &change, &who, &out), HM_OK);
	CHECK_STR(json_string_value(json_object_get(out, "locale")), "es");
	json_decref(out);
	CHECK_INT(best(db, "opariak", NULL, NULL), 0);
	CHECK_INT(best(db, "regalo", "es", NULL), id);
	struct hm_answer_input text_only = {NULL, NULL, "Un calendario.", NULL};
	CHECK_INT(hm_db_answers_update(db, id, &text_only, &who, &out), HM_OK);
	json_decref(out);
	CHECK_INT(best(db, "bolígrafo", NULL, NULL), 0);
	CHECK_INT(best(db, "calendarios", NULL, NULL), id);
	CHECK_INT(hm_db_answers_update(db, id + 1, &text_only, &who, &out), HM_ERR_NOT_FOUND);
	CHECK_INT(hm_db_answers_delete(db, id, &who), HM_OK);
	CHECK_INT(hm_db_answers_delete(db, id, &who), HM_ERR_NOT_FOUND);
	CHECK_INT(best(db, "calendario", NULL, NULL), 0);
	sqlite3_stmt *stmt = NULL;
	sqlite3_prepare_v2(
		hm_db_handle(db),
		"SELECT group_concat(action, ' ') FROM audit_log WHERE entity = 'answer'", -1,
		&stmt, NULL);
	CHECK(stmt && sqlite3_step(stmt) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(stmt, 0),
		  "answer.create answer.update answer.update answer.delete");
	sqlite3_finalize(stmt);
	/* the index agrees with its content table */
	CHECK_INT(sqlite3_exec(hm_db_handle(db),
			       "INSERT INTO answers_eu (answers_eu) VALUES ('integrity-check');"
			       "INSERT INTO answers_es (answers_es) VALUES ('integrity-check');",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	hm_db_close(db);
}

/* Staff's writes leave each index merged into one segment: six answers created
 * one by one would otherwise leave six segments (a leaf row each) for a search to
 * read; merged, the index's data table holds its structure, its averages and one
 * leaf. */
static void test_writes_merge_the_index(void)
{
	struct hm_db *db = fresh_db();
	static const char *const words[] = {"Opariak",    "Prezioak", "Ordutegia",
					    "Azterketak", "Mailak",   "Ordainketa"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		CHECK(add(db, "eu", words[i], "Galdetu bulegoan.") > 0);
	sqlite3_stmt *stmt = NULL;
	sqlite3_prepare_v2(hm_db_handle(db), "SELECT count(*) FROM answers_eu_data", -1, &stmt,
			   NULL);
	CHECK(stmt && sqlite3_step(stmt) == SQLITE_ROW);
	CHECK(sqlite3_column_int(stmt, 0) <= 3);
	sqlite3_finalize(stmt);
	CHECK_INT(best(db, "ordutegia", "eu", NULL) > 0, 1);
	hm_db_close(db);
}

static void test_suggestions(void)
{
	struct hm_db *db = fresh_db();
	add(db, "eu", "Zenbat balio du eskola batek?", "30 euro.");
	int64_t es = add(db, "es", "¿Cuánto cuesta una clase?", "30 euros.");
	int64_t ids[HM_ANSWERS_SUGGESTED];
	size_t n = 9;
	CHECK_INT(hm_db_answers_suggest(db, "Precio de las clases", HM_LOCALE_ES, ids, &n), HM_OK);
	CHECK_INT(n, 1);
	CHECK_INT(ids[0], es);
	CHECK_INT(hm_db_answers_suggest(db, "Precio", HM_LOCALE_EN, ids, &n), HM_OK);
	CHECK_INT(n, 0);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_basque_inflections_meet);
	RUN(test_spanish_and_english_forms);
	RUN(test_writes_keep_the_index);
	RUN(test_writes_merge_the_index);
	RUN(test_suggestions);
	return CHECK_EXIT();
}
