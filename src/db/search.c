// SPDX-License-Identifier: MIT
// The FTS5 tokenizer "harreman <locale>" (include/harreman/db_search.h): FTS5's
// glue around the pure terms of src/domain/terms.c. Each index's tokenizer owns one
// Snowball stemmer, so it is used by one connection (one thread) at a time, as a
// connection is.
#include <string.h>

#include "harreman/db_search.h"
#include "harreman/log.h"
#include "harreman/terms.h"
#include "harreman/banned.h"

/* FTS5's entry points, asked of the connection (SQLite's documented way). */
static fts5_api *fts5_api_of(sqlite3 *handle)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(handle, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	(void)sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return api;
}

/* xCreate: one argument, the locale of the index. */
static int tokenizer_create(void *unused, const char **args, int n_args, Fts5Tokenizer **out)
{
	(void)unused;
	*out = NULL;
	if (n_args != 1 || (strcmp(args[0], "eu") != 0 && strcmp(args[0], "es") != 0 &&
			    strcmp(args[0], "en") != 0))
		return SQLITE_ERROR;
	struct hm_terms *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	if (!hm_terms_init(t, hm_locale_from_name(args[0]))) {
		sqlite3_free(t);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tokenizer_delete(Fts5Tokenizer *tokenizer)
{
	struct hm_terms *t = (struct hm_terms *)tokenizer;
	hm_terms_release(t);
	sqlite3_free(t);
}

/* What hm_terms_each hands each term to: FTS5's own callback. */
struct emit {
	void *fts_ctx;
	int (*token)(void *ctx, int flags, const char *token, int len, int start, int end);
};

static int emit_term(void *ctx, const char *term, size_t len, bool colocated, size_t start,
		     size_t end)
{
	struct emit *e = ctx;
	return e->token(e->fts_ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, term, (int)len,
			(int)start, (int)end);
}

static int tokenizer_tokenize(Fts5Tokenizer *tokenizer, void *fts_ctx, int flags, const char *text,
			      int len, int (*token)(void *, int, const char *, int, int, int))
{
	(void)flags; /* documents and queries get the same terms */
	struct emit e = {fts_ctx, token};
	if (len <= 0)
		return SQLITE_OK;
	int rc = hm_terms_each((struct hm_terms *)tokenizer, text, (size_t)len, emit_term, &e);
	return rc == -1 ? SQLITE_NOMEM : rc;
}

bool hm_db_search_register(sqlite3 *handle)
{
	static fts5_tokenizer tokenizer = {tokenizer_create, tokenizer_delete, tokenizer_tokenize};
	fts5_api *api = fts5_api_of(handle);
	if (!api || api->iVersion < 2) {
		hm_log_error("database: SQLite has no FTS5");
		return false;
	}
	if (api->xCreateTokenizer(api, "harreman", NULL, &tokenizer, NULL) != SQLITE_OK) {
		hm_log_error("database: cannot register the search tokenizer");
		return false;
	}
	return true;
}
