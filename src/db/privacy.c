// SPDX-License-Identifier: MIT
// Privacy (include/harreman/db_privacy.h): everything held on a client as one JSON
// document (the right of access), and erasure (the right to be forgotten): the
// client record anonymised, its user deactivated with its sessions and tokens
// ended, the personal text of its interactions, inquiries, lessons, messages,
// contributions and audit details replaced; contracts and their amounts stay for
// the books, and so do invoices, whole: they are legal records that name the
// client as issued (sql/0009's triggers refuse any change; docs/decisions.md).
// Both are one audited transaction; an erasure can be repeated
// harmlessly. Every table that holds data on a client has a line in
// export_sections[] and erase_statements[]: a new table adds its lines there.
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/audit.h"
#include "harreman/db_clients.h"
#include "harreman/db_contracts.h"
#include "harreman/db_invoices.h"
#include "harreman/db_lessons.h"
#include "harreman/db_json.h"
#include "harreman/db_privacy.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define MAX_ROWS 100000 /* per section of an export */

/* Whose data: a client, its user (0: none) and the e-mail addresses it used. Every
 * section's SQL may use ?1 client id, ?2 the client's e-mail, ?3 its user's e-mail
 * (NULL when there is none), ?4 the user id (0: none), ?5 now. */
struct subject {
	int64_t client_id, user_id;
	char email[HM_MAX_EMAIL + 1];      /* "" when none */
	char user_email[HM_MAX_EMAIL + 1]; /* "" when none */
};

static void copy_email(char out[HM_MAX_EMAIL + 1], const unsigned char *text)
{
	size_t len = text ? strlen((const char *)text) : 0;
	if (text && len <= HM_MAX_EMAIL)
		memcpy(out, text, len + 1);
}

static enum hm_err subject_of(struct hm_db *db, int64_t client_id, struct subject *s)
{
	static const char sql[] = "SELECT c.user_id, c.email, u.email FROM clients c"
				  " LEFT JOIN users u ON u.id = c.user_id WHERE c.id = ?1";
	memset(s, 0, sizeof *s);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		s->client_id = client_id;
		s->user_id = sqlite3_column_int64(stmt, 0);
		copy_email(s->email, sqlite3_column_text(stmt, 1));
		copy_email(s->user_email, sqlite3_column_text(stmt, 2));
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read client");
}

/* Binds the subject's parameters that stmt uses. */
static void bind_subject(sqlite3_stmt *stmt, const struct subject *s, int64_t now)
{
	int n = sqlite3_bind_parameter_count(stmt);
	if (n >= 1)
		sqlite3_bind_int64(stmt, 1, s->client_id);
	if (n >= 2)
		hm_db_bind_text_or_null(stmt, 2, s->email[0] ? s->email : NULL);
	if (n >= 3)
		hm_db_bind_text_or_null(stmt, 3, s->user_email[0] ? s->user_email : NULL);
	if (n >= 4)
		sqlite3_bind_int64(stmt, 4, s->user_id);
	if (n >= 5)
		sqlite3_bind_int64(stmt, 5, now);
}

/* ---- rows of tables without a JSON of their own --------------------------------- */

static json_t *interaction_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "channel",
			 (const char *)sqlite3_column_text(stmt, 2), "direction",
			 (const char *)sqlite3_column_text(stmt, 3), "summary",
			 (const char *)sqlite3_column_text(stmt, 4), "user_id",
			 hm_db_json_int(stmt, 5), "created_at", hm_db_json_time(stmt, 6));
}

