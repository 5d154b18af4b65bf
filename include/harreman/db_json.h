/* SPDX-License-Identifier: MIT */
/* JSON values from the columns of a statement's current row, for the table
 * modules that build a resource's JSON beside its SQL (src/db/json.c): SQL NULL
 * becomes JSON null. */
#ifndef HARREMAN_DB_JSON_H
#define HARREMAN_DB_JSON_H

#include <jansson.h>
#include <sqlite3.h>

/* A new JSON string of the text in col, or null (NULL only when out of memory). */
json_t *hm_db_json_text(sqlite3_stmt *stmt, int col);

/* A new JSON integer of col, or null. */
json_t *hm_db_json_int(sqlite3_stmt *stmt, int col);

/* A new RFC 3339 string of the instant in col (seconds since the epoch), or null. */
json_t *hm_db_json_time(sqlite3_stmt *stmt, int col);

/* A new JSON object parsed from the JSON text in col; an empty object when the
 * column is NULL or not an object (NULL only when out of memory). */
json_t *hm_db_json_object(sqlite3_stmt *stmt, int col);

/* The JSON text of obj (compact, keys sorted) for a TEXT column, or NULL when out
 * of memory; the caller frees it with free(). */
char *hm_db_json_dump(const json_t *obj);

#endif
