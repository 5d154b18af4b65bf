// SPDX-License-Identifier: MIT
// The outbox table and its delivery log (include/harreman/outbox.h). Queueing
// renders the message at once (src/domain/messages.c) from the rows the event
// touched, in the recipient's language, and inserts it inside the caller's
// transaction; the sender's steps (recover, claim, data started, finish) each
// commit on their own, so a crash between two of them leaves a state that says
// exactly how far delivery got.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harreman/app.h"
#include "harreman/audit.h"
#include "harreman/hours.h"
#include "harreman/limits.h"
#include "harreman/log.h"
#include "harreman/mailfmt.h"
#include "harreman/messages.h"
#include "harreman/db_answers.h"
#include "harreman/outbox.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define TEXT_CAP ((size_t)128 * 1024)
#define MAX_LESSONS 200 /* a subscription's sessions at most */
#define REMINDER_BATCH 64

const char *const hm_outbox_states[] = {"queued",  "sending",   "sent", "failed",
					"unknown", "cancelled", NULL};

void hm_outbox_env_of(const struct hm_config *cfg, struct hm_outbox_env *env)
{
	const char *domain = cfg->smtp_from ? hm_mail_domain(cfg->smtp_from) : NULL;
	env->zone = cfg->timezone ? cfg->timezone : "Europe/Madrid";
	env->domain = domain ? domain : "localhost";
	env->public_url = cfg->public_url ? cfg->public_url : cfg->default_public_url;
}

/* ---- small readers ------------------------------------------------------- */

static json_t *text_or_null(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? json_string((const char *)text) : json_null();
}

static json_t *int_or_null(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL
		       ? json_null()
		       : json_integer(sqlite3_column_int64(stmt, col));
}

static json_t *time_or_null(sqlite3_stmt *stmt, int col)
{
	char at[HM_RFC3339_LEN];
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	hm_time_format(sqlite3_column_int64(stmt, col), at);
	return json_string(at);
}

/* The business's wall-clock time of instant t. */
static void local_time(int64_t t, struct hm_local_time *out)
{
	int64_t day, y;
	unsigned m, d;
	int weekday;
	hm_local_day(t, &day, &weekday);
	int minute = hm_local_minute(t);
	hm_civil_from_days(day, &y, &m, &d);
	out->year = (int)y;
	out->month = (int)m;
	out->day = (int)d;
	out->weekday = weekday;
	out->hour = minute / 60;
	out->minute = minute % 60;
}

/* ---- queueing ------------------------------------------------------------ */

struct queued {
	enum hm_msg_kind kind;
	int64_t client_id, lesson_id, inquiry_id;        /* 0: none */
	int64_t payment_id, invoice_id, direct_debit_id; /* 0: none */
	enum hm_locale locale;
	const char *to;
	const struct hm_msg_params *params;
};

/* Renders q and inserts it, queued and due now. A message that exists already (a
 * lesson's reminder, a payment's receipt, a run's notice to a client, an
 * invoice's overdue reminder: the unique indexes decide) is left alone. */
static enum hm_err queue(struct hm_db *db, const struct hm_outbox_env *env, const struct queued *q,
			 int64_t now)
{
	static const char sql[] =
		"INSERT INTO outbox (kind, client_id, lesson_id, inquiry_id, locale, to_addr, subject,"
		" body, message_id, next_attempt_at, created_at, updated_at, payment_id, invoice_id,"
		" direct_debit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10, ?11,"
		" ?12, ?13) ON CONFLICT DO NOTHING";
	struct hm_buf subject, body;
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *stmt = NULL;
	unsigned char raw[8];
	char hex[2 * sizeof raw + 1], message_id[300];

	hm_buf_init(&subject, TEXT_CAP);
	hm_buf_init(&body, TEXT_CAP);
	if (!hm_mail_address_ok(q->to)) {
		/* Addresses are validated on the way in; one that is not safe to write into
		 * a header is not queued rather than sent mangled. */
		hm_log_warn("outbox: not queueing %s to an unusable address",
			    hm_msg_kind_name(q->kind));
		err = HM_OK;
		goto out;
	}
	if (!hm_msg_render(q->kind, q->locale, q->params, &subject, &body) || !subject.data ||
	    !body.data)
		goto out;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	snprintf(message_id, sizeof message_id, "<%lld.%s@%s>", (long long)now, hex, env->domain);
	stmt = hm_db_stmt(db, sql);
	if (!stmt)
		goto out;
	sqlite3_bind_text(stmt, 1, hm_msg_kind_name(q->kind), -1, SQLITE_STATIC);
	if (q->client_id)
		sqlite3_bind_int64(stmt, 2, q->client_id);
	if (q->lesson_id)
		sqlite3_bind_int64(stmt, 3, q->lesson_id);
	if (q->inquiry_id)
		sqlite3_bind_int64(stmt, 4, q->inquiry_id);
	sqlite3_bind_text(stmt, 5, hm_locale_name(q->locale), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, q->to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 7, subject.data, (int)subject.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 8, body.data, (int)body.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 9, message_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 10, now);
	if (q->payment_id)
		sqlite3_bind_int64(stmt, 11, q->payment_id);
	if (q->invoice_id)
		sqlite3_bind_int64(stmt, 12, q->invoice_id);
	if (q->direct_debit_id)
		sqlite3_bind_int64(stmt, 13, q->direct_debit_id);
	err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, "queue message");
out:
	hm_db_done(stmt);
	hm_buf_release(&subject);
	hm_buf_release(&body);
	return err;
}

/* What a lesson message says, read from the lesson's rows. */
struct lesson_info {
	int64_t client_id;
	char *service, *tutor, *name, *to;
	enum hm_locale locale;
	struct hm_local_time times[MAX_LESSONS];
	size_t n_times;
};

static void lesson_info_release(struct lesson_info *info)
{
	free(info->service);
	free(info->tutor);
	free(info->name);
	free(info->to);
	memset(info, 0, sizeof *info);
}

/* Reads the lessons (of one booking: one client, service and tutor) into info;
 * info->to stays NULL when the client has no address. */