static json_t *inquiry_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o,"
			 " s:o, s:o}",
			 "id", (json_int_t)sqlite3_column_int64(stmt, 0), "channel",
			 (const char *)sqlite3_column_text(stmt, 1), "full_name",
			 (const char *)sqlite3_column_text(stmt, 2), "email",
			 hm_db_json_text(stmt, 3), "phone", hm_db_json_text(stmt, 4), "subject",
			 (const char *)sqlite3_column_text(stmt, 5), "message",
			 (const char *)sqlite3_column_text(stmt, 6), "received_at",
			 hm_db_json_time(stmt, 7), "due_at", hm_db_json_time(stmt, 8), "status",
			 (const char *)sqlite3_column_text(stmt, 9), "reply",
			 hm_db_json_text(stmt, 10), "answered_at", hm_db_json_time(stmt, 11),
			 "answered_by", hm_db_json_int(stmt, 12), "locale",
			 hm_db_json_text(stmt, 13), "erased_at", hm_db_json_time(stmt, 14));
}

/* An AuditEntry of docs/openapi.yaml, as GET /audit shows it: actor_email is null
 * for a change without a user (the command line, an anonymous visitor). */
static json_t *audit_row(sqlite3_stmt *stmt)
{
	const char *detail_text = (const char *)sqlite3_column_text(stmt, 7);
	json_t *detail = detail_text ? json_loads(detail_text, 0, NULL) : NULL;
	return json_pack(
		"{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o}", "id",
		(json_int_t)sqlite3_column_int64(stmt, 0), "at", hm_db_json_time(stmt, 1),
		"actor_id", hm_db_json_int(stmt, 2), "actor_email", hm_db_json_text(stmt, 3),
		"action", (const char *)sqlite3_column_text(stmt, 4), "entity",
		(const char *)sqlite3_column_text(stmt, 5), "entity_id", hm_db_json_int(stmt, 6),
		"detail", detail ? detail : json_null(), "request_id", hm_db_json_text(stmt, 8));
}

static json_t *feed_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:o}", "created_at", hm_db_json_time(stmt, 0));
}

static json_t *payment_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
			 "method", (const char *)sqlite3_column_text(stmt, 1), "amount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 2), "paid_at",
			 hm_db_json_time(stmt, 3));
}

/* A mandate with its full IBAN: the admin's export is the one place that shows it. */
static json_t *mandate_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "reference",
			 (const char *)sqlite3_column_text(stmt, 1), "iban",
			 (const char *)sqlite3_column_text(stmt, 2), "holder_name",
			 (const char *)sqlite3_column_text(stmt, 3), "signed_on",
			 (const char *)sqlite3_column_text(stmt, 4), "status",
			 (const char *)sqlite3_column_text(stmt, 5));
}

static json_t *registration_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:o, s:o}", "event_id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "title",
			 (const char *)sqlite3_column_text(stmt, 1), "starts_at",
			 hm_db_json_time(stmt, 2), "registered_at", hm_db_json_time(stmt, 3));
}

static json_t *contribution_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "kind",
			 (const char *)sqlite3_column_text(stmt, 1), "title",
			 (const char *)sqlite3_column_text(stmt, 2), "body",
			 (const char *)sqlite3_column_text(stmt, 3), "credit_name",
			 (const char *)sqlite3_column_text(stmt, 4), "status",
			 (const char *)sqlite3_column_text(stmt, 5), "submitted_at",
			 hm_db_json_time(stmt, 6), "review_comment", hm_db_json_text(stmt, 7),
			 "reviewed_by", hm_db_json_int(stmt, 8), "reviewed_at",
			 hm_db_json_time(stmt, 9));
}

/* ---- per-table sections: every table holding data on a client has a line in
 * ---- both lists below ------------------------------------------------------------ */

/* The lesson and audit rows about the subject, used by both lists. */
#define SUBJECT_LESSONS "SELECT id FROM lessons WHERE client_id = ?1"
#define SUBJECT_AUDIT                                                                    \
	"(entity = 'client' AND entity_id = ?1) OR (entity = 'user' AND entity_id = ?4)" \
	" OR (entity = 'lesson' AND entity_id IN (" SUBJECT_LESSONS "))"

/* The JSON of another module's row, by id. */
typedef enum hm_err json_of_id_fn(struct hm_db *db, int64_t id, json_t **out);

/* An invoice as GET /invoices/{id} shows it. */
static enum hm_err invoice_json(struct hm_db *db, int64_t id, json_t **out)
{
	return hm_db_invoices_get(db, id, 0, out);
}

