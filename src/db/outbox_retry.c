// SPDX-License-Identifier: MIT
// The admin's retry of an outbox message, audited, in one transaction
// (include/harreman/outbox_retry.h). Only calls the outbox's and the audit log's
// own steps: the SQL stays in src/db/outbox.c and src/db/audit.c.
#include "harreman/audit.h"
#include "harreman/outbox.h"
#include "harreman/outbox_retry.h"
#include "harreman/banned.h"

enum hm_err hm_outbox_retry_audited(struct hm_db *db, int64_t id, const struct hm_actor *who,
				    json_t **out)
{
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_outbox_retry(db, id, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "outbox.retry", "outbox", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_outbox_get(db, id, out);
	return hm_db_end(db, err);
}