static enum hm_err lesson_info(struct hm_db *db, const int64_t *ids, size_t n,
			       struct lesson_info *info)
{
	static const char sql[] =
		"SELECT l.client_id, l.starts_at, s.name, coalesce(t.full_name, ''), c.full_name,"
		" coalesce(c.email, c.guardian_email), c.locale FROM lessons l"
		" JOIN services s ON s.id = l.service_id JOIN clients c ON c.id = l.client_id"
		" LEFT JOIN users t ON t.id = l.tutor_id WHERE l.id = ?1";
	memset(info, 0, sizeof *info);
	for (size_t i = 0; i < n && i < MAX_LESSONS; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			local_time(sqlite3_column_int64(stmt, 1), &info->times[info->n_times++]);
			if (i == 0) {
				info->client_id = sqlite3_column_int64(stmt, 0);
				info->service = hm_db_column_strdup(stmt, 2);
				info->tutor = hm_db_column_strdup(stmt, 3);
				info->name = hm_db_column_strdup(stmt, 4);
				info->to = hm_db_column_strdup(stmt, 5);
				info->locale = hm_locale_from_name(
					(const char *)sqlite3_column_text(stmt, 6));
			}
		}
		hm_db_done(stmt);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read lesson");
		if (i == 0 && (!info->service || !info->tutor || !info->name))
			return HM_ERR_INTERNAL;
	}
	return HM_OK;
}

/* What the booking of lesson_id cost: p->priced with the price, discount and gift
 * when its contract was made with it (the same instant), p->from_subscription when
 * an older subscription paid; neither for a lesson without a contract. *gift (the
 * gift's name, or NULL) is the caller's to free. */
static enum hm_err booking_payment(struct hm_db *db, int64_t lesson_id, struct hm_msg_params *p,
				   char **gift)
{
	static const char sql[] =
		"SELECT c.kind, c.price_cents, c.discount_percent, g.name,"
		" c.created_at = l.created_at FROM lessons l JOIN contracts c ON c.id = l.contract_id"
		" LEFT JOIN gifts g ON g.id = c.gift_id WHERE l.id = ?1";
	*gift = NULL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, lesson_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		bool made_with_it = sqlite3_column_int(stmt, 4) != 0;
		p->priced = made_with_it;
		p->from_subscription = !made_with_it &&
				       strcmp((const char *)sqlite3_column_text(stmt, 0),
					      "subscription") == 0;
		p->price_cents = sqlite3_column_int64(stmt, 1);
		p->discount_percent = sqlite3_column_int(stmt, 2);
		if (made_with_it && sqlite3_column_type(stmt, 3) != SQLITE_NULL) {
			*gift = hm_db_column_strdup(stmt, 3);
			p->gift = *gift;
		}
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read payment");
}

/* Queues the message of kind for the lessons ids[0..) that info describes (read
 * or known; borrowed), when the client has an address. */
static enum hm_err queue_lessons_of(struct hm_db *db, const struct hm_outbox_env *env,
				    enum hm_msg_kind kind, const struct lesson_info *info,
				    const int64_t *ids, int64_t now)
{
	enum hm_err err = HM_OK;
	if (!info->to)
		return HM_OK;
	struct hm_msg_params p = {
		.name = info->name,
		.service = info->service,
		.tutor = info->tutor,
		.times = info->times,
		.n_times = info->n_times,
		.zone = env->zone,
		.public_url = env->public_url,
	};
	char *gift = NULL;
	if (kind == HM_MSG_LESSON_BOOKED)
		err = booking_payment(db, ids[0], &p, &gift);
	struct queued q = {
		.kind = kind,
		.client_id = info->client_id,
		.lesson_id = ids[0],
		.locale = info->locale,
		.to = info->to,
		.params = &p,
	};
	if (err == HM_OK)
		err = queue(db, env, &q, now);
	free(gift);
	return err;
}

static enum hm_err queue_lessons(struct hm_db *db, const struct hm_outbox_env *env,
				 enum hm_msg_kind kind, const int64_t *ids, size_t n, int64_t now)
{
	struct lesson_info info;
	if (!n)
		return HM_OK;
	enum hm_err err = lesson_info(db, ids, n, &info);
	if (err == HM_OK)
		err = queue_lessons_of(db, env, kind, &info, ids, now);
	lesson_info_release(&info);
	return err;
}

enum hm_err hm_outbox_lessons_booked(struct hm_db *db, const struct hm_outbox_env *env,
				     const int64_t *lesson_ids, size_t n, int64_t now)
{
	return queue_lessons(db, env, HM_MSG_LESSON_BOOKED, lesson_ids, n, now);
}

enum hm_err hm_outbox_booking_mail_read(struct hm_db *db, int64_t client_id, int64_t service_id,
					int64_t tutor_id, struct hm_booking_mail *out)
{
	/* The names lesson_info reads through a lesson, before there is one. */
	static const char sql[] =
		"SELECT s.name, coalesce((SELECT full_name FROM users WHERE id = ?3), ''),"
		" c.full_name, coalesce(c.email, c.guardian_email), c.locale"
		" FROM clients c, services s WHERE c.id = ?1 AND s.id = ?2";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, service_id);
	sqlite3_bind_int64(stmt, 3, tutor_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->service = hm_db_column_strdup(stmt, 0);
		out->tutor = hm_db_column_strdup(stmt, 1);
		out->name = hm_db_column_strdup(stmt, 2);
		out->to = hm_db_column_strdup(stmt, 3);
		out->locale = hm_locale_from_name((const char *)sqlite3_column_text(stmt, 4));
	}
	hm_db_done(stmt);
	enum hm_err err = rc == SQLITE_ROW    ? HM_OK
			  : rc == SQLITE_DONE ? HM_ERR_NOT_FOUND
					      : hm_db_fail(db, "read booking names");
	if (err == HM_OK && (!out->service || !out->tutor || !out->name))
		err = HM_ERR_INTERNAL;
	if (err != HM_OK)
		hm_outbox_booking_mail_release(out);
	return err;
}

void hm_outbox_booking_mail_release(struct hm_booking_mail *mail)
{
	free(mail->service);
	free(mail->tutor);
	free(mail->name);
	free(mail->to);
	memset(mail, 0, sizeof *mail);
}

enum hm_err hm_outbox_lessons_booked_as(struct hm_db *db, const struct hm_outbox_env *env,
					const struct hm_booking_mail *mail, int64_t client_id,
					const int64_t *lesson_ids, const int64_t *starts, size_t n,
					int64_t now)
{
	/* The same lesson_info as read, its strings borrowed (not released here). */
	struct lesson_info info = {
		.client_id = client_id,
		.service = mail->service,
		.tutor = mail->tutor,
		.name = mail->name,
		.to = mail->to,
		.locale = mail->locale,
	};
	for (size_t i = 0; i < n && i < MAX_LESSONS; i++)
		local_time(starts[i], &info.times[info.n_times++]);
	return n ? queue_lessons_of(db, env, HM_MSG_LESSON_BOOKED, &info, lesson_ids, now) : HM_OK;
}

