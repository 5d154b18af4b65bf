/* SPDX-License-Identifier: MIT */
/* Demo data for a new database (`harreman serve --demo`): the three logins below
 * (a student, a tutor, an admin) with known passwords, and a small business around
 * them: more tutors and students, services, availability, clients with contracts and
 * lessons, contact history, gifts in stock, inquiries, community events and
 * contributions (src/db/demo.c). */
#ifndef HARREMAN_DEMO_H
#define HARREMAN_DEMO_H

#include <stdbool.h>

#include "harreman/db.h"

struct hm_demo_login {
	const char *role;
	const char *email;
	const char *password;
	const char *full_name;
};

extern const struct hm_demo_login hm_demo_logins[];
extern const int hm_demo_login_count;

/* Seeds the demo data when the database has no users yet; *seeded says whether it
 * did. One transaction. */
enum hm_err hm_demo_seed(struct hm_db *db, bool *seeded);

#endif
