// SPDX-License-Identifier: MIT
// JSON values from statement columns (include/harreman/db_json.h), so that a table
// module's row builders stay one line per field.
#include "harreman/db_json.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

json_t *hm_db_json_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? json_string((const char *)text) : json_null();
}

json_t *hm_db_json_int(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL
		       ? json_null()
		       : json_integer(sqlite3_column_int64(stmt, col));
}

json_t *hm_db_json_time(sqlite3_stmt *stmt, int col)
{
	char at[HM_RFC3339_LEN];
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	hm_time_format(sqlite3_column_int64(stmt, col), at);
	return json_string(at);
}

json_t *hm_db_json_object(sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	json_t *obj = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (json_is_object(obj))
		return obj;
	json_decref(obj);
	return json_object();
}

char *hm_db_json_dump(const json_t *obj)
{
	return json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
}