enum hm_err hm_outbox_lessons_cancelled(struct hm_db *db, const struct hm_outbox_env *env,
					const int64_t *lesson_ids, size_t n, int64_t now)
{
	static const char sql[] =
		"UPDATE outbox SET state = 'cancelled', updated_at = ?2, last_error = NULL"
		" WHERE kind = 'lesson_reminder' AND lesson_id = ?1 AND state = 'queued'";
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, lesson_ids[i]);
		sqlite3_bind_int64(stmt, 2, now);
		int rc = sqlite3_step(stmt);
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "cancel reminder");
	}
	return queue_lessons(db, env, HM_MSG_LESSON_CANCELLED, lesson_ids, n, now);
}

/* ---- waitlists ------------------------------------------------------------ */

/* The columns both waitlist messages read: the client, what the place is, when. */
struct waitlist_info {
	int64_t client_id, starts_at, deadline;
	char *name, *to, *what, *tutor;
	enum hm_locale locale;
};

static void waitlist_info_release(struct waitlist_info *info)
{
	free(info->name);
	free(info->to);
	free(info->what);
	free(info->tutor);
}

/* Reads one row of (client id, starts, deadline, name, address, locale, what,
 * tutor) from sql with ?1 and ?2 bound; HM_ERR_NOT_FOUND when there is none. */
static enum hm_err waitlist_info(struct hm_db *db, const char *sql, int64_t a, int64_t b,
				 struct waitlist_info *info)
{
	memset(info, 0, sizeof *info);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_ROW) {
		info->client_id = sqlite3_column_int64(stmt, 0);
		info->starts_at = sqlite3_column_int64(stmt, 1);
		info->deadline = sqlite3_column_int64(stmt, 2);
		info->name = hm_db_column_strdup(stmt, 3);
		info->to = hm_db_column_strdup(stmt, 4);
		info->locale = hm_locale_from_name((const char *)sqlite3_column_text(stmt, 5));
		info->what = hm_db_column_strdup(stmt, 6);
		info->tutor = hm_db_column_strdup(stmt, 7);
		if (!info->name || !info->what || !info->tutor)
			err = HM_ERR_INTERNAL;
	} else {
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read waitlist");
	}
	hm_db_done(stmt);
	return err;
}

static enum hm_err queue_waitlist(struct hm_db *db, const struct hm_outbox_env *env,
				  enum hm_msg_kind kind, const char *sql, int64_t a, int64_t b,
				  int64_t now)
{
	struct waitlist_info info;
	struct hm_local_time at, deadline;
	enum hm_err err = waitlist_info(db, sql, a, b, &info);
	if (err == HM_OK && info.to) {
		local_time(info.starts_at, &at);
		local_time(info.deadline, &deadline);
		struct hm_msg_params p = {
			.name = info.name,
			.service = info.what,
			.title = info.what,
			.tutor = info.tutor,
			.times = &at,
			.n_times = 1,
			.zone = env->zone,
			.deadline = kind == HM_MSG_WAITLIST_OFFER ? &deadline : NULL,
		};
		struct queued q = {
			.kind = kind,
			.client_id = info.client_id,
			.locale = info.locale,
			.to = info.to,
			.params = &p,
		};
		err = queue(db, env, &q, now);
	}
	waitlist_info_release(&info);
	return err;
}

enum hm_err hm_outbox_waitlist_registered(struct hm_db *db, const struct hm_outbox_env *env,
					  int64_t event_id, int64_t client_id, int64_t now)
{
	static const char sql[] =
		"SELECT c.id, e.starts_at, 0, c.full_name, coalesce(c.email, c.guardian_email),"
		" c.locale, e.title, '' FROM events e, clients c WHERE e.id = ?1 AND c.id = ?2";
	return queue_waitlist(db, env, HM_MSG_WAITLIST_REGISTERED, sql, event_id, client_id, now);
}

enum hm_err hm_outbox_waitlist_offer(struct hm_db *db, const struct hm_outbox_env *env,
				     int64_t waitlist_id, int64_t now)
{
	static const char sql[] =
		"SELECT c.id, w.starts_at, w.offer_expires_at, c.full_name,"
		" coalesce(c.email, c.guardian_email), c.locale, s.name, coalesce(t.full_name, '')"
		" FROM slot_waitlist w JOIN clients c ON c.id = w.client_id"
		" JOIN services s ON s.id = w.service_id LEFT JOIN users t ON t.id = w.tutor_id"
		" WHERE w.id = ?1 AND ?2 = ?2";
	return queue_waitlist(db, env, HM_MSG_WAITLIST_OFFER, sql, waitlist_id, 0, now);
}

/* ---- payments ------------------------------------------------------------- */

#define MSG_INVOICES_MAX 100 /* invoices one payment message lists */
#define OVERDUE_BATCH 64

/* A local date "YYYY-MM-DD" as a wall-clock day (all zero when it is not one). */
static void date_of_text(const char *text, struct hm_local_time *out)
{
	int64_t day, y;
	unsigned m, d;
	memset(out, 0, sizeof *out);
	if (!text || !hm_date_parse(text, &day))
		return;
	hm_civil_from_days(day, &y, &m, &d);
	out->year = (int)y;
	out->month = (int)m;
	out->day = (int)d;
	out->weekday = hm_day_weekday(day);
}

/* Who a payment message goes to: the client's name, e-mail (else the guardian's;
 * NULL: none) and language. */
struct recipient {
	int64_t client_id;
	char *name, *to;
	enum hm_locale locale;
};

static void recipient_release(struct recipient *r)
{
	free(r->name);
	free(r->to);
	memset(r, 0, sizeof *r);
}

static enum hm_err read_recipient(struct hm_db *db, int64_t client_id, struct recipient *r)
{
	static const char sql[] = "SELECT full_name, coalesce(email, guardian_email), locale"
				  " FROM clients WHERE id = ?1";
	memset(r, 0, sizeof *r);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		r->client_id = client_id;
		r->name = hm_db_column_strdup(stmt, 0);
		r->to = hm_db_column_strdup(stmt, 1);
		r->locale = hm_locale_from_name((const char *)sqlite3_column_text(stmt, 2));
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read recipient");
	return r->name ? HM_OK : HM_ERR_INTERNAL;
}

/* The invoices a payment message lists (owned numbers). */
struct invoice_list {
	struct hm_msg_invoice items[MSG_INVOICES_MAX]; /* number: numbers[i] */
	char *numbers[MSG_INVOICES_MAX];
	size_t n;
	long long total_cents;
};

