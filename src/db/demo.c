// SPDX-License-Identifier: MIT
// Demo data for a new database (include/harreman/demo.h). The passwords are
// public by design: `scripts/run` prints them. Never use --demo in production.
#include "harreman/accounts.h"
#include "harreman/audit.h"
#include "harreman/demo.h"
#include "harreman/password.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

const struct hm_demo_login hm_demo_logins[] = {
	{"student", "ane@demo.harreman.eus", "ikaslea-demo-2026", "Ane Etxeberria"},
	{"staff", "mikel@demo.harreman.eus", "irakaslea-demo-2026", "Mikel Agirre"},
	{"admin", "admin@demo.harreman.eus", "kudeatzailea-demo-2026", "Nerea Zubiri"},
};
const int hm_demo_login_count = sizeof hm_demo_logins / sizeof hm_demo_logins[0];

enum hm_err hm_demo_seed(struct hm_db *db, bool *seeded)
{
	char hashes[sizeof hm_demo_logins / sizeof hm_demo_logins[0]][HM_PASSWORD_HASH_LEN];
	int64_t count = 0, now = hm_time_now();
	enum hm_err err;

	*seeded = false;
	if ((err = hm_accounts_count(db, &count)) != HM_OK || count > 0)
		return err;
	/* Hash first: the write transaction stays short. */
	for (int i = 0; i < hm_demo_login_count; i++)
		if (!hm_password_hash(hm_demo_logins[i].password, hashes[i]))
			return HM_ERR_INTERNAL;
	if ((err = hm_db_begin(db)) != HM_OK)
		return err;
	for (int i = 0; i < hm_demo_login_count && err == HM_OK; i++) {
		int64_t id = 0;
		err = hm_accounts_create(db, hm_demo_logins[i].email, hashes[i],
					 hm_demo_logins[i].full_name,
					 hm_role_from_name(hm_demo_logins[i].role), "eu", now, &id);
		if (err == HM_OK)
			err = hm_audit_record(db, 0, "demo.seed", "user", id, NULL, NULL, now);
	}
	if (err == HM_OK)
		err = hm_db_commit(db);
	if (err != HM_OK) {
		hm_db_rollback(db);
		return err;
	}
	*seeded = true;
	return HM_OK;
}