/* doc[key] = one item per row the SQL selects: by_id(first column) when set (the
 * row's own module makes its JSON), else row(the row). */
struct section {
	const char *key;
	const char *sql;
	json_of_id_fn *by_id;
	hm_db_row_fn *row;
};

/* Everything held on the subject but the client record and its user, which
 * hm_db_privacy_export writes first; in the order of the document. */
static const struct section export_sections[] = {
	{"contracts", "SELECT id FROM contracts WHERE client_id = ?1 ORDER BY id",
	 hm_db_contracts_json, NULL},
	{"lessons", "SELECT id FROM lessons WHERE client_id = ?1 ORDER BY starts_at, id",
	 hm_db_lessons_json, NULL},
	{"invoices", "SELECT id FROM invoices WHERE client_id = ?1 ORDER BY id", invoice_json,
	 NULL},
	{"payments",
	 "SELECT id, method, amount_cents, paid_at FROM payments WHERE client_id = ?1 ORDER BY id",
	 NULL, payment_row},
	{"mandates",
	 "SELECT id, reference, iban, holder_name, signed_on, status FROM mandates"
	 " WHERE client_id = ?1 ORDER BY id",
	 NULL, mandate_row},
	{"interactions",
	 "SELECT id, client_id, channel, direction, summary, user_id, created_at"
	 " FROM interactions WHERE client_id = ?1 ORDER BY id",
	 NULL, interaction_row},
	{"inquiries",
	 "SELECT id, channel, full_name, email, phone, subject, message, received_at,"
	 " due_at, status, reply, answered_at, answered_by, locale, erased_at"
	 " FROM inquiries WHERE email IN (?2, ?3) ORDER BY id",
	 NULL, inquiry_row},
	{"outbox", "SELECT id FROM outbox WHERE client_id = ?1 OR to_addr IN (?2, ?3) ORDER BY id",
	 hm_outbox_get, NULL},
	{"calendar_feeds", "SELECT created_at FROM calendar_feeds WHERE client_id = ?1", NULL,
	 feed_row},
	{"event_registrations",
	 "SELECT r.event_id, e.title, e.starts_at, r.created_at FROM event_registrations r"
	 " JOIN events e ON e.id = r.event_id WHERE r.client_id = ?1 ORDER BY e.starts_at",
	 NULL, registration_row},
	{"contributions",
	 "SELECT id, kind, title, body, credit_name, status, submitted_at, review_comment,"
	 " reviewed_by, reviewed_at FROM contributions WHERE client_id = ?1 ORDER BY id",
	 NULL, contribution_row},
	{"audit",
	 "SELECT a.id, a.at, a.actor_id, u.email, a.action, a.entity, a.entity_id, a.detail,"
	 " a.request_id FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
	 " WHERE " SUBJECT_AUDIT " OR (?4 > 0 AND a.actor_id = ?4) ORDER BY a.id",
	 NULL, audit_row},
};

/* Anonymises what the tables hold on the subject, but the client record and its
 * user (hm_db_privacy_erase does those last). Order matters where a statement
 * finds its rows by an address an earlier one would erase. */