static void invoice_list_release(struct invoice_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->numbers[i]);
	l->n = 0;
}

/* Appends the current row's (number, amount) at columns col and col + 1. */
static bool invoice_list_add(struct invoice_list *l, sqlite3_stmt *stmt, int col)
{
	long long amount = sqlite3_column_int64(stmt, col + 1);
	l->total_cents += amount;
	if (l->n == MSG_INVOICES_MAX)
		return true; /* the total still counts it */
	char *number = hm_db_column_strdup(stmt, col);
	if (!number)
		return false;
	l->numbers[l->n] = number;
	l->items[l->n].number = number;
	l->items[l->n++].amount_cents = amount;
	return true;
}

enum hm_err hm_outbox_payment_receipt(struct hm_db *db, const struct hm_outbox_env *env,
				      int64_t payment_id, int64_t now)
{
	static const char pay_sql[] = "SELECT client_id, amount_cents, paid_at FROM payments"
				      " WHERE id = ?1";
	static const char inv_sql[] =
		"SELECT i.series || '-' || i.number, a.amount_cents FROM payment_allocations a"
		" JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ?1"
		" AND a.amount_cents > 0 ORDER BY a.id";
	struct invoice_list *list = calloc(1, sizeof *list);
	struct recipient r = {0};
	struct hm_local_time paid_on;
	int64_t client_id = 0, amount = 0, paid_at = 0;
	enum hm_err err = list ? HM_OK : HM_ERR_INTERNAL;
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, pay_sql) : NULL;
	if (!stmt) {
		free(list);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_int64(stmt, 1, payment_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		client_id = sqlite3_column_int64(stmt, 0);
		amount = sqlite3_column_int64(stmt, 1);
		paid_at = sqlite3_column_int64(stmt, 2);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW)
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read payment");
	if (err == HM_OK)
		err = read_recipient(db, client_id, &r);
	if (err == HM_OK && r.to && (stmt = hm_db_stmt(db, inv_sql)) == NULL)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK && r.to) {
		sqlite3_bind_int64(stmt, 1, payment_id);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			if (!invoice_list_add(list, stmt, 0)) {
				rc = SQLITE_NOMEM;
				break;
			}
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			err = hm_db_fail(db, "read receipt invoices");
	}
	if (err == HM_OK && r.to) {
		local_time(paid_at, &paid_on);
		struct hm_msg_params p = {
			.name = r.name,
			.amount_cents = amount,
			.date = &paid_on,
			.invoices = list->items,
			.n_invoices = list->n,
		};
		struct queued q = {
			.kind = HM_MSG_PAYMENT_RECEIPT,
			.client_id = client_id,
			.payment_id = payment_id,
			.locale = r.locale,
			.to = r.to,
			.params = &p,
		};
		err = queue(db, env, &q, now);
	}
	invoice_list_release(list);
	free(list);
	recipient_release(&r);
	return err;
}

/* The notice of run_id to the holder of one mandate (client_id), listing list. */
static enum hm_err queue_notice(struct hm_db *db, const struct hm_outbox_env *env, int64_t run_id,
				int64_t client_id, const char *reference, const char *creditor,
				const struct hm_local_time *date, const struct invoice_list *list,
				int64_t now)
{
	struct recipient r;
	enum hm_err err = read_recipient(db, client_id, &r);
	if (err == HM_OK && r.to) {
		struct hm_msg_params p = {
			.name = r.name,
			.amount_cents = list->total_cents,
			.date = date,
			.invoices = list->items,
			.n_invoices = list->n,
			.reference = reference,
			.creditor = creditor,
		};
		struct queued q = {
			.kind = HM_MSG_DEBIT_NOTICE,
			.client_id = client_id,
			.direct_debit_id = run_id,
			.locale = r.locale,
			.to = r.to,
			.params = &p,
		};
		err = queue(db, env, &q, now);
	}
	recipient_release(&r);
	return err;
}

/* The creditor identifier the pain.008 file names: the business's own (column
 * id_col), else made from its NIF (nif_col) with the suffix "000"; "" when
 * neither is set. Owned. */
static char *creditor_of(sqlite3_stmt *stmt, int id_col, int nif_col)
{
	char made[HM_CREDITOR_ID_MAX + 1] = "";
	const char *id = (const char *)sqlite3_column_text(stmt, id_col);
	const char *nif = (const char *)sqlite3_column_text(stmt, nif_col);
	if (id)
		return hm_db_column_strdup(stmt, id_col);
	if (!nif || !hm_creditor_id_make(nif, "000", made))
		made[0] = '\0';
	return strdup(made);
}

enum hm_err hm_outbox_debit_notices(struct hm_db *db, const struct hm_outbox_env *env,
				    int64_t run_id, int64_t now)
{
	/* Each mandate's items together: one notice per holder. */
	static const char sql[] =
		"SELECT m.client_id, m.reference, i.series || '-' || i.number, d.amount_cents,"
		" r.collection_date, b.creditor_id, b.nif"
		" FROM direct_debit_items d JOIN direct_debit_runs r ON r.id = d.run_id"
		" JOIN mandates m ON m.id = d.mandate_id JOIN invoices i ON i.id = d.invoice_id"
		" LEFT JOIN business b ON b.id = 1"
		" WHERE d.run_id = ?1 AND d.returned_reason IS NULL ORDER BY m.client_id, d.invoice_id";
	struct invoice_list *list = calloc(1, sizeof *list);
	char *reference = NULL, *creditor = NULL;
	struct hm_local_time date;
	int64_t holder = 0;
	int rc = SQLITE_ERROR;
	enum hm_err err = HM_OK;
	sqlite3_stmt *stmt = list ? hm_db_stmt(db, sql) : NULL;
	if (!stmt) {
		free(list);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_int64(stmt, 1, run_id);
	/* The statement stays open while the notices are queued: a read of other rows. */
	while (err == HM_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t client = sqlite3_column_int64(stmt, 0);
		if (holder && client != holder) {
			err = queue_notice(db, env, run_id, holder, reference, creditor, &date,
					   list, now);
			invoice_list_release(list);
			list->total_cents = 0;
		}
		if (err != HM_OK)
			break;
		if (client != holder) {
			holder = client;
			free(reference);
			free(creditor);
			reference = hm_db_column_strdup(stmt, 1);
			creditor = creditor_of(stmt, 5, 6);
			date_of_text((const char *)sqlite3_column_text(stmt, 4), &date);
		}
		if (!reference || !creditor || !invoice_list_add(list, stmt, 2))
			err = HM_ERR_INTERNAL;
	}
	hm_db_done(stmt);
	if (err == HM_OK && rc != SQLITE_DONE)
		err = hm_db_fail(db, "read direct debit items");
	if (err == HM_OK && holder)
		err = queue_notice(db, env, run_id, holder, reference, creditor, &date, list, now);
	invoice_list_release(list);
	free(list);
	free(reference);
	free(creditor);
	return err;
}

/* The overdue invoices with no reminder yet (at most OVERDUE_BATCH): unpaid
 * HM_OVERDUE_DAYS after issue, their client not erased and with an address, no
 * open run collecting them. */
static enum hm_err due_overdue(struct hm_db *db, int64_t now, int64_t *ids, int *n)
{
	static const char sql[] =
		"SELECT i.id FROM invoices i JOIN clients c ON c.id = i.client_id"
		" WHERE i.total_cents > i.paid_cents AND i.issued_at <= ?1 - ?2 * 86400"
		" AND c.erased_at IS NULL AND coalesce(c.email, c.guardian_email) IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.invoice_id = i.id"
		"   AND o.kind = 'invoice_overdue')"
		" AND NOT EXISTS (SELECT 1 FROM direct_debit_items d JOIN direct_debit_runs r"
		"   ON r.id = d.run_id WHERE d.invoice_id = i.id AND r.status = 'open'"
		"   AND d.returned_reason IS NULL)"
		" ORDER BY i.id LIMIT ?3";
	int rc;
	*n = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, HM_OVERDUE_DAYS);
	sqlite3_bind_int(stmt, 3, OVERDUE_BATCH);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < OVERDUE_BATCH)
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "overdue invoices");
}

