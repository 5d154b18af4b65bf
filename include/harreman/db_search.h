/* SPDX-License-Identifier: MIT */
/* The full-text tokenizer of the answers' search indexes (sql/0007_answers.sql):
 * FTS5's tokenizer "harreman", which takes the index's language as its argument
 * (`tokenize = 'harreman eu'`) and cuts text into the terms of terms.h. SQLite
 * cannot read or write those indexes on a connection without it, so
 * hm_db_open registers it on every connection it opens. */
#ifndef HARREMAN_DB_SEARCH_H
#define HARREMAN_DB_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>

/* Registers the tokenizer "harreman" on handle (borrowed). False (logged) when
 * this SQLite has no FTS5 or memory runs out. */
bool hm_db_search_register(sqlite3 *handle);

#endif
