// SPDX-License-Identifier: MIT
// Case folding for searches: ASCII, Latin-1 and Latin Extended-A letters fold,
// everything else (digits, signs, other scripts, broken UTF-8) stays as it was.
#include <string.h>

#include "check.h"
#include "harreman/casefold.h"
#include "harreman/db.h"

static const char *fold(const char *in)
{
	static char out[256];
	size_t len = strlen(in);
	hm_casefold(in, len, out);
	out[len] = '\0';
	return out;
}

static void test_basque_and_spanish_names(void)
{
	CHECK_STR(fold("IÑAKI IBÁÑEZ"), "iñaki ibáñez");
	CHECK_STR(fold("Iñaki"), "iñaki");
	CHECK_STR(fold("ÁÉÍÓÚÜ ÇÀÈ"), "áéíóúü çàè");
	CHECK_STR(fold("ANE@EXAMPLE.COM"), "ane@example.com");
}

static void test_latin_extended_a(void)
{
	CHECK_STR(fold("ŁÓDŹ ŽIŽEK ŒUVRE Ÿ"), "łódź žižek œuvre ÿ");
	CHECK_STR(fold("ĀĂĄ ĹĽŇ"), "āăą ĺľň");
}

static void test_everything_else_is_kept(void)
{
	CHECK_STR(fold("× ÷ ß 12% _x_"), "× ÷ ß 12% _x_");
	CHECK_STR(fold("ΑΒΓ Жук 東京"), "ΑΒΓ Жук 東京"); /* not folded, not damaged */
	char broken[] = {'A', (char)0xC3, 'B', 0};       /* a lead byte without its tail */
	CHECK_STR(fold(broken), "a\xc3"
				"b");
	CHECK_STR(fold(""), "");
}

static void test_sql_function_is_registered(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db && hm_db_migrate(db, &why) == HM_OK);
	sqlite3_stmt *stmt = NULL;
	CHECK_INT(sqlite3_prepare_v2(hm_db_handle(db),
				     "SELECT hm_fold('Iñaki Ibáñez') LIKE hm_fold('%IÑAKI%')", -1,
				     &stmt, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_basque_and_spanish_names);
	RUN(test_latin_extended_a);
	RUN(test_everything_else_is_kept);
	RUN(test_sql_function_is_registered);
	return CHECK_EXIT();
}
