/* SPDX-License-Identifier: MIT */
/* The schema migrations embedded from sql/ at build time (see cmake/embed_sql.cmake). */
#ifndef HARREMAN_MIGRATIONS_H
#define HARREMAN_MIGRATIONS_H

struct hm_migration {
	int version; /* the NNNN of sql/NNNN_name.sql; PRAGMA user_version after it */
	const char *name;
	const char *sql; /* NUL-terminated */
};

extern const struct hm_migration hm_migrations[];
extern const int hm_migration_count; /* also the newest version this binary knows */

#endif