static enum hm_err queue_overdue(struct hm_db *db, const struct hm_outbox_env *env,
				 int64_t invoice_id, int64_t now)
{
	static const char sql[] =
		"SELECT client_id, series || '-' || number,"
		" total_cents - paid_cents, issued_on FROM invoices WHERE id = ?1";
	struct recipient r = {0};
	struct hm_local_time issued;
	char *number = NULL;
	int64_t client_id = 0, due = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, invoice_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		client_id = sqlite3_column_int64(stmt, 0);
		number = hm_db_column_strdup(stmt, 1);
		due = sqlite3_column_int64(stmt, 2);
		date_of_text((const char *)sqlite3_column_text(stmt, 3), &issued);
	}
	hm_db_done(stmt);
	enum hm_err err = HM_OK;
	if (rc != SQLITE_ROW)
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read overdue invoice");
	else if (!number)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = read_recipient(db, client_id, &r);
	if (err == HM_OK && r.to) {
		struct hm_msg_params p = {
			.name = r.name,
			.amount_cents = due,
			.date = &issued,
			.invoice = number,
		};
		struct queued q = {
			.kind = HM_MSG_INVOICE_OVERDUE,
			.client_id = client_id,
			.invoice_id = invoice_id,
			.locale = r.locale,
			.to = r.to,
			.params = &p,
		};
		err = queue(db, env, &q, now);
	}
	free(number);
	recipient_release(&r);
	return err;
}

enum hm_err hm_outbox_queue_overdue(struct hm_db *db, const struct hm_outbox_env *env, int64_t now,
				    int *queued)
{
	int64_t ids[OVERDUE_BATCH];
	int n = 0;
	*queued = 0;
	/* A look without the write lock first: most sweeps have nothing to queue. */
	enum hm_err err = due_overdue(db, now, ids, &n);
	if (err != HM_OK || n == 0)
		return err;
	err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = due_overdue(db, now, ids, &n); /* again, under the lock */
	for (int i = 0; err == HM_OK && i < n; i++)
		err = queue_overdue(db, env, ids[i], now);
	if (err == HM_OK)
		*queued = n;
	return hm_db_end(db, err);
}

/* An answer suggested to an inquiry, as read (owned texts). */
struct suggested {
	char *question, *answer;
};

/* The answers suggested to inquiry id that still exist, best first, into
 * answers[0..*n) (free_suggested frees them, even after an error). */
static enum hm_err read_suggested(struct hm_db *db, int64_t id,
				  struct suggested answers[HM_ANSWERS_SUGGESTED], size_t *n)
{
	static const char sql[] =
		"SELECT a.question, a.answer FROM inquiries i,"
		" json_each(coalesce(i.suggested_answers, '[]')) j JOIN answers a ON a.id = j.value"
		" WHERE i.id = ?1 ORDER BY j.key LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc = SQLITE_ERROR;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, HM_ANSWERS_SUGGESTED);
	while (*n < HM_ANSWERS_SUGGESTED && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		answers[*n].question = hm_db_column_strdup(stmt, 0);
		answers[*n].answer = hm_db_column_strdup(stmt, 1);
		(*n)++;
		if (!answers[*n - 1].question || !answers[*n - 1].answer) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	hm_db_done(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? HM_OK : hm_db_fail(db, "read suggested");
}

static void free_suggested(struct suggested *answers, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(answers[i].question);
		free(answers[i].answer);
	}
}

static enum hm_err queue_inquiry(struct hm_db *db, const struct hm_outbox_env *env,
				 enum hm_msg_kind kind, int64_t id, int64_t now)
{
	struct suggested read[HM_ANSWERS_SUGGESTED];
	struct hm_msg_answer answers[HM_ANSWERS_SUGGESTED];
	size_t n_answers = 0;
	/* The language: the inquiry's own, else that of a client with its e-mail. */
	static const char sql[] =
		"SELECT i.full_name, i.email, i.subject, i.message, i.reply,"
		" coalesce(i.locale, (SELECT c.locale FROM clients c WHERE c.email = i.email"
		"   ORDER BY c.id LIMIT 1), 'eu'),"
		" (SELECT c.id FROM clients c WHERE c.email = i.email ORDER BY c.id LIMIT 1),"
		" coalesce((i.due_at - i.received_at) / 3600, 0)"
		" FROM inquiries i WHERE i.id = ?1";
	enum hm_err err = HM_ERR_INTERNAL;
	char *name = NULL, *to = NULL, *subject = NULL, *message = NULL, *reply = NULL;
	enum hm_locale locale = HM_LOCALE_EU;
	int64_t client_id = 0;
	int hours = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		name = hm_db_column_strdup(stmt, 0);
		to = hm_db_column_strdup(stmt, 1);
		subject = hm_db_column_strdup(stmt, 2);
		message = hm_db_column_strdup(stmt, 3);
		reply = hm_db_column_strdup(stmt, 4);
		locale = hm_locale_from_name((const char *)sqlite3_column_text(stmt, 5));
		client_id = sqlite3_column_int64(stmt, 6);
		hours = sqlite3_column_int(stmt, 7);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW) {
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read inquiry");
		goto out;
	}
	if (!to) { /* a phone inquiry: nobody to write to */
		err = HM_OK;
		goto out;
	}
	if (!name || !subject || !message)
		goto out;
	if (kind == HM_MSG_INQUIRY_RECEIVED &&
	    (err = read_suggested(db, id, read, &n_answers)) != HM_OK)
		goto out;
	for (size_t i = 0; i < n_answers; i++)
		answers[i] = (struct hm_msg_answer){read[i].question, read[i].answer};
	struct hm_msg_params p = {
		.name = name,
		.subject = subject,
		.message = message,
		.reply = reply,
		.response_hours = hours,
		.zone = env->zone,
		.answers = answers,
		.n_answers = n_answers,
	};
	struct queued q = {
		.kind = kind,
		.client_id = client_id,
		.inquiry_id = id,
		.locale = locale,
		.to = to,
		.params = &p,
	};
	err = queue(db, env, &q, now);
out:
	free_suggested(read, n_answers);
	free(name);
	free(to);
	free(subject);
	free(message);
	free(reply);
	return err;
}