static const char *const erase_statements[] = {
	/* The delivery log's errors may quote the address (a relay's 550 reply). */
	"UPDATE outbox_attempts SET detail = NULL WHERE outbox_id IN (SELECT id FROM outbox"
	" WHERE client_id = ?1 OR to_addr IN (?2, ?3))",
	/* Messages: no address, no text; what was still to go goes nowhere. */
	"UPDATE outbox SET to_addr = NULL, subject = 'erased', body = '', last_error = NULL,"
	" state = CASE WHEN state IN ('queued', 'sending') THEN 'cancelled' ELSE state END,"
	" updated_at = ?5 WHERE client_id = ?1 OR to_addr IN (?2, ?3)",
	"UPDATE inquiries SET full_name = 'erased', email = NULL, phone = NULL,"
	" subject = 'erased', message = 'erased',"
	" reply = CASE WHEN reply IS NULL THEN NULL ELSE 'erased' END,"
	" erased_at = coalesce(erased_at, ?5) WHERE email IN (?2, ?3)",
	"UPDATE interactions SET summary = 'erased' WHERE client_id = ?1",
	/* The children it added carry it as their guardian (a copy: sql/0010). */
	"UPDATE clients SET guardian_name = NULL, guardian_email = NULL, guardian_phone = NULL"
	" WHERE id <> ?1 AND guardian_email IN (?2, ?3)"
	" AND family_id = (SELECT family_id FROM clients WHERE id = ?1)",
	"UPDATE lessons SET notes = '' WHERE client_id = ?1",
	"DELETE FROM calendar_feeds WHERE client_id = ?1",
	/* Places at events still to come go back; past ones stay counted. */
	"DELETE FROM event_registrations WHERE client_id = ?1 AND event_id IN"
	" (SELECT id FROM events WHERE starts_at > ?5)",
	/* Places in line go (a held offer with them: the sweep never sees it again). */
	"DELETE FROM event_waitlist WHERE client_id = ?1",
	"DELETE FROM slot_waitlist WHERE client_id = ?1",
	/* What the student wrote and the name it was credited with: emptied and taken
	 * down (a published text could hold anything about its author). */
	"UPDATE contributions SET credit_name = 'erased', title = 'erased', body = '',"
	" status = 'rejected', reviewed_at = coalesce(reviewed_at, ?5),"
	" review_comment = 'erased' WHERE client_id = ?1",
	"DELETE FROM rate_events WHERE key IN (?2, ?3)",
	/* Who did what stays; what they typed about the client goes. */
	"UPDATE audit_log SET detail = '{\"erased\":true}' WHERE detail IS NOT NULL"
	" AND (" SUBJECT_AUDIT ")",
};

/* ---- export ------------------------------------------------------------------ */

/* One item of a section from the current row of stmt (NULL with err set). */
static json_t *section_item(struct hm_db *db, const struct section *sec, sqlite3_stmt *stmt,
			    enum hm_err *err)
{
	json_t *item = NULL;
	if (sec->by_id)
		*err = sec->by_id(db, sqlite3_column_int64(stmt, 0), &item);
	else if (!(item = sec->row(stmt)))
		*err = HM_ERR_INTERNAL;
	return item;
}

static enum hm_err export_section(struct hm_db *db, json_t *doc, const struct section *sec,
				  const struct subject *s)
{
	enum hm_err err = HM_OK;
	json_t *items = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sec->sql);
	int rc = SQLITE_DONE, n = 0;
	if (!items || !stmt) {
		json_decref(items);
		return HM_ERR_INTERNAL;
	}
	bind_subject(stmt, s, 0);
	while (err == HM_OK && n++ < MAX_ROWS && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *item = section_item(db, sec, stmt, &err);
		if (err == HM_OK && json_array_append_new(items, item) != 0)
			err = HM_ERR_INTERNAL;
	}
	hm_db_done(stmt);
	if (err == HM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = hm_db_fail(db, sec->key);
	if (err == HM_OK && json_object_set_new(doc, sec->key, items) != 0)
		err = HM_ERR_INTERNAL;
	else if (err != HM_OK)
		json_decref(items);
	return err;
}