enum hm_err hm_outbox_inquiry_received(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t inquiry_id, int64_t now)
{
	return queue_inquiry(db, env, HM_MSG_INQUIRY_RECEIVED, inquiry_id, now);
}

enum hm_err hm_outbox_inquiry_answered(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t inquiry_id, int64_t now)
{
	return queue_inquiry(db, env, HM_MSG_INQUIRY_ANSWERED, inquiry_id, now);
}

/* ---- the scheduler ------------------------------------------------------- */

/* The lessons that need their reminder now (at most REMINDER_BATCH). */
static enum hm_err due_reminders(struct hm_db *db, int64_t now, int64_t *ids, int *n)
{
	static const char sql[] =
		"SELECT l.id FROM lessons l JOIN clients c ON c.id = l.client_id"
		" WHERE l.starts_at > ?1 AND l.starts_at <= ?1 + ?2 AND l.status = 'booked'"
		" AND l.created_at <= l.starts_at - ?2"
		" AND coalesce(c.email, c.guardian_email) IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.lesson_id = l.id"
		"   AND o.kind = 'lesson_reminder')"
		" ORDER BY l.starts_at, l.id LIMIT ?3";
	int rc;
	*n = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, HM_REMINDER_AHEAD);
	sqlite3_bind_int(stmt, 3, REMINDER_BATCH);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < REMINDER_BATCH)
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "due reminders");
}

/* When the next lesson that will want a reminder enters the window (0: none). */
static enum hm_err next_reminder(struct hm_db *db, int64_t now, int64_t *next_due)
{
	static const char sql[] =
		"SELECT starts_at FROM lessons WHERE starts_at > ?1 + ?2 AND status = 'booked'"
		" AND created_at <= starts_at - ?2 ORDER BY starts_at LIMIT 1";
	*next_due = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, HM_REMINDER_AHEAD);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*next_due = sqlite3_column_int64(stmt, 0) - HM_REMINDER_AHEAD;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "next reminder");
}

enum hm_err hm_outbox_queue_reminders(struct hm_db *db, const struct hm_outbox_env *env,
				      int64_t now, int *queued, int64_t *next_due)
{
	int64_t ids[REMINDER_BATCH];
	int n = 0;
	*queued = 0;
	*next_due = 0;
	/* A look without the write lock first: most passes have nothing to queue. */
	enum hm_err err = due_reminders(db, now, ids, &n);
	if (err != HM_OK || n == 0)
		return err == HM_OK ? next_reminder(db, now, next_due) : err;
	err = hm_db_begin(db);
	if (err == HM_OK)
		err = due_reminders(db, now, ids, &n); /* again, under the lock */
	for (int i = 0; err == HM_OK && i < n; i++)
		err = queue_lessons(db, env, HM_MSG_LESSON_REMINDER, &ids[i], 1, now);
	if (err == HM_OK)
		err = hm_db_commit(db);
	else
		hm_db_rollback(db);
	if (err != HM_OK)
		return err;
	*queued = n;
	if (n == REMINDER_BATCH) {
		*next_due = now; /* more to do at once */
		return HM_OK;
	}
	return next_reminder(db, now, next_due);
}

/* ---- the sender's steps -------------------------------------------------- */

static enum hm_err step(struct hm_db *db, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, what);
}

enum hm_err hm_outbox_recover(struct hm_db *db, int64_t now, int *requeued, int *unknown)
{
	static const char find_sql[] =
		"SELECT id, data_started FROM outbox WHERE state = 'sending' ORDER BY id LIMIT 256";
	static const char state_sql[] =
		"UPDATE outbox SET state = ?2, next_attempt_at = ?3, updated_at = ?3,"
		" last_error = ?4, data_started = CASE WHEN ?2 = 'queued' THEN 0 ELSE data_started END"
		" WHERE id = ?1";
	static const char log_sql[] =
		"UPDATE outbox_attempts SET finished_at = ?2, outcome = ?3, detail = ?4"
		" WHERE outbox_id = ?1 AND outcome IS NULL";
	int64_t ids[256];
	bool started[256];
	int n = 0, rc;
	*requeued = *unknown = 0;
	enum hm_err err = hm_db_begin(db);
	sqlite3_stmt *find = err == HM_OK ? hm_db_stmt(db, find_sql) : NULL;
	if (err == HM_OK && !find)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		while ((rc = sqlite3_step(find)) == SQLITE_ROW && n < 256) {
			ids[n] = sqlite3_column_int64(find, 0);
			started[n++] = sqlite3_column_int(find, 1) != 0;
		}
		hm_db_done(find);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			err = hm_db_fail(db, "find interrupted messages");
	}
	for (int i = 0; err == HM_OK && i < n; i++) {
		const char *state = hm_delivery_recover(started[i]);
		bool again = strcmp(state, "queued") == 0;
		const char *why =
			again ? "the server stopped before the message data went out; sending it again"
			      : "the server stopped after the message data began to go out: it may have"
				" arrived, so it is not sent again unless an admin retries it";
		sqlite3_stmt *upd = hm_db_stmt(db, state_sql);
		sqlite3_stmt *log = hm_db_stmt(db, log_sql);
		if (!upd || !log) {
			err = HM_ERR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(upd, 1, ids[i]);
		sqlite3_bind_text(upd, 2, state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(upd, 3, now);
		sqlite3_bind_text(upd, 4, why, -1, SQLITE_STATIC);
		sqlite3_bind_int64(log, 1, ids[i]);
		sqlite3_bind_int64(log, 2, now);
		sqlite3_bind_text(log, 3, again ? "interrupted" : "unknown", -1, SQLITE_STATIC);
		sqlite3_bind_text(log, 4, why, -1, SQLITE_STATIC);
		err = step(db, upd, "recover message");
		if (err == HM_OK)
			err = step(db, log, "recover delivery log");
		else
			hm_db_done(log);
		if (err == HM_OK)
			++*(again ? requeued : unknown);
	}
	if (err == HM_OK)
		return hm_db_commit(db);
	hm_db_rollback(db);
	return err;
}

void hm_outbox_msg_release(struct hm_outbox_msg *msg)
{
	free(msg->to);
	free(msg->subject);
	free(msg->body);
	free(msg->message_id);
	memset(msg, 0, sizeof *msg);
}

enum hm_err hm_outbox_claim(struct hm_db *db, int64_t now, struct hm_outbox_msg *msg,
			    int64_t *next_due)
{
	static const char due_sql[] =
		"SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1"
		" ORDER BY next_attempt_at, id LIMIT 1";
	static const char next_sql[] =
		"SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'";
	static const char claim_sql[] =
		"UPDATE outbox SET state = 'sending', attempts = attempts + 1, data_started = 0,"
		" updated_at = ?2 WHERE id = ?1 AND state = 'queued'";
	static const char log_sql[] = "INSERT INTO outbox_attempts (outbox_id, attempt, started_at)"
				      " SELECT id, attempts, ?2 FROM outbox WHERE id = ?1";
	static const char read_sql[] =
		"SELECT attempts, to_addr, subject, body, message_id, created_at FROM outbox"
		" WHERE id = ?1";
	int64_t id = 0;
	int rc;
	enum hm_err err = HM_ERR_INTERNAL;
	memset(msg, 0, sizeof *msg);
	*next_due = 0;
	/* Which one, without the write lock (the sender is the only one to claim). */
	sqlite3_stmt *stmt = hm_db_stmt(db, due_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, now);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "due message");
	if (!id) {
		stmt = hm_db_stmt(db, next_sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			*next_due = sqlite3_column_int64(stmt, 0);
		hm_db_done(stmt);
		return rc == SQLITE_ROW ? HM_ERR_NOT_FOUND : hm_db_fail(db, "next due message");
	}
	err = hm_db_begin(db);
	if (err == HM_OK && (stmt = hm_db_stmt(db, claim_sql)) != NULL) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, now);
		err = step(db, stmt, "claim message");
		if (err == HM_OK && sqlite3_changes(hm_db_handle(db)) == 0) {
			/* Changed meanwhile (an erasure cancelled it): look again at once. */
			hm_db_rollback(db);
			*next_due = now;
			return HM_ERR_NOT_FOUND;
		}
	} else if (err == HM_OK) {
		err = HM_ERR_INTERNAL;
	}
	if (err == HM_OK && (stmt = hm_db_stmt(db, log_sql)) != NULL) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, now);
		err = step(db, stmt, "open delivery log");
		msg->log_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	} else if (err == HM_OK) {
		err = HM_ERR_INTERNAL;
	}
	if (err == HM_OK && (stmt = hm_db_stmt(db, read_sql)) != NULL) {
		sqlite3_bind_int64(stmt, 1, id);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			msg->id = id;
			msg->attempts = sqlite3_column_int(stmt, 0);
			msg->to = hm_db_column_strdup(stmt, 1);
			msg->subject = hm_db_column_strdup(stmt, 2);
			msg->body = hm_db_column_strdup(stmt, 3);
			msg->message_id = hm_db_column_strdup(stmt, 4);
			msg->created_at = sqlite3_column_int64(stmt, 5);
		}
		hm_db_done(stmt);
		if (!msg->to || !msg->subject || !msg->body || !msg->message_id)
			err = HM_ERR_INTERNAL;
	} else if (err == HM_OK) {
		err = HM_ERR_INTERNAL;
	}
	if (err == HM_OK)
		err = hm_db_commit(db);
	else
		hm_db_rollback(db);
	if (err != HM_OK)
		hm_outbox_msg_release(msg);
	return err;
}

enum hm_err hm_outbox_data_started(struct hm_db *db, const struct hm_outbox_msg *msg)
{
	static const char sql[] =
		"UPDATE outbox SET data_started = 1 WHERE id = ?1 AND state = 'sending'";
	enum hm_err err = hm_db_begin(db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, msg->id);
		err = step(db, stmt, "mark data started");
	}
	if (err == HM_OK)
		return hm_db_commit(db);
	hm_db_rollback(db);
	return err;
}

/* Closes msg's attempt with outcome and moves the message to state. */
static enum hm_err close_attempt(struct hm_db *db, const struct hm_outbox_msg *msg,
				 const char *state, const char *outcome, int smtp_code,
				 const char *error, int64_t retry_at, int64_t now)
{
	static const char msg_sql[] =
		"UPDATE outbox SET state = ?2, next_attempt_at = ?3, last_error = ?4,"
		" sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END, updated_at = ?5,"
		" data_started = 0 WHERE id = ?1 AND state = 'sending'"; /* not if erased meanwhile */
	static const char log_sql[] =
		"UPDATE outbox_attempts SET finished_at = ?2, outcome = ?3, smtp_code = ?4,"
		" detail = ?5, retry_at = ?6 WHERE id = ?1";
	enum hm_err err = hm_db_begin(db);
	sqlite3_stmt *m = err == HM_OK ? hm_db_stmt(db, msg_sql) : NULL;
	sqlite3_stmt *l = err == HM_OK ? hm_db_stmt(db, log_sql) : NULL;
	if (err == HM_OK && (!m || !l))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(m, 1, msg->id);
		sqlite3_bind_text(m, 2, state, -1, SQLITE_STATIC);
		sqlite3_bind_int64(m, 3, retry_at ? retry_at : now);
		hm_db_bind_text_or_null(m, 4, error);
		sqlite3_bind_int64(m, 5, now);
		sqlite3_bind_int64(l, 1, msg->log_id);
		sqlite3_bind_int64(l, 2, now);
		sqlite3_bind_text(l, 3, outcome, -1, SQLITE_STATIC);
		if (smtp_code > 0)
			sqlite3_bind_int(l, 4, smtp_code);
		hm_db_bind_text_or_null(l, 5, error);
		if (retry_at)
			sqlite3_bind_int64(l, 6, retry_at);
		err = step(db, m, "finish message");
		if (err == HM_OK)
			err = step(db, l, "finish delivery log");
	}
	hm_db_done(m);
	hm_db_done(l);
	if (err == HM_OK)
		return hm_db_commit(db);
	hm_db_rollback(db);
	return err;
}