/* doc = {exported_at, client, user}: the record and its user come first. */
static enum hm_err export_head(struct hm_db *db, const struct subject *s, int64_t now, json_t *doc)
{
	char now_text[HM_RFC3339_LEN];
	json_t *client = NULL, *user = NULL;
	hm_time_format(now, now_text);
	enum hm_err err = hm_db_clients_json(db, s->client_id, now, &client);
	if (err == HM_OK && s->user_id)
		err = hm_accounts_user_json(db, s->user_id, &user);
	if (err != HM_OK) {
		json_decref(client);
		json_decref(user);
		return err;
	}
	/* json_object_set_new takes its value, also when it fails. */
	bool ok = json_object_set_new(doc, "exported_at", json_string(now_text)) == 0;
	ok = json_object_set_new(doc, "client", client) == 0 && ok;
	ok = json_object_set_new(doc, "user", user ? user : json_null()) == 0 && ok;
	return ok ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_privacy_export(struct hm_db *db, int64_t client_id, const struct hm_actor *who,
				 json_t **out)
{
	struct subject s;
	json_t *doc = *out = json_object();
	if (!doc)
		return HM_ERR_INTERNAL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = subject_of(db, client_id, &s);
	if (err == HM_OK)
		err = export_head(db, &s, who->now, doc);
	for (size_t i = 0; err == HM_OK && i < sizeof export_sections / sizeof export_sections[0];
	     i++)
		err = export_section(db, doc, &export_sections[i], &s);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "client.export", "client", s.client_id,
				      NULL, who->request_id, who->now);
	return hm_db_end(db, err);
}

/* ---- erasure ------------------------------------------------------------------ */

/* Runs one statement of an erasure. */
static enum hm_err erase_rows(struct hm_db *db, const char *sql, const struct subject *s,
			      int64_t now)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	bind_subject(stmt, s, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "erase");
}

/* The client record, then its user: deactivation ends its sessions and revokes its
 * API tokens (HM_ERR_CONFLICT when it is the last active admin); the login e-mail is
 * unique, so it gets an address of its own that can never be real. */
static enum hm_err erase_client_and_user(struct hm_db *db, const struct subject *s, int64_t now)
{
	static const char client_sql[] =
		"UPDATE clients SET full_name = 'erased', email = NULL, phone = NULL,"
		" guardian_name = NULL, guardian_email = NULL, guardian_phone = NULL,"
		" preferred_channel = NULL, notes = '', tax_id = NULL, billing_address = NULL,"
		" erased_at = coalesce(erased_at, ?5),"
		" updated_at = ?5 WHERE id = ?1";
	static const char user_sql[] =
		"UPDATE users SET email = 'erased-' || id || '@erased.invalid', password_hash = '!',"
		" updated_at = ?5 WHERE id = ?4";
	/* Its mandates stay for the books (reference, dates, the runs that used them)
	 * but lose the account and the holder's name, revoked: sql/0015 lets a mandate
	 * change so only once its client is erased, so this comes after client_sql. */
	static const char mandate_sql[] =
		"UPDATE mandates SET iban = 'XX00ERASED00000', holder_name = 'erased',"
		" status = 'revoked', revoked_at = coalesce(revoked_at, ?5)"
		" WHERE client_id = ?1 AND iban <> 'XX00ERASED00000'";
	static const bool inactive = false;
	enum hm_err err = erase_rows(db, client_sql, s, now);
	if (err == HM_OK)
		err = erase_rows(db, mandate_sql, s, now);
	if (err == HM_OK && s->user_id)
		err = hm_accounts_update(db, s->user_id, HM_ROLE_NONE, "erased", &inactive, now);
	if (err == HM_OK && s->user_id)
		err = erase_rows(db, user_sql, s, now);
	return err;
}

static enum hm_err audit_erase(struct hm_db *db, const struct subject *s,
			       const struct hm_actor *who)
{
	json_t *detail = json_pack("{s:o}", "user_id",
				   s->user_id ? json_integer(s->user_id) : json_null());
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, "client.erase", "client",
						   s->client_id, detail, who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_privacy_erase(struct hm_db *db, int64_t client_id, const struct hm_actor *who,
				json_t **out)
{
	struct subject s;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = subject_of(db, client_id, &s);
	for (size_t i = 0; err == HM_OK && i < sizeof erase_statements / sizeof erase_statements[0];
	     i++)
		err = erase_rows(db, erase_statements[i], &s, who->now);
	if (err == HM_OK)
		err = erase_client_and_user(db, &s, who->now);
	if (err == HM_OK)
		err = audit_erase(db, &s, who);
	if (err == HM_OK)
		err = hm_db_clients_json(db, s.client_id, who->now, out);
	return hm_db_end(db, err);
}