enum hm_err hm_outbox_finish(struct hm_db *db, const struct hm_outbox_msg *msg,
			     enum hm_delivery_verdict verdict, int smtp_code, const char *error,
			     int64_t retry_at, int64_t now)
{
	switch (verdict) {
	case HM_DELIVERY_SENT:
		return close_attempt(db, msg, "sent", "sent", smtp_code, NULL, 0, now);
	case HM_DELIVERY_RETRY:
		return close_attempt(db, msg, "queued", "retry", smtp_code, error, retry_at, now);
	case HM_DELIVERY_FAILED: break;
	}
	return close_attempt(db, msg, "failed", "failed", smtp_code, error, 0, now);
}

enum hm_err hm_outbox_interrupted(struct hm_db *db, const struct hm_outbox_msg *msg, int64_t now)
{
	return close_attempt(db, msg, "queued", "interrupted", 0,
			     "the server was stopping before the message data went out", 0, now);
}

enum hm_err hm_outbox_unknown(struct hm_db *db, const struct hm_outbox_msg *msg, int64_t now)
{
	return close_attempt(db, msg, "unknown", "unknown", 0,
			     "the delivery was cut off after the message data began to go out and"
			     " before the relay answered: it may have arrived, so it is not sent"
			     " again unless an admin retries it",
			     0, now);
}

/* ---- the admin's view ---------------------------------------------------- */

#define OUTBOX_COLUMNS                                                                         \
	"id, kind, state, to_addr, locale, subject, message_id, client_id, lesson_id,"         \
	" inquiry_id, attempts, next_attempt_at, last_error, created_at, sent_at, updated_at," \
	" payment_id, invoice_id, direct_debit_id"

static json_t *outbox_from_row(sqlite3_stmt *stmt)
{
	const char *state = (const char *)sqlite3_column_text(stmt, 2);
	bool queued = state && strcmp(state, "queued") == 0;
	json_t *out = json_pack(
		"{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:o,"
		" s:o, s:o, s:o}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0), "kind",
		(const char *)sqlite3_column_text(stmt, 1), "state", state ? state : "", "to",
		text_or_null(stmt, 3), "locale", (const char *)sqlite3_column_text(stmt, 4),
		"subject", (const char *)sqlite3_column_text(stmt, 5), "message_id",
		(const char *)sqlite3_column_text(stmt, 6), "client_id", int_or_null(stmt, 7),
		"lesson_id", int_or_null(stmt, 8), "inquiry_id", int_or_null(stmt, 9), "attempts",
		sqlite3_column_int(stmt, 10), "next_attempt_at",
		queued ? time_or_null(stmt, 11) : json_null(), "last_error", text_or_null(stmt, 12),
		"created_at", time_or_null(stmt, 13), "sent_at", time_or_null(stmt, 14),
		"updated_at", time_or_null(stmt, 15));
	if (out && (json_object_set_new(out, "payment_id", int_or_null(stmt, 16)) != 0 ||
		    json_object_set_new(out, "invoice_id", int_or_null(stmt, 17)) != 0 ||
		    json_object_set_new(out, "direct_debit_id", int_or_null(stmt, 18)) != 0)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

enum hm_err hm_outbox_list(struct hm_db *db, const char *state, int64_t after, int limit,
			   json_t **items, int64_t *next_after)
{
	static const char all_sql[] = "SELECT " OUTBOX_COLUMNS
				      " FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2";
	static const char state_sql[] = "SELECT " OUTBOX_COLUMNS
					" FROM outbox WHERE id > ?1 AND state = ?3"
					" ORDER BY id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, state ? state_sql : all_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	if (state)
		sqlite3_bind_text(stmt, 3, state, -1, SQLITE_TRANSIENT);
	return hm_db_page(db, stmt, limit, outbox_from_row, items, next_after);
}

static json_t *attempt_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "attempt",
			 sqlite3_column_int(stmt, 0), "started_at", time_or_null(stmt, 1),
			 "finished_at", time_or_null(stmt, 2), "outcome", text_or_null(stmt, 3),
			 "smtp_code", int_or_null(stmt, 4), "error", text_or_null(stmt, 5),
			 "retry_at", time_or_null(stmt, 6));
}

/* outbox_from_row with the body (the last column). */
static json_t *message_from_row(sqlite3_stmt *stmt)
{
	json_t *msg = outbox_from_row(stmt);
	if (msg && json_object_set_new(msg, "body", text_or_null(stmt, 19)) != 0) {
		json_decref(msg);
		return NULL;
	}
	return msg;
}

enum hm_err hm_outbox_get(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " OUTBOX_COLUMNS ", body FROM outbox WHERE id = ?1";
	static const char log_sql[] =
		"SELECT attempt, started_at, finished_at, outcome, smtp_code, detail, retry_at"
		" FROM outbox_attempts WHERE outbox_id = ?1 ORDER BY id LIMIT 500";
	json_t *msg = NULL, *log = NULL;
	enum hm_err err = hm_db_row_by_id(db, sql, id, message_from_row, &msg, "read message");
	if (err == HM_OK) {
		sqlite3_stmt *stmt = hm_db_stmt(db, log_sql);
		if (stmt)
			sqlite3_bind_int64(stmt, 1, id);
		err = hm_db_rows(db, stmt, attempt_from_row, &log, "read delivery log");
	}
	if (err == HM_OK && json_object_set_new(msg, "log", log) != 0)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK)
		*out = msg;
	else
		json_decref(msg);
	return err;
}

enum hm_err hm_outbox_retry(struct hm_db *db, int64_t id, int64_t now)
{
	/* A new round: the attempt budget starts again (the log keeps the old rounds). */
	static const char sql[] =
		"UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2,"
		" data_started = 0, updated_at = ?2 WHERE id = ?1"
		" AND state IN ('failed', 'unknown') AND to_addr IS NOT NULL";
	static const char exists_sql[] = "SELECT 1 FROM outbox WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	enum hm_err err = step(db, stmt, "retry message");
	if (err != HM_OK || sqlite3_changes(hm_db_handle(db)) > 0)
		return err;
	int64_t one = 0;
	err = hm_db_int_by_id(db, exists_sql, id, &one, "find message");
	return err == HM_OK ? HM_ERR_CONFLICT : err; /* there, in another state */
}

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
